/**
 * Harness of the reliability and security suite (test/reliability): the real local adapters in a
 * temporary directory with a clock the test moves, the local HTTP server in-process, the real
 * runtime as a child process (for kill -9), and direct reads of the SQLite file.
 *
 * Self-contained on purpose: it depends on product code only, never on other test helpers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import { handle } from '../../cloudfunctions/lib/router';
import type { Caller } from '../../cloudfunctions/lib/identity';
import type { Limits } from '../../cloudfunctions/lib/deps';
import type { Call } from '../../cloudfunctions/lib/functions/types';
import { createLocalDeps, type LocalDeps } from '../../cloudfunctions/local/localDeps';
import { seedIfEmpty } from '../../cloudfunctions/local/seed';
import { createServer } from '../../cloudfunctions/local/server';
import type { LocalConfig } from '../../cloudfunctions/local/config';
import type { ApiResult } from '../../shared/contracts/api';
import type { FileRef } from '../../shared/contracts/common';
import type { Ticket, TicketEvent } from '../../shared/contracts/ticket';

export const REPO = path.resolve(__dirname, '..', '..');
export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;
/** Monday 2026-03-02, 10:00 in Shanghai: a working day well clear of holidays. */
export const T0 = Date.UTC(2026, 2, 2, 2);
export const SECRET = 'reliability-secret-0123456789abcdef';

/** The smallest valid PNG (1×1): passes the magic-byte check. */
export const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
/** The start of a Windows executable ("MZ" + DOS stub text). */
export const EXE_BYTES = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff', 'latin1'), Buffer.from('This program cannot be run in DOS mode.\r\n')]);

/** The tables a function may write (rate_hits excepted: a refused look-up is still counted). */
export const DATA_TABLES = ['tickets', 'ticket_units', 'events', 'alarms', 'effects', 'deliveries', 'files', 'users', 'units', 'invites', 'kb_articles', 'kb_uses', 'scenes', 'settings', 'credits'] as const;

export function tempDir(prefix = 'mashang-rel-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface TestClock {
  now(): number;
  set(t: number): void;
  advance(ms: number): void;
}

export type Who = string | null | Caller;

export interface SubmitOverrides {
  [k: string]: unknown;
}

export interface Rig {
  dir: string;
  deps: LocalDeps;
  clock: TestClock;
  caller(who: Who): Promise<Caller>;
  call<T = unknown>(who: Who, fn: string, event: unknown, extras?: Pick<Call, 'signToken' | 'ip'>): Promise<ApiResult<T>>;
  ok<T = unknown>(who: Who, fn: string, event: unknown, extras?: Pick<Call, 'signToken' | 'ip'>): Promise<T>;
  refused(who: Who, fn: string, event: unknown, extras?: Pick<Call, 'signToken' | 'ip'>): Promise<{ code: string; message: string }>;
  submitInput(o?: SubmitOverrides): Record<string, unknown>;
  submit(who: Who, o?: SubmitOverrides): Promise<{ ticket: Ticket; created: boolean }>;
  command(who: Who, fn: 'resident' | 'staff' | 'operator', command: Record<string, unknown>): Promise<{ ticket: Ticket; event: { seq: number; type: string; to: string } }>;
  /** Stores a file owned by `ownerId` as an upload would. */
  upload(ownerId: string, bytes?: Uint8Array, meta?: { durationSec?: number }): Promise<FileRef>;
  ticket(id: string): Promise<Ticket>;
  events(id: string): Promise<TicketEvent[]>;
  count(table: string): number;
  /** Row counts of every data table. */
  counts(): Record<string, number>;
  /**
   * Rows inserted, updated or deleted so far in each data table, counted by temporary triggers on
   * the runtime's own connection (installed on first use). Catches an UPDATE that row counts miss.
   */
  writes(): Record<string, number>;
  close(): Promise<void>;
}

let seq = 0;
export function uniq(prefix = 'r'): string {
  seq += 1;
  return `${prefix}-${process.pid}-${seq}-${randomBytes(3).toString('hex')}`;
}

