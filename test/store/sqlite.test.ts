import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WorkingCalendar } from '../../shared/calendar/workingCalendar';
import { submitInputSchema } from '../../shared/contracts/commands';
import type { Ticket } from '../../shared/contracts/ticket';
import type { Notice, TicketQuery } from '../../shared/ports';
import { getProfile } from '../../shared/profiles';
import { alarmsFor, openTicket, summaryOf, type Alarm } from '../../shared/workflow';
import { MIGRATIONS, migrate, openDatabase, type SqliteDb } from '../../cloudfunctions/adapters/sqlite/db';
import { SqliteDirectoryStore } from '../../cloudfunctions/adapters/sqlite/directoryStore';
import { SCAN_BATCH, SqliteTicketStore } from '../../cloudfunctions/adapters/sqlite/ticketStore';
import { FILE_SIZE_LIMITS, LocalFileStore, verifyFileUrl } from '../../cloudfunctions/adapters/local/fileStore';
import { detectFileType } from '../../cloudfunctions/adapters/local/fileType';
import { DeliveringNotifier, outboxSender } from '../../cloudfunctions/lib/delivery';
import { T0, describeTicketStoreContract } from './ticketStore.contract';

const MIN = 60_000;
const HOUR = 60 * MIN;
const profile = getProfile('pingli');
const calendar = new WorkingCalendar();

