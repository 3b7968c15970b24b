import { DomainError } from '../errors';
import type { Span } from '../profiles/schema';
import {
  WorkingCalendar,
  addCalendarDays,
  calendarDaysBetween,
  endOfShanghaiDay,
  shanghaiDateOf,
} from './workingCalendar';

/**
 * Deadline arithmetic. All instants are epoch milliseconds; all dates are Asia/Shanghai dates.
 *
 * computeDueAt(start, span):
 * - hours:        start + amount hours of elapsed time (amount may be fractional; no calendar).
 * - calendarDays: 23:59:59.999 Shanghai of (start's Shanghai date + amount days); amount 0 is 当日,
 *                 the end of the start's own Shanghai day (baiyin 10 "受理当日转交").
 * - calendarMonths: 23:59:59.999 Shanghai of the same day of the month `amount` months later, or of
 *                 that month's last day when it is shorter (01-31 + 1 month → 02-28/29; anshan 22).
 * - workingDays:  23:59:59.999 Shanghai of the amount-th working day strictly after the start's
 *                 Shanghai date. The day of receipt is never counted, whatever the hour — a request
 *                 received at 08:00 or 23:59 on a Monday, 2 working days → end of Wednesday. A
 *                 request received on a holiday, weekend or make-up workday follows the same rule:
 *                 counting starts with the next working day after that date.
 * Day and month amounts must be positive integers, except calendarDays 0 (DomainError('invalid-input') otherwise).
 * A working-day computation that reaches a year without calendar data throws
 * DomainError('calendar-year-missing') — it never guesses.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

function assertMs(ms: number, what: string): void {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) {
    throw new DomainError('invalid-input', `${what}不是有效的时间戳：${String(ms)}`);
  }
}

function checkSpan(span: Span): void {
  const { amount, unit } = span;
  const sameDay = unit === 'calendarDays' && amount === 0;
  if (typeof amount !== 'number' || !Number.isFinite(amount) || (amount <= 0 && !sameDay)) {
    throw new DomainError('invalid-input', `期限必须是正数：${String(amount)}`);
  }
  if (unit === 'hours') return;
  if (unit === 'workingDays' || unit === 'calendarDays' || unit === 'calendarMonths') {
    if (!Number.isInteger(amount)) {
      throw new DomainError('invalid-input', `以天计的期限必须是整数：${amount}`);
    }
    return;
  }
  throw new DomainError('invalid-input', `未知的期限单位：${String(unit)}`);
}

/** When a span that starts at `startMs` ends (see the module comment for the exact semantics). */
export function computeDueAt(startMs: number, span: Span, cal: WorkingCalendar): number {
  assertMs(startMs, '起算时间');
  checkSpan(span);
  switch (span.unit) {
    case 'hours':
      return Math.round(startMs + span.amount * HOUR_MS);
    case 'calendarDays':
      return endOfShanghaiDay(addCalendarDays(shanghaiDateOf(startMs), span.amount));
    case 'workingDays':
      return endOfShanghaiDay(cal.addWorkingDays(shanghaiDateOf(startMs), span.amount));
    case 'calendarMonths':
      return endOfShanghaiDay(addCalendarMonths(shanghaiDateOf(startMs), span.amount));
  }
}

/** `date` plus `n` months, clamped to the last day of a shorter month ('2026-01-31' + 1 → '2026-02-28'). */
export function addCalendarMonths(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + n;
  const ny = Math.floor(index / 12);
  const nm = (index % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return `${String(ny).padStart(4, '0')}-${String(nm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/**
 * Clock pause (e.g. 鞍山 第二十七条: the time to decide a recusal is not counted).
 * The paused working days are the Shanghai working days d with
 *   date(pauseStart) <= d < date(pauseEnd)
 * i.e. whole working days on which the clock stood still; a pause that starts and ends on the same
 * day moves nothing. The deadline then moves that many working days later (counted strictly after
 * the due date), keeping the due instant's Shanghai time of day (23:59:59.999 for day-based
 * deadlines). Returns `dueAtMs` unchanged when no working day was paused.
 */
export function extendByPause(dueAtMs: number, pauseStartMs: number, pauseEndMs: number, cal: WorkingCalendar): number {
  assertMs(dueAtMs, '办理期限');
  assertMs(pauseStartMs, '暂停开始时间');
  assertMs(pauseEndMs, '暂停结束时间');
  if (pauseEndMs < pauseStartMs) {
    throw new DomainError('invalid-input', '暂停结束时间不能早于开始时间');
  }
  const paused = pausedWorkingDays(pauseStartMs, pauseEndMs, cal);
  if (paused === 0) return dueAtMs;
  const dueDate = shanghaiDateOf(dueAtMs);
  const newDate = cal.addWorkingDays(dueDate, paused);
  // No DST in Asia/Shanghai: whole days of ms keep the time of day.
  return dueAtMs + calendarDaysBetween(dueDate, newDate) * DAY_MS;
}

/** Working days in [start's Shanghai date, end's Shanghai date): the days a clock pause does not count. */
export function pausedWorkingDays(pauseStartMs: number, pauseEndMs: number, cal: WorkingCalendar): number {
  // Working days in [start, end) == working days in (start − 1, end − 1].
  return cal.countWorkingDaysAfter(addCalendarDays(shanghaiDateOf(pauseStartMs), -1), addCalendarDays(shanghaiDateOf(pauseEndMs), -1));
}

/**
 * Working days after `fromMs`'s Shanghai date up to and including `toMs`'s Shanghai date;
 * 0 when toMs <= fromMs. "Within 2 working days" of an event at `fromMs` means
 * workingDaysBetween(fromMs, nowMs, cal) <= 2.
 */
export function workingDaysBetween(fromMs: number, toMs: number, cal: WorkingCalendar): number {
  assertMs(fromMs, '开始时间');
  assertMs(toMs, '结束时间');
  if (toMs <= fromMs) return 0;
  return cal.countWorkingDaysAfter(shanghaiDateOf(fromMs), shanghaiDateOf(toMs));
}

/**
 * An approved extension (延期): the new deadline counts `span` from the current deadline.
 * - hours:        dueAt + amount hours;
 * - calendarDays: end of the Shanghai day (due date + amount);
 * - workingDays:  end of the amount-th working day strictly after the current due date — the due
 *                 date itself is not counted again, and the result stays at 23:59:59.999.
 * This is exactly computeDueAt(dueAtMs, span, cal).
 */
export function extendDeadline(dueAtMs: number, span: Span, cal: WorkingCalendar): number {
  return computeDueAt(dueAtMs, span, cal);
}
