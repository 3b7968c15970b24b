import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { FACTS_GROUPS_MIGRATION, FACTS_MIGRATION, FACTS_PAIRS_MIGRATION } from './facts';

/** The embedded store: one SQLite file shared by the ticket, directory and file adapters. */
export type SqliteDb = Database.Database;

export interface OpenOptions {
  /**
   * NORMAL (default): in WAL mode a commit is written to the WAL before it returns, so a killed
   * process (kill -9) loses nothing; only a power cut or OS crash can drop the last commits, and
   * never corrupts the file. FULL also fsyncs each commit (survives power loss, ~10x slower).
   */
  synchronous?: 'NORMAL' | 'FULL';
  /** How long a writer waits for another connection's lock before SQLITE_BUSY. */
  busyTimeoutMs?: number;
}

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The states at a unit when migration 190 was written (`unitStates` in shared/workflow/states),
 * as the literal condition of the partial index ticket_units_at_unit. The store uses the index
 * only for a list of exactly these states, written as this text, so a later change of
 * `unitStates` falls back to a branch per state instead of missing rows.
 */
export const AT_UNIT_STATES = ['dispatched', 'handling', 'returnRequested', 'coordinationRequested', 'extensionRequested', 'replied'] as const;
/** The index's condition on column `state` (a table alias may stand before it in a query). */
export const atUnitCondition = (alias = ''): string => `${alias}state IN (${AT_UNIT_STATES.map((x) => `'${x}'`).join(', ')})`;

