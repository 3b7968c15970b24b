import chineseDaysData from 'chinese-days/dist/chinese-days.json';
import { DomainError } from '../../shared/errors';
import {
  WorkingCalendar,
  addCalendarDays,
  builtInCalendarYears,
  calendarYearSchema,
  endOfShanghaiDay,
  formatShanghai,
  formatShanghaiDate,
  parseCalendarYear,
  shanghaiDateOf,
  startOfShanghaiDay,
  type CalendarYear,
} from '../../shared/calendar/workingCalendar';

/** Runs `fn` and returns the DomainError code it throws (fails the test if it does not throw one). */
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

const YEAR_2027: CalendarYear = {
  year: 2027,
  // A fixture, not the real 2027 arrangement: New Year's Day on Friday 2027-01-01.
  holidays: ['2027-01-01'],
  makeUpWorkdays: [],
};

describe('built-in data (chinese-days 1.5.7)', () => {
  it('covers exactly the years present in its holiday table: 2004–2026', () => {
    const tableYears = [...new Set(Object.keys(chineseDaysData.holidays).map((d) => Number(d.slice(0, 4))))].sort((a, b) => a - b);
    const expected = Array.from({ length: 23 }, (_, i) => 2004 + i);
    expect(tableYears).toEqual(expected);
    expect(builtInCalendarYears()).toEqual(expected);
    expect(cal.years()).toEqual(expected);
    expect(cal.hasYear(2026)).toBe(true);
    expect(cal.hasYear(2003)).toBe(false);
    expect(cal.hasYear(2027)).toBe(false);
  });

  it('has the 2026 Spring Festival and National Day arrangement we rely on', () => {
    const holidays2026 = Object.keys(chineseDaysData.holidays).filter((d) => d.startsWith('2026-'));
    const workdays2026 = Object.keys(chineseDaysData.workdays).filter((d) => d.startsWith('2026-'));
    for (let day = 15; day <= 23; day++) expect(holidays2026).toContain(`2026-02-${day}`);
    for (let day = 1; day <= 7; day++) expect(holidays2026).toContain(`2026-10-0${day}`);
    expect(workdays2026).toEqual(
      expect.arrayContaining(['2026-02-14', '2026-02-28', '2026-09-20', '2026-10-10']),
    );
  });

  // The day-by-day cross-check against chinese-days' own isWorkday runs in calendar.tz.test.ts under a
  // fixed TZ: chinese-days builds its runtime table TZ-dependently and it is off by a day west of UTC.
});

describe('isWorkingDay, 2026', () => {
  it.each([
    ['2026-02-13', true], // Fri before the Spring Festival
    ['2026-02-14', true], // Sat, make-up workday
    ['2026-02-15', false], // Sun, 春节
    ['2026-02-16', false], // Mon, 春节
    ['2026-02-23', false], // Mon, last day of 春节
    ['2026-02-24', true], // Tue
    ['2026-02-28', true], // Sat, make-up workday
    ['2026-03-01', false], // ordinary Sunday
    ['2026-09-19', false], // ordinary Saturday
    ['2026-09-20', true], // Sun, make-up workday for 国庆
    ['2026-09-25', false], // Fri, 中秋
    ['2026-10-01', false], // Thu, 国庆
    ['2026-10-07', false], // Wed, 国庆
    ['2026-10-08', true], // Thu
    ['2026-10-10', true], // Sat, make-up workday
    ['2026-10-11', false], // ordinary Sunday
  ])('%s → %s', (date, expected) => {
    expect(cal.isWorkingDay(date)).toBe(expected);
  });

  it('rejects malformed dates with invalid-input', () => {
    expect(codeOf(() => cal.isWorkingDay('2026-02-30'))).toBe('invalid-input');
    expect(codeOf(() => cal.isWorkingDay('2026-2-3'))).toBe('invalid-input');
    expect(codeOf(() => cal.isWorkingDay('2026/02/03'))).toBe('invalid-input');
  });
});

