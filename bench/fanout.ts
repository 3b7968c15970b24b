/**
 * `npx tsx bench/fanout.ts` (issue 10): a submission's server time with 1 and with 50 operators.
 * A submission owes every operator a notice (待受理). The request only commits that notice; the
 * fan-out to the operators belongs to the drainer. This bench makes a channel that takes
 * FANOUT_SEND_MS (default 20 ms) per message, like a WeChat round trip, and times submissions
 * through the real handler and the SQLite store in three ways of draining:
 *   - cloudbase: `drain: 'off'`, as lib/cloudDeps.ts wires it (the minute timer drains);
 *   - local:     `drain: 'background'`, as the local runtime wires it (drained after the answer,
 *                in the same process, so its work competes with the next submissions);
 *   - inline:    the old CloudBase behaviour (drained before the answer), for reference.
 * It prints each submission's wall time (mean, p50, p95) and CPU time, and the drainer's time for
 * the same notices, then the 50-vs-1 ratio of the two production wirings against the < 20 % goal.
 *
 *   FANOUT_SUBMISSIONS=40    submissions per configuration (inline: a tenth)
 *   FANOUT_SEND_MS=20        the channel's time per message
 * A benchmark, not a test: it never fails on a figure; only a crash exits non-zero.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLocalDeps } from '../cloudfunctions/local/localDeps';
import { seedIfEmpty } from '../cloudfunctions/local/seed';
import { handle } from '../cloudfunctions/lib/router';
import { drainEffects } from '../cloudfunctions/lib/effects';
import { DeliveringNotifier, type Sender } from '../cloudfunctions/lib/delivery';
import type { Deps } from '../cloudfunctions/lib/deps';
import type { UserRecord } from '../shared/ports';

const SUBMISSIONS = Number(process.env.FANOUT_SUBMISSIONS ?? 40);
const SEND_MS = Number(process.env.FANOUT_SEND_MS ?? 20);
const T0 = Date.UTC(2026, 2, 2, 2);
type Mode = 'off' | 'background' | 'inline';
const WIRING: Record<Mode, string> = { off: 'cloudbase', background: 'local', inline: 'inline (old)' };

interface Row {
  operators: number;
  mode: Mode;
  n: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  cpuMs: number;
  deliveries: number;
  drainMs: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

async function measure(operators: number, mode: Mode): Promise<Row> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mashang-fanout-'));
  let now = T0;
  const deps = createLocalDeps({ dataDir: dir, secret: 'bench-fanout-secret', limits: { submissionsPerHour: 1e9 } });
  try {
    await seedIfEmpty(deps.directory, T0, 'baiyin');
    // Exactly `operators` operators: the seeded ones count, the rest are added.
    const seeded = await deps.directory.listUsers({ role: 'operator' });
    for (let i = seeded.length; i < operators; i++) await deps.directory.putUser({ id: `bench-op-${i}`, name: `平台${i}`, roles: ['operator'], openid: `o-bench-op-${i}` });
    for (const u of seeded.slice(operators)) await deps.directory.putUser({ ...u, deletedAt: T0 });
    if ((await deps.directory.listUsers({ role: 'operator' })).filter((u) => u.deletedAt === undefined).length !== operators) throw new Error('operator count');
    const channel: Sender = { send: () => sleep(SEND_MS) };
    const bench: Deps = { ...deps, clock: { now: () => now }, notifier: new DeliveringNotifier(deps.directory, channel, () => now), drain: mode };
    const n = mode === 'inline' ? Math.max(5, Math.round(SUBMISSIONS / 10)) : SUBMISSIONS;
    const users: UserRecord[] = [];
    for (let i = 0; i < n; i++) {
      const u: UserRecord = { id: `bench-res-${i}`, name: `居民${i}`, roles: ['resident'], openid: `o-bench-res-${i}` };
      await deps.directory.putUser(u);
      users.push(u);
    }
    const times: number[] = [];
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < n; i++) {
      now += 1000;
      const t = performance.now();
      const r = await handle('resident', { action: 'submit', input: { clientRequestId: `bench-fanout-${i}`, type: 'help', category: '市政设施', content: `第${i}号：人民路${i}号路灯不亮，晚上出行不便`, location: { area: 'bench' } } }, { user: users[i]! }, bench);
      times.push(performance.now() - t);
      if (!r.ok) throw new Error(`submission ${i}: ${r.code} ${r.message}`);
    }
    const cpu = process.cpuUsage(cpu0);
    // The drainer's share: what is still owed after the last answer.
    const d0 = performance.now();
    let deliveries = 0;
    for (;;) {
      const report = await drainEffects(bench);
      deliveries += report.deliveries;
      if ((await deps.store.listEffects('pending', 1)).length === 0) break;
      await sleep(5);
    }
    const drainMs = performance.now() - d0;
    return {
      operators,
      mode,
      n,
      meanMs: times.reduce((a, b) => a + b, 0) / n,
      p50Ms: pct(times, 0.5),
      p95Ms: pct(times, 0.95),
      cpuMs: (cpu.user + cpu.system) / 1000 / n,
      deliveries,
      drainMs,
    };
  } finally {
    deps.db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  console.log(`fan-out bench: ${SUBMISSIONS} submissions per wiring, a channel of ${SEND_MS} ms per message; ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load ${os.loadavg()[0]!.toFixed(2)}`);
  const rows: Row[] = [];
  for (const mode of ['off', 'background', 'inline'] as Mode[]) {
    for (const operators of [1, 50]) {
      const row = await measure(operators, mode);
      rows.push(row);
      console.log(
        `  ${WIRING[mode].padEnd(13)} ${String(operators).padStart(2)} operator(s): submission mean ${row.meanMs.toFixed(2)} ms, p50 ${row.p50Ms.toFixed(2)}, p95 ${row.p95Ms.toFixed(2)}, CPU ${row.cpuMs.toFixed(2)} ms (n=${row.n}); drainer after the last answer ${row.drainMs.toFixed(0)} ms`,
      );
    }
  }
  for (const mode of ['off', 'background', 'inline'] as Mode[]) {
    const [one, fifty] = [rows.find((r) => r.mode === mode && r.operators === 1)!, rows.find((r) => r.mode === mode && r.operators === 50)!];
    const ratio = fifty.p50Ms / one.p50Ms;
    const goal = mode === 'inline' ? '(reference)' : ratio < 1.2 ? 'met (< 1.20)' : 'missed (goal < 1.20)';
    console.log(`  ${WIRING[mode].padEnd(13)} 50 vs 1 operators, p50 submission time: ×${ratio.toFixed(2)} ${goal}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
