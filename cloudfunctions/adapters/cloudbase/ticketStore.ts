import type { Ticket, TicketEvent } from '../../../shared/contracts/ticket';
import { DomainError } from '../../../shared/errors';
import type { AlarmStep, AlarmStepResult, CommitExtras, NewTicket, OutboxEffect, Page, RecentByReporter, TicketQuery, TicketSearch, TicketStore } from '../../../shared/ports';
import { bigramsOf, matchesWords, phoneKey, phoneTail, searchableText, termSet } from '../../../shared/search/terms';
import type { Alarm } from '../../../shared/workflow/alarms';
import { resolveListFilter } from '../../../shared/workflow/states';
import { isSupervised } from '../../../shared/policy';
import { contentHash } from '../../lib/contentHash';
import { summaryOf, type TicketSummary } from '../../../shared/workflow/summary';
import { eventFact, ticketFacts, type EventFact, type FactCount, type TicketFacts } from '../../../shared/metrics/facts';
import type { FactCountQuery, FactGroupQuery, FactTicket, FactTicketQuery, PlaceGroup, RequesterGroup } from '../../../shared/ports';
import { CloudFacts } from './facts';
import type { CloudCollection, CloudDb, CloudStoreOptions, Doc, Where } from './db';
import { MAX_ROWS, firstDoc, isDuplicate, keysOf, page, readAll, scanAll, sha256, type SortKey } from './query';
import { decodeCursor, encodeCursor } from '../cursor';

/** Collection names. */
export const TICKETS = 'tickets';
export const EVENTS = 'events';
export const ALARMS = 'alarms';
export const REQUESTS = 'requests';
/** The transactional outbox: one document per effect, `_id` = the effect's stable id. */
export const EFFECTS = 'effects';
export const TICKET_COLLECTIONS = [TICKETS, EVENTS, ALARMS, REQUESTS, EFFECTS] as const;

/** Largest page `list` returns, whatever the caller asks (one CloudBase query). */
export const MAX_PAGE = MAX_ROWS;
/** `nextDueAt` null sorts after every instant in a unit inbox. */
const NO_DUE = Number.MAX_SAFE_INTEGER;
/** Alarms claimed concurrently per round trip batch. */
const CLAIM_PARALLEL = 20;
/** Candidate rounds of one claim, when other runs take the candidates first. */
const CLAIM_ROUNDS = 5;
/** Times `update` finishes another writer's outbox and tries again before giving up. */
const UPDATE_ATTEMPTS = 3;

type Order = 'created' | 'due';

const ORDER_KEYS: Record<Order, SortKey[]> = {
  created: [
    { field: 'createdAt', dir: 'desc' },
    { field: '_id', dir: 'desc' },
  ],
  due: [
    { field: 'dueSort', dir: 'asc' },
    { field: '_id', dir: 'asc' },
  ],
};

/** What one ticket document carries besides the ticket: fields the queries filter and sort on. */
interface IndexFields {
  number: string;
  state: string;
  requesterId: string | null;
  reporterId: string;
  unitIds: string[];
  leadUnit: string | null;
  nextDueAt: number | null;
  dueSort: number;
  createdAt: number;
  updatedAt: number;
  clientRequestKey: string | null;
  contentHash: string;
  supervisionLevel: number;
  reworks: number;
  overdue: boolean;
  /** Supervised (level > 0) or overdue: the supervision queue and the 督办 inbox. */
  supervised: boolean;
  /** Search fields (INDEXES.md): phone digits, its last four, classification, and the text's bigrams (multikey). */
  phone: string | null;
  phoneTail: string | null;
  channel: string;
  urgency: string;
  utilities: boolean;
  category: string;
  area: string | null;
  searchTerms: string[];
}

/** The state change not yet applied to `events` and `alarms` (see the class comment). */
interface Outbox {
  event: TicketEvent;
  alarms: Alarm[];
  /** Effects of the change and children it creates: written by `flush`, idempotently, like the event. */
  effects?: OutboxEffect[];
  children?: NewTicket[];
  /** The event's facts mark (shared/metrics/facts.ts), stored on the event document. */
  fact?: StoredEventFact | null;
}

interface EffectDoc {
  _id: string;
  ticketId: string;
  status: OutboxEffect['status'];
  attempts: number;
  nextAt: number;
  runId: string | null;
  leaseUntil: number | null;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
  effect: OutboxEffect;
}

function effectDoc(e: OutboxEffect): EffectDoc {
  return { _id: e.id, ticketId: e.ticketId, status: e.status, attempts: e.attempts, nextAt: e.nextAt, runId: null, leaseUntil: null, lastError: e.lastError ?? null, createdAt: e.createdAt, updatedAt: e.updatedAt, effect: e };
}

function toEffect(d: EffectDoc): OutboxEffect {
  const { lastError: _l, ...e } = d.effect;
  return { ...e, status: d.status, attempts: d.attempts, nextAt: d.nextAt, updatedAt: d.updatedAt, ...(d.lastError !== null ? { lastError: d.lastError } : {}) };
}

type StoredEventFact = EventFact & { number: string };

interface TicketDoc extends IndexFields {
  _id: string;
  version: number;
  ticket: Ticket;
  /** What a list row shows (shared/workflow/summary.ts), written with the ticket; absent on documents written before issue 19. */
  summary?: TicketSummary;
  outbox: Outbox;
  outboxPending: boolean;
  /** The facts record (shared/metrics/facts.ts), committed with the ticket. */
  facts: TicketFacts;
}

