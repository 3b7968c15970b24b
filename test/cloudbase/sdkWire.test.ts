/**
 * The adapters' calls through the REAL @cloudbase/node-sdk, with its HTTP requester replaced by a
 * recorder (no network): what goes on the wire is what the SDK makes of our filters, updates and
 * transactions. Checks the pitfalls the fake can only imitate: `_.set` is not flattened, `_.inc`
 * is `$inc`, where().update() carries no transaction id, the transaction's writes all do.
 */
import * as tcb from '@cloudbase/node-sdk';
import type { CloudDb } from '../../cloudfunctions/adapters/cloudbase/db';
import { initCloudApp, initCloudDb } from '../../cloudfunctions/adapters/cloudbase/db';
import { CloudDirectoryStore } from '../../cloudfunctions/adapters/cloudbase/directoryStore';
import { CloudTicketStore, eventDocId, requestKey } from '../../cloudfunctions/adapters/cloudbase/ticketStore';
import { OPERATOR_QUEUES } from '../../shared/workflow/states';
import { FakeCloudDb } from './fakeCloudDb';
import { MIN, T0, draft, next } from './helpers';

interface Sent {
  api: string;
  params: Record<string, unknown>;
}

/** EJSON (canonical) as plain JSON: {"$numberInt":"1"} → 1. */
function plain(v: unknown): unknown {
  if (typeof v === 'string') {
    try {
      return plain(JSON.parse(v));
    } catch {
      return v;
    }
  }
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    for (const k of ['$numberInt', '$numberLong', '$numberDouble']) if (k in o && Object.keys(o).length === 1) return Number(o[k]);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, plain(x)]));
  }
  return v;
}

let sent: Sent[] = [];
let updated = 1;

class RecordingRequester {
  async send(api: string, params: Record<string, unknown> = {}): Promise<unknown> {
    sent.push({ api, params });
    switch (api) {
      case 'database.startTransaction':
        return { requestId: 'r', transactionId: 'tx-1' };
      case 'database.commitTransaction':
      case 'database.abortTransaction':
        return { requestId: 'r' };
      case 'database.insertDocument':
        return { requestId: 'r', data: { insertedIds: ['id'] } };
      case 'database.modifyDocument':
        return { requestId: 'r', data: { updated, upsert_id: null } };
      case 'database.getDocument':
        return { requestId: 'r', data: { list: [] } };
      case 'database.calculateDocument':
        return { requestId: 'r', data: { total: 0 } };
      default:
        throw new Error(`unexpected ${api}`);
    }
  }
}

function wiredDb(): CloudDb {
  const db = tcb.init({ env: 'wire-test' }).database() as unknown as { constructor: { reqClass: unknown } };
  // node-sdk sets Db.reqClass on every database(); ours replaces it for the objects built from now on.
  db.constructor.reqClass = RecordingRequester;
  return db as unknown as CloudDb;
}

beforeEach(() => {
  sent = [];
  updated = 1;
});

describe('initCloudDb', () => {
  it('initialises the SDK with the current environment and returns its database', () => {
    const database = { collection: () => null };
    const init = jest.fn(() => ({ database: () => database }));
    const sdk = { SYMBOL_CURRENT_ENV: Symbol('current'), init };
    const app = initCloudApp(sdk as never);
    expect(init).toHaveBeenCalledWith({ env: sdk.SYMBOL_CURRENT_ENV });
    expect(initCloudDb(app)).toBe(database);
  });

  it('the real SDK database has every method the CloudDb interface names', () => {
    const db = initCloudDb(initCloudApp());
    const _ = db.command;
    for (const op of ['gt', 'gte', 'lt', 'lte', 'neq', 'in', 'nin', 'and', 'or', 'inc', 'set'] as const) expect(typeof _[op]).toBe('function');
    const c = db.collection('x');
    const q = c.where({ a: 1 }).orderBy('a', 'asc').limit(1).field({ a: true });
    for (const m of ['get', 'count', 'update', 'remove']) expect(typeof (q as unknown as Record<string, unknown>)[m]).toBe('function');
    for (const m of ['get', 'set', 'update', 'remove']) expect(typeof (c.doc('a') as unknown as Record<string, unknown>)[m]).toBe('function');
    expect(typeof c.add).toBe('function');
    expect(typeof db.runTransaction).toBe('function');
  });
});

