import { DomainError } from '../../shared/errors';

/**
 * Page cursors of both stores: an opaque base64url of `[tag, k1, k2]`, where the tag names the
 * listing (its sort order) so a cursor from one listing is refused by another.
 */
export function encodeCursor(tag: string, k1: number, k2: string): string {
  return Buffer.from(JSON.stringify([tag, k1, k2]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, tag: string): [number, string] {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 3 && v[0] === tag && Number.isSafeInteger(v[1]) && typeof v[2] === 'string') return [v[1] as number, v[2] as string];
  } catch {
    // falls through to the refusal
  }
  throw new DomainError('invalid-input', '分页参数不正确，请刷新列表');
}
