/**
 * `npm run bench`: how fast, how big, and how the cost grows (issue 6). Measures, prints a table
 * and writes it as JSON to bench/results/<timestamp>.json and bench/results/latest.json.
 * Benchmarks, not tests: a missed target never fails the run; only a crash exits non-zero.
 *
 *   BENCH_QUICK=1            3 s load phases, deadline scan at 10k and 100k only
 *   BENCH_ONLY=submit,reads,reference,scan,figures,sizes   run some phases
 *   BENCH_SIZES=10000,100000,1000000   store sizes of the deadline scan
 *   BENCH_DURATION=10        seconds per load phase      BENCH_USERS=20000   residents
 *   BENCH_PROFILE=1          CPU profiles (server and in-process phases) under bench/results/profiles/
 *   BENCH_STATEMENTS=1       time per SQL statement of the timer runs (printed, and under bench/results/profiles/)
 *   BENCH_KEEP=1             keep the temporary data directories
 *   npx tsx bench/run.ts --table [file]   the table of a saved run (default bench/results/latest.json)
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DURATION_S, QUICK, RESULTS_DIR, ROOT, SIZES, USERS, enabled, fmtBytes, fmtMs, machine } from './lib/env';
import { PROFILE, PROFILE_DIR } from './lib/profiler';
import { atLeast, atMost, both, renderTable, type Row } from './lib/table';
import { runHttp, type HttpResults, type LoadFigure } from './phases/http';
import { runReference, type ReferenceResult } from './phases/reference';
import { runScan, type ScanResults } from './phases/scan';
import { runSizes, type SizesResult } from './phases/sizes';
import { runFirstLoad, LINK, type FirstLoadResult } from './phases/firstLoad';

interface PhaseLog {
  name: string;
  ms: number;
  load: [number, number];
  error?: string;
}

const MB = 2 ** 20;
const short = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`);
const cmd = (only: string, extra = '') => `${extra ? `${extra} ` : ''}BENCH_ONLY=${only} npm run bench`;

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

/** `npx tsx bench/run.ts --table [file]`: the table of a saved run (default bench/results/latest.json), without running anything. */
function printSaved(file: string): void {
  const report = JSON.parse(fs.readFileSync(file, 'utf8')) as { startedAt: string; machine: ReturnType<typeof machine>; git: { commit: string }; results: Parameters<typeof tableRows>[0] };
  const m = report.machine;
  console.log(`bench of ${report.startedAt} (commit ${report.git.commit.slice(0, 7)}) on ${m.nproc} × ${m.cpu}, ${m.memGb} GB RAM, node ${m.node}`);
  console.log(renderTable(tableRows(report.results)));
}

