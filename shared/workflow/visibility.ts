import type { Actor } from '../contracts/common';
import type { Ticket, TicketEvent } from '../contracts/ticket';
import { publicLabel, staffLabel, isOpen } from './states';
import { eventLabel } from './transitions';
import { currentDeadline, deadlineBasis } from './deadlineRules';
import { RECOMPUTE_EVENT, RECOMPUTE_LABEL } from './provisional';

import { CONFIDENTIAL_CONTACT, maskName, maskPhone } from '../policy/masking';

export { CONFIDENTIAL_CONTACT, maskName, maskPhone } from '../policy/masking';

export type View = 'list' | 'detail';

/**
 * What a viewer may see of a ticket. Staff lists mask the phone; a confidential request shows
 * no identity to units; a unit complained about never sees who complained (anshan 26, hohhot 32, linyi 23).
 */
export function ticketFor(ticket: Ticket, viewer: Actor, view: View): Ticket & { labels: { state: string; deadline?: string }; requesterShown: string } {
  let requester = ticket.requester;
  let requesterShown: string;
  const base = { ...ticket };
  if (viewer.role === 'staff') {
    const complained = ticket.complainedUnitId !== undefined && ticket.complainedUnitId === viewer.unitId;
    if (ticket.requester.confidential || complained) {
      requester = { confidential: ticket.requester.confidential };
      requesterShown = CONFIDENTIAL_CONTACT;
      delete (base as Partial<Ticket>).reporter;
      base.reporter = { userId: 'hidden', role: ticket.reporter.role };
      delete (base as Partial<Ticket>).scene;
    } else {
      requester = {
        confidential: false,
        ...(ticket.requester.name ? { name: view === 'list' ? maskName(ticket.requester.name)! : ticket.requester.name } : {}),
        ...(ticket.requester.phone ? { phone: maskPhone(ticket.requester.phone)! } : {}),
      };
      requesterShown = [requester.name, requester.phone].filter(Boolean).join(' ') || CONFIDENTIAL_CONTACT;
      base.reporter = { userId: 'hidden', role: ticket.reporter.role };
    }
    delete (base as Partial<Ticket>).clientRequestId;
  } else if (viewer.role === 'operator' && view === 'list') {
    requester = { ...ticket.requester, ...(ticket.requester.phone ? { phone: maskPhone(ticket.requester.phone)! } : {}) };
    requesterShown = [requester.name, requester.phone].filter(Boolean).join(' ');
  } else {
    requesterShown = [ticket.requester.name, ticket.requester.phone].filter(Boolean).join(' ');
  }
  const d = currentDeadline(ticket);
  return {
    ...base,
    requester,
    requesterShown,
    labels: {
      state: viewer.role === 'resident' || viewer.role === 'grid' ? publicLabel(ticket.state) : staffLabel(ticket.state),
      ...(d && isOpen(ticket.state) ? { deadline: deadlineBasis(d) } : {}),
    },
  };
}

/** Timeline for a viewer: residents see public events without internal actors or notes of reviews. */
export function timelineFor(events: TicketEvent[], viewer: Actor, ticket: Ticket) {
  const resident = viewer.role === 'resident' || viewer.role === 'grid';
  const hideRequester = viewer.role === 'staff' && (ticket.requester.confidential || ticket.complainedUnitId === viewer.unitId);
  return events
    .filter((e) => !resident || e.public)
    .map((e) => {
      const label = e.type === RECOMPUTE_EVENT ? RECOMPUTE_LABEL : eventLabel(e.type);
      const actorShown = resident
        ? e.actor.role === 'resident' || e.actor.role === 'grid' ? '诉求人' : e.actor.role === 'staff' ? '承办单位' : '平台'
        : undefined;
      const byRequester = e.actor.userId === ticket.requester.userId || e.actor.userId === ticket.reporter.userId;
      return {
        seq: e.seq,
        type: e.type,
        label,
        at: e.at,
        to: e.to,
        stateLabel: resident ? publicLabel(e.to) : staffLabel(e.to),
        // Residents see what was done, not the platform's review notes.
        note: resident && e.type.startsWith('review') ? undefined : e.note,
        attachments: e.attachments,
        data: e.data,
        actor: resident ? { role: e.actor.role, shown: actorShown } : hideRequester && byRequester ? { role: e.actor.role, userId: 'hidden' } : e.actor,
      };
    });
}
