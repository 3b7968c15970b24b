import type { Actor } from '../contracts/common';
import { DomainError } from '../errors';

/** Abuse protection (baiyin 29, linyi 12/46): configurable, each refusal with a Chinese message. */
export interface Limits {
  /** Submissions one user may make per hour. */
  submissionsPerHour: number;
  /** Identical content from one user within this window is refused as a duplicate. */
  duplicateWindowMs: number;
  /** Look-ups (ticket number + phone tail) one caller may try per window. */
  lookupsPerWindow: number;
  lookupWindowMs: number;
  /** Public-disclosure reads (`public.*`, no account) one address may make per window. */
  publicReadsPerWindow: number;
  publicWindowMs: number;
}

export const DEFAULT_LIMITS: Limits = {
  submissionsPerHour: 20,
  duplicateWindowMs: 24 * 3_600_000,
  lookupsPerWindow: 10,
  lookupWindowMs: 10 * 60_000,
  // A month's page is one call; 60 a minute lets a person page through months freely and stops a
  // script from making the facts queries (about 30 per call) run without end.
  publicReadsPerWindow: 60,
  publicWindowMs: 60_000,
};

/** The window submissions are counted in for `submissionsPerHour`. */
export const SUBMISSION_RATE_WINDOW_MS = 3_600_000;

/** Operators register calls for many residents: the per-user abuse limits are not theirs. */
export const abuseLimitsApply = (actor: Actor): boolean => actor.role !== 'operator';

/** Refuses the submission that takes the caller over the hourly limit (`hits` counts it). */
export function checkSubmissionRate(hits: number, limits: Limits): void {
  if (hits > limits.submissionsPerHour) throw new DomainError('rate-limited', `每小时最多提交${limits.submissionsPerHour}件诉求，请稍后再试`);
}
