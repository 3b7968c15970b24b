/**
 * admin.users is bounded: without a unit it no longer reads every user. On the CloudBase directory
 * store one call is one query of at most `limit` rows (FakeCloudDb records the reads).
 */
import { CloudDirectoryStore } from '../../cloudfunctions/adapters/cloudbase/directoryStore';
import { admin } from '../../cloudfunctions/lib/functions/admin';
import { FakeCloudDb } from './fakeCloudDb';

it('admin.users reads one page of at most `limit` users by id, and `after` continues', async () => {
  const db = new FakeCloudDb();
  const directory = new CloudDirectoryStore(db);
  for (let i = 0; i < 250; i++) await directory.putUser({ id: `u-${String(i).padStart(3, '0')}`, name: `用户${i}`, roles: ['staff'], unitId: i % 2 ? 'u-a' : 'u-b' });
  const call = { deps: { directory }, actor: { userId: 'op', role: 'operator' } };
  const users = (input: Record<string, unknown>) => admin.users(call as never, input as never) as Promise<Array<{ id: string; unitId?: string }>>;
  const seen = db.calls.length;
  const first = await users({ limit: 100 });
  const reads = db.calls.slice(seen).filter((c) => c.collection === 'users' && c.method === 'get');
  expect(reads).toHaveLength(1);
  expect(reads[0]!.limit).toBe(100);
  expect(first).toHaveLength(100);
  expect(first[0]!.id).toBe('u-000');
  const second = await users({ limit: 100, after: first[99]!.id });
  expect(second[0]!.id).toBe('u-100');
  const last = await users({ limit: 100, after: 'u-199' });
  expect(last.map((u) => u.id)).toEqual(Array.from({ length: 50 }, (_, i) => `u-${200 + i}`));
  const unit = await users({ unitId: 'u-a', limit: 10 });
  expect(unit.map((u) => u.unitId)).toEqual(Array(10).fill('u-a'));
});
