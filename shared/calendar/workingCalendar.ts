import { z } from 'zod';
import chineseDaysData from 'chinese-days/dist/chinese-days.json';
import { DomainError } from '../errors';

/**
 * The State Council's working-day calendar (节假日安排 with 调休), in Asia/Shanghai.
 *
 * Rules (docs/rules.md §3, platform-notes "Calendar"):
 * - All date arithmetic is done here on 'YYYY-MM-DD' strings and epoch milliseconds with a fixed
 *   +08:00 offset (China has no DST). Only UTC getters of `Date` are used, so the process TZ
 *   never matters.
 * - Built-in data is read from the raw JSON table shipped by `chinese-days` (never through its
 *   date-string parsing, which drifts by a day under negative-offset time zones).
 * - A year the calendar does not cover is refused with `calendar-year-missing` (or, on a lenient
 *   calendar, read provisionally as Monday–Friday and marked so on every deadline); `chinese-days`
 *   itself would silently treat it as plain Monday–Friday, which would be a guess.
 */

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Asia/Shanghai is UTC+8 all year round. */
export const SHANGHAI_OFFSET_MS = 8 * HOUR_MS;

export const MIN_CALENDAR_YEAR = 2000;
export const MAX_CALENDAR_YEAR = 2100;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

// ---------------------------------------------------------------------------------------------
// Pure date helpers (epoch-day arithmetic, UTC getters only)
// ---------------------------------------------------------------------------------------------

interface Ymd {
  y: number;
  m: number;
  d: number;
}

/** Parses 'YYYY-MM-DD' strictly; returns null for a malformed or impossible date (2026-02-30). */
function tryParseYmd(date: string): Ymd | null {
  if (typeof date !== 'string') return null;
  const match = DATE_RE.exec(date);
  if (!match) return null;
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  if (m < 1 || m > 12 || d < 1) return null;
  const probe = new Date(Date.UTC(y, m - 1, d));
  // Date.UTC maps years 0..99 to 1900..1999; reject them rather than mis-read them.
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) {
    return null;
  }
  return { y, m, d };
}

function parseYmd(date: string): Ymd {
  const ymd = tryParseYmd(date);
  if (!ymd) throw new DomainError('invalid-input', `日期格式不正确：${String(date)}（应为YYYY-MM-DD）`);
  return ymd;
}

/** True for a well-formed, existing calendar date 'YYYY-MM-DD'. */
export function isValidDateString(date: string): boolean {
  return tryParseYmd(date) !== null;
}

/** Days since 1970-01-01 of a calendar date (no time zone involved). */
function epochDayOf(date: string): number {
  const { y, m, d } = parseYmd(date);
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function dateOfEpochDay(epochDay: number): string {
  const u = new Date(epochDay * DAY_MS);
  return `${String(u.getUTCFullYear()).padStart(4, '0')}-${pad2(u.getUTCMonth() + 1)}-${pad2(u.getUTCDate())}`;
}

/** 0 = Sunday … 6 = Saturday, for a calendar date. */
function weekdayOf(date: string): number {
  return new Date(epochDayOf(date) * DAY_MS).getUTCDay();
}

function assertMs(ms: number, what = '时间'): void {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) {
    throw new DomainError('invalid-input', `${what}不是有效的时间戳：${String(ms)}`);
  }
}

function assertInteger(n: number, what: string): void {
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    throw new DomainError('invalid-input', `${what}必须是整数：${String(n)}`);
  }
}

/** The Asia/Shanghai fields of an instant, read through UTC getters of the shifted instant. */
function shanghaiFields(ms: number): { y: number; m: number; d: number; hh: number; mm: number } {
  assertMs(ms);
  const u = new Date(ms + SHANGHAI_OFFSET_MS);
  return {
    y: u.getUTCFullYear(),
    m: u.getUTCMonth() + 1,
    d: u.getUTCDate(),
    hh: u.getUTCHours(),
    mm: u.getUTCMinutes(),
  };
}

