import type { Actor } from '../contracts/common';
import type { CoRequester, Ticket } from '../contracts/ticket';
import type { PolicyProfile, SupervisionTrigger } from '../profiles/schema';
import { phoneKey } from '../search/terms';

const DAY = 86_400_000;

/**
 * The repeated-requester trigger (`supervision.repeatedRequester`, platform-set): from when a
 * resident's earlier requests are counted, or null when the profile does not use the trigger or
 * the submitter is not a resident.
 * Kept for callers that count a resident's requests of any matter (the abuse limits); the trigger
 * itself counts requests of the same matter (`supervisionTriggersFor`).
 */
export function repeatedRequesterSince(profile: PolicyProfile, actor: Actor, now: number): number | null {
  if (!profile.supervision.triggers.includes('repeated-requester') || actor.role !== 'resident') return null;
  return now - profile.supervision.repeatedRequester.withinDays * DAY;
}

/** Whether a new request, after `earlier` requests in the window, reaches the profile's count. */
export function isRepeatedRequester(profile: PolicyProfile, earlier: number): boolean {
  return earlier + 1 >= profile.supervision.repeatedRequester.count;
}

/**
 * Who asked, whatever the channel: the requester's phone where one is known (a phone call and an
 * app submission of the same person meet there), else the resident's account.
 */
export function requesterKey(t: { requester: Pick<Ticket['requester'], 'phone' | 'userId'> }): string | null {
  const phone = phoneKey(t.requester.phone);
  if (phone) return `phone:${phone}`;
  return t.requester.userId ? `user:${t.requester.userId}` : null;
}

/** A co-requester's key, as `requesterKey` (phone first, else the account). */
export function coRequesterKey(c: Pick<CoRequester, 'phone' | 'userId'>): string | null {
  const phone = phoneKey(c.phone);
  if (phone) return `phone:${phone}`;
  return c.userId ? `user:${c.userId}` : null;
}

/** Everyone who asked about this ticket's matter: its requester and its co-requesters (merged, joined), by key. */
export function requesterKeys(t: { requester: Pick<Ticket['requester'], 'phone' | 'userId'>; coRequesters?: Pick<CoRequester, 'phone' | 'userId'>[] | undefined }): Set<string> {
  const keys = new Set<string>();
  const own = requesterKey(t);
  if (own) keys.add(own);
  for (const c of t.coRequesters ?? []) {
    const k = coRequesterKey(c);
    if (k) keys.add(k);
  }
  return keys;
}

/** The collective count: distinct requesters of the ticket (its own, merged and joined); at least 1. */
export function requesterCount(t: Parameters<typeof requesterKeys>[0]): number {
  return Math.max(1, requesterKeys(t).size);
}

/** Whether a ticket's own distinct requesters reach the many-requesters count (a merge or a join may do it). */
export function reachesManyRequesters(profile: PolicyProfile, t: Pick<Ticket, 'requester' | 'coRequesters'>): boolean {
  return profile.supervision.triggers.includes('many-requesters') && requesterKeys(t).size >= profile.supervision.manyRequesters.count;
}

/**
 * What the same-matter rules read of a request: a whole ticket, or (for an earlier request found
 * by its area) its list summary, which has no address, scene or parent — none of which decides
 * the match when the place is the area and the new request has no parent.
 */
export interface MatterCandidate {
  id: string;
  category: string;
  createdAt: number;
  parentId?: string | undefined;
  scene?: string | undefined;
  location: { area?: string | undefined; address?: string | undefined };
  requester: Pick<Ticket['requester'], 'phone' | 'userId'>;
  coRequesters?: Pick<CoRequester, 'phone' | 'userId'>[] | undefined;
}

/** Where: the area, else the address, else the QR scene; null when the request names no place. */
export function placeKey(t: Pick<MatterCandidate, 'location' | 'scene'>): string | null {
  const area = t.location.area?.trim();
  if (area) return `area:${area}`;
  const address = t.location.address?.trim();
  if (address) return `address:${address}`;
  return t.scene ? `scene:${t.scene}` : null;
}

/** The same matter: linked (a split's parent and children), or the same category at the same place. */
export function sameMatter(a: MatterCandidate, b: MatterCandidate): boolean {
  if (a.parentId === b.id || b.parentId === a.id || (a.parentId !== undefined && a.parentId === b.parentId)) return true;
  const place = placeKey(a);
  return place !== null && a.category === b.category && place === placeKey(b);
}

/** Where each same-matter trigger's window starts, from `now`: earlier requests are not counted. */
export function triggerWindows(profile: PolicyProfile, now: number): { repeatedRequester: number; manyRequesters: number } {
  const s = profile.supervision;
  return { repeatedRequester: now - s.repeatedRequester.withinDays * DAY, manyRequesters: now - s.manyRequesters.withinDays * DAY };
}

/** The longest window either trigger reads, from `now` (what the caller loads). */
export function triggerWindowStart(profile: PolicyProfile, now: number): number {
  const w = triggerWindows(profile, now);
  return Math.min(w.repeatedRequester, w.manyRequesters);
}

/**
 * The supervision triggers a new request fires, from the earlier requests the caller loaded
 * (same category and place, or the same requester; any channel, phone intake included):
 *  - repeated-requester: this requester asked about the same matter `count` times in the window
 *    (baiyin 23(4) 多次反映, anshan 25(2), hohhot, linyi) — not any `count` requests of theirs;
 *  - many-requesters: `count` different requesters asked about the same matter in the window
 *    (baiyin 23(5) 多个诉求人集中反映, anshan 25(2), pingli 24(2) 集中投诉举报, linyi 30).
 */
export function supervisionTriggersFor(profile: PolicyProfile, ticket: Ticket, earlier: readonly MatterCandidate[], now: number): SupervisionTrigger[] {
  const s = profile.supervision;
  const out: SupervisionTrigger[] = [];
  const same = earlier.filter((e) => e.id !== ticket.id && sameMatter(ticket, e));
  const key = requesterKey(ticket);
  const windows = triggerWindows(profile, now);
  if (s.triggers.includes('repeated-requester') && key) {
    const mine = same.filter((e) => e.createdAt >= windows.repeatedRequester && requesterKey(e) === key);
    if (mine.length + 1 >= s.repeatedRequester.count) out.push('repeated-requester');
  }
  if (s.triggers.includes('many-requesters')) {
    // Requesters merged into or joining an earlier ticket are counted too (the collective count).
    const who = new Set(same.filter((e) => e.createdAt >= windows.manyRequesters).flatMap((e) => [...requesterKeys(e)]));
    for (const k of requesterKeys(ticket)) who.add(k);
    if (who.size >= s.manyRequesters.count) out.push('many-requesters');
  }
  return out;
}

/** Triggers a requester is not shown on their own ticket: being counted as a repeated requester is the platform's note. */
export const INTERNAL_TRIGGERS: readonly SupervisionTrigger[] = ['repeated-requester'];
