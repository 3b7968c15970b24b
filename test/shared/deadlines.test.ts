import { DomainError } from '../../shared/errors';
import type { Span } from '../../shared/profiles/schema';
import { WorkingCalendar, endOfShanghaiDay } from '../../shared/calendar/workingCalendar';
import { computeDueAt, extendByPause, extendDeadline, workingDaysBetween } from '../../shared/calendar/deadlines';

/** An instant given as Shanghai wall time, e.g. sh('2026-02-13 10:00'). Explicit offset: TZ-independent. */
function sh(local: string): number {
  const ms = Date.parse(`${local.replace(' ', 'T')}:00+08:00`);
  if (Number.isNaN(ms)) throw new Error(`bad test time ${local}`);
  return ms;
}

const eod = endOfShanghaiDay;

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return (e as DomainError).code;
  }
  throw new Error('expected a DomainError');
}

const cal = new WorkingCalendar();
const wd = (amount: number): Span => ({ amount, unit: 'workingDays' });
const cd = (amount: number): Span => ({ amount, unit: 'calendarDays' });
const hours = (amount: number): Span => ({ amount, unit: 'hours' });

describe('computeDueAt — working days across the 2026 Spring Festival (holiday 2-15..2-23, make-up 2-14 Sat, 2-28 Sat)', () => {
  it.each([
    // [received (Shanghai), working days, due date]
    ['2026-02-13 10:00', 2, '2026-02-24'], // Fri: Sat 2-14 (make-up) + Tue 2-24
    ['2026-02-13 10:00', 5, '2026-02-27'], // 2-14, 2-24, 2-25, 2-26, 2-27
    ['2026-02-14 09:00', 2, '2026-02-25'], // on the make-up Saturday: the day itself is not counted
    ['2026-02-14 09:00', 5, '2026-02-28'], // …and the fifth working day is the make-up Saturday 2-28
    ['2026-02-18 11:00', 2, '2026-02-25'], // on a holiday: count from the next working day
    ['2026-02-21 11:00', 5, '2026-02-28'], // on a holiday weekend day
    ['2026-02-12 08:00', 1, '2026-02-13'],
    ['2026-02-12 08:00', 2, '2026-02-14'],
  ])('received %s + %d working days → end of %s', (received, n, due) => {
    expect(computeDueAt(sh(received), wd(n), cal)).toBe(eod(due));
  });

  it('a request at 23:30 Shanghai (15:30 UTC the same day) is received that Shanghai day', () => {
    const start = Date.UTC(2026, 1, 12, 15, 30); // 2026-02-12 23:30 Shanghai (Thu)
    expect(start).toBe(sh('2026-02-12 23:30'));
    expect(computeDueAt(start, wd(2), cal)).toBe(eod('2026-02-14'));
    expect(computeDueAt(start, wd(5), cal)).toBe(eod('2026-02-26'));
  });

  it('a request at 00:30 Shanghai (16:30 UTC the previous day) is received the next Shanghai day', () => {
    const start = Date.UTC(2026, 1, 12, 16, 30); // 2026-02-13 00:30 Shanghai (Fri)
    expect(start).toBe(sh('2026-02-13 00:30'));
    expect(computeDueAt(start, wd(2), cal)).toBe(eod('2026-02-24'));
    expect(computeDueAt(start, wd(5), cal)).toBe(eod('2026-02-27'));
  });

  it('the due instant is 23:59:59.999 Shanghai, i.e. 15:59:59.999 UTC', () => {
    expect(computeDueAt(sh('2026-02-13 10:00'), wd(2), cal)).toBe(Date.UTC(2026, 1, 24, 15, 59, 59, 999));
  });
});

