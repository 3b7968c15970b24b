/**
 * The local runtime as a child process: the load generator stays in the bench process, so the
 * server and the client are two processes, as in production.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './env';

export interface RunningServer {
  url: string;
  pid: number;
  child: ChildProcess;
  /** Lines the server wrote to stderr (errors logged by effects, the timer, crashes). */
  stderr: string[];
  stop(): Promise<void>;
}

export interface ServerOptions {
  dataDir: string;
  secret: string;
  /** Extra node flags, e.g. ['--cpu-prof', '--cpu-prof-dir=…']. */
  nodeFlags?: string[];
  env?: Record<string, string>;
}

/** Starts `node --import tsx cloudfunctions/local/main.ts` on a free port and waits for its banner. */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const h5Dir = path.join(opts.dataDir, 'h5');
  fs.mkdirSync(h5Dir, { recursive: true });
  const child = spawn(process.execPath, [...(opts.nodeFlags ?? []), '--import', 'tsx', 'cloudfunctions/local/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: opts.dataDir,
      SECRET: opts.secret,
      TIMERS: '0',
      DEV_CLOCK: '1',
      H5_DIR: h5Dir,
      NODE_ENV: 'production',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (s: string) => {
    if (stderr.length < 200) stderr.push(s);
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`local runtime did not start in 60 s:\n${out}\n${stderr.join('')}`)), 60_000);
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (s: string) => {
      out += s;
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`local runtime exited with ${code}:\n${out}\n${stderr.join('')}`));
    });
  });
  child.stdout!.resume();
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { url, pid: child.pid!, child, stderr, stop };
}

/** VmHWM (peak resident set) and VmRSS of a process, in bytes, from /proc. */
export function memoryOf(pid: number): { peakRss: number; rss: number } | null {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(s.match(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm'))?.[1] ?? NaN) * 1024;
    return { peakRss: kb('VmHWM'), rss: kb('VmRSS') };
  } catch {
    return null;
  }
}

/** CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat (clock ticks of 10 ms). */
export function cpuMsOf(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // After the command: state is field 3, utime 14 and stime 15 (1-based, whole line).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/** POST /api/<fn> with a JSON body. */
export async function call<T = unknown>(url: string, fn: string, body: unknown, token?: string): Promise<{ ok: boolean; data?: T; code?: string; message?: string }> {
  const res = await fetch(`${url}/api/${fn}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return (await res.json()) as { ok: boolean; data?: T; code?: string; message?: string };
}
