/**
 * Retention (issue 17 §6): closed tickets older than the configured years are exported with their
 * history and files and marked archived; newer closed tickets and open tickets stay; a second run
 * exports nothing again; `scripts/archive.ts` (what `npm run archive` runs) does the same from
 * another process.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { archiveClosed, listArchived } from '../../cloudfunctions/local/ops/archive';
import { createHarness, DAY, PNG_1X1, type Harness } from '../support/functionHarness';

const run = promisify(execFile);
const REPO = path.resolve(__dirname, '..', '..');
const YEAR = 365.25 * DAY;
const OLD = Date.UTC(2014, 5, 3, 2);
const NOW = Date.UTC(2026, 2, 2, 2);

let h: Harness;
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mashang-archive-'));
const ids: Record<'oldClosed' | 'oldOpen' | 'recentClosed' | 'oldClosed2', string> = { oldClosed: '', oldOpen: '', recentClosed: '', oldClosed2: '' };
const photo = Buffer.concat([PNG_1X1]);

beforeAll(async () => {
  h = await createHarness({ now: OLD });
  const file = await h.upload('demo-resident', photo);
  const withdrawn = async (attachments: { fileId: string; kind: 'image' }[] = []) => {
    const s = await h.submit('demo-resident', { attachments });
    await h.command('demo-resident', 'resident', { type: 'withdraw', ticketId: s.ticket.id, note: '问题已自行解决' });
    return s.ticket.id;
  };
  ids.oldClosed = await withdrawn([{ fileId: file.fileId, kind: 'image' }]);
  ids.oldClosed2 = await withdrawn();
  ids.oldOpen = (await h.submit('demo-resident')).ticket.id;
  h.clock.set(NOW - 2 * YEAR);
  ids.recentClosed = await withdrawn();
  h.clock.set(NOW);
});

afterAll(async () => {
  await h.close();
  fs.rmSync(out, { recursive: true, force: true });
});

test('closed tickets past the retention years are exported with history and files, then marked', async () => {
  const dry = archiveClosed({ dataDir: h.dir, to: out, years: 10, now: NOW, dryRun: true });
  expect(dry.dir).toBeNull();
  expect(dry.entries.map((e) => e.ticketId).sort()).toEqual([ids.oldClosed, ids.oldClosed2].sort());
  expect(fs.readdirSync(out)).toEqual([]);
  expect(listArchived(h.dir)).toEqual([]);

  const r = archiveClosed({ dataDir: h.dir, to: out, years: 10, now: NOW });
  expect(r.dir).not.toBeNull();
  expect(r.tickets).toBe(2);
  expect(r.files).toBe(1);
  expect(r.missing).toBe(0);
  const manifest = JSON.parse(fs.readFileSync(path.join(r.dir!, 'manifest.json'), 'utf8'));
  expect(manifest.tickets).toBe(2);
  const entry = r.entries.find((e) => e.ticketId === ids.oldClosed)!;
  expect(entry.state).toBe('withdrawn');
  const ticketDir = path.join(r.dir!, 'tickets', entry.number);
  const ticket = JSON.parse(fs.readFileSync(path.join(ticketDir, 'ticket.json'), 'utf8'));
  expect(ticket.id).toBe(ids.oldClosed);
  const events = JSON.parse(fs.readFileSync(path.join(ticketDir, 'events.json'), 'utf8'));
  expect(events.map((e: { type: string }) => e.type)).toEqual((await h.events(ids.oldClosed)).map((e) => e.type));
  expect(events.length).toBeGreaterThanOrEqual(2);
  const [f] = entry.files;
  const copied = fs.readFileSync(path.join(r.dir!, f.path));
  expect(copied.equals(photo)).toBe(true);
  expect(f.sha256).toBe(createHash('sha256').update(photo).digest('hex'));

  expect(listArchived(h.dir).map((a) => a.ticketId).sort()).toEqual([ids.oldClosed, ids.oldClosed2].sort());
  expect(fs.readdirSync(out).filter((n) => n.startsWith('.partial-'))).toEqual([]);
  // The history stays in the data directory; the archive mark is the only write.
  expect(h.count('events', 'ticket_id = ?', ids.oldClosed)).toBe(events.length);

  const again = archiveClosed({ dataDir: h.dir, to: out, years: 10, now: NOW + DAY });
  expect(again.tickets).toBe(0);
  expect(again.dir).toBeNull();
});

test('npm run archive exports from another process and refuses a missing number of years', async () => {
  const to = path.join(out, 'cli');
  const { stdout } = await run(process.execPath, ['--import', 'tsx', path.join(REPO, 'scripts', 'archive.ts'), '--data', h.dir, '--to', to, '--years', '1'], { cwd: REPO });
  const summary = JSON.parse(stdout.trim());
  expect(summary.msg).toBe('archive done');
  expect(summary.tickets).toBe(1);
  expect(listArchived(h.dir).map((a) => a.ticketId)).toContain(ids.recentClosed);
  expect(listArchived(h.dir).map((a) => a.ticketId)).not.toContain(ids.oldOpen);
  await expect(run(process.execPath, ['--import', 'tsx', path.join(REPO, 'scripts', 'archive.ts'), '--data', h.dir, '--to', to], { cwd: REPO, env: { ...process.env, RETENTION_YEARS: '' } })).rejects.toMatchObject({ code: 1 });
});