interface AlarmDoc {
  _id: string;
  ticketId: string;
  deadline: string;
  kind: Alarm['kind'];
  threshold: number;
  fireAt: number;
  dueAt: number;
  owner: string;
  status: 'pending' | 'claimed' | 'done' | 'cancelled';
  runId: string | null;
  leaseUntil: number | null;
  attempts: number;
  outcome: string | null;
  /** The ticket version whose alarm set last wrote this alarm: an older, late writer cannot undo it. */
  setBy: number;
}

const IMMUTABLE: readonly (keyof IndexFields)[] = ['number', 'reporterId', 'createdAt', 'clientRequestKey'];

/** The deterministic id of a client request: a retried submission finds the first ticket. */
export function requestKey(reporterId: string, clientRequestId: string): string {
  return sha256(`${reporterId}:${clientRequestId}`);
}

export const eventDocId = (ticketId: string, seq: number): string => `${ticketId}:${seq}`;

function indexFields(t: Ticket): IndexFields {
  return {
    number: t.number,
    state: t.state,
    requesterId: t.requester.userId ?? null,
    reporterId: t.reporter.userId,
    unitIds: [...new Set(t.assignments.map((a) => a.unitId))],
    leadUnit: t.assignments.find((a) => a.role === 'lead')?.unitId ?? null,
    nextDueAt: t.nextDueAt ?? null,
    dueSort: t.nextDueAt ?? NO_DUE,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    clientRequestKey: t.clientRequestId !== undefined ? `${t.reporter.userId}:${t.clientRequestId}` : null,
    contentHash: contentHash(t.content),
    supervisionLevel: t.supervision.level,
    reworks: t.counters.reworks,
    overdue: t.overdue,
    supervised: isSupervised(t),
    phone: phoneKey(t.requester.phone),
    phoneTail: phoneTail(t.requester.phone),
    channel: t.channel,
    urgency: t.urgency,
    utilities: t.utilities,
    category: t.category,
    area: t.location.area ?? null,
    searchTerms: termSet(searchableText(t)),
  };
}

function mutableFields(t: Ticket): Partial<IndexFields> {
  const f: Partial<IndexFields> = indexFields(t);
  for (const k of IMMUTABLE) delete f[k];
  return f;
}

function eventDoc(e: TicketEvent, fact?: StoredEventFact | null): Doc {
  return { _id: eventDocId(e.ticketId, e.seq), ticketId: e.ticketId, seq: e.seq, at: e.at, type: e.type, actorId: e.actor.userId, event: e, ...(fact ? { fact } : {}) };
}

function storedFact(t: Ticket, e: TicketEvent): StoredEventFact | null {
  const f = eventFact(t, e);
  return f ? { ...f, number: t.number } : null;
}

function alarmFields(a: Alarm) {
  return { ticketId: a.ticketId, deadline: a.deadline, kind: a.kind, threshold: a.threshold, fireAt: a.fireAt, dueAt: a.dueAt, owner: a.owner };
}

function newAlarmDoc(a: Alarm, setBy: number): AlarmDoc {
  return { _id: a.key, ...alarmFields(a), status: 'pending', runId: null, leaseUntil: null, attempts: 0, outcome: null, setBy };
}

function toAlarm(d: AlarmDoc): Alarm {
  return { key: d._id, ticketId: d.ticketId, deadline: d.deadline, kind: d.kind, fireAt: d.fireAt, dueAt: d.dueAt, owner: d.owner, threshold: d.threshold };
}

const byFireAt = (a: AlarmDoc, b: AlarmDoc) => a.fireAt - b.fireAt || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0);

const bug = (message: string) => new DomainError('internal', message);

/**
 * TicketStore on the CloudBase database (collections `tickets`, `events`, `alarms`, `requests`;
 * the indexes are listed in INDEXES.md).
 *
 * Consistency. CloudBase has no transaction that spans `where().update()`, and the version check
 * must be a conditional `where({ _id, version }).update()`. So the ticket document is the commit
 * point and carries its own outbox:
 * 1. `update` writes the new ticket, `version: _.inc(1)`, the event and the alarm set (`outbox`)
 *    and `outboxPending: true` in ONE conditional update on `{ _id, version: expected,
 *    outboxPending: false }`. `updated === 0` means someone else moved first: `stale-version`
 *    (or `not-found`), and nothing at all was written.
 * 2. Then it appends the event (`_id = ticketId:seq`, an insert: a second event with the same seq
 *    is refused by the unique `_id`; events are never updated or removed), syncs the alarms, and
 *    clears `outboxPending` (conditional on the version it wrote).
 * A crash between 1 and 2 leaves the outbox pending. Whoever meets it finishes it, idempotently:
 * `get`, `getByNumber` and `events` before they return, and the next `update` (whose condition
 * requires `outboxPending: false`) before it retries. So no later state change can commit before
 * the earlier event is in `events`, no event ever exists for a version that did not commit (the
 * event is written after its commit), and `events()` returns exactly the events with
 * seq ≤ version. Readers that scan (`list`, `scan`, `eventsBetween`) may see a committed ticket
 * whose event is not in `events` yet, for the moment between 1 and 2.
 *
 * `create` runs in a transaction (document operations only): the request marker
 * (`requests/_id = sha256(reporterId:clientRequestId)`), the ticket, its first event and its alarms
 * commit together or not at all; two concurrent submissions with one client request id conflict
 * and the retried one finds the marker and returns the first ticket.
 *
 * Alarms are claimed one by one with a conditional update (`{ _id, status: 'pending' }`, or
 * `{ _id, status: 'claimed', runId, leaseUntil }` for an expired lease): `updated === 1` means this
 * run owns it, so two overlapping runs never fire one alarm twice. Alarm sync is convergent, not
 * atomic with the ticket: each alarm records the ticket version that last wrote it (`setBy`) and
 * sync only touches alarms written by older versions; a stale alarm that slips through is
 * harmless because the timer re-checks the alarm against the ticket before acting.
 */
