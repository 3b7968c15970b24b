/** The inbox colours (miniprogram/src/packageStaff/urgency.ts): red overdue, amber within the profile's warning window. */
import { estimateEnd, spanText, urgencyOf, weekdaysBetween, withinWindow } from '../../miniprogram/src/packageStaff/urgency';

/** An instant given as Shanghai wall time (UTC+8). */
const sh = (y: number, m: number, d: number, h = 0, min = 0) => Date.UTC(y, m - 1, d, h, min) - 8 * 3_600_000;
/** End of a Shanghai day, as working-day deadlines are set (computeDueAt). */
const endOf = (y: number, m: number, d: number) => sh(y, m, d + 1) - 1;

const oneWorkingDay = { amount: 1, unit: 'workingDays' } as const;

// 2026-11-21 is a Saturday; 23 Mon, 24 Tue, 27 Fri.
describe('urgencyOf', () => {
  test('overdue when the server marked the ticket, whatever the deadline', () => {
    expect(urgencyOf({ dueAt: null, overdue: true }, sh(2026, 11, 21), oneWorkingDay)).toBe('overdue');
    expect(urgencyOf({ dueAt: endOf(2026, 11, 27), overdue: true }, sh(2026, 11, 21), oneWorkingDay)).toBe('overdue');
  });

  test('overdue when the deadline passed on the server clock before the timer ran', () => {
    expect(urgencyOf({ dueAt: endOf(2026, 11, 24), overdue: false }, sh(2026, 11, 25, 0, 1), oneWorkingDay)).toBe('overdue');
  });

  test('none without a running deadline', () => {
    expect(urgencyOf({ dueAt: null, overdue: false }, sh(2026, 11, 21), oneWorkingDay)).toBe('none');
    expect(urgencyOf({ dueAt: undefined }, sh(2026, 11, 21), oneWorkingDay)).toBe('none');
  });

  test('pingli consultation (2 working days) dispatched on a Saturday: plain on Saturday, amber from Monday', () => {
    const due = endOf(2026, 11, 24);
    expect(urgencyOf({ dueAt: due, overdue: false }, sh(2026, 11, 21, 22, 38), oneWorkingDay)).toBe('normal');
    expect(urgencyOf({ dueAt: due, overdue: false }, sh(2026, 11, 22, 23, 59), oneWorkingDay)).toBe('normal');
    expect(urgencyOf({ dueAt: due, overdue: false }, sh(2026, 11, 23, 0, 0), oneWorkingDay)).toBe('warning');
    expect(urgencyOf({ dueAt: due, overdue: false }, sh(2026, 11, 24, 23, 0), oneWorkingDay)).toBe('warning');
  });

  test('a deadline on Monday is amber over the weekend and from Friday', () => {
    const due = endOf(2026, 11, 23);
    expect(urgencyOf({ dueAt: due }, sh(2026, 11, 19, 15), oneWorkingDay)).toBe('normal');
    expect(urgencyOf({ dueAt: due }, sh(2026, 11, 20, 9), oneWorkingDay)).toBe('warning');
    expect(urgencyOf({ dueAt: due }, sh(2026, 11, 22, 9), oneWorkingDay)).toBe('warning');
  });

  test('an hours window counts elapsed time', () => {
    const w = { amount: 2, unit: 'hours' } as const;
    const now = sh(2026, 11, 21, 10);
    expect(urgencyOf({ dueAt: now + 3_600_000 }, now, w)).toBe('warning');
    expect(urgencyOf({ dueAt: now + 2 * 3_600_000 }, now, w)).toBe('warning');
    expect(urgencyOf({ dueAt: now + 3 * 3_600_000 }, now, w)).toBe('normal');
  });

  test('a calendar-day window counts Shanghai dates, weekends included', () => {
    const w = { amount: 1, unit: 'calendarDays' } as const;
    const due = endOf(2026, 11, 22);
    expect(urgencyOf({ dueAt: due }, sh(2026, 11, 21, 0, 5), w)).toBe('warning');
    expect(urgencyOf({ dueAt: due }, sh(2026, 11, 20, 23, 55), w)).toBe('normal');
  });
});

describe('working days on the phone', () => {
  test('counted after the start date up to and including the end date, Monday to Friday', () => {
    expect(weekdaysBetween(sh(2026, 11, 20, 10), endOf(2026, 11, 24))).toBe(2); // Mon, Tue
    expect(weekdaysBetween(sh(2026, 11, 24, 10), endOf(2026, 11, 24))).toBe(0);
    expect(weekdaysBetween(sh(2026, 11, 21), endOf(2026, 11, 21))).toBe(0);
  });

  test('Shanghai dates, not UTC: 00:30 on Monday in Shanghai is still Sunday in UTC', () => {
    const mondayEarly = sh(2026, 11, 23, 0, 30);
    expect(new Date(mondayEarly).getUTCDay()).toBe(0);
    expect(weekdaysBetween(mondayEarly, endOf(2026, 11, 24))).toBe(1);
    expect(withinWindow(endOf(2026, 11, 24), mondayEarly, oneWorkingDay)).toBe(true);
  });

  test('estimateEnd: the end of the n-th weekday after the start date (the return window)', () => {
    expect(estimateEnd(sh(2026, 11, 20, 10), { amount: 2, unit: 'workingDays' })).toBe(endOf(2026, 11, 24));
    expect(estimateEnd(sh(2026, 11, 21, 22), { amount: 2, unit: 'workingDays' })).toBe(endOf(2026, 11, 24));
    expect(estimateEnd(sh(2026, 11, 21, 22), { amount: 1, unit: 'calendarDays' })).toBe(endOf(2026, 11, 22));
    expect(estimateEnd(sh(2026, 11, 21, 22), { amount: 24, unit: 'hours' })).toBe(sh(2026, 11, 22, 22));
  });

  test('spans read as the server writes them', () => {
    expect(spanText({ amount: 2, unit: 'workingDays' })).toBe('2个工作日');
    expect(spanText({ amount: 24, unit: 'hours' })).toBe('24小时');
    expect(spanText({ amount: 60, unit: 'calendarDays' })).toBe('60日');
  });
});
