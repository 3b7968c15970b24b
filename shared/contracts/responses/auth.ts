/** What the `auth` function answers, action by action (issue 10 §4). */
import { z } from 'zod';
import { epochMs, roleSchema } from '../common';
import { sessionViewSchema } from './admin';

/** cloudfunctions/lib/accounts.ts userView: the signed-in person. */
export const sessionUserSchema = z.object({ id: z.string(), name: z.string(), roles: z.array(roleSchema), unitId: z.string().optional(), unitName: z.string().optional() }).strict();

/** A session started: its token and its user (demo login: no expiry or enrolment flag). */
export const signedInSchema = z.object({ token: z.string(), user: sessionUserSchema, expiresAt: epochMs }).strict();
/** Password sign-in and invite registration: `totpEnrolment` while the second factor must still be set up. */
export const passwordSignedInSchema = signedInSchema.extend({ totpEnrolment: z.boolean() }).strict();

export const authResponses = {
  login: z.object({ token: z.string(), user: sessionUserSchema }).strict(),
  whoami: sessionUserSchema.extend({ totpEnrolment: z.literal(true).optional() }).strict(),
  demoUsers: z.array(sessionUserSchema),
  redeemInvite: sessionUserSchema,
  passwordLogin: passwordSignedInSchema,
  /** The authenticator app's secret and its otpauth:// URI. */
  totpBegin: z.object({ secret: z.string(), uri: z.string() }).strict(),
  totpConfirm: z.object({ enabled: z.literal(true) }).strict(),
  logout: z.object({ loggedOut: z.boolean() }).strict(),
  sessions: z.array(sessionViewSchema),
  revokeSession: z.object({ revoked: z.boolean() }).strict(),
  resetPassword: z.object({ reset: z.literal(true), login: z.string() }).strict(),
  registerWithInvite: passwordSignedInSchema,
  smsSend: z.object({ sent: z.literal(true), expiresInSec: z.number().int().positive(), resendInSec: z.number().int().positive() }).strict(),
  smsLogin: signedInSchema,
  wxLogin: signedInSchema,
};

export type SessionUser = z.infer<typeof sessionUserSchema>;
export type SignedIn = z.infer<typeof signedInSchema>;
