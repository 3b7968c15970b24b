import type { Actor } from '../contracts/common';
import type { Ticket } from '../contracts/ticket';

/** Who may load a ticket at all: its requester or reporter, a unit assigned to it, the platform. */
export function canSee(t: Ticket, actor: Actor): boolean {
  switch (actor.role) {
    case 'resident':
    case 'grid':
      return t.requester.userId === actor.userId || t.reporter.userId === actor.userId || isCoRequester(t, actor);
    case 'staff':
      return t.assignments.some((a) => a.unitId === actor.unitId);
    case 'operator':
    case 'system':
      return true;
  }
}

/** A co-requester (merged or joined): sees the ticket and is told of progress, but is not its requester. */
export function isCoRequester(t: Pick<Ticket, 'coRequesters'>, actor: Actor): boolean {
  return (t.coRequesters ?? []).some((c) => c.userId !== undefined && c.userId === actor.userId);
}

/** A ticket in the 督办 lists: under supervision at any level, or overdue. */
export const isSupervised = (t: Pick<Ticket, 'supervision' | 'overdue'>): boolean => t.supervision.level > 0 || t.overdue;
