import { z } from 'zod';
import { actorSchema, epochMs, fileRefSchema, roleSchema } from './common';
import { requestTypeSchema, urgencySchema, citationSchema, supervisionTriggerSchema, spanSchema } from '../profiles/schema';

export const deadlineKindSchema = z.enum(['accept', 'transfer', 'sign', 'return', 'handle', 'emergencyResponse', 'rework', 'response']);
export type DeadlineKind = z.infer<typeof deadlineKindSchema>;

/** A deadline carried on the ticket, with the article behind it. */
export const deadlineSchema = z.object({
  kind: deadlineKindSchema,
  /** Whom it binds: 'platform' or a unit id. */
  owner: z.string(),
  startedAt: epochMs,
  dueAt: epochMs,
  /** e.g. "2个工作日". */
  span: z.string(),
  citation: citationSchema,
  regulation: z.string(),
  status: z.enum(['active', 'met', 'missed', 'cancelled']),
  closedAt: epochMs.optional(),
  /**
   * True when the due instant reaches a year whose holiday arrangement is not loaded yet: it was
   * counted on weekends only and is recomputed (with an event in the ticket's history) when the
   * year is loaded. Shown as 暂定 wherever the deadline is shown.
   */
  provisional: z.boolean().optional(),
  /** The due instant before the first extension: anshan 22 counts 延期累计不超过两个月 from it. */
  baseDueAt: epochMs.optional(),
  /** How a provisional `dueAt` was computed, replayed when the year is loaded (see deadlineRules.ts). */
  calc: z
    .object({
      from: epochMs,
      steps: z.array(z.union([spanSchema, z.object({ pause: z.tuple([epochMs, epochMs]) })])),
    })
    .optional(),
});
export type Deadline = z.infer<typeof deadlineSchema>;

export const assignmentSchema = z.object({
  unitId: z.string(),
  role: z.enum(['lead', 'assist']),
  dispatchedAt: epochMs,
  signedAt: epochMs.optional(),
  feedback: z.array(z.object({ note: z.string(), at: epochMs, attachments: z.array(fileRefSchema) })).default([]),
});
export type Assignment = z.infer<typeof assignmentSchema>;

export const ratingRecordSchema = z.object({
  value: z.string(),
  reason: z.string().optional(),
  at: epochMs,
  /** 'platform': the platform's re-rating after a unit's dispute was upheld (anshan 23), with its article. */
  by: z.enum(['requester', 'revisit', 'platform']),
  method: z.enum(['online', 'phone', 'sms']).optional(),
  round: z.number().int().nonnegative(),
  article: z.string().optional(),
});
export type RatingRecord = z.infer<typeof ratingRecordSchema>;

export const contactResultSchema = z.enum(['reached', 'unreachable', 'declined', 'sent']);
export const contactRecordSchema = z.object({
  at: epochMs,
  unitId: z.string(),
  method: z.enum(['phone', 'visit', 'sms', 'online', 'relay', 'message']),
  result: contactResultSchema,
});
export type ContactRecord = z.infer<typeof contactRecordSchema>;

/**
 * Someone else who asked about the same matter (baiyin 23(5), anshan 25(2), hohhot 25, linyi 30):
 * the requester of a ticket merged into this one, or a resident who joined it (我也遇到). They are
 * told of progress and counted; views show units and other requesters no more than they may see.
 */
export const coRequesterSchema = z.object({
  userId: z.string().optional(),
  name: z.string().optional(),
  phone: z.string().optional(),
  confidential: z.boolean(),
  via: z.enum(['merge', 'join']),
  /** The ticket merged into this one (via 'merge'). */
  ticketId: z.string().optional(),
  number: z.string().optional(),
  at: epochMs,
});
export type CoRequester = z.infer<typeof coRequesterSchema>;

/** An operator's link between two tickets, recorded on both: the same matter asked again, or a related one. */
export const ticketLinkSchema = z.object({
  kind: z.enum(['duplicate', 'related']),
  ticketId: z.string(),
  number: z.string(),
  at: epochMs,
});
export type TicketLink = z.infer<typeof ticketLinkSchema>;

