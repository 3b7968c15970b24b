import { Text } from '@tarojs/components';
import { rowDeadlineText, rowDue, warningFor, type RowDeadlineFields } from '../../../tickets/rowDeadline';
import './index.scss';

export type DeadlineTone = 'overdue' | 'warning' | 'ok' | 'none';

const HOUR = 3_600_000;

/** The profile's warning window in ms; working days are read as 24 h each (colouring only). */
export function warningWindowMs(w: { amount: number; unit: 'hours' | 'workingDays' | 'calendarDays' | 'calendarMonths' } | undefined): number {
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

/** "受理期限 2026-03-09 10:00 · 还剩3天4小时" (the deadline the row is sorted by), coloured by tone. */
export default function DeadlineBadge({ item, now, warningMs, id }: { item: RowDeadlineFields; now: number; warningMs: number; id?: string }) {
  const due = rowDue(item);
  const tone = deadlineTone(due?.dueAt, item.overdue, now, warningFor(due, warningMs));
  return (
    <Text id={id} className={`op-deadline op-deadline--${tone}`} data-tone={tone} data-provisional={item.dueProvisional ? 'true' : undefined}>
      {rowDeadlineText(item, now)}
      {item.dueProvisional && due ? ' · 暂定（该年节假日安排未导入）' : ''}
    </Text>
  );
}
