import type { CoRequester, Deadline, Ticket } from '../contracts/ticket';

export type SummaryDeadline = Pick<Deadline, 'kind' | 'startedAt' | 'dueAt' | 'status' | 'provisional'>;

/**
 * What a list row (cloudfunctions/lib/tickets.ts listView, search.ts searchView) reads of a
 * ticket, and nothing else: the stores keep it beside the ticket, written in the same commit
 * (SQLite: the `summary` column; CloudBase: the `summary` field of the ticket's document), so a
 * list parses a few hundred bytes a row instead of the whole document (issue 19).
 * A whole Ticket is a TicketSummary too: a store may answer with the document where it has no summary.
 */
export type TicketSummary = Pick<
  Ticket,
  'id' | 'number' | 'title' | 'type' | 'category' | 'urgency' | 'urgentHint' | 'utilities' | 'channel' | 'state' | 'createdAt' | 'updatedAt' | 'overdue' | 'supervision' | 'complainedUnitId'
> & {
  /**
   * The active and the missed deadlines, without their citations and calculations: a row shows
   * the current and the next active one and the kinds already missed (met and cancelled ones
   * play no part in a row).
   */
  deadlines: SummaryDeadline[];
  counters: Pick<Ticket['counters'], 'reworks'>;
  /** A row's state label asks only whether this round was rated. */
  ratings: Pick<Ticket['ratings'][number], 'round'>[];
  location: Pick<Ticket['location'], 'area' | 'grid'>;
  requester: Pick<Ticket['requester'], 'userId' | 'name' | 'phone' | 'confidential'>;
  reporter: Pick<Ticket['reporter'], 'userId' | 'role'>;
  /** For the collective count (requesterCount in shared/policy). */
  coRequesters?: Pick<CoRequester, 'phone' | 'userId'>[];
};

export function summaryOf(t: Ticket): TicketSummary {
  return {
    id: t.id,
    number: t.number,
    title: t.title,
    type: t.type,
    category: t.category,
    urgency: t.urgency,
    ...(t.urgentHint !== undefined ? { urgentHint: t.urgentHint } : {}),
    utilities: t.utilities,
    channel: t.channel,
    state: t.state,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    deadlines: t.deadlines
      .filter((d) => d.status === 'active' || d.status === 'missed')
      .map((d) => ({ kind: d.kind, startedAt: d.startedAt, dueAt: d.dueAt, status: d.status, ...(d.provisional !== undefined ? { provisional: d.provisional } : {}) })),
    overdue: t.overdue,
    supervision: t.supervision,
    counters: { reworks: t.counters.reworks },
    ratings: t.ratings.map((r) => ({ round: r.round })),
    ...(t.complainedUnitId !== undefined ? { complainedUnitId: t.complainedUnitId } : {}),
    location: { ...(t.location.area !== undefined ? { area: t.location.area } : {}), ...(t.location.grid !== undefined ? { grid: t.location.grid } : {}) },
    ...(t.coRequesters?.length ? { coRequesters: t.coRequesters.map((c) => ({ ...(c.phone !== undefined ? { phone: c.phone } : {}), ...(c.userId !== undefined ? { userId: c.userId } : {}) })) } : {}),
    reporter: { userId: t.reporter.userId, role: t.reporter.role },
    requester: {
      ...(t.requester.userId !== undefined ? { userId: t.requester.userId } : {}),
      ...(t.requester.name !== undefined ? { name: t.requester.name } : {}),
      ...(t.requester.phone !== undefined ? { phone: t.requester.phone } : {}),
      confidential: t.requester.confidential,
    },
  };
}
