/**
 * Crash durability: the real local runtime (`node --import tsx cloudfunctions/local/main.ts`) in a
 * child process, driven from this process over HTTP with 8 requests in flight: 7 lanes of resident
 * submissions (spread over 600 residents, so the hourly limit never bites) and 1 lane of operator
 * `accept` commands on tickets already acknowledged. At 50, 500, 2,000, 5,000 and 10,000
 * acknowledged writes the runtime is killed with SIGKILL while requests are in flight, then
 * restarted on the same DATA_DIR. Every submission owes its notice to 21 operators, fanned out by
 * the runtime's background drainer right after each answer, so each kill also lands among sends:
 * before a fan-out, in the middle of one (counted), after a delivery and before its effect is marked.
 *
 * After each restart:
 *  - every write that got `ok: true` is there: each acknowledged submission is readable through
 *    `resident.get` over HTTP by its requester, and found directly in the SQLite file; each
 *    acknowledged accept left the ticket accepted;
 *  - `PRAGMA integrity_check` is 'ok' and no ticket is half written (every ticket has its events,
 *    every event its ticket, version = last seq = number of events, the docs agree with the rows);
 *  - the submissions that were in flight when the process died are sent again with the same client
 *    request id: each ends up as exactly one ticket (the retry finds it, or creates it once).
 * At the end, past the drainer's lease, one drain delivers what the kills left: every acknowledged
 * submission's notice reached each of the 21 operators exactly once (one delivery row per key).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createLocalDeps } from '../../cloudfunctions/local/localDeps';
import { seedIfEmpty } from '../../cloudfunctions/local/seed';
import { drainEffects } from '../../cloudfunctions/lib/effects';
import { DeliveringNotifier, outboxSender } from '../../cloudfunctions/lib/delivery';
import type { Ticket } from '../../shared/contracts/ticket';
import { api, auditDb, login, pool, SECRET, startRuntime, T0, tempDir, type Runtime } from '../support/reliabilityHarness';
import { recordFigure } from './figures';

const started = Date.now();
const KILL_POINTS = [50, 500, 2_000, 5_000, 10_000];
/** How long after the target acknowledgement the kill comes, per kill point. */
const KILL_DELAYS_MS = [0, 3, 7, 1, 5];
/** Operators besides demo-operator: each submission's notice fans out to all of them. */
const EXTRA_OPERATORS = 20;
const CONCURRENCY = 8;
/** Enough residents that the hourly limit (20 each) never bites over 10,000 submissions. */
const RESIDENTS = 600;

interface Ack {
  kind: 'submit' | 'accept';
  userId: string;
  ticketId: string;
  clientRequestId?: string;
  content?: string;
}
interface InFlight {
  userId: string;
  clientRequestId: string;
  content: string;
}

const root = tempDir('mashang-crash-');
const dataDir = path.join(root, 'data');
const dbFile = path.join(dataDir, 'mashang.db');
const acked: Ack[] = [];
const lost: InFlight[] = [];
const figures = { killPoints: 0, effectsOwedAtKill: 0, fanOutsCutAtKill: 0, noticesDelivered: 0, acknowledgedWrites: 0, acknowledgedSubmissions: 0, acknowledgedAccepts: 0, acknowledgedChecks: 0, inFlightAtKill: 0, inFlightRetried: 0, inFlightCommittedBeforeKill: 0, restarts: 0 };
let runtime: Runtime | null = null;
const tokens = new Map<string, string>();

afterAll(async () => {
  await runtime?.kill9();
  fs.rmSync(root, { recursive: true, force: true });
  recordFigure('crash', { ...figures, ms: Date.now() - started });
});

const residentIds = Array.from({ length: RESIDENTS }, (_, i) => `crash-r-${String(i).padStart(3, '0')}`);

beforeAll(async () => {
  // The directory is prepared before the first start: 600 residents who may sign in (demo: true).
  fs.mkdirSync(dataDir, { recursive: true });
  const deps = createLocalDeps({ dataDir, secret: SECRET });
  await seedIfEmpty(deps.directory, T0, 'baiyin');
  for (const [i, id] of residentIds.entries()) await deps.directory.putUser({ id, name: `居民${i}`, roles: ['resident'], phone: `1390000${String(i).padStart(4, '0')}`, demo: true });
  for (let i = 0; i < EXTRA_OPERATORS; i++) await deps.directory.putUser({ id: `crash-op-${i}`, name: `平台${i}`, roles: ['operator'] });
  deps.db.close();
});

async function start(): Promise<Runtime> {
  runtime = await startRuntime(dataDir);
  figures.restarts++;
  return runtime;
}

