import { createHash } from 'node:crypto';

import { normalizeContent } from '../../shared/policy';

/** sha256 (hex) of the normalized content: what `recentByReporter` returns for duplicate checks. */
export function contentHash(content: string): string {
  return createHash('sha256').update(normalizeContent(content), 'utf8').digest('hex');
}
