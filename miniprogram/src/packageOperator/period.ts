/** Statistics periods in Asia/Shanghai: whole months, or days typed as YYYY-MM-DD. */
const OFFSET = 8 * 3_600_000;
const DAY = 86_400_000;

export interface Period {
  from: number;
  to: number;
}

function shanghai(ms: number) {
  const d = new Date(ms + OFFSET);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() };
}

/** 00:00 Shanghai on the first of the month `m` (0-based, may overflow) of year `y`. */
export function monthStart(y: number, m: number): number {
  return Date.UTC(y, m, 1) - OFFSET;
}

export function thisMonth(now: number): Period {
  const { y, m } = shanghai(now);
  return { from: monthStart(y, m), to: monthStart(y, m + 1) };
}

export function lastMonth(now: number): Period {
  const { y, m } = shanghai(now);
  return { from: monthStart(y, m - 1), to: monthStart(y, m) };
}

/** "2026-03-02" → 00:00 Shanghai of that day; null when not a real date. */
export function parseDay(s: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]) - 1, Number(m[3])];
  const t = Date.UTC(y, mo, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo || back.getUTCDate() !== d) return null;
  return t - OFFSET;
}

export function formatDay(ms: number): string {
  const d = new Date(ms + OFFSET);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
}

/** A custom period from two days, both included. */
export function customPeriod(fromDay: string, toDay: string): Period | string {
  const from = parseDay(fromDay);
  const to = parseDay(toDay);
  if (from === null || to === null) return '日期格式应为 2026-03-02';
  if (to < from) return '结束日期不能早于开始日期';
  if (to - from > 399 * DAY) return '统计区间最长400天';
  return { from, to: to + DAY };
}

/** "3/2" for a week's Monday. */
export function weekLabel(ms: number): string {
  const d = new Date(ms + OFFSET);
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}`;
}
