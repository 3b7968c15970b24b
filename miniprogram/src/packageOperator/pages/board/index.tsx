import { View, Text } from '@tarojs/components';
import { useCallback, useState } from 'react';
import { errorMessage, operatorApi, statsApi } from '../../../api/client';
import type { QueueItem, RiskWarning } from '../../../api/types';
import { warningWindowMs } from '../../components/deadline';
import OperatorShell from '../../components/shell';
import OpTicketList from '../../components/ticket-list';
import * as platform from '../../../platform';
import { hasRole, useSession } from '../../../session';
import { Button } from '../../../ui';
import { TRIGGER_LABELS } from '../../labels';
import { usePolicy } from '../../policy';
import './index.scss';
import { useReload } from '../../../util/useReload';
import { opGo } from '../../../util/nav';
import { kbApi } from '../../../api/kb';
import type { KbStale } from '@shared/contracts/responses/kb';

interface Supervision {
  level: number;
  triggers: string[];
  escalated: boolean;
}

/**
 * 督办看板: overdue tickets and tickets with a 督办 trigger (queue `supervision`), with the level
 * and the triggers, and a way to raise the level.
 * The queue rows carry the level but not the triggers, so each row's triggers come from
 * operator.get (a board holds tens of tickets, not thousands).
 */
export default function SupervisionBoard() {
  const user = useSession();
  const ready = hasRole(user, 'operator') || !platform.NEEDS_SIGN_IN;
  const policy = usePolicy(ready);
  const [items, setItems] = useState<QueueItem[]>([]);
  const [sup, setSup] = useState<Record<string, Supervision>>({});
  const [loading, setLoading] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState('');
  const [warnings, setWarnings] = useState<RiskWarning[]>([]);
  const [kbStale, setKbStale] = useState<KbStale | null>(null);
  const [now, setNow] = useState(Date.now());

  const load = useCallback(async () => {
    setLoading(true);
    // The week's risk warnings beside the queue; the queue shows even if they fail.
    statsApi.warnings().then(setWarnings, () => setWarnings([]));
    // Stale knowledge-base articles are a supervision item where the profile says so (linyi 30(5)).
    kbApi.stale().then(setKbStale, () => setKbStale(null));
    try {
      const page = await operatorApi.queue('supervision', null, 100);
      setItems(page.items);
      setNow(Date.now());
      setError('');
      const pairs = await Promise.all(
        page.items.slice(0, 100).map(async (i) => {
          try {
            const d = await operatorApi.get(i.id);
            setNow(d.now ?? Date.now());
            return [i.id, d.ticket.supervision] as const;
          } catch {
            return [i.id, { level: i.supervisionLevel, triggers: [], escalated: false }] as const;
          }
        }),
      );
      setSup(Object.fromEntries(pairs));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoading(false);
      setLoaded(true);
    }
  }, []);

  useReload(load, ready);

  const levels = policy?.current.supervision.levels ?? [];
  const overdue = items.filter((i) => i.overdue).length;
  const supervised = items.filter((i) => i.supervisionLevel > 0).length;
  const escalated = Object.values(sup).filter((s) => s.escalated).length;

  return (
    <OperatorShell id="page-op-board" active="board" title="督办看板">
      <View className="board-summary" id="board-summary">
        <View className="board-summary__item board-summary__item--red"><Text className="board-summary__n" id="board-count-overdue">{overdue}</Text><Text>超期</Text></View>
        <View className="board-summary__item"><Text className="board-summary__n" id="board-count-supervised">{supervised}</Text><Text>已督办</Text></View>
        <View className="board-summary__item"><Text className="board-summary__n" id="board-count-escalated">{escalated}</Text><Text>已提请</Text></View>
      </View>
      {policy && (
        <View className="muted board-basis" id="board-basis">
          督办级别：{levels.join(' → ')}；依据{policy.current.supervision.citation.article}：{policy.current.supervision.citation.text}
        </View>
      )}
      {warnings.length > 0 && (
        <View className="board-warnings" id="board-warnings">
          <View className="board-warnings__title">风险预警（本周诉求量远高于前8周中位数）</View>
          {warnings.map((w, i) => (
            <View key={`${w.dimension}-${w.key}`} className="board-warnings__item" id={`board-warning-${i}`} data-dimension={w.dimension}>
              {w.label}
            </View>
          ))}
        </View>
      )}
      {kbStale?.supervision && kbStale.items.length > 0 && (
        <View className="board-warnings" id="board-kb-stale" onClick={() => void opGo('kb')}>
          <View className="board-warnings__title">知识库更新不及时（{kbStale.supervision.article}）</View>
          <View className="board-warnings__item">{kbStale.items.length}条知识库条目已过复核日期：{kbStale.items.slice(0, 3).map((a) => `${a.unitName ?? '平台'}「${a.title}」`).join('、')}{kbStale.items.length > 3 ? '等' : ''}</View>
        </View>
      )}
      {error && <View className="form-error" id="form-error">{error}</View>}
      {loaded && items.length === 0 && !error && <View className="op-empty" id="board-empty">没有超期或需督办的诉求</View>}
      <View id="board-list">
        <OpTicketList
          items={items}
          now={now}
          warningMs={warningWindowMs(policy?.current.reminders.warningWindow)}
          levels={levels}
          extra={(i) => {
            const s = sup[i.id];
            const canRaise = (s?.level ?? i.supervisionLevel) < levels.length;
            return (
              <View className="row board-row" id={`board-${i.number}`}>
                <Text className="board-level" id={`board-${i.number}-level`}>
                  {i.supervisionLevel > 0 ? levels[i.supervisionLevel - 1] ?? `${i.supervisionLevel}级` : '未督办'}
                </Text>
                {s && s.triggers.length > 0 && (
                  <Text className="board-triggers" id={`board-${i.number}-triggers`}>{s.triggers.map((x) => TRIGGER_LABELS[x] ?? x).join('、')}</Text>
                )}
                {s?.escalated && <Text className="board-escalated">已提请</Text>}
                {canRaise && (
                  <View
                    id={`board-supervise-${i.number}`}
                    className="chip board-supervise"
                    onClick={(e) => {
                      e.stopPropagation();
                      void opGo('ticket', { id: i.id, action: 'supervise' });
                    }}
                  >
                    {i.supervisionLevel > 0 ? '升级督办' : '督办'}
                  </View>
                )}
              </View>
            );
          }}
        />
      </View>
      <View className="actions">
        <Button id="board-refresh" block fill="none" loading={loading} onClick={() => void load()}>刷新</Button>
      </View>
    </OperatorShell>
  );
}
