/**
 * Backups (issue 17): the real runtime in a child process takes submissions and uploads from this
 * process while `scripts/backup.ts` (what `npm run backup` runs) backs the data directory up from a
 * third process. The backup is restored with `scripts/restore.ts` into a fresh directory; the result
 * passes `PRAGMA integrity_check` and the history checks, holds every submission and every upload
 * acknowledged before the backup began (files byte for byte), and the runtime starts on it and
 * serves them. Retention and hard-linking of unchanged files are checked on the library itself.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { createLocalDeps } from '../../cloudfunctions/local/localDeps';
import { seedIfEmpty } from '../../cloudfunctions/local/seed';
import { backup, listBackups, prune, restore } from '../../cloudfunctions/local/ops/backup';
import type { Ticket } from '../../shared/contracts/ticket';
import { api, auditDb, login, PNG_1X1, REPO, request, SECRET, startRuntime, T0, tempDir, type Runtime } from '../support/reliabilityHarness';

const run = promisify(execFile);
const tsx = (script: string, args: string[], env: Record<string, string> = {}) =>
  run(process.execPath, ['--import', 'tsx', path.join(REPO, 'scripts', script), ...args], { cwd: REPO, env: { ...process.env, ...env } });

const root = tempDir('mashang-backup-');
const dataDir = path.join(root, 'data');
const backupDir = path.join(root, 'backups');
const restored = path.join(root, 'restored');
const RESIDENTS = 30;
const residentIds = Array.from({ length: RESIDENTS }, (_, i) => `bk-r-${String(i).padStart(2, '0')}`);
let rt: Runtime | null = null;

interface Ack {
  kind: 'submit' | 'upload';
  id: string;
  /** When the acknowledgement arrived, as a sequence number of this process. */
  order: number;
  bytes?: Buffer;
}

afterAll(async () => {
  await rt?.kill9();
  fs.rmSync(root, { recursive: true, force: true });
});

beforeAll(async () => {
  fs.mkdirSync(dataDir, { recursive: true });
  const deps = createLocalDeps({ dataDir, secret: SECRET });
  await seedIfEmpty(deps.directory, T0, 'baiyin');
  for (const [i, id] of residentIds.entries()) await deps.directory.putUser({ id, name: `居民${i}`, roles: ['resident'], phone: `1370000${String(i).padStart(4, '0')}`, demo: true });
  deps.db.close();
});

jest.setTimeout(180_000);

