import type { Statement } from 'better-sqlite3';
import type { Ticket, TicketEvent } from '../../../shared/contracts/ticket';
import {
  DIMENSIONS,
  DIMENSION_PAIRS,
  dimensionKey,
  eventFact,
  shanghaiDay,
  shanghaiDayStart,
  ticketFacts,
  ticketMarks,
  type Dimension,
  type FactCount,
  type Metric,
  type TicketFacts,
} from '../../../shared/metrics/facts';
import type { FactCountQuery, FactGroupQuery, FactTicket, FactTicketQuery, Page, PlaceGroup, RequesterGroup } from '../../../shared/ports';
import type { Migration, SqliteDb } from './db';
import { limited, preparedBySql } from './limited';
import { decodeCursor, encodeCursor } from '../cursor';

const FACTS_CURSOR = 'facts';

/**
 * The facts of each ticket (shared/metrics/facts.ts) on SQLite, written inside the ticket store's
 * create/update transaction:
 * - `ticket_facts`: the record of each ticket (JSON), to see what changed;
 * - `fact_marks`: one row per mark (ticket marks keyed by metric, event marks by the event seq),
 *   with the classification copied: the tickets behind a figure are an index walk;
 * - `fact_days`: per Shanghai day, dimension, key, metric and outcome, the number of marks: a
 *   period's full days are summed from here, its partial first and last days counted from
 *   `fact_marks`, so a month's figures read a few thousand rows whatever the number of tickets.
 * Numbered after issue 18, so it never collides with the next plain number.
 */
export const FACTS_MIGRATION: Migration = {
  version: 18,
  name: 'facts: per-ticket facts record, marks, daily counts by dimension',
  sql: `
    CREATE TABLE ticket_facts (ticket_id TEXT PRIMARY KEY REFERENCES tickets (id), doc TEXT NOT NULL);
    CREATE TABLE fact_marks (
      ticket_id TEXT NOT NULL REFERENCES tickets (id),
      metric TEXT NOT NULL,
      -- 0 for ticket marks, the event seq for event marks.
      seq INTEGER NOT NULL,
      at INTEGER NOT NULL,
      unit TEXT NOT NULL,
      area TEXT NOT NULL,
      category TEXT NOT NULL,
      channel TEXT NOT NULL,
      outcome TEXT NOT NULL,
      number TEXT NOT NULL,
      PRIMARY KEY (ticket_id, metric, seq)
    ) WITHOUT ROWID;
    CREATE INDEX fact_marks_at ON fact_marks (at);
    CREATE INDEX fact_marks_metric ON fact_marks (metric, at, ticket_id);
    CREATE TABLE fact_days (
      dim TEXT NOT NULL,
      day INTEGER NOT NULL,
      metric TEXT NOT NULL,
      key TEXT NOT NULL,
      outcome TEXT NOT NULL,
      n INTEGER NOT NULL CHECK (n >= 0),
      PRIMARY KEY (dim, day, metric, key, outcome)
    ) WITHOUT ROWID;
    -- Tickets saved before this migration: the store computes their facts when it opens.
    CREATE TABLE fact_pending (ticket_id TEXT PRIMARY KEY) WITHOUT ROWID;
    INSERT INTO fact_pending (ticket_id) SELECT id FROM tickets;
  `,
};

/**
 * Issue 18's second facts migration (numbered 180 so it collides with no issue's number): the
 * place and the requester of each ticket mark, so repeated requests and high-frequency
 * requesters are counted from the marks. Existing rows are filled from the tickets' documents
 * with the same rules as `placeOf` / `requesterOf` (shared/metrics/facts.ts).
 */
