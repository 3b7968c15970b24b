import type { Ticket } from '../contracts/ticket';
import type { PolicyProfile } from '../profiles/schema';
import { isOpen } from './states';

/**
 * An alarm: one reminder or overdue check the timer must run once.
 * `key` is unique per (ticket, deadline, due instant, threshold): sending is claimed by key, so a
 * reminder is never sent twice, and a changed deadline gets new keys.
 */
export interface Alarm {
  key: string;
  ticketId: string;
  deadline: string;
  kind: 'dueSoon' | 'overdue' | 'trigger';
  fireAt: number;
  dueAt: number;
  owner: string;
  /** For dueSoon: the fraction of the span elapsed, e.g. 0.8. */
  threshold: number;
}

/** The alarms a ticket needs now: reminders at the profile's thresholds and the overdue check. */
export function alarmsFor(ticket: Ticket, profile: PolicyProfile): Alarm[] {
  const out: Alarm[] = [];
  if (ticket.pausedAt !== undefined) return out;
  for (const d of ticket.deadlines) {
    if (d.status !== 'active') continue;
    const span = d.dueAt - d.startedAt;
    if (d.owner !== 'platform') {
      for (const f of profile.reminders.dueSoonAt) {
        out.push({ key: `${ticket.id}:${d.kind}:${d.dueAt}:${f}`, ticketId: ticket.id, deadline: d.kind, kind: 'dueSoon', fireAt: d.startedAt + Math.floor(span * f), dueAt: d.dueAt, owner: d.owner, threshold: f });
      }
    }
    out.push({ key: `${ticket.id}:${d.kind}:${d.dueAt}:overdue`, ticketId: ticket.id, deadline: d.kind, kind: 'overdue', fireAt: d.dueAt + 1, dueAt: d.dueAt, owner: d.owner, threshold: 1 });
  }
  // A supervision trigger fired and nobody has supervised yet: the timer raises 督办 (level 1).
  const pending = ticket.supervision.triggers;
  if (pending.length && ticket.supervision.level === 0 && isOpen(ticket.state)) {
    out.push({ key: `${ticket.id}:trigger:${pending.join(',')}`, ticketId: ticket.id, deadline: 'supervision', kind: 'trigger', fireAt: ticket.updatedAt, dueAt: ticket.updatedAt, owner: 'platform', threshold: 1 });
  }
  return out;
}
