/** What the `admin` function answers, action by action (issue 10 §4). */
import { z } from 'zod';
import { kbReviewSchema, kbRevisionSchema } from './kb';
import { epochMs, roleSchema } from '../common';
import { profileSchema } from '../../profiles/schema';
import { replyTemplateViewSchema } from './views';
import { sceneSchema } from './resident';

const count = z.number().int().nonnegative();
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const unitRecordSchema = z.object({ id: z.string(), name: z.string(), categories: z.array(z.string()), areas: z.array(z.string()), active: z.boolean() }).strict();

/** admin.invite: a one-time invite, with a code to scan and (local runtime) the bind page's link. */
export const inviteViewSchema = z
  .object({
    code: z.string(),
    unitId: z.string().optional(),
    role: z.enum(['staff', 'operator', 'grid']),
    createdBy: z.string(),
    createdAt: epochMs,
    expiresAt: epochMs,
    qr: z.string(),
    link: z.string().optional(),
  })
  .strict();

export const directoryUserSchema = z.object({ id: z.string(), name: z.string(), roles: z.array(roleSchema), unitId: z.string().optional() }).strict();

/** admin.accounts: one person who signs in, and how (phone masked). */
export const accountRowSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    roles: z.array(roleSchema),
    unitId: z.string().optional(),
    unitName: z.string().optional(),
    login: z.string().optional(),
    phone: z.string().optional(),
    signIn: z.enum(['password', 'wechat', 'none']),
    totp: z.boolean(),
    lockedUntil: epochMs.optional(),
    resetPendingUntil: epochMs.optional(),
  })
  .strict();

/** admin.sessions and auth.sessions (cloudfunctions/lib/accounts.ts sessionView). */
export const sessionViewSchema = z
  .object({
    id: z.string(),
    via: z.enum(['password', 'sms', 'wechat', 'demo', 'invite']),
    scope: z.enum(['full', 'enrol']),
    createdAt: epochMs,
    expiresAt: epochMs,
    ip: z.string().optional(),
    active: z.boolean(),
    revokedAt: epochMs.optional(),
    current: z.boolean(),
  })
  .strict();

/** admin.audit: one line of the sign-in audit log. */
export const authAuditEntrySchema = z
  .object({ id: z.string(), at: epochMs, kind: z.string(), userId: z.string().optional(), actorId: z.string().optional(), login: z.string().optional(), ip: z.string().optional(), detail: z.string().optional() })
  .strict();

/** admin.poster: the scene's QR code (local runtime) or mini-program code (CloudBase). */
export const posterSchema = z
  .object({ scene: sceneSchema, platformName: z.string(), image: z.string(), url: z.string().optional(), kind: z.enum(['qrcode', 'wxacode']), warning: z.string().optional() })
  .strict();

export const kbRecordSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    answer: z.string(),
    keywords: z.array(z.string()),
    category: z.string().optional(),
    unitId: z.string().optional(),
    updatedAt: epochMs,
    /** The review date (kb upkeep, issue 18 §4); the live revision; a unit's pending edit and the last decision. */
    reviewBy: epochMs.optional(),
    revision: z.number().int().positive().optional(),
    pending: kbRevisionSchema.optional(),
    lastReview: kbReviewSchema.optional(),
    /** admin.kb: how often operators answered from it. */
    uses: z.number().int().nonnegative().optional(),
  })
  .strict();

/** admin.calendar: the built-in and loaded holiday years, and a warning while a year is missing. */
export const calendarInfoSchema = z
  .object({
    builtIn: z.array(z.number().int()),
    loaded: z.array(z.object({ year: z.number().int(), holidays: count, makeUpWorkdays: count }).strict()),
    warning: z.object({ year: z.number().int(), message: z.string() }).strict().nullable(),
  })
  .strict();

/** admin.putCalendar / importNotice: the year saved, and how many provisional tickets were recomputed. */
export const savedYearSchema = z.object({ year: z.number().int(), holidays: count, makeUpWorkdays: count, recomputed: count }).strict();

