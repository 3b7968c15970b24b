/**
 * (4) the deadline scan: one timer run over 1,000 due alarms while the store holds 10k, 100k and
 * 1M tickets (one store, grown between runs), and (5) the month's assessment figures over the
 * largest store. In process, through the real adapters (createLocalDeps) and the real handlers.
 */
import fs from 'node:fs';
import { createLocalDeps, type LocalDeps } from '../../cloudfunctions/local/localDeps';
import { handle } from '../../cloudfunctions/lib/router';
import { runTimer, type TimerReport } from '../../cloudfunctions/lib/timer';
import { drainEffects } from '../../cloudfunctions/lib/effects';
import type { Deps } from '../../cloudfunctions/lib/deps';
import { SIZES, USERS, removeDir, tempDir } from '../lib/env';
import { MONTH, StoreGenerator, T_NOW, storeFile } from '../lib/generate';
import { preparePopulation } from '../lib/population';
import { buildTemplates, type Template } from '../lib/templates';
import { profiled } from '../lib/profiler';
import { timedStatements } from '../lib/statements';

export interface ScanRun {
  size: number;
  dueAlarms: number;
  ms: number;
  cpuMs: number;
  /** The outbox drain after the run: the notices the alarms saved, fanned out and delivered. */
  drain: { ms: number; cpuMs: number };
  report: TimerReport;
  dbBytes: number;
}

export interface FiguresRun {
  size: number;
  ms: number;
  cpuMs: number;
  units: number;
  ok: boolean;
  error?: string;
  /** Where the time goes: the same reads and computation, timed apart. */
  parts: { scanMs: number; tickets: number; eventsMs: number; events: number; keptEvents: number; assessMs: number; heapMb: number };
}

export interface ScanResults {
  templates: number;
  templateMs: number;
  generation: { size: number; ms: number; tickets: number; events: number; alarms: number }[];
  runs: ScanRun[];
  figures: FiguresRun | null;
  dbBytes: number;
}

const DUE = 1000;

const cpuMs = (start: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1000;
};

function timerDeps(dir: string): { deps: Deps; local: LocalDeps } {
  const local = createLocalDeps({ dataDir: dir, secret: 'bench' });
  // A fixed clock: the run sees exactly the alarms due at T_NOW, however long it takes.
  return { deps: { ...local, clock: { now: () => T_NOW } }, local };
}

const dbSize = (dir: string) => ['', '-wal'].reduce((s, x) => s + (fs.existsSync(storeFile(dir) + x) ? fs.statSync(storeFile(dir) + x).size : 0), 0);

/**
 * Throw-away stores with due alarms: the measured runs should not pay for JIT warm-up. V8 needs
 * a few runs of this size to finish optimising the hot path (on a copy of the 100k store, the
 * first two runs cost 350-390 ms CPU and the third and later 220-250 ms), so the warm-up runs
 * the timer WARM_RUNS times, each on its own store of 1,000 due alarms.
 */
const WARM_RUNS = 5;
async function warmUp(templates: Template[], log: (s: string) => void): Promise<void> {
  const times: string[] = [];
  for (let i = 0; i < WARM_RUNS; i++) {
    const dir = tempDir('warm');
    try {
      await preparePopulation(dir, 100, Date.now());
      const g = new StoreGenerator(storeFile(dir), templates, 100, 7 + i);
      await g.seedDirectory();
      g.addBackground(2000);
      g.addDue(DUE, 99 + i);
      g.close();
      const { deps, local } = timerDeps(dir);
      const c0 = process.cpuUsage();
      await runTimer(deps, `warm-up-${i}`);
      times.push(`${cpuMs(c0).toFixed(0)} ms`);
      local.db.close();
    } finally {
      removeDir(dir);
    }
  }
  log(`  warm-up: ${WARM_RUNS} timer runs of ${DUE} due alarms on throw-away stores, not reported (cpu ${times.join(', ')})`);
}