export const FACTS_GROUPS_MIGRATION: Migration = {
  version: 180,
  name: 'facts: place and requester of each ticket mark (repeated requests, frequent requesters)',
  sql: `
    ALTER TABLE fact_marks ADD COLUMN place TEXT NOT NULL DEFAULT '';
    ALTER TABLE fact_marks ADD COLUMN requester TEXT NOT NULL DEFAULT '';
    UPDATE fact_marks SET
      place = coalesce((SELECT coalesce(json_extract(doc, '$.location.area'), json_extract(doc, '$.location.grid'), json_extract(doc, '$.location.address'), '') FROM tickets WHERE tickets.id = fact_marks.ticket_id), ''),
      requester = coalesce((SELECT CASE
          WHEN coalesce(json_extract(doc, '$.requester.userId'), '') <> '' THEN 'u:' || json_extract(doc, '$.requester.userId')
          WHEN coalesce(json_extract(doc, '$.requester.phone'), '') <> '' THEN 'p:' || json_extract(doc, '$.requester.phone')
          ELSE 'r:' || json_extract(doc, '$.reporter.userId') END
        FROM tickets WHERE tickets.id = fact_marks.ticket_id), '')
    WHERE seq = 0;
    UPDATE ticket_facts SET doc = json_set(doc,
      '$.place', (SELECT place FROM fact_marks WHERE fact_marks.ticket_id = ticket_facts.ticket_id AND metric = 'submitted' AND seq = 0),
      '$.requester', (SELECT requester FROM fact_marks WHERE fact_marks.ticket_id = ticket_facts.ticket_id AND metric = 'submitted' AND seq = 0));
  `,
};

/** The daily counts of each pair of DIMENSION_PAIRS (dim `area.category`, key `<area>\0<category>`), from the marks saved before. */
export const FACTS_PAIRS_MIGRATION: Migration = {
  version: 181,
  name: 'facts: daily counts of each category within each area',
  sql: `
    INSERT INTO fact_days (dim, day, metric, key, outcome, n)
      SELECT 'area.category', (at + 28800000) / 86400000, metric, area || char(0) || category, outcome, count(*)
      FROM fact_marks GROUP BY 2, 3, 4, 5;
  `,
};

const pairDim = (a: Dimension, b: Dimension) => `${a}.${b}`;
const KEPT_PAIRS = new Set<string>(DIMENSION_PAIRS.map(([a, b]) => pairDim(a, b)));

interface MarkRow {
  ticket_id: string;
  metric: Metric;
  seq: number;
  at: number;
  unit: string;
  area: string;
  category: string;
  channel: string;
  outcome: string;
  number: string;
  /** Ticket marks only ('' on event marks). */
  place: string;
  requester: string;
}

const COLUMN: Record<Dimension, string> = { all: "'*'", unit: 'unit', area: 'area', category: 'category', channel: 'channel' };
const BATCH = 1000;

function markRowsOf(f: TicketFacts): MarkRow[] {
  return ticketMarks(f).map((m) => ({ ticket_id: f.ticketId, metric: m.metric, seq: 0, at: m.at, unit: m.unit, area: f.area, category: f.category, channel: f.channel, outcome: m.outcome, number: f.number, place: f.place, requester: f.requester }));
}

const sameRow = (a: MarkRow, b: MarkRow) =>
  a.at === b.at && a.unit === b.unit && a.area === b.area && a.category === b.category && a.channel === b.channel && a.outcome === b.outcome && a.number === b.number && a.place === b.place && a.requester === b.requester;

export class SqliteFacts {
  private readonly st: ReturnType<typeof prepare>;
  private readonly edgeStatements = new Map<string, Statement>();
  /** A drill-down's text: its filters and page size (prepared on every call before). */
  private readonly ticketStatement: (sql: string) => Statement;

  constructor(private readonly db: SqliteDb) {
    this.ticketStatement = preparedBySql(db, 64);
    this.st = prepare(db);
  }

