/**
 * A data directory for the local runtime, prepared before it starts: the demo seed plus a
 * population of residents (demo: true, so `auth.login` works), written through the real
 * SqliteDirectoryStore. Spreading submissions over many residents keeps each under the
 * 20-per-hour abuse limit without changing the limit.
 */
import path from 'node:path';
import { openDatabase } from '../../cloudfunctions/adapters/sqlite/db';
import { SqliteDirectoryStore } from '../../cloudfunctions/adapters/sqlite/directoryStore';
import { seedIfEmpty } from '../../cloudfunctions/local/seed';
import type { UserRecord } from '../../shared/ports';

export const residentId = (i: number) => `bench-r${String(i).padStart(6, '0')}`;
/** Each user's bench session: a local token must name a live session (identity.ts callerFromToken). */
export const sessionIdOf = (userId: string) => `bench-s-${userId}`;
/** The staff and operator the read phase acts as (demo seed). */
export const BENCH_STAFF = ['demo-operator', 'demo-staff-cg'];

export async function preparePopulation(dataDir: string, residents: number, now: number): Promise<string[]> {
  const db = openDatabase(path.join(dataDir, 'mashang.db'));
  try {
    const directory = new SqliteDirectoryStore(db);
    await seedIfEmpty(directory, now, 'baiyin');
    const ids: string[] = [];
    const users: UserRecord[] = [];
    for (let i = 0; i < residents; i++) {
      const id = residentId(i);
      ids.push(id);
      users.push({ id, name: `居民${i}`, roles: ['resident'], phone: `138${String(i).padStart(8, '0')}`, demo: true });
    }
    // putUser runs its statement synchronously; one transaction for all of them.
    const pending: Promise<void>[] = [];
    db.transaction(() => {
      for (const u of users) pending.push(directory.putUser(u));
      for (const id of [...ids, ...BENCH_STAFF]) pending.push(directory.putSession({ id: sessionIdOf(id), userId: id, via: 'demo', scope: 'full', createdAt: now, expiresAt: now + 7 * 24 * 3_600_000 }));
    })();
    await Promise.all(pending);
    return ids;
  } finally {
    db.close();
  }
}
