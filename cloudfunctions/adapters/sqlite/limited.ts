import type { Database, Statement } from 'better-sqlite3';

/**
 * Prepared statements by SQL text, at most `max` of them: for texts built per query shape (a
 * list's filters, a page size). Past `max` the cache starts over, so a caller asking odd shapes
 * cannot grow it without end.
 */
export function preparedBySql(db: Database, max: number): (sql: string) => Statement {
  const bySql = new Map<string, Statement>();
  return (sql) => {
    let s = bySql.get(sql);
    if (!s) {
      if (bySql.size >= max) bySql.clear();
      bySql.set(sql, (s = db.prepare(sql)));
    }
    return s;
  };
}

/**
 * One SQL text with its LIMIT written in as a number: `limited(db, (n) => \`… LIMIT ${n}\`)(200)`
 * returns the statement for a limit of 200, prepared once per limit.
 *
 * Why not `LIMIT @n`: SQLite (3.50 here) reads a bound LIMIT's value while it plans the statement
 * (sqlite3ExprIsInteger), and so marks the statement to be planned again whenever that parameter
 * is bound anew. better-sqlite3 binds every parameter on every call, so each run of a `LIMIT @n`
 * statement compiled it again: under submissions that was 6 % of the local runtime's CPU (perf,
 * 2026-12-04). A limit written as a number is planned with the same value, once.
 */
export function limited(db: Database, sql: (limit: number) => string, opts: { pluck?: boolean } = {}): (limit: number) => Statement {
  // Callers clamp their limits, so this stays small; the bound is for a caller that does not.
  const prepared = preparedBySql(db, MAX_LIMITS);
  return (limit) => {
    if (!Number.isSafeInteger(limit) || limit < 0) throw new Error(`a LIMIT must be a non-negative integer, not ${limit}`);
    const s = prepared(sql(limit));
    return opts.pluck ? s.pluck() : s;
  };
}
const MAX_LIMITS = 64;
