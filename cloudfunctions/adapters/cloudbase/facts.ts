import { DomainError } from '../../../shared/errors';
import { EVENT_METRICS, TICKET_METRICS, type Dimension, type FactCount, type Metric, type TicketFacts, type TicketMetric } from '../../../shared/metrics/facts';
import type { FactCountQuery, FactGroupQuery, FactTicket, FactTicketQuery, Page, PlaceGroup, RequesterGroup } from '../../../shared/ports';
import type { CloudCollection, CloudDb, Doc, Where } from './db';
import { MAX_ROWS } from './query';
import { decodeCursor, encodeCursor } from '../cursor';

const FACTS_CURSOR = 'facts';

/**
 * The facts on CloudBase (shared/metrics/facts.ts). The ticket document carries its record in
 * `facts`, written by the same conditional update that commits the ticket (the commit point); an
 * event document carries its mark in `fact`, written with the event from the outbox. Figures are
 * aggregate pipelines (`match` on the indexed instant, `group` by key and outcome, `$sum`): the
 * database returns a few rows, no ticket is loaded. Indexes: INDEXES.md (`facts.<metric>.at`,
 * `fact.metric` + `at`).
 */
const isTicketMetric = (m: Metric): m is TicketMetric => (TICKET_METRICS as readonly string[]).includes(m);

function ticketKeyPath(by: Dimension, metric: TicketMetric): string | null {
  switch (by) {
    case 'all':
      return null;
    case 'unit':
      return `$facts.${metric}.unit`;
    default:
      return `$facts.${by}`;
  }
}

function eventKeyPath(by: Dimension): string | null {
  return by === 'all' ? null : `$fact.${by}`;
}

const groupLimit = (q: FactGroupQuery) => Math.max(1, Math.min(MAX_ROWS - 1, Math.floor(q.limit)));

const asKey = (v: unknown, by: Dimension) => (by === 'all' ? '*' : typeof v === 'string' ? v : '');

export class CloudFacts {
  constructor(
    private readonly db: CloudDb,
    private readonly tickets: () => CloudCollection,
    private readonly events: () => CloudCollection,
  ) {}

  private range(from: number, to: number) {
    const _ = this.db.command;
    return _.and([_.gte(from), _.lt(to)]);
  }

  async counts(q: FactCountQuery): Promise<FactCount[]> {
    if (!(q.to > q.from)) return [];
    const $ = this.db.command.aggregate;
    const jobs: Promise<FactCount[]>[] = [];
    const asked = (m: Metric) => q.metric === undefined || q.metric === m;
    for (const metric of TICKET_METRICS.filter(asked)) {
      const match: Where = { [`facts.${metric}.at`]: this.range(q.from, q.to), ...(q.unitId !== undefined ? { [`facts.${metric}.unit`]: q.unitId } : {}) };
      const key = ticketKeyPath(q.by, metric);
      const id = q.then ? { key, key2: ticketKeyPath(q.then, metric), outcome: `$facts.${metric}.outcome` } : { key, outcome: `$facts.${metric}.outcome` };
      jobs.push(this.run(this.tickets(), match, { _id: id, n: $.sum(1) }, metric, q.by, q.then));
    }
    for (const metric of EVENT_METRICS.filter(asked)) {
      const match: Where = { 'fact.metric': metric, at: this.range(q.from, q.to), ...(q.unitId !== undefined ? { 'fact.unit': q.unitId } : {}) };
      const id = q.then ? { key: eventKeyPath(q.by), key2: eventKeyPath(q.then), outcome: '$fact.outcome' } : { key: eventKeyPath(q.by), outcome: '$fact.outcome' };
      jobs.push(this.run(this.events(), match, { _id: id, n: $.sum(1) }, metric, q.by, q.then));
    }
    return (await Promise.all(jobs)).flat();
  }

  private async run(coll: CloudCollection, match: Where, group: Record<string, unknown>, metric: Metric, by: Dimension, then?: Dimension): Promise<FactCount[]> {
    const { data } = await coll.aggregate().match(match).group(group).limit(MAX_ROWS).end();
    // A thousand keys × outcomes of one metric would be a breakdown nobody reads; refuse rather than cut.
    if (data.length >= MAX_ROWS) throw new DomainError('invalid-input', '分组过多，请缩小统计范围');
    return data.map((r) => {
      const id = (r._id ?? {}) as unknown as { key?: unknown; key2?: unknown; outcome?: unknown };
      const count: FactCount = { metric, key: asKey(id.key, by), outcome: typeof id.outcome === 'string' ? id.outcome : '', n: Number(r.n ?? 0) };
      if (then) count.key2 = asKey(id.key2, then);
      return count;
    });
  }

