/**
 * The figures of the reliability suite, for the README's "Reliability" section: each test file
 * prints its figure (so CI logs show it) and merges it into `test-output/reliability.json`
 * (git-ignored). Jest workers may write at once: a lock file serialises the read-merge-write.
 */
import fs from 'node:fs';
import path from 'node:path';

export const FIGURES_FILE = path.resolve(__dirname, '..', '..', 'test-output', 'reliability.json');

export type Figure = Record<string, number | string | boolean>;

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function withLock<T>(fn: () => T): T {
  const lock = `${FIGURES_FILE}.lock`;
  fs.mkdirSync(path.dirname(FIGURES_FILE), { recursive: true });
  for (let i = 0; i < 200; i++) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      try {
        return fn();
      } finally {
        fs.rmSync(lock, { force: true });
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      // A lock older than 10 s was left by a killed worker.
      try {
        if (Date.now() - fs.statSync(lock).mtimeMs > 10_000) fs.rmSync(lock, { force: true });
      } catch {
        // gone meanwhile
      }
      sleepSync(25);
    }
  }
  throw new Error(`could not lock ${FIGURES_FILE}`);
}

/** Prints `[reliability] <suite>: k=v …` and merges the figure under `suite` into the JSON file. */
export function recordFigure(suite: string, figure: Figure): void {
  console.log(`[reliability] ${suite}: ${Object.entries(figure).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  withLock(() => {
    let all: Record<string, unknown> = {};
    try {
      all = JSON.parse(fs.readFileSync(FIGURES_FILE, 'utf8')) as Record<string, unknown>;
    } catch {
      all = {};
    }
    all[suite] = { ...figure, recordedAt: new Date().toISOString() };
    const tmp = `${FIGURES_FILE}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify(all, null, 2)}\n`);
    fs.renameSync(tmp, FIGURES_FILE);
  });
}