describe('computeDueAt — working days across 2026 中秋 + 国庆 (中秋 9-25..9-27, 国庆 10-1..10-7, make-up 9-20 Sun, 10-10 Sat)', () => {
  it.each([
    ['2026-09-30 14:00', 2, '2026-10-09'], // Wed before the holiday: Thu 10-8, Fri 10-9
    ['2026-09-30 14:00', 5, '2026-10-13'], // 10-8, 10-9, 10-10 (make-up Sat), 10-12, 10-13
    ['2026-09-18 16:00', 2, '2026-09-21'], // Fri: Sun 9-20 (make-up) + Mon 9-21
    ['2026-09-18 16:00', 5, '2026-09-24'], // 9-20, 9-21, 9-22, 9-23, 9-24
    ['2026-09-24 09:00', 5, '2026-10-09'], // 9-28, 9-29, 9-30, 10-8, 10-9
    ['2026-10-03 10:00', 2, '2026-10-09'], // received during the holiday
    ['2026-10-10 10:00', 2, '2026-10-13'], // on the make-up Saturday: 10-12, 10-13
    ['2026-09-20 10:00', 2, '2026-09-22'], // on the make-up Sunday
  ])('received %s + %d working days → end of %s', (received, n, due) => {
    expect(computeDueAt(sh(received), wd(n), cal)).toBe(eod(due));
  });

  it('23:30 vs 00:30 around the holiday start', () => {
    // 2026-09-30 23:30 Shanghai = 15:30 UTC on 9-30: still Wednesday 9-30.
    expect(computeDueAt(Date.UTC(2026, 8, 30, 15, 30), wd(2), cal)).toBe(eod('2026-10-09'));
    // 2026-10-01 00:30 Shanghai = 16:30 UTC on 9-30: already the holiday.
    expect(computeDueAt(Date.UTC(2026, 8, 30, 16, 30), wd(2), cal)).toBe(eod('2026-10-09'));
    // 2026-09-29 23:30 Shanghai = 15:30 UTC 9-29 → Tue; 2 working days: 9-30, 10-8.
    expect(computeDueAt(Date.UTC(2026, 8, 29, 15, 30), wd(2), cal)).toBe(eod('2026-10-08'));
    // 2026-09-30 00:30 Shanghai = 16:30 UTC 9-29 → Wed; 2 working days: 10-8, 10-9.
    expect(computeDueAt(Date.UTC(2026, 8, 29, 16, 30), wd(2), cal)).toBe(eod('2026-10-09'));
  });
});

describe('computeDueAt — hours and calendar days', () => {
  it('hours are elapsed time, fractional allowed, holidays ignored', () => {
    const start = sh('2026-02-13 10:00');
    expect(computeDueAt(start, hours(24), cal)).toBe(sh('2026-02-14 10:00'));
    expect(computeDueAt(start, hours(1.5), cal)).toBe(sh('2026-02-13 11:30'));
    expect(computeDueAt(start, hours(72), cal)).toBe(sh('2026-02-16 10:00')); // through the holiday
    expect(computeDueAt(sh('2026-02-13 23:30'), hours(2), cal)).toBe(sh('2026-02-14 01:30'));
  });

  it('hours need no calendar data (2027 is fine)', () => {
    expect(computeDueAt(sh('2027-03-01 10:00'), hours(2), cal)).toBe(sh('2027-03-01 12:00'));
  });

  it('calendar days end at the end of the Shanghai day', () => {
    expect(computeDueAt(sh('2026-02-13 10:00'), cd(3), cal)).toBe(eod('2026-02-16'));
    expect(computeDueAt(Date.UTC(2026, 1, 12, 15, 30), cd(1), cal)).toBe(eod('2026-02-13')); // 2-12 23:30
    expect(computeDueAt(Date.UTC(2026, 1, 12, 16, 30), cd(1), cal)).toBe(eod('2026-02-14')); // 2-13 00:30
    expect(computeDueAt(sh('2026-12-30 10:00'), cd(15), cal)).toBe(eod('2027-01-14')); // no calendar needed
  });

  it('day amounts must be integers; amounts must be positive', () => {
    const start = sh('2026-02-13 10:00');
    expect(codeOf(() => computeDueAt(start, wd(1.5), cal))).toBe('invalid-input');
    expect(codeOf(() => computeDueAt(start, cd(0.5), cal))).toBe('invalid-input');
    expect(codeOf(() => computeDueAt(start, wd(0), cal))).toBe('invalid-input');
    expect(codeOf(() => computeDueAt(start, hours(-1), cal))).toBe('invalid-input');
    expect(codeOf(() => computeDueAt(start, hours(Number.NaN), cal))).toBe('invalid-input');
    expect(codeOf(() => computeDueAt(Number.NaN, hours(1), cal))).toBe('invalid-input');
    expect(codeOf(() => computeDueAt(start, { amount: 1, unit: 'weeks' } as unknown as Span, cal))).toBe(
      'invalid-input',
    );
  });
});

