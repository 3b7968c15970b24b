/**
 * The ticket views several functions answer with (built by shared/workflow/visibility.ts and
 * cloudfunctions/lib/tickets.ts): the ticket as a viewer sees it, its timeline, a list row and a
 * command's result. Strict: a field the server adds must be added here (issue 10 §4).
 */
import { z } from 'zod';
import { epochMs, fileRefSchema, roleSchema } from '../common';
import { ticketSchema, deadlineKindSchema } from '../ticket';
import { requestTypeSchema, urgencySchema, supervisionTriggerSchema } from '../../profiles/schema';
import { TRANSITIONS, commandsAcceptedBy, type CommandFunction, type CommandsOf } from '../../workflow/transitions';
import { templateKindSchema } from '../templates';

/** shared/workflow/visibility.ts ticketFor: the ticket, with its labels and the requester as shown to this viewer. */
export const ticketViewSchema = ticketSchema
  .extend({
    labels: z.object({ state: z.string(), deadline: z.string().optional() }).strict(),
    requesterShown: z.string(),
  })
  .strict();

/** shared/workflow/visibility.ts timelineFor: one event as the viewer reads it. */
export const timelineItemSchema = z
  .object({
    seq: z.number().int(),
    type: z.string(),
    label: z.string(),
    at: epochMs,
    to: z.string(),
    /** The state after the event. */
    stateLabel: z.string(),
    /** The event moved the ticket to another state. */
    stateChanged: z.boolean(),
    note: z.string().optional(),
    /** Staff and operators: `note` is for them only; the requester reads `data.publicNote`. */
    internalNote: z.literal(true).optional(),
    attachments: z.array(fileRefSchema),
    data: z.record(z.unknown()).optional(),
    actor: z.object({ role: roleSchema, userId: z.string().optional(), unitId: z.string().optional(), name: z.string().optional(), shown: z.string().optional() }).strict(),
  })
  .strict();

/** The deadline in force, as detail views send it. */
export const deadlineViewSchema = z
  .object({ kind: deadlineKindSchema, dueAt: epochMs, status: z.enum(['active', 'met', 'missed', 'cancelled']), basis: z.string(), article: z.string(), provisional: z.boolean() })
  .strict();

const commandTypeSchema = z.enum(Object.keys(TRANSITIONS) as [keyof typeof TRANSITIONS, ...(keyof typeof TRANSITIONS)[]]);
/** The commands a function accepts (shared/workflow/transitions.ts): what its detail may offer. */
export const commandsOfSchema = <F extends CommandFunction>(fn: F) => z.enum(commandsAcceptedBy(fn) as [CommandsOf<F>, ...CommandsOf<F>[]]);

/** cloudfunctions/lib/tickets.ts linksFor: one linked ticket, as the viewer may see it. */
export const linkViewSchema = z
  .object({
    kind: z.enum(['parent', 'child', 'duplicate', 'related', 'mergedInto', 'mergedFrom']),
    ticketId: z.string(),
    number: z.string(),
    title: z.string(),
    state: z.string(),
    stateLabel: z.string(),
  })
  .strict();

/** cloudfunctions/lib/tickets.ts detailUnder: a ticket, its timeline, its deadline and what the viewer may do now. */
export const detailFields = {
  ticket: ticketViewSchema,
  timeline: z.array(timelineItemSchema),
  deadline: deadlineViewSchema.nullable(),
  /** Commands the server accepts from this viewer now. */
  actions: z.array(commandTypeSchema),
  /** The server's clock, so countdowns agree with the deadline checks. */
  now: epochMs,
  /** Linked tickets the viewer may open: split parent and children, duplicate/related links, merges (both ways). */
  links: z.array(linkViewSchema),
  /** The collective count: distinct requesters of the matter (own, merged, joined). */
  requesterCount: z.number().int().positive(),
};

/** cloudfunctions/lib/tickets.ts listView: one row of a list (resident.listMine, staff.inbox, operator.queue). */
export const listItemSchema = z
  .object({
    id: z.string(),
    number: z.string(),
    title: z.string(),
    type: requestTypeSchema,
    category: z.string(),
    urgency: urgencySchema,
    state: z.string(),
    stateLabel: z.string(),
    createdAt: epochMs,
    updatedAt: epochMs,
    dueAt: epochMs.nullable(),
    /** The earliest active deadline, with its kind. */
    nextDue: z.object({ kind: deadlineKindSchema, dueAt: epochMs, startedAt: epochMs }).strict().nullable(),
    /** Kinds of the deadlines already missed. */
    missedKinds: z.array(deadlineKindSchema),
    /** The due instant was counted on weekends only (暂定). */
    dueProvisional: z.boolean(),
    overdue: z.boolean(),
    supervisionLevel: z.number().int(),
    supervisionTriggers: z.array(supervisionTriggerSchema),
    escalated: z.boolean(),
    reworks: z.number().int(),
    requesterShown: z.string(),
    confidential: z.boolean(),
    area: z.string().optional(),
    /** The collective count: distinct requesters (own, merged, joined). */
    requesterCount: z.number().int().positive(),
  })
  .strict();

