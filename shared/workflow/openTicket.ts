import type { Actor } from '../contracts/common';
import type { SubmitInput } from '../contracts/commands';
import type { Ticket, TicketEvent } from '../contracts/ticket';
import type { DecideContext } from './transition';
import type { Effect } from './effects';
import { handlingRule, makeDeadline, nextDueAt, deadlineBasis, responseRule, toldRules } from './deadlineRules';
import { DomainError } from '../errors';

export interface NewIds {
  ticketId: string;
  number: string;
}

export interface Opened {
  ticket: Ticket;
  event: TicketEvent;
  effects: Effect[];
  /** The deadline the request will get once dispatched (see toldRules), shown to the resident at once. */
  expected: { span: string; basis: string; article: string; provisional: boolean };
}

/** Title from the first line of the content when the requester gave none. */
function titleFrom(input: SubmitInput): string {
  if (input.title) return input.title;
  const first = input.content.split(/\n/)[0]!.trim();
  return first.length > 30 ? `${first.slice(0, 30)}…` : first;
}

/**
 * A new ticket in state `submitted`, with its first event (version 1).
 * The requester is the resident themself, or, for a report on behalf, the named resident.
 */
export function openTicket(input: SubmitInput, actor: Actor, ctx: DecideContext, ids: NewIds): Opened {
  if (!ctx.profile.requestTypes.includes(input.type)) throw new DomainError('invalid-input', '本平台不受理该类型的诉求');
  if (!['resident', 'grid', 'operator'].includes(actor.role)) throw new DomainError('forbidden');
  const onBehalf = input.onBehalf || actor.role === 'operator';
  if (onBehalf && (!input.contact.name || !input.contact.phone)) throw new DomainError('invalid-input', '代为反映时须填写群众的姓名和电话');
  const channel = input.channel ?? (actor.role === 'grid' ? 'grid' : actor.role === 'operator' ? 'phone' : 'miniprogram');
  const p = ctx.profile;
  const deadlines = p.intake.acceptWithin ? [makeDeadline('accept', 'platform', ctx.now, p.intake.acceptWithin, p, ctx.calendar)] : [];
  const ticket: Ticket = {
    id: ids.ticketId,
    number: ids.number,
    version: 1,
    profileId: p.id,
    state: 'submitted',
    type: input.type,
    // A resident's urgency is only a hint: the operator confirms it (issue 14 §2).
    urgency: actor.role === 'resident' ? 'normal' : input.urgency,
    ...(actor.role === 'resident' && (input.urgentHint || input.urgency !== 'normal') ? { urgentHint: true } : {}),
    utilities: input.utilities,
    category: input.category,
    title: titleFrom(input),
    content: input.content,
    location: input.location,
    ...(input.scene ? { scene: input.scene } : {}),
    channel,
    requester: {
      ...(onBehalf ? {} : { userId: actor.userId }),
      ...(input.contact.name ? { name: input.contact.name } : {}),
      ...(input.contact.phone ? { phone: input.contact.phone } : {}),
      confidential: input.confidential,
      ...(input.contact.smsUpdates && input.contact.phone ? { smsUpdates: true } : {}),
    },
    reporter: { userId: actor.userId, role: actor.role },
    clientRequestId: input.clientRequestId,
    attachments: input.attachments,
    createdAt: ctx.now,
    updatedAt: ctx.now,
    assignments: [],
    deadlines,
    nextDueAt: nextDueAt(deadlines),
    overdue: false,
    counters: { returns: 0, extensions: 0, reworks: 0, contacts: 0 },
    ratings: [],
    supervision: { level: 0, triggers: [], escalated: false },
  };
  const event: TicketEvent = {
    id: `${ticket.id}:1`,
    ticketId: ticket.id,
    seq: 1,
    type: 'submit',
    actor: { userId: actor.userId, role: actor.role, ...(actor.unitId ? { unitId: actor.unitId } : {}) },
    at: ctx.now,
    from: null,
    to: 'submitted',
    attachments: input.attachments,
    data: { channel, onBehalf },
    public: true,
  };
  // The first deadline the resident is told: the article's response window where it has one
  // (hohhot 16(2), 16(3)), else the handling deadline.
  const { kind, rule } = toldRules(p, ticket)[0]!;
  const probe = makeDeadline(kind, 'platform', ctx.now, rule, p, ctx.calendar);
  return {
    ticket,
    event,
    effects: [{ kind: 'notify', audience: { kind: 'operators' }, template: 'review', ticketId: ticket.id, summary: '有新的诉求待受理' }],
    expected: { span: probe.span, basis: deadlineBasis(probe), article: rule.citation.article, provisional: probe.provisional === true },
  };
}

/** Children of a ticket dispatched to separate units: each is a ticket of its own, already dispatched. */
export function childTicket(parent: Ticket, unitId: string, ids: NewIds, ctx: DecideContext): { ticket: Ticket; event: TicketEvent } {
  const p = ctx.profile;
  const response = responseRule(p, parent);
  const deadlines = [
    ...(p.handling.signWithin ? [makeDeadline('sign', unitId, ctx.now, p.handling.signWithin, p, ctx.calendar)] : []),
    ...(response?.kind === 'response' ? [makeDeadline('response', unitId, ctx.now, response.rule, p, ctx.calendar)] : []),
    makeDeadline('handle', unitId, ctx.now, handlingRule(p, parent), p, ctx.calendar),
  ];
  const ticket: Ticket = {
    ...parent,
    id: ids.ticketId,
    number: ids.number,
    version: 1,
    state: 'dispatched',
    parentId: parent.id,
    childIds: undefined,
    clientRequestId: undefined,
    dispatchMode: 'single',
    assignments: [{ unitId, role: 'lead', dispatchedAt: ctx.now, feedback: [] }],
    deadlines,
    nextDueAt: nextDueAt(deadlines),
    createdAt: ctx.now,
    updatedAt: ctx.now,
    closedAt: undefined,
  };
  const event: TicketEvent = {
    id: `${ticket.id}:1`,
    ticketId: ticket.id,
    seq: 1,
    type: 'split',
    actor: { userId: 'system', role: 'system' },
    at: ctx.now,
    from: null,
    to: 'dispatched',
    attachments: [],
    data: { parentId: parent.id, unitId },
    public: true,
  };
  return { ticket, event };
}
