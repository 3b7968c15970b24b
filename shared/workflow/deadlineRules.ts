import type { Deadline, DeadlineKind, Ticket } from '../contracts/ticket';
import type { DeadlineRule, PolicyProfile, Span } from '../profiles/schema';
import { computeDueAt, extendByPause } from '../calendar/deadlines';
import { shanghaiDateOf, type WorkingCalendar } from '../calendar/workingCalendar';
import { deadlineBasis } from './deadlineBasis';
export { deadlineBasis, provisionalNote } from './deadlineBasis';

/** "2个工作日", "24小时", "5日": how a span reads in Chinese. */
export function formatSpan(span: Span): string {
  switch (span.unit) {
    case 'hours':
      return `${span.amount}小时`;
    case 'workingDays':
      return `${span.amount}个工作日`;
    case 'calendarDays':
      return span.amount === 0 ? '当日' : `${span.amount}日`;
    case 'calendarMonths':
      return `${span.amount}个月`;
  }
}

/** The handling rule for a ticket: utilities and emergencies first, then type × urgency. */
export function handlingRule(profile: PolicyProfile, t: Pick<Ticket, 'type' | 'urgency' | 'utilities'>): DeadlineRule {
  if (t.utilities && profile.handling.utilities) return profile.handling.utilities.rule;
  const byType = profile.handling.deadlines[t.type];
  const rule = byType?.[t.urgency] ?? byType?.normal;
  if (!rule) throw new Error(`profile ${profile.id} has no deadline for ${t.type}/${t.urgency}`);
  return rule;
}

/**
 * The response window a ticket gets at a unit, and its kind: an emergency response (hohhot 16(1),
 * pingli 22; region-wide outages where the regulation counts them as emergencies, pingli 22(1)(1)),
 * or a plain response where the article's window is met by finishing or reporting progress (hohhot
 * 16(2) utilities, 16(3) other matters). null where the handling deadline is the only one.
 */
export function responseRule(profile: PolicyProfile, t: Pick<Ticket, 'urgency' | 'utilities'>): { kind: 'emergencyResponse' | 'response'; rule: DeadlineRule } | null {
  const h = profile.handling;
  if (t.urgency === 'emergency' && h.emergencyResponse) return { kind: 'emergencyResponse', rule: h.emergencyResponse };
  if (t.utilities && h.utilities?.response) return { kind: h.utilities.emergency ? 'emergencyResponse' : 'response', rule: h.utilities.response };
  if (t.urgency !== 'emergency' && h.response) return { kind: 'response', rule: h.response[t.urgency] };
  return null;
}

/**
 * The rules a person is told for a ticket of this classification, in order: a plain response
 * window first (its number is the article's; the finish after it is platform-set), then the
 * handling deadline. Each with its kind, for `deadlineBasis`.
 */
export function toldRules(profile: PolicyProfile, t: Pick<Ticket, 'type' | 'urgency' | 'utilities'>): { kind: DeadlineKind; rule: DeadlineRule }[] {
  const response = responseRule(profile, t);
  const handle = { kind: 'handle' as const, rule: handlingRule(profile, t) };
  return response?.kind === 'response' ? [response, handle] : [handle];
}

/** "依据《…》第十六条第（三）项，10个工作日内办结或者反馈办理情况" for a rule not yet running (no provisional note). */
export function ruleBasis(profile: Pick<PolicyProfile, 'regulation'>, kind: DeadlineKind, rule: DeadlineRule): string {
  return deadlineBasis({ regulation: profile.regulation, citation: rule.citation, span: formatSpan(rule), kind, provisional: false, dueAt: 0 });
}

// ---------------------------------------------------------------------------------------------
// Provisional deadlines (issue 11 §1): intake never stops for a year without holiday data.
// A deadline is computed as a chain of steps from one instant: its span, then each approved
// extension, then each clock pause. On a lenient calendar (WorkingCalendar.lenient) a working-day
// step that reaches a year without data counts weekends only; the deadline is then marked
// provisional and keeps the chain (`calc`), which is replayed when the year is loaded.
// ---------------------------------------------------------------------------------------------

export type CalcStep = NonNullable<Deadline['calc']>['steps'][number];
export type Calc = NonNullable<Deadline['calc']>;