test('a backup taken under load restores to a sound directory with every write acknowledged before it began', async () => {
  rt = await startRuntime(dataDir);
  const tokens = new Map<string, string>();
  for (const id of residentIds) tokens.set(id, await login(rt.base, id));
  const acks: Ack[] = [];
  let order = 0;
  let stop = false;
  let seq = 0;
  const lane = async (laneNo: number) => {
    while (!stop) {
      const i = ++seq;
      const userId = residentIds[i % RESIDENTS]!;
      if (laneNo < 2) {
        const bytes = Buffer.concat([PNG_1X1, Buffer.from(`photo ${i} `.repeat(50))]);
        const r = await request<{ ok: boolean; data: { fileId: string } }>(rt!.base, 'POST', `/api/upload?name=p${i}.png`, bytes, { authorization: `Bearer ${tokens.get(userId)}` });
        if (!r.body.ok) throw new Error(`upload refused: ${JSON.stringify(r.body)}`);
        acks.push({ kind: 'upload', id: r.body.data.fileId, order: ++order, bytes });
        continue;
      }
      const r = await api<{ ticket: Ticket }>(rt!.base, 'resident', { action: 'submit', input: { clientRequestId: `backup-${String(i).padStart(6, '0')}`, type: 'help', category: '道路设施', content: `第${i}号：建设路${i}号附近井盖松动，车辆经过响声很大。`, contact: { name: '居民', phone: '13700001111' } } }, tokens.get(userId));
      if (!r.ok) throw new Error(`submit refused: ${r.code} ${r.message}`);
      acks.push({ kind: 'submit', id: r.data.ticket.id, order: ++order });
    }
  };
  let loadError: unknown = null;
  const load = Promise.all(Array.from({ length: 6 }, (_, n) => lane(n))).catch((e) => {
    loadError = e;
    stop = true;
  });
  const until = async (n: number) => {
    while (acks.length < n) {
      if (loadError) throw loadError;
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  await until(150);
  while (acks.filter((a) => a.kind === 'upload').length < 10) await until(acks.length + 1);

  // Everything acknowledged up to here must be in the backup.
  const before = acks.length;
  const out = await tsx('backup.ts', ['--data', dataDir, '--to', backupDir, '--keep', '5']);
  const during = acks.length - before;
  // Writes kept coming while the backup ran (the test would prove nothing otherwise).
  expect(during).toBeGreaterThan(0);
  await until(before + during + 30);
  stop = true;
  await load;
  if (loadError) throw loadError;
  const report = JSON.parse(out.stdout.trim().split('\n').pop()!) as { dir: string; integrity: string; tickets: number; files: number };
  expect(report.integrity).toBe('ok');
  expect(listBackups(backupDir)).toEqual([report.dir]);

  // Restore into a fresh directory with the script; a directory that holds data is refused.
  const res = await tsx('restore.ts', [report.dir, restored]);
  expect(JSON.parse(res.stdout.trim())).toMatchObject({ msg: 'restore done', integrity: 'ok' });
  await expect(tsx('restore.ts', [report.dir, dataDir])).rejects.toMatchObject({ stderr: expect.stringContaining('not a fresh data directory') });

  const audit = auditDb(path.join(restored, 'mashang.db'));
  expect(audit.integrity).toBe('ok');
  expect(audit.problems).toEqual([]);
  const db = new Database(path.join(restored, 'mashang.db'), { readonly: true });
  const missing: string[] = [];
  try {
    const ticket = db.prepare('SELECT count(*) FROM tickets WHERE id = ?').pluck();
    const file = db.prepare('SELECT size FROM files WHERE id = ?').pluck();
    for (const a of acks.slice(0, before)) {
      if (a.kind === 'submit' && ticket.get(a.id) !== 1) missing.push(`ticket ${a.id}`);
      if (a.kind === 'upload') {
        const onDisk = path.join(restored, 'files', a.id.slice('local:'.length));
        if (file.get(a.id) !== a.bytes!.length) missing.push(`file row ${a.id}`);
        else if (!fs.existsSync(onDisk) || !fs.readFileSync(onDisk).equals(a.bytes!)) missing.push(`file bytes ${a.id}`);
      }
    }
  } finally {
    db.close();
  }
  expect(missing).toEqual([]);
  const uploads = acks.slice(0, before).filter((a) => a.kind === 'upload').length;
  expect(uploads).toBeGreaterThan(5);
  console.log(`backup under load: ${before} writes acknowledged before it began (${before - uploads} submissions, ${uploads} uploads), all restored; ${during} more acknowledged while it ran; backup holds ${report.tickets} tickets, ${report.files} files`);

  // The runtime starts on the restored directory and serves what was acknowledged.
  await rt.stop();
  rt = await startRuntime(restored);
  const first = acks.find((a) => a.kind === 'submit')!;
  const opToken = await login(rt.base, 'demo-operator');
  const got = await api<{ ticket: Ticket }>(rt.base, 'operator', { action: 'get', ticketId: first.id }, opToken);
  expect(got.ok && got.data.ticket.id).toBe(first.id);
});

test('retention keeps the newest backups; unchanged files are hard-linked, not copied again', async () => {
  const dir = tempDir('mashang-backup-keep-');
  try {
    const data = path.join(dir, 'data');
    const deps = createLocalDeps({ dataDir: data, secret: SECRET });
    await seedIfEmpty(deps.directory, T0, 'baiyin');
    await deps.files.put('demo-resident', 'a.png', PNG_1X1, {}, T0);
    const to = path.join(dir, 'b');
    const times = [0, 1, 2].map((i) => new Date(Date.UTC(2026, 11, 1 + i, 19, 30)));
    const made = [];
    for (const at of times) made.push(await backup({ dataDir: data, backupDir: to, source: deps.db, now: () => at }));
    expect(made[0]!.manifest).toMatchObject({ integrity: 'ok', files: 1, linked: 0 });
    expect(made[1]!.manifest).toMatchObject({ files: 1, linked: 1 });
    const rel = fs.readdirSync(path.join(made[2]!.dir, 'files'), { recursive: true }).map(String).find((f) => f.endsWith('.png'))!;
    expect(fs.statSync(path.join(made[2]!.dir, 'files', rel)).nlink).toBe(3);
    // An interrupted backup is never taken for a complete one, and is cleared by the next prune.
    fs.mkdirSync(path.join(to, '.partial-mashang-20261205T000000Z'));
    expect(listBackups(to)).toEqual([made[2]!.dir, made[1]!.dir, made[0]!.dir]);
    const removed = prune(to, 2);
    expect(removed).toEqual([made[0]!.dir, path.join(to, '.partial-mashang-20261205T000000Z')]);
    expect(listBackups(to)).toEqual([made[2]!.dir, made[1]!.dir]);
    // What remains still restores (the links outlive the removed backup).
    expect(restore({ backupDir: made[1]!.dir, dataDir: path.join(dir, 'r') })).toMatchObject({ integrity: 'ok', files: 1 });
    deps.db.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the runtime backs itself up on BACKUP_CRON into BACKUP_DIR, keeping BACKUP_KEEP', async () => {
  const dir = tempDir('mashang-backup-cron-');
  try {
    const to = path.join(dir, 'backups');
    // Every second: the schedule fires within the test; names are per second, so three seconds make three backups.
    const rt2 = await startRuntime(path.join(dir, 'data'), { BACKUP_DIR: to, BACKUP_CRON: '* * * * * *', BACKUP_KEEP: '2' });
    try {
      const t0 = Date.now();
      while (Date.now() - t0 < 20_000 && !/"msg":"backup done"[^\n]*"removed":\["/.test(rt2.output())) await new Promise((r) => setTimeout(r, 200));
    } finally {
      await rt2.stop();
    }
    const done = rt2.output().split('\n').filter((l) => l.includes('"msg":"backup done"')).map((l) => JSON.parse(l) as { dir: string; integrity: string; removed: string[] });
    expect(done.length).toBeGreaterThanOrEqual(3);
    expect(done.every((d) => d.integrity === 'ok')).toBe(true);
    expect(done.some((d) => d.removed.length > 0)).toBe(true);
    expect(listBackups(to).length).toBeLessThanOrEqual(2);
    expect(restore({ backupDir: listBackups(to)[0]!, dataDir: path.join(dir, 'r') }).integrity).toBe('ok');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