async function main() {
  const at = process.argv.indexOf('--table');
  if (at !== -1) return printSaved(process.argv[at + 1] ?? path.join(RESULTS_DIR, 'latest.json'));
  const started = new Date();
  const log = (s: string) => console.log(s);
  const m = machine();
  const load0 = os.loadavg()[0]!;
  log(`码上反映 bench — ${m.nproc} × ${m.cpu}, ${m.memGb} GB, node ${m.node}; load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  log(`${QUICK ? 'quick mode: ' : ''}${DURATION_S} s per load phase, ${USERS.toLocaleString('en')} residents, scan sizes ${SIZES.map((s) => s.toLocaleString('en')).join(' / ')}`);
  if (load0 > m.nproc) log(`note: the machine is already busy (load ${load0.toFixed(1)} on ${m.nproc} cores); wall-clock figures will be pessimistic — CPU times are recorded beside them.`);

  const phases: PhaseLog[] = [];
  const results: { http?: HttpResults; reference?: ReferenceResult; scan?: ScanResults; sizes?: SizesResult; firstLoad?: FirstLoadResult } = {};
  let crashed = false;
  const phase = async (name: string, f: () => Promise<void> | void) => {
    log(`\n▶ ${name}`);
    const t0 = performance.now();
    const l0 = os.loadavg()[0]!;
    const entry: PhaseLog = { name, ms: 0, load: [l0, l0] };
    try {
      await f();
    } catch (e) {
      crashed = true;
      entry.error = e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e);
      console.error(`  ✖ ${name} crashed:`, e);
    }
    entry.ms = performance.now() - t0;
    entry.load[1] = os.loadavg()[0]!;
    phases.push(entry);
    log(`  (${fmtMs(entry.ms)})`);
  };

  if (enabled('submit') || enabled('reads')) {
    await phase('1+2+7. submissions and reads over HTTP (local runtime in a child process, autocannon here)', async () => {
      results.http = await runHttp(log, { reads: enabled('reads'), ...(PROFILE ? { nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] } : {}) });
    });
  }
  if (enabled('reference')) await phase('3. physical reference: raw SQLite inserts', () => void (results.reference = runReference(log)));
  if (enabled('scan') || enabled('figures')) {
    await phase('4+5. deadline scan and monthly figures over a generated store', async () => {
      results.scan = await runScan(log, { scan: enabled('scan'), figures: enabled('figures') });
    });
  }
  if (enabled('sizes')) await phase('6. sizes and cold require', async () => void (results.sizes = await runSizes(log)));
  if (enabled('firstload')) await phase(`8. resident entry page over ${LINK.kbitPerSecond} kbit/s + ${LINK.latencyMs} ms (chromium, CDP throttling)`, async () => void (results.firstLoad = await runFirstLoad(log)));

  const rows = tableRows(results);
  const finished = new Date();
  log(`\n${renderTable(rows)}`);
  const totalMs = finished.getTime() - started.getTime();
  log(`\nmachine: ${m.nproc} × ${m.cpu}, ${m.memGb} GB RAM, ${m.os}, node ${m.node}; load average at start ${load0.toFixed(2)}, at end ${os.loadavg()[0]!.toFixed(2)}`);
  log(`whole bench: ${fmtMs(totalMs)} (${phases.map((p) => `${p.name.split('.')[0]}: ${fmtMs(p.ms)}`).join(', ')})`);

  const report = {
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    totalMs,
    machine: m,
    settings: { quick: QUICK, durationS: DURATION_S, users: USERS, sizes: SIZES, profile: PROFILE },
    git: { commit: git(['rev-parse', 'HEAD']), dirtyFiles: git(['status', '--porcelain']).split('\n').filter(Boolean).length },
    phases,
    table: rows,
    results,
  };
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${started.toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, JSON.stringify(report, null, 2));
  fs.writeFileSync(path.join(RESULTS_DIR, 'latest.json'), JSON.stringify(report, null, 2));
  log(`results: ${path.relative(ROOT, file)} (and bench/results/latest.json)`);
  process.exitCode = crashed ? 1 : 0;
}

function loadRow(figure: string, f: LoadFigure | undefined, target: string, judge: (f: LoadFigure) => Pick<Row, 'verdict' | 'gap'>, command: string): Row {
  if (!f) return { figure, value: 'not run', target, verdict: 'n/a', command };
  const notOk = f.notOk ? `, ${f.notOk} not ok` : '';
  return { figure, value: `${f.rps.toFixed(0)} req/s, p50 ${f.p50} ms, p99 ${f.p99} ms; server ${f.serverCpuMsPerReq.toFixed(2)} ms cpu/req${notOk}`, target, ...judge(f), command };
}

function tableRows(r: { http?: HttpResults; reference?: ReferenceResult; scan?: ScanResults; sizes?: SizesResult; firstLoad?: FirstLoadResult }): Row[] {
  const rows: Row[] = [];
  const h = r.http;
  const sub = (c: number) => h?.submit.find((f) => f.connections === c);
  const none = () => ({ verdict: '—' as const });
  if (h || enabled('submit')) {
    rows.push(loadRow('1. submit, concurrency 1', sub(1), '—', none, cmd('submit')));
    rows.push(loadRow('1. submit, concurrency 16', sub(16), '≥ 1,000/s, p99 < 50 ms', (f) => both(atLeast(f.rps, 1000, 'req/s'), atMost(f.p99, 49, 'ms')), cmd('submit')));
    rows.push(loadRow('1. submit, concurrency 64', sub(64), '—', none, cmd('submit')));
    if (h) {
      const notOk = h.submit.reduce((s, f) => s + f.notOk + f.errors, 0);
      const total = h.submit.reduce((s, f) => s + f.requests, 0);
      rows.push({
        figure: '1. submissions not ok / stored as answered',
        value: `${notOk} of ${total.toLocaleString('en')}; store ${h.verify.consistent ? 'consistent' : 'INCONSISTENT'} (${h.verify.tickets.toLocaleString('en')} tickets = events = alarmed = with deadline)`,
        target: '0, consistent',
        verdict: notOk === 0 && h.verify.consistent ? 'met' : 'missed',
        command: cmd('submit'),
      });
    }
  }
  if (h?.reads.length || enabled('reads')) {
    const read = (i: number) => h?.reads[i];
    const readTarget = (f: LoadFigure) => both(atLeast(f.rps, 3000, 'req/s'), atMost(f.p99, 19, 'ms'));
    rows.push(loadRow('2. read: ticket detail + timeline, c=16', read(0), '≥ 3,000/s, p99 < 20 ms', readTarget, cmd('submit,reads')));
    rows.push(loadRow('2. read: unit inbox, c=16', read(1), '≥ 3,000/s, p99 < 20 ms', readTarget, cmd('submit,reads')));
    rows.push(loadRow('2. read: resident list, c=16', read(2), '—', none, cmd('submit,reads')));
    // Issue 19's target is this ratio: one run, so the machine's speed cancels out.
    const [detail, inbox] = [read(0), read(1)];
    rows.push({
      figure: '2. inbox ÷ detail rate, same run',
      value: detail && inbox ? `${((inbox.rps / detail.rps) * 100).toFixed(0)}% (${inbox.rps.toFixed(0)} ÷ ${detail.rps.toFixed(0)} req/s)` : 'needs reads',
      target: '≥ 50%',
      ...(detail && inbox ? atLeast((inbox.rps / detail.rps) * 100, 50, '%') : { verdict: 'n/a' as const }),
      command: cmd('submit,reads'),
    });
  }
  if (r.reference || enabled('reference')) {
    const ref = r.reference;
    rows.push({ figure: '3. raw SQLite: ticket+event+alarms per tx', value: ref ? `${ref.perSecond.toFixed(0)}/s (${((ref.cpuMs / ref.rows) * 1000).toFixed(0)} µs cpu each)` : 'not run', target: '—', verdict: '—', command: cmd('reference') });
    const s16 = sub(16);
    rows.push({
      figure: '3. stack / raw ratio (submit c=16 ÷ raw)',
      value: ref && s16 ? `${((s16.rps / ref.perSecond) * 100).toFixed(1)}% (${s16.rps.toFixed(0)} ÷ ${ref.perSecond.toFixed(0)})` : 'needs submit and reference',
      target: '—',
      verdict: '—',
      command: cmd('submit,reference'),
    });
  }
  const sc = r.scan;
  if (sc?.runs.length || enabled('scan')) {
    for (const run of sc?.runs ?? []) {
      const last = run.size === Math.max(...(sc?.runs ?? []).map((x) => x.size));
      rows.push({
        figure: `4. deadline scan, 1,000 due, store ${run.size.toLocaleString('en')}`,
        value: `${fmtMs(run.ms)} wall, ${fmtMs(run.cpuMs)} cpu (${run.report.claimed} alarms incl. cascades, ${run.report.failed} failed, batches saved whole per alarm); then its drain ${fmtMs(run.drain.ms)} wall, ${fmtMs(run.drain.cpuMs)} cpu (${run.report.drained.done} notices, ${run.report.drained.deliveries} deliveries)`,
        target: last && run.size >= 1_000_000 ? '< 200 ms cpu' : '—',
        ...(last && run.size >= 1_000_000 ? atMost(run.cpuMs, 200, 'ms') : { verdict: '—' as const }),
        command: cmd('scan'),
      });
    }
    const runs = sc?.runs ?? [];
    if (runs.length >= 2) {
      const first = runs[0]!;
      const last = runs[runs.length - 1]!;
      rows.push({ figure: `4. scan ratio ${short(last.size)} / ${short(first.size)}`, value: `${(last.ms / first.ms).toFixed(2)}× wall, ${(last.cpuMs / first.cpuMs).toFixed(2)}× cpu`, target: '≤ 1.5×', ...atMost(last.ms / first.ms, 1.5, '×'), command: cmd('scan') });
    }
  }
  if (sc?.figures || enabled('figures')) {
    const f = sc?.figures;
    rows.push({
      figure: `5. monthly figures, all units, store ${f ? f.size.toLocaleString('en') : '1,000,000'}`,
      value: f ? (f.ok ? `${fmtMs(f.ms)} wall, ${fmtMs(f.cpuMs)} cpu from the facts; the month holds ${f.parts.tickets.toLocaleString('en')} tickets and ${f.parts.events.toLocaleString('en')} events, which take ${fmtMs(f.parts.scanMs + f.parts.eventsMs)} just to read whole` : `failed: ${f.error}`) : 'not run',
      target: '< 1 s',
      ...(f?.ok ? atMost(f.ms, 1000, 'ms') : { verdict: 'n/a' as const }),
      command: cmd('figures'),
    });
  }
  const sz = r.sizes;
  if (sz) {
    if (!sz.weapp.built) rows.push({ figure: '6. weapp packages', value: 'not built — run npm run build:weapp', target: 'main < 1 MB', verdict: 'n/a', command: 'npm run build:weapp && ' + cmd('sizes') });
    for (const p of sz.weapp.packages) {
      const main = p.name === 'main';
      rows.push({ figure: `6. weapp ${main ? 'main package' : `subpackage ${p.name}`}`, value: fmtBytes(p.bytes), target: main ? '< 1 MB' : '≤ 2 MB', ...atMost(p.bytes / MB, main ? 1 : 2, 'MB'), command: cmd('sizes') });
    }
    if (sz.buildError && !sz.bundles.length) rows.push({ figure: '6. function bundles', value: `build failed: ${sz.buildError.split('\n')[0]}`, target: '< 3 MB, require < 300 ms', verdict: 'n/a', command: 'npm run build:functions' });
    for (const b of sz.bundles) {
      rows.push({
        figure: `6. bundle ${b.name}`,
        value: `${fmtBytes(b.bytes)}, cold require ${b.error ? `failed (${b.error})` : fmtMs(b.medianMs)}`,
        target: '< 3 MB, require < 300 ms',
        ...(b.error ? { verdict: 'missed' as const, gap: b.error } : both(atMost(b.bytes / MB, 3, 'MB'), atMost(b.medianMs, 299, 'ms'))),
        command: cmd('sizes'),
      });
    }
  }
  const fl = r.firstLoad;
  if (fl) {
    const figure = `8. resident entry page, cold, ${LINK.kbitPerSecond} kbit/s + ${LINK.latencyMs} ms`;
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    if (!fl.cold) rows.push({ figure, value: fl.built ? `not run: ${fl.error ?? ''}` : 'H5 not built — run npm run build:h5', target: '< 6 s', verdict: 'n/a', command: cmd('firstload') });
    else {
      rows.push({ figure, value: `usable in ${s(fl.cold.usableMs)} (load event ${s(fl.cold.loadMs)}), ${(fl.cold.wireBytes / 1024).toFixed(0)} KB on the wire, ${fl.cold.requests} requests`, target: '< 6 s', ...atMost(fl.cold.usableMs / 1000, 6, 's'), command: cmd('firstload') });
      if (fl.warm) rows.push({ figure: '8. same page, returning visitor (cache kept)', value: `usable in ${s(fl.warm.usableMs)}, ${(fl.warm.wireBytes / 1024).toFixed(0)} KB on the wire`, target: '—', verdict: '—', command: cmd('firstload') });
      if (fl.uncompressed) rows.push({ figure: '8. same page, cold, without compression', value: `usable in ${s(fl.uncompressed.usableMs)}, ${(fl.uncompressed.wireBytes / 1024).toFixed(0)} KB on the wire`, target: '—', verdict: '—', command: cmd('firstload') });
    }
  }
  if (h) rows.push({ figure: '7. local runtime peak RSS during (1)', value: `${fmtBytes(h.memory.peakRssAfterSubmit)} (after reads ${fmtBytes(h.memory.peakRssAfterReads)})`, target: '—', verdict: '—', command: cmd('submit') });
  return rows;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
