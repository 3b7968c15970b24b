import type { Ticket, TicketEvent } from '../contracts/ticket';
import type { PolicyProfile } from '../profiles/schema';
import { resolvedStates, type StateId } from '../workflow/states';

/**
 * The facts record of a ticket: for each figure, whether the ticket has been DECIDED for it yet
 * (its window has closed), when, for which unit, and with what outcome. Both stores keep it in the
 * same write as each event (SQLite: `ticket_facts`, `fact_marks`, `fact_days`; CloudBase: the
 * `facts` field of the ticket document and the `fact` field of an event document), and every
 * figure is a count of marks whose instant lies in the period. A ticket created before a period
 * and decided in it is counted in it; a ticket whose window is still open counts nowhere yet.
 *
 * Outcomes are stored raw (the rating value, not "satisfied"): which values count as satisfied
 * is the profile's business, applied when the counts are read (`figuresFromCounts`), so a change
 * of profile needs no rewrite of the facts.
 */
export const TICKET_METRICS = ['submitted', 'response', 'resolution', 'satisfaction', 'onTime'] as const;
/** Marks of events rather than of the ticket: several per ticket, never changed once written. */
export const EVENT_METRICS = ['extension', 'return', 'appeal'] as const;
export const METRICS = [...TICKET_METRICS, ...EVENT_METRICS] as const;
export type TicketMetric = (typeof TICKET_METRICS)[number];
export type EventMetric = (typeof EVENT_METRICS)[number];
export type Metric = (typeof METRICS)[number];