let seq = 0;
/** Acknowledgements already read back over HTTP. */
let readBack = 0;
/** Drives the load until `target` writes are acknowledged, then kills the runtime with requests in flight. */
async function loadAndKill(rt: Runtime, target: number, delayMs: number): Promise<void> {
  let killed = false;
  let armed = false;
  const kill = () => {
    if (armed) return;
    armed = true;
    // A few milliseconds later, the kill lands among writes at every stage: received, committed, answered.
    setTimeout(() => {
      killed = true;
      process.kill(rt.pid, 'SIGKILL');
    }, delayMs);
  };
  const acceptQueue: string[] = acked.filter((a) => a.kind === 'submit').map((a) => a.ticketId).filter((id) => !acked.some((x) => x.kind === 'accept' && x.ticketId === id));
  const lane = async (laneNo: number) => {
    for (let n = 0; n < 10_000 && !killed; n++) {
      if (laneNo === 0) {
        // The operator lane: accept a ticket whose submission was acknowledged.
        const ticketId = acceptQueue.shift();
        if (!ticketId) {
          await new Promise((r) => setTimeout(r, 2));
          continue;
        }
        try {
          const r = await api(rt.base, 'operator', { action: 'command', command: { type: 'accept', ticketId, expectedVersion: 1 } }, tokens.get('demo-operator'));
          if (r.ok) acked.push({ kind: 'accept', userId: 'demo-operator', ticketId });
          else if (r.code !== 'stale-version' && r.code !== 'illegal-transition') throw new Error(`accept refused: ${r.code} ${r.message}`);
        } catch (e) {
          if (!killed) throw e;
        }
      } else {
        const i = ++seq;
        const userId = residentIds[i % RESIDENTS]!;
        const clientRequestId = `crash-${String(i).padStart(6, '0')}`;
        const content = `第${i}号诉求：人民路${i}号门前路灯不亮已经一周，夜间出行不安全。`;
        try {
          const r = await api<{ ticket: Ticket; created: boolean }>(rt.base, 'resident', { action: 'submit', input: { clientRequestId, type: 'help', category: '道路设施', content, contact: { name: '居民', phone: '13900001111' } } }, tokens.get(userId));
          if (!r.ok) throw new Error(`submit refused: ${r.code} ${r.message}`);
          acked.push({ kind: 'submit', userId, ticketId: r.data.ticket.id, clientRequestId, content });
          acceptQueue.push(r.data.ticket.id);
        } catch (e) {
          if (!killed) throw e;
          lost.push({ userId, clientRequestId, content });
          continue;
        }
      }
      if (acked.length >= target) kill();
    }
  };
  await pool(CONCURRENCY, CONCURRENCY, lane);
  await rt.kill9();
  figures.killPoints++;
  // Fan-outs the kill cut through: an effect not marked done with some of its deliveries written.
  const db = new Database(dbFile, { readonly: true });
  try {
    figures.fanOutsCutAtKill += db
      .prepare("SELECT count(*) FROM effects e WHERE e.status != 'done' AND EXISTS (SELECT 1 FROM deliveries d WHERE d.dedupe_key LIKE json_extract(e.doc, '$.eventId') || ':%')")
      .pluck()
      .get() as number;
    // Notices committed with their state change but not yet delivered when the process died.
    figures.effectsOwedAtKill += db.prepare("SELECT count(*) FROM effects WHERE status != 'done'").pluck().get() as number;
  } finally {
    db.close();
  }
}

