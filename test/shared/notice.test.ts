import fs from 'node:fs';
import path from 'node:path';
import chineseDaysData from 'chinese-days/dist/chinese-days.json';
import { DomainError } from '../../shared/errors';
import { WorkingCalendar, addCalendarDays, type CalendarYear } from '../../shared/calendar/workingCalendar';
import { assertCompleteYear, missingFestivals, parseHolidayNotice } from '../../shared/calendar/notice';

const FIXTURES = path.join(__dirname, 'fixtures', 'notices');
const notice = (year: number) => fs.readFileSync(path.join(FIXTURES, `${year}.txt`), 'utf8');

function codeOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return { code: (e as DomainError).code, message: (e as DomainError).message };
  }
  throw new Error('expected a DomainError');
}

const table = chineseDaysData as unknown as { holidays: Record<string, string>; workdays: Record<string, string> };
const chineseDaysYear = (year: number): CalendarYear => ({
  year,
  holidays: Object.keys(table.holidays).filter((d) => d.startsWith(`${year}-`)).sort(),
  makeUpWorkdays: Object.keys(table.workdays).filter((d) => d.startsWith(`${year}-`)).sort(),
});

describe('the State Council notice parser (国务院办公厅关于YYYY年部分节假日安排的通知)', () => {
  it.each([2024, 2025, 2026])('reads the published %i notice exactly as chinese-days has the year', (year) => {
    const parsed = parseHolidayNotice(notice(year));
    expect(parsed.year).toBe(year);
    const expected = chineseDaysYear(year);
    expect(parsed.calendar.holidays).toEqual(expected.holidays);
    expect(parsed.calendar.makeUpWorkdays).toEqual(expected.makeUpWorkdays);
    expect(parsed.outsideYear).toEqual([]);
    // Day by day: the working-day status of every date agrees with the built-in calendar.
    const builtIn = new WorkingCalendar();
    const loaded = new WorkingCalendar([parsed.calendar]);
    for (let d = `${year}-01-01`; d <= `${year}-12-31`; d = addCalendarDays(d, 1)) {
      expect([d, loaded.isWorkingDay(d)]).toEqual([d, builtIn.isWorkingDay(d)]);
    }
  });

  it('names every festival of each item for the confirmation preview', () => {
    const p = parseHolidayNotice(notice(2025));
    expect(p.festivals.map((f) => f.names.join('、'))).toEqual(['元旦', '春节', '清明节', '劳动节', '端午节', '国庆节、中秋节']);
    expect(p.festivals[1]).toMatchObject({ holidays: ['2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31', '2025-02-01', '2025-02-02', '2025-02-03', '2025-02-04'], makeUpWorkdays: ['2025-01-26', '2025-02-08'] });
    // 2024: "在除夕（2月9日）休息" is encouraged rest, not a day off.
    expect(parseHolidayNotice(notice(2024)).calendar.holidays).not.toContain('2024-02-09');
  });

  it('reads full-width digits and a 元旦 that starts in the previous December', () => {
    const text = notice(2026)
      .replace('一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。', '一、元旦：2025年12月31日（周三）至2026年1月3日（周六）放假调休，共4天。1月4日（周日）上班。')
      .replace('5月9日', '５月９日');
    const p = parseHolidayNotice(text);
    expect(p.outsideYear).toEqual(['2025-12-31']);
    expect(p.calendar.holidays.slice(0, 3)).toEqual(['2026-01-01', '2026-01-02', '2026-01-03']);
    expect(p.calendar.makeUpWorkdays).toContain('2026-05-09');
  });

  it('refuses a notice with only 元旦 (a partial year would treat every later holiday as a working day)', () => {
    const lines = notice(2026).split('\n');
    const partial = lines.filter((l) => !/^[二三四五六七]、/.test(l)).join('\n');
    const r = codeOf(() => parseHolidayNotice(partial));
    expect(r.code).toBe('calendar-incomplete');
    expect(r.message).toContain('春节、清明节、劳动节、端午节、中秋节、国庆节');
  });

  it.each([
    ['no title', (t: string) => t.replace(/^国务院办公厅关于2026年部分节假日安排的通知/, '通知')],
    ['a mistyped date (the weekday in brackets disagrees)', (t: string) => t.replace('6月19日（周五）', '6月18日（周五）')],
    ['a day count that disagrees with the range', (t: string) => t.replace('共9天', '共8天')],
    ['a clause with a date it cannot classify', (t: string) => t.replace('5月9日（周六）上班', '5月9日（周六）另行通知')],
    ['an unknown festival', (t: string) => t.replace('五、端午节：', '五、龙舟节：')],
    ['items out of order', (t: string) => t.replace('三、清明节', '四、清明节')],
    ['empty text', () => '   '],
    ['unrelated text', () => '关于2026年部分节假日安排的通知\n今天天气很好。'],
  ])('refuses %s with calendar-notice-unparsed', (_label, edit) => {
    expect(codeOf(() => parseHolidayNotice(edit(notice(2026)))).code).toBe('calendar-notice-unparsed');
  });
});

describe('completeness of a year however it is entered', () => {
  it('every chinese-days year since the 2008 arrangement passes the festival check', () => {
    for (let y = 2008; y <= 2026; y++) expect([y, missingFestivals(chineseDaysYear(y))]).toEqual([y, []]);
  });

  it('a year with only 元旦 is refused with calendar-incomplete, naming what is missing', () => {
    const r = codeOf(() => assertCompleteYear({ year: 2027, holidays: ['2027-01-01'], makeUpWorkdays: [] }));
    expect(r.code).toBe('calendar-incomplete');
    expect(r.message).toContain('春节');
    expect(r.message).toContain('国庆节');
  });
});
