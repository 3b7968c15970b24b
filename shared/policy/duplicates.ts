import { DomainError } from '../errors';
import type { Limits } from './limits';

/** The text two submissions must share to count as the same: trimmed, whitespace runs collapsed. */
export function normalizeContent(content: string): string {
  return content.trim().replace(/\s+/g, ' ');
}

/** From when a caller's earlier submissions count as duplicates of this one. */
export const duplicateWindowStart = (now: number, limits: Limits): number => now - limits.duplicateWindowMs;

/**
 * Refuses a submission whose normalized content the caller already sent within the window; the
 * refusal names that earlier ticket (`data`), so the app can link to it.
 */
export function checkDuplicate(recent: { duplicate: boolean; duplicateOf?: { id: string; number: string } }): void {
  if (!recent.duplicate) return;
  const earlier = recent.duplicateOf ? { ticketId: recent.duplicateOf.id, number: recent.duplicateOf.number } : undefined;
  throw new DomainError('duplicate-submission', undefined, undefined, earlier);
}
