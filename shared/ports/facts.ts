import type { Dimension, FactCount, Metric, TicketFacts } from '../metrics/facts';
import type { Page } from './index';

/** A period's counts of facts marks under one dimension. */
export interface FactCountQuery {
  /** [from, to), epoch ms. */
  from: number;
  to: number;
  by: Dimension;
  /** A second dimension: each count is then for a pair of keys (`key` under `by`, `key2` under `then`), e.g. each category within each area. */
  then?: Dimension;
  /** Only marks of this unit (the unit dimension's key). */
  unitId?: string;
  /** Only marks of this metric (all when absent). */
  metric?: Metric;
}

/** The tickets behind one figure: marks of `metric` in the period under `by` = `key`, with one of `outcomes` (all when absent). */
export interface FactTicketQuery {
  metric: Metric;
  from: number;
  to: number;
  by: Dimension;
  key: string;
  outcomes?: string[];
  limit: number;
  cursor?: string | null;
}

/** Submissions of a period grouped as `repeated` reads them (at least `min` per group, largest first). */
export interface FactGroupQuery {
  from: number;
  to: number;
  min: number;
  limit: number;
}

/** Tickets of one category at one place: how many, from how many requesters, the first numbers (at most 10, oldest first). */
export interface PlaceGroup {
  category: string;
  place: string;
  count: number;
  requesters: number;
  numbers: string[];
}

/** The submissions of one requester: how many, their categories (sorted), and the id of their first ticket in the period. */
export interface RequesterGroup {
  requester: string;
  count: number;
  categories: string[];
  firstTicketId: string;
}

export interface FactTicket {
  ticketId: string;
  number: string;
  at: number;
  outcome: string;
}

/**
 * The facts side of a ticket store (shared/metrics/facts.ts): written by `create` and `update`
 * in the same write as the event, read here. Counting never loads tickets.
 */
export interface FactStore {
  factCounts(q: FactCountQuery): Promise<FactCount[]>;
  factTickets(q: FactTicketQuery): Promise<Page<FactTicket>>;
  /** Groups of submissions by category and place, ties by category then place. */
  factPlaces(q: FactGroupQuery): Promise<PlaceGroup[]>;
  /** Groups of submissions by requester, ties by requester key. */
  factRequesters(q: FactGroupQuery): Promise<RequesterGroup[]>;
  /** The facts record of a ticket, or null. */
  facts(ticketId: string): Promise<TicketFacts | null>;
}
