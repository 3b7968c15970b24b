import { Text } from '@tarojs/components';
import { formatRemaining, formatTime } from '../../util/format';
import './index.scss';

export type DeadlineTone = 'overdue' | 'warning' | 'ok' | 'none';

const HOUR = 3_600_000;

/** The profile's warning window in ms; working days are read as 24 h each (colouring only). */
export function warningWindowMs(w: { amount: number; unit: 'hours' | 'workingDays' | 'calendarDays' } | undefined): number {
  if (!w) return 24 * HOUR;
  return w.unit === 'hours' ? w.amount * HOUR : w.amount * 24 * HOUR;
}

/** Overdue in red, due within the warning window in amber. */
export function deadlineTone(dueAt: number | null | undefined, overdue: boolean, now: number, warningMs: number): DeadlineTone {
  if (overdue) return 'overdue';
  if (!dueAt) return 'none';
  if (dueAt < now) return 'overdue';
  return dueAt - now <= warningMs ? 'warning' : 'ok';
}

/** "2026-03-09 10:00 · 还剩 3天4小时", coloured by tone. */
export default function DeadlineBadge({ dueAt, overdue, now, warningMs, id }: { dueAt: number | null; overdue: boolean; now: number; warningMs: number; id?: string }) {
  const tone = deadlineTone(dueAt, overdue, now, warningMs);
  if (tone === 'none') return <Text id={id} className="op-deadline op-deadline--none" data-tone={tone}>无进行中的期限</Text>;
  // Overdue with no active deadline left: the missed one was closed by the timer.
  if (!dueAt) return <Text id={id} className="op-deadline op-deadline--overdue" data-tone={tone}>已超期</Text>;
  return (
    <Text id={id} className={`op-deadline op-deadline--${tone}`} data-tone={tone}>
      {formatTime(dueAt)} · {dueAt < now ? formatRemaining(dueAt, now) : overdue ? '已超期' : `还剩 ${formatRemaining(dueAt, now)}`}
    </Text>
  );
}