/** 'YYYY-MM-DD' of the instant `ms` in Asia/Shanghai. */
export function shanghaiDateOf(ms: number): string {
  const { y, m, d } = shanghaiFields(ms);
  return `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;
}

/** 00:00:00.000 Asia/Shanghai of `date`, as epoch ms. */
export function startOfShanghaiDay(date: string): number {
  return epochDayOf(date) * DAY_MS - SHANGHAI_OFFSET_MS;
}

/** 23:59:59.999 Asia/Shanghai of `date`, as epoch ms. */
export function endOfShanghaiDay(date: string): number {
  return startOfShanghaiDay(date) + DAY_MS - 1;
}

/** `date` plus `n` calendar days (n may be negative; must be an integer). */
export function addCalendarDays(date: string, n: number): string {
  assertInteger(n, '天数');
  return dateOfEpochDay(epochDayOf(date) + n);
}

/** Number of calendar days from `from` to `to` (to − from; negative when `to` is earlier). */
export function calendarDaysBetween(from: string, to: string): number {
  return epochDayOf(to) - epochDayOf(from);
}

/** e.g. '2026年11月21日 15:01' — the WeChat subscription-message `time` format, Asia/Shanghai. */
export function formatShanghai(ms: number): string {
  const { y, m, d, hh, mm } = shanghaiFields(ms);
  return `${y}年${m}月${d}日 ${pad2(hh)}:${pad2(mm)}`;
}

/** e.g. '2026年11月21日', Asia/Shanghai. */
export function formatShanghaiDate(ms: number): string {
  const { y, m, d } = shanghaiFields(ms);
  return `${y}年${m}月${d}日`;
}

// ---------------------------------------------------------------------------------------------
// Calendar year data
// ---------------------------------------------------------------------------------------------

const dateStringSchema = z
  .string()
  .refine((s) => isValidDateString(s), { message: '日期必须是有效的YYYY-MM-DD' });

/**
 * One year's arrangement as announced by the State Council.
 * - holidays: every day off that is not an ordinary weekend day may be listed, and weekend days
 *   inside a holiday period may be listed too (they are days off either way);
 * - makeUpWorkdays: 调休 weekend days that are working days.
 * Every other day follows Monday–Friday.
 */
export const calendarYearSchema = z
  .object({
    year: z.number().int().min(MIN_CALENDAR_YEAR).max(MAX_CALENDAR_YEAR),
    holidays: z.array(dateStringSchema),
    makeUpWorkdays: z.array(dateStringSchema),
  })
  .superRefine((value, ctx) => {
    const prefix = `${value.year}-`;
    (['holidays', 'makeUpWorkdays'] as const).forEach((field) => {
      value[field].forEach((date, i) => {
        if (!date.startsWith(prefix)) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: [field, i],
            message: `${date}不在${value.year}年内`,
          });
        }
      });
    });
    const holidaySet = new Set(value.holidays);
    value.makeUpWorkdays.forEach((date, i) => {
      if (holidaySet.has(date)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['makeUpWorkdays', i],
          message: `${date}不能同时是节假日和调休上班日`,
        });
      }
      if (isValidDateString(date)) {
        const wd = weekdayOf(date);
        if (wd !== 0 && wd !== 6) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: ['makeUpWorkdays', i],
            message: `${date}不是周末，不需要列为调休上班日`,
          });
        }
      }
    });
  });
export type CalendarYear = z.infer<typeof calendarYearSchema>;

/** Validates operator input; throws DomainError('calendar-invalid') with the zod issues. */
export function parseCalendarYear(input: unknown): CalendarYear {
  const result = calendarYearSchema.safeParse(input);
  if (!result.success) {
    const first = result.error.issues[0];
    const where = first && first.path.length > 0 ? `（${first.path.join('.')}）` : '';
    throw new DomainError(
      'calendar-invalid',
      `节假日日历数据不正确${where}：${first?.message ?? ''}`,
      result.error.issues,
    );
  }
  return result.data;
}

// ---------------------------------------------------------------------------------------------
// Built-in data from chinese-days (raw table; see module comment)
// ---------------------------------------------------------------------------------------------

interface ChineseDaysTable {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

/**
 * Groups chinese-days' raw table into CalendarYears. Coverage is derived from the data: a year is
 * covered when its holiday table has entries — and, as a guard against a partially published
 * year, at least one National Day (国庆) entry, the last holiday of the year.
 */
function builtInYearsFrom(table: ChineseDaysTable): CalendarYear[] {
  const byYear = new Map<number, { holidays: string[]; makeUpWorkdays: string[]; hasNationalDay: boolean }>();
  const entry = (year: number) => {
    let e = byYear.get(year);
    if (!e) {
      e = { holidays: [], makeUpWorkdays: [], hasNationalDay: false };
      byYear.set(year, e);
    }
    return e;
  };
  for (const [date, name] of Object.entries(table.holidays)) {
    const e = entry(Number(date.slice(0, 4)));
    e.holidays.push(date);
    if (date.slice(5, 7) === '10' && String(name).includes('国庆')) e.hasNationalDay = true;
  }
  for (const date of Object.keys(table.workdays)) {
    entry(Number(date.slice(0, 4))).makeUpWorkdays.push(date);
  }
  const years: CalendarYear[] = [];
  for (const [year, e] of [...byYear.entries()].sort((a, b) => a[0] - b[0])) {
    if (e.holidays.length === 0 || !e.hasNationalDay) continue;
    years.push(parseCalendarYear({ year, holidays: e.holidays.sort(), makeUpWorkdays: e.makeUpWorkdays.sort() }));
  }
  return years;
}

const BUILT_IN_YEARS: readonly CalendarYear[] = builtInYearsFrom(chineseDaysData as unknown as ChineseDaysTable);

/** The years chinese-days covers (derived from its holiday table; 2004–2026 for 1.5.7). */
export function builtInCalendarYears(): number[] {
  return BUILT_IN_YEARS.map((y) => y.year);
}

// ---------------------------------------------------------------------------------------------
// WorkingCalendar
// ---------------------------------------------------------------------------------------------

interface YearDays {
  holidays: ReadonlySet<string>;
  makeUpWorkdays: ReadonlySet<string>;
}

function toYearDays(y: CalendarYear): YearDays {
  return { holidays: new Set(y.holidays), makeUpWorkdays: new Set(y.makeUpWorkdays) };
}

const BUILT_IN_DAYS: ReadonlyMap<number, YearDays> = new Map(BUILT_IN_YEARS.map((y) => [y.year, toYearDays(y)]));

export function calendarYearMissingMessage(year: number): string {
  return `缺少${year}年的节假日安排，请管理员先导入该年度日历`;
}

export interface WorkingCalendarOptions {
  /**
   * What a year without data does:
   * - 'refuse' (default): isWorkingDay throws DomainError('calendar-year-missing');
   * - 'weekends': Monday–Friday are working days, weekends are not. This is the provisional
   *   reading intake uses so that a request is always recorded (hohhot 2, anshan 16, linyi 9);
   *   every deadline computed this way is marked provisional (see computeDue in deadlines.ts) and
   *   recomputed when the year is loaded.
   */
  missingYears?: 'refuse' | 'weekends';
}

export class WorkingCalendar {
  private readonly extraYears: readonly CalendarYear[];
  private readonly days: ReadonlyMap<number, YearDays>;
  private readonly missingYears: 'refuse' | 'weekends';

  /**
   * Built-in years come from chinese-days; `extraYears` (loaded by an operator) add later years
   * or replace a built-in year wholesale. Later entries win over earlier ones for the same year.
   * Throws DomainError('calendar-invalid') if any extra year is malformed.
   */
  constructor(extraYears: CalendarYear[] = [], options: WorkingCalendarOptions = {}) {
    const parsed = extraYears.map((y) => parseCalendarYear(y));
    const days = new Map(BUILT_IN_DAYS);
    for (const y of parsed) days.set(y.year, toYearDays(y));
    this.extraYears = parsed;
    this.days = days;
    this.missingYears = options.missingYears ?? 'refuse';
  }

  /** True when a year without data reads as Monday–Friday instead of being refused. */
  get provisionalForMissingYears(): boolean {
    return this.missingYears === 'weekends';
  }

  /** The same data, reading years without data as Monday–Friday (provisional). */
  lenient(): WorkingCalendar {
    return new WorkingCalendar([...this.extraYears], { missingYears: 'weekends' });
  }

  /** The years in [from's year, to's year] (dates 'YYYY-MM-DD') that have no data. */
  missingYearsBetween(from: string, to: string): number[] {
    const a = parseYmd(from).y;
    const b = parseYmd(to).y;
    const out: number[] = [];
    for (let y = Math.min(a, b); y <= Math.max(a, b); y++) if (!this.days.has(y)) out.push(y);
    return out;
  }

  hasYear(year: number): boolean {
    return this.days.has(year);
  }

  /** Covered years, ascending. */
  years(): number[] {
    return [...this.days.keys()].sort((a, b) => a - b);
  }

  /** A new calendar with `y` added (or replacing that year). Validates `y`. */
  withYear(y: CalendarYear): WorkingCalendar {
    return new WorkingCalendar([...this.extraYears, parseCalendarYear(y)], { missingYears: this.missingYears });
  }

  /**
   * Whether `date` ('YYYY-MM-DD', a Shanghai calendar date) is a working day.
   * A year without data throws DomainError('calendar-year-missing'), or, on a lenient calendar, reads as Monday–Friday.
   */
  isWorkingDay(date: string): boolean {
    const { y } = parseYmd(date);
    const days = this.days.get(y);
    if (!days) {
      if (this.missingYears === 'weekends') {
        const wd = weekdayOf(date);
        return wd >= 1 && wd <= 5;
      }
      throw new DomainError('calendar-year-missing', calendarYearMissingMessage(y), { year: y });
    }
    if (days.makeUpWorkdays.has(date)) return true;
    if (days.holidays.has(date)) return false;
    const wd = weekdayOf(date);
    return wd >= 1 && wd <= 5;
  }

  /** The `n`-th working day strictly after `date` (n ≥ 1, integer). `date` itself is never counted. */
  addWorkingDays(date: string, n: number): string {
    assertInteger(n, '工作日数');
    if (n < 1) throw new DomainError('invalid-input', `工作日数必须至少为1：${n}`);
    let day = epochDayOf(date);
    let left = n;
    while (left > 0) {
      day += 1;
      if (this.isWorkingDay(dateOfEpochDay(day))) left -= 1;
    }
    return dateOfEpochDay(day);
  }

  /** Number of working days d with from < d <= to (dates, 'YYYY-MM-DD'); 0 if to <= from. */
  countWorkingDaysAfter(from: string, to: string): number {
    const start = epochDayOf(from);
    const end = epochDayOf(to);
    let count = 0;
    for (let day = start + 1; day <= end; day++) {
      if (this.isWorkingDay(dateOfEpochDay(day))) count += 1;
    }
    return count;
  }
}

// ---------------------------------------------------------------------------------------------
// Operator warning (issue 11 §1)
// ---------------------------------------------------------------------------------------------

export interface CalendarWarning {
  /** The year whose arrangement is missing. */
  year: number;
  message: string;
}

/**
 * What operators are told while a year the deadlines will soon reach is not loaded: the current
 * year at any time, and from 1 November (Asia/Shanghai) the next year. Null when nothing is missing.
 */
export function calendarWarning(nowMs: number, cal: WorkingCalendar): CalendarWarning | null {
  const { y, m } = shanghaiFields(nowMs);
  const year = !cal.hasYear(y) ? y : m >= 11 && !cal.hasYear(y + 1) ? y + 1 : null;
  if (year === null) return null;
  return {
    year,
    message: `尚未导入${year}年节假日安排：落在${year}年的办理期限暂按周末计算（标为“暂定”），导入后自动重新计算。请在 管理 → 节假日 粘贴国务院办公厅关于${year}年部分节假日安排的通知。`,
  };
}