  async listTickets(q: FactTicketQuery): Promise<Page<FactTicket>> {
    const _ = this.db.command;
    const limit = Math.max(1, Math.min(MAX_ROWS - 1, Math.floor(q.limit)));
    const ticketSide = isTicketMetric(q.metric);
    const atPath = ticketSide ? `facts.${q.metric}.at` : 'at';
    const base: Record<string, unknown> = ticketSide ? {} : { 'fact.metric': q.metric };
    if (q.by !== 'all') {
      const path = ticketSide ? (q.by === 'unit' ? `facts.${q.metric}.unit` : `facts.${q.by}`) : `fact.${q.by}`;
      base[path] = q.key;
    }
    if (q.outcomes) base[ticketSide ? `facts.${q.metric}.outcome` : 'fact.outcome'] = _.in(q.outcomes);
    const idPath = ticketSide ? '_id' : 'ticketId';
    let where: Where = { ...base, [atPath]: this.range(q.from, q.to) };
    if (q.cursor) {
      const [ca, cid] = decodeCursor(q.cursor, FACTS_CURSOR);
      where = _.and([where, _.or([{ [atPath]: _.gt(ca) }, { [atPath]: ca, [idPath]: _.gt(cid) }])]);
    }
    const coll = ticketSide ? this.tickets() : this.events();
    const { data } = await coll
      .where(where)
      .orderBy(atPath, 'asc')
      .orderBy(idPath, 'asc')
      .limit(limit + 1)
      .field(ticketSide ? { _id: true, number: true, facts: true } : { ticketId: true, at: true, fact: true })
      .get();
    const items: FactTicket[] = data.map((d: Doc) => {
      if (ticketSide) {
        const mark = ((d.facts ?? {}) as Record<string, { at: number; outcome: string }>)[q.metric]!;
        return { ticketId: String(d._id), number: String(d.number), at: mark.at, outcome: mark.outcome };
      }
      const fact = d.fact as { number: string; outcome: string };
      return { ticketId: String(d.ticketId), number: fact.number, at: Number(d.at), outcome: fact.outcome };
    });
    const page = items.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page, next: items.length > limit && last ? encodeCursor(FACTS_CURSOR, last.at, last.ticketId) : null };
  }

  /**
   * Repeated requests: the period's submissions grouped by category, place and requester, then
   * by category and place (the second group counts the distinct requesters); the first numbers
   * of each of the (at most `limit`) groups by one indexed query each.
   */
  async places(q: FactGroupQuery): Promise<PlaceGroup[]> {
    const $ = this.db.command.aggregate;
    const at = { 'facts.submitted.at': this.range(q.from, q.to) };
    const { data } = await this.tickets()
      .aggregate()
      .match(at)
      .group({ _id: { category: '$facts.category', place: '$facts.place', requester: '$facts.requester' }, n: $.sum(1) })
      .group({ _id: { category: '$_id.category', place: '$_id.place' }, n: $.sum('$n'), requesters: $.sum(1) })
      .match({ n: this.db.command.gte(q.min) })
      .sort({ n: -1, '_id.category': 1, '_id.place': 1 })
      .limit(groupLimit(q))
      .end();
    return Promise.all(
      data.map(async (r) => {
        const id = (r._id ?? {}) as { category?: unknown; place?: unknown };
        const category = typeof id.category === 'string' ? id.category : '';
        const place = typeof id.place === 'string' ? id.place : '';
        const { data: first } = await this.tickets()
          .where({ ...at, 'facts.category': category, 'facts.place': place })
          .orderBy('facts.submitted.at', 'asc')
          .orderBy('_id', 'asc')
          .limit(10)
          .field({ number: true })
          .get();
        return { category, place, count: Number(r.n ?? 0), requesters: Number(r.requesters ?? 0), numbers: first.map((d) => String(d.number)) };
      }),
    );
  }

  /** High-frequency requesters: submissions by requester and category, then by requester; categories and first ticket of the (at most `limit`) requesters found. */
  async requesters(q: FactGroupQuery): Promise<RequesterGroup[]> {
    const _ = this.db.command;
    const $ = _.aggregate;
    const at = { 'facts.submitted.at': this.range(q.from, q.to) };
    const { data } = await this.tickets()
      .aggregate()
      .match(at)
      .group({ _id: { requester: '$facts.requester', category: '$facts.category' }, n: $.sum(1) })
      .group({ _id: '$_id.requester', n: $.sum('$n') })
      .match({ n: _.gte(q.min) })
      .sort({ n: -1, _id: 1 })
      .limit(groupLimit(q))
      .end();
    const keys = data.map((r) => String(r._id ?? ''));
    if (keys.length === 0) return [];
    const { data: cats } = await this.tickets()
      .aggregate()
      .match({ ...at, 'facts.requester': _.in(keys) })
      .group({ _id: { requester: '$facts.requester', category: '$facts.category' }, n: $.sum(1) })
      .limit(MAX_ROWS)
      .end();
    const categories = new Map<string, string[]>(keys.map((k) => [k, []]));
    for (const c of cats) {
      const id = (c._id ?? {}) as { requester?: unknown; category?: unknown };
      categories.get(String(id.requester))?.push(String(id.category ?? ''));
    }
    return Promise.all(
      data.map(async (r, i) => {
        const { data: first } = await this.tickets()
          .where({ ...at, 'facts.requester': keys[i] })
          .orderBy('facts.submitted.at', 'asc')
          .orderBy('_id', 'asc')
          .limit(1)
          .field({ _id: true })
          .get();
        return { requester: keys[i]!, count: Number(r.n ?? 0), categories: (categories.get(keys[i]!) ?? []).sort(), firstTicketId: String(first[0]?._id ?? '') };
      }),
    );
  }

  async get(ticketId: string): Promise<TicketFacts | null> {
    const { data } = await this.tickets().where({ _id: ticketId }).field({ facts: true }).limit(1).get();
    return (data[0]?.facts as TicketFacts | undefined) ?? null;
  }
}

