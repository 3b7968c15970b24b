/**
 * Group commit on the real SQLite file (cloudfunctions/adapters/sqlite/groupCommit.ts): writes asked
 * for in one turn share a commit, each keeps its own outcome, and a failed commit saves nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WorkingCalendar } from '../../shared/calendar/workingCalendar';
import { submitInputSchema } from '../../shared/contracts/commands';
import { getProfile } from '../../shared/profiles';
import { alarmsFor, openTicket } from '../../shared/workflow';
import { openDatabase, type SqliteDb } from '../../cloudfunctions/adapters/sqlite/db';
import { GroupCommit } from '../../cloudfunctions/adapters/sqlite/groupCommit';
import { SqliteTicketStore } from '../../cloudfunctions/adapters/sqlite/ticketStore';
import { T0 } from './ticketStore.contract';

const profile = getProfile('pingli');
const calendar = new WorkingCalendar();
const dirs: string[] = [];
let db: SqliteDb;
let file: string;

beforeEach(() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mashang-group-'));
  dirs.push(dir);
  file = path.join(dir, 'data.sqlite');
  db = openDatabase(file);
  // Frames stay in the WAL, so a test can count what its commits wrote.
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE parent (id INTEGER PRIMARY KEY, v TEXT); CREATE TABLE child (id INTEGER PRIMARY KEY, parent INTEGER NOT NULL REFERENCES parent (id))');
});
afterEach(() => db.close());
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** Frames in the WAL (never checkpointed here, so it only grows): a 32-byte header, then 24 + 4,096 bytes a frame. */
const walFrames = () => (fs.statSync(`${file}-wal`).size - 32) / (24 + 4096);
const rows = () => (db.prepare('SELECT v FROM parent ORDER BY id').pluck().all() as string[]);

function opened(i: number, crid = `crid-g${String(i).padStart(8, '0')}`) {
  const input = submitInputSchema.parse({ clientRequestId: crid, type: 'help', category: '市政设施', content: `第${i}号：路灯不亮` });
  const { ticket, event } = openTicket(input, { userId: 'r-1', role: 'resident' }, { now: T0 + i, profile, calendar }, { ticketId: `t-${i}`, number: `PL${i}` });
  return { ticket, event, alarms: alarmsFor(ticket, profile) };
}

