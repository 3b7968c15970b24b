/**
 * A fresh local runtime (`node --import tsx cloudfunctions/local/main.ts`) under one profile, driven
 * over HTTP as the apps drive it. The developer clock (DEV_CLOCK=1) lets a test put the runtime at
 * a chosen instant: `at(ms)` moves the offset so that the server's now() is `ms` (plus the few
 * milliseconds that pass until the next call). Used by the regulation tests (issue 11).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

export interface ApiReply<T = Record<string, unknown>> {
  ok: boolean;
  data?: T;
  code?: string;
  message?: string;
}

export interface LiveRuntime {
  url: string;
  dataDir: string;
  /** Calls a function as a demo user (login once per user), or anonymously with `null`. */
  call<T = Record<string, unknown>>(userId: string | null, fn: string, event: Record<string, unknown>): Promise<ApiReply<T>>;
  /** Like call, but fails the test unless the answer is ok, and returns its data. */
  ok<T = Record<string, unknown>>(userId: string | null, fn: string, event: Record<string, unknown>): Promise<T>;
  /** Uploads bytes as `userId` through /api/upload, as the h5 app does; returns the file ref. */
  upload(userId: string, bytes: Uint8Array, kind?: string): Promise<{ fileId: string; kind: string }>;
  /** Puts the server's clock at `ms` (epoch). */
  at(ms: number): Promise<void>;
  /** Runs the deadline timer once, now. */
  runTimer(): Promise<unknown>;
  stop(): Promise<void>;
}

export async function startLiveRuntime(profile: string): Promise<LiveRuntime> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `mashang-${profile}-`));
  const h5Dir = fs.mkdtempSync(path.join(os.tmpdir(), `mashang-${profile}-h5-`));
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, H5_DIR: h5Dir, TIMERS: '0', DEV_CLOCK: '1', PROFILE: profile };
  for (const k of ['SECRET', 'PUBLIC_URL', 'NODE_ENV']) delete env[k];
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'cloudfunctions/local/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the runtime did not start in 60 s:\n${log}`)), 60_000);
    child.stdout!.on('data', (b: Buffer) => {
      log += b.toString();
      const m = log.match(/listening on (http:\/\/\S+)/);
      if (m && log.includes('QR entry example')) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.stderr!.on('data', (b: Buffer) => (log += b.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the runtime exited (${code}) before listening:\n${log}`));
    });
  });
  const post = async <T>(pathname: string, body: unknown, token?: string): Promise<ApiReply<T>> => {
    const res = await fetch(`${url}${pathname}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
    return (await res.json()) as ApiReply<T>;
  };
  const tokens = new Map<string, string>();
  const token = async (userId: string) => {
    if (!tokens.has(userId)) {
      const r = await post<{ token: string }>('/api/auth', { action: 'login', userId });
      if (!r.ok) throw new Error(`login ${userId}: ${r.code} ${r.message}`);
      tokens.set(userId, r.data!.token);
    }
    return tokens.get(userId)!;
  };
  const call = async <T>(userId: string | null, fn: string, event: Record<string, unknown>): Promise<ApiReply<T>> => {
    const r = await post<T>(`/api/${fn}`, event, userId ? await token(userId) : undefined);
    // Moving the clock by months outlives a session: sign in again once.
    if (userId && !r.ok && r.code === 'token-invalid') {
      tokens.delete(userId);
      return post<T>(`/api/${fn}`, event, await token(userId));
    }
    return r;
  };
  return {
    url,
    dataDir,
    call,
    async ok<T>(userId: string | null, fn: string, event: Record<string, unknown>) {
      const r = await call<T>(userId, fn, event);
      if (!r.ok) throw new Error(`${fn}.${String(event.action)} by ${userId}: ${r.code} ${r.message}`);
      return r.data as T;
    },
    async upload(userId: string, bytes: Uint8Array, kind?: string) {
      const res = await fetch(`${url}/api/upload?name=proof.png${kind ? `&kind=${kind}` : ''}`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${await token(userId)}` }, body: Buffer.from(bytes) });
      const r = (await res.json()) as ApiReply<{ fileId: string; kind: string }>;
      if (!r.ok) throw new Error(`upload by ${userId}: ${r.code} ${r.message}`);
      return { fileId: r.data!.fileId, kind: r.data!.kind };
    },
    async at(ms: number) {
      const probe = await post<{ now: number }>('/api/_dev/clock', { advanceMs: 0 });
      await post('/api/_dev/clock', { advanceMs: ms - probe.data!.now });
    },
    async runTimer() {
      return (await post('/api/_dev/timer', {})).data;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      for (const d of [dataDir, h5Dir]) fs.rmSync(d, { recursive: true, force: true });
    },
  };
}

/** An instant given as Asia/Shanghai wall time, e.g. sh('2026-12-24 10:00'). */
export function sh(wall: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?$/.exec(wall);
  if (!m) throw new Error(`bad wall time ${wall}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]) - 8, Number(m[5]), Number(m[6] ?? 0));
}