/** How a figure is broken down. 'all' has the single key '*'. */
export const DIMENSIONS = ['all', 'unit', 'area', 'category', 'channel'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export interface Mark {
  /** The instant the ticket was decided for the metric (epoch ms). */
  at: number;
  /** The unit it counts for ('' when no unit was assigned). */
  unit: string;
  outcome: string;
}

export interface TicketFacts {
  ticketId: string;
  number: string;
  /** '' when the ticket has none. */
  area: string;
  category: string;
  channel: string;
  /** Where, for repeated requests: the area, else the grid, else the address ('' when none). */
  place: string;
  /** Who asked, for high-frequency requesters: `u:<user id>`, else `p:<phone>`, else `r:<reporter id>`. Operators only. */
  requester: string;
  submitted: Mark;
  response?: Mark;
  resolution?: Mark;
  satisfaction?: Mark;
  onTime?: Mark;
}

/** A mark of one event (an approved extension, a requested return), with the ticket's classification then. */
export interface EventFact extends Mark {
  metric: EventMetric;
  area: string;
  category: string;
  channel: string;
}

/** Outcomes. */
export const OUTCOME = {
  submitted: 'submitted',
  responded: 'ok',
  late: 'late',
  /** resolution: concluded in a resolved state; the outcome is `resolved:<last rating value>` ('' when unrated). */
  resolvedPrefix: 'resolved:',
  unresolved: 'unresolved',
  met: 'met',
  missed: 'missed',
  approved: 'approved',
  requested: 'requested',
  /** appeal: an upheld appeal of the unit (pingli 31). */
  upheld: 'upheld',
  /**
   * A mark an upheld appeal took out of the unit's rate (pingli 31): `appealed:<outcome it had>`.
   * The mark stays (the ticket is listed, marked) but counts in neither numerator nor denominator.
   */
  appealedPrefix: 'appealed:',
} as const;

/** Whether a mark's outcome was taken out of its rate by an upheld appeal. */
export const isAppealed = (outcome: string) => outcome.startsWith(OUTCOME.appealedPrefix);

// A merged duplicate is handled (and counted) as the ticket it was merged into, like a split parent as its children.
const excluded: StateId[] = ['withdrawn', 'rejected', 'split', 'merged'];

/** The place a ticket is grouped by when requests repeat: area, else grid, else address. */
export function placeOf(t: Ticket): string {
  return t.location.area ?? t.location.grid ?? t.location.address ?? '';
}
/** The key that tells one requester from another across tickets. */
export function requesterOf(t: Ticket): string {
  if (t.requester.userId) return `u:${t.requester.userId}`;
  if (t.requester.phone) return `p:${t.requester.phone}`;
  return `r:${t.reporter.userId}`;
}

/** The facts of a ticket as it now is: pure, from the ticket alone. */
export function ticketFacts(t: Ticket): TicketFacts {
  const lead = t.assignments.find((a) => a.role === 'lead');
  const unit = lead?.unitId ?? '';
  const f: TicketFacts = {
    ticketId: t.id,
    number: t.number,
    area: t.location.area ?? '',
    category: t.category,
    channel: t.channel,
    place: placeOf(t),
    requester: requesterOf(t),
    submitted: { at: t.createdAt, unit, outcome: OUTCOME.submitted },
  };
  if (!lead || excluded.includes(t.state as StateId)) return f;

  // 响应: decided when the lead's sign window closed (met or missed); without a sign deadline, when it signed.
  const sign = [...t.deadlines].reverse().find((d) => d.kind === 'sign' && d.owner === unit);
  if (sign && (sign.status === 'met' || sign.status === 'missed')) {
    f.response = { at: sign.closedAt ?? sign.dueAt, unit, outcome: sign.status === 'met' ? OUTCOME.responded : OUTCOME.late };
  } else if (!sign && lead.signedAt !== undefined) {
    f.response = { at: lead.signedAt, unit, outcome: OUTCOME.responded };
  }

  // 解决: decided when the ticket was concluded (resolved or closed), terminated tickets aside.
  const concludedAt = t.resolvedAt ?? t.closedAt;
  // Terminated, or passed to an emergency line (its matter left the platform): not the unit's to resolve.
  if (concludedAt !== undefined && t.state !== 'terminated' && t.state !== 'handedOff') {
    const last = t.ratings[t.ratings.length - 1];
    const resolved = resolvedStates.includes(t.state as StateId);
    f.resolution = { at: concludedAt, unit, outcome: resolved ? OUTCOME.resolvedPrefix + (last?.value ?? '') : OUTCOME.unresolved };
  }

  // 满意: decided by the last rating.
  const rating = t.ratings[t.ratings.length - 1];
  if (rating) f.satisfaction = { at: rating.at, unit, outcome: rating.value };

  // 按时办结: decided when none of the lead's handling deadlines is still open and one of them closed.
  const handling = t.deadlines.filter((d) => (d.kind === 'handle' || d.kind === 'rework') && d.owner === unit);
  const closed = handling.filter((d) => d.status === 'met' || d.status === 'missed');
  if (closed.length > 0 && !handling.some((d) => d.status === 'active')) {
    const at = Math.max(...closed.map((d) => d.closedAt ?? d.dueAt));
    f.onTime = { at, unit, outcome: closed.some((d) => d.status === 'missed') ? OUTCOME.missed : OUTCOME.met };
  }

  // Upheld appeals (pingli 31): the rates they name no longer count this ticket against that unit.
  for (const a of t.appeals ?? []) {
    if (!a.upheld) continue;
    for (const m of a.metrics) {
      const mark = f[m];
      if (mark && mark.unit === a.unitId && !isAppealed(mark.outcome)) f[m] = { ...mark, outcome: OUTCOME.appealedPrefix + mark.outcome };
    }
  }
  return f;
}

/** The mark an event adds, if any: approved extensions count for the lead, returns for the unit that asked, upheld appeals for the unit that appealed. */
export function eventFact(t: Ticket, e: TicketEvent): EventFact | null {
  const cls = { area: t.location.area ?? '', category: t.category, channel: t.channel };
  if (e.type === 'reviewExtension' && e.data?.approve === true) {
    const unit = t.assignments.find((a) => a.role === 'lead')?.unitId ?? '';
    return { metric: 'extension', at: e.at, unit, outcome: OUTCOME.approved, ...cls };
  }
  if (e.type === 'requestReturn' && e.actor.unitId) return { metric: 'return', at: e.at, unit: e.actor.unitId, outcome: OUTCOME.requested, ...cls };
  if (e.type === 'reviewAppeal' && e.data?.upheld === true && typeof e.data.unitId === 'string') return { metric: 'appeal', at: e.at, unit: e.data.unitId, outcome: OUTCOME.upheld, ...cls };
  return null;
}

/** The ticket marks of a facts record, one per decided metric. */
export function ticketMarks(f: TicketFacts): Array<Mark & { metric: TicketMetric }> {
  const out: Array<Mark & { metric: TicketMetric }> = [];
  for (const m of TICKET_METRICS) {
    const mark = f[m];
    if (mark) out.push({ metric: m, ...mark });
  }
  return out;
}

/** The key of a mark under a dimension. */
export function dimensionKey(dim: Dimension, mark: Mark, cls: { area: string; category: string; channel: string }): string {
  switch (dim) {
    case 'all':
      return '*';
    case 'unit':
      return mark.unit;
    case 'area':
      return cls.area;
    case 'category':
      return cls.category;
    case 'channel':
      return cls.channel;
  }
}

/**
 * Pairs of dimensions whose daily counts the SQLite store keeps (the others are counted from the
 * marks): each category within each area, for the risk warnings (baiyin 20, hohhot 29).
 */
export const DIMENSION_PAIRS = [['area', 'category']] as const satisfies ReadonlyArray<readonly [Dimension, Dimension]>;

/** The Shanghai calendar day of an instant, as days since 1970-01-01 (the rollup bucket). */
export function shanghaiDay(ms: number): number {
  return Math.floor((ms + 8 * 3_600_000) / 86_400_000);
}
/** The instant a Shanghai day starts. */
export function shanghaiDayStart(day: number): number {
  return day * 86_400_000 - 8 * 3_600_000;
}

/** One count the stores return: marks of `metric` with `outcome`, under `key` of the dimension asked. */
export interface FactCount {
  metric: Metric;
  key: string;
  /** The key under the query's second dimension (`then`), when one was asked. */
  key2?: string;
  outcome: string;
  n: number;
}

export interface Ratio {
  numerator: number;
  denominator: number;
  /** numerator / denominator, or null when nothing was counted. */
  rate: number | null;
}

export interface Figures {
  key: string;
  submitted: number;
  /** 响应率 (pingli 10(1)): sign windows closed in the period, and met. */
  response: Ratio;
  /** 解决率 (hohhot 33, baiyin 28): concluded in the period, in a resolved state and not finally rated dissatisfied. */
  resolution: Ratio;
  /** 满意率 (pingli 30, hohhot 33): last ratings given in the period that count as satisfied under the profile. */
  satisfaction: Ratio;
  /** 按时办结率 (pingli 30): tickets whose handling deadlines all closed, the last in the period, none missed. */
  onTime: Ratio;
  extensions: number;
  returns: number;
  /** Upheld appeals of the unit decided in the period (pingli 31); the tickets they concern are out of the named rates. */
  appeals: number;
}

const ratio = (numerator: number, denominator: number): Ratio => ({ numerator, denominator, rate: denominator ? numerator / denominator : null });

/** Whether an outcome of a rate's metric counts in its numerator, under the profile. */
export function outcomeCounts(profile: PolicyProfile, metric: 'response' | 'resolution' | 'satisfaction' | 'onTime', outcome: string): boolean {
  switch (metric) {
    case 'response':
      return outcome === OUTCOME.responded;
    // (An appealed outcome matches none of these: it is outside the rate, see figuresFromCounts.)
    case 'onTime':
      return outcome === OUTCOME.met;
    case 'satisfaction':
      return profile.rating.options.some((o) => o.value === outcome && o.countsAsSatisfied);
    case 'resolution': {
      if (!outcome.startsWith(OUTCOME.resolvedPrefix)) return false;
      const value = outcome.slice(OUTCOME.resolvedPrefix.length);
      return !profile.rating.options.some((o) => o.value === value && o.dissatisfied);
    }
  }
}

/** The outcomes of a metric that count in (or out of) its numerator, among those seen; appealed ones are in neither. */
export function outcomesWhere(profile: PolicyProfile, metric: 'response' | 'resolution' | 'satisfaction' | 'onTime', seen: string[], counted: boolean): string[] {
  return seen.filter((o) => !isAppealed(o) && outcomeCounts(profile, metric, o) === counted);
}

/** The figures of each key from the stores' counts. Keys are sorted; '*' first. */
/** The figures of a key nothing was counted under. */
export const emptyFigures = (key: string): Figures => ({ key, submitted: 0, response: ratio(0, 0), resolution: ratio(0, 0), satisfaction: ratio(0, 0), onTime: ratio(0, 0), extensions: 0, returns: 0, appeals: 0 });

export function figuresFromCounts(counts: FactCount[], profile: PolicyProfile): Figures[] {
  const acc = new Map<string, Figures>();
  const get = (key: string) => {
    let f = acc.get(key);
    if (!f) acc.set(key, (f = emptyFigures(key)));
    return f;
  };
  for (const c of counts) {
    if (c.n === 0) continue;
    const f = get(c.key);
    if (c.metric === 'submitted') f.submitted += c.n;
    else if (c.metric === 'extension') f.extensions += c.n;
    else if (c.metric === 'return') f.returns += c.n;
    else if (c.metric === 'appeal') f.appeals += c.n;
    else if (isAppealed(c.outcome)) continue;
    else {
      const r = f[c.metric];
      const num = r.numerator + (outcomeCounts(profile, c.metric, c.outcome) ? c.n : 0);
      f[c.metric] = ratio(num, r.denominator + c.n);
    }
  }
  return [...acc.values()].sort((a, b) => (a.key === '*' ? -1 : b.key === '*' ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
