import type { Actor } from '../contracts/common';
import type { Ticket, TicketEvent } from '../contracts/ticket';
import { publicLabel, staffLabel, isOpen } from './states';
import { eventLabel, hasInternalNote, hiddenFromUnits, ratedThisRound } from './transitions';
import { currentDeadline, deadlineBasis } from './deadlineRules';
import { RECOMPUTE_EVENT, RECOMPUTE_LABEL } from './provisional';
import { INTERNAL_TRIGGERS } from '../policy/triggers';

import { CONFIDENTIAL_CONTACT, maskName, maskPhone } from '../policy/masking';

export { CONFIDENTIAL_CONTACT, maskName, maskPhone } from '../policy/masking';

export type View = 'list' | 'detail';

/** 已办结 with this round's rating given (not satisfied, rework still possible): no longer 请评价. */
const RATED = { requester: '已评价，可申请重新办理', staff: '已评价（不满意）' } as const;
const RATING_EVENTS = new Set(['rate', 'revisit']);

/** The ticket's state in words for the requester (resident, grid worker) or for staff and operators. */
export function stateLabelOf(t: Pick<Ticket, 'state'> & { ratings: { round: number }[]; counters: Pick<Ticket['counters'], 'reworks'> }, audience: 'requester' | 'staff'): string {
  if (t.state === 'resolved' && ratedThisRound(t)) return RATED[audience];
  return audience === 'requester' ? publicLabel(t.state) : staffLabel(t.state);
}

type ShownRequester = Pick<Ticket['requester'], 'userId' | 'name' | 'phone' | 'confidential'>;

/**
 * The requester as a viewer may see them and the line a row shows for them: the rule of the
 * detail (`ticketFor`) and of the list rows (cloudfunctions/lib/tickets.ts listView), which read
 * summaries only (shared/workflow/summary.ts). Staff lists mask the phone; a confidential request
 * shows no identity to units, nor to the unit complained about (`hidden`); a resident who is not
 * the requester or reporter (a co-requester, a caller looking it up) sees no one (`other`).
 */
export function requesterFor<R extends ShownRequester>(
  ticket: { requester: R; reporter: Pick<Ticket['reporter'], 'userId'>; complainedUnitId?: string | undefined },
  viewer: Actor,
  view: View,
): { requester: R | ShownRequester; requesterShown: string; hidden: boolean; other: boolean } {
  let requester: R | ShownRequester = ticket.requester;
  let requesterShown: string;
  let hidden = false;
  if (viewer.role === 'staff') {
    const complained = ticket.complainedUnitId !== undefined && ticket.complainedUnitId === viewer.unitId;
    if (ticket.requester.confidential || complained) {
      hidden = true;
      requester = { confidential: ticket.requester.confidential };
      requesterShown = CONFIDENTIAL_CONTACT;
    } else {
      const masked: ShownRequester = {
        confidential: false,
        ...(ticket.requester.name ? { name: view === 'list' ? maskName(ticket.requester.name)! : ticket.requester.name } : {}),
        ...(ticket.requester.phone ? { phone: maskPhone(ticket.requester.phone)! } : {}),
      };
      requester = masked;
      requesterShown = [masked.name, masked.phone].filter(Boolean).join(' ') || CONFIDENTIAL_CONTACT;
    }
  } else if (viewer.role === 'operator' && view === 'list') {
    const masked = { ...ticket.requester, ...(ticket.requester.phone ? { phone: maskPhone(ticket.requester.phone)! } : {}) };
    requester = masked;
    requesterShown = [masked.name, masked.phone].filter(Boolean).join(' ');
  } else {
    requesterShown = [ticket.requester.name, ticket.requester.phone].filter(Boolean).join(' ');
  }
  const other = (viewer.role === 'resident' || viewer.role === 'grid') && ticket.requester.userId !== viewer.userId && ticket.reporter.userId !== viewer.userId;
  if (other) {
    requester = { confidential: ticket.requester.confidential };
    requesterShown = OTHER_REQUESTER;
  }
  return { requester, requesterShown, hidden, other };
}

/**
 * What a viewer may see of a ticket. Staff lists mask the phone; a confidential request shows
 * no identity to units; a unit complained about never sees who complained (anshan 26, hohhot 32, linyi 23).
 */
