import { View, Text } from '@tarojs/components';
import type { QueueItem } from '../../../api/types';
import { REQUEST_TYPE_LABELS } from '../../../labels';
import { rowDue, warningFor } from '../../../tickets/rowDeadline';
import { formatTime } from '../../../util/format';
import DeadlineBadge, { deadlineTone } from '../deadline';
import './index.scss';
import { opGo } from '../../../util/nav';

/** A queue of tickets for operators: the nearest deadline first, overdue red, due soon amber. */
export default function OpTicketList({ items, now, warningMs, levels, extra }: {
  items: QueueItem[];
  now: number;
  warningMs: number;
  /** The profile's 督办 level names, lowest first. */
  levels?: string[];
  extra?: (item: QueueItem) => JSX.Element | null;
}) {
  // By the deadline each row shows: the earliest active one.
  const dueOf = (t: QueueItem) => rowDue(t)?.dueAt ?? Infinity;
  const sorted = [...items].sort((a, b) => dueOf(a) - dueOf(b) || a.createdAt - b.createdAt);
  return (
    <View className="op-list" id="op-ticket-list">
      {sorted.map((t) => {
        const due = rowDue(t);
        const tone = deadlineTone(due?.dueAt, t.overdue, now, warningFor(due, warningMs));
        return (
          <View key={t.id} id={`op-ticket-${t.number}`} className={`op-list__item op-list__item--${tone}`} data-tone={tone} data-state={t.state} onClick={() => void opGo('ticket', { id: t.id })}>
            <View className="row op-list__head">
              <Text className="op-list__number">{t.number}</Text>
              <Text className="op-list__state">{t.stateLabel}</Text>
              {t.supervisionLevel > 0 && (
                <Text className="op-list__level">{levels?.[t.supervisionLevel - 1] ?? `督办${t.supervisionLevel}级`}</Text>
              )}
              {t.reworks > 0 && <Text className="op-list__rework">重办</Text>}
            </View>
            <View className="op-list__title">{t.title}</View>
            <View className="muted">
              {REQUEST_TYPE_LABELS[t.type] ?? t.type} · {t.category}{t.area ? ` · ${t.area}` : ''} · {formatTime(t.createdAt)}
              {t.requesterShown ? ` · ${t.requesterShown}` : ''}
            </View>
            <View className="row op-list__foot">
              <DeadlineBadge item={t} now={now} warningMs={warningMs} />
              {extra?.(t)}
            </View>
          </View>
        );
      })}
    </View>
  );
}