/** Replays a chain of steps; provisional when a working-day count touched a year without data. */
export function replayCalc(calc: Calc, calendar: WorkingCalendar): { dueAt: number; provisional: boolean; missingYears: number[] } {
  let at = calc.from;
  const missing = new Set<number>();
  const touch = (fromMs: number, toMs: number) => calendar.missingYearsBetween(shanghaiDateOf(fromMs), shanghaiDateOf(toMs)).forEach((y) => missing.add(y));
  for (const step of calc.steps) {
    if ('pause' in step) {
      const [start, end] = step.pause;
      const next = extendByPause(at, start, end, calendar);
      touch(start, end);
      if (next !== at) touch(at, next);
      at = next;
    } else {
      const next = computeDueAt(at, step, calendar);
      if (step.unit === 'workingDays') touch(at, next);
      at = next;
    }
  }
  return { dueAt: at, provisional: missing.size > 0, missingYears: [...missing].sort((a, b) => a - b) };
}

/** The deadline with `dueAt` from `calc`; the chain is kept only while the result is provisional. */
function withCalc(d: Deadline, calc: Calc, calendar: WorkingCalendar): Deadline {
  const r = replayCalc(calc, calendar);
  const { provisional: _p, calc: _c, ...rest } = d;
  return r.provisional ? { ...rest, dueAt: r.dueAt, provisional: true, calc } : { ...rest, dueAt: r.dueAt };
}

function chainOf(d: Deadline, step: CalcStep): Calc {
  return d.calc ? { from: d.calc.from, steps: [...d.calc.steps, step] } : { from: d.dueAt, steps: [step] };
}

/** An approved extension of `span` counted from the current due instant (extendDeadline). */
export function extendActive(d: Deadline, span: Span, calendar: WorkingCalendar, patch: Partial<Deadline> = {}): Deadline {
  return withCalc({ ...d, baseDueAt: d.baseDueAt ?? d.dueAt, ...patch }, chainOf(d, { amount: span.amount, unit: span.unit }), calendar);
}

/** A clock pause from `startMs` to `endMs` moves the deadline (extendByPause). */
export function pauseActive(d: Deadline, startMs: number, endMs: number, calendar: WorkingCalendar): Deadline {
  return withCalc(d, chainOf(d, { pause: [startMs, endMs] }), calendar);
}

/** A provisional deadline computed again on `calendar` (the year now loaded); others unchanged. */
export function recomputeDeadline(d: Deadline, calendar: WorkingCalendar): Deadline {
  if (!d.provisional || !d.calc) return d;
  return withCalc(d, d.calc, calendar);
}

export function makeDeadline(
  kind: DeadlineKind,
  owner: string,
  startedAt: number,
  rule: DeadlineRule,
  profile: PolicyProfile,
  calendar: WorkingCalendar,
): Deadline {
  const base: Deadline = {
    kind,
    owner,
    startedAt,
    dueAt: startedAt,
    span: formatSpan(rule),
    citation: rule.citation,
    regulation: profile.regulation,
    status: 'active',
  };
  return withCalc(base, { from: startedAt, steps: [{ amount: rule.amount, unit: rule.unit }] }, calendar);
}

/** Closes the active deadlines of the given kinds: met if on time, missed if late, or cancelled. */
export function closeDeadlines(deadlines: Deadline[], kinds: DeadlineKind[] | 'all', now: number, how: 'done' | 'cancel'): Deadline[] {
  return deadlines.map((d) => {
    if (d.status !== 'active' || (kinds !== 'all' && !kinds.includes(d.kind))) return d;
    const status = how === 'cancel' ? 'cancelled' : now <= d.dueAt ? 'met' : 'missed';
    return { ...d, status, closedAt: now };
  });
}

export function nextDueAt(deadlines: Deadline[]): number | null {
  const active = deadlines.filter((d) => d.status === 'active').map((d) => d.dueAt);
  return active.length ? Math.min(...active) : null;
}

/**
 * The deadline a resident is shown: the current rework or plain response one (the article's own
 * number, hohhot 16(2), 16(3)), then the handling one, else the earliest active one.
 */
export function currentDeadline<D extends Pick<Deadline, 'kind' | 'status' | 'dueAt'> = Deadline>(ticket: { deadlines: D[] }): D | undefined {
  const active = ticket.deadlines.filter((d) => d.status === 'active');
  const handling = active.find((d) => d.kind === 'rework') ?? active.find((d) => d.kind === 'response') ?? active.find((d) => d.kind === 'handle');
  return handling ?? [...active].sort((a, b) => a.dueAt - b.dueAt)[0];
}

