/**
 * The account part of the directory port (credentials, login keys, sessions, one-time codes, the
 * sign-in audit) on both adapters: SQLite, and CloudBase on the recording fake of the node-sdk.
 */
import { openDatabase } from '../../cloudfunctions/adapters/sqlite/db';
import { SqliteDirectoryStore } from '../../cloudfunctions/adapters/sqlite/directoryStore';
import { CloudDirectoryStore } from '../../cloudfunctions/adapters/cloudbase/directoryStore';
import type { CredentialRecord, DirectoryStore } from '../../shared/ports';
import { FakeCloudDb } from '../cloudbase/fakeCloudDb';

const adapters: [string, () => DirectoryStore][] = [
  ['sqlite', () => new SqliteDirectoryStore(openDatabase(':memory:'))],
  ['cloudbase on FakeCloudDb', () => new CloudDirectoryStore(new FakeCloudDb())],
];

describe.each(adapters)('account store: %s', (_name, make) => {
  let d: DirectoryStore;
  beforeEach(() => {
    d = make();
  });

  it('a login key has one holder', async () => {
    expect(await d.claimLogin('account:liu.yang', 'u1')).toBe(true);
    expect(await d.claimLogin('account:liu.yang', 'u1')).toBe(true);
    expect(await d.claimLogin('account:liu.yang', 'u2')).toBe(false);
    expect(await d.userIdByLogin('account:liu.yang')).toBe('u1');
    expect(await d.userIdByLogin('account:nobody')).toBeNull();
  });

  it('credentials round-trip', async () => {
    const c: CredentialRecord = { userId: 'u1', login: 'liu.yang', passwordHash: 'scrypt$1$1$1$a$b', totpSecret: 'ABC', updatedAt: 5 };
    await d.putCredential(c);
    expect(await d.getCredential('u1')).toEqual(c);
    await d.putCredential({ userId: 'u1', login: 'liu.yang', passwordHash: 'scrypt$1$1$1$a$b', lockedUntil: 9, updatedAt: 5 });
    expect(await d.getCredential('u1')).toEqual({ userId: 'u1', login: 'liu.yang', passwordHash: 'scrypt$1$1$1$a$b', lockedUntil: 9, updatedAt: 5 });
  });

  it('a sign-in takes its TOTP step in one conditional write: two concurrent uses of one code, exactly one wins', async () => {
    await d.putCredential({ userId: 'u1', login: 'liu.yang', passwordHash: 'h', totpSecret: 'ABC', lockedUntil: 3, updatedAt: 1 });
    const [a, b] = await Promise.all([d.recordLogin('u1', 10, 7), d.recordLogin('u1', 10, 7)]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    expect(await d.getCredential('u1')).toEqual({ userId: 'u1', login: 'liu.yang', passwordHash: 'h', totpSecret: 'ABC', totpLastStep: 7, lastLoginAt: 10, updatedAt: 10 });
    expect(await d.recordLogin('u1', 11, 6)).toBe(false);
    expect((await d.getCredential('u1'))?.lastLoginAt).toBe(10);
    expect(await d.recordLogin('u1', 12, 8)).toBe(true);
    expect(await d.recordLogin('u1', 13)).toBe(true);
    expect(await d.getCredential('u1')).toMatchObject({ totpLastStep: 8, lastLoginAt: 13 });
  });

  it('a lock written after an earlier read keeps the TOTP step a concurrent sign-in took (field-level, not the whole record)', async () => {
    await d.putCredential({ userId: 'u1', login: 'liu.yang', passwordHash: 'h', totpSecret: 'ABC', totpLastStep: 7, updatedAt: 1 });
    const read = await d.getCredential('u1');
    expect(await d.recordLogin('u1', 10, 8)).toBe(true);
    // The failed attempt that read step 7 now locks: only the lock's fields are written.
    expect(await d.patchCredential('u1', { set: { lockedUntil: 900, lastLoginAt: 11, updatedAt: 11 } })).toBe(true);
    expect(read?.totpLastStep).toBe(7);
    expect(await d.getCredential('u1')).toEqual({ userId: 'u1', login: 'liu.yang', passwordHash: 'h', totpSecret: 'ABC', totpLastStep: 8, lockedUntil: 900, lastLoginAt: 11, updatedAt: 11 });
    // Fired together: five locks and one sign-in at step 9; the step survives whatever the order.
    const results = await Promise.all([
      ...[0, 1, 2, 3, 4].map((i) => d.patchCredential('u1', { set: { lockedUntil: 1000 + i, lastLoginAt: 20 + i, updatedAt: 20 + i } })),
      d.recordLogin('u1', 30, 9),
    ]);
    expect(results.every(Boolean)).toBe(true);
    expect(await d.getCredential('u1')).toMatchObject({ totpSecret: 'ABC', totpLastStep: 9 });
  });

  it('second-factor setup: begin needs no confirmed secret; of two confirms of one pending secret exactly one wins', async () => {
    await d.putCredential({ userId: 'u1', login: 'liu.yang', passwordHash: 'h', updatedAt: 1 });
    expect(await d.patchCredential('u1', { set: { totpPending: 'P1', updatedAt: 2 }, when: { totpSecret: null } })).toBe(true);
    const confirm = (at: number) => d.patchCredential('u1', { set: { totpSecret: 'P1', totpLastStep: 5, updatedAt: at }, unset: ['totpPending'], when: { totpPending: 'P1', totpSecret: null } });
    const both = await Promise.all([confirm(3), confirm(4)]);
    expect(both.filter(Boolean)).toHaveLength(1);
    expect(await d.getCredential('u1')).toEqual({ userId: 'u1', login: 'liu.yang', passwordHash: 'h', totpSecret: 'P1', totpLastStep: 5, updatedAt: both[0] ? 3 : 4 });
    // Once confirmed, a new setup is refused by the condition and nothing is written.
    expect(await d.patchCredential('u1', { set: { totpPending: 'P2', updatedAt: 6 }, when: { totpSecret: null } })).toBe(false);
    expect((await d.getCredential('u1'))?.totpPending).toBeUndefined();
  });

  it('a reset is spent by its own write: two uses of one reset hash, exactly one wins; removed fields read back as absent', async () => {
    await d.putCredential({ userId: 'u1', login: 'liu.yang', passwordHash: 'old', totpSecret: 'ABC', totpLastStep: 3, lockedUntil: 50, resetHash: 'H', resetExpiresAt: 99, updatedAt: 1 });
    const spend = (hash: string, at: number) =>
      d.patchCredential('u1', { set: { passwordHash: hash, lastLoginAt: at, updatedAt: at }, unset: ['resetHash', 'resetExpiresAt', 'totpSecret', 'totpPending', 'totpLastStep', 'lockedUntil'], when: { resetHash: 'H' } });
    const both = await Promise.all([spend('new-a', 7), spend('new-b', 8)]);
    expect(both.filter(Boolean)).toHaveLength(1);
    const won = both[0] ? { passwordHash: 'new-a', at: 7 } : { passwordHash: 'new-b', at: 8 };
    expect(await d.getCredential('u1')).toEqual({ userId: 'u1', login: 'liu.yang', passwordHash: won.passwordHash, lastLoginAt: won.at, updatedAt: won.at });
    expect(await d.patchCredential('nobody', { set: { lockedUntil: 5, updatedAt: 5 } })).toBe(false);
    expect(await d.getCredential('nobody')).toBeNull();
  });

  it('sessions: revoking one, then all of a user, each only once', async () => {
    for (const [id, userId, at] of [['s_a', 'u1', 1], ['s_b', 'u1', 2], ['s_c', 'u2', 3]] as const) {
      await d.putSession({ id, userId, via: 'password', scope: 'full', createdAt: at, expiresAt: 100 });
    }
    expect(await d.revokeSession('s_a', 10)).toBe(1);
    expect(await d.revokeSession('s_a', 11)).toBe(0);
    expect((await d.getSession('s_a'))?.revokedAt).toBe(10);
    expect(await d.revokeUserSessions('u1', 12)).toBe(1);
    expect((await d.listSessions('u1')).map((s) => [s.id, s.revokedAt])).toEqual([['s_b', 12], ['s_a', 10]]);
    expect((await d.getSession('s_c'))?.revokedAt).toBeUndefined();
  });

  it('a one-time code is consumed once, only with its hash, only before it expires; wrong guesses count', async () => {
    await d.putOneTimeCode({ key: 'sms:1', hash: 'h1', expiresAt: 100, attempts: 0, createdAt: 1 });
    expect(await d.failOneTimeCode('sms:1')).toBe(1);
    expect(await d.failOneTimeCode('sms:1')).toBe(2);
    expect(await d.consumeOneTimeCode('sms:1', 'wrong', 50)).toBe(false);
    expect(await d.consumeOneTimeCode('sms:1', 'h1', 100)).toBe(false);
    const [a, b] = await Promise.all([d.consumeOneTimeCode('sms:1', 'h1', 50), d.consumeOneTimeCode('sms:1', 'h1', 50)]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    expect(await d.getOneTimeCode('sms:1')).toBeNull();
  });

  it('the audit log reads newest first, per user, and pages by time', async () => {
    for (let i = 1; i <= 5; i++) await d.appendAudit({ id: `a${i}`, at: i * 10, kind: i % 2 ? 'login-failed' : 'login-ok', ...(i < 5 ? { userId: 'u1' } : { login: 'ghost' }) });
    expect((await d.listAudit({ limit: 10 })).map((a) => a.id)).toEqual(['a5', 'a4', 'a3', 'a2', 'a1']);
    expect((await d.listAudit({ limit: 2, userId: 'u1' })).map((a) => a.id)).toEqual(['a4', 'a3']);
    expect((await d.listAudit({ limit: 10, userId: 'u1', before: 30 })).map((a) => a.id)).toEqual(['a2', 'a1']);
    expect((await d.listAudit({ limit: 1 }))[0]).toEqual({ id: 'a5', at: 50, kind: 'login-failed', login: 'ghost' });
  });

  it('invites carry their role; staff invites their unit', async () => {
    await d.putInvite({ code: 'OPINVITE1', role: 'operator', createdBy: 'op', createdAt: 1, expiresAt: 100 });
    await d.putInvite({ code: 'STINVITE1', unitId: 'u-chengguan', createdBy: 'op', createdAt: 1, expiresAt: 100 });
    expect(await d.redeemInvite('OPINVITE1', 'u9', 5)).toEqual({ code: 'OPINVITE1', role: 'operator', createdBy: 'op', createdAt: 1, expiresAt: 100, usedBy: 'u9', usedAt: 5 });
    expect(await d.redeemInvite('STINVITE1', 'u8', 5)).toMatchObject({ unitId: 'u-chengguan' });
    expect((await d.redeemInvite('STINVITE1', 'u8', 5))).toBeNull();
  });
});

describe('sqlite: the sign-in audit is append-only', () => {
  it('UPDATE and DELETE on auth_audit raise', async () => {
    const db = openDatabase(':memory:');
    await new SqliteDirectoryStore(db).appendAudit({ id: 'a1', at: 1, kind: 'login-ok', userId: 'u1' });
    expect(() => db.prepare("UPDATE auth_audit SET doc = '{}'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM auth_audit').run()).toThrow(/append-only/);
  });
});