describe('years without data', () => {
  it('throws calendar-year-missing for 2027, naming the year', () => {
    let err: unknown;
    try {
      cal.isWorkingDay('2027-03-01');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('calendar-year-missing');
    expect((err as DomainError).message).toBe('缺少2027年的节假日安排，请管理员先导入该年度日历');
    expect((err as DomainError).details).toEqual({ year: 2027 });
  });

  it('throws for years before the data too', () => {
    expect(codeOf(() => cal.isWorkingDay('2003-06-02'))).toBe('calendar-year-missing');
  });

  it('works after withYear, without changing the original calendar', () => {
    const cal2027 = cal.withYear(YEAR_2027);
    expect(cal2027.hasYear(2027)).toBe(true);
    expect(cal2027.years()).toContain(2027);
    expect(cal2027.isWorkingDay('2027-01-01')).toBe(false); // holiday (Fri)
    expect(cal2027.isWorkingDay('2027-01-02')).toBe(false); // Sat
    expect(cal2027.isWorkingDay('2027-01-04')).toBe(true); // Mon
    expect(cal2027.isWorkingDay('2026-02-14')).toBe(true); // built-in data still there
    expect(cal.hasYear(2027)).toBe(false);
    expect(codeOf(() => cal.isWorkingDay('2027-01-04'))).toBe('calendar-year-missing');
    expect(codeOf(() => cal2027.isWorkingDay('2028-01-04'))).toBe('calendar-year-missing');
  });

  it('accepts extra years in the constructor, and an operator year overrides a built-in one', () => {
    expect(new WorkingCalendar([YEAR_2027]).isWorkingDay('2027-01-04')).toBe(true);
    const overridden = cal.withYear({ year: 2026, holidays: ['2026-02-17'], makeUpWorkdays: ['2026-03-01'] });
    expect(overridden.isWorkingDay('2026-02-16')).toBe(true); // no longer 春节
    expect(overridden.isWorkingDay('2026-02-17')).toBe(false);
    expect(overridden.isWorkingDay('2026-02-14')).toBe(false); // ordinary Saturday now
    expect(overridden.isWorkingDay('2026-03-01')).toBe(true);
    expect(cal.isWorkingDay('2026-02-16')).toBe(false);
    // Later entries win.
    const twice = new WorkingCalendar([YEAR_2027, { year: 2027, holidays: [], makeUpWorkdays: [] }]);
    expect(twice.isWorkingDay('2027-01-01')).toBe(true);
  });
});

describe('CalendarYear validation', () => {
  const bad: Array<[string, unknown]> = [
    ['impossible date', { year: 2027, holidays: ['2027-02-30'], makeUpWorkdays: [] }],
    ['date outside the year', { year: 2027, holidays: ['2026-12-31'], makeUpWorkdays: [] }],
    ['make-up day outside the year', { year: 2027, holidays: [], makeUpWorkdays: ['2028-01-01'] }],
    ['wrong format', { year: 2027, holidays: ['2027/01/01'], makeUpWorkdays: [] }],
    ['not a string', { year: 2027, holidays: [20270101], makeUpWorkdays: [] }],
    ['year too early', { year: 1999, holidays: [], makeUpWorkdays: [] }],
    ['year too late', { year: 2101, holidays: [], makeUpWorkdays: [] }],
    ['fractional year', { year: 2027.5, holidays: [], makeUpWorkdays: [] }],
    ['missing lists', { year: 2027 }],
    ['both holiday and make-up day', { year: 2027, holidays: ['2027-01-02'], makeUpWorkdays: ['2027-01-02'] }],
    ['make-up day on a weekday', { year: 2027, holidays: [], makeUpWorkdays: ['2027-01-04'] }],
  ];

  it.each(bad)('withYear rejects %s with calendar-invalid', (_label, input) => {
    expect(codeOf(() => cal.withYear(input as CalendarYear))).toBe('calendar-invalid');
    expect(codeOf(() => new WorkingCalendar([input as CalendarYear]))).toBe('calendar-invalid');
    expect(codeOf(() => parseCalendarYear(input))).toBe('calendar-invalid');
    expect(calendarYearSchema.safeParse(input).success).toBe(false);
  });

  it('accepts a well-formed year (leap day included)', () => {
    const y = { year: 2028, holidays: ['2028-01-01', '2028-02-29'], makeUpWorkdays: ['2028-01-08'] };
    expect(parseCalendarYear(y)).toEqual(y);
    expect(calendarYearSchema.safeParse(y).success).toBe(true);
  });

  it('rejects 29 February in a non-leap year', () => {
    expect(codeOf(() => parseCalendarYear({ year: 2027, holidays: ['2027-02-29'], makeUpWorkdays: [] }))).toBe(
      'calendar-invalid',
    );
  });
});

describe('Shanghai date helpers', () => {
  it('shanghaiDateOf uses UTC+8', () => {
    expect(shanghaiDateOf(Date.UTC(2026, 1, 12, 15, 30))).toBe('2026-02-12'); // 23:30 Shanghai
    expect(shanghaiDateOf(Date.UTC(2026, 1, 12, 16, 30))).toBe('2026-02-13'); // 00:30 Shanghai
    expect(shanghaiDateOf(Date.UTC(2026, 1, 12, 16, 0) - 1)).toBe('2026-02-12');
    expect(shanghaiDateOf(Date.UTC(2026, 1, 12, 16, 0))).toBe('2026-02-13');
    expect(shanghaiDateOf(Date.UTC(2026, 11, 31, 16, 0))).toBe('2027-01-01');
  });

  it('start and end of a Shanghai day', () => {
    expect(startOfShanghaiDay('2026-02-13')).toBe(Date.UTC(2026, 1, 12, 16, 0, 0, 0));
    expect(endOfShanghaiDay('2026-02-13')).toBe(Date.UTC(2026, 1, 13, 15, 59, 59, 999));
    expect(shanghaiDateOf(startOfShanghaiDay('2026-10-01'))).toBe('2026-10-01');
    expect(shanghaiDateOf(endOfShanghaiDay('2026-10-01'))).toBe('2026-10-01');
    expect(codeOf(() => startOfShanghaiDay('2026-13-01'))).toBe('invalid-input');
  });

  it('addCalendarDays', () => {
    expect(addCalendarDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addCalendarDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addCalendarDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addCalendarDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addCalendarDays('2026-02-13', 0)).toBe('2026-02-13');
    expect(addCalendarDays('2026-01-01', 365)).toBe('2027-01-01');
    expect(codeOf(() => addCalendarDays('2026-02-13', 1.5))).toBe('invalid-input');
  });

  it('formats for WeChat subscription messages', () => {
    expect(formatShanghai(Date.UTC(2026, 10, 21, 7, 1))).toBe('2026年11月21日 15:01');
    expect(formatShanghai(Date.UTC(2026, 1, 12, 16, 5))).toBe('2026年2月13日 00:05');
    expect(formatShanghai(Date.UTC(2026, 1, 12, 15, 30))).toBe('2026年2月12日 23:30');
    expect(formatShanghaiDate(Date.UTC(2026, 10, 21, 7, 1))).toBe('2026年11月21日');
    expect(formatShanghaiDate(Date.UTC(2026, 11, 31, 16, 0))).toBe('2027年1月1日');
    expect(codeOf(() => formatShanghai(Number.NaN))).toBe('invalid-input');
  });
});

describe('WorkingCalendar day counting', () => {
  it('addWorkingDays never counts the start date', () => {
    expect(cal.addWorkingDays('2026-02-13', 1)).toBe('2026-02-14');
    expect(cal.addWorkingDays('2026-02-14', 1)).toBe('2026-02-24');
    expect(cal.addWorkingDays('2026-09-30', 1)).toBe('2026-10-08');
    expect(codeOf(() => cal.addWorkingDays('2026-02-13', 0))).toBe('invalid-input');
    expect(codeOf(() => cal.addWorkingDays('2026-02-13', 1.5))).toBe('invalid-input');
  });

  it('countWorkingDaysAfter counts (from, to]', () => {
    expect(cal.countWorkingDaysAfter('2026-02-13', '2026-02-24')).toBe(2);
    expect(cal.countWorkingDaysAfter('2026-02-13', '2026-02-13')).toBe(0);
    expect(cal.countWorkingDaysAfter('2026-02-24', '2026-02-13')).toBe(0);
  });
});
