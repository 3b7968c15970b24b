import { View } from '@tarojs/components';
import { useLoad } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import { adminApi, errorMessage, operatorApi } from '../../../api/client';
import type { OperatorCommandType, OperatorDetail, TicketDetail, UnitRecord } from '../../../api/types';
import OperatorActions from '../../components/actions';
import OperatorShell from '../../components/shell';
import OperatorTicketFacts from '../../components/ticket-facts';
import TicketDetailView from '../../../components/ticket-detail';
import * as platform from '../../../platform';
import { hasRole, useSession } from '../../../session';
import { Button } from '../../../ui';
import { warningWindowMs } from '../../components/deadline';
import SideQueue, { useSplitLayout } from '../../components/sideQueue';
import { usePolicy } from '../../policy';
import '../../workbench.scss';
import { useReload } from '../../../util/useReload';
import { opBack } from '../../../util/nav';

/** One ticket for the operator: the request, its media and timeline, the deadline with its article, and the actions allowed now. */
export default function OperatorTicket() {
  const user = useSession();
  const ready = hasRole(user, 'operator') || !platform.NEEDS_SIGN_IN;
  const [ticketId, setTicketId] = useState('');
  const [initialAction, setInitialAction] = useState<OperatorCommandType | undefined>();
  const [detail, setDetail] = useState<OperatorDetail | null>(null);
  const [units, setUnits] = useState<UnitRecord[]>([]);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const [loading, setLoading] = useState(false);
  const split = useSplitLayout();
  const policy = usePolicy(ready && split);

  const load = useCallback(async (id: string) => {
    if (!id) return;
    setLoading(true);
    try {
      setDetail(await operatorApi.get(id));
      setError('');
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoading(false);
    }
  }, []);

  useLoad((params) => {
    setTicketId(params.id ?? '');
    if (params.action) setInitialAction(params.action as OperatorCommandType);
  });
  useEffect(() => {
    if (ready) adminApi.units().then(setUnits, () => undefined);
  }, [ready]);
  useReload(useCallback(() => load(ticketId), [load, ticketId]), ready && !!ticketId);

  const body = (
    <View>
      {error && <View className="form-error" id="form-error">{error}</View>}
      {done && <View className="notice" id="action-done">{done}</View>}
      {!detail && !error && <View className="notice">正在加载…</View>}
      {detail && (
        <View className="op-grid">
          <View>
            <TicketDetailView detail={detail as unknown as TicketDetail} />
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
        <Button id="back-to-queue" block onClick={() => void opBack('queue')}>返回</Button>
      </View>
    </View>
  );
  // At a desktop's width the queue stays beside the ticket; a row opens its ticket in place.
  return (
    <OperatorShell id="page-op-ticket" active="queue">
      {split && ready ? (
        <View className="wb-split" id="ticket-split">
          <SideQueue
            current={ticketId}
            version={detail?.ticket.version ?? 0}
            warningMs={warningWindowMs(policy?.current.reminders.warningWindow)}
            onOpen={(id) => {
              if (id === ticketId) return;
              setDetail(null);
              setDone('');
              setInitialAction(undefined);
              setTicketId(id);
            }}
          />
          {body}
        </View>
      ) : (
        body
      )}
    </OperatorShell>
  );
}