/** admin.parseNotice: the year read from a pasted notice, before it is confirmed. */
export const parsedNoticeSchema = z
  .object({
    year: z.number().int(),
    festivals: z.array(z.object({ names: z.array(z.string()), holidays: z.array(day), makeUpWorkdays: z.array(day), text: z.string() }).strict()),
    holidays: z.array(day),
    makeUpWorkdays: z.array(day),
    outsideYear: z.array(z.string()),
    replaces: z.boolean(),
  })
  .strict();

/** admin.profile: the full profile in force, its overrides and the profiles on offer. */
export const profileInfoSchema = z
  .object({
    current: profileSchema,
    overrides: z.array(z.object({ path: z.string(), value: z.unknown() }).strict()),
    available: z.array(z.object({ id: z.string(), regulation: z.string(), place: z.string() }).strict()),
  })
  .strict();

/** admin.contentWords / putContentWords: the word list content is checked against. */
export const contentWordsSchema = z.object({ words: z.array(z.string()), updatedAt: epochMs.nullable(), max: count }).strict();

const ruleLine = z.object({ key: z.string(), label: z.string(), value: z.string() }).strict();
/** admin.previewProfile: what a switch or an override would change, item by item. */
export const profilePreviewSchema = z
  .object({
    id: z.string(),
    regulation: z.string(),
    switching: z.boolean(),
    changes: z.array(z.object({ key: z.string(), label: z.string(), from: z.string().nullable(), to: z.string().nullable() }).strict()),
    rules: z.array(ruleLine),
    appliesTo: z.literal('new-tickets'),
  })
  .strict();

export const adminResponses = {
  units: z.array(unitRecordSchema),
  putUnit: unitRecordSchema,
  invite: inviteViewSchema,
  users: z.array(directoryUserSchema),
  accounts: z.array(accountRowSchema),
  removeUser: z.object({ removed: z.string(), sessionsEnded: count }).strict(),
  /** Shown once: the one-time code with which the user sets a new password. */
  resetCode: z.object({ code: z.string(), login: z.string(), expiresAt: epochMs }).strict(),
  sessions: z.array(sessionViewSchema),
  revokeSession: z.object({ revoked: z.boolean() }).strict(),
  audit: z.array(authAuditEntrySchema),
  scenes: z.array(sceneSchema),
  putScene: sceneSchema,
  poster: posterSchema,
  kb: z.array(kbRecordSchema),
  putKb: kbRecordSchema,
  deleteKb: z.object({ id: z.string() }).strict(),
  calendar: calendarInfoSchema,
  putCalendar: savedYearSchema,
  parseNotice: parsedNoticeSchema,
  importNotice: savedYearSchema,
  profile: profileInfoSchema,
  contentWords: contentWordsSchema,
  putContentWords: contentWordsSchema,
  setProfile: z.object({ id: z.string(), regulation: z.string(), rev: z.number().int().positive(), appliesTo: z.literal('new-tickets') }).strict(),
  previewProfile: profilePreviewSchema,
  templates: z.array(replyTemplateViewSchema),
  putTemplate: replyTemplateViewSchema,
  deleteTemplate: z.object({ id: z.string() }).strict(),
};

export type UnitRecord = z.infer<typeof unitRecordSchema>;
export type InviteView = z.infer<typeof inviteViewSchema>;
export type DirectoryUser = z.infer<typeof directoryUserSchema>;
export type AccountRow = z.infer<typeof accountRowSchema>;
export type SessionView = z.infer<typeof sessionViewSchema>;
export type AuthAuditEntry = z.infer<typeof authAuditEntrySchema>;
export type Poster = z.infer<typeof posterSchema>;
export type KbRecord = z.infer<typeof kbRecordSchema>;
export type CalendarInfo = z.infer<typeof calendarInfoSchema>;
export type ParsedNoticeView = z.infer<typeof parsedNoticeSchema>;
export type ProfileInfo = z.infer<typeof profileInfoSchema>;
export type ProfilePreview = z.infer<typeof profilePreviewSchema>;