describe('ticket store on the wire (real node-sdk, recorded requester)', () => {
  it('update: one modifyDocument, multi, no transaction, version $inc, ticket and outbox $set whole, filter on _id + version', async () => {
    const store = new CloudTicketStore(wiredDb());
    const d = draft();
    const v2 = next(d.ticket, { type: 'accept' });
    await store.update(v2.ticket, 1, v2.event, v2.alarms);
    const first = sent[0]!;
    expect(first.api).toBe('database.modifyDocument');
    expect(first.params.collectionName).toBe('tickets');
    expect(first.params.transactionId).toBeUndefined();
    expect(first.params).toMatchObject({ multi: true, merge: true, upsert: false });
    expect(plain(first.params.query)).toEqual({ _id: d.ticket.id, version: 1, outboxPending: false });
    const data = plain(first.params.data) as { $inc: Record<string, number>; $set: Record<string, unknown> };
    expect(data.$inc).toEqual({ version: 1 });
    expect(data.$set.ticket).toEqual(JSON.parse(JSON.stringify(v2.ticket)));
    expect(Object.keys(data.$set).filter((k) => k.includes('.'))).toEqual([]);
    expect(data.$set).toMatchObject({ state: 'accepted', outboxPending: true });
    // Then the event insert, under its deterministic id.
    const insert = sent.find((s) => s.api === 'database.insertDocument')!;
    expect(insert.params.collectionName).toBe('events');
    expect((plain(insert.params.data) as Array<{ _id: string }>)[0]!._id).toBe(eventDocId(d.ticket.id, 2));
  });

  it('a stale version (updated 0) reads the document and refuses', async () => {
    updated = 0;
    const store = new CloudTicketStore(wiredDb());
    const d = draft();
    const v2 = next(d.ticket, { type: 'accept' });
    await expect(store.update(v2.ticket, 1, v2.event, v2.alarms)).rejects.toMatchObject({ code: 'not-found' });
    expect(sent.map((s) => s.api)).toEqual(['database.modifyDocument', 'database.getDocument']);
  });

  it('create: every read and insert carries the transaction id, then a commit', async () => {
    const store = new CloudTicketStore(wiredDb());
    const d = draft();
    await store.create(d.ticket, d.event, d.alarms);
    expect(sent[0]!.api).toBe('database.startTransaction');
    expect(sent[sent.length - 1]!.api).toBe('database.commitTransaction');
    const inner = sent.slice(1, -1);
    expect(inner.map((s) => [s.api, s.params.collectionName])).toEqual([
      ['database.getDocument', 'requests'],
      ['database.insertDocument', 'requests'],
      ['database.insertDocument', 'tickets'],
      ['database.insertDocument', 'events'],
      ...d.alarms.map(() => ['database.insertDocument', 'alarms']),
    ]);
    for (const s of inner) expect(s.params.transactionId).toBe('tx-1');
    expect(plain(inner[0]!.params.query)).toEqual({ _id: requestKey(d.ticket.reporter.userId, d.ticket.clientRequestId!) });
  });

  it('claim: a conditional modifyDocument with $set and $inc', async () => {
    const store = new CloudTicketStore(wiredDb());
    // No candidates come back from the recorder: check the candidate query instead.
    await store.claimAlarms('run-1', T0, 50, MIN);
    const reads = sent.filter((s) => s.api === 'database.getDocument');
    expect(reads.map((r) => plain(r.params.query))).toEqual([
      { status: 'pending', fireAt: { $lte: T0 } },
      { status: 'claimed', fireAt: { $lte: T0 }, leaseUntil: { $lt: T0 } },
    ]);
    for (const r of reads) {
      expect(r.params.limit).toBe(50);
      expect(plain(r.params.order)).toEqual({ fireAt: 1, _id: 1 });
    }
    sent = [];
    expect(await store.completeAlarm('k', 'run-1', 'sent')).toBe(true);
    expect(plain(sent[0]!.params.query)).toEqual({ _id: 'k', status: 'claimed', runId: 'run-1' });
    expect(plain(sent[0]!.params.data)).toEqual({ $set: { status: 'done', outcome: 'sent', leaseUntil: null } });
  });

  it('list: $in over the queue states, the order and limit + 1, and the keyset cursor as $or', async () => {
    const store = new CloudTicketStore(wiredDb());
    await store.list({ queue: 'supervision', limit: 10 });
    const [read] = sent;
    expect(plain(read!.params.query)).toEqual({ state: { $in: OPERATOR_QUEUES.supervision.states }, supervised: true });
    expect(plain(read!.params.order)).toEqual({ createdAt: -1, _id: -1 });
    expect(read!.params.limit).toBe(11);

    // A cursor issued by the store (made here on the fake) becomes a keyset condition.
    const fake = new CloudTicketStore(new FakeCloudDb());
    for (let i = 0; i < 2; i++) {
      const d = draft({ reporter: 'wire', now: T0 + i });
      await fake.create(d.ticket, d.event, d.alarms);
    }
    const page1 = await fake.list({ reporterId: 'wire', limit: 1 });
    sent = [];
    await store.list({ reporterId: 'wire', limit: 1, cursor: page1.next });
    const last = page1.items[0]!;
    expect(plain(sent[0]!.params.query)).toEqual({
      $and: [{ reporterId: 'wire' }, { $or: [{ createdAt: { $lt: last.createdAt } }, { createdAt: last.createdAt, _id: { $lt: last.id } }] }],
    });
  });
});

