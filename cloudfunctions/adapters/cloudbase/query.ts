import { createHash } from 'node:crypto';
import type { CloudCollection, CloudDb, Doc, GetResult, QueryCommand, Where } from './db';

/** The most rows one CloudBase query returns, whatever `limit` asks. */
export const MAX_ROWS = 1000;

export const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

/** An insert refused because the `_id` (or a unique index key) exists. */
export function isDuplicate(e: unknown): boolean {
  const err = e as { code?: unknown; errCode?: unknown; message?: unknown } | null;
  if (!err || typeof err !== 'object') return false;
  if (err.code === 'DATABASE_DUPLICATE_WRITE') return true;
  const text = `${String(err.code ?? '')} ${String(err.message ?? '')}`;
  return /E11000|duplicate key|DUPLICATE_WRITE/i.test(text);
}

/** The first document of a `doc(id).get()` (an array outside a transaction). */
export function firstDoc(r: GetResult | { data: Doc | null }): Doc | null {
  const d = r.data as unknown;
  if (Array.isArray(d)) return (d[0] as Doc | undefined) ?? null;
  return (d as Doc | null) ?? null;
}

export interface SortKey {
  field: string;
  dir: 'asc' | 'desc';
}

/** Keys are read back from documents: a missing one is null. */
export type KeyValues = Array<string | number | null>;

/**
 * The condition "strictly after `values` in the order `keys`": keyset pagination, so page N costs
 * what page 1 costs (no `skip`, which CloudBase walks row by row).
 */
export function after(db: CloudDb, keys: SortKey[], values: KeyValues): QueryCommand {
  const _ = db.command;
  const branches: Where[] = keys.map((k, i) => {
    const branch: Record<string, unknown> = {};
    for (let j = 0; j < i; j++) branch[keys[j]!.field] = values[j];
    const v = values[i];
    if (v === null || v === undefined) throw new Error(`keyset value of ${k.field} is missing`);
    branch[k.field] = k.dir === 'asc' ? _.gt(v) : _.lt(v);
    return branch;
  });
  return branches.length === 1 ? _.and(branches) : _.or(branches);
}

export function keysOf(doc: Doc, keys: SortKey[]): KeyValues {
  return keys.map((k) => {
    const v = doc[k.field];
    return typeof v === 'number' || typeof v === 'string' ? v : null;
  });
}

/** Runs one page: filter, then the cursor condition, ordered by `keys`, at most `limit` (≤ 1000) rows. */
export async function page(
  db: CloudDb,
  coll: CloudCollection,
  where: Where,
  keys: SortKey[],
  limit: number,
  cursor: KeyValues | null,
  projection?: Record<string, boolean>,
): Promise<Doc[]> {
  const filter = cursor ? db.command.and([where, after(db, keys, cursor)]) : where;
  let q = coll.where(filter);
  for (const k of keys) q = q.orderBy(k.field, k.dir);
  q = q.limit(Math.min(MAX_ROWS, Math.max(1, Math.floor(limit))));
  if (projection) q = q.field(projection);
  return (await q.get()).data;
}

/** Every matching document, in batches of 1000 walked by keyset. The last key must be unique (`_id`). */
export async function* scanAll(
  db: CloudDb,
  coll: CloudCollection,
  where: Where,
  keys: SortKey[],
  projection?: Record<string, boolean>,
): AsyncGenerator<Doc> {
  let cursor: KeyValues | null = null;
  for (;;) {
    const rows = await page(db, coll, where, keys, MAX_ROWS, cursor, projection);
    yield* rows;
    if (rows.length < MAX_ROWS) return;
    cursor = keysOf(rows[rows.length - 1]!, keys);
  }
}

export async function readAll(db: CloudDb, coll: CloudCollection, where: Where, keys: SortKey[], projection?: Record<string, boolean>): Promise<Doc[]> {
  const out: Doc[] = [];
  for await (const d of scanAll(db, coll, where, keys, projection)) out.push(d);
  return out;
}

/** A record as stored, without `_id` and without the nulls that stand for absent optional fields. */
export function stripDoc<T>(doc: Doc): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) if (k !== '_id' && v !== null && v !== undefined) out[k] = v;
  return out as T;
}
