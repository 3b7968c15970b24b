/**
 * The CloudBase adapters' calls, checked against FakeCloudDb (a recording fake of the node-sdk
 * subset, not CloudBase): the shapes of filters, updates, limits and transactions they send.
 */
import { CloudDirectoryStore } from '../../cloudfunctions/adapters/cloudbase/directoryStore';
import { CloudTicketStore, eventDocId, requestKey } from '../../cloudfunctions/adapters/cloudbase/ticketStore';
import { sha256 } from '../../cloudfunctions/adapters/cloudbase/query';
import { INBOX_FILTERS, OPERATOR_QUEUES } from '../../shared/workflow/states';
import { DomainError } from '../../shared/errors';
import { FakeCloudDb, FakeDbError, type CallRecord } from './fakeCloudDb';
import { DAY, HOUR, MIN, T0, draft, next, operator, type Cmd } from './helpers';

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const writes = new Set(['update', 'remove', 'add', 'doc.set', 'doc.update', 'doc.remove']);

let db: FakeCloudDb;
let store: CloudTicketStore;
let directory: CloudDirectoryStore;
beforeEach(() => {
  db = new FakeCloudDb();
  store = new CloudTicketStore(db);
  directory = new CloudDirectoryStore(db);
});

describe('FakeCloudDb behaves like the node-sdk where the adapters depend on it', () => {
  it('a query without limit returns 100 rows, never more than 1000', async () => {
    for (let i = 0; i < 1200; i++) db.seed('x', { _id: `d${String(i).padStart(4, '0')}`, i });
    expect((await db.collection('x').where({}).get()).data).toHaveLength(100);
    expect((await db.collection('x').where({}).limit(5000).get()).data).toHaveLength(1000);
  });

  it('update merges nested objects; _.set replaces them; updated counts modified documents only', async () => {
    const _ = db.command;
    db.seed('x', { _id: 'a', o: { b: 1, c: 2 }, n: 1 });
    expect(await db.collection('x').doc('a').update({ o: { b: 5 } })).toEqual({ updated: 1 });
    expect((await db.collection('x').doc('a').get()).data[0]).toEqual({ _id: 'a', o: { b: 5, c: 2 }, n: 1 });
    expect(await db.collection('x').where({ _id: 'a' }).update({ o: _.set({ b: 6 }) })).toEqual({ updated: 1 });
    expect((await db.collection('x').doc('a').get()).data[0]).toEqual({ _id: 'a', o: { b: 6 }, n: 1 });
    expect(await db.collection('x').where({ _id: 'a' }).update({ n: 1 })).toEqual({ updated: 0 });
  });

  it('add refuses an existing _id; set and update refuse an _id in the fields; an undefined filter value throws', async () => {
    await db.collection('x').add({ _id: 'a', v: 1 });
    await expect(db.collection('x').add({ _id: 'a', v: 2 })).rejects.toMatchObject({ code: 'DATABASE_DUPLICATE_WRITE' });
    expect(() => db.collection('x').doc('a').set({ _id: 'a', v: 3 })).toThrow(FakeDbError);
    expect(() => db.collection('x').where({ v: 1 }).update({ _id: 'b' })).toThrow(FakeDbError);
    expect(() => db.collection('x').where({ v: undefined })).toThrow(/undefined/);
  });

  it('a transaction whose document changed meanwhile conflicts and is retried; doc().get() inside returns the document itself', async () => {
    db.seed('x', { _id: 'a', n: 1 });
    let attempts = 0;
    const seen: unknown[] = [];
    const result = await db.runTransaction(async (tx) => {
      attempts++;
      const { data } = await tx.collection('x').doc('a').get();
      seen.push(data);
      await tx.collection('x').doc('a').set({ n: Number(data!.n) + 1 });
      if (attempts === 1) await db.collection('x').doc('a').update({ n: 10 });
      return Number(data!.n) + 1;
    });
    expect(attempts).toBe(2);
    expect(result).toBe(11);
    expect(seen[0]).toEqual({ _id: 'a', n: 1 });
    expect((await db.collection('x').doc('a').get()).data).toEqual([{ _id: 'a', n: 11 }]);
  });
});

