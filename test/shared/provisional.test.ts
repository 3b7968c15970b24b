import { WorkingCalendar, endOfShanghaiDay } from '../../shared/calendar/workingCalendar';
import { parseHolidayNotice } from '../../shared/calendar/notice';
import { extendActive, makeDeadline, pauseActive, recomputeDeadline } from '../../shared/workflow/deadlineRules';
import { profiles } from '../../shared/profiles';
import fs from 'node:fs';
import path from 'node:path';

const sh = (wall: string) => {
  const [d, t] = wall.split(' ');
  const [y, m, day] = d!.split('-').map(Number) as [number, number, number];
  const [hh, mm] = t!.split(':').map(Number) as [number, number];
  return Date.UTC(y, m - 1, day, hh - 8, mm);
};
const year2027 = parseHolidayNotice(fs.readFileSync(path.join(__dirname, 'fixtures', 'notices', 'synthetic-2027.txt'), 'utf8')).calendar;
const lenient = new WorkingCalendar([], { missingYears: 'weekends' });
const loaded = new WorkingCalendar([year2027], { missingYears: 'weekends' });
const p = profiles.hohhot;
// hohhot 16(3): the 10-working-day response window (the finish after it is platform-set).
const tenDays = p.handling.response!.normal;

describe('provisional deadlines (issue 11 §1)', () => {
  it('a strict calendar still refuses a missing year; a lenient one counts weekends only and marks the deadline', () => {
    expect(() => makeDeadline('handle', 'u', sh('2026-12-24 10:00'), tenDays, p, new WorkingCalendar())).toThrow(/2027/);
    const d = makeDeadline('handle', 'u', sh('2026-12-24 10:00'), tenDays, p, lenient);
    expect(d).toMatchObject({ provisional: true, dueAt: endOfShanghaiDay('2027-01-07') });
    expect(d.calc).toEqual({ from: sh('2026-12-24 10:00'), steps: [{ amount: 10, unit: 'workingDays' }] });
  });

  it('a deadline that stays inside a loaded year is exact and carries no chain', () => {
    const d = makeDeadline('handle', 'u', sh('2026-12-01 10:00'), tenDays, p, lenient);
    expect(d.provisional).toBeUndefined();
    expect(d.calc).toBeUndefined();
  });

  it('hours never depend on the calendar, so are never provisional', () => {
    const d = makeDeadline('emergencyResponse', 'u', sh('2026-12-31 23:00'), p.handling.emergencyResponse!, p, lenient);
    expect(d.provisional).toBeUndefined();
  });

  it('recomputing replays span, extension and pause on the loaded year', () => {
    let d = makeDeadline('handle', 'u', sh('2026-12-24 10:00'), tenDays, p, lenient);
    d = extendActive(d, { amount: 5, unit: 'workingDays' }, lenient);
    // Weekends only: 01-07 + 5 → 01-14.
    expect(d.dueAt).toBe(endOfShanghaiDay('2027-01-14'));
    d = pauseActive(d, sh('2027-01-04 09:00'), sh('2027-01-06 09:00'), lenient);
    expect(d.dueAt).toBe(endOfShanghaiDay('2027-01-18'));
    expect(d.calc!.steps).toHaveLength(3);
    const exact = recomputeDeadline(d, loaded);
    // With 2027-01-01 a holiday: 01-08, +5 → 01-15, +2 paused → 01-19.
    expect(exact).toMatchObject({ dueAt: endOfShanghaiDay('2027-01-19') });
    expect(exact.provisional).toBeUndefined();
    expect(exact.calc).toBeUndefined();
  });

  it('an exact deadline extended into a missing year becomes provisional from its own due instant', () => {
    const d = makeDeadline('handle', 'u', sh('2026-12-10 10:00'), tenDays, p, lenient);
    expect(d).toMatchObject({ dueAt: endOfShanghaiDay('2026-12-24') });
    expect(d.provisional).toBeUndefined();
    const ext = extendActive(d, { amount: 10, unit: 'workingDays' }, lenient);
    expect(ext.provisional).toBe(true);
    expect(ext.calc).toEqual({ from: d.dueAt, steps: [{ amount: 10, unit: 'workingDays' }] });
  });
});
