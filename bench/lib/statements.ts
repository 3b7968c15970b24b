/**
 * Time per SQL statement of an in-process section (BENCH_STATEMENTS=1): better-sqlite3's
 * Statement methods run, get and all are wrapped while the section runs, and the wall
 * time of each call is added to its SQL text. Printed as the top statements after the section and
 * written to bench/results/profiles/<name>.statements.json. The wrapping costs about half a
 * microsecond per call, so the section's own figure is not comparable with a run without it.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { PROFILE_DIR } from './profiler';

export const STATEMENTS = process.env.BENCH_STATEMENTS === '1';

interface StatementTime {
  sql: string;
  calls: number;
  ms: number;
}

// Not `iterate`: its call returns before the rows are read.
const METHODS = ['run', 'get', 'all'] as const;

/** Runs `f`; with BENCH_STATEMENTS=1, times every statement it runs and logs the top `top`. */
export async function timedStatements<T>(name: string, log: (s: string) => void, f: () => Promise<T>, top = 25): Promise<T> {
  if (!STATEMENTS) return f();
  const probe = new Database(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<string, (...a: unknown[]) => unknown>;
  probe.close();
  const originals = METHODS.map((m) => [m, proto[m]!] as const);
  const times = new Map<string, StatementTime>();
  for (const [m, original] of originals) {
    proto[m] = function (this: { source: string }, ...args: unknown[]) {
      const t0 = process.hrtime.bigint();
      try {
        return original.apply(this, args);
      } finally {
        const sql = this.source.replace(/\s+/g, ' ').trim();
        const e = times.get(sql) ?? { sql, calls: 0, ms: 0 };
        e.calls++;
        e.ms += Number(process.hrtime.bigint() - t0) / 1e6;
        times.set(sql, e);
      }
    };
  }
  try {
    return await f();
  } finally {
    for (const [m, original] of originals) proto[m] = original;
    const rows = [...times.values()].sort((a, b) => b.ms - a.ms);
    const total = rows.reduce((s, r) => s + r.ms, 0);
    log(`  statements of ${name}: ${rows.reduce((s, r) => s + r.calls, 0).toLocaleString('en')} calls, ${total.toFixed(1)} ms wall (COMMIT includes its checkpoints and their fsyncs)`);
    for (const r of rows.slice(0, top)) log(`    ${r.ms.toFixed(1).padStart(7)} ms ${String(r.calls).padStart(6)}× ${((r.ms / r.calls) * 1000).toFixed(1).padStart(7)} µs  ${r.sql.slice(0, 100)}`);
    fs.mkdirSync(PROFILE_DIR, { recursive: true });
    fs.writeFileSync(path.join(PROFILE_DIR, `${name}.statements.json`), JSON.stringify(rows, null, 1));
  }
}
