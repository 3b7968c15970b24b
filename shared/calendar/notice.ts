import { DomainError } from '../errors';
import { addCalendarDays, calendarDaysBetween, isValidDateString, parseCalendarYear, type CalendarYear } from './workingCalendar';

/**
 * The State Council's yearly notice (国务院办公厅关于YYYY年部分节假日安排的通知), pasted as text,
 * read into one CalendarYear. The reader is strict: it accepts the notice only when it understands
 * all of it, and refuses with DomainError('calendar-notice-unparsed') naming what it could not read.
 *
 * What it reads (the form every notice since 2008 uses):
 * - the year, from the title "关于YYYY年部分节假日安排的通知";
 * - one numbered item per festival, "一、元旦：…。", "六、国庆节、中秋节：…。";
 * - in each item, the days off: "M月D日放假", "M月D日至D日放假调休，共N天",
 *   "M月D日至M月D日放假", with an optional "YYYY年" before a month (a 元旦 that starts in December);
 *   "共N天" / "放假N天" must equal the counted range;
 * - the make-up working days: "M月D日（周日）、M月D日（周六）上班";
 * - a weekday in brackets after a date ("（周三）", "（星期日）", "（农历除夕、周二）") must be that
 *   date's weekday, which catches a mistyped date.
 * Clauses without a date ("不调休", "与周末连休", "鼓励各单位…安排职工在除夕休息") are read as
 * remarks; a clause with a date that is neither a day off nor a working day is refused.
 * The result must name all seven festivals (元旦、春节、清明节、劳动节、端午节、中秋节、国庆节) and pass
 * `missingFestivals`: a partial notice is refused, never loaded.
 */

export const FESTIVALS = ['元旦', '春节', '清明节', '劳动节', '端午节', '中秋节', '国庆节'] as const;
export type Festival = (typeof FESTIVALS)[number];

export interface NoticeFestival {
  names: Festival[];
  /** Days off of this item inside the notice's year, 'YYYY-MM-DD', ascending. */
  holidays: string[];
  makeUpWorkdays: string[];
  /** The item as printed, for the operator's confirmation. */
  text: string;
}

export interface ParsedNotice {
  year: number;
  festivals: NoticeFestival[];
  /** The year as the calendar stores it. */
  calendar: CalendarYear;
  /** Dates the notice names in another year (e.g. 2022-12-31 in the 2023 notice); not loaded. */
  outsideYear: string[];
}

const unparsed = (message: string) => new DomainError('calendar-notice-unparsed', `无法完整识别节假日安排通知：${message}`);
const incomplete = (message: string) => new DomainError('calendar-incomplete', message);

const CN_NUM: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };
const WEEKDAY: Record<string, number> = { 日: 0, 天: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6 };

function cnNumber(s: string): number {
  if (s === '十') return 10;
  if (s.length === 2 && s[0] === '十') return 10 + (CN_NUM[s[1]!] ?? NaN);
  return s.length === 1 ? CN_NUM[s] ?? NaN : NaN;
}