/** Numbered, append-only: a released migration is never edited, a change is a new number. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'tickets, events, alarms',
    sql: `
      CREATE TABLE tickets (
        id TEXT PRIMARY KEY,
        number TEXT NOT NULL UNIQUE,
        version INTEGER NOT NULL CHECK (version >= 1),
        state TEXT NOT NULL,
        profile_id TEXT NOT NULL,
        type TEXT NOT NULL,
        category TEXT NOT NULL,
        area TEXT,
        requester_id TEXT,
        reporter_id TEXT NOT NULL,
        lead_unit TEXT,
        client_request_id TEXT,
        content_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        next_due_at INTEGER,
        resolved_at INTEGER,
        closed_at INTEGER,
        overdue INTEGER NOT NULL DEFAULT 0,
        supervision_level INTEGER NOT NULL DEFAULT 0,
        reworks INTEGER NOT NULL DEFAULT 0,
        doc TEXT NOT NULL
      );
      -- A retried submission finds the first ticket (NULL client ids never collide).
      CREATE UNIQUE INDEX tickets_client_request ON tickets (reporter_id, client_request_id);
      CREATE INDEX tickets_requester ON tickets (requester_id, created_at, id);
      CREATE INDEX tickets_reporter ON tickets (reporter_id, created_at, id);
      CREATE INDEX tickets_state ON tickets (state, created_at, id);
      CREATE INDEX tickets_supervised ON tickets (state, created_at, id) WHERE supervision_level > 0 OR overdue = 1;
      CREATE INDEX tickets_created ON tickets (created_at, id);
      CREATE INDEX tickets_updated ON tickets (updated_at);

      -- One row per assigned unit, with the ticket's inbox columns copied so the inbox is one index walk.
      CREATE TABLE ticket_units (
        ticket_id TEXT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
        unit_id TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('lead', 'assist')),
        state TEXT NOT NULL,
        -- next_due_at, NULL as the largest safe integer: NULLs sort last and the cursor stays numeric.
        due_sort INTEGER NOT NULL,
        reworks INTEGER NOT NULL,
        supervised INTEGER NOT NULL,
        PRIMARY KEY (ticket_id, unit_id)
      ) WITHOUT ROWID;
      CREATE INDEX ticket_units_inbox ON ticket_units (unit_id, state, due_sort, ticket_id);
      CREATE INDEX ticket_units_all ON ticket_units (unit_id, due_sort, ticket_id);

      CREATE TABLE events (
        ticket_id TEXT NOT NULL REFERENCES tickets (id),
        seq INTEGER NOT NULL CHECK (seq >= 1),
        at INTEGER NOT NULL,
        type TEXT NOT NULL,
        actor_id TEXT NOT NULL,
        doc TEXT NOT NULL,
        PRIMARY KEY (ticket_id, seq)
      );
      CREATE INDEX events_at ON events (at);
      CREATE TRIGGER events_no_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
      CREATE TRIGGER events_no_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

      CREATE TABLE alarms (
        key TEXT PRIMARY KEY,
        ticket_id TEXT NOT NULL REFERENCES tickets (id),
        deadline TEXT NOT NULL,
        kind TEXT NOT NULL,
        threshold REAL NOT NULL,
        fire_at INTEGER NOT NULL,
        due_at INTEGER NOT NULL,
        owner TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'claimed', 'done', 'cancelled')),
        run_id TEXT,
        lease_until INTEGER,
        attempts INTEGER NOT NULL DEFAULT 0,
        outcome TEXT
      );
      CREATE INDEX alarms_due ON alarms (status, fire_at, key);
      CREATE INDEX alarms_ticket ON alarms (ticket_id, status);
    `,
  },
  {
    version: 2,
    name: 'directory: users, units, invites, knowledge base, scenes, settings, deliveries, credits, rate hits',
    sql: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        openid TEXT UNIQUE,
        unit_id TEXT,
        roles TEXT NOT NULL,
        deleted_at INTEGER,
        doc TEXT NOT NULL
      );
      CREATE INDEX users_unit ON users (unit_id);

      CREATE TABLE units (id TEXT PRIMARY KEY, name TEXT NOT NULL, active INTEGER NOT NULL, doc TEXT NOT NULL);

      CREATE TABLE invites (
        code TEXT PRIMARY KEY,
        unit_id TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        used_by TEXT,
        used_at INTEGER
      );

      CREATE TABLE kb_articles (id TEXT PRIMARY KEY, updated_at INTEGER NOT NULL, doc TEXT NOT NULL);
      CREATE INDEX kb_articles_updated ON kb_articles (updated_at);

      CREATE TABLE scenes (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, doc TEXT NOT NULL);

      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);

      CREATE TABLE deliveries (
        id TEXT PRIMARY KEY,
        dedupe_key TEXT NOT NULL UNIQUE,
        user_id TEXT NOT NULL,
        template TEXT NOT NULL,
        ticket_id TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'undeliverable', 'failed')),
        attempts INTEGER NOT NULL,
        error_code TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        notice TEXT NOT NULL
      );
      CREATE INDEX deliveries_user ON deliveries (user_id, created_at, id);

      CREATE TABLE credits (
        user_id TEXT NOT NULL,
        template TEXT NOT NULL,
        n INTEGER NOT NULL CHECK (n >= 0),
        PRIMARY KEY (user_id, template)
      ) WITHOUT ROWID;

      CREATE TABLE rate_hits (id INTEGER PRIMARY KEY, key TEXT NOT NULL, at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
      CREATE INDEX rate_hits_key ON rate_hits (key, at);
      CREATE INDEX rate_hits_expiry ON rate_hits (expires_at);
    `,
  },
  {
    version: 3,
    name: 'files',
    sql: `
      CREATE TABLE files (
        id TEXT PRIMARY KEY,
        owner_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('image', 'video', 'audio', 'document')),
        mime TEXT NOT NULL,
        size INTEGER NOT NULL,
        duration_sec REAL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX files_owner ON files (owner_id, created_at);
    `,
  },
  {
    version: 4,
    name: 'events: no REPLACE over an existing event',
    // REPLACE deletes the old row without firing events_no_delete (recursive_triggers is off), so
    // an insert onto an existing (ticket_id, seq) is refused before it can replace anything.
    sql: `
      CREATE TRIGGER events_no_replace BEFORE INSERT ON events
        WHEN EXISTS (SELECT 1 FROM events WHERE ticket_id = NEW.ticket_id AND seq = NEW.seq)
        BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
    `,
  },
  {
    version: 5,
    name: 'tickets: duplicate check by reporter and content',
    sql: `CREATE INDEX tickets_reporter_content ON tickets (reporter_id, content_hash, created_at);`,
  },
  {
    version: 6,
    name: 'user roles: a row per (user, role), so the operators and a unit\'s staff are index walks',
    sql: `
      CREATE TABLE user_roles (
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        role TEXT NOT NULL,
        PRIMARY KEY (user_id, role)
      ) WITHOUT ROWID;
      CREATE INDEX user_roles_role ON user_roles (role, user_id);
      INSERT OR IGNORE INTO user_roles (user_id, role) SELECT u.id, j.value FROM users u, json_each(u.roles) j;
    `,
  },
  {
    version: 7,
    name: 'tickets: search columns and indexes (phone, last four digits, channel, urgency, utilities, category, area, due) and FTS5 over title, content, address',
    // Filled from each ticket's document; the FTS rows are written by the store (terms come from
    // shared/search/terms), so the migration only queues the existing tickets for it.
    sql: `
      ALTER TABLE tickets ADD COLUMN phone TEXT;
      ALTER TABLE tickets ADD COLUMN phone_tail TEXT;
      ALTER TABLE tickets ADD COLUMN channel TEXT;
      ALTER TABLE tickets ADD COLUMN urgency TEXT;
      ALTER TABLE tickets ADD COLUMN utilities INTEGER NOT NULL DEFAULT 0;
      UPDATE tickets SET
        phone = nullif(replace(coalesce(json_extract(doc, '$.requester.phone'), ''), '-', ''), ''),
        channel = json_extract(doc, '$.channel'),
        urgency = json_extract(doc, '$.urgency'),
        utilities = CASE WHEN json_extract(doc, '$.utilities') THEN 1 ELSE 0 END;
      UPDATE tickets SET phone_tail = substr(phone, -4) WHERE length(phone) >= 4;
      CREATE INDEX tickets_phone ON tickets (phone, created_at, id);
      CREATE INDEX tickets_phone_tail ON tickets (phone_tail, created_at, id);
      CREATE INDEX tickets_category ON tickets (category, created_at, id);
      CREATE INDEX tickets_area ON tickets (area, created_at, id);
      CREATE INDEX tickets_channel ON tickets (channel, created_at, id);
      CREATE INDEX tickets_urgency ON tickets (urgency, created_at, id);
      CREATE INDEX tickets_utilities ON tickets (created_at, id) WHERE utilities = 1;
      CREATE INDEX tickets_overdue ON tickets (created_at, id) WHERE overdue = 1;
      CREATE INDEX tickets_next_due ON tickets (next_due_at);

      -- FTS5 rows are keyed by a stable integer (a table without INTEGER PRIMARY KEY may renumber its rowids on VACUUM).
      CREATE TABLE ticket_search_rows (rid INTEGER PRIMARY KEY, ticket_id TEXT NOT NULL UNIQUE REFERENCES tickets (id), terms_hash TEXT NOT NULL);
      CREATE VIRTUAL TABLE ticket_search USING fts5 (terms, tokenize = 'unicode61 remove_diacritics 0');
      CREATE TABLE ticket_search_pending (ticket_id TEXT PRIMARY KEY) WITHOUT ROWID;
      INSERT INTO ticket_search_pending (ticket_id) SELECT id FROM tickets;
      `,
  },
  {
    version: 9,
    name: 'effects: the transactional outbox (notices saved with the state change, delivered by the drainer)',
    sql: `
      CREATE TABLE effects (
        id TEXT PRIMARY KEY,
        ticket_id TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'done', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_at INTEGER NOT NULL,
        run_id TEXT,
        lease_until INTEGER,
        last_error TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        doc TEXT NOT NULL
      );
      CREATE INDEX effects_due ON effects (status, next_at, id);
      CREATE INDEX effects_by_status ON effects (status, updated_at);
    `,
  },
  {
    // Numbered after the issue that brought it (12) so it never collides with the next plain number.
    version: 12,
    name: 'accounts: credentials, login keys, sessions, one-time codes, sign-in audit; invites by role',
    sql: `
      CREATE TABLE credentials (user_id TEXT PRIMARY KEY, doc TEXT NOT NULL);
      CREATE TABLE logins (key TEXT PRIMARY KEY, user_id TEXT NOT NULL) WITHOUT ROWID;
      CREATE INDEX logins_user ON logins (user_id);
      CREATE TABLE sessions (id TEXT PRIMARY KEY, user_id TEXT NOT NULL, created_at INTEGER NOT NULL, revoked_at INTEGER, doc TEXT NOT NULL);
      CREATE INDEX sessions_user ON sessions (user_id, created_at);
      CREATE TABLE one_time_codes (key TEXT PRIMARY KEY, hash TEXT NOT NULL, expires_at INTEGER NOT NULL, attempts INTEGER NOT NULL, created_at INTEGER NOT NULL);
      CREATE TABLE auth_audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, at INTEGER NOT NULL, user_id TEXT, doc TEXT NOT NULL);
      CREATE INDEX auth_audit_at ON auth_audit (at, seq);
      CREATE INDEX auth_audit_user ON auth_audit (user_id, at, seq);
      CREATE TRIGGER auth_audit_no_update BEFORE UPDATE ON auth_audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      CREATE TRIGGER auth_audit_no_delete BEFORE DELETE ON auth_audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      ALTER TABLE invites ADD COLUMN role TEXT;
      CREATE TABLE sms_outbox (id INTEGER PRIMARY KEY, phone TEXT NOT NULL, text TEXT NOT NULL, at INTEGER NOT NULL);
    `,
  },
  // Issue 18: the facts every figure is counted from (kept in its own file).
  FACTS_MIGRATION,
  FACTS_GROUPS_MIGRATION,
  FACTS_PAIRS_MIGRATION,
  {
    // Issue 18 §4 (knowledge-base upkeep): numbered 184 so it never collides with another lane's.
    version: 184,
    name: 'kb_uses: how often operators answered from each knowledge-base article',
    sql: `
      CREATE TABLE kb_uses (article_id TEXT PRIMARY KEY, n INTEGER NOT NULL, last_at INTEGER NOT NULL) WITHOUT ROWID;
    `,
  },
  {
    // Issue 19: list rows from a summary, not from parsing whole documents.
    version: 190,
    // A table of its own, not a column at the end of the tickets row: a column after `doc` lies
    // past the document's overflow pages, which a read would walk to reach it. A rowid table, not
    // WITHOUT ROWID: rows of most of a kilobyte would fill its interior pages too (whole records
    // are the keys there), and a look-up by id took 2.6 times as long in the bench's store.
    name: 'ticket summaries (what a list row shows, shared/workflow/summary.ts), written with the ticket',
    // The unit inbox 全部 (the states at the unit) as one walk in due order: a partial index holds
    // exactly those rows, where a branch per state read limit+1 rows of each state.
    sql: `
      CREATE TABLE ticket_summaries (ticket_id TEXT PRIMARY KEY REFERENCES tickets (id), doc TEXT NOT NULL);
      CREATE INDEX ticket_units_at_unit ON ticket_units (unit_id, due_sort, ticket_id) WHERE ${atUnitCondition()};
    `,
  },
  {
    // Issue 19: a submission's supervision triggers read the earlier requests of its category in
    // its area (cloudfunctions/lib/tickets.ts sameMatterCandidates); with only tickets_area the
    // walk read every request of the area to keep the category's. Operators' searches by both use it too.
    version: 191,
    name: 'tickets: an index by category and area, newest first',
    sql: `CREATE INDEX tickets_category_area ON tickets (category, area, created_at, id);`,
  },
  {
    // Issue 19: the timer's claim wrote every claimed alarm's row (and its alarms_ticket entry),
    // pages its completion then wrote again: a fifth of the pages a timer run wrote. A lease is
    // now a row of a small table of its own, and a leased alarm stays 'pending' in \`alarms\`
    // (the store's 'claimed' is "pending with a lease row"). alarms_ticket loses its status
    // column, so marking an alarm done or cancelled leaves that index alone.
    version: 192,
    name: 'alarms: leases in a table of their own; alarms_ticket by ticket only',
    sql: `
      CREATE TABLE alarm_leases (
        key TEXT PRIMARY KEY,
        run_id TEXT NOT NULL,
        lease_until INTEGER NOT NULL,
        attempts INTEGER NOT NULL
      ) WITHOUT ROWID;
      INSERT INTO alarm_leases (key, run_id, lease_until, attempts)
        SELECT key, coalesce(run_id, ''), coalesce(lease_until, 0), attempts FROM alarms WHERE status = 'claimed';
      UPDATE alarms SET status = 'pending', run_id = NULL, lease_until = NULL WHERE status = 'claimed';
      DROP INDEX alarms_ticket;
      CREATE INDEX alarms_ticket ON alarms (ticket_id);
    `,
  },
];

/** Applies the migrations this database lacks, each in its own write transaction; returns their versions. */
export function migrate(db: SqliteDb, migrations: readonly Migration[] = MIGRATIONS): number[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  const known = Math.max(0, ...migrations.map((m) => m.version));
  const newest = (db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
  if (newest > known) throw new Error(`database schema ${newest} is newer than this code (${known}): refusing to open`);
  const has = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').pluck();
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const applied: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    // IMMEDIATE and re-checked inside: two processes starting at once apply each migration once.
    db.transaction(() => {
      if (has.get(m.version)) return;
      db.exec(m.sql);
      record.run(m.version, m.name, Date.now());
      applied.push(m.version);
    }).immediate();
  }
  return applied;
}

/** Opens (creating if needed) a database file, or ':memory:', with the pragmas and the schema. */
export function openDatabase(file: string, options: OpenOptions = {}): SqliteDb {
  if (file !== ':memory:' && !file.startsWith('file:')) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
  db.pragma('temp_store = MEMORY');
  // Truncate the WAL after checkpoints so a burst of writes does not leave a large file behind.
  db.pragma('journal_size_limit = 67108864');
  migrate(db);
  return db;
}
