/**
 * Fills a store with realistic tickets fast: template rows (bench/lib/templates.ts) cloned with a
 * fixed-seed PRNG into big transactions of prepared inserts. A year of tickets before T_NOW:
 * old ones closed, recent ones spread over the open states, types, units, ratings as in TYPE_MIX,
 * CLOSED_MIX and OPEN_MIX. `addDue` adds tickets with exactly one alarm due at T_NOW each.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Database, Statement } from 'better-sqlite3';
import { openDatabase } from '../../cloudfunctions/adapters/sqlite/db';
import { phoneTail } from '../../shared/search/terms';
import { SqliteDirectoryStore } from '../../cloudfunctions/adapters/sqlite/directoryStore';
import { DEMO_UNITS } from '../../cloudfunctions/local/seed';
import type { UnitRecord, UserRecord } from '../../shared/ports';
import { AREAS, CATEGORIES, TYPE_MIX, prng, requestContent, type Prng } from './prng';
import { residentId } from './population';
import { CLOSED_MIX, DAY, HOUR, OPEN_MIX, PATHS, TABLE_COLUMNS, TYPES, fillRow, type PathName, type SlotName, type Template } from './templates';

/** The bench's "now": Wednesday 2026-10-14 10:00 in Shanghai. Data covers the year before it. */
export const T_NOW = Date.UTC(2026, 9, 14, 2);
/** September 2026 in Shanghai: the month the assessment figures are computed for. */
export const MONTH = { from: Date.UTC(2026, 7, 31, 16), to: Date.UTC(2026, 8, 30, 16) };
const YEAR = 365 * DAY;
/** Open states only for tickets younger than this. */
const RECENT = 30 * DAY;
/** Mon–Fri carry most requests. */
const WEEKDAY_MIX: [number, number][] = [[0, 17], [1, 17], [2, 17], [3, 17], [4, 16], [5, 8], [6, 8]];
const NUMBER_ALPHABET = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';
/** Generated units beyond the six demo ones: a city has dozens of handling units. */
const EXTRA_UNITS = 34;

export interface GenStats {
  tickets: number;
  events: number;
  alarms: number;
  units: number;
  ms: number;
}

type Table = keyof typeof TABLE_COLUMNS;

export class StoreGenerator {
  readonly db: Database;
  private readonly r: Prng;
  private readonly insert: Record<Table, Statement>;
  private readonly byKey = new Map<string, Template>();
  private readonly units: string[] = [];
  private readonly unitWeights: [number, number][] = [];
  private readonly staffOf = new Map<string, string[]>();
  private readonly users: string[];
  private readonly hashCol: number;
  private readonly tailCol: number;
  private readonly alarmCols: { status: number; fire: number; outcome: number; attempts: number; runId: number };
  private serial = 0;
  readonly totals: GenStats = { tickets: 0, events: 0, alarms: 0, units: 0, ms: 0 };

  constructor(
    readonly file: string,
    private readonly templates: Template[],
    users: number,
    seed = 12345,
  ) {
    this.r = prng(seed);
    this.db = openDatabase(file);
    // Bulk load: durability is irrelevant for generated data and rows are consistent by construction.
    // Without a journal each page is written once (WAL would write it twice); close() restores WAL.
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.pragma('foreign_keys = OFF');
    this.db.pragma('cache_size = -1000000');
    this.insert = Object.fromEntries(
      (Object.keys(TABLE_COLUMNS) as Table[]).map((t) => [t, this.db.prepare(`INSERT INTO ${t} (${TABLE_COLUMNS[t].join(', ')}) VALUES (${TABLE_COLUMNS[t].map(() => '?').join(', ')})`)]),
    ) as Record<Table, Statement>;
    for (const t of templates) this.byKey.set(`${t.path}|${t.type}|${t.weekday}`, t);
    this.users = Array.from({ length: users }, (_, i) => residentId(i));
    this.hashCol = TABLE_COLUMNS.tickets.indexOf('content_hash');
    this.tailCol = TABLE_COLUMNS.tickets.indexOf('phone_tail');
    const a = TABLE_COLUMNS.alarms;
    this.alarmCols = { status: a.indexOf('status'), fire: a.indexOf('fire_at'), outcome: a.indexOf('outcome'), attempts: a.indexOf('attempts'), runId: a.indexOf('run_id') };
  }

