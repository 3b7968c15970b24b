import { createHash } from 'node:crypto';

/** The text two submissions must share to count as the same: trimmed, whitespace runs collapsed. */
export function normalizeContent(content: string): string {
  return content.trim().replace(/\s+/g, ' ');
}

/** sha256 (hex) of the normalized content: what `recentByReporter` returns for duplicate checks. */
export function contentHash(content: string): string {
  return createHash('sha256').update(normalizeContent(content), 'utf8').digest('hex');
}