export class CloudTicketStore implements TicketStore {
  private readonly prefix: string;
  private readonly factLog: CloudFacts;

  constructor(
    private readonly db: CloudDb,
    options: CloudStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? '';
    this.factLog = new CloudFacts(db, () => this.tickets, () => this.eventsColl);
  }

  async factCounts(q: FactCountQuery): Promise<FactCount[]> {
    return this.factLog.counts(q);
  }

  async factTickets(q: FactTicketQuery): Promise<Page<FactTicket>> {
    return this.factLog.listTickets(q);
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

  private get tickets(): CloudCollection {
    return this.db.collection(this.prefix + TICKETS);
  }
  private get eventsColl(): CloudCollection {
    return this.db.collection(this.prefix + EVENTS);
  }
  private get alarms(): CloudCollection {
    return this.db.collection(this.prefix + ALARMS);
  }
  private get requests(): CloudCollection {
    return this.db.collection(this.prefix + REQUESTS);
  }
  private get effectsColl(): CloudCollection {
    return this.db.collection(this.prefix + EFFECTS);
  }

  async create(ticket: Ticket, event: TicketEvent, alarms: Alarm[], extras: CommitExtras = {}): Promise<{ ticket: Ticket; created: boolean }> {
    if (ticket.version !== 1 || event.seq !== 1) throw bug(`a new ticket starts at version 1 (got ticket ${ticket.version}, event ${event.seq})`);
    checkBelongs(ticket, event, alarms, extras.effects);
    checkChildren(extras);
    const rk = ticket.clientRequestId !== undefined ? requestKey(ticket.reporter.userId, ticket.clientRequestId) : null;
    const doc: TicketDoc = { _id: ticket.id, version: 1, ...indexFields(ticket), ticket, summary: summaryOf(ticket), outbox: { event, alarms }, outboxPending: false, facts: ticketFacts(ticket) };
    try {
      return await this.db.runTransaction(async (tx) => {
        if (rk !== null) {
          const marker = firstDoc(await tx.collection(this.prefix + REQUESTS).doc(rk).get());
          if (marker) {
            const first = firstDoc(await tx.collection(this.prefix + TICKETS).doc(String(marker.ticketId)).get()) as TicketDoc | null;
            if (!first) throw bug(`request ${rk} points to a missing ticket ${String(marker.ticketId)}`);
            return { ticket: first.ticket, created: false };
          }
          await tx.collection(this.prefix + REQUESTS).add({ _id: rk, ticketId: ticket.id, reporterId: ticket.reporter.userId, clientRequestId: ticket.clientRequestId, createdAt: ticket.createdAt });
        }
        await tx.collection(this.prefix + TICKETS).add(doc as unknown as Doc);
        await tx.collection(this.prefix + EVENTS).add(eventDoc(event, storedFact(ticket, event)));
        for (const a of dedupeAlarms(alarms)) await tx.collection(this.prefix + ALARMS).add(newAlarmDoc(a, 1) as unknown as Doc);
        // The effects and the children are part of the same transaction.
        for (const e of extras.effects ?? []) await tx.collection(this.prefix + EFFECTS).add(effectDoc(e) as unknown as Doc);
        for (const c of extras.children ?? []) {
          await tx.collection(this.prefix + TICKETS).add({ _id: c.ticket.id, version: 1, ...indexFields(c.ticket), ticket: c.ticket, summary: summaryOf(c.ticket), outbox: { event: c.event, alarms: c.alarms }, outboxPending: false, facts: ticketFacts(c.ticket) } as unknown as Doc);
          await tx.collection(this.prefix + EVENTS).add(eventDoc(c.event, storedFact(c.ticket, c.event)));
          for (const a of dedupeAlarms(c.alarms)) await tx.collection(this.prefix + ALARMS).add(newAlarmDoc(a, 1) as unknown as Doc);
          for (const e of c.effects) await tx.collection(this.prefix + EFFECTS).add(effectDoc(e) as unknown as Doc);
        }
        return { ticket, created: true };
      });
    } catch (e) {
      // Two submissions raced past the marker check and the database reported the second insert
      // as a duplicate rather than a conflict: the first one committed, return its ticket.
      if (rk !== null && isDuplicate(e)) {
        const first = await this.findByRequestKey(rk);
        if (first) return { ticket: first, created: false };
      }
      throw e;
    }
  }

  async update(ticket: Ticket, expectedVersion: number, event: TicketEvent, alarms: Alarm[], extras: CommitExtras = {}): Promise<void> {
    if (ticket.version !== expectedVersion + 1 || event.seq !== ticket.version) {
      throw bug(`version ${expectedVersion} must become ${expectedVersion + 1} (ticket ${ticket.version}, event ${event.seq})`);
    }
    checkBelongs(ticket, event, alarms, extras.effects);
    checkChildren(extras);
    const _ = this.db.command;
    const fact = storedFact(ticket, event);
    // The effects and children ride in the outbox of the one conditional update that commits the change.
    const outbox: Outbox = { event, alarms: dedupeAlarms(alarms), ...(fact ? { fact } : {}), ...(extras.effects?.length ? { effects: extras.effects } : {}), ...(extras.children?.length ? { children: extras.children } : {}) };
    if (extras.related?.length) {
      for (const r of extras.related) {
        if (r.ticket.version !== r.expectedVersion + 1 || r.event.seq !== r.ticket.version) throw bug(`related ${r.ticket.id}: version ${r.expectedVersion} must become ${r.expectedVersion + 1}`);
        checkBelongs(r.ticket, r.event, r.alarms, r.effects);
      }
      const changes = [{ ticket, expectedVersion, outbox }, ...extras.related.map((r) => ({ ticket: r.ticket, expectedVersion: r.expectedVersion, outbox: outboxOf(r.ticket, r.event, r.alarms, r.effects) }))];
      return this.updateTogether(changes);
    }
    for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      const res = await this.tickets.where({ _id: ticket.id, version: expectedVersion, outboxPending: false }).update({
        ...mutableFields(ticket),
        version: _.inc(1),
        ticket: _.set(ticket),
        // Replaced whole (_.set), as the ticket: an update's plain object would merge and keep removed fields.
        summary: _.set(summaryOf(ticket)),
        outbox: _.set(outbox),
        outboxPending: true,
        facts: _.set(ticketFacts(ticket)),
      });
      if ((res.updated ?? 0) === 1) {
        // Committed. A failure from here on leaves the outbox pending for the next reader or writer.
        await this.flush(ticket.id, ticket.version, outbox).catch((e: unknown) => logRepairLater(ticket.id, e));
        return;
      }
      const stored = await this.readDoc(ticket.id);
      if (!stored) throw new DomainError('not-found');
      if (stored.version !== expectedVersion) throw new DomainError('stale-version');
      // Same version, outbox still pending: the previous writer crashed (or is finishing). Finish it, then try again.
      if (stored.outboxPending) await this.flush(stored._id, stored.version, stored.outbox);
    }
    throw new DomainError('internal', '该诉求正在被处理，请稍后重试');
  }