  /** Inside the store's transaction: the ticket's record, marks and daily counts after `event`. */
  write(t: Ticket, event: TicketEvent): void {
    const next = ticketFacts(t);
    const prevDoc = this.st.getFacts.get(t.id) as string | undefined;
    const prev = prevDoc === undefined ? null : (JSON.parse(prevDoc) as TicketFacts);
    const nextDoc = JSON.stringify(next);
    if (prevDoc !== nextDoc) {
      this.st.putFacts.run(t.id, nextDoc);
      const before = new Map((prev ? markRowsOf(prev) : []).map((r) => [r.metric, r]));
      const after = new Map(markRowsOf(next).map((r) => [r.metric, r]));
      for (const [metric, old] of before) {
        const now = after.get(metric);
        if (now && sameRow(old, now)) continue;
        this.st.deleteMark.run(old.ticket_id, old.metric, 0);
        this.count(old, -1);
      }
      for (const [metric, row] of after) {
        const old = before.get(metric);
        if (old && sameRow(old, row)) continue;
        this.st.insertMark.run(row);
        this.count(row, 1);
      }
    }
    const ef = eventFact(t, event);
    if (ef) {
      const row: MarkRow = { ticket_id: t.id, metric: ef.metric, seq: event.seq, at: ef.at, unit: ef.unit, area: ef.area, category: ef.category, channel: ef.channel, outcome: ef.outcome, number: t.number, place: '', requester: '' };
      this.st.insertMark.run(row);
      this.count(row, 1);
    }
  }

  private count(r: MarkRow, delta: 1 | -1): void {
    const day = shanghaiDay(r.at);
    for (const dim of DIMENSIONS) {
      const key = dimensionKey(dim, r, r);
      if (delta > 0) this.st.incDay.run({ dim, day, metric: r.metric, key, outcome: r.outcome });
      else this.st.decDay.run({ dim, day, metric: r.metric, key, outcome: r.outcome });
    }
    for (const [a, b] of DIMENSION_PAIRS) {
      const p = { dim: pairDim(a, b), day, metric: r.metric, key: dimensionKey(a, r, r) + '\u0000' + dimensionKey(b, r, r), outcome: r.outcome };
      if (delta > 0) this.st.incDay.run(p);
      else this.st.decDay.run(p);
    }
  }

  /**
   * Tickets saved before the facts existed: their records from the ticket, their event marks from
   * the history. `eventsOf` reads a ticket's events; runs in batches, each its own transaction.
   */
  backfill(readTicket: (id: string) => Ticket | null, eventsOf: (id: string) => TicketEvent[]): void {
    const batch = this.db.transaction(() => {
      const ids = this.st.pending.all() as string[];
      for (const id of ids) {
        const t = readTicket(id);
        if (t) {
          const events = eventsOf(id);
          const last = events[events.length - 1];
          for (const e of events.slice(0, -1)) {
            const ef = eventFact(t, e);
            if (ef) {
              const row: MarkRow = { ticket_id: t.id, metric: ef.metric, seq: e.seq, at: ef.at, unit: ef.unit, area: ef.area, category: ef.category, channel: ef.channel, outcome: ef.outcome, number: t.number, place: '', requester: '' };
              this.st.insertMark.run(row);
              this.count(row, 1);
            }
          }
          if (last) this.write(t, last);
        }
        this.st.donePending.run(id);
      }
      return ids.length;
    });
    while (batch.immediate() === BATCH);
  }

  counts(q: FactCountQuery): FactCount[] {
    if (!(q.to > q.from)) return [];
    const d0 = shanghaiDay(q.from - 1) + 1; // first day starting at or after `from`
    const d1 = shanghaiDay(q.to); // first day not wholly before `to`
    const out: FactCount[] = [];
    const unit = q.unitId ?? null;
    const then = q.then ?? null;
    const metric = q.metric ?? null;
    if (d0 < d1) {
      const a = shanghaiDayStart(d0);
      const b = shanghaiDayStart(d1);
      if (then !== null && unit === null && KEPT_PAIRS.has(pairDim(q.by, then))) {
        // A kept pair: full days from its daily counts, the key split in two.
        const rows = this.st.days.all({ dim: pairDim(q.by, then), d0, d1, unit: null, metric }) as FactCount[];
        out.push(...rows.map((r) => ({ ...r, key: r.key.slice(0, r.key.indexOf('\u0000')), key2: r.key.slice(r.key.indexOf('\u0000') + 1) })));
      } else if (then === null && (unit === null || q.by === 'unit' || q.by === 'all')) {
        // Full days from the daily counts; a unit's figures read the unit dimension under its key.
        const rows = this.st.days.all({ dim: unit !== null ? 'unit' : q.by, d0, d1, unit, metric }) as FactCount[];
        out.push(...(q.by === 'all' ? rows.map((r) => ({ ...r, key: '*' })) : rows));
      } else {
        // A unit's breakdown by another dimension, or a pair not kept by day: from its marks.
        out.push(...this.edge(q.by, then, a, b, unit, metric));
      }
      out.push(...this.edge(q.by, then, q.from, a, unit, metric), ...this.edge(q.by, then, b, q.to, unit, metric));
    } else {
      out.push(...this.edge(q.by, then, q.from, q.to, unit, metric));
    }
    // Merge the parts (each part read only the metric asked, if any).
    const merged = new Map<string, FactCount>();
    for (const c of out) {
      if (q.metric !== undefined && c.metric !== q.metric) continue;
      const k = `${c.metric}\u0000${c.key}\u0000${c.key2 ?? ''}\u0000${c.outcome}`;
      const m = merged.get(k);
      if (m) m.n += c.n;
      else merged.set(k, { ...c });
    }
    return [...merged.values()];
  }

