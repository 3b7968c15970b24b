/** What the `resident` function answers, action by action (issue 10 §4). */
import { z } from 'zod';
import { epochMs, roleSchema } from '../common';
import { profileSchema } from '../../profiles/schema';
import { commandResultSchema, commandsOfSchema, creditsSchema, detailFields, listItemSchema, pageOf, submitResultSchema, subscribeTemplatesSchema, ticketViewSchema } from './views';

const profile = profileSchema.shape;

/** resident.get: the detail, with the profile's rating scale and the rework rounds used. */
export const residentDetailSchema = z
  .object({
    ...detailFields,
    /** Commands the server accepts from this viewer now. */
    actions: z.array(commandsOfSchema('resident')),
    rating: profile.rating,
    rework: z.object({ maxCount: z.number().int().nonnegative(), used: z.number().int().nonnegative() }).strict(),
  })
  .strict();

/** resident.lookup: a ticket found by number and phone tail, without files, notes or names. */
export const lookupSchema = z
  .object({
    ticket: ticketViewSchema
      .pick({ id: true, number: true, title: true, type: true, category: true, state: true, labels: true, createdAt: true })
      .extend({
        reply: z.object({ result: z.string(), at: epochMs }).strict().optional(),
        answer: z.object({ text: z.string() }).strict().optional(),
      })
      .strict(),
    timeline: z.array(
      z.object({ seq: z.number().int(), type: z.string(), label: z.string(), at: epochMs, to: z.string(), stateLabel: z.string(), stateChanged: z.boolean(), actor: z.object({ role: roleSchema, shown: z.string().optional() }).strict() }).strict(),
    ),
    deadline: z.object({ dueAt: epochMs, basis: z.string() }).strict().nullable(),
  })
  .strict();

/** resident.kbSearch: up to five knowledge-base answers. */
export const kbHitSchema = z.object({ id: z.string(), title: z.string(), answer: z.string() }).strict();

/** resident.scene: the place a QR code stands for. */
export const sceneSchema = z
  .object({ id: z.string(), place: z.string(), area: z.string().optional(), grid: z.string().optional(), category: z.string().optional(), createdAt: epochMs.optional() })
  .strict();

/** resident.profile: the profile as residents see it. */
export const publicProfileViewSchema = z
  .object({
    id: z.string(),
    regulation: z.string(),
    place: z.string(),
    platformName: z.string(),
    requestTypes: profile.requestTypes,
    rating: profile.rating,
    rework: profile.rework,
    withdrawal: profile.withdrawal,
    confidentiality: profile.intake.shape.confidentiality,
    categories: z.array(z.string()),
    subscribeTemplates: subscribeTemplatesSchema,
    /** Timeline labels of the commands a resident issues (the app did not know these before §4). */
    labels: z.record(z.string()),
    /** Button texts of the same commands. */
    actionLabels: z.record(z.string()),
  })
  .strict();

/** resident.nearby: an open request of the same matter nearby, as a stranger may see it (no name, phone, number or address). */
export const nearbyItemSchema = z
  .object({
    ticketId: z.string(),
    category: z.string(),
    summary: z.string(),
    area: z.string().optional(),
    stateLabel: z.string(),
    createdAt: epochMs,
    requesterCount: z.number().int().positive(),
    /** The caller is already counted on it (their own request, or joined before). */
    joined: z.boolean(),
  })
  .strict();

export const residentResponses = {
  submit: submitResultSchema,
  get: residentDetailSchema,
  listMine: pageOf(listItemSchema),
  lookup: lookupSchema,
  command: commandResultSchema,
  kbSearch: z.array(kbHitSchema),
  scene: sceneSchema,
  profile: publicProfileViewSchema,
  subscribe: creditsSchema,
  nearby: z.array(nearbyItemSchema),
  join: commandResultSchema,
};

export type ResidentDetail = z.infer<typeof residentDetailSchema>;
export type LookupResult = z.infer<typeof lookupSchema>;
export type KbHit = z.infer<typeof kbHitSchema>;
export type Scene = z.infer<typeof sceneSchema>;
export type NearbyItem = z.infer<typeof nearbyItemSchema>;
export type PublicProfileView = z.infer<typeof publicProfileViewSchema>;