  /** Units (6 demo + generated) and their staff, written through the real directory store. */
  async seedDirectory(): Promise<void> {
    const directory = new SqliteDirectoryStore(this.db);
    const units: UnitRecord[] = [...DEMO_UNITS];
    for (let i = 1; i <= EXTRA_UNITS; i++) units.push({ id: `u-bench-${String(i).padStart(2, '0')}`, name: `承办单位${i}`, categories: [CATEGORIES[i % CATEGORIES.length]!], areas: [AREAS[i % AREAS.length]!], active: true });
    const staff: UserRecord[] = [];
    units.forEach((u, rank) => {
      this.units.push(u.id);
      this.unitWeights.push([rank, 1 / Math.pow(rank + 1, 0.8)]);
      const ids = [1, 2].map((k) => `bench-staff-${u.id}-${k}`);
      this.staffOf.set(u.id, ids);
      ids.forEach((id, k) => staff.push({ id, name: `${u.name}工作人员${k + 1}`, roles: ['staff'], unitId: u.id, demo: true }));
    });
    const pending: Promise<void>[] = [];
    this.db.transaction(() => {
      for (const u of units) pending.push(directory.putUnit(u));
      for (const s of staff) pending.push(directory.putUser(s));
    })();
    await Promise.all(pending);
    this.totals.units = units.length;
  }

  private template(path: PathName, type: string, weekday: number): Template {
    const t = this.byKey.get(`${path}|${type}|${weekday}`);
    if (!t) throw new Error(`no template ${path}/${type}/${weekday}`);
    return t;
  }

  private slots(r: Prng, created: number): Record<SlotName, string> {
    const n = ++this.serial;
    const ui = r.int(this.users.length);
    const a = this.units[r.weighted(this.unitWeights)]!;
    let b = this.units[r.weighted(this.unitWeights)]!;
    if (b === a) b = this.units[(this.units.indexOf(a) + 1) % this.units.length]!;
    const ymd = new Date(created + 8 * HOUR).toISOString().slice(2, 10).replace(/-/g, '');
    let num = `M${ymd}`;
    for (let i = 0; i < 7; i++) num += NUMBER_ALPHABET[r.int(NUMBER_ALPHABET.length)];
    return {
      id: `t${created.toString(36)}${r.chars(10)}`,
      number: num,
      user: this.users[ui]!,
      name: `居民${ui}`,
      phone: `138${String(ui).padStart(8, '0')}`,
      content: requestContent(r, n),
      category: r.pick(CATEGORIES),
      area: r.pick(AREAS),
      unitA: a,
      unitB: b,
      staffA: this.staffOf.get(a)![0]!,
      staffB: this.staffOf.get(b)![0]!,
      clientId: `gen-${r.chars(16)}`,
    };
  }

  /** Writes one clone; `alarmStatus` decides each alarm's status from its fire instant. */
  private write(r: Prng, t: Template, created: number, alarmStatus: (fireAt: number, index: number, status: string) => string): void {
    const slots = this.slots(r, created);
    const ticket = fillRow(t.ticket, created, slots);
    ticket[this.hashCol] = createHash('sha256').update(slots.content.trim().replace(/\s+/g, ' '), 'utf8').digest('hex');
    // The template's tail is that of its placeholder phone: each clone gets its own phone's (as the store writes it).
    if (ticket[this.tailCol] !== null) ticket[this.tailCol] = phoneTail(slots.phone);
    this.insert.tickets.run(ticket);
    for (const u of t.units) this.insert.ticket_units.run(fillRow(u, created, slots));
    for (const e of t.events) this.insert.events.run(fillRow(e, created, slots));
    const c = this.alarmCols;
    t.alarms.forEach((recipe, i) => {
      const row = fillRow(recipe, created, slots);
      const status = alarmStatus(row[c.fire] as number, i, row[c.status] as string);
      if (status !== row[c.status]) {
        row[c.status] = status;
        if (status === 'done') {
          row[c.outcome] = 'sent';
          row[c.attempts] = 1;
          row[c.runId] = 'gen';
        }
      }
      this.insert.alarms.run(row);
    });
    this.totals.tickets++;
    this.totals.events += t.events.length;
    this.totals.alarms += t.alarms.length;
  }

  private pickPath(type: string, age: number): PathName {
    const ok = (p: PathName) => !PATHS[p]!.consultationOnly || type === 'consultation';
    const mix: [PathName, number][] = [];
    const closedWeight = age > RECENT ? 1 : age / RECENT;
    for (const [p, w] of CLOSED_MIX) if (ok(p)) mix.push([p, w * closedWeight * (type === 'consultation' && PATHS[p]!.consultationOnly ? 6 : 1)]);
    if (age <= RECENT) for (const [p, w] of OPEN_MIX) if ((PATHS[p]!.maxAgeDays ?? 30) * DAY >= age) mix.push([p, w * 2]);
    return this.r.weighted(mix);
  }

