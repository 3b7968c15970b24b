/**
 * Functions against the real local adapters (SQLite file, files on disk, the outbox notifier) in a
 * temporary directory, with a clock the test moves by hand. No mocks: every call goes through
 * `handle()`, the one entry both runtimes use.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { handle } from '../../cloudfunctions/lib/router';
import type { Caller } from '../../cloudfunctions/lib/identity';
import type { Limits } from '../../cloudfunctions/lib/deps';
import type { Call } from '../../cloudfunctions/lib/functions/types';
import type { SubmitResult, detail, listView, runCommand } from '../../cloudfunctions/lib/tickets';
import { createLocalDeps, type LocalDeps } from '../../cloudfunctions/local/localDeps';
import { seedIfEmpty } from '../../cloudfunctions/local/seed';
import type { ApiResult } from '../../shared/contracts/api';
import type { FileRef } from '../../shared/contracts/common';
import type { Ticket, TicketEvent } from '../../shared/contracts/ticket';
import type { DeliveryRecord } from '../../shared/ports';

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;
/** Monday 2026-03-02, 10:00 in Shanghai: a working day well clear of holidays. */
export const T0 = Date.UTC(2026, 2, 2, 2);

export const PROFILE_IDS = ['baiyin', 'anshan', 'hohhot', 'pingli', 'linyi'] as const;
export type ProfileName = (typeof PROFILE_IDS)[number];

/** The smallest valid PNG (1×1, transparent): passes the magic-byte check. */
export const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
/** A JPEG header is enough for the type check. */
export const JPEG_TINY = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]);

/** Shapes of what the service returns (the handlers are typed `Promise<unknown>`). */
export type Detail = Awaited<ReturnType<typeof detail>>;
export type TimelineItem = Detail['timeline'][number];
export type CommandResult = Awaited<ReturnType<typeof runCommand>>;
export type ListItem = ReturnType<typeof listView>[number];
export type { SubmitResult };
export interface Page {
  items: ListItem[];
  next: string | null;
}
export interface Refusal {
  code: string;
  message: string;
  /** What the refusal tells the caller beyond the message (duplicate-submission: the earlier ticket). */
  data?: Record<string, string>;
}

/** A caller: a user id, `null` for nobody signed in, or a caller object made by the test. */
export type Who = string | null | Caller;

/** The clock of the deps: fixed until the test moves it. */
export interface TestClock {
  now(): number;
  set(t: number): void;
  advance(ms: number): void;
}

export interface SubmitOverrides {
  clientRequestId?: string;
  type?: string;
  urgency?: string;
  category?: string;
  title?: string;
  content?: string;
  location?: Record<string, unknown>;
  contact?: Record<string, unknown>;
  confidential?: boolean;
  attachments?: FileRef[];
  [k: string]: unknown;
}

export interface HarnessOptions {
  /** The profile in force (seeded setting); default baiyin. */
  profile?: string;
  now?: number;
  limits?: Partial<Limits>;
  /** Seed the demo directory (default true). */
  seed?: boolean;
}

export interface Harness {
  dir: string;
  deps: LocalDeps;
  clock: TestClock;
  caller(who: Who): Promise<Caller>;
  /** One call through the router; never throws. */
  call<T = unknown>(who: Who, fn: string, event: unknown, extras?: Pick<Call, 'signToken' | 'ip'>): Promise<ApiResult<T>>;
  /** A call that must succeed: returns its data, or fails the test with the refusal. */
  ok<T = unknown>(who: Who, fn: string, event: unknown, extras?: Pick<Call, 'signToken' | 'ip'>): Promise<T>;
  /** A call that must be refused: returns the code and message. */
  refused(who: Who, fn: string, event: unknown, extras?: Pick<Call, 'signToken' | 'ip'>): Promise<Refusal>;
  /** `<fn>.command` that must succeed. */
  command(who: Who, fn: 'resident' | 'staff' | 'operator', command: Record<string, unknown>): Promise<CommandResult>;
  /** A submission through `resident.submit` with sensible, unique defaults. */
  submit(who: Who, overrides?: SubmitOverrides): Promise<SubmitResult>;
  /** The submit input the defaults make (for calls the test sends itself). */
  submitInput(overrides?: SubmitOverrides): Record<string, unknown>;
  /** Stores a tiny image owned by `ownerId`, as an upload would. */
  upload(ownerId: string, bytes?: Uint8Array): Promise<FileRef>;
  /** The stored ticket and history, bypassing every view. */
  ticket(id: string): Promise<Ticket>;
  events(id: string): Promise<TicketEvent[]>;
  /** Rows of a table, optionally filtered by a WHERE clause. */
  count(table: string, where?: string, ...params: (string | number)[]): number;
  /** Every delivery in the outbox, in the order written. */
  deliveries(): DeliveryRecord[];
  /** A digest of every row the functions may write: equal digests mean nothing changed. */
  snapshot(except?: string[]): string;
  close(): Promise<void>;
}

const DATA_TABLES = ['tickets', 'ticket_units', 'events', 'alarms', 'users', 'units', 'invites', 'kb_articles', 'kb_uses', 'scenes', 'settings', 'deliveries', 'credits', 'rate_hits', 'files'];

let seq = 0;
/** A client request id that no other call in this process uses. */
export function requestId(prefix = 'req'): string {
  seq += 1;
  return `${prefix}-${seq}-${randomBytes(4).toString('hex')}`;
}

