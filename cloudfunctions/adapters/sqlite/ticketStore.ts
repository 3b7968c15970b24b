import { createHash } from 'node:crypto';
import type { Statement, Transaction } from 'better-sqlite3';
import type { Ticket, TicketEvent } from '../../../shared/contracts/ticket';
import { DomainError } from '../../../shared/errors';
import type { AlarmStep, AlarmStepResult, CommitExtras, OutboxEffect, Page, TicketQuery, TicketStore } from '../../../shared/ports';
import type { RecentByReporter, TicketSearch } from '../../../shared/ports';
import type { Alarm } from '../../../shared/workflow/alarms';
import { resolveListFilter } from '../../../shared/workflow/states';
import { isSupervised } from '../../../shared/policy';
import { contentHash } from '../../lib/contentHash';
import { summaryOf, type TicketSummary } from '../../../shared/workflow/summary';
import { ftsQuery, phoneKey, phoneTail, searchableText, termStream } from '../../../shared/search/terms';
import { AT_UNIT_STATES, atUnitCondition, type SqliteDb } from './db';
import { ATOMIC_WRITE, BACKGROUND_WRITE, GroupCommit } from './groupCommit';
import { limited, preparedBySql } from './limited';
import { SqliteFacts } from './facts';
import type { FactCount, TicketFacts } from '../../../shared/metrics/facts';
import type { FactCountQuery, FactGroupQuery, FactTicket, FactTicketQuery, PlaceGroup, RequesterGroup } from '../../../shared/ports';
import { decodeCursor, encodeCursor } from '../cursor';

/** Rows per batch of `scan` and `eventsBetween`. */
export const SCAN_BATCH = 1000;
/** Largest page `list` returns, whatever the caller asks. */
export const MAX_PAGE = 1000;
/** Prepared list texts kept at once: one per query shape and page size. */
const MAX_LIST_STATEMENTS = 500;
/** `next_due_at` NULL sorts after every instant in a unit inbox. */
const NO_DUE = Number.MAX_SAFE_INTEGER;

type Order = 'created' | 'due';
type Params = Record<string, string | number | null>;

interface AlarmRow {
  key: string;
  ticket_id: string;
  deadline: string;
  kind: Alarm['kind'];
  threshold: number;
  fire_at: number;
  due_at: number;
  owner: string;
}

interface UnitRow {
  ticket_id: string;
  unit_id: string;
  role: string;
  state: string;
  due_sort: number;
  reworks: number;
  supervised: number;
}
const UNIT_FIELDS = ['role', 'state', 'due_sort', 'reworks', 'supervised'] as const;

interface ListPlan {
  sql: string;
  params: Params;
  order: Order;
  limit: number;
}

const parseTicket = (doc: string): Ticket => JSON.parse(doc) as Ticket;
const parseEvent = (doc: string): TicketEvent => JSON.parse(doc) as TicketEvent;

interface EffectRow {
  doc: string;
  attempts: number;
  status: string;
  next_at: number;
  last_error: string | null;
  updated_at: number;
}

/** The effect's document with its live columns (status, attempts, backoff, last error). */
/** An effect's row for the insert statements. */
function effectRow(e: OutboxEffect) {
  return { id: e.id, ticket_id: e.ticketId, status: e.status, attempts: e.attempts, next_at: e.nextAt, created_at: e.createdAt, updated_at: e.updatedAt, doc: JSON.stringify(e) };
}

function toEffect(r: EffectRow): OutboxEffect {
  const { lastError: _l, ...e } = JSON.parse(r.doc) as OutboxEffect;
  return { ...e, status: r.status as OutboxEffect['status'], attempts: r.attempts, nextAt: r.next_at, updatedAt: r.updated_at, ...(r.last_error !== null ? { lastError: r.last_error } : {}) };
}

function toAlarm(r: AlarmRow): Alarm {
  return { key: r.key, ticketId: r.ticket_id, deadline: r.deadline, kind: r.kind, fireAt: r.fire_at, dueAt: r.due_at, owner: r.owner, threshold: r.threshold };
}

function ticketColumns(t: Ticket): Params {
  return {
    id: t.id,
    number: t.number,
    version: t.version,
    state: t.state,
    profile_id: t.profileId,
    type: t.type,
    category: t.category,
    area: t.location.area ?? null,
    phone: phoneKey(t.requester.phone),
    phone_tail: phoneTail(t.requester.phone),
    channel: t.channel,
    urgency: t.urgency,
    utilities: t.utilities ? 1 : 0,
    requester_id: t.requester.userId ?? null,
    reporter_id: t.reporter.userId,
    lead_unit: t.assignments.find((a) => a.role === 'lead')?.unitId ?? null,
    client_request_id: t.clientRequestId ?? null,
    content_hash: contentHash(t.content),
    created_at: t.createdAt,
    updated_at: t.updatedAt,
    next_due_at: t.nextDueAt ?? null,
    resolved_at: t.resolvedAt ?? null,
    closed_at: t.closedAt ?? null,
    overdue: t.overdue ? 1 : 0,
    supervision_level: t.supervision.level,
    reworks: t.counters.reworks,
    doc: JSON.stringify(t),
  };
}

function bug(message: string): DomainError {
  return new DomainError('internal', message);
}

/**
 * TicketStore on SQLite. Every write is one IMMEDIATE transaction (the write lock is taken at
 * BEGIN, so a check-then-insert cannot race another process); statements are prepared once.
 */