  /** Counts straight from the marks of [from, to) (a partial day, a unit's breakdown, a pair). */
  private edge(by: Dimension, then: Dimension | null, from: number, to: number, unit: string | null, metric: string | null): FactCount[] {
    if (!(to > from)) return [];
    const second = then === null ? '' : `${COLUMN[then]} AS key2, `;
    const sql = `SELECT metric, ${COLUMN[by]} AS key, ${second}outcome, count(*) AS n FROM fact_marks WHERE at >= @from AND at < @to AND (@unit IS NULL OR unit = @unit) AND (@metric IS NULL OR metric = @metric) GROUP BY metric, key, ${then === null ? '' : 'key2, '}outcome`;
    let s = this.edgeStatements.get(sql);
    if (!s) this.edgeStatements.set(sql, (s = this.db.prepare(sql)));
    return s.all({ from, to, unit, metric }) as FactCount[];
  }

  tickets(q: FactTicketQuery): Page<FactTicket> {
    const limit = Math.max(1, Math.min(1000, Math.floor(q.limit)));
    const [ca, cid] = q.cursor ? decodeCursor(q.cursor, FACTS_CURSOR) : [q.from - 1, ''];
    const params: Record<string, string | number> = { metric: q.metric, from: q.from, to: q.to, ca, cid };
    const where = ['metric = @metric', 'at >= @from', 'at < @to', '(at > @ca OR (at = @ca AND ticket_id > @cid))'];
    if (q.by !== 'all') {
      params.key = q.key;
      where.push(`${COLUMN[q.by]} = @key`);
    }
    if (q.outcomes) {
      params.outcomes = JSON.stringify(q.outcomes);
      where.push('outcome IN (SELECT value FROM json_each(@outcomes))');
    }
    const rows = this.ticketStatement(`SELECT ticket_id AS ticketId, number, at, outcome FROM fact_marks WHERE ${where.join(' AND ')} ORDER BY at, ticket_id LIMIT ${limit + 1}`).all(params) as FactTicket[];
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items, next: rows.length > limit && last ? encodeCursor(FACTS_CURSOR, last.at, last.ticketId) : null };
  }

  places(q: FactGroupQuery): PlaceGroup[] {
    const groups = this.st.places(groupLimit(q)).all(groupParams(q)) as Array<Omit<PlaceGroup, 'numbers'>>;
    if (groups.length === 0) return [];
    const keys = groups.map((g) => g.category + '\u0000' + g.place);
    const numbers = new Map<string, string[]>(keys.map((k) => [k, []]));
    for (const r of this.st.placeNumbers.all({ from: q.from, to: q.to, keys: JSON.stringify(keys) }) as Array<{ k: string; number: string }>) numbers.get(r.k)?.push(r.number);
    return groups.map((g, i) => ({ ...g, numbers: numbers.get(keys[i]!) ?? [] }));
  }

  requesters(q: FactGroupQuery): RequesterGroup[] {
    const rows = this.st.requesters(groupLimit(q)).all(groupParams(q)) as Array<{ requester: string; count: number; categories: string; firstTicketId: string }>;
    return rows.map((r) => ({ requester: r.requester, count: r.count, categories: (JSON.parse(r.categories) as string[]).sort(), firstTicketId: r.firstTicketId }));
  }

  get(ticketId: string): TicketFacts | null {
    const doc = this.st.getFacts.get(ticketId) as string | undefined;
    return doc === undefined ? null : (JSON.parse(doc) as TicketFacts);
  }
}