describe('group commit', () => {
  it('writes asked for together share one commit; the same writes one by one commit each', async () => {
    const writes = new GroupCommit(db);
    const insert = db.prepare('INSERT INTO parent (v) VALUES (?)');
    const f0 = walFrames();
    for (let i = 0; i < 8; i++) await writes.run(() => insert.run(`one-${i}`));
    const apart = walFrames() - f0;
    await Promise.all(Array.from({ length: 8 }, (_, i) => writes.run(() => insert.run(`together-${i}`))));
    const together = walFrames() - f0 - apart;
    // Each commit writes the table's page (and the schema page the first time) again.
    expect(apart).toBeGreaterThanOrEqual(8);
    expect(together).toBe(1);
    expect(rows()).toHaveLength(16);
  });

  it('a write that throws loses only its own work, and only its caller sees the error', async () => {
    const writes = new GroupCommit(db);
    const insert = db.prepare('INSERT INTO parent (v) VALUES (?)');
    const results = await Promise.allSettled([
      writes.run(() => insert.run('a')),
      writes.run(() => {
        insert.run('half-done');
        throw new Error('boom');
      }),
      writes.run(() => Number(insert.run('c').lastInsertRowid)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('boom'));
    expect((results[2] as PromiseFulfilledResult<number>).value).toBe(2);
    expect(rows()).toEqual(['a', 'c']);
  });

  it('an atomic write (one statement) that fails is undone by SQLite alone, without a savepoint', async () => {
    const writes = new GroupCommit(db);
    const results = await Promise.allSettled([
      writes.run(() => db.prepare("INSERT INTO parent (id, v) VALUES (1, 'first')").run(), { atomic: true }),
      // The second row breaks the primary key: the statement's first row goes with it.
      writes.run(() => db.prepare("INSERT INTO parent (id, v) VALUES (5, 'half'), (1, 'clash')").run(), { atomic: true }),
      writes.run(() => db.prepare("INSERT INTO parent (id, v) VALUES (2, 'third')").run(), { atomic: true }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(rows()).toEqual(['first', 'third']);
  });

  it('a commit that fails fails every write of its group and saves none of them', async () => {
    const writes = new GroupCommit(db);
    // Foreign keys checked at COMMIT: the orphan child makes the commit itself fail.
    db.pragma('defer_foreign_keys = ON');
    const results = await Promise.allSettled([
      writes.run(() => db.prepare('INSERT INTO parent (v) VALUES (?)').run('kept?')),
      writes.run(() => db.prepare('INSERT INTO child (parent) VALUES (?)').run(999)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/);
    expect(rows()).toEqual([]);
    expect(db.inTransaction).toBe(false);
    // The next group commits normally.
    await writes.run(() => db.prepare('INSERT INTO parent (v) VALUES (?)').run('after'));
    expect(rows()).toEqual(['after']);
  });

  it("background writes join a request's group two at a time; with no request waiting, all at once", async () => {
    const writes = new GroupCommit(db);
    const insert = db.prepare('INSERT INTO parent (v) VALUES (?)');
    await writes.run(() => insert.run('warm'));
    const f0 = walFrames();
    await Promise.all(Array.from({ length: 10 }, (_, i) => writes.run(() => insert.run(`bg-${i}`), { background: true })));
    const alone = walFrames() - f0;
    const order: string[] = [];
    const f1 = walFrames();
    await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => writes.run(() => order.push(`bg-${i}`) && insert.run(`bg-${i}`), { background: true })),
      writes.run(() => order.push('request') && insert.run('request')),
    ]);
    const mixed = walFrames() - f1;
    // One commit (one frame of the table's page) for ten background writes alone; two when a request
    // takes the first group with two of them and the other eight follow in the next.
    expect(alone).toBe(1);
    expect(mixed).toBe(2);
    expect(order.slice(0, 3)).toEqual(['request', 'bg-0', 'bg-1']);
    expect(rows()).toHaveLength(22);
  });

  it('flushed() waits for the writes already asked for, so the connection can close after it', async () => {
    const writes = new GroupCommit(db);
    const insert = db.prepare('INSERT INTO parent (v) VALUES (?)');
    const asked = [writes.run(() => insert.run('x')), writes.run(() => insert.run('y'))];
    expect(rows()).toEqual([]);
    await writes.flushed();
    expect(rows()).toEqual(['x', 'y']);
    await Promise.all(asked);
    await expect(writes.flushed()).resolves.toBeUndefined();
  });

  it("the ticket store's creates asked for together share a commit", async () => {
    const store = new SqliteTicketStore(db);
    for (const i of [1, 2]) {
      const o = opened(i);
      await store.create(o.ticket, o.event, o.alarms);
    }
    const f0 = walFrames();
    const o3 = opened(3);
    await store.create(o3.ticket, o3.event, o3.alarms);
    const one = walFrames() - f0;
    const f1 = walFrames();
    await Promise.all([4, 5, 6, 7].map((i) => opened(i)).map((o) => store.create(o.ticket, o.event, o.alarms)));
    const four = walFrames() - f1;
    // Four commits would write about four times `one`; one commit shares the pages they all touch.
    expect(one).toBeGreaterThan(10);
    expect(four).toBeLessThan(2 * one);
    expect((await store.list({ limit: 10 })).items).toHaveLength(7);
  });

  it('the ticket store: two submissions with one client request id in one group save one ticket', async () => {
    const store = new SqliteTicketStore(db);
    const first = opened(1, 'crid-same0001');
    const retry = opened(2, 'crid-same0001');
    const other = opened(3);
    const [a, b, c] = await Promise.all([first, retry, other].map((o) => store.create(o.ticket, o.event, o.alarms)));
    expect(a).toEqual({ ticket: first.ticket, created: true });
    expect(b).toEqual({ ticket: first.ticket, created: false });
    expect(c.created).toBe(true);
    expect(await store.get('t-2')).toBeNull();
    expect((await store.list({ limit: 10 })).items.map((t) => t.id).sort()).toEqual(['t-1', 't-3']);
  });

  it('the ticket store: a stale update in a group is refused alone', async () => {
    const store = new SqliteTicketStore(db);
    for (const i of [1, 2]) {
      const o = opened(i);
      await store.create(o.ticket, o.event, o.alarms);
    }
    const bump = (id: string, from: number) => {
      const t = { ...opened(Number(id.slice(2))).ticket, version: from + 1, updatedAt: T0 + 10 };
      const e = { ...opened(Number(id.slice(2))).event, id: `${id}:${from + 1}`, seq: from + 1, at: T0 + 10 };
      return store.update(t, from, e, []);
    };
    const results = await Promise.allSettled([bump('t-1', 1), bump('t-2', 5)]);
    expect(results[0]!.status).toBe('fulfilled');
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'stale-version' });
    expect((await store.get('t-1'))!.version).toBe(2);
    expect((await store.get('t-2'))!.version).toBe(1);
  });
});