  /**
   * Several tickets' next versions in one transaction (a link or a merge): each document is read in
   * the transaction, checked against its expected version and replaced with its outbox pending;
   * after the commit each outbox is flushed as in `update`. A stale one aborts them all.
   */
  private async updateTogether(changes: { ticket: Ticket; expectedVersion: number; outbox: Outbox }[]): Promise<void> {
    for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      // A pending outbox of an earlier writer is finished first, as `update` does.
      let pending = false;
      for (const c of changes) {
        const stored = await this.readDoc(c.ticket.id);
        if (!stored) throw new DomainError('not-found');
        if (stored.version !== c.expectedVersion) throw new DomainError('stale-version');
        if (stored.outboxPending) {
          pending = true;
          await this.flush(stored._id, stored.version, stored.outbox);
        }
      }
      if (pending) continue;
      const committed = await this.db.runTransaction(async (tx) => {
        const coll = tx.collection(this.prefix + TICKETS);
        for (const c of changes) {
          const stored = (await coll.doc(c.ticket.id).get()).data as unknown as TicketDoc | null;
          if (!stored) throw new DomainError('not-found');
          if (stored.version !== c.expectedVersion) throw new DomainError('stale-version');
          if (stored.outboxPending) return false;
        }
        for (const c of changes) {
          const { _id: _omit, ...rest } = (await coll.doc(c.ticket.id).get()).data as unknown as TicketDoc;
          const next = { ...rest, ...mutableFields(c.ticket), version: c.expectedVersion + 1, ticket: c.ticket, summary: summaryOf(c.ticket), outbox: c.outbox, outboxPending: true, facts: ticketFacts(c.ticket) };
          await coll.doc(c.ticket.id).set(next as unknown as Doc);
        }
        return true;
      });
      if (!committed) continue;
      for (const c of changes) await this.flush(c.ticket.id, c.ticket.version, c.outbox).catch((e: unknown) => logRepairLater(c.ticket.id, e));
      return;
    }
    throw new DomainError('internal', '该诉求正在被处理，请稍后重试');
  }

  async get(id: string): Promise<Ticket | null> {
    const doc = await this.readDoc(id);
    return doc ? (await this.settled(doc, false)).ticket : null;
  }

  async getByNumber(number: string): Promise<Ticket | null> {
    const { data } = await this.tickets.where({ number }).limit(1).get();
    const doc = (data[0] as unknown as TicketDoc | undefined) ?? null;
    return doc ? (await this.settled(doc, false)).ticket : null;
  }

  async findByClientRequestId(reporterId: string, clientRequestId: string): Promise<Ticket | null> {
    return this.findByRequestKey(requestKey(reporterId, clientRequestId));
  }

  /** The ticket's events, oldest first: exactly seq 1..version. */
  async events(ticketId: string): Promise<TicketEvent[]> {
    const doc = await this.readDoc(ticketId);
    if (!doc) return [];
    const settled = await this.settled(doc, true);
    const _ = this.db.command;
    const rows = await readAll(this.db, this.eventsColl, { ticketId, seq: _.lte(settled.version) }, [{ field: 'seq', dir: 'asc' }]);
    return rows.map((r) => r.event as TicketEvent);
  }

  async list(q: TicketQuery): Promise<Page<Ticket>> {
    const found = await this.listDocs(q, undefined);
    return { items: found.items.map((d) => d.ticket), next: found.next };
  }

  /**
   * The same page as `list`, reading only the summary and the sort keys of each document (a
   * projection). A word search needs the text, so it reads whole documents; a document written
   * before the summary existed is read whole, by id, and summarised here.
   */
  async listSummaries(q: TicketQuery): Promise<Page<TicketSummary>> {
    const plan = this.planList(q);
    if (!plan) return { items: [], next: null };
    const projection = q.search?.words?.length ? undefined : { summary: true, ...Object.fromEntries(ORDER_KEYS[plan.order].map((k) => [k.field, true])) };
    const found = await this.listDocs(q, projection);
    const missing = found.items.filter((d) => !d.summary && !d.ticket).map((d) => d._id);
    const whole = new Map<string, Ticket>();
    if (missing.length) {
      const _ = this.db.command;
      for (const d of (await this.tickets.where({ _id: _.in(missing) }).limit(missing.length).get()).data as unknown as TicketDoc[]) whole.set(d._id, d.ticket);
    }
    const items = found.items.map((d) => d.summary ?? summaryOf(d.ticket ?? whole.get(d._id)!));
    return { items, next: found.next };
  }

  private async listDocs(q: TicketQuery, projection: Record<string, boolean> | undefined): Promise<{ items: TicketDoc[]; next: string | null }> {
    const plan = this.planList(q);
    if (!plan) return { items: [], next: null };
    const keys = ORDER_KEYS[plan.order];
    const cursor = q.cursor ? decodeCursor(q.cursor, plan.order) : null;
    const fetch = Math.min(MAX_ROWS, plan.limit + 1);
    const rows = (await page(this.db, this.tickets, plan.where, keys, fetch, cursor, projection)) as unknown as TicketDoc[];
    const found = rows.slice(0, plan.limit);
    // The term index finds tickets holding every bigram; a word must also lie inside one run of the text.
    const words = q.search?.words;
    const items = words?.length ? found.filter((d) => matchesWords(searchableText(d.ticket), words)) : found;
    const last = found[found.length - 1];
    let more = rows.length > plan.limit;
    if (!more && last && fetch === plan.limit && rows.length === plan.limit) {
      // The page is the 1000-row maximum: one more row decides whether a next page exists.
      more = (await page(this.db, this.tickets, plan.where, keys, 1, keysOf(last as unknown as Doc, keys), { _id: true })).length > 0;
    }
    return { items, next: more && last ? encodeCursor(plan.order, ...(keysOf(last as unknown as Doc, keys) as [number, string])) : null };
  }

  /** Tickets created or updated in [from, to): first by creation, then the older ones updated in the period. */
  async *scan(fromMs: number, toMs: number, unitId?: string): AsyncIterable<Ticket> {
    const _ = this.db.command;
    const unit = unitId !== undefined ? { unitIds: unitId } : {};
    const created = { createdAt: _.and([_.gte(fromMs), _.lt(toMs)]), ...unit };
    for await (const d of scanAll(this.db, this.tickets, created, [{ field: 'createdAt', dir: 'asc' }, { field: '_id', dir: 'asc' }])) yield (d as unknown as TicketDoc).ticket;
    const updated = _.and([{ updatedAt: _.and([_.gte(fromMs), _.lt(toMs)]), ...unit }, _.or([{ createdAt: _.lt(fromMs) }, { createdAt: _.gte(toMs) }])]);
    for await (const d of scanAll(this.db, this.tickets, updated, [{ field: 'updatedAt', dir: 'asc' }, { field: '_id', dir: 'asc' }])) yield (d as unknown as TicketDoc).ticket;
  }

  /** Events with `at` in [from, to), oldest first (ties by ticket, then seq). */
  async *eventsBetween(fromMs: number, toMs: number): AsyncIterable<TicketEvent> {
    const _ = this.db.command;
    const keys: SortKey[] = [
      { field: 'at', dir: 'asc' },
      { field: 'ticketId', dir: 'asc' },
      { field: 'seq', dir: 'asc' },
    ];
    for await (const d of scanAll(this.db, this.eventsColl, { at: _.and([_.gte(fromMs), _.lt(toMs)]) }, keys)) yield d.event as TicketEvent;
  }

  async recentByReporter(reporterId: string, sinceMs: number, contentHash?: string): Promise<RecentByReporter> {
    const _ = this.db.command;
    const { total } = await this.tickets.where({ reporterId, createdAt: _.gte(sinceMs) }).count();
    if (contentHash === undefined || total === 0) return { count: total, duplicate: false };
    const same = await this.tickets.where({ reporterId, contentHash, createdAt: _.gte(sinceMs) }).field({ _id: true, number: true }).limit(1).get();
    const first = same.data[0] as { _id: string; number: string } | undefined;
    return first ? { count: total, duplicate: true, duplicateOf: { id: first._id, number: first.number } } : { count: total, duplicate: false };
  }

  async claimAlarms(runId: string, now: number, limit: number, leaseMs: number): Promise<Alarm[]> {
    const n = Math.min(MAX_ROWS, Math.floor(limit));
    if (!(n > 0)) return [];
    if (!(leaseMs > 0)) throw new DomainError('invalid-input', 'lease must be positive');
    const _ = this.db.command;
    const leaseUntil = now + leaseMs;
    const claimed: AlarmDoc[] = [];
    const keys: SortKey[] = [
      { field: 'fireAt', dir: 'asc' },
      { field: '_id', dir: 'asc' },
    ];
    for (let round = 0; round < CLAIM_ROUNDS && claimed.length < n; round++) {
      const want = n - claimed.length;
      const [pending, expired] = await Promise.all([
        page(this.db, this.alarms, { status: 'pending', fireAt: _.lte(now) }, keys, want, null),
        page(this.db, this.alarms, { status: 'claimed', fireAt: _.lte(now), leaseUntil: _.lt(now) }, keys, want, null),
      ]);
      const candidates = ([...pending, ...expired] as unknown as AlarmDoc[]).sort(byFireAt).slice(0, want);
      if (!candidates.length) break;
      let lost = 0;
      for (let i = 0; i < candidates.length; i += CLAIM_PARALLEL) {
        const batch = candidates.slice(i, i + CLAIM_PARALLEL);
        const won = await Promise.all(batch.map((c) => this.claimOne(c, runId, leaseUntil)));
        batch.forEach((c, j) => (won[j] ? claimed.push(c) : lost++));
      }
      // Every candidate taken and the queries ran dry: nothing more is due.
      if (lost === 0 && pending.length < want && expired.length < want) break;
    }
    return claimed.sort(byFireAt).map(toAlarm);
  }

  async completeAlarm(key: string, runId: string, outcome: string, effects: OutboxEffect[] = []): Promise<boolean> {
    // Added once by id before the mark: a crash in between leaves the alarm claimable and the
    // re-run's add a no-op, so a reminder is neither lost nor owed twice.
    for (const e of effects) await this.addOnce(this.effectsColl, effectDoc(e) as unknown as Doc);
    const res = await this.alarms.where({ _id: key, status: 'claimed', runId }).update({ status: 'done', outcome, leaseUntil: null });
    return (res.updated ?? 0) === 1;
  }

  /**
   * Step by step, as the timer did before batching: the change (its own transaction with its
   * outbox), then the mark. A crash between the two leaves the alarm claimed; the run after the
   * lease finds its deadline no longer active and only marks it.
   */
  async completeAlarms(runId: string, steps: AlarmStep[]): Promise<AlarmStepResult[]> {
    const out: AlarmStepResult[] = [];
    for (const step of steps) {
      try {
        const c = step.change;
        if (c) await this.update(c.ticket, c.expectedVersion, c.event, c.alarms, c.extras ?? {});
        out.push((await this.completeAlarm(step.key, runId, step.outcome, step.effects ?? [])) ? { key: step.key, saved: true } : { key: step.key, saved: false, code: 'lease-lost' });
      } catch (error) {
        out.push({ key: step.key, saved: false, code: error instanceof DomainError ? error.code : 'store-failed', error });
      }
    }
    return out;
  }

  /** One alarm, compare-and-set on what was read: `updated === 1` means this run owns it. */
  private async claimOne(c: AlarmDoc, runId: string, leaseUntil: number): Promise<boolean> {
    const _ = this.db.command;
    const cond: Where = c.status === 'pending' ? { _id: c._id, status: 'pending' } : { _id: c._id, status: 'claimed', runId: c.runId, leaseUntil: c.leaseUntil };
    const res = await this.alarms.where(cond).update({ status: 'claimed', runId, leaseUntil, attempts: _.inc(1) });
    return (res.updated ?? 0) === 1;
  }

  private async readDoc(id: string): Promise<TicketDoc | null> {
    return firstDoc(await this.tickets.doc(id).get()) as TicketDoc | null;
  }

  private async findByRequestKey(rk: string): Promise<Ticket | null> {
    const marker = firstDoc(await this.requests.doc(rk).get());
    if (!marker) return null;
    return this.get(String(marker.ticketId));
  }

  /**
   * The document with its outbox applied: finishes a crashed writer's event and alarms first.
   * `strict`: a failed repair fails the read (the history must be complete); otherwise it is logged
   * and left for the next reader or writer.
   */
  private async settled(doc: TicketDoc, strict: boolean): Promise<TicketDoc> {
    if (doc.outboxPending) {
      const repair = this.flush(doc._id, doc.version, doc.outbox);
      await (strict ? repair : repair.catch((e: unknown) => logRepairLater(doc._id, e)));
    }
    return doc;
  }

  /** Applies an outbox; every step is idempotent, so a writer and a repairer may run it together. */
  private async flush(ticketId: string, version: number, outbox: Outbox): Promise<void> {
    await this.appendEvent(outbox.event, outbox.fact);
    await this.syncAlarms(ticketId, version, outbox.alarms);
    for (const e of outbox.effects ?? []) await this.addOnce(this.effectsColl, effectDoc(e) as unknown as Doc);
    for (const c of outbox.children ?? []) await this.createChild(c);
    await this.tickets.where({ _id: ticketId, version, outboxPending: true }).update({ outboxPending: false });
  }

  /** Inserts a document by its deterministic `_id`; a duplicate is a repairer's write of the same thing. */
  private async addOnce(coll: CloudCollection, doc: Doc): Promise<void> {
    try {
      await coll.add(doc);
    } catch (err) {
      if (!isDuplicate(err)) throw err;
    }
  }

  /** A child of a separate dispatch, idempotently: ticket, first event, alarms, effects. */
  private async createChild(c: NewTicket): Promise<void> {
    await this.addOnce(this.tickets, { _id: c.ticket.id, version: 1, ...indexFields(c.ticket), ticket: c.ticket, summary: summaryOf(c.ticket), outbox: { event: c.event, alarms: c.alarms }, outboxPending: false, facts: ticketFacts(c.ticket) } as unknown as Doc);
    await this.appendEvent(c.event, storedFact(c.ticket, c.event));
    for (const a of dedupeAlarms(c.alarms)) await this.addOnce(this.alarms, newAlarmDoc(a, 1) as unknown as Doc);
    for (const e of c.effects) await this.addOnce(this.effectsColl, effectDoc(e) as unknown as Doc);
  }

  async claimEffects(runId: string, now: number, limit: number, leaseMs: number): Promise<OutboxEffect[]> {
    const _ = this.db.command;
    const want = Math.max(1, Math.min(MAX_ROWS, Math.floor(limit)));
    const { data } = await this.effectsColl.where({ status: 'pending', nextAt: _.lte(now) }).orderBy('nextAt', 'asc').orderBy('_id', 'asc').limit(Math.min(MAX_ROWS, want * 2)).get();
    const free = (data as unknown as EffectDoc[]).filter((d) => d.leaseUntil === null || d.leaseUntil < now).slice(0, want);
    const won = await Promise.all(
      free.map(async (d) => {
        // Compare-and-set on the lease that was read: `updated === 1` means this run owns it.
        const res = await this.effectsColl.where({ _id: d._id, status: 'pending', leaseUntil: d.leaseUntil }).update({ runId, leaseUntil: now + leaseMs });
        return (res.updated ?? 0) === 1;
      }),
    );
    return free.filter((_d, i) => won[i]).map(toEffect);
  }

  async settleEffect(id: string, runId: string, patch: Pick<OutboxEffect, 'status' | 'attempts' | 'nextAt' | 'updatedAt'> & { lastError?: string }): Promise<boolean> {
    const res = await this.effectsColl.where({ _id: id, runId }).update({ status: patch.status, attempts: patch.attempts, nextAt: patch.nextAt, updatedAt: patch.updatedAt, lastError: patch.lastError ?? null, runId: null, leaseUntil: null });
    return (res.updated ?? 0) === 1;
  }

  async addEffectsOnce(effects: OutboxEffect[]): Promise<string[]> {
    const added: string[] = [];
    for (const e of effects) {
      try {
        await this.effectsColl.add(effectDoc(e) as unknown as Doc);
        added.push(e.id);
      } catch (err) {
        // The `_id` is the dedupe: a second add of the same warning's notice is refused.
        if (!isDuplicate(err)) throw err;
      }
    }
    return added;
  }

  async listEffects(status: OutboxEffect['status'], limit: number): Promise<OutboxEffect[]> {
    const { data } = await this.effectsColl.where({ status }).orderBy('updatedAt', 'desc').orderBy('_id', 'desc').limit(Math.max(1, Math.min(MAX_ROWS, Math.floor(limit)))).get();
    return (data as unknown as EffectDoc[]).map(toEffect);
  }

  async retryEffect(id: string, now: number): Promise<boolean> {
    const res = await this.effectsColl.where({ _id: id, status: 'failed' }).update({ status: 'pending', attempts: 0, nextAt: now, updatedAt: now, runId: null, leaseUntil: null });
    return (res.updated ?? 0) === 1;
  }

  private async appendEvent(e: TicketEvent, fact?: StoredEventFact | null): Promise<void> {

    try {
      await this.eventsColl.add(eventDoc(e, fact));
    } catch (err) {
      if (!isDuplicate(err)) throw err;
      // Written already by a repairer of this same outbox; any other event under this seq is a broken history.
      const existing = firstDoc(await this.eventsColl.doc(eventDocId(e.ticketId, e.seq)).get());
      if ((existing?.event as TicketEvent | undefined)?.id !== e.id) throw bug(`event ${e.ticketId}:${e.seq} exists with another id`);
    }
  }

  /**
   * Makes the ticket's pending alarms the given set, as SQLite does: new keys are inserted, a
   * cancelled key comes back, pending keys not in the set are cancelled, claimed and done alarms
   * stay as they are. Only alarms last written by an older ticket version are touched.
   */
  private async syncAlarms(ticketId: string, version: number, alarms: Alarm[]): Promise<void> {
    const _ = this.db.command;
    const keys = alarms.map((a) => a.key);
    const existing = new Map<string, AlarmDoc>();
    for (let i = 0; i < keys.length; i += 100) {
      const rows = await readAll(this.db, this.alarms, { _id: _.in(keys.slice(i, i + 100)) }, [{ field: '_id', dir: 'asc' }]);
      for (const r of rows as unknown as AlarmDoc[]) existing.set(r._id, r);
    }
    const writes: Promise<unknown>[] = [];
    const keep: string[] = [];
    for (const a of alarms) {
      const d = existing.get(a.key);
      if (!d) {
        writes.push(
          this.alarms.add(newAlarmDoc(a, version) as unknown as Doc).catch((e: unknown) => {
            if (!isDuplicate(e)) throw e;
          }),
        );
      } else if (d.setBy < version && d.status === 'cancelled') {
        writes.push(
          this.alarms
            .where({ _id: a.key, status: 'cancelled', setBy: _.lt(version) })
            .update({ ...alarmFields(a), status: 'pending', runId: null, leaseUntil: null, setBy: version }),
        );
      } else if (d.setBy < version && d.status === 'pending') {
        keep.push(a.key);
      }
    }
    if (keep.length) writes.push(this.alarms.where({ _id: _.in(keep), status: 'pending', setBy: _.lt(version) }).update({ setBy: version }));
    writes.push(this.alarms.where({ ticketId, status: 'pending', setBy: _.lt(version), _id: _.nin(keys) }).update({ status: 'cancelled', setBy: version }));
    await Promise.all(writes);
  }

  /** Filters of `list` (resolved by shared/workflow resolveListFilter), as a CloudBase query. */
  private planList(q: TicketQuery): { where: Where; order: Order; limit: number } | null {
    const _ = this.db.command;
    const limit = Math.min(MAX_PAGE, Math.max(1, Math.floor(q.limit) || 1));
    const order: Order = q.unitId !== undefined ? 'due' : 'created';
    const filter = resolveListFilter(q);
    if (!filter) return null;
    const { rework, supervised } = filter;
    const chosen: string[] | null = filter.states;

    const base: Record<string, unknown> = {};
    if (q.unitId !== undefined) base.unitIds = q.unitId;
    if (chosen !== null) base.state = chosen.length === 1 ? chosen[0] : _.in(chosen);
    if (rework) base.reworks = _.gt(0);
    if (supervised) base.supervised = true;
    const who: Where[] = [];
    if (q.requesterId !== undefined) who.push({ requesterId: q.requesterId });
    if (q.reporterId !== undefined) who.push({ reporterId: q.reporterId });
    if (who.length === 1) Object.assign(base, who[0]);
    const extra: Where[] = q.search ? this.searchWhere(q.search, base) : [];
    const where0: Where = who.length < 2 ? base : Object.keys(base).length ? _.and([base, _.or(who)]) : _.or(who);
    const where: Where = extra.length ? _.and([where0, ...extra]) : where0;
    return { where, order, limit };
  }

  /** Search filters: equality fields go into `base`; what needs its own condition is returned. */
  private searchWhere(s: TicketSearch, base: Record<string, unknown>): Where[] {
    const _ = this.db.command;
    const extra: Where[] = [];
    const eq = (field: string, v: unknown) => {
      if (v === undefined) return;
      if (field in base) extra.push({ [field]: v });
      else base[field] = v;
    };
    eq('number', s.number);
    eq('phone', s.phone);
    eq('phoneTail', s.phoneTail);
    eq('category', s.category);
    eq('area', s.area);
    eq('channel', s.channel);
    eq('urgency', s.urgency);
    eq('unitIds', s.assignedUnitId);
    if (s.utilities) eq('utilities', true);
    if (s.overdue) eq('overdue', true);
    if (s.dueBetween) eq('nextDueAt', _.and([_.gt(s.dueBetween.from), _.lte(s.dueBetween.to)]));
    const created = [...(s.createdFrom !== undefined ? [_.gte(s.createdFrom)] : []), ...(s.createdTo !== undefined ? [_.lt(s.createdTo)] : [])];
    if (created.length) eq('createdAt', created.length === 1 ? created[0] : _.and(created));
    // One equality per bigram on the multikey index (an array field equals a value it contains).
    for (const term of new Set((s.words ?? []).flatMap(bigramsOf))) extra.push({ searchTerms: term });
    return extra;
  }
}