const groupParams = (q: FactGroupQuery) => ({ from: q.from, to: q.to, min: Math.max(1, Math.floor(q.min)) });
const groupLimit = (q: FactGroupQuery) => Math.max(1, Math.min(1000, Math.floor(q.limit)));

function prepare(db: SqliteDb) {
  return {
    getFacts: db.prepare('SELECT doc FROM ticket_facts WHERE ticket_id = ?').pluck(),
    putFacts: db.prepare('INSERT INTO ticket_facts (ticket_id, doc) VALUES (?, ?) ON CONFLICT (ticket_id) DO UPDATE SET doc = excluded.doc'),
    insertMark: db.prepare(
      'INSERT INTO fact_marks (ticket_id, metric, seq, at, unit, area, category, channel, outcome, number, place, requester) VALUES (@ticket_id, @metric, @seq, @at, @unit, @area, @category, @channel, @outcome, @number, @place, @requester)',
    ),
    deleteMark: db.prepare('DELETE FROM fact_marks WHERE ticket_id = ? AND metric = ? AND seq = ?'),
    incDay: db.prepare('INSERT INTO fact_days (dim, day, metric, key, outcome, n) VALUES (@dim, @day, @metric, @key, @outcome, 1) ON CONFLICT DO UPDATE SET n = n + 1'),
    decDay: db.prepare('UPDATE fact_days SET n = n - 1 WHERE dim = @dim AND day = @day AND metric = @metric AND key = @key AND outcome = @outcome'),
    days: db.prepare(
      'SELECT metric, key, outcome, sum(n) AS n FROM fact_days WHERE dim = @dim AND day >= @d0 AND day < @d1 AND (@unit IS NULL OR key = @unit) AND (@metric IS NULL OR metric = @metric) GROUP BY metric, key, outcome',
    ),
    // Limits written into the SQL, not bound: see ./limited.
    places: limited(
      db,
      (n) => `SELECT category, place, count(*) AS count, count(DISTINCT requester) AS requesters FROM fact_marks
       WHERE metric = 'submitted' AND at >= @from AND at < @to GROUP BY category, place HAVING count(*) >= @min
       ORDER BY count DESC, category, place LIMIT ${n}`,
    ),
    // The first ten numbers of each group asked, in one pass over the period's submissions.
    placeNumbers: db.prepare(
      `SELECT k, number FROM (
         SELECT category || char(0) || place AS k, number, row_number() OVER (PARTITION BY category, place ORDER BY at, ticket_id) AS rn
         FROM fact_marks WHERE metric = 'submitted' AND at >= @from AND at < @to AND category || char(0) || place IN (SELECT value FROM json_each(@keys))
       ) WHERE rn <= 10 ORDER BY k, rn`,
    ),
    // min(at) makes ticket_id that of the first submission (SQLite's bare column with min()).
    requesters: limited(
      db,
      (n) => `SELECT requester, count(*) AS count, json_group_array(DISTINCT category) AS categories, min(at) AS firstAt, ticket_id AS firstTicketId FROM fact_marks
       WHERE metric = 'submitted' AND at >= @from AND at < @to GROUP BY requester HAVING count(*) >= @min
       ORDER BY count DESC, requester LIMIT ${n}`,
    ),
    pending: db.prepare(`SELECT ticket_id FROM fact_pending LIMIT ${BATCH}`).pluck(),
    donePending: db.prepare('DELETE FROM fact_pending WHERE ticket_id = ?'),
  };
}
