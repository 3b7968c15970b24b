/**
 * Retention (issue 17 §6): closed tickets whose last change is older than a configured number of
 * years are exported for the archives (ticket, full history and every attached file, with SHA-256
 * sums) and marked archived in the data directory. The export is written under a `.partial-` name
 * and renamed when complete; tickets are marked only after the rename, so an interrupted run
 * exports them again next time and never marks a ticket whose export is missing. The history
 * itself stays: events are append-only (triggers refuse deletion) and the data stays readable.
 * Safe while the runtime serves (WAL; one small write transaction at the end).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { closedStates, stateSpec } from '../../../shared/workflow/states';
import { DB_FILE, FILES_DIR } from './backup';

const YEAR_MS = 365.25 * 24 * 3600 * 1000;
const PREFIX = 'mashang-archive-';
const PARTIAL = '.partial-';
/** Closed for good: nobody is waiting on anyone (a resolved ticket may still be rated). */
export const FINAL_STATES = closedStates.filter((s) => stateSpec(s).waitingOn === 'nobody');

export interface ArchiveOptions {
  dataDir: string;
  /** Where the export directory is created. */
  to: string;
  /** Closed tickets last changed more than this many years before `now`. */
  years: number;
  now?: number;
  /** List what would be archived; write nothing. */
  dryRun?: boolean;
}

export interface ArchiveEntry {
  ticketId: string;
  number: string;
  state: string;
  closedAt: string;
  events: number;
  files: { fileId: string; path: string; bytes: number; sha256: string }[];
  /** Attachments the files directory no longer holds. */
  missing: string[];
}

export interface ArchiveResult {
  dir: string | null;
  cutoff: string;
  tickets: number;
  files: number;
  fileBytes: number;
  missing: number;
  entries: ArchiveEntry[];
}

const ARCHIVE_TABLE = `CREATE TABLE IF NOT EXISTS ticket_archive (
  ticket_id TEXT PRIMARY KEY REFERENCES tickets (id),
  archived_at INTEGER NOT NULL,
  export TEXT NOT NULL
)`;

/** Every `fileId` in a document (ticket attachments, feedback, event attachments). */
function fileIdsIn(value: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const v of value) fileIdsIn(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'fileId' && typeof v === 'string') out.add(v);
      else fileIdsIn(v, out);
    }
  }
  return out;
}

/** A local file id's path under `files/`, or null for ids that are not ours (cloud://…). */
function localPath(fileId: string): string | null {
  const m = /^local:([0-9]{6}\/[A-Za-z0-9_-]+\.[a-z0-9]+)$/.exec(fileId);
  return m ? m[1] : null;
}

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

const stamp = (t: number) => new Date(t).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