export class SqliteTicketStore implements TicketStore {
  private readonly st: ReturnType<typeof prepareStatements>;
  private readonly listStatement: (sql: string) => Statement;
  private readonly updateStatements = new Map<string, Statement>();
  private readonly createTx: Transaction<(t: Ticket, e: TicketEvent, a: Alarm[], x: CommitExtras) => { ticket: Ticket; created: boolean }>;
  private readonly updateTx: Transaction<(t: Ticket, v: number, e: TicketEvent, a: Alarm[], x: CommitExtras) => void>;
  private readonly claimTx: Transaction<(p: Params) => AlarmRow[]>;
  private readonly stepsTx: Transaction<(runId: string, steps: AlarmStep[]) => AlarmStepResult[]>;
  private readonly factLog: SqliteFacts;
  /** Creates, updates and the drainer's writes of one event-loop turn share a commit (see ./groupCommit). */
  private readonly writes: GroupCommit;

  constructor(private readonly db: SqliteDb) {
    const st = (this.st = prepareStatements(db));
    const factLog = (this.factLog = new SqliteFacts(db));
    this.writes = GroupCommit.of(db);
    this.listStatement = preparedBySql(db, MAX_LIST_STATEMENTS);

    const insertNew = (ticket: Ticket, event: TicketEvent, alarms: Alarm[], effects: OutboxEffect[]) => {
      st.insertTicket.run(ticketColumns(ticket));
      st.putSummary.run(ticket.id, JSON.stringify(summaryOf(ticket)));
      this.writeUnits(ticket);
      this.writeSearch(ticket);
      this.writeEvent(event);
      factLog.write(ticket, event);
      for (const a of alarms) this.writeAlarm(a);
      for (const e of effects) this.writeEffect(e);
    };
    const writeExtras = (x: CommitExtras) => {
      for (const e of x.effects ?? []) this.writeEffect(e);
      for (const c of x.children ?? []) insertNew(c.ticket, c.event, c.alarms, c.effects);
    };

    this.createTx = db.transaction((ticket: Ticket, event: TicketEvent, alarms: Alarm[], x: CommitExtras) => {
      if (ticket.clientRequestId !== undefined) {
        const first = st.byClientRequest.get(ticket.reporter.userId, ticket.clientRequestId) as string | undefined;
        if (first !== undefined) return { ticket: parseTicket(first), created: false };
      }
      insertNew(ticket, event, alarms, []);
      writeExtras(x);
      return { ticket, created: true };
    });

    const applyUpdate = (ticket: Ticket, expectedVersion: number, event: TicketEvent, alarms: Alarm[]) => {
      const columns = ticketColumns(ticket);
      // Only the columns that changed are set: SQLite then leaves alone every index on the others
      // (a timer step or a reply touches 3 of the 17), and writes fewer pages.
      // As an array in LIVE_COLUMNS order (no object of 21 properties per update).
      const old = st.liveColumns.get(ticket.id) as unknown[] | undefined;
      if (!old) throw new DomainError('not-found');
      if (old[0] !== expectedVersion) throw new DomainError('stale-version');
      const set = MUTABLE_COLUMNS.filter((c) => c === 'doc' || c === 'version' || old[LIVE_INDEX[c]!] !== columns[c]);
      const { changes } = this.updateStatement(set).run({ ...columns, expected: expectedVersion });
      if (changes === 0) throw new DomainError('stale-version');
      st.putSummary.run(ticket.id, JSON.stringify(summaryOf(ticket)));
      this.rewriteUnits(ticket);
      this.writeSearch(ticket);
      this.writeEvent(event);
      factLog.write(ticket, event);
      // The ticket's alarms as they are: a pending one no longer wanted is cancelled unless a
      // timer run holds it (its run marks it, or fails on this new version). One the ticket
      // already has, done, held or pending, stays as it is (the upsert would leave it alone too):
      // only new and cancelled ones are written.
      const known = new Map((st.alarmStates.all(ticket.id) as { key: string; status: string; leased: number }[]).map((r) => [r.key, r]));
      const wanted = new Set(alarms.map((a) => a.key));
      for (const r of known.values()) if (r.status === 'pending' && !r.leased && !wanted.has(r.key)) st.cancelAlarm.run(r.key);
      for (const a of alarms) {
        const status = known.get(a.key)?.status;
        if (status === undefined || status === 'cancelled') this.writeAlarm(a);
      }
    };
    const updateBody = (ticket: Ticket, expectedVersion: number, event: TicketEvent, alarms: Alarm[], x: CommitExtras) => {
      applyUpdate(ticket, expectedVersion, event, alarms);
      // The other side of a link or a merge: a stale version rolls the whole commit back.
      for (const r of x.related ?? []) {
        applyUpdate(r.ticket, r.expectedVersion, r.event, r.alarms);
        for (const e of r.effects) this.writeEffect(e);
      }
      writeExtras(x);
    };
    this.updateTx = db.transaction(updateBody);
    // One timer step inside the batch's transaction: a savepoint, rolled back whole if it throws.
    const stepTx = db.transaction((runId: string, step: AlarmStep) => {
      if (step.change) {
        const c = step.change;
        this.checkUpdate(c.ticket, c.expectedVersion, c.event, c.alarms, c.extras ?? {});
        updateBody(c.ticket, c.expectedVersion, c.event, c.alarms, c.extras ?? {});
      }
      if (!this.markDone(step.key, runId, step.outcome)) throw new DomainError('lease-lost');
      // Once by id, as on CloudBase: a mark repeated after a lost completion adds nothing.
      for (const e of step.effects ?? []) st.insertEffectOnce.run(effectRow(e));
    });
    this.stepsTx = db.transaction((runId: string, steps: AlarmStep[]): AlarmStepResult[] =>
      steps.map((step) => {
        try {
          stepTx(runId, step);
          return { key: step.key, saved: true };
        } catch (error) {
          return { key: step.key, saved: false, code: error instanceof DomainError ? error.code : 'store-failed', error };
        }
      }),
    );
    this.claimTx = db.transaction((p: Params) => {
      const rows = st.claim(p.n as number).all(p) as AlarmRow[];
      for (const r of rows) st.lease.run({ key: r.key, runId: p.runId, leaseUntil: p.leaseUntil });
      return rows;
    });
    this.indexPending();
    factLog.backfill(
      (id) => {
        const doc = st.byId.get(id) as string | undefined;
        return doc === undefined ? null : parseTicket(doc);
      },
      (id) => (st.events.all(id) as string[]).map(parseEvent),
    );
  }