export function ticketFor(ticket: Ticket, viewer: Actor, view: View): Ticket & { labels: { state: string; deadline?: string }; requesterShown: string } {
  const shown = requesterFor(ticket, viewer, view);
  const requester = shown.requester as Ticket['requester'];
  const requesterShown = shown.requesterShown;
  const base = { ...ticket };
  if (viewer.role === 'staff') {
    if (shown.hidden) {
      delete (base as Partial<Ticket>).reporter;
      base.reporter = { userId: 'hidden', role: ticket.reporter.role };
      delete (base as Partial<Ticket>).scene;
    } else {
      base.reporter = { userId: 'hidden', role: ticket.reporter.role };
    }
    delete (base as Partial<Ticket>).clientRequestId;
    // The record of an improper request is never a unit's to see (anshan 40, baiyin 29, linyi 46).
    delete (base as Partial<Ticket>).malicious;
  }
  // Links name other tickets: the detail view lists those the viewer may open (tickets.ts linksFor).
  if (viewer.role !== 'operator' && viewer.role !== 'system') delete (base as Partial<Ticket>).links;
  const coRequesters = ticket.coRequesters;
  if (coRequesters?.length) base.coRequesters = coRequestersFor(ticket, coRequesters, viewer, view);
  if (!base.coRequesters?.length) delete (base as Partial<Ticket>).coRequesters;
  if (shown.other) {
    // A co-requester (or a caller looking the ticket up) sees the matter, not who else asked:
    // no name, phone, account, files or contact records of the requester (requesterFor).
    base.reporter = { userId: 'hidden', role: ticket.reporter.role };
    base.attachments = [];
    for (const k of ['clientRequestId', 'contactLog', 'relay', 'scene', 'revisits', 'disputes', 'pendingDispute'] as const) delete (base as Partial<Ticket>)[k];
    base.ratings = base.ratings.map(({ reason: _reason, ...r }) => r);
  }
  if (viewer.role === 'resident' || viewer.role === 'grid') {
    // The requester learns what the platform did, not which operator did it.
    const anon = <T extends { by: string }>(xs: T[] | undefined) => xs?.map(({ by: _by, ...x }) => ({ ...x, by: '平台' }));
    if (base.revisits) base.revisits = anon(base.revisits)!;
    if (base.handOffs) base.handOffs = anon(base.handOffs)!;
    if (base.conclusion) base.conclusion = { ...base.conclusion, by: '平台' };
    base.supervision = { ...base.supervision, triggers: base.supervision.triggers.filter((x) => !INTERNAL_TRIGGERS.includes(x)) };
    // The requester learns the ground and the decisions, not the operator's note or name.
    if (base.malicious) {
      const { note: _note, by: _by, ...told } = base.malicious;
      base.malicious = { ...told, note: '', by: '平台' };
    }
  }
  const d = currentDeadline(ticket);
  return {
    ...base,
    requester,
    requesterShown,
    labels: {
      state: stateLabelOf(ticket, viewer.role === 'resident' || viewer.role === 'grid' ? 'requester' : 'staff'),
      ...(d && isOpen(ticket.state) ? { deadline: deadlineBasis(d) } : {}),
    },
  };
}

/** What a co-requester reads instead of the requester of the ticket they joined or were merged into. */
export const OTHER_REQUESTER = '同一问题的其他诉求人';

/**
 * The co-requesters as a viewer may see them: a resident only their own entry; a unit masked
 * numbers and names, none at all for a confidential one or on a ticket hidden from it; operators
 * everything (masked in lists).
 */
function coRequestersFor(t: Ticket, list: NonNullable<Ticket['coRequesters']>, viewer: Actor, view: View): NonNullable<Ticket['coRequesters']> {
  if (viewer.role === 'resident' || viewer.role === 'grid') return list.filter((c) => c.userId === viewer.userId);
  if (viewer.role === 'staff') {
    const hidden = t.requester.confidential || (t.complainedUnitId !== undefined && t.complainedUnitId === viewer.unitId);
    return list.map((c) => ({
      confidential: c.confidential,
      via: c.via,
      at: c.at,
      ...(!hidden && !c.confidential && c.name ? { name: view === 'list' ? maskName(c.name)! : c.name } : {}),
      ...(!hidden && !c.confidential && c.phone ? { phone: maskPhone(c.phone)! } : {}),
    }));
  }
  if (viewer.role === 'operator' && view === 'list') return list.map((c) => ({ ...c, ...(c.phone ? { phone: maskPhone(c.phone)! } : {}) }));
  return list;
}