function logRepairLater(ticketId: string, e: unknown): void {
  if (process.env.NODE_ENV !== 'test') console.error(`[tickets] outbox of ${ticketId} left pending, repaired on next access:`, e);
}

function checkBelongs(ticket: Ticket, event: TicketEvent, alarms: Alarm[], effects: OutboxEffect[] = []): void {
  if (event.ticketId !== ticket.id) throw bug(`event ${event.id} is not of ticket ${ticket.id}`);
  for (const a of alarms) if (a.ticketId !== ticket.id) throw bug(`alarm ${a.key} is not of ticket ${ticket.id}`);
  for (const e of effects) if (e.ticketId !== ticket.id) throw bug(`effect ${e.id} is not of ticket ${ticket.id}`);
}

function checkChildren(x: CommitExtras): void {
  for (const c of x.children ?? []) {
    if (c.ticket.version !== 1 || c.event.seq !== 1) throw bug(`a new ticket starts at version 1 (child ${c.ticket.id})`);
    checkBelongs(c.ticket, c.event, c.alarms, c.effects);
  }
}

/** The outbox of a related change: its event (with its facts mark), alarms and effects. */
function outboxOf(t: Ticket, event: TicketEvent, alarms: Alarm[], effects: OutboxEffect[]): Outbox {
  const fact = storedFact(t, event);
  return { event, alarms: dedupeAlarms(alarms), ...(fact ? { fact } : {}), ...(effects.length ? { effects } : {}) };
}

/** One alarm per key (the first wins), as the SQLite upsert leaves it. */
function dedupeAlarms(alarms: Alarm[]): Alarm[] {
  const byKey = new Map<string, Alarm>();
  for (const a of alarms) if (!byKey.has(a.key)) byKey.set(a.key, a);
  return [...byKey.values()];
}
