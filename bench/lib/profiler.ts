/**
 * CPU profiles of in-process sections (BENCH_PROFILE=1): written as .cpuprofile files under
 * bench/results/profiles/ (open them in Chrome DevTools, or summarise with
 * `npx tsx bench/lib/cpuprofile.ts <file> self`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Session } from 'node:inspector';
import { RESULTS_DIR } from './env';

export const PROFILE = process.env.BENCH_PROFILE === '1';
export const PROFILE_DIR = path.join(RESULTS_DIR, 'profiles');

let session: Session | null = null;

function post<T>(method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => session!.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res as T))));
}

/** Runs `f`, profiling it when BENCH_PROFILE=1; returns its result. */
export async function profiled<T>(name: string, f: () => Promise<T>): Promise<T> {
  if (!PROFILE) return f();
  if (!session) {
    session = new Session();
    session.connect();
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: 200 });
  }
  await post('Profiler.start');
  try {
    return await f();
  } finally {
    const { profile } = await post<{ profile: unknown }>('Profiler.stop');
    fs.mkdirSync(PROFILE_DIR, { recursive: true });
    fs.writeFileSync(path.join(PROFILE_DIR, `${name}.cpuprofile`), JSON.stringify(profile));
  }
}
