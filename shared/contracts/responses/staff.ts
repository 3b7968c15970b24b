/** What the `staff` function answers, action by action (issue 10 §4). */
import { z } from 'zod';
import { epochMs } from '../common';
import { profileSchema, spanSchema } from '../../profiles/schema';
import { kbStaffResponses } from './kb';
import { commandResultSchema, commandsOfSchema, creditsSchema, deliverySchema, detailFields, replyTemplateViewSchema, searchItemSchema, subscribeTemplatesSchema, terminationGroundViewSchema } from './views';

const handling = profileSchema.shape.handling.shape;
const count = z.number().int().nonnegative();

/** staff.inbox: a page of the unit's tickets, with the amber window and the server's clock. */
export const inboxPageSchema = z
  .object({ items: z.array(searchItemSchema), next: z.string().nullable(), warningWindow: spanSchema, now: epochMs, subscribeTemplates: subscribeTemplatesSchema })
  .strict();

/** staff.counts: how many tickets wait under each inbox filter (已办结 is not counted). */
export const inboxCountsSchema = z
  .object({ toSign: count, inProgress: count, returned: count, extensionPending: count, rework: count, supervised: count })
  .strict();

/** The profile's rules for unit work, sent with each ticket. */
export const staffRulesSchema = z
  .object({
    extension: profileSchema.shape.extension,
    returnWithin: handling.returnWithin,
    returnNeedsProof: handling.returnNeedsProof,
    complaintNeedsCaseNumber: handling.complaintNeedsCaseNumber,
    contact: handling.contact,
    /** The fewest characters a reply's result may have (profile `reply.minResultLength`). */
    replyMinChars: z.number().int().min(1).max(500),
    terminationGrounds: z.array(terminationGroundViewSchema),
    /** The appeal of how a ticket is counted (pingli 31): its article and grounds; null where the profile has none. */
    appeal: profileSchema.shape.assessment.shape.appeal.unwrap().nullable(),
  })
  .strict();

/** staff.get: the detail with the unit's role, the rules it works under and the last day to ask for a return. */
export const staffDetailSchema = z
  .object({
    ...detailFields,
    /** Commands the server accepts from this viewer now. */
    actions: z.array(commandsOfSchema('staff')),
    myRole: z.enum(['lead', 'assist']).optional(),
    warningWindow: spanSchema,
    /** The last instant a return may be asked for (the app did not declare this before §4). */
    returnBy: epochMs.nullable(),
    rules: staffRulesSchema,
    contactRequired: z.boolean(),
  })
  .strict();

/** staff.revealPhone: the full number, logged on the ticket. */
export const revealedPhoneSchema = z.object({ phone: z.string(), revealedAt: epochMs, version: z.number().int().positive() }).strict();

/** staff.relayCall: how the platform connects the call (operator, or an AXB middle number). */
export const relayCallSchema = z
  .object({
    binding: z.union([z.object({ port: z.literal('operator') }).strict(), z.object({ port: z.literal('axb'), middleNumber: z.string(), expiresAt: epochMs }).strict()]),
    version: z.number().int().positive(),
  })
  .strict();

export const staffResponses = {
  inbox: inboxPageSchema,
  counts: inboxCountsSchema,
  get: staffDetailSchema,
  command: commandResultSchema,
  revealPhone: revealedPhoneSchema,
  relayCall: relayCallSchema,
  credits: creditsSchema,
  subscribe: creditsSchema,
  messages: z.array(deliverySchema),
  templates: z.array(replyTemplateViewSchema),
  ...kbStaffResponses,
};

export type InboxPage = z.infer<typeof inboxPageSchema>;
export type InboxCounts = z.infer<typeof inboxCountsSchema>;
export type StaffRules = z.infer<typeof staffRulesSchema>;
export type StaffDetail = z.infer<typeof staffDetailSchema>;
export type RevealedPhone = z.infer<typeof revealedPhoneSchema>;
export type RelayCall = z.infer<typeof relayCallSchema>;
