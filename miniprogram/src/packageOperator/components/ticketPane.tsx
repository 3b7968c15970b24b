import { View } from '@tarojs/components';
import { useCallback, useEffect, useRef, useState } from 'react';
import { adminApi, errorMessage, operatorApi } from '../../api/client';
import type { OperatorCommandType, OperatorDetail, TicketDetail, UnitRecord } from '../../api/types';
import OperatorActions from './actions';
import OperatorTicketFacts from './ticket-facts';
import TicketDetailView from '../../components/ticket-detail';
import { Button } from '../../ui';
import { opGo } from '../../util/nav';

interface Props {
  ticketId: string;
  initialAction?: OperatorCommandType;
  /** Bumped by the page to reload (pull-down, page shown again). */
  refresh?: number;
  /** The ticket's version after each load, so a side list can follow its changes. */
  onVersion?(version: number): void;
  /** Extra buttons under the ticket (the ticket page's 返回). */
  footer?: JSX.Element;
}

/**
 * One ticket with the operator's actions and facts: the ticket page's body, and the right-hand
 * pane of the queue at a desktop's width.
 */
export default function TicketPane({ ticketId, initialAction, refresh = 0, onVersion, footer }: Props) {
  const [detail, setDetail] = useState<OperatorDetail | null>(null);
  const [units, setUnits] = useState<UnitRecord[]>([]);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const [loading, setLoading] = useState(false);

  const load = useCallback(async (id: string) => {
    if (!id) return;
    setLoading(true);
    try {
      const d = await operatorApi.get(id);
      setDetail(d);
      onVersion?.(d.ticket.version);
      setError('');
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoading(false);
    }
  }, [onVersion]);

  useEffect(() => {
    adminApi.units().then(setUnits, () => undefined);
  }, []);
  useEffect(() => {
    setDetail(null);
    setDone('');
    void load(ticketId);
  }, [ticketId, load]);
  // A refresh keeps the ticket on screen while it reloads.
  const lastRefresh = useRef(refresh);
  useEffect(() => {
    if (lastRefresh.current === refresh) return;
    lastRefresh.current = refresh;
    void load(ticketId);
  }, [refresh, ticketId, load]);

  return (
    <View className="wb-pane" id="ticket-pane">
      {error && <View className="form-error" id="form-error">{error}</View>}
      {done && <View className="notice" id="action-done">{done}</View>}
      {!detail && !error && <View className="notice">正在加载…</View>}
      {detail && (
        <View className="op-grid">
          <View>
            <TicketDetailView detail={detail as unknown as TicketDetail} openTicket={(id) => opGo('ticket', { id })} />
          </View>
          <View>
            <OperatorActions
              key={detail.ticket.id}
              detail={detail}
              units={units}
              initialAction={initialAction}
              onChanged={(d) => {
                setDone(d ?? '');
                void load(ticketId);
              }}
            />
            <OperatorTicketFacts detail={detail} units={units} />
          </View>
        </View>
      )}
      <View className="actions">
        <Button id="ticket-refresh" block fill="none" loading={loading} onClick={() => void load(ticketId)}>刷新</Button>
        {footer}
      </View>
    </View>
  );
}