describe('computeDueAt — missing years', () => {
  const cal2027 = cal.withYear({ year: 2027, holidays: ['2027-01-01'], makeUpWorkdays: [] });

  it('throws calendar-year-missing when counting reaches 2027', () => {
    expect(codeOf(() => computeDueAt(sh('2026-12-31 10:00'), wd(2), cal))).toBe('calendar-year-missing');
    expect(codeOf(() => computeDueAt(sh('2027-03-01 10:00'), wd(1), cal))).toBe('calendar-year-missing');
  });

  it('does not throw when the count stays inside 2026', () => {
    expect(computeDueAt(sh('2026-12-28 10:00'), wd(2), cal)).toBe(eod('2026-12-30'));
  });

  it('works once the operator loads 2027', () => {
    // Thu 12-31: Fri 1-1 holiday, weekend, Mon 1-4, Tue 1-5.
    expect(computeDueAt(sh('2026-12-31 10:00'), wd(2), cal2027)).toBe(eod('2027-01-05'));
    expect(computeDueAt(sh('2027-03-01 10:00'), wd(1), cal2027)).toBe(eod('2027-03-02'));
  });
});

describe('extendByPause', () => {
  const due = eod('2026-02-27'); // Fri

  it('moves the deadline by the whole working days paused', () => {
    // Paused 2-24 09:00 .. 2-26 15:00 → whole paused working days 2-24, 2-25 → +2: Sat 2-28 (make-up), Mon 3-2.
    expect(extendByPause(due, sh('2026-02-24 09:00'), sh('2026-02-26 15:00'), cal)).toBe(eod('2026-03-02'));
  });

  it('a pause within one day moves nothing', () => {
    expect(extendByPause(due, sh('2026-02-24 09:00'), sh('2026-02-24 17:00'), cal)).toBe(due);
    expect(extendByPause(due, sh('2026-02-24 09:00'), sh('2026-02-24 09:00'), cal)).toBe(due);
  });

  it('holidays inside the pause are not counted', () => {
    // 2-14 (make-up Sat) .. 2-24: of 2-14..2-23 only 2-14 is a working day → +1 → Sat 2-28.
    expect(extendByPause(due, sh('2026-02-14 18:00'), sh('2026-02-24 08:00'), cal)).toBe(eod('2026-02-28'));
    // Entirely within the holiday → 0.
    expect(extendByPause(due, sh('2026-02-15 10:00'), sh('2026-02-23 10:00'), cal)).toBe(due);
    // 国庆: 9-30 .. 10-9 → 9-30, 10-8 → +2 after 10-9 (Fri): 10-10 (make-up Sat), 10-12.
    expect(extendByPause(eod('2026-10-09'), sh('2026-09-30 10:00'), sh('2026-10-09 10:00'), cal)).toBe(
      eod('2026-10-12'),
    );
  });

  it('keeps the due time of day for an hours-based deadline', () => {
    // Due Fri 2-13 15:00, pause Thu 2-12 .. Fri 2-13 → 1 working day (2-12) → Sat 2-14 15:00 (make-up day).
    expect(extendByPause(sh('2026-02-13 15:00'), sh('2026-02-12 10:00'), sh('2026-02-13 10:00'), cal)).toBe(
      sh('2026-02-14 15:00'),
    );
  });

  it('uses Shanghai dates for the pause bounds', () => {
    // 2-23 23:30 Shanghai (holiday) .. 2-24 00:30 Shanghai: whole days [2-23, 2-24) → 2-23 is a holiday → 0.
    expect(extendByPause(due, Date.UTC(2026, 1, 23, 15, 30), Date.UTC(2026, 1, 23, 16, 30), cal)).toBe(due);
    // 2-24 23:30 .. 2-25 00:30: [2-24, 2-25) → 1 working day.
    expect(extendByPause(due, Date.UTC(2026, 1, 24, 15, 30), Date.UTC(2026, 1, 24, 16, 30), cal)).toBe(
      eod('2026-02-28'),
    );
  });

  it('rejects a pause that ends before it starts', () => {
    expect(codeOf(() => extendByPause(due, sh('2026-02-25 10:00'), sh('2026-02-24 10:00'), cal))).toBe(
      'invalid-input',
    );
  });

  it('throws calendar-year-missing when the extension reaches 2027', () => {
    expect(
      codeOf(() => extendByPause(eod('2026-12-31'), sh('2026-12-28 10:00'), sh('2026-12-30 10:00'), cal)),
    ).toBe('calendar-year-missing');
  });
});

