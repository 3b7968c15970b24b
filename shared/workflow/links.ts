import type { Actor } from '../contracts/common';
import type { Command } from '../contracts/commands';
import type { CoRequester, Ticket, TicketEvent } from '../contracts/ticket';
import type { PolicyProfile } from '../profiles/schema';
import { coRequesterKey, reachesManyRequesters, requesterCount, requesterKeys } from '../policy/triggers';
import type { Effect } from './effects';

/**
 * Links and merges change two tickets: `decide` handles the one the command names; this is the
 * other ticket's side (`ctx.other`), saved in the same commit (TicketStore.update, `related`).
 * Pure, like decide: the next version of the other ticket, its one event and its notices.
 */
export interface Counterpart {
  ticket: Ticket;
  event: TicketEvent;
  effects: Effect[];
}

/** The requester of a ticket as a co-requester of another (a grid worker's own report counts the worker). */
export function asCoRequester(t: Ticket, via: CoRequester['via'], at: number): CoRequester {
  const userId = t.requester.userId ?? (t.reporter.role === 'grid' ? t.reporter.userId : undefined);
  return {
    ...(userId ? { userId } : {}),
    ...(t.requester.name ? { name: t.requester.name } : {}),
    ...(t.requester.phone ? { phone: t.requester.phone } : {}),
    confidential: t.requester.confidential,
    via,
    ...(via === 'merge' ? { ticketId: t.id, number: t.number } : {}),
    at,
  };
}

/** `target` with `add` as co-requesters, skipping anyone it already counts (by phone, else account). */
export function withCoRequesters(target: Ticket, add: readonly CoRequester[]): CoRequester[] {
  const seen = requesterKeys(target);
  const out = [...(target.coRequesters ?? [])];
  for (const c of add) {
    const k = coRequesterKey(c);
    if (k && seen.has(k)) continue;
    if (k) seen.add(k);
    out.push(c);
  }
  return out;
}

/** The many-requesters trigger, once the ticket's own requesters reach the profile's count. */
export function withCollectiveTrigger(t: Ticket, profile: PolicyProfile): Ticket['supervision'] {
  if (!reachesManyRequesters(profile, t) || t.supervision.triggers.includes('many-requesters')) return t.supervision;
  return { ...t.supervision, triggers: [...t.supervision.triggers, 'many-requesters'] };
}

function nextVersion(other: Ticket, patch: Partial<Ticket>, type: string, actor: Actor, now: number, data: Record<string, unknown>, isPublic: boolean): { ticket: Ticket; event: TicketEvent } {
  const ticket: Ticket = { ...other, ...patch, version: other.version + 1, updatedAt: now };
  const event: TicketEvent = {
    id: `${other.id}:${ticket.version}`,
    ticketId: other.id,
    seq: ticket.version,
    type,
    actor: { userId: actor.userId, role: actor.role, ...(actor.unitId ? { unitId: actor.unitId } : {}) },
    at: now,
    from: other.state,
    to: other.state,
    attachments: [],
    data,
    public: isPublic,
  };
  return { ticket, event };
}

/**
 * The other ticket's side of an accepted link or merge: `before` is the command's ticket before
 * the command, `other` the other ticket as loaded, `profile` the other ticket's rules.
 */
export function counterpartOf(command: Command, before: Ticket, other: Ticket, actor: Actor, now: number, profile: PolicyProfile): Counterpart | null {
  if (command.type === 'link') {
    if ((other.links ?? []).some((l) => l.ticketId === before.id)) return null;
    const links = [...(other.links ?? []), { kind: command.kind, ticketId: before.id, number: before.number, at: now }];
    return { ...nextVersion(other, { links }, 'linked', actor, now, { kind: command.kind, otherId: before.id, otherNumber: before.number }, false), effects: [] };
  }
  if (command.type === 'merge') {
    const add = [asCoRequester(before, 'merge', now), ...(before.coRequesters ?? [])];
    const coRequesters = withCoRequesters(other, add);
    const links = (other.links ?? []).some((l) => l.ticketId === before.id) ? other.links : [...(other.links ?? []), { kind: 'duplicate' as const, ticketId: before.id, number: before.number, at: now }];
    const merged = { ...other, coRequesters, links };
    const supervision = withCollectiveTrigger(merged, profile);
    const count = requesterCount(merged);
    const next = nextVersion(other, { coRequesters, links, supervision }, 'absorbed', actor, now, { fromId: before.id, fromNumber: before.number, requesterCount: count }, true);
    const units = other.assignments.map((a) => a.unitId);
    const effects: Effect[] = units.length ? [{ kind: 'notify', audience: { kind: 'units', unitIds: units }, template: 'progress', ticketId: other.id, summary: `同一问题的诉求${before.number}已并入本件，现有${count}位诉求人` }] : [];
    return { ...next, effects };
  }
  return null;
}