/** Everything acknowledged so far is there, over HTTP and in the file; the file is sound. */
async function verify(rt: Runtime): Promise<void> {
  const audit = auditDb(dbFile);
  expect(audit.integrity).toBe('ok');
  expect(audit.problems).toEqual([]);

  const db = new Database(dbFile, { readonly: true });
  try {
    const row = db.prepare('SELECT state, version, requester_id AS requesterId, client_request_id AS crid, (SELECT count(*) FROM events e WHERE e.ticket_id = t.id) AS events FROM tickets t WHERE id = ?');
    const missing: string[] = [];
    for (const a of acked) {
      const r = row.get(a.ticketId) as { state: string; version: number; requesterId: string; crid: string; events: number } | undefined;
      if (!r) missing.push(`${a.kind} ${a.ticketId}: not in the file`);
      else if (a.kind === 'submit' && (r.requesterId !== a.userId || r.crid !== a.clientRequestId || r.events < 1)) missing.push(`${a.ticketId}: wrong row ${JSON.stringify(r)}`);
      else if (a.kind === 'accept' && (r.version < 2 || r.state !== 'accepted')) missing.push(`accept of ${a.ticketId} lost: ${JSON.stringify(r)}`);
      figures.acknowledgedChecks++;
    }
    expect(missing).toEqual([]);
  } finally {
    db.close();
  }

  // Readable through the restarted runtime, by the requester (each acknowledgement once: the file check above covers all every time).
  const unreadable: string[] = [];
  const from = readBack;
  readBack = acked.length;
  await pool(acked.length - from, CONCURRENCY, async (j) => {
    const a = acked[from + j]!;
    if (a.kind !== 'submit') return;
    const r = await api<{ ticket: Ticket }>(rt.base, 'resident', { action: 'get', ticketId: a.ticketId }, tokens.get(a.userId));
    if (!r.ok || r.data.ticket.id !== a.ticketId || r.data.ticket.content !== a.content) unreadable.push(`${a.ticketId}: ${r.ok ? 'different content' : r.code}`);
  });
  expect(unreadable).toEqual([]);

  // The submissions in flight at the kill, sent again: exactly one ticket each.
  const db2 = new Database(dbFile, { readonly: true });
  try {
    for (const f of lost.splice(0)) {
      const r = await api<{ ticket: Ticket; created: boolean }>(rt.base, 'resident', { action: 'submit', input: { clientRequestId: f.clientRequestId, type: 'help', category: '道路设施', content: f.content, contact: { name: '居民', phone: '13900001111' } } }, tokens.get(f.userId));
      if (!r.ok) throw new Error(`retry of ${f.clientRequestId}: ${r.code} ${r.message}`);
      expect(db2.prepare('SELECT count(*) FROM tickets WHERE reporter_id = ? AND client_request_id = ?').pluck().get(f.userId, f.clientRequestId)).toBe(1);
      acked.push({ kind: 'submit', userId: f.userId, ticketId: r.data.ticket.id, clientRequestId: f.clientRequestId, content: f.content });
      figures.inFlightRetried++;
      // Committed before the kill, but the answer never left: the retry finds it.
      if (!r.data.created) figures.inFlightCommittedBeforeKill++;
    }
  } finally {
    db2.close();
  }
  figures.acknowledgedWrites = acked.length;
  figures.acknowledgedSubmissions = acked.filter((a) => a.kind === 'submit').length;
  figures.acknowledgedAccepts = acked.filter((a) => a.kind === 'accept').length;
}

describe('kill -9 with writes in flight, restart on the same data directory', () => {
  it(`loses no acknowledged write at ${KILL_POINTS.join(', ')} acknowledged writes`, async () => {
    let rt = await start();
    tokens.set('demo-operator', await login(rt.base, 'demo-operator'));
    for (const id of residentIds) tokens.set(id, await login(rt.base, id));

    for (const [k, point] of KILL_POINTS.entries()) {
      const before = lost.length;
      await loadAndKill(rt, point, KILL_DELAYS_MS[k]!);
      figures.inFlightAtKill += lost.length - before;
      expect(acked.length).toBeGreaterThanOrEqual(point);
      rt = await start();
      await verify(rt);
    }
    await rt.stop();
    runtime = null;
    // The file after a clean stop is sound too.
    expect(auditDb(dbFile)).toMatchObject({ integrity: 'ok', problems: [] });
    expect(figures.acknowledgedWrites).toBeGreaterThanOrEqual(10_000);
    expect(figures.killPoints).toBeGreaterThanOrEqual(5);

    // Past the lease of any drain a kill interrupted, one drain delivers the rest: every notice once.
    const deps = createLocalDeps({ dataDir, secret: SECRET });
    try {
      const later = { now: () => Date.now() + 10 * 60_000 };
      await drainEffects({ ...deps, clock: later, notifier: new DeliveringNotifier(deps.directory, outboxSender, later.now) });
      expect(deps.db.prepare("SELECT count(*) FROM effects WHERE status != 'done'").pluck().get()).toBe(0);
      const operators = 1 + EXTRA_OPERATORS;
      const perEvent = deps.db.prepare("SELECT count(*) FROM deliveries WHERE dedupe_key LIKE ? || ':review:%'").pluck();
      const eventOf = deps.db.prepare("SELECT json_extract(doc, '$.eventId') FROM effects WHERE ticket_id = ? AND json_extract(doc, '$.notice.template') = 'review'").pluck();
      const wrong: string[] = [];
      for (const a of acked) {
        if (a.kind !== 'submit') continue;
        const n = perEvent.get(eventOf.get(a.ticketId)) as number;
        if (n !== operators) wrong.push(`${a.ticketId}: ${n} of ${operators}`);
        figures.noticesDelivered += n;
      }
      expect(wrong).toEqual([]);
    } finally {
      deps.db.close();
    }
  }, 1_800_000); // 10,000 acknowledged writes took 653 s on one CI run and over 600 s on another (shared 2-core machine)
});
