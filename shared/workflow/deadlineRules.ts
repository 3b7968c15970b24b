import type { Deadline, DeadlineKind, Ticket } from '../contracts/ticket';
import type { DeadlineRule, PolicyProfile, Span } from '../profiles/schema';
import { computeDueAt } from '../calendar/deadlines';
import type { WorkingCalendar } from '../calendar/workingCalendar';

/** "2个工作日", "24小时", "5日": how a span reads in Chinese. */
export function formatSpan(span: Span): string {
  switch (span.unit) {
    case 'hours':
      return `${span.amount}小时`;
    case 'workingDays':
      return `${span.amount}个工作日`;
    case 'calendarDays':
      return `${span.amount}日`;
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

export function makeDeadline(
  kind: DeadlineKind,
  owner: string,
  startedAt: number,
  rule: DeadlineRule,
  profile: PolicyProfile,
  calendar: WorkingCalendar,
): Deadline {
  return {
    kind,
    owner,
    startedAt,
    dueAt: computeDueAt(startedAt, rule, calendar),
    span: formatSpan(rule),
    citation: rule.citation,
    regulation: profile.regulation,
    status: 'active',
  };
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

/** The deadline a resident is shown: the current handling one, else the earliest active one. */
export function currentDeadline(ticket: Pick<Ticket, 'deadlines'>): Deadline | undefined {
  const active = ticket.deadlines.filter((d) => d.status === 'active');
  const handling = active.find((d) => d.kind === 'rework') ?? active.find((d) => d.kind === 'handle');
  return handling ?? [...active].sort((a, b) => a.dueAt - b.dueAt)[0];
}

/** "依据《平利县…》第十二条，2个工作日内办结". */
export function deadlineBasis(d: Deadline): string {
  const verb: Record<DeadlineKind, string> = {
    accept: '内作出是否受理的决定',
    transfer: '内转交承办单位',
    sign: '内签收',
    return: '内申请退回',
    handle: '内办结',
    emergencyResponse: '内作出响应',
    rework: '内重新办理',
  };
  return `依据《${d.regulation}》${d.citation.article}，${d.span}${verb[d.kind]}`;
}
