import type { Actor } from '../contracts/common';
import type { Ticket } from '../contracts/ticket';
import { personalDataIn } from './personalData';
import { isCoRequester } from './visibility';

/** What a resident is about to submit: the category and the place (area, address, QR scene). */
export interface NearbyQuery {
  category: string;
  location: { area?: string; address?: string };
  scene?: string;
}

/** States a request can still be joined in (the join row of the transitions table). */
const JOINABLE = new Set(['submitted', 'accepted', 'dispatched', 'handling', 'returnRequested', 'coordinationRequested', 'extensionRequested']);

const same = (a: string | undefined, b: string | undefined) => !!a?.trim() && a.trim() === b?.trim();

/**
 * 附近已有人反映: an open request of the same category at the same place (area, address or QR
 * scene) that a stranger may be shown and may join. Never a confidential one, nor a consultation.
 */
export function nearbyMatch(t: Ticket, q: NearbyQuery): boolean {
  if (!JOINABLE.has(t.state) || t.requester.confidential || t.type === 'consultation') return false;
  if (t.category !== q.category.trim()) return false;
  return same(q.location.area, t.location.area) || same(q.location.address, t.location.address) || same(q.scene, t.scene);
}

const SUMMARY_CHARS = 30;

/**
 * A short summary safe to show a stranger: the first words of the request with every run of
 * digits masked, or only the category when the text names a person, a number or a house.
 */
export function nearbySummary(t: Ticket): string {
  const known = { name: t.requester.name, phone: t.requester.phone, address: t.location.address };
  if (personalDataIn(`${t.title}\n${t.content}`, known).length > 0) return `有市民反映${t.category}问题`;
  const flat = t.content.replace(/\s+/g, ' ').trim().replace(/\d{3,}/g, '…');
  return [...flat].length > SUMMARY_CHARS ? `${[...flat].slice(0, SUMMARY_CHARS).join('')}…` : flat;
}

/** The caller is already counted on the ticket (its requester, reporter or a co-requester). */
export function countedOn(t: Ticket, actor: Actor): boolean {
  return t.requester.userId === actor.userId || t.reporter.userId === actor.userId || isCoRequester(t, actor);
}