  /** `n` tickets of the past year, in creation order within the batch. */
  addBackground(n: number, log?: (s: string) => void): void {
    const t0 = Date.now();
    const r = this.r;
    const weeks = Math.floor((T_NOW - YEAR - (this.byKey.values().next().value as Template).createdAt) / (7 * DAY));
    const planned: { created: number; weekday: number }[] = [];
    for (let i = 0; i < n; i++) {
      const weekday = r.weighted(WEEKDAY_MIX);
      const base = this.template('submitted', 'complaint', weekday).createdAt;
      let created = 0;
      do created = base + (weeks + r.int(53)) * 7 * DAY + r.int(10 * HOUR);
      while (created > T_NOW - 10 * 60_000 || created < T_NOW - YEAR);
      planned.push({ created, weekday });
    }
    planned.sort((a, b) => a.created - b.created);
    const BATCH = 5000;
    for (let i = 0; i < planned.length; i += BATCH) {
      this.db.transaction(() => {
        for (const p of planned.slice(i, i + BATCH)) {
          const type = r.weighted(TYPE_MIX);
          const age = T_NOW - p.created;
          let path = this.pickPath(type, age);
          let t = this.template(path, type, p.weekday);
          // The whole history must lie before now: fall back to the submission alone.
          if (t.span > age - 60_000) t = this.template((path = 'submitted'), type, p.weekday);
          this.write(r, t, p.created, (fireAt, _i, status) => (status === 'pending' && fireAt <= T_NOW ? 'done' : status));
        }
      })();
      if (log && (i / BATCH) % 40 === 39) log(`    … ${(i + BATCH).toLocaleString('en')} / ${n.toLocaleString('en')} tickets (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    }
    this.totals.ms += Date.now() - t0;
  }

  /**
   * `n` open tickets, each with exactly one pending alarm due at T_NOW (the earlier ones done,
   * the later ones in the future). Mix: half reminders, 40 % overdue checks, 10 % supervision
   * triggers. The same seed gives the same mix at every store size.
   */
  addDue(n: number, seed: number): number {
    const t0 = Date.now();
    const r = prng(seed);
    // Same mix at every size (seed), new ids and people each time (the generator's own PRNG).
    const ids = this.r;
    type Candidate = { t: Template; j: number; lo: number; hi: number };
    const byKind = new Map<string, Candidate[]>();
    for (const t of this.byKey.values()) {
      if (!t.open) continue;
      const pending = t.alarmInfo.map((a, j) => ({ ...a, j })).filter((a) => a.status === 'pending').sort((x, y) => x.fireOff - y.fireOff);
      pending.forEach((a, i) => {
        const next = pending[i + 1];
        // u = how long ago the alarm fell due: after the last event, before the next alarm.
        const lo = Math.max(1000, t.span + 60_000 - a.fireOff);
        const hi = Math.min(HOUR, next ? next.fireOff - a.fireOff - 1000 : HOUR);
        if (hi <= lo) return;
        const list = byKind.get(a.kind) ?? [];
        list.push({ t, j: a.j, lo, hi });
        byKind.set(a.kind, list);
      });
    }
    const mix: [string, number][] = [['dueSoon', 50], ['overdue', 40], ['trigger', 10]].filter(([k]) => byKind.has(k as string)) as [string, number][];
    this.db.transaction(() => {
      for (let i = 0; i < n; i++) {
        const c = r.pick(byKind.get(r.weighted(mix))!);
        const u = c.lo + r.int(c.hi - c.lo);
        const fireOff = c.t.alarmInfo[c.j]!.fireOff;
        const created = T_NOW - fireOff - u;
        this.write(ids, c.t, created, (fireAt, index, status) => {
          if (status !== 'pending') return status;
          if (index === c.j) return 'pending';
          return fireAt <= T_NOW ? 'done' : 'pending';
        });
      }
    })();
    // A real ticket has had its full-text row since it was submitted; the generated ones have
    // none. The due ones are queued for the store's own indexing when it next opens (as tickets
    // saved before the search index are), so the timer's write does not pay for creating it.
    this.db.prepare("INSERT OR IGNORE INTO ticket_search_pending (ticket_id) SELECT DISTINCT ticket_id FROM alarms WHERE status = 'pending' AND fire_at <= ? AND ticket_id NOT IN (SELECT ticket_id FROM ticket_search_rows)").run(T_NOW);
    this.totals.ms += Date.now() - t0;
    return (this.db.prepare("SELECT count(*) FROM alarms WHERE status = 'pending' AND fire_at <= ?").pluck().get(T_NOW) as number) ?? 0;
  }

  /** Back to WAL, as the runtime opens it; the timer then opens its own connection. */
  close(): void {
    // The facts every figure is counted from (issue 18) are not copied from the templates: the
    // generated tickets are queued for the store's own backfill, which computes them from each
    // ticket and its history when the store next opens (as for tickets saved before the facts).
    this.db.exec('INSERT OR IGNORE INTO fact_pending (ticket_id) SELECT id FROM tickets WHERE id NOT IN (SELECT ticket_id FROM ticket_facts)');
    this.db.pragma('journal_mode = WAL');
    this.db.close();
  }
}

export const storeFile = (dir: string) => path.join(dir, 'mashang.db');
export { TYPES };
