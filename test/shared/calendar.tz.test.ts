import { spawnSync } from 'child_process';
import path from 'path';

/**
 * The same computations must give the same answers whatever the process time zone (cloud
 * functions run in UTC; developers' machines may be anywhere). Each TZ gets a fresh Node process,
 * because V8 reads TZ at start-up.
 */

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules', '.bin', process.platform === 'win32' ? 'tsx.cmd' : 'tsx');

const SCRIPT = `
import {
  WorkingCalendar, shanghaiDateOf, startOfShanghaiDay, endOfShanghaiDay, addCalendarDays,
  formatShanghai, formatShanghaiDate,
} from './shared/calendar/workingCalendar';
import { computeDueAt, extendByPause, workingDaysBetween, extendDeadline } from './shared/calendar/deadlines';

const cal = new WorkingCalendar();
const cal2027 = cal.withYear({ year: 2027, holidays: ['2027-01-01'], makeUpWorkdays: [] });
const starts = [
  Date.UTC(2026, 1, 12, 15, 30), // 2026-02-12 23:30 Shanghai
  Date.UTC(2026, 1, 12, 16, 30), // 2026-02-13 00:30 Shanghai
  Date.UTC(2026, 1, 14, 1, 0),   // 2026-02-14 09:00 Shanghai, make-up Saturday
  Date.UTC(2026, 1, 18, 3, 0),   // 2026-02-18 holiday
  Date.UTC(2026, 8, 19, 16, 30), // 2026-09-20 00:30 Shanghai, make-up Sunday
  Date.UTC(2026, 8, 30, 15, 30), // 2026-09-30 23:30 Shanghai
  Date.UTC(2026, 8, 30, 16, 30), // 2026-10-01 00:30 Shanghai
  Date.UTC(2026, 9, 10, 2, 0),   // 2026-10-10 make-up Saturday
  Date.UTC(2026, 11, 31, 2, 0),  // 2026-12-31
];
const spans = [
  { amount: 2, unit: 'workingDays' }, { amount: 5, unit: 'workingDays' },
  { amount: 3, unit: 'calendarDays' }, { amount: 36.5, unit: 'hours' },
] as const;
function attempt(fn: () => unknown): unknown {
  try { return fn(); } catch (e) { return { error: (e as { code?: string }).code ?? String(e) }; }
}
const out: Record<string, unknown> = {
  offsetMinutes: new Date(Date.UTC(2026, 0, 15)).getTimezoneOffset(),
  results: starts.map((s) => ({
    date: shanghaiDateOf(s),
    fmt: formatShanghai(s),
    fmtDate: formatShanghaiDate(s),
    start: startOfShanghaiDay(shanghaiDateOf(s)),
    end: endOfShanghaiDay(shanghaiDateOf(s)),
    plus40: addCalendarDays(shanghaiDateOf(s), 40),
    working: attempt(() => cal.isWorkingDay(shanghaiDateOf(s))),
    due: spans.map((sp) => attempt(() => computeDueAt(s, sp, cal))),
    due2027: spans.map((sp) => attempt(() => computeDueAt(s, sp, cal2027))),
    extended: attempt(() => extendDeadline(computeDueAt(s, spans[0], cal2027), spans[1], cal2027)),
    paused: attempt(() => extendByPause(computeDueAt(s, spans[1], cal2027), s, s + 3 * 86400000, cal2027)),
    between: starts.map((t) => attempt(() => workingDaysBetween(s, t, cal))),
  })),
  year2027: attempt(() => cal.isWorkingDay('2027-01-04')),
  days: (() => {
    const r: string[] = [];
    for (let d = '2026-01-01'; d <= '2026-12-31'; d = addCalendarDays(d, 1)) if (cal.isWorkingDay(d)) r.push(d);
    return r;
  })(),
};
process.stdout.write(JSON.stringify(out));
`;

/**
 * Cross-check against chinese-days' own API for every day it covers. Run only under time zones at
 * or east of UTC: chinese-days builds its runtime holiday table TZ-dependently, and under
 * America/Los_Angeles (1.5.7) that table is shifted by a day (e.g. it calls 2026-02-14, a make-up
 * Saturday, a holiday). That is why WorkingCalendar reads the package's raw JSON instead.
 */
const CROSS_CHECK_SCRIPT = `
import { isWorkday } from 'chinese-days';
import { WorkingCalendar, addCalendarDays } from './shared/calendar/workingCalendar';
const cal = new WorkingCalendar();
const mismatches: string[] = [];
let checked = 0;
for (let d = '2004-01-01'; d <= '2026-12-31'; d = addCalendarDays(d, 1)) {
  const [y, m, day] = d.split('-').map(Number);
  // A local-time Date at noon: chinese-days reads local fields of its input.
  if (cal.isWorkingDay(d) !== isWorkday(new Date(y, m - 1, day, 12))) mismatches.push(d);
  checked++;
}
process.stdout.write(JSON.stringify({ offsetMinutes: new Date(Date.UTC(2026, 0, 15)).getTimezoneOffset(), checked, mismatches }));
`;

function runUnder(tz: string, script = SCRIPT): { offsetMinutes: number; [k: string]: unknown } {
  const res = spawnSync(TSX, ['-e', script], {
    cwd: ROOT,
    env: { ...process.env, TZ: tz },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (res.status !== 0) {
    throw new Error(`tsx under TZ=${tz} failed (${res.status}): ${res.stderr}\n${res.error ?? ''}`);
  }
  return JSON.parse(res.stdout);
}

describe('time-zone independence', () => {
  it('gives identical results under UTC, Asia/Shanghai and America/Los_Angeles', () => {
    const utc = runUnder('UTC');
    const shanghai = runUnder('Asia/Shanghai');
    const la = runUnder('America/Los_Angeles');

    // The child processes really ran in different zones.
    expect(utc.offsetMinutes).toBe(0);
    expect(shanghai.offsetMinutes).toBe(-480);
    expect(la.offsetMinutes).toBe(480);

    const strip = ({ offsetMinutes: _ignored, ...rest }: { offsetMinutes: number }) => rest;
    expect(strip(shanghai)).toEqual(strip(utc));
    expect(strip(la)).toEqual(strip(utc));

    // Spot checks, so that "identical" also means "right".
    const results = (utc as unknown as { results: Array<Record<string, unknown>> }).results;
    expect(results[0].date).toBe('2026-02-12');
    expect(results[1].date).toBe('2026-02-13');
    expect(results[0].due).toEqual([
      Date.UTC(2026, 1, 14, 15, 59, 59, 999),
      Date.UTC(2026, 1, 26, 15, 59, 59, 999),
      Date.UTC(2026, 1, 15, 15, 59, 59, 999),
      Date.UTC(2026, 1, 12, 15, 30) + 36.5 * 3_600_000,
    ]);
    expect((results[8].due as unknown[])[0]).toEqual({ error: 'calendar-year-missing' });
    expect((results[8].due2027 as unknown[])[0]).toBe(Date.UTC(2027, 0, 5, 15, 59, 59, 999));
    expect(results[6].fmt).toBe('2026年10月1日 00:30');
    expect((utc as unknown as { year2027: unknown }).year2027).toEqual({ error: 'calendar-year-missing' });
  });

  it.each(['Asia/Shanghai', 'UTC'])('agrees with chinese-days isWorkday on every day 2004–2026 (TZ=%s)', (tz) => {
    const out = runUnder(tz, CROSS_CHECK_SCRIPT);
    expect(out.checked).toBe(8401);
    expect(out.mismatches).toEqual([]);
  });
});
