/** Bench settings from the environment, and the machine it runs on. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const RESULTS_DIR = path.join(ROOT, 'bench', 'results');

/** BENCH_QUICK=1: 3 s per load phase instead of 10 s, and a 100k deadline-scan store instead of 1M. */
export const QUICK = process.env.BENCH_QUICK === '1';
/** Seconds per autocannon phase. */
export const DURATION_S = Number(process.env.BENCH_DURATION ?? (QUICK ? 3 : 10));
/** Residents created before the server starts; submissions are spread across them round-robin. */
export const USERS = Number(process.env.BENCH_USERS ?? 20_000);
/** Store sizes of the deadline scan. */
export const SIZES = (process.env.BENCH_SIZES ?? (QUICK ? '10000,100000' : '10000,100000,1000000')).split(',').map(Number);
/** The phases to run (BENCH_ONLY=submit,reads,reference,scan,figures,sizes,firstload); all by default. */
export const PHASES = ['submit', 'reads', 'reference', 'scan', 'figures', 'sizes', 'firstload'] as const;
export type Phase = (typeof PHASES)[number];
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim()).filter(Boolean);
export const enabled = (p: Phase): boolean => !only || only.includes(p);
/** Keep the temporary data directories (for inspection) instead of deleting them. */
export const KEEP = process.env.BENCH_KEEP === '1';

export function tempDir(name: string): string {
  return fs.mkdtempSync(path.join(process.env.BENCH_TMP ?? os.tmpdir(), `mashang-bench-${name}-`));
}

export function removeDir(dir: string): void {
  if (!KEEP) fs.rmSync(dir, { recursive: true, force: true });
}

export interface Machine {
  nproc: number;
  cpu: string;
  memGb: number;
  node: string;
  os: string;
}

export function machine(): Machine {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    cpu = fs.readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.+)$/m)?.[1]?.trim() ?? cpu;
  } catch {
    // not Linux: os.cpus() is good enough
  }
  return { nproc: os.availableParallelism(), cpu, memGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, os: `${os.type()} ${os.release()}` };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function fmtMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms < 10 ? ms.toFixed(2) : ms.toFixed(0)} ms`;
}

export function fmtBytes(b: number): string {
  if (b >= 2 ** 20) return `${(b / 2 ** 20).toFixed(2)} MB`;
  if (b >= 1024) return `${(b / 1024).toFixed(0)} KB`;
  return `${b} B`;
}