export async function runScan(log: (s: string) => void, opts: { figures: boolean; scan: boolean }): Promise<ScanResults> {
  const t0 = Date.now();
  const { templates } = await buildTemplates();
  const templateMs = Date.now() - t0;
  log(`  ${templates.length} template tickets driven through the domain in ${(templateMs / 1000).toFixed(1)} s`);
  if (opts.scan) await warmUp(templates, log);

  const dir = tempDir('scan');
  const out: ScanResults = { templates: templates.length, templateMs, generation: [], runs: [], figures: null, dbBytes: 0 };
  try {
    await preparePopulation(dir, USERS, Date.now());
    const sizes = opts.scan ? SIZES : [SIZES[SIZES.length - 1]!];
    let have = 0;
    for (const size of sizes) {
      const g = new StoreGenerator(storeFile(dir), templates, USERS, 1000 + size);
      await g.seedDirectory();
      const before = { ...g.totals };
      const background = size - have - (opts.scan ? DUE : 0);
      g.addBackground(background, log);
      const due = opts.scan ? g.addDue(DUE, 4242) : 0;
      g.close();
      have = size;
      const gen = { size, ms: g.totals.ms, tickets: g.totals.tickets, events: g.totals.events - before.events, alarms: g.totals.alarms - before.alarms };
      out.generation.push(gen);
      log(`  store ${size.toLocaleString('en')}: +${g.totals.tickets.toLocaleString('en')} tickets (${gen.events.toLocaleString('en')} events, ${gen.alarms.toLocaleString('en')} alarms) in ${(gen.ms / 1000).toFixed(1)} s; ${(dbSize(dir) / 2 ** 30).toFixed(2)} GB; ${due} alarms due`);
      if (!opts.scan) continue;

      const { deps, local } = timerDeps(dir);
      const c0 = process.cpuUsage();
      const s0 = performance.now();
      // The alarms (with the hourly warnings look), then the drain of the notices they saved, timed apart.
      const report = await profiled(`timer-${size}`, () => timedStatements(`timer-${size}`, log, () => runTimer(deps, `bench-${size}`, { drain: false })));
      const ms = performance.now() - s0;
      const alarmCpu = cpuMs(c0);
      const d0 = process.cpuUsage();
      const t1 = performance.now();
      report.drained = await profiled(`drain-${size}`, () => drainEffects(deps, { runId: `bench-${size}:drain` }));
      const drain = { ms: performance.now() - t1, cpuMs: cpuMs(d0) };
      const run: ScanRun = { size, dueAlarms: due, ms, cpuMs: alarmCpu, drain, report, dbBytes: dbSize(dir) };
      out.runs.push(run);
      log(`  timer at ${size.toLocaleString('en')}: ${ms.toFixed(0)} ms (cpu ${run.cpuMs.toFixed(0)} ms) — claimed ${report.claimed}, reminders ${report.reminders}, overdue ${report.overdue}, supervised ${report.supervised}, skipped ${report.skipped}, failed ${report.failed}; then the drain: ${drain.ms.toFixed(0)} ms (cpu ${drain.cpuMs.toFixed(0)} ms) for ${report.drained.done} notices, ${report.drained.deliveries} deliveries`);
      local.db.close();
    }

    if (opts.figures) out.figures = await runFigures(dir, have, log);
    out.dbBytes = dbSize(dir);
  } finally {
    removeDir(dir);
  }
  return out;
}

/** stats.figures for one month, all units, through handle() as an operator would call it. */
async function runFigures(dir: string, size: number, log: (s: string) => void): Promise<FiguresRun> {
  const { deps, local } = timerDeps(dir);
  try {
    const operator = await deps.directory.getUser('demo-operator');
    const c0 = process.cpuUsage();
    const s0 = performance.now();
    const res = await profiled(`figures-${size}`, () => handle('stats', { action: 'figures', from: MONTH.from, to: MONTH.to }, { user: operator }, deps));
    const ms = performance.now() - s0;
    const cpu = cpuMs(c0);
    const units = res.ok ? (res.data as unknown[]).length : 0;

    // The same work in parts: reading the month's tickets, reading its events, computing.
    const p0 = performance.now();
    let tickets = 0;
    const kept: unknown[] = [];
    for await (const t of deps.store.scan(MONTH.from, MONTH.to)) {
      tickets++;
      kept.push(t);
    }
    const scanMs = performance.now() - p0;
    const heapMb = process.memoryUsage().heapUsed / 2 ** 20;
    kept.length = 0;
    const e0 = performance.now();
    let events = 0;
    let keptEvents = 0;
    for await (const e of deps.store.eventsBetween(MONTH.from, MONTH.to)) {
      events++;
      if (e.type === 'reviewExtension' || e.type === 'requestReturn') keptEvents++;
    }
    const eventsMs = performance.now() - e0;
    const run: FiguresRun = {
      size,
      ms,
      cpuMs: cpu,
      units,
      ok: res.ok,
      ...(res.ok ? {} : { error: `${res.code}: ${res.message}` }),
      parts: { scanMs, tickets, eventsMs, events, keptEvents, assessMs: Math.max(0, ms - scanMs - eventsMs), heapMb },
    };
    log(`  figures (Sept 2026, all units) over ${size.toLocaleString('en')}: ${ms.toFixed(0)} ms — ${units} rows; reading ${tickets.toLocaleString('en')} tickets ${scanMs.toFixed(0)} ms, ${events.toLocaleString('en')} events ${eventsMs.toFixed(0)} ms (${keptEvents} used)`);
    return run;
  } finally {
    local.db.close();
  }
}