/** Events of the other ticket in a link or merge: a resident reads no other ticket's id or number. */
const OTHER_TICKET_EVENTS = new Set(['absorbed', 'linked', 'join']);
/** The notes a co-requester reads: the unit's result and the platform's decisions on the matter. */
const OUTSIDER_NOTES = new Set(['reply', 'terminate', 'refuse', 'handOffEmergency']);

const publicNoteOf = (e: TicketEvent) => (typeof e.data?.publicNote === 'string' ? e.data.publicNote : undefined);
function othersOnly(data: Record<string, unknown>): Record<string, unknown> {
  return typeof data.requesterCount === 'number' ? { requesterCount: data.requesterCount } : {};
}
function withoutPublicNote(data: Record<string, unknown>): Record<string, unknown> {
  const { publicNote: _shownAsNote, ...rest } = data;
  return rest;
}

/**
 * Timeline for a viewer: residents see public events without internal actors or notes of reviews;
 * staff and operators see each unit by its name (`unitNames`, id → name) and wording meant for them.
 * `stateLabel` is the state after the event; `stateChanged` says whether the event moved it.
 */
export function timelineFor(events: TicketEvent[], viewer: Actor, ticket: Ticket, unitNames: Readonly<Record<string, string>> = {}) {
  const resident = viewer.role === 'resident' || viewer.role === 'grid';
  const audience = resident ? 'requester' : 'staff';
  const hideRequester = viewer.role === 'staff' && (ticket.requester.confidential || ticket.complainedUnitId === viewer.unitId);
  // A co-requester reads what happened, not what passed between the requester and the unit.
  const outsider = resident && ticket.requester.userId !== viewer.userId && ticket.reporter.userId !== viewer.userId;
  return events
    .filter((e) => (resident ? e.public : viewer.role !== 'staff' || !hiddenFromUnits(e.type)))
    .map((e) => {
      const base = e.type === RECOMPUTE_EVENT ? RECOMPUTE_LABEL : eventLabel(e.type, audience);
      // A rating says what was chosen (满意 / 不满意 …), on the profile's scale.
      const label = RATING_EVENTS.has(e.type) && typeof e.data?.label === 'string' ? `${base}：${e.data.label}` : base;
      const unitName = e.actor.role === 'staff' && e.actor.unitId ? unitNames[e.actor.unitId] : undefined;
      const actorShown = resident
        ? e.actor.role === 'resident' || e.actor.role === 'grid' ? '诉求人' : e.actor.role === 'staff' ? '承办单位' : '平台'
        : unitName;
      const byRequester = e.actor.userId === ticket.requester.userId || e.actor.userId === ticket.reporter.userId;
      return {
        seq: e.seq,
        type: e.type,
        label,
        at: e.at,
        to: e.to,
        stateLabel: RATING_EVENTS.has(e.type) && e.to === 'resolved' ? RATED[audience] : resident ? publicLabel(e.to) : staffLabel(e.to),
        stateChanged: e.from !== e.to,
        // Residents read what was meant for them: never a note for the units (dispatch, review,
        // supervision), only the public note given with it.
        note: outsider && !OUTSIDER_NOTES.has(e.type) ? undefined : resident && hasInternalNote(e.type) ? publicNoteOf(e) : e.note,
        ...(!resident && hasInternalNote(e.type) ? { internalNote: true } : {}),
        attachments: outsider ? [] : e.attachments,
        data: outsider && !OTHER_TICKET_EVENTS.has(e.type) ? undefined : resident && e.data && OTHER_TICKET_EVENTS.has(e.type) ? othersOnly(e.data) : resident && e.data && 'publicNote' in e.data ? withoutPublicNote(e.data) : e.data,
        actor: resident
          ? { role: e.actor.role, shown: actorShown }
          : (hideRequester && byRequester) || (viewer.role === 'staff' && e.type === 'join')
            ? { role: e.actor.role, userId: 'hidden' }
            : { ...e.actor, ...(actorShown ? { shown: actorShown } : {}) },
      };
    });
}