const dirs: string[] = [];
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'mashang-store-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describeTicketStoreContract('sqlite', async () => {
  const dir = tempDir();
  const db = openDatabase(path.join(dir, 'data.sqlite'));
  return {
    store: new SqliteTicketStore(db),
    directory: new SqliteDirectoryStore(db),
    cleanup: async () => {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

/** A submitted ticket straight from the domain, with its first event and alarms. */
function opened(i: number, opts: { now?: number; reporter?: string } = {}) {
  const input = submitInputSchema.parse({ clientRequestId: `crid-${String(i).padStart(8, '0')}`, type: 'help', category: '市政设施', content: `第${i}号：路灯不亮` });
  const { ticket, event } = openTicket(input, { userId: opts.reporter ?? 'r-1', role: 'resident' }, { now: opts.now ?? T0, profile, calendar }, { ticketId: `t-${i}`, number: `PL${i}` });
  return { ticket, event, alarms: alarmsFor(ticket, profile) };
}

describe('sqlite: schema and pragmas', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });

  it('opens in WAL mode with foreign keys, NORMAL sync and a busy timeout', () => {
    const db = openDatabase(path.join(dir, 'a.sqlite'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    db.close();
  });

  it('migrations run once: reopening applies nothing and keeps the data', async () => {
    const file = path.join(dir, 'nested', 'm.sqlite');
    const db = openDatabase(file);
    const versions = () => db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
    expect(versions()).toEqual(MIGRATIONS.map((m) => m.version));
    const t = opened(1);
    await new SqliteTicketStore(db).create(t.ticket, t.event, t.alarms);
    expect(migrate(db)).toEqual([]);
    db.close();

    const again = openDatabase(file);
    expect(again.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(MIGRATIONS.length);
    expect((await new SqliteTicketStore(again).get('t-1'))?.id).toBe('t-1');
    expect(migrate(again)).toEqual([]);
    again.close();
  });

  it('refuses a database written by newer code', () => {
    const file = path.join(dir, 'new.sqlite');
    const db = openDatabase(file);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, ?, 0)').run('from the future');
    db.close();
    expect(() => openDatabase(file)).toThrow(/newer/);
  });

  it('the history is append-only: UPDATE and DELETE on events raise', async () => {
    const db = openDatabase(path.join(dir, 'e.sqlite'));
    const t = opened(1);
    await new SqliteTicketStore(db).create(t.ticket, t.event, t.alarms);
    expect(() => db.prepare("UPDATE events SET type = 'forged'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM events').run()).toThrow(/append-only/);
    expect(db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(1);
    db.close();
  });
});

describe('sqlite: search index of tickets saved before it existed (migration 7)', () => {
  it('fills the search columns and FTS rows of older tickets when the store opens', async () => {
    const old = new Database(':memory:');
    migrate(old, MIGRATIONS.filter((m) => m.version < 7));
    const input = submitInputSchema.parse({ clientRequestId: 'crid-old-0001', type: 'help', category: '供水', utilities: true, content: '整个小区停水两天了', onBehalf: true, contact: { name: '王五', phone: '0471-6661234' } });
    const { ticket } = openTicket(input, { userId: 'op-1', role: 'operator' }, { now: T0, profile, calendar }, { ticketId: 't-old', number: 'PL-OLD' });
    old.prepare(`INSERT INTO tickets (id, number, version, state, profile_id, type, category, reporter_id, content_hash, created_at, updated_at, doc)
      VALUES ('t-old', 'PL-OLD', 1, 'submitted', 'pingli', 'help', '供水', 'op-1', 'h', ?, ?, ?)`).run(T0, T0, JSON.stringify(ticket));
    migrate(old);
    const store = new SqliteTicketStore(old);
    expect(old.prepare('SELECT phone, phone_tail, channel, utilities FROM tickets').get()).toEqual({ phone: '04716661234', phone_tail: '1234', channel: 'phone', utilities: 1 });
    expect((await store.list({ search: { phoneTail: '1234', words: ['停水'] }, limit: 5 })).items.map((t) => t.id)).toEqual(['t-old']);
    expect(old.prepare('SELECT count(*) FROM ticket_search_pending').pluck().get()).toBe(0);
    old.close();
  });
});

describe('sqlite: tickets saved before their summaries existed (migration 190)', () => {
  it('a list of summaries reads such a ticket from its document, and its next write adds the summary', async () => {
    const old = openDatabase(':memory:');
    const a = opened(1);
    const b = opened(2, { now: T0 + 60_000 });
    const store = new SqliteTicketStore(old);
    await store.create(a.ticket, a.event, a.alarms);
    await store.create(b.ticket, b.event, b.alarms);
    // As the rows of a database migrated to 190: tickets without a summary.
    old.prepare('DELETE FROM ticket_summaries').run();
    await store.update({ ...b.ticket, version: 2, updatedAt: T0 + 120_000 }, 1, { ...b.event, id: 'e-2', seq: 2, at: T0 + 120_000 }, b.alarms);
    expect(old.prepare('SELECT ticket_id FROM ticket_summaries').pluck().all()).toEqual(['t-2']);
    const rows = (await store.listSummaries({ requesterId: 'r-1', reporterId: 'r-1', limit: 5 })).items;
    expect(rows.map((r) => [r.id, r.state, r.updatedAt])).toEqual([['t-2', 'submitted', T0 + 120_000], ['t-1', 'submitted', T0]]);
    expect(rows[0]).toEqual(summaryOf({ ...b.ticket, version: 2, updatedAt: T0 + 120_000 }));
    old.close();
  });
});

describe('sqlite: alarms claimed before their leases had a table (migration 192)', () => {
  it('an alarm leased under the old schema stays its run\'s until the lease ends, and that run can still mark it', async () => {
    const old = openDatabase(':memory:');
    const a = opened(1);
    const b = opened(2);
    await new SqliteTicketStore(old).create(a.ticket, a.event, a.alarms);
    await new SqliteTicketStore(old).create(b.ticket, b.event, b.alarms);
    // Back to the schema of 191: no lease table, alarms_ticket by ticket and status.
    old.exec('DROP TABLE alarm_leases; DROP INDEX alarms_ticket; CREATE INDEX alarms_ticket ON alarms (ticket_id, status); DELETE FROM schema_migrations WHERE version = 192');
    const [held, free] = [a.alarms[0], b.alarms[0]];
    const now = Math.max(held!.fireAt, free!.fireAt);
    // As the old claim left it: status 'claimed', the run and the lease on the alarm's row.
    old.prepare("UPDATE alarms SET status = 'claimed', run_id = 'run-old', lease_until = ?, attempts = 1 WHERE key = ?").run(now + MIN, held!.key);
    expect(migrate(old)).toEqual([192]);
    expect(old.prepare('SELECT key, run_id, lease_until, attempts FROM alarm_leases').all()).toEqual([{ key: held!.key, run_id: 'run-old', lease_until: now + MIN, attempts: 1 }]);
    expect(old.prepare("SELECT count(*) FROM alarms WHERE status = 'claimed'").pluck().get()).toBe(0);
    const store = new SqliteTicketStore(old);
    // During the old lease another run takes the other due alarms only.
    expect((await store.claimAlarms('run-new', now, 10, MIN)).map((x) => x.key)).toEqual([free!.key]);
    // The old run marks its alarm; the lease is let go with the attempt recorded on the alarm.
    expect(await store.completeAlarm(held!.key, 'run-old', 'sent')).toBe(true);
    expect(old.prepare('SELECT status, outcome, run_id, attempts FROM alarms WHERE key = ?').get(held!.key)).toEqual({ status: 'done', outcome: 'sent', run_id: 'run-old', attempts: 1 });
    expect(old.prepare('SELECT count(*) FROM alarm_leases WHERE key = ?').pluck().get(held!.key)).toBe(0);
    old.close();
  });
});

describe('sqlite: facts marks saved before migrations 180 and 181', () => {
  it('fills place and requester from the tickets, and the daily counts of each category within each area', async () => {
    const old = new Database(':memory:');
    migrate(old, MIGRATIONS.filter((m) => m.version < 180));
    const input = submitInputSchema.parse({ clientRequestId: 'crid-old-0180', type: 'help', category: '供水', content: '整个小区停水两天了', location: { grid: 'g-7' }, onBehalf: true, contact: { name: '王五', phone: '13912345678' } });
    for (const id of ['t-a', 't-b']) {
      const { ticket } = openTicket(input, { userId: 'op-1', role: 'operator' }, { now: T0, profile, calendar }, { ticketId: id, number: `PL-${id}` });
      old.prepare(`INSERT INTO tickets (id, number, version, state, profile_id, type, category, reporter_id, content_hash, created_at, updated_at, doc)
        VALUES (?, ?, 1, 'submitted', 'pingli', 'help', '供水', 'op-1', 'h', ?, ?, ?)`).run(id, `PL-${id}`, T0, T0, JSON.stringify({ ...ticket, clientRequestId: `c-${id}` }));
      // The facts as migration 18's code wrote them: no place, no requester.
      old.prepare(`INSERT INTO fact_marks (ticket_id, metric, seq, at, unit, area, category, channel, outcome, number) VALUES (?, 'submitted', 0, ?, '', '', '供水', 'phone', 'submitted', ?)`).run(id, T0, `PL-${id}`);
      old.prepare('INSERT INTO ticket_facts (ticket_id, doc) VALUES (?, ?)').run(id, JSON.stringify({ ticketId: id, number: `PL-${id}`, area: '', category: '供水', channel: 'phone', submitted: { at: T0, unit: '', outcome: 'submitted' } }));
    }
    old.prepare('DELETE FROM fact_pending').run();
    // 180 and 181, and the later ones (issue 18 §4's kb_uses).
    expect(migrate(old)).toEqual(MIGRATIONS.map((m) => m.version).filter((v) => v >= 180).sort((a, b) => a - b));
    expect(MIGRATIONS.map((m) => m.version)).toEqual(expect.arrayContaining([180, 181]));
    expect(old.prepare("SELECT DISTINCT place, requester FROM fact_marks").all()).toEqual([{ place: 'g-7', requester: 'p:13912345678' }]);
    const store = new SqliteTicketStore(old);
    expect(await store.factPlaces({ from: T0, to: T0 + HOUR, min: 2, limit: 10 })).toEqual([{ category: '供水', place: 'g-7', count: 2, requesters: 1, numbers: ['PL-t-a', 'PL-t-b'] }]);
    expect(await store.factRequesters({ from: T0, to: T0 + HOUR, min: 2, limit: 10 })).toEqual([{ requester: 'p:13912345678', count: 2, categories: ['供水'], firstTicketId: 't-a' }]);
    expect((await store.facts('t-b'))?.requester).toBe('p:13912345678');
    // The whole day is read from the daily counts migration 181 wrote.
    expect(old.prepare("SELECT key, n FROM fact_days WHERE dim = 'area.category'").all()).toEqual([{ key: '\u0000供水', n: 2 }]);
    const day = { from: T0 - 10 * HOUR, to: T0 + 14 * HOUR };
    expect(await store.factCounts({ ...day, by: 'area', then: 'category' })).toEqual([{ metric: 'submitted', key: '', key2: '供水', outcome: 'submitted', n: 2 }]);
    old.close();
  });
});

describe('sqlite: query plans', () => {
  let db: SqliteDb;
  let store: SqliteTicketStore;
  beforeEach(() => {
    db = openDatabase(':memory:');
    store = new SqliteTicketStore(db);
  });
  afterEach(() => db.close());

  const fullScan = /^SCAN (t|u|tickets|ticket_units|alarms|events)\b(?! USING (COVERING )?INDEX)/;
  const cursor = (q: TicketQuery) => Buffer.from(JSON.stringify([q.unitId ? 'due' : 'created', T0, 't-1'])).toString('base64url');

  const queries: [string, TicketQuery][] = [
    ["a resident's list", { requesterId: 'r-1', reporterId: 'r-1', limit: 20 }],
    ["a grid worker's reports", { reporterId: 'g-1', limit: 20 }],
    ['a resident list filtered by state', { requesterId: 'r-1', states: ['submitted', 'handling'], limit: 20 }],
    ['the unit inbox', { unitId: 'u-1', limit: 20 }],
    ...(['toSign', 'inProgress', 'returned', 'extensionPending', 'rework', 'supervised'] as const).map((inbox): [string, TicketQuery] => [`the inbox filter ${inbox}`, { unitId: 'u-1', inbox, limit: 20 }]),
    ...(['intake', 'dispatch', 'returns', 'extensions', 'results', 'revisit', 'supervision'] as const).map((queue): [string, TicketQuery] => [`the operator queue ${queue}`, { queue, limit: 20 }]),
    ['a states filter', { states: ['submitted', 'accepted'], limit: 20 }],
    ...(
      [
        ['number', { number: 'PL1' }],
        ['full phone', { phone: '13812345678' }],
        ['last four digits', { phoneTail: '5678' }],
        ['words', { words: ['停水', '小区'] }],
        ['assigned unit', { assignedUnitId: 'u-1' }],
        ['category', { category: '供水' }],
        ['area', { area: 'xc' }],
        ['channel', { channel: 'phone' }],
        ['urgency', { urgency: 'emergency' }],
        ['utilities', { utilities: true }],
        ['overdue', { overdue: true }],
        ['due soon', { dueBetween: { from: T0, to: T0 + 86_400_000 } }],
        ['creation period', { createdFrom: T0, createdTo: T0 + 86_400_000 }],
        ['last four digits and words', { phoneTail: '5678', words: ['停水'] }],
        ['category, urgency and period', { category: '供水', urgency: 'urgent', createdFrom: T0 }],
      ] as [string, TicketQuery['search']][]
    ).flatMap(([name, search]): [string, TicketQuery][] => [
      [`search by ${name}`, { search, limit: 20 }],
      [`search by ${name} in a queue`, { queue: 'intake', search, limit: 20 }],
      [`search by ${name} in a unit inbox`, { unitId: 'u-1', search, limit: 20 }],
    ]),
  ];

  it.each(queries)('%s uses an index, with and without a cursor', (_name, q) => {
    for (const query of [q, { ...q, cursor: cursor(q) }]) {
      const plan = store.explainList(query);
      expect(plan.length).toBeGreaterThan(0);
      expect(plan.filter((l) => fullScan.test(l))).toEqual([]);
      // A partial index holds only the flagged tickets: walking it whole is not a table scan.
      expect(plan.some((l) => /^SEARCH (t|u) USING (COVERING )?INDEX/.test(l) || /^SCAN t USING INDEX tickets_(utilities|overdue)$/.test(l))).toBe(true);
    }
  });

  it.each(queries)('%s as summaries walks the same index, keys only, and reads each kept summary by key', (_name, q) => {
    for (const query of [q, { ...q, cursor: cursor(q) }]) {
      const plan = store.explainList(query, 'summary');
      expect(plan.filter((l) => fullScan.test(l))).toEqual([]);
      expect(plan.some((l) => /^SEARCH (t|u) USING (COVERING )?INDEX/.test(l) || /^SCAN t USING (COVERING )?INDEX tickets_(utilities|overdue|created)/.test(l) || /^SCAN u USING (COVERING )?INDEX ticket_units_/.test(l))).toBe(true);
      expect(plan.some((l) => /^SEARCH s USING (PRIMARY KEY|INDEX sqlite_autoindex_ticket_summaries_1) \(ticket_id=\?\)/.test(l))).toBe(true);
    }
  });

  it("a unit's inbox of summaries never reads the tickets table when nothing is searched", () => {
    for (const q of [{ unitId: 'u-1', limit: 20 }, { unitId: 'u-1', states: ['dispatched', 'handling'], limit: 20 }, { unitId: 'u-1', inbox: 'toSign' as const, limit: 20 }]) {
      const plan = store.explainList(q, 'summary');
      expect(plan.filter((l) => /^(SCAN|SEARCH) t\b/.test(l))).toEqual([]);
      expect(plan.join('\n')).toMatch(/ticket_units_(inbox|all)/);
    }
  });

  it.each([
    ['phone_tail', { phoneTail: '5678' }, /tickets_phone_tail/],
    ['phone', { phone: '13812345678' }, /tickets_phone\b/],
    ['FTS5', { words: ['停水'] }, /VIRTUAL TABLE INDEX/],
    ['utilities', { utilities: true }, /tickets_utilities/],
    ['overdue', { overdue: true }, /tickets_overdue/],
    ['next due', { dueBetween: { from: 1, to: 2 } }, /tickets_next_due/],
  ] as [string, TicketQuery['search'], RegExp][])('a search by %s uses its own index', (_n, search, index) => {
    expect(store.explainList({ search, limit: 20 }).join('\n')).toMatch(index);
  });

  it('the supervision queue walks the partial index of supervised tickets', () => {
    expect(store.explainList({ queue: 'supervision', limit: 20 }).join('\n')).toMatch(/tickets_supervised/);
  });

  it('the unfiltered list walks the creation index in order, stopping at the page', () => {
    const plan = store.explainList({ limit: 20 });
    expect(plan).toEqual(['SCAN t USING INDEX tickets_created']);
  });

  it('the alarm claim searches the due index', () => {
    const plan = store.explainClaim();
    expect(plan.filter((l) => fullScan.test(l))).toEqual([]);
    expect(plan.join('\n')).toMatch(/SEARCH alarms USING (COVERING )?INDEX alarms_due \(status=\? AND fire_at<\?\)/);
  });
});

describe('sqlite: limits written into the SQL', () => {
  // SQLite plans a bound LIMIT with its value and so compiles such a statement again on every run
  // (cloudfunctions/adapters/sqlite/limited.ts). Every path that takes a limit, with two limits each.
  it('no statement the stores prepare binds its LIMIT, and each limit is planned once', async () => {
    const prepare = jest.spyOn(Database.prototype, 'prepare');
    const db = openDatabase(':memory:');
    try {
      const store = new SqliteTicketStore(db);
      const directory = new SqliteDirectoryStore(db);
      const { ticket, event, alarms } = opened(1);
      await store.create(ticket, event, alarms);
      for (const limit of [5, 20]) {
        for (const q of [{ limit }, { unitId: 'u-1', limit }, { requesterId: 'r-1', reporterId: 'r-1', limit }, { queue: 'intake', search: { words: ['路灯'] }, limit }] as TicketQuery[]) {
          await store.list(q);
          await store.listSummaries(q);
        }
        await store.claimAlarms(`run-${limit}`, T0, limit, MIN);
        await store.claimEffects(`run-${limit}`, T0, limit, MIN);
        await store.listEffects('pending', limit);
        await store.factTickets({ metric: 'submitted', from: T0 - HOUR, to: T0 + HOUR, by: 'all', key: '', limit });
        await store.factPlaces({ from: T0 - HOUR, to: T0 + HOUR, min: 1, limit });
        await store.factRequesters({ from: T0 - HOUR, to: T0 + HOUR, min: 1, limit });
        await directory.listDeliveries('r-1', limit);
        await directory.listAudit({ limit });
        await directory.listAudit({ limit, userId: 'r-1' });
      }
      for await (const _ of store.scan(T0 - HOUR, T0 + HOUR));
      for await (const _ of store.eventsBetween(T0 - HOUR, T0 + HOUR));
      const texts = prepare.mock.calls.map(([sql]) => sql.replace(/\s+/g, ' '));
      expect(texts.filter((sql) => /\bLIMIT\s+[@:$?]/i.test(sql))).toEqual([]);
      const limitedTexts = texts.filter((sql) => /\bLIMIT\s+\d+/i.test(sql));
      // 10 statements with a caller's limit (the 4 lists count once each for list and summaries) at 2 limits, and more.
      expect(limitedTexts.length).toBeGreaterThanOrEqual(2 * 10);
      // The same limit again reuses its statement.
      const before = prepare.mock.calls.length;
      await store.claimAlarms('run-again', T0, 5, MIN);
      await store.listSummaries({ unitId: 'u-1', limit: 5 });
      await directory.listAudit({ limit: 5 });
      expect(prepare.mock.calls.length).toBe(before);
    } finally {
      prepare.mockRestore();
      db.close();
    }
  });
});

describe('sqlite: across connections and processes', () => {
  it('two connections on one file: a stale write is refused and claims never overlap', async () => {
    const file = path.join(tempDir(), 'shared.sqlite');
    const a = openDatabase(file);
    const b = openDatabase(file);
    const sa = new SqliteTicketStore(a);
    const sb = new SqliteTicketStore(b);
    const t = opened(1);
    const alarms: Alarm[] = Array.from({ length: 20 }, (_, i) => ({ key: `t-1:handle:${i}`, ticketId: 't-1', deadline: 'handle', kind: 'dueSoon', fireAt: T0 + i, dueAt: T0 + HOUR, owner: 'u-1', threshold: 0.5 }));
    await sa.create(t.ticket, t.event, alarms);

    const next = { ...t.ticket, version: 2, state: 'accepted', updatedAt: T0 + MIN };
    const ev = { ...t.event, id: 't-1:2', seq: 2, type: 'accept', from: 'submitted', to: 'accepted', at: T0 + MIN };
    await sa.update(next, 1, ev, alarms);
    await expect(sb.update(next, 1, ev, alarms)).rejects.toMatchObject({ code: 'stale-version' });
    expect(await sb.events('t-1')).toHaveLength(2);

    const claimed: string[] = [];
    for (let i = 0; i < 10; i++) {
      const [x, y] = await Promise.all([sa.claimAlarms('run-a', T0 + HOUR, 2, MIN), sb.claimAlarms('run-b', T0 + HOUR, 2, MIN)]);
      claimed.push(...x.map((z) => z.key), ...y.map((z) => z.key));
    }
    expect(claimed).toHaveLength(20);
    expect(new Set(claimed).size).toBe(20);
    a.close();
    b.close();
  });

  it('scan and eventsBetween read past one batch, each ticket once', async () => {
    const db = openDatabase(path.join(tempDir(), 'scan.sqlite'));
    const store = new SqliteTicketStore(db);
    const base = opened(0);
    const total = SCAN_BATCH * 2 + 37;
    // Asked for together, the creates share one commit (group commit).
    await Promise.all(
      Array.from({ length: total }, (_, i) => {
        const at = T0 + (i % 50) * MIN;
        const ticket: Ticket = { ...base.ticket, id: `s-${i}`, number: `S${i}`, clientRequestId: `scan-${i}`, createdAt: at, updatedAt: at };
        return store.create(ticket, { ...base.event, id: `s-${i}:1`, ticketId: ticket.id, at }, []);
      }),
    );
    const seen = new Set<string>();
    for await (const t of store.scan(T0, T0 + HOUR)) {
      expect(seen.has(t.id)).toBe(false);
      seen.add(t.id);
    }
    expect(seen.size).toBe(total);
    let events = 0;
    let last = 0;
    for await (const e of store.eventsBetween(T0, T0 + HOUR)) {
      expect(e.at).toBeGreaterThanOrEqual(last);
      last = e.at;
      events += 1;
    }
    expect(events).toBe(total);
    db.close();
  });

  it('kill -9 loses no committed submission and leaves the file intact', async () => {
    const file = path.join(tempDir(), 'crash.sqlite');
    openDatabase(file).close();
    // node itself runs the script (tsx as a loader, not its CLI): the pid killed is the writer's.
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'fixtures/crashWriter.ts'), file], {
      cwd: path.join(__dirname, '../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acked: string[] = [];
    let buffer = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await new Promise<void>((resolve, reject) => {
      child.on('exit', () => resolve());
      child.on('error', reject);
      child.stdout.on('data', (d: Buffer) => {
        buffer += d.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop()!;
        acked.push(...lines);
        if (acked.length >= 300) child.kill('SIGKILL');
      });
    });
    clearTimeout(guard);
    expect(stderr).toBe('');
    expect(acked.length).toBeGreaterThanOrEqual(300);
    const db = openDatabase(file);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const store = new SqliteTicketStore(db);
    for (const id of acked) expect((await store.get(id))?.id).toBe(id);
    const stored = db.prepare('SELECT count(*) FROM tickets').pluck().get() as number;
    expect(stored).toBeGreaterThanOrEqual(acked.length);
    expect(db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(stored);
    db.close();
  });
});

/** Bytes from numbers and ASCII strings. */
function b(...parts: (number[] | string)[]): Uint8Array {
  const out: number[] = [];
  for (const p of parts) out.push(...(typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p));
  return Uint8Array.from(out);
}

/** An EBML element with a one- or two-byte size. */
function el(id: number[], ...payload: Uint8Array[]): Uint8Array {
  const body = Buffer.concat(payload);
  const size = body.length < 127 ? [0x80 | body.length] : [0x40 | (body.length >> 8), body.length & 0xff];
  return Uint8Array.from([...id, ...size, ...body]);
}

function webm(trackTypes: number[], docType = 'webm'): Uint8Array {
  const header = el([0x1a, 0x45, 0xdf, 0xa3], el([0x42, 0x86], b([1])), el([0x42, 0x82], b(docType)));
  const info = el([0x15, 0x49, 0xa9, 0x66], el([0x2a, 0xd7, 0xb1], b([0x0f, 0x42, 0x40])));
  const entries = trackTypes.map((type, i) => el([0xae], el([0xd7], b([i + 1])), el([0x83], b([type])), el([0x86], b(type === 1 ? 'V_VP8' : 'A_OPUS'))));
  const tracks = el([0x16, 0x54, 0xae, 0x6b], ...entries);
  const cluster = b([0x1f, 0x43, 0xb6, 0x75, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], [0xe7, 0x81, 0x00]);
  // Segment of unknown size, as MediaRecorder writes it.
  return Buffer.concat([header, b([0x18, 0x53, 0x80, 0x67, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), info, tracks, cluster]);
}

const samples: [string, Uint8Array, string, string][] = [
  ['JPEG', b([0xff, 0xd8, 0xff, 0xe0, 0, 0x10], 'JFIF'), 'image', 'jpg'],
  ['PNG', b([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d], 'IHDR'), 'image', 'png'],
  ['GIF', b('GIF89a', [1, 0, 1, 0]), 'image', 'gif'],
  ['WEBP', b('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 '), 'image', 'webp'],
  ['MP4', b([0, 0, 0, 0x18], 'ftypisom', [0, 0, 2, 0], 'isomiso2'), 'video', 'mp4'],
  ['MOV', b([0, 0, 0, 0x14], 'ftypqt  ', [0, 0, 0, 0], 'qt  '), 'video', 'mov'],
  ['M4A', b([0, 0, 0, 0x1c], 'ftypM4A ', [0, 0, 0, 0], 'M4A isom'), 'audio', 'm4a'],
  ['WEBM video', webm([1, 2]), 'video', 'webm'],
  ['WEBM audio only (MediaRecorder)', webm([2]), 'audio', 'webm'],
  ['MKV', webm([1], 'matroska'), 'video', 'mkv'],
  ['MP3 with ID3', b('ID3', [4, 0, 0, 0, 0, 0, 0]), 'audio', 'mp3'],
  ['MP3 frame', b([0xff, 0xfb, 0x90, 0x64, 0, 0]), 'audio', 'mp3'],
  ['AAC ADTS', b([0xff, 0xf1, 0x50, 0x80, 0x02, 0x1f, 0xfc]), 'audio', 'aac'],
  ['AAC ADTS (MPEG-2)', b([0xff, 0xf9, 0x50, 0x80, 0x02, 0x1f, 0xfc]), 'audio', 'aac'],
  ['WAV', b('RIFF', [0x24, 0, 0, 0], 'WAVEfmt '), 'audio', 'wav'],
  ['OGG', b('OggS', [0, 2, 0, 0]), 'audio', 'ogg'],
  ['AMR', b('#!AMR\n', [0x3c]), 'audio', 'amr'],
  ['PDF', b('%PDF-1.7\n'), 'document', 'pdf'],
];

const refused: [string, Uint8Array][] = [
  ['an executable', b('MZ', [0x90, 0, 3, 0])],
  ['an SVG', b('<svg xmlns="http://www.w3.org/2000/svg"></svg>')],
  ['a ZIP', b('PK', [3, 4, 20, 0])],
  ['HEIC', b([0, 0, 0, 0x18], 'ftypheic', [0, 0, 0, 0], 'mif1heic')],
  ['plain text', b('hello world')],
  ['nothing', b()],
  ['a lone 0xFF', b([0xff])],
];

describe('local file store', () => {
  const secret = 'test-secret';
  let db: SqliteDb;
  let files: LocalFileStore;
  let root: string;
  beforeEach(() => {
    root = tempDir();
    db = openDatabase(path.join(root, 'data.sqlite'));
    files = new LocalFileStore(db, { dir: path.join(root, 'files'), secret });
  });
  afterEach(() => db.close());

  it.each(samples)('%s is recognised by its magic bytes', async (_name, bytes, kind, ext) => {
    const f = await files.put('u-1', 'whatever.exe', bytes, {}, T0);
    expect(f).toMatchObject({ ownerId: 'u-1', kind, size: bytes.length, createdAt: T0 });
    expect(f.fileId).toMatch(new RegExp(`^local:202603/[A-Za-z0-9_-]+\\.${ext}$`));
    expect(await files.stat(f.fileId)).toEqual(f);
    expect(Buffer.from(await files.read(f.fileId))).toEqual(Buffer.from(bytes));
  });

  it.each(refused)('%s is refused with file-type-not-allowed, whatever its name', async (_name, bytes) => {
    await expect(files.put('u-1', 'photo.jpg', bytes, {}, T0)).rejects.toMatchObject({ code: 'file-type-not-allowed' });
  });

  it('the client kind hint decides only what the bytes cannot', () => {
    const generic = b([0, 0, 0, 0x18], 'ftypmp42', [0, 0, 0, 0], 'mp42isom');
    expect(detectFileType(generic)?.kind).toBe('video');
    expect(detectFileType(generic, 'audio')).toEqual({ kind: 'audio', mime: 'audio/mp4', ext: 'm4a' });
    expect(detectFileType(webm([1, 2]), 'audio')?.kind).toBe('video');
    const truncated = webm([2]).subarray(0, 40);
    expect(detectFileType(truncated)?.kind).toBe('video');
    expect(detectFileType(truncated, 'audio')?.kind).toBe('audio');
    expect(detectFileType(b([0xff, 0xd8, 0xff, 0xe0]), 'audio')?.kind).toBe('image');
  });

  it('size limits by kind: image 10 MB, video 50 MB, audio 10 MB, document 10 MB', async () => {
    expect(FILE_SIZE_LIMITS).toEqual({ image: 10 * 2 ** 20, video: 50 * 2 ** 20, audio: 10 * 2 ** 20, document: 10 * 2 ** 20 });
    const padded = (head: Uint8Array, size: number) => {
      const out = new Uint8Array(size);
      out.set(head);
      return out;
    };
    await expect(files.put('u-1', 'a', padded(samples[0]![1], 10 * 2 ** 20 + 1), {}, T0)).rejects.toMatchObject({ code: 'file-too-large' });
    await expect(files.put('u-1', 'a', padded(b('%PDF-1.7'), 10 * 2 ** 20 + 1), {}, T0)).rejects.toMatchObject({ code: 'file-too-large' });
    await expect(files.put('u-1', 'a', padded(b('ID3', [4, 0]), 10 * 2 ** 20 + 1), {}, T0)).rejects.toMatchObject({ code: 'file-too-large' });
    await expect(files.put('u-1', 'a', padded(samples[4]![1], 50 * 2 ** 20 + 1), {}, T0)).rejects.toMatchObject({ code: 'file-too-large' });
    const video = await files.put('u-1', 'a', padded(samples[4]![1], 20 * 2 ** 20), { durationSec: 59 }, T0);
    expect(video).toMatchObject({ kind: 'video', size: 20 * 2 ** 20, durationSec: 59 });
  });

  it('audio and video longer than 60 s are refused with media-too-long', async () => {
    await expect(files.put('u-1', 'a', samples[12]![1], { durationSec: 61 }, T0)).rejects.toMatchObject({ code: 'media-too-long' });
    await expect(files.put('u-1', 'a', samples[4]![1], { durationSec: 60.5 }, T0)).rejects.toMatchObject({ code: 'media-too-long' });
    await expect(files.put('u-1', 'a', samples[12]![1], { durationSec: -1 }, T0)).rejects.toMatchObject({ code: 'invalid-input' });
    expect(await files.put('u-1', 'a', samples[12]![1], { durationSec: 60 }, T0)).toMatchObject({ durationSec: 60 });
    // A photo has no duration to check.
    expect((await files.put('u-1', 'a', samples[0]![1], { durationSec: 600 }, T0)).durationSec).toBeUndefined();
  });

  it('the client name never becomes a path, and nothing is written for a refusal', async () => {
    const f = await files.put('u-1', '../../etc/passwd', samples[0]![1], {}, T0);
    expect(f.fileId).not.toContain('passwd');
    await expect(files.put('u-1', 'x.jpg', b('MZ'), {}, T0)).rejects.toMatchObject({ code: 'file-type-not-allowed' });
    const written = fs.readdirSync(path.join(root, 'files', '202603'));
    expect(written).toEqual([f.fileId.split('/')[1]]);
  });

  it.each([
    'local:../data.sqlite',
    'local:202603/../../data.sqlite',
    'local:202603/..\\..\\data.sqlite',
    'local:202603\\x.jpg',
    'local:/etc/passwd',
    'local:2026/x.jpg',
    'local:202603/x.JPG',
    'local:202603/a/b.jpg',
    'local:202603/x',
    'cloud://env/202603/x.jpg',
    '/etc/passwd',
    '',
  ])('the file id %p is refused by stat, read and temporaryUrl', async (id) => {
    await expect(files.stat(id)).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(files.read(id)).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(files.temporaryUrl(id, T0)).rejects.toMatchObject({ code: 'invalid-input' });
  });

  it('unknown well-formed ids: stat null, read and temporaryUrl not-found', async () => {
    expect(await files.stat('local:202603/nothing.jpg')).toBeNull();
    await expect(files.read('local:202603/nothing.jpg')).rejects.toMatchObject({ code: 'not-found' });
    await expect(files.temporaryUrl('local:202603/nothing.jpg', T0)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('temporary URLs are signed and expire', async () => {
    const f = await files.put('u-1', 'a.jpg', samples[0]![1], {}, T0);
    const url = await files.temporaryUrl(f.fileId, T0);
    const m = /^\/files\/([0-9]{6}\/[A-Za-z0-9_-]+\.jpg)\?exp=([0-9]+)&sig=([A-Za-z0-9_-]+)$/.exec(url);
    expect(m).not.toBeNull();
    const [, rel, exp, sig] = m as unknown as [string, string, string, string];
    expect(`local:${rel}`).toBe(f.fileId);
    expect(Number(exp)).toBeGreaterThan(T0);
    expect(verifyFileUrl(rel, exp, sig, T0 + MIN, secret)).toBe(true);
    expect(verifyFileUrl(rel, exp, sig, Number(exp) + 1, secret)).toBe(false);
    expect(verifyFileUrl(rel, String(Number(exp) + 1000), sig, T0, secret)).toBe(false);
    expect(verifyFileUrl(rel.replace(/.\.jpg$/, 'x.jpg'), exp, sig, T0, secret)).toBe(false);
    expect(verifyFileUrl(rel, exp, sig.slice(1), T0, secret)).toBe(false);
    expect(verifyFileUrl(rel, exp, sig, T0, 'another-secret')).toBe(false);
    expect(verifyFileUrl('../data.sqlite', exp, sig, T0, secret)).toBe(false);
    expect(verifyFileUrl(rel, 'soon', sig, T0, secret)).toBe(false);
  });
});

describe('local outbox (the delivering notifier over the outbox sender, as localDeps wires it)', () => {
  it('records one delivery per dedupe key; a repeat records nothing', async () => {
    const db = openDatabase(':memory:');
    const directory = new SqliteDirectoryStore(db);
    let now = T0;
    const outbox = new DeliveringNotifier(directory, outboxSender, () => now);
    const notice: Notice = { template: 'assigned', ticketId: 't-1', ticketNumber: 'PL1', title: '路灯不亮', status: '待签收', summary: '有新的诉求待签收', at: T0, page: '/pages/ticket/index?id=t-1' };

    expect(await outbox.send({ userId: 'staff-1' }, notice, 'assigned:t-1:2:staff-1')).toEqual({ status: 'delivered', attempts: 1 });
    now += MIN;
    expect(await outbox.send({ userId: 'staff-1' }, notice, 'assigned:t-1:2:staff-1')).toEqual({ status: 'delivered', attempts: 0, errorCode: 'duplicate' });
    expect(await outbox.send({ userId: 'staff-1' }, { ...notice, template: 'dueSoon' }, 'dueSoon:t-1:x:staff-1')).toEqual({ status: 'delivered', attempts: 1 });

    const list = await directory.listDeliveries('staff-1', 10);
    expect(list.map((d) => [d.id, d.template, d.status, d.createdAt])).toEqual([
      ['dueSoon:t-1:x:staff-1', 'dueSoon', 'delivered', T0 + MIN],
      ['assigned:t-1:2:staff-1', 'assigned', 'delivered', T0],
    ]);
    expect(list[1]!.notice).toEqual(notice);
    db.close();
  });
});

describe('sqlite ticket store: refusals specific to this adapter', () => {
  it('create refuses a ticket that does not start at version 1 and events of another ticket', async () => {
    const db = openDatabase(':memory:');
    const store = new SqliteTicketStore(db);
    const t = opened(1);
    await expect(store.create({ ...t.ticket, version: 2 }, { ...t.event, seq: 2 }, [])).rejects.toMatchObject({ code: 'internal' });
    await expect(store.create(t.ticket, { ...t.event, ticketId: 't-2' }, [])).rejects.toMatchObject({ code: 'internal' });
    await expect(store.create(t.ticket, t.event, [{ ...t.alarms[0]!, ticketId: 't-2' }])).rejects.toMatchObject({ code: 'internal' });
    expect(await store.get('t-1')).toBeNull();
    await expect(store.list({ queue: 'nope' as never, limit: 5 })).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(store.list({ inbox: 'toSign', limit: 5 })).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(store.list({ states: ['nope'], limit: 5 })).rejects.toMatchObject({ code: 'invalid-input' });
    db.close();
  });
});

describe('sqlite directory store: refusals specific to this adapter', () => {
  it('an openid bound to another user, an unknown delivery, a negative credit', async () => {
    const db = openDatabase(':memory:');
    const directory = new SqliteDirectoryStore(db);
    await directory.putUser({ id: 'a', openid: 'o-1', name: '甲', roles: ['resident'] });
    await expect(directory.putUser({ id: 'b', openid: 'o-1', name: '乙', roles: ['resident'] })).rejects.toMatchObject({ code: 'invalid-input' });
    expect(await directory.getUser('b')).toBeNull();
    await expect(directory.updateDelivery('nope', { status: 'failed' })).rejects.toMatchObject({ code: 'not-found' });
    await expect(directory.addCredits('a', 'progress', -1)).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(directory.hit('k', 0, T0)).rejects.toMatchObject({ code: 'invalid-input' });
    db.close();
  });
});
