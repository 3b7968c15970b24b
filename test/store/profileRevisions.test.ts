/**
 * Issue 10: two simultaneous `admin.setProfile` calls never take the same revision number, and the
 * higher revision is the one in force whichever write lands last, on both adapters (SQLite, and
 * CloudBase on the recording fake of the node-sdk): the revision is created only if free
 * (`addSetting`) and the pointer moves only forward (`putSettingIfNewer`).
 */
import { openDatabase } from '../../cloudfunctions/adapters/sqlite/db';
import { SqliteDirectoryStore } from '../../cloudfunctions/adapters/sqlite/directoryStore';
import { CloudDirectoryStore } from '../../cloudfunctions/adapters/cloudbase/directoryStore';
import { admin } from '../../cloudfunctions/lib/functions/admin';
import type { Call } from '../../cloudfunctions/lib/functions/types';
import { PROFILE_SETTING, loadPolicy, profileRevKey, type ProfileSetting } from '../../cloudfunctions/lib/policy';
import type { Deps } from '../../cloudfunctions/lib/deps';
import type { DirectoryStore } from '../../shared/ports';
import { FakeCloudDb } from '../cloudbase/fakeCloudDb';

const adapters: [string, () => DirectoryStore][] = [
  ['sqlite', () => new SqliteDirectoryStore(openDatabase(':memory:'))],
  ['cloudbase on FakeCloudDb', () => new CloudDirectoryStore(new FakeCloudDb())],
];

describe.each(adapters)('profile revisions: %s', (_name, make) => {
  let d: DirectoryStore;
  beforeEach(() => {
    d = make();
  });

  it('addSetting writes only a free key', async () => {
    expect(await d.addSetting('k', { a: 1 })).toBe(true);
    expect(await d.addSetting('k', { a: 2 })).toBe(false);
    expect(await d.getSetting('k')).toEqual({ a: 1 });
  });

  it('putSettingIfNewer moves only forward, and takes over a setting saved without a revision', async () => {
    await d.putSetting('p', { profileId: 'baiyin' });
    expect(await d.putSettingIfNewer('p', { rev: 2, v: 'two' })).toBe(true);
    expect(await d.putSettingIfNewer('p', { rev: 1, v: 'one' })).toBe(false);
    expect(await d.putSettingIfNewer('p', { rev: 2, v: 'again' })).toBe(false);
    expect(await d.getSetting('p')).toEqual({ rev: 2, v: 'two' });
    expect(await d.putSettingIfNewer('fresh', { rev: 1 })).toBe(true);
    expect(await Promise.all([d.putSettingIfNewer('q', { rev: 5 }), d.putSettingIfNewer('q', { rev: 5 })])).toEqual(expect.arrayContaining([true, false]));
  });

  it('two admin.setProfile calls at once take two revisions; each revision keeps its own choice; the higher is in force', async () => {
    const deps = { directory: d, clock: { now: () => 1_000 } } as unknown as Deps;
    const call = { deps, actor: { userId: 'op', role: 'operator' } } as Call & { actor: { userId: string; role: 'operator' } };
    await admin.setProfile(call, { action: 'setProfile', profileId: 'baiyin', overrides: [] });
    const [a, b] = (await Promise.all([
      admin.setProfile(call, { action: 'setProfile', profileId: 'anshan', overrides: [] }),
      admin.setProfile(call, { action: 'setProfile', profileId: 'hohhot', overrides: [] }),
    ])) as { id: string; rev: number }[];
    expect([a!.rev, b!.rev].sort()).toEqual([2, 3]);
    expect((await d.getSetting<ProfileSetting>(profileRevKey(a!.rev)))?.profileId).toBe('anshan');
    expect((await d.getSetting<ProfileSetting>(profileRevKey(b!.rev)))?.profileId).toBe('hohhot');
    const winner = a!.rev > b!.rev ? 'anshan' : 'hohhot';
    expect(await d.getSetting<ProfileSetting>(PROFILE_SETTING)).toMatchObject({ profileId: winner, rev: 3 });
    expect((await loadPolicy(d, 1_000)).profile.id).toBe(winner);
  });
});
