import type { Database, Statement } from 'better-sqlite3';

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
  const byLimit = new Map<number, Statement>();
  return (limit) => {
    if (!Number.isSafeInteger(limit) || limit < 0) throw new Error(`a LIMIT must be a non-negative integer, not ${limit}`);
    let s = byLimit.get(limit);
    if (!s) {
      // Callers clamp their limits, so this stays small; the bound is for a caller that does not.
      if (byLimit.size >= MAX_LIMITS) byLimit.clear();
      s = db.prepare(sql(limit));
      if (opts.pluck) s.pluck();
      byLimit.set(limit, s);
    }
    return s;
  };
}
const MAX_LIMITS = 64;
