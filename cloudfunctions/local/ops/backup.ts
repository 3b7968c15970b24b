import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Cron } from 'croner';

export const DB_FILE = 'mashang.db';
export const FILES_DIR = 'files';
export const SECRET_FILE = 'secret.key';
export const MANIFEST = 'manifest.json';
const PREFIX = 'mashang-';
const PARTIAL = '.partial-';

export interface Manifest {
  createdAt: string;
  /** The data directory it was taken from. */
  source: string;
  dbBytes: number;
  integrity: string;
  tickets: number;
  events: number;
  files: number;
  fileBytes: number;
  /** Files hard-linked from the previous backup instead of copied (unchanged since). */
  linked: number;
  ms: number;
}

/** `mashang-20261202T033000Z`: sorts by time, and never collides within a second. */
export function backupName(at: Date): string {
  return `${PREFIX}${at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
}

/** Complete backups in `backupDir`, newest first (a `.partial-` directory is never one). */
export function listBackups(backupDir: string): string[] {
  if (!fs.existsSync(backupDir)) return [];
  return fs
    .readdirSync(backupDir)
    .filter((n) => n.startsWith(PREFIX) && fs.existsSync(path.join(backupDir, n, MANIFEST)))
    .sort()
    .reverse()
    .map((n) => path.join(backupDir, n));
}

function walk(dir: string, rel = ''): string[] {
  if (!fs.existsSync(path.join(dir, rel))) return [];
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((d) => {
    const r = path.join(rel, d.name);
    return d.isDirectory() ? walk(dir, r) : d.isFile() ? [r] : [];
  });
}

/**
 * An online backup of a data directory into `backupDir/mashang-<time>/`: the database through
 * SQLite's backup API (better-sqlite3 `db.backup`), then `files/` and the secret. The database is
 * copied in one step, so the copy is one consistent snapshot even while another process writes
 * (WAL readers do not block writers; a step-wise copy from another connection would restart on
 * every write). Files are copied after the snapshot, so every file the snapshot names is there
 * (files are written before their row and never changed); files unchanged since the previous
 * backup are hard-linked to it. The copy is checked with `PRAGMA integrity_check`, written under
 * a `.partial-` name and renamed only when complete.
 *
 * `source` is an open connection to the live database (the runtime's own, for a scheduled backup)
 * or omitted to open one here (`npm run backup` from another process).
 */
export async function backup(opts: { dataDir: string; backupDir: string; source?: Database.Database; now?: () => Date }): Promise<{ dir: string; manifest: Manifest }> {
  const t0 = Date.now();
  const at = (opts.now ?? (() => new Date()))();
  const name = backupName(at);
  fs.mkdirSync(opts.backupDir, { recursive: true, mode: 0o700 });
  const final = path.join(opts.backupDir, name);
  if (fs.existsSync(final)) throw new Error(`backup ${final} already exists`);
  const partial = path.join(opts.backupDir, `${PARTIAL}${name}`);
  fs.rmSync(partial, { recursive: true, force: true });
  fs.mkdirSync(partial, { mode: 0o700 });
  const previous = listBackups(opts.backupDir)[0];
  try {
    const own = !opts.source;
    const db = opts.source ?? new Database(path.join(opts.dataDir, DB_FILE), { readonly: true, fileMustExist: true });
    try {
      // Another process's connection: one step (a consistent snapshot). The runtime's own connection:
      // small steps, so requests are served between them (its own writes are copied as they happen).
      await db.backup(path.join(partial, DB_FILE), { progress: ({ totalPages }) => (own ? Math.max(totalPages, 1) * 2 : 256) });
    } finally {
      if (own) db.close();
    }
    const copy = new Database(path.join(partial, DB_FILE), { fileMustExist: true });
    let integrity: string;
    let tickets: number;
    let events: number;
    try {
      // The copy is a rollback-journal file; make it a plain single file before anyone opens it in WAL mode.
      copy.pragma('journal_mode = DELETE');
      integrity = (copy.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
      tickets = copy.prepare('SELECT count(*) FROM tickets').pluck().get() as number;
      events = copy.prepare('SELECT count(*) FROM events').pluck().get() as number;
    } finally {
      copy.close();
    }
    if (integrity !== 'ok') throw new Error(`backup copy failed integrity_check: ${integrity}`);

    let files = 0;
    let fileBytes = 0;
    let linked = 0;
    const srcFiles = path.join(opts.dataDir, FILES_DIR);
    for (const rel of walk(srcFiles)) {
      // An upload in progress is written to `<name>.<hex>.part` and renamed when complete; it was never acknowledged.
      if (rel.endsWith('.part')) continue;
      const from = path.join(srcFiles, rel);
      const to = path.join(partial, FILES_DIR, rel);
      // A file removed between the listing and now (a temp file renamed, a retention sweep) is not in the snapshot.
      const st = fs.statSync(from, { throwIfNoEntry: false });
      if (!st) continue;
      fs.mkdirSync(path.dirname(to), { recursive: true });
      const prev = previous ? path.join(previous, FILES_DIR, rel) : null;
      const prevSt = prev ? fs.statSync(prev, { throwIfNoEntry: false }) : undefined;
      let done = false;
      if (prev && prevSt && prevSt.size === st.size) {
        try {
          fs.linkSync(prev, to);
          linked++;
          done = true;
        } catch {
          // another file system, or links not allowed: copy instead
        }
      }
      if (!done) {
        try {
          fs.copyFileSync(from, to);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
          throw e;
        }
      }
      files++;
      fileBytes += st.size;
    }
    const secret = path.join(opts.dataDir, SECRET_FILE);
    if (fs.existsSync(secret)) fs.copyFileSync(secret, path.join(partial, SECRET_FILE));
    const manifest: Manifest = { createdAt: at.toISOString(), source: path.resolve(opts.dataDir), dbBytes: fs.statSync(path.join(partial, DB_FILE)).size, integrity, tickets, events, files, fileBytes, linked, ms: Date.now() - t0 };
    fs.writeFileSync(path.join(partial, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    fs.renameSync(partial, final);
    return { dir: final, manifest };
  } catch (e) {
    fs.rmSync(partial, { recursive: true, force: true });
    throw e;
  }
}

/**
 * The runtime's own schedule (BACKUP_DIR set): a backup on `cron` from its connection, then prune.
 * Returns a stop function that waits for a backup in progress.
 */
export function scheduleBackups(opts: { dataDir: string; backupDir: string; keep: number; cron: string; source: Database.Database; log: (level: 'info' | 'error', msg: string, fields: Record<string, unknown>) => void }): () => Promise<void> {
  let current: Promise<void> | null = null;
  const job = new Cron(opts.cron, { protect: true, timezone: 'Asia/Shanghai' }, () => {
    current = (async () => {
      try {
        const { dir, manifest } = await backup({ dataDir: opts.dataDir, backupDir: opts.backupDir, source: opts.source });
        const removed = prune(opts.backupDir, opts.keep);
        opts.log('info', 'backup done', { dir, ...manifest, removed });
      } catch (e) {
        opts.log('error', 'backup failed', { error: e instanceof Error ? e.message : String(e) });
      }
    })();
    return current;
  });
  return async () => {
    job.stop();
    await current;
  };
}

/** Keeps the newest `keep` complete backups and removes the rest (and abandoned partial ones). Returns what it removed. */
export function prune(backupDir: string, keep: number): string[] {
  if (!Number.isInteger(keep) || keep < 1) throw new Error(`keep must be a positive integer, not ${keep}`);
  const removed = listBackups(backupDir).slice(keep);
  if (fs.existsSync(backupDir)) for (const n of fs.readdirSync(backupDir)) if (n.startsWith(PARTIAL)) removed.push(path.join(backupDir, n));
  for (const dir of removed) fs.rmSync(dir, { recursive: true, force: true });
  return removed;
}

/**
 * Restores a backup into a fresh data directory (refused if it already holds a database):
 * the database, `files/` and the secret, then `PRAGMA integrity_check` on the result.
 */
export function restore(opts: { backupDir: string; dataDir: string }): { integrity: string; tickets: number; events: number; files: number } {
  const src = path.resolve(opts.backupDir);
  if (!fs.existsSync(path.join(src, MANIFEST)) || !fs.existsSync(path.join(src, DB_FILE))) throw new Error(`${src} is not a complete backup (no ${MANIFEST} or ${DB_FILE})`);
  const target = path.resolve(opts.dataDir);
  for (const f of [DB_FILE, `${DB_FILE}-wal`, FILES_DIR]) {
    if (fs.existsSync(path.join(target, f))) throw new Error(`${target} is not a fresh data directory (it has ${f}); restore into an empty one`);
  }
  fs.mkdirSync(target, { recursive: true, mode: 0o700 });
  fs.copyFileSync(path.join(src, DB_FILE), path.join(target, DB_FILE));
  let files = 0;
  for (const rel of walk(path.join(src, FILES_DIR))) {
    const to = path.join(target, FILES_DIR, rel);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(path.join(src, FILES_DIR, rel), to);
    files++;
  }
  if (fs.existsSync(path.join(src, SECRET_FILE))) fs.copyFileSync(path.join(src, SECRET_FILE), path.join(target, SECRET_FILE));
  const db = new Database(path.join(target, DB_FILE), { fileMustExist: true });
  try {
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
    return { integrity, tickets: db.prepare('SELECT count(*) FROM tickets').pluck().get() as number, events: db.prepare('SELECT count(*) FROM events').pluck().get() as number, files };
  } finally {
    db.close();
  }
}