export const ticketSchema = z.object({
  id: z.string(),
  number: z.string(),
  version: z.number().int().positive(),
  profileId: z.string(),
  /** The saved profile revision the ticket was opened under; its rules apply to it to the end. */
  profileRev: z.number().int().positive().optional(),
  state: z.string(),
  type: requestTypeSchema,
  urgency: urgencySchema,
  /** The resident marked the request 紧急 at submission; the operator confirms it (classify) or not. */
  urgentHint: z.boolean().optional(),
  utilities: z.boolean().default(false),
  category: z.string(),
  title: z.string(),
  content: z.string(),
  location: z.object({
    address: z.string().optional(),
    area: z.string().optional(),
    grid: z.string().optional(),
    lat: z.number().optional(),
    lng: z.number().optional(),
  }),
  scene: z.string().optional(),
  channel: z.enum(['miniprogram', 'phone', 'grid', 'web']),
  requester: z.object({
    userId: z.string().optional(),
    name: z.string().optional(),
    phone: z.string().optional(),
    confidential: z.boolean(),
    /** Agreed to progress updates by SMS. */
    smsUpdates: z.boolean().optional(),
  }),
  reporter: z.object({ userId: z.string(), role: roleSchema }),
  clientRequestId: z.string().optional(),
  attachments: z.array(fileRefSchema),
  createdAt: epochMs,
  updatedAt: epochMs,
  /** Unit the complaint is about: it never sees who complained. */
  complainedUnitId: z.string().optional(),
  dispatchMode: z.enum(['single', 'lead', 'separate']).optional(),
  assignments: z.array(assignmentSchema),
  deadlines: z.array(deadlineSchema),
  /** Earliest active deadline, for the index the timer scans. */
  nextDueAt: epochMs.nullable(),
  overdue: z.boolean(),
  counters: z.object({
    returns: z.number().int().nonnegative(),
    extensions: z.number().int().nonnegative(),
    reworks: z.number().int().nonnegative(),
    contacts: z.number().int().nonnegative(),
  }),
  /** State to go back to when a pending review is rejected. */
  resumeState: z.string().optional(),
  pendingExtension: z.object({ reason: z.string(), days: z.number().positive().optional(), unit: spanSchema.shape.unit.optional(), at: epochMs }).optional(),
  pendingReturn: z.object({ reason: z.string(), basis: z.string().optional(), at: epochMs, unitId: z.string() }).optional(),
  /** A coordination the platform has to decide: asked by the unit, or started by a second return (baiyin 11(3), linyi 15(3)). */
  pendingCoordination: z.object({ unitId: z.string(), reason: z.string(), at: epochMs, auto: z.boolean() }).optional(),
  /** The platform's decision after coordination: this unit handles it and cannot return it. */
  coordination: z.object({ unitId: z.string(), basis: z.string(), at: epochMs, fallback: z.boolean() }).optional(),
  /** The first lead unit the ticket was dispatched to (首接单位, hohhot 12). */
  firstLeadUnitId: z.string().optional(),
  pausedAt: epochMs.optional(),
  /** The clock pause running (anshan 27): its code and by when the decision is due (maxSpan). */
  pause: z.object({ code: z.string(), limitAt: epochMs }).optional(),
  reply: z
    .object({
      result: z.string(),
      handler: z.string(),
      legalBasis: z.string().optional(),
      notifiedBy: z.string().optional(),
      caseNumber: z.string().optional(),
      caseDate: z.string().optional(),
      noCaseReason: z.string().optional(),
      attachments: z.array(fileRefSchema),
      at: epochMs,
      unitId: z.string(),
    })
    .optional(),
  answer: z.object({ text: z.string(), articleId: z.string().optional(), at: epochMs }).optional(),
  rejection: z.object({ groundCode: z.string(), label: z.string(), article: z.string(), note: z.string().optional() }).optional(),
  ratings: z.array(ratingRecordSchema),
  supervision: z.object({
    level: z.number().int().nonnegative(),
    triggers: z.array(supervisionTriggerSchema),
    escalated: z.boolean(),
  }),
  firstSignedAt: epochMs.optional(),
  resolvedAt: epochMs.optional(),
  closedAt: epochMs.optional(),
  parentId: z.string().optional(),
  childIds: z.array(z.string()).optional(),
  /** Other requesters of the same matter: merged tickets' requesters and residents who joined. */
  coRequesters: z.array(coRequesterSchema).optional(),
  /** Links an operator made to other tickets (shown on both). */
  links: z.array(ticketLinkSchema).optional(),
  /** Closed as merged: the ticket that is handled instead. */
  mergedInto: z.object({ ticketId: z.string(), number: z.string(), at: epochMs }).optional(),
  termination: z
    .object({ reason: z.string(), at: epochMs, groundCode: z.string().optional(), article: z.string().optional(), proposedByUnitId: z.string().optional() })
    .optional(),
  /** A unit's termination proposal waiting for the operator (baiyin 19, linyi 18, 19). */
  pendingTermination: z.object({ groundCode: z.string(), article: z.string(), reason: z.string(), at: epochMs, unitId: z.string() }).optional(),
  /** The lead unit's dispute of the rating of a round, waiting for the operator (anshan 23). */
  pendingDispute: z.object({ round: z.number().int().nonnegative(), value: z.string(), reason: z.string(), at: epochMs, unitId: z.string() }).optional(),
  /** Decided disputes: one per rated round; upheld ones end in a platform re-rating in `ratings`. */
  disputes: z.array(z.object({ round: z.number().int().nonnegative(), unitId: z.string(), reason: z.string(), at: epochMs, upheld: z.boolean(), note: z.string(), decidedAt: epochMs, value: z.string().optional() })).optional(),
  /** The lead unit's appeal of how the ticket is counted against it, waiting for the operator (pingli 31). */
  pendingAppeal: z.object({ unitId: z.string(), groundCode: z.string(), metrics: z.array(z.enum(['response', 'resolution', 'satisfaction', 'onTime'])), reason: z.string(), at: epochMs }).optional(),
  /** Decided appeals; an upheld one takes the ticket out of the named rates of that unit (shared/metrics/facts.ts). */
  appeals: z
    .array(z.object({ unitId: z.string(), groundCode: z.string(), metrics: z.array(z.enum(['response', 'resolution', 'satisfaction', 'onTime'])), reason: z.string(), at: epochMs, upheld: z.boolean(), note: z.string(), decidedAt: epochMs }))
    .optional(),
  /**
   * The record of an improper request (anshan 40, baiyin 29, linyi 46): operators see all of it, the
   * requester the ground and the decision, units nothing (shared/workflow/visibility.ts).
   */
  malicious: z
    .object({
      groundCode: z.string(),
      article: z.string(),
      note: z.string(),
      at: epochMs,
      by: z.string(),
      /** 'withdrawn' after an upheld objection. */
      status: z.enum(['standing', 'withdrawn']),
      objection: z.object({ reason: z.string(), at: epochMs, decided: z.boolean(), upheld: z.boolean().optional(), note: z.string().optional(), decidedAt: epochMs.optional() }).optional(),
    })
    .optional(),
  /** The platform's revisits of the requester (no rating: `ratings` holds those). */
  revisits: z.array(z.object({ method: z.enum(['phone', 'sms', 'online']), result: z.string(), words: z.string().optional(), at: epochMs, by: z.string() })).optional(),
  /** Passed to an emergency line: which, when, by which operator (anshan 20(3), hohhot 12, pingli 7(2)). */
  handOffs: z.array(z.object({ line: z.string(), label: z.string(), at: epochMs, by: z.string(), note: z.string().optional() })).optional(),
  /** After the final 不满意: the operator's conclusion when the ticket is archived (pingli 20, baiyin 17). */
  conclusion: z.object({ note: z.string(), at: epochMs, by: z.string() }).optional(),
  /** Each contact with the requester: by the unit itself, by the platform's relay, or a platform message (baiyin 14(1), pingli 10(1), linyi 17(1)). */
  contactLog: z.array(contactRecordSchema).optional(),
  /** A relayed call the unit asked for (confidential ticket or the unit complained about): an operator connects it. */
  relay: z.object({ unitId: z.string(), note: z.string(), at: epochMs, port: z.enum(['operator', 'axb']) }).optional(),
});
export type Ticket = z.infer<typeof ticketSchema>;

export const ticketEventSchema = z.object({
  id: z.string(),
  ticketId: z.string(),
  /** Equals the ticket's version after this event. */
  seq: z.number().int().positive(),
  type: z.string(),
  actor: actorSchema,
  at: epochMs,
  from: z.string().nullable(),
  to: z.string(),
  note: z.string().optional(),
  attachments: z.array(fileRefSchema).default([]),
  data: z.record(z.unknown()).optional(),
  /** Shown on the resident's timeline. */
  public: z.boolean(),
});
export type TicketEvent = z.infer<typeof ticketEventSchema>;
