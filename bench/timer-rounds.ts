/**
 * `npx tsx bench/timer-rounds.ts`: the deadline timer, many times over copies of one generated
 * store, for comparing two versions of the timer's path. One timer run in `npm run bench` moves by
 * ±10 % from run to run on this machine; the median of several runs on the same data does not.
 *
 *   TIMER_SIZE=100000   tickets in the store (1,000 of them with one alarm due each)
 *   TIMER_ROUNDS=11     timer runs; the first 3 warm V8 up and are not counted
 *   TIMER_STORE=dir     where the generated store is kept between invocations
 *                       (default: $TMPDIR/mashang-timer-rounds-<size>; delete it after a schema change)
 *   TIMER_DRAIN=1       also time the outbox drain of the run's notices, after the timer (a median of its own)
 *
 * Each round copies the kept store to a scratch directory, opens it through the real adapters
 * (createLocalDeps) and runs the timer without its outbox drain, as `npm run bench` times it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLocalDeps } from '../cloudfunctions/local/localDeps';
import { runTimer } from '../cloudfunctions/lib/timer';
import { drainEffects } from '../cloudfunctions/lib/effects';
import { GroupCommit } from '../cloudfunctions/adapters/sqlite/groupCommit';
import { StoreGenerator, T_NOW, storeFile } from './lib/generate';
import { preparePopulation } from './lib/population';
import { buildTemplates } from './lib/templates';

const SIZE = Number(process.env.TIMER_SIZE ?? 100_000);
const ROUNDS = Number(process.env.TIMER_ROUNDS ?? 11);
const WARM = 3;
const DUE = 1000;
const USERS = 20_000;
const base = process.env.TIMER_STORE ?? path.join(os.tmpdir(), `mashang-timer-rounds-${SIZE}`);

async function main(): Promise<void> {
  if (!(ROUNDS > WARM)) throw new Error(`TIMER_ROUNDS must be more than ${WARM}`);
  if (!fs.existsSync(path.join(base, 'complete'))) {
    console.log(`generating ${SIZE.toLocaleString('en')} tickets in ${base} (kept for the next invocation)`);
    fs.rmSync(base, { recursive: true, force: true });
    fs.mkdirSync(base, { recursive: true });
    const { templates } = await buildTemplates();
    await preparePopulation(base, USERS, Date.now());
    const g = new StoreGenerator(storeFile(base), templates, USERS, 1000 + SIZE);
    await g.seedDirectory();
    g.addBackground(SIZE - DUE);
    g.addDue(DUE, 4242);
    g.close();
    // Migrations and the store's own catch-up work (search rows, facts) once, before any copy.
    createLocalDeps({ dataDir: base, secret: 'bench' }).db.close();
    fs.writeFileSync(path.join(base, 'complete'), '');
  }
  const counted: number[] = [];
  const drains: number[] = [];
  const DRAIN = process.env.TIMER_DRAIN === '1';
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'mashang-timer-round-'));
  try {
    for (let round = 0; round < ROUNDS; round++) {
      fs.rmSync(scratch, { recursive: true, force: true });
      fs.cpSync(base, scratch, { recursive: true });
      const local = createLocalDeps({ dataDir: scratch, secret: 'bench' });
      const deps = { ...local, clock: { now: () => T_NOW } };
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const report = await runTimer(deps, `rounds-${round}`, { drain: false });
      const ms = performance.now() - t0;
      const c = process.cpuUsage(c0);
      const cpu = (c.user + c.system) / 1000;
      let drainLine = '';
      if (DRAIN) {
        const d0 = process.cpuUsage();
        const drained = await drainEffects(deps, { runId: `rounds-${round}:drain` });
        const d = process.cpuUsage(d0);
        const drainCpu = (d.user + d.system) / 1000;
        if (round >= WARM) drains.push(drainCpu);
        drainLine = `; then the drain ${drainCpu.toFixed(0)} ms cpu (${drained.done} notices, ${drained.deliveries} deliveries)`;
      }
      await GroupCommit.of(local.db).flushed();
      local.db.close();
      if (round >= WARM) counted.push(cpu);
      console.log(`round ${round}${round < WARM ? ' (warm-up)' : ''}: ${ms.toFixed(0)} ms wall, ${cpu.toFixed(0)} ms cpu; claimed ${report.claimed}, failed ${report.failed}${drainLine}`);
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  const summary = (xs: number[]) => {
    xs.sort((a, b) => a - b);
    const median = xs.length % 2 ? xs[(xs.length - 1) / 2]! : (xs[xs.length / 2 - 1]! + xs[xs.length / 2]!) / 2;
    return `median ${median.toFixed(0)} ms cpu over ${xs.length} runs (min ${xs[0]!.toFixed(0)}, max ${xs[xs.length - 1]!.toFixed(0)})`;
  };
  console.log(`timer at ${SIZE.toLocaleString('en')} tickets, ${DUE.toLocaleString('en')} due: ${summary(counted)}`);
  if (DRAIN) console.log(`the drain of its notices: ${summary(drains)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
