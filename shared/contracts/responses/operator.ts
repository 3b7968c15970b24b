/** What the `operator` function answers, action by action (issue 10 §4). */
import { z } from 'zod';
import { epochMs } from '../common';
import { profileSchema, spanSchema } from '../../profiles/schema';
import { kbOperatorResponses } from './kb';
import { commandResultSchema, commandsOfSchema, deliverySchema, detailFields, searchItemSchema, submitResultSchema, templateKeySchema, terminationGroundViewSchema } from './views';

const profile = profileSchema.shape;

/** operator.queue: a page of a queue, with the amber window and a warning while a year's holidays are missing. */
export const queuePageSchema = z
  .object({
    items: z.array(searchItemSchema),
    next: z.string().nullable(),
    warningWindow: spanSchema,
    calendarWarning: z.object({ year: z.number().int(), message: z.string() }).strict().nullable(),
  })
  .strict();

/** operator.get: the ticket with everything the operator's forms need. */
export const operatorDetailSchema = z
  .object({
    ...detailFields,
    /** Commands the server accepts from this viewer now. */
    actions: z.array(commandsOfSchema('operator')),
    /** What approving the pending extension would do (null without one). */
    extensionPreview: z.object({ from: epochMs.nullable(), dueAt: epochMs, span: z.string(), article: z.string() }).strict().nullable(),
    grounds: z.array(z.object({ code: z.string(), label: z.string(), article: z.string() }).strict()),
    supervisionLevels: z.array(z.string()),
    terminationGrounds: z.array(terminationGroundViewSchema),
    /** The appeal of how a ticket is counted (pingli 31); null where the profile has none. */
    appeal: profile.assessment.shape.appeal.unwrap().nullable(),
    /** The improper acts the profile names, with their articles (anshan 40, baiyin 29, linyi 46). */
    malicious: profile.malicious,
    escalation: z.string(),
    rating: profile.rating,
    clockPauses: profile.clockPauses,
    emergencyHandOff: profile.emergencyHandOff,
    coordination: profile.handling.shape.coordination,
  })
  .strict();

/** operator.suggestUnits: active units by score (a unit whose return of this ticket was approved comes last). */
export const suggestedUnitSchema = z
  .object({ id: z.string(), name: z.string(), score: z.number(), pastDispatches: z.number().int().nonnegative(), returnedAt: epochMs.optional() })
  .strict();

/** operator.failedNotices: a notice the outbox gave up on. */
export const failedNoticeSchema = z
  .object({
    id: z.string(),
    ticketId: z.string(),
    ticketNumber: z.string(),
    template: templateKeySchema,
    audience: z.string(),
    summary: z.string(),
    attempts: z.number().int().nonnegative(),
    lastError: z.string().nullable(),
    updatedAt: epochMs,
  })
  .strict();

export const operatorResponses = {
  queue: queuePageSchema,
  get: operatorDetailSchema,
  command: commandResultSchema,
  suggestUnits: z.array(suggestedUnitSchema),
  submit: submitResultSchema,
  messages: z.array(deliverySchema),
  failedNotices: z.array(failedNoticeSchema),
  retryNotice: z.object({ retried: z.literal(true) }).strict(),
  ...kbOperatorResponses,
};

export type QueuePage = z.infer<typeof queuePageSchema>;
export type OperatorDetail = z.infer<typeof operatorDetailSchema>;
export type SuggestedUnit = z.infer<typeof suggestedUnitSchema>;
export type FailedNotice = z.infer<typeof failedNoticeSchema>;