describe('ticket store: query shapes', () => {
  it('create runs in one transaction: request marker checked and inserted, ticket, first event and alarms inserted', async () => {
    const d = draft();
    await store.create(d.ticket, d.event, d.alarms);
    const rk = requestKey(d.ticket.reporter.userId, d.ticket.clientRequestId!);
    expect(rk).toBe(sha256(`${d.ticket.reporter.userId}:${d.ticket.clientRequestId}`));
    const calls = db.calls.map((c) => [c.tx, c.collection, c.method, c.docId]);
    expect(calls).toEqual([
      [true, 'requests', 'doc.get', rk],
      [true, 'requests', 'add', rk],
      [true, 'tickets', 'add', d.ticket.id],
      [true, 'events', 'add', eventDocId(d.ticket.id, 1)],
      ...d.alarms.map((a) => [true, 'alarms', 'add', a.key]),
    ]);
    const [stored] = db.docs('tickets');
    expect(stored).toMatchObject({
      _id: d.ticket.id,
      version: 1,
      state: 'submitted',
      reporterId: d.ticket.reporter.userId,
      requesterId: d.ticket.requester.userId,
      unitIds: [],
      clientRequestKey: `${d.ticket.reporter.userId}:${d.ticket.clientRequestId}`,
      dueSort: d.ticket.nextDueAt,
      outboxPending: false,
    });
  });

  it('concurrent creates with one client request id conflict in the transaction; the retry finds the marker', async () => {
    const drafts = [0, 1, 2].map(() => draft({ crid: 'same-request-0001' }));
    const results = await Promise.all(drafts.map((d) => store.create(d.ticket, d.event, d.alarms)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    // More marker reads than creates: the losers ran their transaction again.
    expect(db.callsTo('requests', 'doc.get').length).toBeGreaterThan(3);
    expect(db.docs('tickets')).toHaveLength(1);
    expect(db.docs('events')).toHaveLength(1);
  });

  it('update is ONE conditional update on { _id, version, outboxPending: false } with version: _.inc(1) and the ticket replaced by _.set', async () => {
    const d = draft();
    await store.create(d.ticket, d.event, d.alarms);
    db.clearCalls();
    const v2 = next(d.ticket, { type: 'accept' });
    await store.update(v2.ticket, 1, v2.event, v2.alarms);

    const updates = db.callsTo('tickets', 'update');
    const [commit] = updates;
    expect(commit!.tx).toBe(false);
    expect(commit!.query).toEqual({ _id: d.ticket.id, version: 1, outboxPending: false });
    const data = commit!.data as Record<string, unknown>;
    expect(data.version).toEqual({ $inc: 1 });
    expect(data.ticket).toEqual({ $set: JSON.parse(JSON.stringify(v2.ticket)) });
    expect(data.outbox).toEqual({ $set: JSON.parse(JSON.stringify({ event: v2.event, alarms: v2.alarms })) });
    expect(data).toMatchObject({ state: 'accepted', outboxPending: true });
    // The fields that never change are not rewritten.
    expect(data).not.toHaveProperty('number');
    expect(data).not.toHaveProperty('createdAt');
    // Then the event is inserted under its deterministic id, and the outbox flag cleared on the version written.
    expect(db.callsTo('events', 'add').map((c) => c.docId)).toEqual([eventDocId(d.ticket.id, 2)]);
    expect(updates[updates.length - 1]!.query).toEqual({ _id: d.ticket.id, version: 2, outboxPending: true });
    expect(updates[updates.length - 1]!.data).toEqual({ outboxPending: false });
    expect(db.calls.indexOf(commit!)).toBeLessThan(db.calls.indexOf(db.callsTo('events', 'add')[0]!));
  });

  it('a stale update (updated === 0) throws stale-version and writes nothing else', async () => {
    const d = draft();
    await store.create(d.ticket, d.event, d.alarms);
    const v2 = next(d.ticket, { type: 'accept' });
    await store.update(v2.ticket, 1, v2.event, v2.alarms);
    db.clearCalls();
    const late = next(d.ticket, { type: 'refuse', groundCode: 'out-of-jurisdiction' });
    await expect(store.update(late.ticket, 1, late.event, late.alarms)).rejects.toMatchObject({ code: 'stale-version' });
    expect(db.calls.filter((c) => writes.has(c.method)).map((c) => [c.collection, c.method, c.result])).toEqual([['tickets', 'update', { updated: 0 }]]);
  });

  it('events are append-only: the adapter never updates or removes them, and reads them with seq <= version', async () => {
    const d = draft();
    await store.create(d.ticket, d.event, d.alarms);
    let t = d.ticket;
    const cmds: Cmd[] = [{ type: 'accept' }, { type: 'dispatch', mode: 'single', unitIds: ['u1'] }];
    for (const cmd of cmds) {
      const n = next(t, cmd);
      await store.update(n.ticket, t.version, n.event, n.alarms);
      t = n.ticket;
    }
    db.clearCalls();
    expect((await store.events(t.id)).map((e) => e.seq)).toEqual([1, 2, 3]);
    const [read] = db.callsTo('events', 'get');
    expect(read!.query).toEqual({ ticketId: t.id, seq: { $lte: 3 } });
    expect(read!.order).toEqual([['seq', 'asc']]);
    expect(read!.limit).toBe(1000);
    const touched = (c: CallRecord) => c.collection === 'events' && writes.has(c.method) && c.method !== 'add';
    expect(db.calls.filter(touched)).toEqual([]);
  });

  it('a crash after the commit and before the event insert: the next read finishes the outbox, the next write too', async () => {
    const d = draft();
    await store.create(d.ticket, d.event, d.alarms);
    const v2 = next(d.ticket, { type: 'accept' });
    db.injectFault({ match: (c) => c.collection === 'events' && c.method === 'add' });
    // Committed: the caller is told it succeeded, the outbox stays pending.
    await store.update(v2.ticket, 1, v2.event, v2.alarms);
    expect(db.docs('tickets')[0]).toMatchObject({ version: 2, outboxPending: true });
    expect(db.docs('events')).toHaveLength(1);
    // The history is whole as soon as someone reads it.
    expect((await store.events(d.ticket.id)).map((e) => e.type)).toEqual(['submit', 'accept']);
    expect(db.docs('tickets')[0]).toMatchObject({ version: 2, outboxPending: false });

    // Again, and this time the next writer meets the pending outbox: it finishes it before committing.
    const v3 = next(v2.ticket, { type: 'dispatch', mode: 'single', unitIds: ['u1'] });
    db.injectFault({ match: (c) => c.collection === 'events' && c.method === 'add' });
    await store.update(v3.ticket, 2, v3.event, v3.alarms);
    const v4 = next(v3.ticket, { type: 'supervise', level: 1, method: 'system' });
    await store.update(v4.ticket, 3, v4.event, v4.alarms);
    expect(db.docs('events').map((e) => e._id)).toEqual([1, 2, 3, 4].map((s) => eventDocId(d.ticket.id, s)));
    expect((await store.events(d.ticket.id)).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
  });

  it('a field the new version drops does not survive the update (no merge of the stored ticket)', async () => {
    const d = draft();
    await store.create(d.ticket, d.event, d.alarms);
    const withNote = { ...d.ticket, version: 2, pendingExtension: { reason: '需要协调', at: T0 } };
    await store.update(withNote, 1, { ...d.event, id: 'e2', seq: 2 }, []);
    const without = { ...d.ticket, version: 3 };
    await store.update(without, 2, { ...d.event, id: 'e3', seq: 3 }, []);
    expect(await store.get(d.ticket.id)).toEqual(without);
    expect((await store.get(d.ticket.id))!).not.toHaveProperty('pendingExtension');
  });

  it('list filters come from OPERATOR_QUEUES and INBOX_FILTERS, ordered by a unique key, limit + 1', async () => {
    await store.list({ queue: 'supervision', limit: 10 });
    await store.list({ queue: 'intake', limit: 10 });
    await store.list({ unitId: 'u1', inbox: 'rework', limit: 5 });
    await store.list({ unitId: 'u1', inbox: 'supervised', limit: 5 });
    await store.list({ requesterId: 'me', reporterId: 'me', limit: 20 });
    const [supervision, intake, rework, supervised, mine] = db.callsTo('tickets', 'get');
    const created = [
      ['createdAt', 'desc'],
      ['_id', 'desc'],
    ];
    const due = [
      ['dueSort', 'asc'],
      ['_id', 'asc'],
    ];
    expect(supervision).toMatchObject({ query: { state: { $in: OPERATOR_QUEUES.supervision.states }, supervised: true }, order: created, limit: 11 });
    expect(intake).toMatchObject({ query: { state: OPERATOR_QUEUES.intake.states[0] }, order: created, limit: 11 });
    expect(rework).toMatchObject({ query: { unitIds: 'u1', state: { $in: INBOX_FILTERS.rework.states }, reworks: { $gt: 0 } }, order: due, limit: 6 });
    expect(supervised).toMatchObject({ query: { unitIds: 'u1', state: { $in: INBOX_FILTERS.supervised.states }, supervised: true }, order: due, limit: 6 });
    expect(mine).toMatchObject({ query: { $or: [{ requesterId: 'me' }, { reporterId: 'me' }] }, order: created, limit: 21 });
  });

  it('search filters: equality fields an index leads with, bigrams as multikey equalities, ranges on the sort key', async () => {
    await store.list({ search: { phoneTail: '5678', words: ['停水'] }, limit: 10 });
    await store.list({ queue: 'intake', search: { category: '供水', urgency: 'urgent', utilities: true, createdFrom: T0, createdTo: T0 + DAY }, limit: 10 });
    await store.list({ unitId: 'u1', search: { assignedUnitId: 'u2', overdue: true }, limit: 5 });
    await store.list({ search: { dueBetween: { from: T0, to: T0 + HOUR }, phone: '13812345678', channel: 'phone', area: 'xc', number: 'PL1' }, limit: 5 });
    const [tail, classified, inbox, due] = db.callsTo('tickets', 'get');
    expect(tail).toMatchObject({ query: { $and: [{ phoneTail: '5678' }, { searchTerms: '停水' }] }, order: [['createdAt', 'desc'], ['_id', 'desc']] });
    expect(classified).toMatchObject({
      query: { state: 'submitted', category: '供水', urgency: 'urgent', utilities: true, createdAt: { $and: [{ $gte: T0 }, { $lt: T0 + DAY }] } },
    });
    expect(inbox).toMatchObject({ query: { $and: [{ unitIds: 'u1', overdue: true }, { unitIds: 'u2' }] }, order: [['dueSort', 'asc'], ['_id', 'asc']] });
    expect(due).toMatchObject({ query: { number: 'PL1', phone: '13812345678', channel: 'phone', area: 'xc', nextDueAt: { $and: [{ $gt: T0 }, { $lte: T0 + HOUR }] } } });
  });

  it('a word search keeps only tickets where the word lies inside one run of the text', async () => {
    const hit = draft({ content: '小区停水三天了' });
    const miss = draft({ content: '水停了又来，停电也常有' });
    await store.create(hit.ticket, hit.event, hit.alarms);
    await store.create(miss.ticket, miss.event, miss.alarms);
    // The second holds both bigrams of 水停电 (水停, 停电) in two runs, so the term index returns it; the run check drops it.
    expect((await store.list({ search: { words: ['停水'] }, limit: 10 })).items.map((t) => t.id)).toEqual([hit.ticket.id]);
    expect((await store.list({ search: { words: ['水停电'] }, limit: 10 })).items).toEqual([]);
  });

  it('the next page is a keyset condition on the sort keys, never skip', async () => {
    for (let i = 0; i < 5; i++) {
      const d = draft({ reporter: 'pager', now: T0 + i * MIN });
      await store.create(d.ticket, d.event, d.alarms);
    }
    db.clearCalls();
    const first = await store.list({ reporterId: 'pager', limit: 2 });
    await store.list({ reporterId: 'pager', limit: 2, cursor: first.next });
    const [, second] = db.callsTo('tickets', 'get');
    const last = first.items[1]!;
    expect(second!.query).toEqual({
      $and: [{ reporterId: 'pager' }, { $or: [{ createdAt: { $lt: last.createdAt } }, { createdAt: last.createdAt, _id: { $lt: last.id } }] }],
    });
  });

  it('scan and eventsBetween read in batches of 1000 by keyset, so the 1000-row cap never truncates', async () => {
    for (let i = 0; i < 2300; i++) {
      db.seed('tickets', { _id: `t${String(i).padStart(5, '0')}`, createdAt: T0 + (i % 7), updatedAt: T0, unitIds: [], ticket: { id: `t${i}` } });
      db.seed('events', { _id: `t${i}:1`, ticketId: `t${i}`, seq: 1, at: T0 + (i % 3), event: { id: `e${i}` } });
    }
    expect(await all(store.scan(T0, T0 + DAY))).toHaveLength(2300);
    expect(await all(store.eventsBetween(T0, T0 + DAY))).toHaveLength(2300);
    const scans = db.callsTo('tickets', 'get');
    const eventReads = db.callsTo('events', 'get');
    // 3 batches by creation (1000, 1000, 300) + 1 empty batch of the "updated in period" pass.
    expect(scans.map((c) => c.limit)).toEqual([1000, 1000, 1000, 1000]);
    expect(eventReads.map((c) => c.limit)).toEqual([1000, 1000, 1000]);
    expect(eventReads[0]!.order).toEqual([
      ['at', 'asc'],
      ['ticketId', 'asc'],
      ['seq', 'asc'],
    ]);
    expect(JSON.stringify(eventReads[1]!.query)).toContain('$or');
  });

  it('recentByReporter counts by reporter and creation time, and looks for the same hash with limit 1', async () => {
    const d = draft();
    await store.create(d.ticket, d.event, []);
    db.clearCalls();
    await store.recentByReporter(d.ticket.reporter.userId, 0, 'h');
    const [count] = db.callsTo('tickets', 'count');
    expect(count).toMatchObject({ query: { reporterId: d.ticket.reporter.userId, createdAt: { $gte: 0 } } });
    const [read] = db.callsTo('tickets', 'get');
    expect(read).toMatchObject({ query: { reporterId: d.ticket.reporter.userId, contentHash: 'h', createdAt: { $gte: 0 } }, limit: 1 });
  });

  it('claimAlarms: due candidates by (status, fireAt), then one conditional update per alarm; only updated === 1 is owned', async () => {
    const d = draft();
    const alarm = { key: `${d.ticket.id}:handle:x`, ticketId: d.ticket.id, deadline: 'handle', kind: 'dueSoon' as const, fireAt: T0, dueAt: T0 + HOUR, owner: 'u1', threshold: 0.5 };
    await store.create(d.ticket, d.event, [alarm]);
    db.clearCalls();
    expect(await store.claimAlarms('run-1', T0 + MIN, 10, MIN)).toEqual([alarm]);
    const reads = db.callsTo('alarms', 'get');
    expect(reads.map((c) => c.query)).toEqual([
      { status: 'pending', fireAt: { $lte: T0 + MIN } },
      { status: 'claimed', fireAt: { $lte: T0 + MIN }, leaseUntil: { $lt: T0 + MIN } },
    ]);
    for (const r of reads) expect(r.order).toEqual([['fireAt', 'asc'], ['_id', 'asc']]);
    const [claim] = db.callsTo('alarms', 'update');
    expect(claim).toMatchObject({
      tx: false,
      query: { _id: alarm.key, status: 'pending' },
      data: { status: 'claimed', runId: 'run-1', leaseUntil: T0 + 2 * MIN, attempts: { $inc: 1 } },
      result: { updated: 1 },
    });

    // After the lease: the take-over is conditional on the holder and the lease that were read.
    db.clearCalls();
    expect(await store.claimAlarms('run-2', T0 + 3 * MIN, 10, MIN)).toEqual([alarm]);
    expect(db.callsTo('alarms', 'update')[0]!.query).toEqual({ _id: alarm.key, status: 'claimed', runId: 'run-1', leaseUntil: T0 + 2 * MIN });
    db.clearCalls();
    expect(await store.completeAlarm(alarm.key, 'run-2', 'sent')).toBe(true);
    expect(db.callsTo('alarms', 'update')[0]).toMatchObject({ query: { _id: alarm.key, status: 'claimed', runId: 'run-2' }, data: { status: 'done', outcome: 'sent' } });
  });

  it('a claim lost to another run (updated === 0) is not returned', async () => {
    const d = draft();
    const alarm = { key: `${d.ticket.id}:k`, ticketId: d.ticket.id, deadline: 'handle', kind: 'dueSoon' as const, fireAt: T0, dueAt: T0 + HOUR, owner: 'u1', threshold: 0.5 };
    await store.create(d.ticket, d.event, [alarm]);
    // Another run claims it between our candidate read and our conditional update.
    db.beforeCall(
      (c) => c.collection === 'alarms' && c.method === 'update',
      () => db.seed('alarms', { ...db.docs('alarms')[0]!, _id: alarm.key, status: 'claimed', runId: 'other', leaseUntil: T0 + HOUR }),
    );
    expect(await store.claimAlarms('run-1', T0 + MIN, 10, MIN)).toEqual([]);
    expect(db.callsTo('alarms', 'update')[0]!.result).toEqual({ updated: 0 });
    expect(db.docs('alarms')[0]).toMatchObject({ status: 'claimed', runId: 'other' });
  });

  it('every query the ticket store sends carries an explicit limit of at most 1000', async () => {
    const d = draft();
    await store.create(d.ticket, d.event, d.alarms);
    let t = d.ticket;
    const cmds: Cmd[] = [{ type: 'accept' }, { type: 'dispatch', mode: 'single', unitIds: ['u1'] }, { type: 'sign' }];
    for (const cmd of cmds) {
      const actor = cmd.type === 'sign' ? { userId: 's', role: 'staff' as const, unitId: 'u1' } : operator;
      const n = next(t, cmd, actor, T0 + 2 * MIN);
      await store.update(n.ticket, t.version, n.event, n.alarms);
      t = n.ticket;
    }
    await store.get(t.id);
    await store.getByNumber(t.number);
    await store.events(t.id);
    await store.list({ unitId: 'u1', inbox: 'inProgress', limit: 20 });
    await store.list({ queue: 'supervision', limit: 5000 });
    await all(store.scan(T0, T0 + DAY, 'u1'));
    await all(store.eventsBetween(T0, T0 + DAY));
    await store.recentByReporter('r-1', T0);
    await store.claimAlarms('run', T0 + 30 * DAY, 5000, MIN);
    const reads = db.calls.filter((c) => c.method === 'get');
    expect(reads.length).toBeGreaterThan(10);
    for (const r of reads) {
      expect(r.limit).toBeDefined();
      expect(r.limit!).toBeGreaterThanOrEqual(1);
      expect(r.limit!).toBeLessThanOrEqual(1000);
    }
  });

  it('the alarm sync writes only alarms set by older versions, and cancels by ticket with a conditional multi-update', async () => {
    const d = draft();
    await store.create(d.ticket, d.event, d.alarms);
    db.clearCalls();
    const v2 = next(d.ticket, { type: 'accept' });
    await store.update(v2.ticket, 1, v2.event, v2.alarms);
    const cancel = db.callsTo('alarms', 'update').find((c) => (c.data as { status?: string }).status === 'cancelled');
    expect(cancel).toMatchObject({
      query: { ticketId: d.ticket.id, status: 'pending', setBy: { $lt: 2 }, _id: { $nin: v2.alarms.map((a) => a.key) } },
      data: { status: 'cancelled', setBy: 2 },
    });
    expect(db.docs('alarms').map((a) => [a._id, a.status, a.setBy])).toEqual([
      ...d.alarms.map((a) => [a.key, 'cancelled', 2]),
      ...v2.alarms.map((a) => [a.key, 'pending', 2]),
    ]);
  });
});

describe('directory store: query shapes', () => {
  it('beginDelivery inserts under sha256(dedupeKey) and reports a duplicate as false', async () => {
    const rec = { id: 'd1', dedupeKey: 'k1', userId: 'u', template: 'dueSoon' as const, ticketId: 't', notice: { template: 'dueSoon' as const, ticketId: 't', ticketNumber: 'PL1', title: 'x', status: 'y', summary: 'z', at: T0, page: 'p' }, status: 'pending' as const, attempts: 0, createdAt: T0, updatedAt: T0 };
    expect(await directory.beginDelivery(rec)).toBe(true);
    expect(await directory.beginDelivery({ ...rec, id: 'd2' })).toBe(false);
    expect(db.callsTo('deliveries', 'add').map((c) => c.docId)).toEqual([sha256('k1'), sha256('k1')]);
    expect(await directory.deliveryByDedupeKey('k1')).toEqual(rec);
    await expect(directory.updateDelivery('nope', { status: 'failed' })).rejects.toBeInstanceOf(DomainError);
    // A patch that changes nothing is not "not found".
    await directory.updateDelivery('d1', { status: 'pending' });
  });

  it('redeemInvite and takeCredit are conditional updates; addCredits is a one-document transaction', async () => {
    await directory.putInvite({ code: 'c1', unitId: 'u', createdBy: 'op', createdAt: T0, expiresAt: T0 + DAY });
    await directory.redeemInvite('c1', 'me', T0 + MIN);
    expect(db.callsTo('invites', 'update')[0]).toMatchObject({ query: { _id: 'c1', usedBy: null, expiresAt: { $gt: T0 + MIN } }, data: { usedBy: 'me', usedAt: T0 + MIN } });

    expect(await directory.addCredits('me', 'progress', 2)).toBe(2);
    expect(db.callsTo('credits').map((c) => [c.tx, c.method])).toEqual([
      [true, 'doc.get'],
      [true, 'doc.set'],
    ]);
    await directory.takeCredit('me', 'progress');
    expect(db.callsTo('credits', 'update')[0]).toMatchObject({ query: { _id: 'me:progress', n: { $gt: 0 } }, data: { n: { $inc: -1 } }, result: { updated: 1 } });
  });

  it('an openid stays with one user; listUsers filters the deleted ones with deletedAt: null', async () => {
    await directory.putUser({ id: 'a', openid: 'o1', name: '甲', roles: ['staff'], unitId: 'u' });
    await expect(directory.putUser({ id: 'b', openid: 'o1', name: '乙', roles: ['staff'] })).rejects.toMatchObject({ code: 'invalid-input' });
    expect((await directory.getUserByOpenid('o1'))?.id).toBe('a');
    // The openid moves when its user gives it up.
    await directory.putUser({ id: 'a', name: '甲', roles: ['staff'], unitId: 'u' });
    await directory.putUser({ id: 'b', openid: 'o1', name: '乙', roles: ['staff'] });
    expect((await directory.getUserByOpenid('o1'))?.id).toBe('b');
    db.clearCalls();
    await directory.listUsers({ unitId: 'u', role: 'staff' });
    expect(db.callsTo('users', 'get')[0]).toMatchObject({ query: { deletedAt: null, unitId: 'u', roles: 'staff' }, limit: 1000 });
  });

  it('rate hits: one insert per hit, this key pruned, a count over (now - window, now]', async () => {
    await directory.hit('k', 10 * MIN, T0);
    expect(db.calls.map((c) => [c.method, c.query])).toEqual(
      expect.arrayContaining([
        ['add', undefined],
        ['remove', { key: 'k', at: { $lte: T0 - 10 * MIN } }],
        ['count', { key: 'k', at: { $gt: T0 - 10 * MIN } }],
      ]),
    );
  });

  it('every list read of the directory carries an explicit limit', async () => {
    await directory.listUnits();
    await directory.listKb();
    await directory.listScenes();
    await directory.listUsers({});
    await directory.credits('me');
    await directory.listDeliveries('me', 5000);
    for (const r of db.calls.filter((c) => c.method === 'get')) expect(r.limit).toBeLessThanOrEqual(1000);
    expect(db.calls.filter((c) => c.method === 'get').every((c) => c.limit !== undefined)).toBe(true);
  });
});

describe('facts: query shapes', () => {
  it('the facts record is committed by the same conditional update as the ticket; figures are aggregate pipelines, no ticket is read', async () => {
    const d = draft();
    await store.create(d.ticket, d.event, d.alarms);
    expect(db.callsTo('tickets', 'add')[0]!.data).toMatchObject({ facts: { ticketId: d.ticket.id, submitted: { at: d.ticket.createdAt, outcome: 'submitted' } } });
    db.clearCalls();
    const v2 = next(d.ticket, { type: 'accept' });
    await store.update(v2.ticket, 1, v2.event, v2.alarms);
    const [commit] = db.callsTo('tickets', 'update');
    expect((commit!.data as Record<string, unknown>).facts).toEqual({ $set: JSON.parse(JSON.stringify({ ticketId: d.ticket.id, number: d.ticket.number, area: d.ticket.location.area ?? '', category: d.ticket.category, channel: d.ticket.channel, place: d.ticket.location.area ?? '', requester: `u:${d.ticket.requester.userId}`, submitted: { at: d.ticket.createdAt, unit: '', outcome: 'submitted' } })) });

    db.clearCalls();
    const counts = await store.factCounts({ from: T0 - DAY, to: T0 + DAY, by: 'area', unitId: 'u-1' });
    expect(counts).toEqual([]);
    // Eight pipelines (five ticket metrics on tickets, three event metrics on events: extensions, returns, upheld appeals), nothing else.
    expect(db.calls.map((c) => `${c.collection}.${c.method}`).sort()).toEqual([...Array(5).fill('tickets.aggregate'), ...Array(3).fill('events.aggregate')].sort());
    const response = db.calls.find((c) => JSON.stringify(c.query).includes('facts.response.at'))!;
    expect(response.query).toEqual([
      { $match: { 'facts.response.at': { $and: [{ $gte: T0 - DAY }, { $lt: T0 + DAY }] }, 'facts.response.unit': 'u-1' } },
      { $group: { _id: { key: '$facts.area', outcome: '$facts.response.outcome' }, n: { $sum: 1 } } },
      { $limit: 1000 },
    ]);
    const returns = db.calls.find((c) => JSON.stringify(c.query).includes('"return"'))!;
    expect(returns.query).toEqual([
      { $match: { 'fact.metric': 'return', at: { $and: [{ $gte: T0 - DAY }, { $lt: T0 + DAY }] }, 'fact.unit': 'u-1' } },
      { $group: { _id: { key: '$fact.area', outcome: '$fact.outcome' }, n: { $sum: 1 } } },
      { $limit: 1000 },
    ]);
    const submitted = await store.factCounts({ from: T0 - DAY, to: T0 + DAY, by: 'all' });
    expect(submitted).toEqual([{ metric: 'submitted', key: '*', outcome: 'submitted', n: 1 }]);
  });

  it('repeated requests and frequent requesters are two-stage group pipelines on the submission marks, then a few bounded reads', async () => {
    for (let i = 0; i < 3; i++) {
      const d = draft();
      await store.create(d.ticket, d.event, d.alarms);
    }
    const period = { from: T0 - DAY, to: T0 + DAY };
    db.clearCalls();
    const groups = await store.factPlaces({ ...period, min: 2, limit: 50 });
    expect(groups.map((g) => [g.category, g.count])).toEqual([['市政设施', 3]]);
    const at = { 'facts.submitted.at': { $and: [{ $gte: T0 - DAY }, { $lt: T0 + DAY }] } };
    const [agg] = db.callsTo('tickets', 'aggregate');
    expect(agg!.query).toEqual([
      { $match: at },
      { $group: { _id: { category: '$facts.category', place: '$facts.place', requester: '$facts.requester' }, n: { $sum: 1 } } },
      { $group: { _id: { category: '$_id.category', place: '$_id.place' }, n: { $sum: '$n' }, requesters: { $sum: 1 } } },
      { $match: { n: { $gte: 2 } } },
      { $sort: { n: -1, '_id.category': 1, '_id.place': 1 } },
      { $limit: 50 },
    ]);
    // One read of at most 10 numbers per group; no ticket document is read whole.
    expect(db.callsTo('tickets', 'get').map((c) => c.limit)).toEqual([10]);
    expect(db.calls.map((c) => `${c.collection}.${c.method}`).sort()).toEqual(['tickets.aggregate', 'tickets.get']);

    db.clearCalls();
    const people = await store.factRequesters({ ...period, min: 2, limit: 50 });
    expect(people).toHaveLength(1);
    expect(people[0]).toMatchObject({ count: 3, categories: ['市政设施'] });
    const [top, cats] = db.callsTo('tickets', 'aggregate');
    expect(top!.query).toEqual([
      { $match: at },
      { $group: { _id: { requester: '$facts.requester', category: '$facts.category' }, n: { $sum: 1 } } },
      { $group: { _id: '$_id.requester', n: { $sum: '$n' } } },
      { $match: { n: { $gte: 2 } } },
      { $sort: { n: -1, _id: 1 } },
      { $limit: 50 },
    ]);
    expect(JSON.stringify(cats!.query)).toContain('facts.requester');
    expect(db.callsTo('tickets', 'get').map((c) => c.limit)).toEqual([1]);
  });
});