export async function createRig(opts: { now?: number; limits?: Partial<Limits>; profile?: string; seed?: boolean } = {}): Promise<Rig> {
  const dir = tempDir();
  const deps = createLocalDeps({ dataDir: dir, secret: SECRET, limits: opts.limits });
  let t = opts.now ?? T0;
  // The notifier reads the same LocalClock instance, so its method is replaced, not deps.clock.
  deps.clock.now = () => t;
  const clock: TestClock = {
    now: () => t,
    set: (v) => {
      t = v;
    },
    advance: (ms) => {
      t += ms;
    },
  };
  if (opts.seed !== false) await seedIfEmpty(deps.directory, t, opts.profile ?? 'baiyin');

  const caller = async (who: Who): Promise<Caller> => {
    if (who === null) return { user: null };
    if (typeof who !== 'string') return who;
    const user = await deps.directory.getUser(who);
    if (!user) throw new Error(`test user ${who} does not exist`);
    return { user };
  };
  const call = async <T>(who: Who, fn: string, event: unknown, extras: Pick<Call, 'signToken' | 'ip'> = {}) =>
    (await handle(fn, event, await caller(who), deps, extras)) as ApiResult<T>;
  const label = (who: Who, fn: string, event: unknown) => {
    const e = event as { action?: unknown; command?: { type?: unknown } } | null;
    return `${typeof who === 'string' ? who : who === null ? 'anonymous' : who.user?.id} → ${fn}.${String(e?.action)}${e?.command?.type ? `(${String(e.command.type)})` : ''}`;
  };
  const ok = async <T>(who: Who, fn: string, event: unknown, extras?: Pick<Call, 'signToken' | 'ip'>): Promise<T> => {
    const r = await call<T>(who, fn, event, extras);
    if (!r.ok) throw new Error(`${label(who, fn, event)} was refused: ${r.code} ${r.message}`);
    return r.data;
  };
  const refused = async (who: Who, fn: string, event: unknown, extras?: Pick<Call, 'signToken' | 'ip'>) => {
    const r = await call(who, fn, event, extras);
    if (r.ok) throw new Error(`${label(who, fn, event)} should have been refused`);
    return { code: r.code, message: r.message };
  };
  const submitInput = (o: SubmitOverrides = {}): Record<string, unknown> => {
    const n = ++seq;
    return {
      clientRequestId: uniq('sub').replace(/[^A-Za-z0-9_-]/g, ''),
      type: 'complaint',
      category: '市容环境',
      content: `滨河公园南门第${n}号垃圾桶已经三天没有清运，气味很大，影响附近居民生活。`,
      location: { address: '滨河公园南门', area: '东区街道' },
      contact: { name: '张明', phone: '13800001234' },
      ...o,
    };
  };
  const count = (table: string) => {
    if (!/^[a-z_]+$/.test(table)) throw new Error(`bad table ${table}`);
    return deps.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  };
  let writeLog: (() => Record<string, number>) | null = null;
  const writes = () => (writeLog ??= installWriteLog(deps.db))();
  return {
    dir,
    deps,
    clock,
    caller,
    call,
    ok,
    refused,
    submitInput,
    writes,
    submit: (who, o) => ok(who, 'resident', { action: 'submit', input: submitInput(o) }),
    command: (who, fn, command) => ok(who, fn, { action: 'command', command }),
    async upload(ownerId, bytes = PNG_1X1, meta = {}) {
      const stored = await deps.files.put(ownerId, 'photo.png', bytes, meta, t);
      return { fileId: stored.fileId, kind: stored.kind };
    },
    async ticket(id) {
      const found = await deps.store.get(id);
      if (!found) throw new Error(`ticket ${id} is not stored`);
      return found;
    },
    events: (id) => deps.store.events(id),
    count,
    counts: () => Object.fromEntries(DATA_TABLES.map((tb) => [tb, count(tb)])),
    async close() {
      if (deps.db.open) deps.db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Temporary triggers that count every row written to the data tables; returns a reader. */
function installWriteLog(db: LocalDeps['db']): () => Record<string, number> {
  db.exec('CREATE TEMP TABLE IF NOT EXISTS write_log (tbl TEXT PRIMARY KEY, n INTEGER NOT NULL)');
  for (const table of DATA_TABLES) {
    db.prepare('INSERT OR IGNORE INTO temp.write_log (tbl, n) VALUES (?, 0)').run(table);
    for (const op of ['INSERT', 'UPDATE', 'DELETE']) {
      db.exec(`CREATE TEMP TRIGGER IF NOT EXISTS write_log_${table}_${op.toLowerCase()} AFTER ${op} ON main.${table} BEGIN UPDATE write_log SET n = n + 1 WHERE tbl = '${table}'; END`);
    }
  }
  const read = db.prepare('SELECT tbl, n FROM temp.write_log');
  return () => Object.fromEntries((read.all() as { tbl: string; n: number }[]).map((r) => [r.tbl, r.n]));
}

/** Submits as `residentId`, accepts and dispatches as the operator; returns the ticket after dispatch. */
export async function dispatched(
  rig: Rig,
  opts: { residentId?: string; lead?: string; assist?: string[]; complainedUnitId?: string; submit?: SubmitOverrides; operatorId?: string } = {},
): Promise<Ticket> {
  const op = opts.operatorId ?? 'demo-operator';
  const s = await rig.submit(opts.residentId ?? 'demo-resident', opts.submit);
  await rig.command(op, 'operator', { type: 'accept', ticketId: s.ticket.id });
  const assist = opts.assist ?? [];
  const d = await rig.command(op, 'operator', {
    type: 'dispatch',
    ticketId: s.ticket.id,
    mode: assist.length ? 'lead' : 'single',
    unitIds: [opts.lead ?? 'u-chengguan'],
    assistUnitIds: assist,
    ...(opts.complainedUnitId ? { complainedUnitId: opts.complainedUnitId } : {}),
  });
  return d.ticket;
}

// ---------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------

export interface HttpReply<T = unknown> {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: T;
  raw: Buffer;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** One request on loopback; the body is JSON unless it is a Buffer. Rejects on a network error. */
export function request<T = unknown>(base: string, method: string, pathname: string, body?: unknown, headers: Record<string, string> = {}, timeoutMs = 30_000): Promise<HttpReply<T>> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const req = http.request(
      new URL(pathname, base),
      { method, agent, headers: { ...(payload ? { 'content-length': String(payload.length), 'content-type': Buffer.isBuffer(body) ? 'application/octet-stream' : 'application/json' } : {}), ...headers }, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const raw = Buffer.concat(chunks);
          let parsed: unknown = raw.toString('utf8');
          try {
            parsed = JSON.parse(raw.toString('utf8'));
          } catch {
            // not JSON: the raw text stays
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed as T, raw });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout ${method} ${pathname}`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** `POST /api/<fn>` with a bearer token. */
export async function api<T = unknown>(base: string, fn: string, event: unknown, token?: string): Promise<ApiResult<T>> {
  const r = await request<ApiResult<T>>(base, 'POST', `/api/${fn}`, event, token ? { authorization: `Bearer ${token}` } : {});
  return r.body;
}

export async function login(base: string, userId: string): Promise<string> {
  const r = await api<{ token: string }>(base, 'auth', { action: 'login', userId });
  if (!r.ok) throw new Error(`login ${userId}: ${r.code} ${r.message}`);
  return r.data.token;
}

export function localConfig(dataDir: string, overrides: Partial<LocalConfig> = {}): LocalConfig {
  const h5Dir = path.join(dataDir, 'h5-empty');
  fs.mkdirSync(h5Dir, { recursive: true });
  return { port: 0, host: '127.0.0.1', dataDir, secret: SECRET, publicUrl: 'http://127.0.0.1', devClock: false, timers: false, h5Dir, ...overrides };
}

/** The local HTTP server in this process, over the rig's deps (and so its clock). */
export async function serveRig(rig: Rig, overrides: Partial<LocalConfig> = {}): Promise<{ base: string; close(): Promise<void> }> {
  const server = createServer(rig.deps, localConfig(rig.dir, overrides));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// The real runtime as a child process
// ---------------------------------------------------------------------------------------------

export interface Runtime {
  pid: number;
  base: string;
  proc: ChildProcess;
  output(): string;
  /** kill -9, and wait until the process is gone. */
  kill9(): Promise<void>;
  /** SIGTERM (a clean stop), and wait. */
  stop(): Promise<void>;
}

/** `node --import tsx cloudfunctions/local/main.ts` on `dataDir`; resolves once it listens. */
export function startRuntime(dataDir: string, env: Record<string, string> = {}, timeoutMs = 30_000): Promise<Runtime> {
  const h5 = path.join(dataDir, '..', `${path.basename(dataDir)}-h5`);
  fs.mkdirSync(h5, { recursive: true });
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join('cloudfunctions', 'local', 'main.ts')], {
    cwd: REPO,
    env: { ...process.env, NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, TIMERS: '0', H5_DIR: h5, SECRET, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`runtime did not start in ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = (c: Buffer) => {
      out += c.toString('utf8');
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) {
        clearTimeout(timer);
        proc.stdout?.off('data', onData);
        proc.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
        const kill = async (signal: NodeJS.Signals) => {
          if (proc.exitCode === null && proc.signalCode === null) process.kill(proc.pid!, signal);
          await exited;
        };
        resolve({ pid: proc.pid!, base: m[1]!, proc, output: () => out, kill9: () => kill('SIGKILL'), stop: () => kill('SIGTERM') });
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', (c: Buffer) => (out += c.toString('utf8')));
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`runtime exited (${code ?? signal}) before listening:\n${out}`));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The SQLite file, read directly
// ---------------------------------------------------------------------------------------------

export interface DbAudit {
  integrity: string;
  tickets: number;
  events: number;
  /** Tickets without a first event, events without a ticket, versions that differ from the last seq, gaps. */
  problems: string[];
}

/** Opens the database file read-only (another process may hold it) and checks the history's shape. */
export function auditDb(file: string): DbAudit {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
    const problems: string[] = [];
    const fk = db.pragma('foreign_key_check') as unknown[];
    if (fk.length) problems.push(`foreign_key_check: ${JSON.stringify(fk.slice(0, 5))}`);
    const rows = db
      .prepare('SELECT t.id, t.version, t.doc, (SELECT count(*) FROM events e WHERE e.ticket_id = t.id) AS n, (SELECT max(seq) FROM events e WHERE e.ticket_id = t.id) AS maxSeq, (SELECT min(seq) FROM events e WHERE e.ticket_id = t.id) AS minSeq FROM tickets t')
      .all() as { id: string; version: number; doc: string; n: number; maxSeq: number | null; minSeq: number | null }[];
    for (const r of rows) {
      if (r.n === 0) problems.push(`ticket ${r.id} has no events`);
      else if (r.maxSeq !== r.version || r.minSeq !== 1 || r.n !== r.version) problems.push(`ticket ${r.id}: version ${r.version}, events ${r.n} (seq ${r.minSeq}..${r.maxSeq})`);
      let doc: Ticket | null = null;
      try {
        doc = JSON.parse(r.doc) as Ticket;
      } catch {
        problems.push(`ticket ${r.id}: doc is not JSON`);
      }
      if (doc && (doc.id !== r.id || doc.version !== r.version)) problems.push(`ticket ${r.id}: doc says ${doc.id} v${doc.version}`);
    }
    const orphans = db.prepare('SELECT e.ticket_id, e.seq FROM events e LEFT JOIN tickets t ON t.id = e.ticket_id WHERE t.id IS NULL LIMIT 5').all();
    if (orphans.length) problems.push(`events without a ticket: ${JSON.stringify(orphans)}`);
    const badEvents = (db.prepare('SELECT ticket_id, seq, doc FROM events').all() as { ticket_id: string; seq: number; doc: string }[]).filter((e) => {
      try {
        const d = JSON.parse(e.doc) as TicketEvent;
        return d.ticketId !== e.ticket_id || d.seq !== e.seq;
      } catch {
        return true;
      }
    });
    if (badEvents.length) problems.push(`events whose doc disagrees with their row: ${badEvents.slice(0, 5).map((e) => `${e.ticket_id}:${e.seq}`).join(', ')}`);
    const alarmOrphans = db.prepare('SELECT count(*) FROM alarms a LEFT JOIN tickets t ON t.id = a.ticket_id WHERE t.id IS NULL').pluck().get() as number;
    if (alarmOrphans) problems.push(`${alarmOrphans} alarms without a ticket`);
    const events = db.prepare('SELECT count(*) FROM events').pluck().get() as number;
    return { integrity, tickets: rows.length, events, problems };
  } finally {
    db.close();
  }
}

/** A bounded pool: runs `work(i)` for i in [0, n) with at most `concurrency` at a time, stopping early when `stop()` says so. */
export async function pool(n: number, concurrency: number, work: (i: number) => Promise<void>, stop: () => boolean = () => false): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < n && !stop()) {
      const i = next++;
      await work(i);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
}

/** Strings that give away an internal error: stack frames, file paths, error class names. */
export function leaksInternals(message: string): string | null {
  if (/\n\s*at\s/.test(message) || /\bat\s+\S+\s+\(/.test(message)) return 'stack frame';
  if (/(?:\/|\\)[\w.-]+\.(?:ts|js|mjs|cjs)\b/.test(message) || /node_modules|\/work\/|\/tmp\//.test(message)) return 'file path';
  if (/\b(?:Type|Range|Reference|Syntax|Sqlite|Zod)?Error\b:?/.test(message)) return 'error class';
  if (/SQLITE_|\bSELECT\b|\bINSERT\b/.test(message)) return 'SQL';
  return null;
}