describe('workingDaysBetween', () => {
  it.each([
    ['2026-02-13 10:00', '2026-02-24 09:00', 2], // 2-14 (make-up), 2-24
    ['2026-02-13 10:00', '2026-02-23 23:00', 1], // only 2-14
    ['2026-02-13 10:00', '2026-02-13 18:00', 0], // same day
    ['2026-02-14 10:00', '2026-02-28 10:00', 5], // 2-24..2-27, 2-28
    ['2026-09-30 10:00', '2026-10-08 10:00', 1],
    ['2026-10-09 10:00', '2026-10-12 10:00', 2], // 10-10 (make-up), 10-12
    ['2026-09-18 10:00', '2026-09-20 08:00', 1], // Sun 9-20 is a working day
  ])('%s → %s = %d', (from, to, n) => {
    expect(workingDaysBetween(sh(from), sh(to), cal)).toBe(n);
  });

  it('is 0 when to <= from', () => {
    expect(workingDaysBetween(sh('2026-02-24 10:00'), sh('2026-02-13 10:00'), cal)).toBe(0);
    expect(workingDaysBetween(sh('2026-02-24 10:00'), sh('2026-02-24 10:00'), cal)).toBe(0);
  });

  it('uses Shanghai dates (23:30 → 00:30 crosses a day)', () => {
    // 2-12 23:30 → 2-13 00:30 Shanghai: one working day (2-13), although both are 2-12 in UTC.
    expect(workingDaysBetween(Date.UTC(2026, 1, 12, 15, 30), Date.UTC(2026, 1, 12, 16, 30), cal)).toBe(1);
  });

  it('supports "within 2 working days" windows', () => {
    const closedAt = sh('2026-02-13 10:00');
    expect(workingDaysBetween(closedAt, sh('2026-02-24 23:59'), cal) <= 2).toBe(true);
    expect(workingDaysBetween(closedAt, sh('2026-02-25 00:00'), cal) <= 2).toBe(false);
  });

  it('throws calendar-year-missing when the range reaches 2027', () => {
    expect(codeOf(() => workingDaysBetween(sh('2026-12-30 10:00'), sh('2027-01-04 10:00'), cal))).toBe(
      'calendar-year-missing',
    );
  });
});

describe('extendDeadline', () => {
  it('working days: N working days after the current due date, end of day', () => {
    expect(extendDeadline(eod('2026-02-13'), wd(2), cal)).toBe(eod('2026-02-24'));
    expect(extendDeadline(eod('2026-09-30'), wd(5), cal)).toBe(eod('2026-10-13'));
    // An hours-based due time extended by working days lands at end of day.
    expect(extendDeadline(sh('2026-02-13 15:00'), wd(1), cal)).toBe(eod('2026-02-14'));
  });

  it('calendar days and hours', () => {
    expect(extendDeadline(eod('2026-02-13'), cd(10), cal)).toBe(eod('2026-02-23'));
    expect(extendDeadline(sh('2026-02-13 15:00'), hours(48), cal)).toBe(sh('2026-02-15 15:00'));
  });

  it('validates like computeDueAt', () => {
    expect(codeOf(() => extendDeadline(eod('2026-02-13'), wd(0.5), cal))).toBe('invalid-input');
    expect(codeOf(() => extendDeadline(eod('2026-12-31'), wd(1), cal))).toBe('calendar-year-missing');
  });
});