/** Full-width digits and punctuation variants into one form; line breaks kept. */
function normalise(text: string): string {
  return text
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xff10 + 48))
    .replace(/\(/g, '（')
    .replace(/\)/g, '）')
    .replace(/:/g, '：')
    .replace(/,/g, '，')
    .replace(/;/g, '；')
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\u3000\u00a0]+/g, '');
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function weekdayOf(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

interface DateToken {
  date: string;
  index: number;
  end: number;
}

/**
 * Dates in a clause, in order. "M月D日", "YYYY年M月D日", and after "至" a bare "D日" continuing the
 * previous month. A bracket after a date is checked for a weekday.
 */
function datesIn(clause: string, year: number, where: string): { tokens: DateToken[]; ranges: [number, number][] } {
  const re = /(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日(?:（([^）]*)）)?/g;
  const tokens: DateToken[] = [];
  const ranges: [number, number][] = [];
  let lastYear = year;
  let lastMonth: number | null = null;
  for (let m = re.exec(clause); m; m = re.exec(clause)) {
    const before = clause.slice(0, m.index);
    const continues = /至$/.test(before);
    if (m[2] === undefined && !(continues && lastMonth !== null)) throw unparsed(`${where}：看不懂“${m[0]}”（缺少月份）`);
    const y = m[1] !== undefined ? Number(m[1]) : lastYear;
    const mon: number = m[2] !== undefined ? Number(m[2]) : lastMonth!;
    const date = `${y}-${pad(mon)}-${pad(Number(m[3]))}`;
    if (!isValidDateString(date)) throw unparsed(`${where}：日期“${m[0]}”不存在`);
    const bracket = m[4];
    if (bracket) {
      const wd = /(?:周|星期)([一二三四五六日天])/.exec(bracket);
      if (wd && WEEKDAY[wd[1]!] !== weekdayOf(date)) throw unparsed(`${where}：${date}不是${wd[0]}，请核对日期`);
    }
    if (continues && tokens.length) ranges.push([tokens.length - 1, tokens.length]);
    tokens.push({ date, index: m.index, end: m.index + m[0].length });
    lastYear = y;
    lastMonth = mon;
  }
  return { tokens, ranges };
}

function expand(from: string, to: string, where: string): string[] {
  const n = calendarDaysBetween(from, to);
  if (n < 0 || n > 15) throw unparsed(`${where}：放假区间 ${from} 至 ${to} 不合理`);
  return Array.from({ length: n + 1 }, (_, i) => addCalendarDays(from, i));
}

function parseItem(body: string, year: number, where: string): { holidays: string[]; makeUp: string[] } {
  // A bracket that does not follow a date is a remark ("在除夕（2月9日）休息"): drop it.
  const cleaned = body.replace(/(?<!日)（[^）]*）/g, '');
  const clauses = cleaned.split(/[，。；]/).filter((c) => c.length > 0);
  const holidays: string[] = [];
  const makeUp: string[] = [];
  let lastRange: string[] | null = null;
  let counted = false;
  for (const clause of clauses) {
    const { tokens, ranges } = datesIn(clause, year, where);
    const total = /^(?:共|放假)(\d{1,2})天/.exec(clause) ?? /放假(\d{1,2})天/.exec(clause);
    if (tokens.length === 0) {
      if (total) {
        if (!lastRange) throw unparsed(`${where}：“${clause}”前没有放假日期`);
        if (Number(total[1]) !== lastRange.length) throw unparsed(`${where}：写明共${total[1]}天，但日期区间是${lastRange.length}天`);
        counted = true;
      }
      continue; // a remark: 不调休, 与周末连休, 鼓励…
    }
    const offAt = clause.indexOf('放假');
    const workAt = clause.indexOf('上班');
    if (offAt >= 0 && workAt < 0) {
      if (tokens.some((t) => t.index > offAt)) throw unparsed(`${where}：“${clause}”的日期写法看不懂`);
      let days: string[];
      if (tokens.length === 1) days = [tokens[0]!.date];
      else if (tokens.length === 2 && ranges.length === 1) days = expand(tokens[0]!.date, tokens[1]!.date, where);
      else throw unparsed(`${where}：“${clause}”的放假日期看不懂`);
      const between = clause.slice(tokens[tokens.length - 1]!.end, offAt);
      if (between.length > 0) throw unparsed(`${where}：“${clause}”的放假日期看不懂`);
      holidays.push(...days);
      lastRange = days;
      counted = false;
      if (total) {
        if (Number(total[1]) !== days.length) throw unparsed(`${where}：写明放假${total[1]}天，但日期区间是${days.length}天`);
        counted = true;
      }
    } else if (workAt >= 0 && offAt < 0) {
      if (ranges.length) throw unparsed(`${where}：上班日期须逐日列出`);
      const rest = clause.slice(0, workAt).replace(/(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日(?:（[^）]*）)?/g, '').replace(/[、和及]/g, '');
      if (rest.length > 0) throw unparsed(`${where}：“${clause}”的上班日期看不懂`);
      makeUp.push(...tokens.map((t) => t.date));
    } else {
      throw unparsed(`${where}：“${clause}”既不是放假安排也不是上班安排`);
    }
  }
  if (holidays.length === 0) throw unparsed(`${where}：没有找到放假日期`);
  void counted;
  return { holidays, makeUp };
}

/** Reads the pasted notice; throws calendar-notice-unparsed or calendar-incomplete. */
export function parseHolidayNotice(text: string): ParsedNotice {
  if (typeof text !== 'string' || text.trim().length === 0) throw unparsed('内容为空');
  const norm = normalise(text);
  const title = /关于(\d{4})年部分节假日安排的通知/.exec(norm);
  if (!title) throw unparsed('没有找到标题“国务院办公厅关于YYYY年部分节假日安排的通知”');
  const year = Number(title[1]);
  const lines = norm.split('\n').filter((l) => l.length > 0);
  const items: { n: number; names: string; body: string; line: string }[] = [];
  for (const line of lines) {
    const m = /^([一二三四五六七八九十]{1,2})、([^：]{1,20})：(.+)$/.exec(line);
    if (m) items.push({ n: cnNumber(m[1]!), names: m[2]!, body: m[3]!, line });
  }
  if (items.length === 0) throw unparsed('没有找到“一、元旦：…”这样的分项安排');
  items.forEach((it, i) => {
    if (it.n !== i + 1) throw unparsed(`分项编号不连续（第${i + 1}项写成了“${it.line.slice(0, 4)}”）`);
  });
  const festivals: NoticeFestival[] = [];
  const seen = new Set<Festival>();
  const all = new Set<string>();
  const makeUpAll = new Set<string>();
  const outside = new Set<string>();
  for (const it of items) {
    const names = it.names.split(/[、和]/).map((s) => s.trim());
    for (const name of names) {
      if (!(FESTIVALS as readonly string[]).includes(name)) throw unparsed(`第${it.n}项的节日“${name}”不认识`);
      if (seen.has(name as Festival)) throw unparsed(`“${name}”出现了两次`);
      seen.add(name as Festival);
    }
    const where = `第${it.n}项（${it.names}）`;
    const { holidays, makeUp } = parseItem(it.body, year, where);
    const inYear = (d: string) => d.startsWith(`${year}-`);
    for (const d of [...holidays, ...makeUp]) if (!inYear(d)) outside.add(d);
    for (const d of holidays.filter(inYear)) {
      if (all.has(d)) throw unparsed(`${d}在两项中都列为放假`);
      all.add(d);
    }
    for (const d of makeUp.filter(inYear)) makeUpAll.add(d);
    festivals.push({ names: names as Festival[], holidays: holidays.filter(inYear).sort(), makeUpWorkdays: makeUp.filter(inYear).sort(), text: it.line });
  }
  const missing = FESTIVALS.filter((f) => !seen.has(f));
  if (missing.length) throw incomplete(`通知缺少${missing.join('、')}的放假安排，不能只导入一部分（否则其余节日会被当作工作日）`);
  const calendar = parseCalendarYear({ year, holidays: [...all].sort(), makeUpWorkdays: [...makeUpAll].sort() });
  assertCompleteYear(calendar);
  return { year, festivals, calendar, outsideYear: [...outside].sort() };
}

// ---------------------------------------------------------------------------------------------
// Completeness of a year's data, however it was entered
// ---------------------------------------------------------------------------------------------

/**
 * Where each festival's days off must fall (month-day windows; the lunar festivals move within
 * them) and how many listed days off it needs at least. A year that misses one was entered only in
 * part. The windows hold for every year since the 2008 arrangement (checked against chinese-days
 * for 2008–2026 in test/shared/notice.test.ts); earlier years had no 清明/端午/中秋 holidays.
 */
const FESTIVAL_WINDOWS: { name: Festival; from: string; to: string; min: number }[] = [
  { name: '元旦', from: '01-01', to: '01-03', min: 1 },
  { name: '春节', from: '01-20', to: '02-25', min: 3 },
  { name: '清明节', from: '04-02', to: '04-07', min: 1 },
  { name: '劳动节', from: '04-29', to: '05-06', min: 1 },
  { name: '端午节', from: '05-28', to: '06-26', min: 1 },
  { name: '中秋节', from: '09-06', to: '10-08', min: 1 },
  { name: '国庆节', from: '10-01', to: '10-08', min: 3 },
];

/** The festivals a year's data has no days off for (empty when the year is complete). */
export function missingFestivals(y: CalendarYear): Festival[] {
  return FESTIVAL_WINDOWS.filter((w) => {
    const from = `${y.year}-${w.from}`;
    const to = `${y.year}-${w.to}`;
    return y.holidays.filter((d) => d >= from && d <= to).length < w.min;
  }).map((w) => w.name);
}

/** Refuses a partial year with calendar-incomplete, naming the festivals it lacks. */
export function assertCompleteYear(y: CalendarYear): void {
  const missing = missingFestivals(y);
  if (missing.length) {
    throw incomplete(`${y.year}年的节假日安排缺少${missing.join('、')}，不能只导入一部分（否则其余节日会被当作工作日）`);
  }
}