describe('account store on the wire (real node-sdk, recorded requester)', () => {
  const credentialWrite = () => {
    const writes = sent.filter((s) => s.api === 'database.modifyDocument');
    expect(writes).toHaveLength(1);
    expect(writes[0]!.params.collectionName).toBe('credentials');
    expect(writes[0]!.params.transactionId).toBeUndefined();
    return { query: plain(writes[0]!.params.query), data: plain(writes[0]!.params.data), params: writes[0]!.params };
  };

  it('recordLogin with a TOTP step: one multi modifyDocument whose filter carries the step as $or of null and $lt', async () => {
    const store = new CloudDirectoryStore(wiredDb());
    expect(await store.recordLogin('u1', T0, 7)).toBe(true);
    const w = credentialWrite();
    expect(w.params).toMatchObject({ multi: true, merge: true, upsert: false });
    expect(w.query).toEqual({ $or: [{ _id: 'u1', totpLastStep: null }, { _id: 'u1', totpLastStep: { $lt: 7 } }] });
    expect(w.data).toEqual({ $set: { lastLoginAt: T0, updatedAt: T0, lockedUntil: null, totpLastStep: 7 } });
  });

  it('recordLogin reports the lost race when the database modified nothing (updated 0)', async () => {
    updated = 0;
    const store = new CloudDirectoryStore(wiredDb());
    expect(await store.recordLogin('u1', T0, 7)).toBe(false);
    expect(sent.map((s) => s.api)).toEqual(['database.modifyDocument']);
  });

  it('patchCredential: only the named fields in $set, removed fields as null, the conditions in the filter beside _id', async () => {
    const store = new CloudDirectoryStore(wiredDb());
    expect(await store.patchCredential('u1', { set: { totpSecret: 'P1', totpLastStep: 5, updatedAt: T0 }, unset: ['totpPending'], when: { totpPending: 'P1', totpSecret: null } })).toBe(true);
    const w = credentialWrite();
    expect(w.params).toMatchObject({ multi: true, merge: true, upsert: false });
    expect(w.query).toEqual({ _id: 'u1', totpPending: 'P1', totpSecret: null });
    expect(w.data).toEqual({ $set: { totpSecret: 'P1', totpLastStep: 5, updatedAt: T0, totpPending: null } });
  });

  it('patchCredential for a lock: no condition but the _id, and never the fields it was not given', async () => {
    updated = 0;
    const store = new CloudDirectoryStore(wiredDb());
    expect(await store.patchCredential('u1', { set: { lockedUntil: T0 + 15 * MIN, lastLoginAt: T0, updatedAt: T0 } })).toBe(false);
    const w = credentialWrite();
    expect(w.query).toEqual({ _id: 'u1' });
    expect(w.data).toEqual({ $set: { lockedUntil: T0 + 15 * MIN, lastLoginAt: T0, updatedAt: T0 } });
  });
});