export function archiveClosed(opts: ArchiveOptions): ArchiveResult {
  if (!Number.isFinite(opts.years) || opts.years < 1) throw new Error(`years must be at least 1 (got ${opts.years})`);
  const now = opts.now ?? Date.now();
  const cutoff = now - opts.years * YEAR_MS;
  const dbPath = path.join(opts.dataDir, DB_FILE);
  if (!fs.existsSync(dbPath)) throw new Error(`no database at ${dbPath}`);
  const db = new Database(dbPath, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 10000');
    db.exec(ARCHIVE_TABLE);
    const marks = FINAL_STATES.map(() => '?').join(',');
    const rows = db
      .prepare(
        `SELECT t.id, t.number, t.state, t.updated_at, t.doc FROM tickets t
         WHERE t.state IN (${marks}) AND t.updated_at < ?
           AND NOT EXISTS (SELECT 1 FROM ticket_archive a WHERE a.ticket_id = t.id)
         ORDER BY t.updated_at, t.id`,
      )
      .all(...FINAL_STATES, cutoff) as { id: string; number: string; state: string; updated_at: number; doc: string }[];
    const result: ArchiveResult = { dir: null, cutoff: new Date(cutoff).toISOString(), tickets: rows.length, files: 0, fileBytes: 0, missing: 0, entries: [] };
    if (rows.length === 0 || opts.dryRun) {
      for (const r of rows) result.entries.push({ ticketId: r.id, number: r.number, state: r.state, closedAt: new Date(r.updated_at).toISOString(), events: 0, files: [], missing: [] });
      return result;
    }
    fs.mkdirSync(opts.to, { recursive: true });
    const name = `${PREFIX}${stamp(now)}`;
    const partial = path.join(opts.to, `${PARTIAL}${name}`);
    const final = path.join(opts.to, name);
    if (fs.existsSync(final)) throw new Error(`${final} already exists`);
    fs.rmSync(partial, { recursive: true, force: true });
    const events = db.prepare('SELECT seq, at, type, actor_id, doc FROM events WHERE ticket_id = ? ORDER BY seq');
    const filesRoot = path.join(opts.dataDir, FILES_DIR);
    for (const r of rows) {
      const dir = path.join(partial, 'tickets', r.number.replace(/[^A-Za-z0-9_-]/g, '_'));
      fs.mkdirSync(dir, { recursive: true });
      const ticket = JSON.parse(r.doc) as unknown;
      const history = (events.all(r.id) as { seq: number; at: number; type: string; actor_id: string; doc: string }[]).map((e) => JSON.parse(e.doc) as unknown);
      fs.writeFileSync(path.join(dir, 'ticket.json'), `${JSON.stringify(ticket, null, 2)}\n`);
      fs.writeFileSync(path.join(dir, 'events.json'), `${JSON.stringify(history, null, 2)}\n`);
      const entry: ArchiveEntry = { ticketId: r.id, number: r.number, state: r.state, closedAt: new Date(r.updated_at).toISOString(), events: history.length, files: [], missing: [] };
      const ids = fileIdsIn(history, fileIdsIn(ticket, new Set()));
      for (const fileId of [...ids].sort()) {
        const rel = localPath(fileId);
        const source = rel ? path.join(filesRoot, rel) : null;
        if (!rel || !source || !fs.existsSync(source)) {
          entry.missing.push(fileId);
          continue;
        }
        const target = path.join(dir, 'files', rel.replace('/', '-'));
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.copyFileSync(source, target);
        const bytes = fs.statSync(target).size;
        entry.files.push({ fileId, path: path.relative(partial, target).split(path.sep).join('/'), bytes, sha256: sha256(target) });
        result.files++;
        result.fileBytes += bytes;
      }
      result.missing += entry.missing.length;
      result.entries.push(entry);
    }
    const manifest = { createdAt: new Date(now).toISOString(), source: path.resolve(opts.dataDir), years: opts.years, cutoff: result.cutoff, tickets: result.tickets, files: result.files, fileBytes: result.fileBytes, missing: result.missing, entries: result.entries };
    fs.writeFileSync(path.join(partial, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    fs.renameSync(partial, final);
    const mark = db.prepare('INSERT INTO ticket_archive (ticket_id, archived_at, export) VALUES (?, ?, ?)');
    db.transaction(() => {
      for (const r of rows) mark.run(r.id, now, name);
    })();
    result.dir = final;
    return result;
  } finally {
    db.close();
  }
}

/** Archived tickets with the export that holds them. */
export function listArchived(dataDir: string): { ticketId: string; archivedAt: number; export: string }[] {
  const db = new Database(path.join(dataDir, DB_FILE), { fileMustExist: true });
  try {
    db.exec(ARCHIVE_TABLE);
    return (db.prepare('SELECT ticket_id, archived_at, export FROM ticket_archive ORDER BY archived_at, ticket_id').all() as { ticket_id: string; archived_at: number; export: string }[]).map((r) => ({ ticketId: r.ticket_id, archivedAt: r.archived_at, export: r.export }));
  } finally {
    db.close();
  }
}
