/**
 * The store contract (test/store/ticketStore.contract.ts) against the CloudBase adapters:
 * (a) always, on FakeCloudDb (a recording fake of the node-sdk subset; it is not CloudBase);
 * (b) on a real CloudBase environment when TCB_ENV, TENCENTCLOUD_SECRETID and
 *     TENCENTCLOUD_SECRETKEY are set (TENCENTCLOUD_SESSIONTOKEN too for temporary keys).
 *     The run uses collections of its own (prefix `ct<time>_`), created on first use and emptied
 *     after each test; nothing else in the environment is touched.
 */
import * as tcb from '@cloudbase/node-sdk';
import type { CloudDb } from '../../cloudfunctions/adapters/cloudbase/db';
import { CloudDirectoryStore, DIRECTORY_COLLECTIONS } from '../../cloudfunctions/adapters/cloudbase/directoryStore';
import { CloudTicketStore, TICKET_COLLECTIONS } from '../../cloudfunctions/adapters/cloudbase/ticketStore';
import { describeTicketStoreContract } from '../store/ticketStore.contract';
import { FakeCloudDb } from './fakeCloudDb';

describeTicketStoreContract('cloudbase on FakeCloudDb', async () => {
  const db = new FakeCloudDb();
  return { store: new CloudTicketStore(db), directory: new CloudDirectoryStore(db), cleanup: async () => undefined };
});

const REAL_ENV = ['TCB_ENV', 'TENCENTCLOUD_SECRETID', 'TENCENTCLOUD_SECRETKEY'] as const;
const missing = REAL_ENV.filter((name) => !process.env[name]);

// Without the environment and credentials every case of the real-CloudBase contract is reported
// as skipped (jest's summary counts them), never as a pass.
const describeReal = missing.length === 0 ? describe : describe.skip;

describeReal(missing.length === 0 ? 'real CloudBase' : `real CloudBase: not run, ${missing.join(', ')} not set`, () => {
  const prefix = `ct${Date.now().toString(36)}_`;
  const names = [...TICKET_COLLECTIONS, ...Object.values(DIRECTORY_COLLECTIONS)].map((n) => prefix + n);
  let real: { db: CloudDb; raw: { createCollection(name: string): Promise<unknown> } } | null = null;

  const connect = async () => {
    if (real) return real;
    const app = tcb.init({
      env: process.env.TCB_ENV!,
      secretId: process.env.TENCENTCLOUD_SECRETID!,
      secretKey: process.env.TENCENTCLOUD_SECRETKEY!,
      ...(process.env.TENCENTCLOUD_SESSIONTOKEN ? { sessionToken: process.env.TENCENTCLOUD_SESSIONTOKEN } : {}),
    });
    const raw = app.database() as unknown as { createCollection(name: string): Promise<unknown> };
    for (const name of names) {
      try {
        await raw.createCollection(name);
      } catch (e) {
        if (!/exist/i.test(`${String((e as { code?: unknown }).code)} ${String((e as Error).message)}`)) throw e;
      }
    }
    real = { db: raw as unknown as CloudDb, raw };
    return real;
  };

  const empty = async (db: CloudDb) => {
    for (const name of names) await db.collection(name).where({ _id: db.command.neq('') }).remove();
  };

  describeTicketStoreContract(`cloudbase on real CloudBase (${process.env.TCB_ENV})`, async () => {
    const { db } = await connect();
    await empty(db);
    return { store: new CloudTicketStore(db, { prefix }), directory: new CloudDirectoryStore(db, { prefix }), cleanup: () => empty(db) };
  });
});
