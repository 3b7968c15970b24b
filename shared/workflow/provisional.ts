import type { Ticket, TicketEvent } from '../contracts/ticket';
import type { WorkingCalendar } from '../calendar/workingCalendar';
import { formatShanghai } from '../calendar/workingCalendar';
import { nextDueAt, recomputeDeadline } from './deadlineRules';

/** The event type recorded when provisional deadlines are computed again (issue 11 §1). */
export const RECOMPUTE_EVENT = 'recomputeDeadlines';
export const RECOMPUTE_LABEL = '办理期限已按节假日安排重新计算';

/** True when the ticket has an active deadline counted provisionally (weekends only). */
export function hasProvisional(t: Pick<Ticket, 'deadlines'>): boolean {
  return t.deadlines.some((d) => d.status === 'active' && d.provisional === true);
}

/**
 * Recomputes a ticket's provisional deadlines on `calendar` (which now holds the year). Returns the
 * next version of the ticket and the one event that records it, or null when nothing provisional
 * is active. Every deadline that was provisional is named in the event, changed or not, so the
 * history shows the holiday arrangement was applied.
 */
export function recomputeProvisional(ticket: Ticket, calendar: WorkingCalendar, now: number, years: number[]): { ticket: Ticket; event: TicketEvent } | null {
  if (!hasProvisional(ticket)) return null;
  const changes: { kind: string; from: number; to: number; provisional: boolean }[] = [];
  const deadlines = ticket.deadlines.map((d) => {
    if (d.status !== 'active' || !d.provisional) return d;
    const next = recomputeDeadline(d, calendar);
    changes.push({ kind: d.kind, from: d.dueAt, to: next.dueAt, provisional: next.provisional === true });
    return next;
  });
  const version = ticket.version + 1;
  const next: Ticket = { ...ticket, deadlines, version, updatedAt: now, nextDueAt: nextDueAt(deadlines) };
  const moved = changes.filter((c) => c.from !== c.to);
  const yearText = years.map((y) => `${y}年`).join('、');
  const note = moved.length
    ? `已导入${yearText}节假日安排，办理期限重新计算：${moved.map((c) => `${formatShanghai(c.from)} → ${formatShanghai(c.to)}`).join('；')}`
    : `已导入${yearText}节假日安排，办理期限经重新计算不变（${changes.map((c) => formatShanghai(c.to)).join('；')}）`;
  const event: TicketEvent = {
    id: `${ticket.id}:${version}`,
    ticketId: ticket.id,
    seq: version,
    type: RECOMPUTE_EVENT,
    actor: { userId: 'system', role: 'system' },
    at: now,
    from: ticket.state,
    to: ticket.state,
    note,
    attachments: [],
    data: { years, changes },
    public: true,
  };
  return { ticket: next, event };
}