export const pageOf = <T extends z.ZodTypeAny>(item: T) => z.object({ items: z.array(item), next: z.string().nullable() }).strict();

/** cloudfunctions/lib/tickets.ts runCommand: the ticket after the command and the event it recorded. */
export const commandResultSchema = z
  .object({ ticket: ticketViewSchema, event: z.object({ seq: z.number().int(), type: z.string(), to: z.string() }).strict() })
  .strict();

/** cloudfunctions/lib/tickets.ts submit: the ticket, whether it is new, and the handling deadline the requester is told. */
export const submitResultSchema = z
  .object({
    ticket: ticketViewSchema,
    created: z.boolean(),
    expected: z.object({ span: z.string(), basis: z.string(), article: z.string(), provisional: z.boolean().optional() }).strict().nullable(),
  })
  .strict();

/** Subscription template ids by template key (weapp); empty on h5. */
/** 'warning': a risk warning sent to the operators, about no ticket (issue 18 §7). */
export const templateKeySchema = z.enum(['progress', 'assigned', 'dueSoon', 'overdue', 'supervised', 'review', 'warning']);
export const subscribeTemplatesSchema = z.record(templateKeySchema, z.string());
/** Reminder credits by template key. */
export const creditsSchema = z.record(templateKeySchema, z.number().int());

export type TicketView = z.infer<typeof ticketViewSchema>;
export type TimelineItem = z.infer<typeof timelineItemSchema>;
export type DeadlineView = z.infer<typeof deadlineViewSchema>;
export type ListItem = z.infer<typeof listItemSchema>;
export type CommandResult = z.infer<typeof commandResultSchema>;
export type SubmitResult = z.infer<typeof submitResultSchema>;

const ticketShape = ticketSchema.shape;
/** cloudfunctions/lib/search.ts searchView: a list row with the fields a search filters on (staff.inbox, operator.queue). */
export const searchItemSchema = listItemSchema
  .extend({ urgentHint: z.literal(true).optional(), utilities: ticketShape.utilities, channel: ticketShape.channel })
  .strict();

/** A notice as it was sent (shared/ports Notice). */
export const noticeSchema = z
  .object({ template: templateKeySchema, ticketId: z.string(), ticketNumber: z.string(), title: z.string(), status: z.string(), summary: z.string(), at: epochMs, page: z.string() })
  .strict();

/** cloudfunctions/lib/tickets.ts messagesOf: a delivery to this user, with its ticket's state now (absent when the ticket is gone). */
export const deliverySchema = z
  .object({
    id: z.string(),
    dedupeKey: z.string(),
    userId: z.string(),
    template: templateKeySchema,
    ticketId: z.string(),
    notice: noticeSchema,
    status: z.enum(['pending', 'delivered', 'undeliverable', 'failed']),
    attempts: z.number().int().nonnegative(),
    errorCode: z.string().optional(),
    createdAt: epochMs,
    updatedAt: epochMs,
    current: z.object({ state: z.string(), label: z.string(), open: z.boolean() }).strict().optional(),
  })
  .strict();

/** A termination ground of the profile, with its article (baiyin 19, linyi 18, 19). */
export const terminationGroundViewSchema = z
  .object({ code: z.string(), label: z.string(), article: z.string(), text: z.string(), by: z.array(z.enum(['platform', 'unit'])), proofRequired: z.boolean(), precondition: z.string() })
  .strict();

/** A reply, return or refusal template (shared/contracts/templates.ts ReplyTemplate). */
export const replyTemplateViewSchema = z.object({ id: z.string(), kind: templateKindSchema, title: z.string(), text: z.string(), updatedAt: epochMs }).strict();

export type SearchItem = z.infer<typeof searchItemSchema>;
export type Delivery = z.infer<typeof deliverySchema>;
export type TerminationGroundView = z.infer<typeof terminationGroundViewSchema>;
export type ReplyTemplateView = z.infer<typeof replyTemplateViewSchema>;

/** A page of rows, as every paged answer carries them. */
export type PageOf<T> = { items: T[]; next: string | null };
export type TemplateKey = z.infer<typeof templateKeySchema>;
export type Credits = z.infer<typeof creditsSchema>;