  async factCounts(q: FactCountQuery): Promise<FactCount[]> {
    return this.factLog.counts(q);
  }

  async factTickets(q: FactTicketQuery): Promise<Page<FactTicket>> {
    return this.factLog.tickets(q);
  }

  async factPlaces(q: FactGroupQuery): Promise<PlaceGroup[]> {
    return this.factLog.places(q);
  }

  async factRequesters(q: FactGroupQuery): Promise<RequesterGroup[]> {
    return this.factLog.requesters(q);
  }

  async facts(ticketId: string): Promise<TicketFacts | null> {
    return this.factLog.get(ticketId);
  }

  /** Tickets saved before the search index existed (migration 7) get their FTS rows, in batches. */
  private indexPending(): void {
    const batch = this.db.transaction(() => {
      const ids = this.st.pending.all() as string[];
      for (const id of ids) {
        const doc = this.st.byId.get(id) as string | undefined;
        if (doc !== undefined) this.writeSearch(parseTicket(doc));
        this.st.donePending.run(id);
      }
      return ids.length;
    });
    while (batch.immediate() === SCAN_BATCH);
  }

  /**
   * The ticket's FTS row, rewritten only when its title, content or address changed. The hash is
   * of that text (the terms follow from it), so an unchanged ticket costs no tokenising; a row
   * saved when the hash was of the terms is rewritten once, with the same terms.
   */
  private writeSearch(t: Ticket): void {
    const text = searchableText(t);
    const hash = `text:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
    const row = this.st.searchRow.get(t.id) as { rid: number; terms_hash: string } | undefined;
    if (row?.terms_hash === hash) return;
    const terms = termStream(text);
    if (row) {
      this.st.deleteSearch.run(row.rid);
      this.st.insertSearch.run(row.rid, terms);
      this.st.updateSearchRow.run(hash, row.rid);
    } else {
      const rid = Number(this.st.insertSearchRow.run(t.id, hash).lastInsertRowid);
      this.st.insertSearch.run(rid, terms);
    }
  }

  async create(ticket: Ticket, event: TicketEvent, alarms: Alarm[], extras: CommitExtras = {}): Promise<{ ticket: Ticket; created: boolean }> {
    if (ticket.version !== 1 || event.seq !== 1) throw bug(`a new ticket starts at version 1 (got ticket ${ticket.version}, event ${event.seq})`);
    this.checkBelongs(ticket, event, alarms, extras.effects);
    this.checkChildren(extras);
    // createTx and updateTx are transaction functions: a savepoint of their own inside the group.
    return this.writes.run(() => this.createTx(ticket, event, alarms, extras), ATOMIC_WRITE);
  }

  async update(ticket: Ticket, expectedVersion: number, event: TicketEvent, alarms: Alarm[], extras: CommitExtras = {}): Promise<void> {
    this.checkUpdate(ticket, expectedVersion, event, alarms, extras);
    return this.writes.run(() => this.updateTx(ticket, expectedVersion, event, alarms, extras), ATOMIC_WRITE);
  }

  private checkUpdate(ticket: Ticket, expectedVersion: number, event: TicketEvent, alarms: Alarm[], extras: CommitExtras): void {
    if (ticket.version !== expectedVersion + 1 || event.seq !== ticket.version) {
      throw bug(`version ${expectedVersion} must become ${expectedVersion + 1} (ticket ${ticket.version}, event ${event.seq})`);
    }
    this.checkBelongs(ticket, event, alarms, extras.effects);
    this.checkChildren(extras);
  }

  async claimEffects(runId: string, now: number, limit: number, leaseMs: number): Promise<OutboxEffect[]> {
    // One statement (UPDATE … RETURNING), in the group's IMMEDIATE transaction.
    const claim = this.st.claimEffects(Math.max(1, Math.floor(limit)));
    const rows = await this.writes.run(() => claim.all({ runId, now, leaseUntil: now + leaseMs }) as EffectRow[], BACKGROUND_WRITE);
    return rows.map(toEffect).sort((a, b) => a.nextAt - b.nextAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async settleEffect(id: string, runId: string, patch: Pick<OutboxEffect, 'status' | 'attempts' | 'nextAt' | 'updatedAt'> & { lastError?: string }): Promise<boolean> {
    const row = { id, runId, status: patch.status, attempts: patch.attempts, next_at: patch.nextAt, updated_at: patch.updatedAt, last_error: patch.lastError ?? null };
    return this.writes.run(() => this.st.settleEffect.run(row).changes === 1, BACKGROUND_WRITE);
  }

  async addEffectsOnce(effects: OutboxEffect[]): Promise<string[]> {
    return this.db.transaction(() => effects.filter((e) => this.st.insertEffectOnce.run(effectRow(e)).changes === 1).map((e) => e.id)).immediate();
  }

  async listEffects(status: OutboxEffect['status'], limit: number): Promise<OutboxEffect[]> {
    return (this.st.listEffects(Math.min(MAX_PAGE, Math.max(1, Math.floor(limit)))).all(status) as EffectRow[]).map(toEffect);
  }

  async retryEffect(id: string, now: number): Promise<boolean> {
    return this.st.retryEffect.run({ id, now }).changes === 1;
  }

  async get(id: string): Promise<Ticket | null> {
    const doc = this.st.byId.get(id) as string | undefined;
    return doc === undefined ? null : parseTicket(doc);
  }

  async getByNumber(number: string): Promise<Ticket | null> {
    const doc = this.st.byNumber.get(number) as string | undefined;
    return doc === undefined ? null : parseTicket(doc);
  }

  async findByClientRequestId(reporterId: string, clientRequestId: string): Promise<Ticket | null> {
    const doc = this.st.byClientRequest.get(reporterId, clientRequestId) as string | undefined;
    return doc === undefined ? null : parseTicket(doc);
  }

  async events(ticketId: string): Promise<TicketEvent[]> {
    return (this.st.events.all(ticketId) as string[]).map(parseEvent);
  }

  async list(q: TicketQuery): Promise<Page<Ticket>> {
    return this.listOf(q, 'doc', parseTicket);
  }

  /**
   * From `ticket_summaries`, written in the same transaction as every ticket write (writeSummary).
   * A ticket saved before migration 190 has no summary until its next write: its document is read
   * instead (a Ticket is a TicketSummary too), so no backfill pass over the table is needed.
   */
  async listSummaries(q: TicketQuery): Promise<Page<TicketSummary>> {
    return this.listOf(q, 'summary', (s) => JSON.parse(s) as TicketSummary);
  }

  private listOf<T>(q: TicketQuery, read: 'doc' | 'summary', parse: (s: string) => T): Page<T> {
    const plan = this.planList(q, read);
    if (!plan) return { items: [], next: null };
    const rows = this.listStatement(plan.sql).all(plan.params) as { k1: number; k2: string; doc: string }[];
    const page = rows.slice(0, plan.limit);
    const last = page[page.length - 1];
    return { items: page.map((r) => parse(r.doc)), next: rows.length > plan.limit && last ? encodeCursor(plan.order, last.k1, last.k2) : null };
  }

  /** Tickets created or updated in [from, to): first by creation, then the older ones updated in the period. */
  async *scan(fromMs: number, toMs: number, unitId?: string): AsyncIterable<Ticket> {
    const unit = unitId ?? null;
    let c = fromMs;
    let id = '';
    for (;;) {
      const rows = this.st.scanCreated.all({ from: fromMs, to: toMs, c, id, unit }) as { created_at: number; id: string; doc: string }[];
      for (const r of rows) yield parseTicket(r.doc);
      if (rows.length < SCAN_BATCH) break;
      const last = rows[rows.length - 1]!;
      c = last.created_at;
      id = last.id;
    }
    let u = fromMs;
    let rowid = 0;
    for (;;) {
      const rows = this.st.scanUpdated.all({ from: fromMs, to: toMs, c: u, r: rowid, unit }) as { updated_at: number; rowid: number; doc: string }[];
      for (const r of rows) yield parseTicket(r.doc);
      if (rows.length < SCAN_BATCH) break;
      const last = rows[rows.length - 1]!;
      u = last.updated_at;
      rowid = last.rowid;
    }
  }

  /** Events with `at` in [from, to), oldest first. */
  async *eventsBetween(fromMs: number, toMs: number): AsyncIterable<TicketEvent> {
    let c = fromMs;
    let rowid = 0;
    for (;;) {
      const rows = this.st.eventsBetween.all({ c, r: rowid, to: toMs }) as { at: number; rowid: number; doc: string }[];
      for (const r of rows) yield parseEvent(r.doc);
      if (rows.length < SCAN_BATCH) break;
      const last = rows[rows.length - 1]!;
      c = last.at;
      rowid = last.rowid;
    }
  }

  async recentByReporter(reporterId: string, sinceMs: number, contentHash?: string): Promise<RecentByReporter> {
    const count = this.st.countByReporter.get(reporterId, sinceMs) as number;
    const same = contentHash === undefined ? undefined : (this.st.sameContent.get(reporterId, contentHash, sinceMs) as { id: string; number: string } | undefined);
    return same ? { count, duplicate: true, duplicateOf: { id: same.id, number: same.number } } : { count, duplicate: false };
  }

  async claimAlarms(runId: string, now: number, limit: number, leaseMs: number): Promise<Alarm[]> {
    const n = Math.floor(limit);
    if (!(n > 0)) return [];
    if (!(leaseMs > 0)) throw new DomainError('invalid-input', 'lease must be positive');
    const rows = this.claimTx.immediate({ runId, now, n, leaseUntil: now + leaseMs });
    return rows.sort((a, b) => a.fire_at - b.fire_at || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map(toAlarm);
  }

  async completeAlarm(key: string, runId: string, outcome: string, effects: OutboxEffect[] = []): Promise<boolean> {
    // The mark and the reminder's notices in one transaction: a run that lost its lease saves neither.
    return this.db.transaction(() => {
      if (!this.markDone(key, runId, outcome)) return false;
      // Once by id, as on CloudBase: a mark repeated after a lost completion adds nothing.
      for (const e of effects) this.st.insertEffectOnce.run(effectRow(e));
      return true;
    }).immediate();
  }

  /** Inside a transaction: the alarm marked done by the run that holds its lease, and the lease let go. */
  private markDone(key: string, runId: string, outcome: string): boolean {
    const attempts = this.st.leaseOf.get(key, runId) as number | undefined;
    if (attempts === undefined) return false;
    if (this.st.completeAlarm.run({ key, runId, outcome, attempts }).changes !== 1) return false;
    this.st.releaseLease.run(key);
    return true;
  }

  /** One transaction for the whole batch (one commit instead of one or two per alarm), a savepoint per step. */
  async completeAlarms(runId: string, steps: AlarmStep[]): Promise<AlarmStepResult[]> {
    if (!steps.length) return [];
    return this.stepsTx.immediate(runId, steps);
  }

  /** The query plan of `list(q)`, one line per step: for tests and for checking a slow list. */
  explainList(q: TicketQuery, read: 'doc' | 'summary' = 'doc'): string[] {
    const plan = this.planList(q, read);
    if (!plan) return [];
    return (this.db.prepare(`EXPLAIN QUERY PLAN ${plan.sql}`).all(plan.params) as { detail: string }[]).map((r) => r.detail);
  }

  /** The query plan of the alarm claim. */
  explainClaim(): string[] {
    return (this.db.prepare(`EXPLAIN QUERY PLAN ${claimSql(1)}`).all({ now: 0 }) as { detail: string }[]).map((r) => r.detail);
  }

  private checkBelongs(ticket: Ticket, event: TicketEvent, alarms: Alarm[], effects: OutboxEffect[] = []): void {
    if (event.ticketId !== ticket.id) throw bug(`event ${event.id} is not of ticket ${ticket.id}`);
    for (const a of alarms) if (a.ticketId !== ticket.id) throw bug(`alarm ${a.key} is not of ticket ${ticket.id}`);
    for (const e of effects) if (e.ticketId !== ticket.id) throw bug(`effect ${e.id} is not of ticket ${ticket.id}`);
  }

  private checkChildren(x: CommitExtras): void {
    for (const c of x.children ?? []) {
      if (c.ticket.version !== 1 || c.event.seq !== 1) throw bug(`a new ticket starts at version 1 (child ${c.ticket.id})`);
      this.checkBelongs(c.ticket, c.event, c.alarms, c.effects);
    }
    for (const r of x.related ?? []) {
      if (r.ticket.version !== r.expectedVersion + 1 || r.event.seq !== r.ticket.version) throw bug(`related ${r.ticket.id}: version ${r.expectedVersion} must become ${r.expectedVersion + 1}`);
      this.checkBelongs(r.ticket, r.event, r.alarms, r.effects);
    }
  }

  private writeEffect(e: OutboxEffect): void {
    this.st.insertEffect.run(effectRow(e));
  }

  /** The ticket's `ticket_units` rows: one per unit, the first (lead) assignment of a unit listed twice. */
  private unitRows(t: Ticket): UnitRow[] {
    const supervised = isSupervised(t) ? 1 : 0;
    const due = t.nextDueAt ?? NO_DUE;
    const rows = new Map<string, UnitRow>();
    for (const a of t.assignments) {
      if (!rows.has(a.unitId)) rows.set(a.unitId, { ticket_id: t.id, unit_id: a.unitId, role: a.role, state: t.state, due_sort: due, reworks: t.counters.reworks, supervised });
    }
    return [...rows.values()];
  }

  private writeUnits(t: Ticket): void {
    for (const r of this.unitRows(t)) this.st.insertUnit.run(r);
  }

  /** After an update: the rows are rewritten only when one of them differs from what is stored. */
  private rewriteUnits(t: Ticket): void {
    const want = this.unitRows(t);
    const have = new Map((this.st.units.all(t.id) as UnitRow[]).map((r) => [r.unit_id, r]));
    const same = have.size === want.length && want.every((r) => {
      const h = have.get(r.unit_id);
      return h !== undefined && UNIT_FIELDS.every((f) => h[f] === r[f]);
    });
    if (same) return;
    // Row by row: an UPDATE rewrites only the indexes whose columns changed (a 督办 changes the
    // supervised flag, an overdue mark nothing here), where delete-and-insert rewrote all three.
    const wanted = new Set(want.map((r) => r.unit_id));
    for (const id of have.keys()) if (!wanted.has(id)) this.st.deleteUnit.run(t.id, id);
    for (const r of want) {
      const h = have.get(r.unit_id);
      if (!h) this.st.insertUnit.run(r);
      else if (!UNIT_FIELDS.every((f) => h[f] === r[f])) this.st.updateUnit.run(r);
    }
  }

  /** `UPDATE tickets` setting these columns, prepared once per set. */
  private updateStatement(set: readonly string[]): Statement {
    const key = set.join(',');
    let s = this.updateStatements.get(key);
    if (!s) this.updateStatements.set(key, (s = this.db.prepare(`UPDATE tickets SET ${set.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id AND version = @expected`)));
    return s;
  }

  private writeEvent(e: TicketEvent): void {
    this.st.insertEvent.run({ ticket_id: e.ticketId, seq: e.seq, at: e.at, type: e.type, actor_id: e.actor.userId, doc: JSON.stringify(e) });
  }

  private writeAlarm(a: Alarm): void {
    this.st.upsertAlarm.run({ key: a.key, ticket_id: a.ticketId, deadline: a.deadline, kind: a.kind, threshold: a.threshold, fire_at: a.fireAt, due_at: a.dueAt, owner: a.owner });
  }

  /**
   * One SQL text per query shape. A unit's inbox walks `ticket_units` by due instant; other lists
   * walk `tickets` newest first. Several states (or requester OR reporter) become one branch each,
   * every branch an index walk of at most limit+1 rows, merged by UNION ALL: the cost follows the
   * page size, not the table size.
   */
  private planList(q: TicketQuery, read: 'doc' | 'summary' = 'doc'): ListPlan | null {
    const limit = Math.min(MAX_PAGE, Math.max(1, Math.floor(q.limit) || 1));
    const order: Order = q.unitId !== undefined ? 'due' : 'created';
    const params: Params = {};
    // One row more than the page, to know whether there is a next one; a number in the SQL (see ./limited).
    const take = limit + 1;
    const filter = resolveListFilter(q);
    if (!filter) return null;
    const { rework, supervised } = filter;
    const chosen: string[] | null = filter.states;

    const common: string[] = [];
    if (order === 'due') {
      params.unitId = q.unitId!;
      common.push('u.unit_id = @unitId');
      if (rework) common.push('u.reworks > 0');
      if (supervised) common.push('u.supervised = 1');
    } else {
      if (rework) common.push('t.reworks > 0');
      // `isSupervised` (shared/policy) in SQL, written exactly as the partial index tickets_supervised's WHERE, so the planner can use it.
      if (supervised) common.push('(t.supervision_level > 0 OR t.overdue = 1)');
    }
    if (q.search) common.push(...searchConditions(q.search, params));
    if (q.cursor) {
      const [c1, c2] = decodeCursor(q.cursor, order);
      params.c1 = c1;
      params.c2 = c2;
      common.push(order === 'due' ? 'u.due_sort >= @c1 AND (u.due_sort > @c1 OR u.ticket_id > @c2)' : 't.created_at <= @c1 AND (t.created_at < @c1 OR t.id < @c2)');
    }

    const who: { col: string; param: string }[] = [];
    if (q.requesterId !== undefined) {
      params.requesterId = q.requesterId;
      who.push({ col: 't.requester_id', param: '@requesterId' });
    }
    if (q.reporterId !== undefined) {
      params.reporterId = q.reporterId;
      who.push({ col: 't.reporter_id', param: '@reporterId' });
    }
    // A unit's 全部: one walk of the partial index that holds exactly these states (migration 190).
    const atUnit = order === 'due' && chosen !== null && chosen.length === AT_UNIT_STATES.length && AT_UNIT_STATES.every((x) => chosen.includes(x));
    const stateParams = atUnit ? undefined : chosen?.map((s, i) => {
      params[`s${i}`] = s;
      return `@s${i}`;
    });

    let branches: string[][];
    if (order === 'created' && who.length > 0) {
      // A person's list: one branch per column (requester OR reporter), the later ones skipping the earlier ones' rows.
      const inStates = stateParams ? [`t.state IN (${stateParams.join(', ')})`] : [];
      branches = who.map((w, i) => [`${w.col} = ${w.param}`, ...who.slice(0, i).map((p) => `${p.col} IS NOT ${p.param}`), ...inStates]);
    } else {
      if (who.length > 0) common.push(`(${who.map((w) => `${w.col} = ${w.param}`).join(' OR ')})`);
      const stateCol = order === 'due' ? 'u.state' : 't.state';
      branches = atUnit ? [[atUnitCondition('u.')]] : stateParams ? stateParams.map((p) => [`${stateCol} = ${p}`]) : [[]];
    }

    const dir = order === 'due' ? 'ASC' : 'DESC';
    if (read === 'doc') {
      const selects = branches.map((b) => {
        const where = [...b, ...common];
        const cond = where.length ? ` WHERE ${where.join(' AND ')}` : '';
        return order === 'due'
          ? `SELECT u.due_sort AS k1, u.ticket_id AS k2, t.doc AS doc FROM ticket_units u CROSS JOIN tickets t ON t.id = u.ticket_id${cond} ORDER BY u.due_sort, u.ticket_id LIMIT ${take}`
          : `SELECT t.created_at AS k1, t.id AS k2, t.doc AS doc FROM tickets t${cond} ORDER BY t.created_at DESC, t.id DESC LIMIT ${take}`;
      });
      const sql = selects.length === 1 ? selects[0]! : `${selects.map((s) => `SELECT k1, k2, doc FROM (${s})`).join(' UNION ALL ')} ORDER BY k1 ${dir}, k2 ${dir} LIMIT ${take}`;
      return { sql, params, order, limit };
    }
    // Summaries: each branch walks keys only (a unit's inbox without a search never touches
    // `tickets`), and the summaries are read once, for the rows the merged page keeps.
    const selects = branches.map((b) => {
      const where = [...b, ...common];
      const cond = where.length ? ` WHERE ${where.join(' AND ')}` : '';
      if (order === 'created') return `SELECT t.created_at AS k1, t.id AS k2 FROM tickets t${cond} ORDER BY t.created_at DESC, t.id DESC LIMIT ${take}`;
      const join = where.some((c) => /\bt\./.test(c)) ? ' CROSS JOIN tickets t ON t.id = u.ticket_id' : '';
      return `SELECT u.due_sort AS k1, u.ticket_id AS k2 FROM ticket_units u${join}${cond} ORDER BY u.due_sort, u.ticket_id LIMIT ${take}`;
    });
    const keys = selects.length === 1 ? selects[0]! : `${selects.map((s) => `SELECT k1, k2 FROM (${s})`).join(' UNION ALL ')} ORDER BY k1 ${dir}, k2 ${dir} LIMIT ${take}`;
    const sql = `SELECT k.k1 AS k1, k.k2 AS k2, coalesce(s.doc, (SELECT doc FROM tickets WHERE id = k.k2)) AS doc FROM (${keys}) k LEFT JOIN ticket_summaries s ON s.ticket_id = k.k2 ORDER BY k.k1 ${dir}, k.k2 ${dir}`;
    return { sql, params, order, limit };
  }
}

/**
 * Search filters as conditions on `t` (tickets). Each has an index: the equality columns lead an
 * index with (created_at, id) after them, words go through FTS5, flags through partial indexes.
 */
function searchConditions(s: TicketSearch, params: Params): string[] {
  const out: string[] = [];
  const eq = (col: string, key: string, v: string | undefined) => {
    if (v === undefined) return;
    params[key] = v;
    out.push(`t.${col} = @${key}`);
  };
  eq('number', 'sNumber', s.number);
  eq('phone', 'sPhone', s.phone);
  eq('phone_tail', 'sTail', s.phoneTail);
  eq('category', 'sCategory', s.category);
  eq('area', 'sArea', s.area);
  eq('channel', 'sChannel', s.channel);
  eq('urgency', 'sUrgency', s.urgency);
  if (s.words?.length) {
    params.sFts = ftsQuery(s.words);
    out.push('t.id IN (SELECT r.ticket_id FROM ticket_search f CROSS JOIN ticket_search_rows r ON r.rid = f.rowid WHERE ticket_search MATCH @sFts)');
  }
  if (s.assignedUnitId !== undefined) {
    params.sUnit = s.assignedUnitId;
    out.push('t.id IN (SELECT ticket_id FROM ticket_units WHERE unit_id = @sUnit)');
  }
  // Written exactly as the partial indexes' WHERE, so the planner can use them.
  if (s.utilities) out.push('t.utilities = 1');
  if (s.overdue) out.push('t.overdue = 1');
  if (s.dueBetween) {
    params.sDueFrom = s.dueBetween.from;
    params.sDueTo = s.dueBetween.to;
    out.push('t.next_due_at > @sDueFrom AND t.next_due_at <= @sDueTo');
  }
  if (s.createdFrom !== undefined) {
    params.sFrom = s.createdFrom;
    out.push('t.created_at >= @sFrom');
  }
  if (s.createdTo !== undefined) {
    params.sTo = s.createdTo;
    out.push('t.created_at < @sTo');
  }
  return out;
}

/**
 * The due alarms a claim takes: pending, due, and with no live lease (a lease row whose
 * lease_until has passed belongs to a run that stopped: its alarm is taken again), in fire order.
 */
const claimSql = (n: number) => `
  SELECT key, ticket_id, deadline, kind, threshold, fire_at, due_at, owner FROM alarms
  WHERE status = 'pending' AND fire_at <= @now
    AND NOT EXISTS (SELECT 1 FROM alarm_leases l WHERE l.key = alarms.key AND l.lease_until >= @now)
  ORDER BY fire_at, key LIMIT ${n}`;

const TICKET_COLUMNS = [
  'id', 'number', 'version', 'state', 'profile_id', 'type', 'category', 'area', 'requester_id', 'reporter_id', 'lead_unit',
  'client_request_id', 'content_hash', 'created_at', 'updated_at', 'next_due_at', 'resolved_at', 'closed_at', 'overdue',
  'supervision_level', 'reworks', 'phone', 'phone_tail', 'channel', 'urgency', 'utilities', 'doc',
];
/** A ticket's number, reporter, client request id and creation time never change. */
const MUTABLE_COLUMNS = TICKET_COLUMNS.filter((c) => !['id', 'number', 'reporter_id', 'client_request_id', 'created_at'].includes(c));
/** The columns an update compares before it sets them (version first), and where each is in that row. */
const LIVE_COLUMNS = ['version', ...MUTABLE_COLUMNS.filter((c) => c !== 'doc' && c !== 'version')];
const LIVE_INDEX: Record<string, number> = Object.fromEntries(LIVE_COLUMNS.map((c, i) => [c, i]));

function prepareStatements(db: SqliteDb) {
  return {
    insertTicket: db.prepare(`INSERT INTO tickets (${TICKET_COLUMNS.join(', ')}) VALUES (${TICKET_COLUMNS.map((c) => `@${c}`).join(', ')})`),
    liveColumns: db.prepare(`SELECT ${LIVE_COLUMNS.join(', ')} FROM tickets WHERE id = ?`).raw(),
    byId: db.prepare('SELECT doc FROM tickets WHERE id = ?').pluck(),
    byNumber: db.prepare('SELECT doc FROM tickets WHERE number = ?').pluck(),
    byClientRequest: db.prepare('SELECT doc FROM tickets WHERE reporter_id = ? AND client_request_id = ?').pluck(),
    deleteUnit: db.prepare('DELETE FROM ticket_units WHERE ticket_id = ? AND unit_id = ?'),
    updateUnit: db.prepare(
      'UPDATE ticket_units SET role = @role, state = @state, due_sort = @due_sort, reworks = @reworks, supervised = @supervised WHERE ticket_id = @ticket_id AND unit_id = @unit_id',
    ),
    units: db.prepare('SELECT unit_id, role, state, due_sort, reworks, supervised FROM ticket_units WHERE ticket_id = ?'),
    putSummary: db.prepare('INSERT INTO ticket_summaries (ticket_id, doc) VALUES (?, ?) ON CONFLICT (ticket_id) DO UPDATE SET doc = excluded.doc'),
    // OR IGNORE: a unit listed twice keeps its first (lead) row (unitRows already keeps only that one).
    insertUnit: db.prepare(
      'INSERT OR IGNORE INTO ticket_units (ticket_id, unit_id, role, state, due_sort, reworks, supervised) VALUES (@ticket_id, @unit_id, @role, @state, @due_sort, @reworks, @supervised)',
    ),
    insertEvent: db.prepare('INSERT INTO events (ticket_id, seq, at, type, actor_id, doc) VALUES (@ticket_id, @seq, @at, @type, @actor_id, @doc)'),
    events: db.prepare('SELECT doc FROM events WHERE ticket_id = ? ORDER BY seq').pluck(),
    // A key seen before: done and claimed alarms stay as they are; a cancelled one comes back (same deadline again).
    upsertAlarm: db.prepare(`
      INSERT INTO alarms (key, ticket_id, deadline, kind, threshold, fire_at, due_at, owner, status)
      VALUES (@key, @ticket_id, @deadline, @kind, @threshold, @fire_at, @due_at, @owner, 'pending')
      ON CONFLICT (key) DO UPDATE SET status = 'pending', fire_at = excluded.fire_at, due_at = excluded.due_at, owner = excluded.owner,
        threshold = excluded.threshold, run_id = NULL, lease_until = NULL
      WHERE alarms.status = 'cancelled'`),
    cancelAlarm: db.prepare("UPDATE alarms SET status = 'cancelled' WHERE key = ? AND status = 'pending'"),
    alarmStates: db.prepare('SELECT a.key, a.status, l.key IS NOT NULL AS leased FROM alarms a LEFT JOIN alarm_leases l ON l.key = a.key WHERE a.ticket_id = ?'),
    // Limits written into the SQL, not bound: see ./limited.
    claim: limited(db, claimSql),
    // A lease taken again (after its run stopped) counts one more attempt.
    lease: db.prepare(`
      INSERT INTO alarm_leases (key, run_id, lease_until, attempts) VALUES (@key, @runId, @leaseUntil, 1)
      ON CONFLICT (key) DO UPDATE SET run_id = excluded.run_id, lease_until = excluded.lease_until, attempts = attempts + 1`),
    insertEffect: db.prepare('INSERT INTO effects (id, ticket_id, status, attempts, next_at, created_at, updated_at, doc) VALUES (@id, @ticket_id, @status, @attempts, @next_at, @created_at, @updated_at, @doc)'),
    insertEffectOnce: db.prepare('INSERT OR IGNORE INTO effects (id, ticket_id, status, attempts, next_at, created_at, updated_at, doc) VALUES (@id, @ticket_id, @status, @attempts, @next_at, @created_at, @updated_at, @doc)'),
    claimEffects: limited(
      db,
      (n) => `
      UPDATE effects SET run_id = @runId, lease_until = @leaseUntil
      WHERE id IN (
        SELECT id FROM effects WHERE status = 'pending' AND next_at <= @now AND (lease_until IS NULL OR lease_until < @now)
        ORDER BY next_at, id LIMIT ${n}
      )
      RETURNING doc, attempts, status, next_at, last_error, updated_at`,
    ),
    settleEffect: db.prepare(`
      UPDATE effects SET status = @status, attempts = @attempts, next_at = @next_at, updated_at = @updated_at, last_error = @last_error, run_id = NULL, lease_until = NULL
      WHERE id = @id AND run_id = @runId`),
    listEffects: limited(db, (n) => `SELECT doc, attempts, status, next_at, last_error, updated_at FROM effects WHERE status = ? ORDER BY updated_at DESC, id DESC LIMIT ${n}`),
    retryEffect: db.prepare("UPDATE effects SET status = 'pending', attempts = 0, next_at = @now, updated_at = @now, run_id = NULL, lease_until = NULL WHERE id = @id AND status = 'failed'"),
    // Only by the run that holds the lease (expired or not, as long as no other run took it).
    leaseOf: db.prepare('SELECT attempts FROM alarm_leases WHERE key = ? AND run_id = ?').pluck(),
    completeAlarm: db.prepare("UPDATE alarms SET status = 'done', outcome = @outcome, run_id = @runId, attempts = @attempts WHERE key = @key AND status = 'pending'"),
    releaseLease: db.prepare('DELETE FROM alarm_leases WHERE key = ?'),
    countByReporter: db.prepare('SELECT COUNT(*) FROM tickets WHERE reporter_id = ? AND created_at >= ?').pluck(),
    sameContent: db.prepare('SELECT id, number FROM tickets WHERE reporter_id = ? AND content_hash = ? AND created_at >= ? LIMIT 1'),
    scanCreated: db.prepare(`
      SELECT created_at, id, doc FROM tickets
      WHERE created_at >= @c AND created_at < @to AND (created_at > @c OR id > @id) AND created_at >= @from
        AND (@unit IS NULL OR EXISTS (SELECT 1 FROM ticket_units u WHERE u.ticket_id = tickets.id AND u.unit_id = @unit))
      ORDER BY created_at, id LIMIT ${SCAN_BATCH}`),
    scanUpdated: db.prepare(`
      SELECT updated_at, rowid, doc FROM tickets
      WHERE updated_at >= @c AND updated_at < @to AND (updated_at > @c OR rowid > @r) AND updated_at >= @from
        AND NOT (created_at >= @from AND created_at < @to)
        AND (@unit IS NULL OR EXISTS (SELECT 1 FROM ticket_units u WHERE u.ticket_id = tickets.id AND u.unit_id = @unit))
      ORDER BY updated_at, rowid LIMIT ${SCAN_BATCH}`),
    eventsBetween: db.prepare(`SELECT at, rowid, doc FROM events WHERE at >= @c AND at < @to AND (at > @c OR rowid > @r) ORDER BY at, rowid LIMIT ${SCAN_BATCH}`),
    searchRow: db.prepare('SELECT rid, terms_hash FROM ticket_search_rows WHERE ticket_id = ?'),
    insertSearchRow: db.prepare('INSERT INTO ticket_search_rows (ticket_id, terms_hash) VALUES (?, ?)'),
    updateSearchRow: db.prepare('UPDATE ticket_search_rows SET terms_hash = ? WHERE rid = ?'),
    insertSearch: db.prepare('INSERT INTO ticket_search (rowid, terms) VALUES (?, ?)'),
    deleteSearch: db.prepare('DELETE FROM ticket_search WHERE rowid = ?'),
    pending: db.prepare(`SELECT ticket_id FROM ticket_search_pending LIMIT ${SCAN_BATCH}`).pluck(),
    donePending: db.prepare('DELETE FROM ticket_search_pending WHERE ticket_id = ?'),
  };
}