export async function createHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mashang-fn-'));
  const deps = createLocalDeps({ dataDir: dir, secret: 'test-secret-0123456789abcdef', limits: opts.limits });
  let t = opts.now ?? T0;
  // The notifier holds the LocalClock instance itself, so the instance's `now` is replaced rather
  // than `deps.clock`: ticket events and delivery records then read the same fixed time.
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

  const call = async <T>(who: Who, fn: string, event: unknown, extras: Pick<Call, 'signToken' | 'ip'> = {}): Promise<ApiResult<T>> =>
    (await handle(fn, event, await caller(who), deps, extras)) as ApiResult<T>;

  const describeCall = (who: Who, fn: string, event: unknown) => {
    const name = who === null ? 'anonymous' : typeof who === 'string' ? who : who.user?.id ?? 'anonymous';
    const action = (event as { action?: unknown } | null)?.action;
    const type = ((event as { command?: { type?: unknown } } | null)?.command)?.type;
    return `${name} → ${fn}.${String(action)}${type ? `(${String(type)})` : ''}`;
  };

  const ok = async <T>(who: Who, fn: string, event: unknown, extras?: Pick<Call, 'signToken' | 'ip'>): Promise<T> => {
    const r = await call<T>(who, fn, event, extras);
    if (!r.ok) throw new Error(`${describeCall(who, fn, event)} was refused: ${r.code} ${r.message}`);
    return r.data;
  };

  const refused = async (who: Who, fn: string, event: unknown, extras?: Pick<Call, 'signToken' | 'ip'>): Promise<Refusal> => {
    const r = await call(who, fn, event, extras);
    if (r.ok) throw new Error(`${describeCall(who, fn, event)} should have been refused but succeeded`);
    return { code: r.code, message: r.message, ...(r.data ? { data: r.data } : {}) };
  };

  const submitInput = (o: SubmitOverrides = {}): Record<string, unknown> => {
    const n = ++seq;
    return {
      clientRequestId: requestId('sub'),
      type: 'complaint',
      category: '市容环境',
      content: `滨河公园南门第${n}号垃圾桶已经三天没有清运，气味很大，影响附近居民生活。`,
      location: { address: '滨河公园南门', area: '东区街道' },
      contact: { name: '张明', phone: '13800001234' },
      ...o,
    };
  };

  const h: Harness = {
    dir,
    deps,
    clock,
    caller,
    call,
    ok,
    refused,
    submitInput,
    command: (who, fn, command) => ok<CommandResult>(who, fn, { action: 'command', command }),
    submit: (who, o) => ok<SubmitResult>(who, 'resident', { action: 'submit', input: submitInput(o) }),
    async upload(ownerId, bytes = PNG_1X1) {
      const stored = await deps.files.put(ownerId, 'photo.png', bytes, {}, t);
      return { fileId: stored.fileId, kind: stored.kind };
    },
    async ticket(id) {
      const found = await deps.store.get(id);
      if (!found) throw new Error(`ticket ${id} is not stored`);
      return found;
    },
    events: (id) => deps.store.events(id),
    count(table, where, ...params) {
      if (!/^[a-z_]+$/.test(table)) throw new Error(`bad table ${table}`);
      return deps.db.prepare(`SELECT count(*) FROM ${table}${where ? ` WHERE ${where}` : ''}`).pluck().get(...params) as number;
    },
    deliveries() {
      const rows = deps.db.prepare('SELECT * FROM deliveries ORDER BY rowid').all() as Record<string, unknown>[];
      return rows.map((r) => ({
        id: String(r.id),
        dedupeKey: String(r.dedupe_key),
        userId: String(r.user_id),
        template: r.template as DeliveryRecord['template'],
        ticketId: String(r.ticket_id),
        notice: JSON.parse(String(r.notice)) as DeliveryRecord['notice'],
        status: r.status as DeliveryRecord['status'],
        attempts: Number(r.attempts),
        createdAt: Number(r.created_at),
        updatedAt: Number(r.updated_at),
      }));
    },
    snapshot(except = []) {
      const hash = createHash('sha256');
      for (const table of DATA_TABLES.filter((t) => !except.includes(t))) {
        hash.update(`#${table}\n`);
        for (const row of deps.db.prepare(`SELECT * FROM ${table} ORDER BY 1`).all()) hash.update(JSON.stringify(row));
      }
      return hash.digest('hex');
    },
    async close() {
      if (deps.db.open) deps.db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

/** A ticket taken from submission to the units, with the ids the steps need. */
export interface Dispatched {
  id: string;
  number: string;
  version: number;
}

/**
 * Submit (as `residentId`), accept and dispatch as the operator. `lead`/`assist` pick the units;
 * the returned version is the one after dispatch.
 */
export async function submitAndDispatch(
  h: Harness,
  opts: { residentId?: string; lead?: string; assist?: string[]; submit?: SubmitOverrides; viaOperator?: boolean } = {},
): Promise<Dispatched> {
  const submitted = opts.viaOperator
    ? await h.ok<SubmitResult>('demo-operator', 'operator', { action: 'submit', input: h.submitInput({ contact: { name: '张明', phone: '13800001234' }, ...opts.submit }) })
    : await h.submit(opts.residentId ?? 'demo-resident', opts.submit);
  const id = submitted.ticket.id;
  await h.command('demo-operator', 'operator', { type: 'accept', ticketId: id });
  const assist = opts.assist ?? [];
  const d = await h.command('demo-operator', 'operator', {
    type: 'dispatch',
    ticketId: id,
    mode: assist.length ? 'lead' : 'single',
    unitIds: [opts.lead ?? 'u-chengguan'],
    assistUnitIds: assist,
  });
  return { id, number: submitted.ticket.number, version: d.ticket.version };
}
