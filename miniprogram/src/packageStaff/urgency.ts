/**
 * How urgent a ticket looks in a unit's inbox: red when overdue, amber within the profile's
 * warning window, plain otherwise. One rule for the inbox and the ticket page; jest tests it
 * (test/native/staffUrgency.test.ts), so this file imports nothing from Taro.
 *
 * "Within N working days" reads as the server's `workingDaysBetween`: the working days after
 * now's Shanghai date up to and including the due date number at most N. The app has no holiday
 * calendar (it lives on the server), so here a working day is Monday to Friday in Asia/Shanghai:
 * around a public holiday or a make-up weekend the amber may start a day early or late.
 */
import type { Span } from '../../../shared/profiles/schema';

export type Urgency = 'overdue' | 'warning' | 'normal' | 'none';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * HOUR_MS;

/** Days since 1970-01-01 of the instant's Shanghai date. */
function shanghaiDay(ms: number): number {
  return Math.floor((ms + SHANGHAI_OFFSET_MS) / DAY_MS);
}

/** Monday to Friday; epoch day 0 (1970-01-01) was a Thursday. */
function isWeekday(epochDay: number): boolean {
  const weekday = (((epochDay + 4) % 7) + 7) % 7; // 0 = Sunday
  return weekday !== 0 && weekday !== 6;
}

/** Working days d with day(from) < d <= day(to); stops counting past `cap`. */
export function weekdaysBetween(fromMs: number, toMs: number, cap = Infinity): number {
  let n = 0;
  for (let d = shanghaiDay(fromMs) + 1, end = shanghaiDay(toMs); d <= end && n <= cap; d++) if (isWeekday(d)) n++;
  return n;
}

/** True when `dueAt` is no further from `now` than the window (and not yet past). */
export function withinWindow(dueAt: number, now: number, window: Span): boolean {
  if (dueAt < now) return false;
  switch (window.unit) {
    case 'hours':
      return dueAt - now <= window.amount * HOUR_MS;
    case 'calendarDays':
      return shanghaiDay(dueAt) - shanghaiDay(now) <= window.amount;
    case 'workingDays':
      return weekdaysBetween(now, dueAt, window.amount) <= window.amount;
    case 'calendarMonths':
      return dueAt <= estimateEnd(now, window);
  }
}

/**
 * The colour of a ticket: `overdue` when the server marked it so or its deadline has passed on the
 * server's clock, `warning` within the window, `none` when no deadline runs.
 */
export function urgencyOf(item: { dueAt: number | null | undefined; overdue?: boolean; startedAt?: number }, now: number, window: Span): Urgency {
  if (item.overdue) return 'overdue';
  if (item.dueAt === null || item.dueAt === undefined) return 'none';
  if (item.dueAt < now) return 'overdue';
  // Never amber in the first half of the deadline's own span: a 24-hour 签收 limit under a
  // one-working-day window would otherwise be amber from its first minute.
  if (item.startedAt !== undefined && now < item.startedAt + (item.dueAt - item.startedAt) / 2) return 'normal';
  return withinWindow(item.dueAt, now, window) ? 'warning' : 'normal';
}

export const URGENCY_LABELS: Record<Urgency, string> = { overdue: '已超期', warning: '即将到期', normal: '', none: '' };

/** "2个工作日", "24小时", "5日" (as the server's formatSpan). */
export function spanText(span: Span): string {
  if (span.unit === 'calendarMonths') return `${span.amount}个月`;
  if (span.unit === 'calendarDays' && span.amount === 0) return '当日';
  return span.unit === 'hours' ? `${span.amount}小时` : span.unit === 'workingDays' ? `${span.amount}个工作日` : `${span.amount}日`;
}

/**
 * An estimate of when a working-day span that starts at `startMs` ends (end of the Shanghai day),
 * counting Monday to Friday; the server's calendar also skips holidays. Hours and calendar days are exact.
 */
export function estimateEnd(startMs: number, span: Span): number {
  if (span.unit === 'hours') return startMs + span.amount * HOUR_MS;
  if (span.unit === 'calendarMonths') {
    // The same day of the month `amount` months on, or that month's last day (as the server).
    const d = new Date(shanghaiDay(startMs) * DAY_MS);
    const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + span.amount + 1, 0)).getUTCDate();
    const end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + span.amount, Math.min(d.getUTCDate(), last));
    return end + DAY_MS - SHANGHAI_OFFSET_MS - 1;
  }
  let day = shanghaiDay(startMs);
  if (span.unit === 'calendarDays') day += span.amount;
  else for (let left = span.amount; left > 0; ) if (isWeekday(++day)) left--;
  return (day + 1) * DAY_MS - SHANGHAI_OFFSET_MS - 1;
}
