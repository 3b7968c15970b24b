import type { Actor } from '../contracts/common';
import type { PolicyProfile } from '../profiles/schema';

const DAY = 86_400_000;

/**
 * The repeated-requester trigger (`supervision.repeatedRequester`, platform-set): from when a
 * resident's earlier requests are counted, or null when the profile does not use the trigger or
 * the submitter is not a resident.
 */
export function repeatedRequesterSince(profile: PolicyProfile, actor: Actor, now: number): number | null {
  if (!profile.supervision.triggers.includes('repeated-requester') || actor.role !== 'resident') return null;
  return now - profile.supervision.repeatedRequester.withinDays * DAY;
}

/** Whether a new request, after `earlier` requests in the window, reaches the profile's count. */
export function isRepeatedRequester(profile: PolicyProfile, earlier: number): boolean {
  return earlier + 1 >= profile.supervision.repeatedRequester.count;
}
