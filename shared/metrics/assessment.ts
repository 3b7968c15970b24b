import type { Ticket, TicketEvent } from '../contracts/ticket';
import type { PolicyProfile } from '../profiles/schema';
import { resolvedStates, type StateId } from '../workflow/states';

export interface Period {
  from: number; // inclusive, epoch ms
  to: number; // exclusive
}

export interface Ratio {
  numerator: number;
  denominator: number;
  /** numerator / denominator, or null when nothing was counted. */
  rate: number | null;
}

export interface UnitFigures {
  unitId: string;
  /**
   * 响应率: dispatched to the unit in the period, and signed within the sign window (pingli 10(1));
   * without a sign window, signed at all. A ticket not yet signed whose window is still open at
   * `now` is not counted either way: the unit still has time to respond.
   */
  response: Ratio;
  /** 解决率 (hohhot 33, baiyin 28): handled in the period and concluded without a final dissatisfied rating. */
  resolution: Ratio;
  /** 满意率 (pingli 30, hohhot 33): rated in the period, and the rating counts as satisfied under the profile (pingli 17: 基本满意 counts). */
  satisfaction: Ratio;
  /** 按时办结率 (pingli 30): handling deadlines closed in the period, and met. */
  onTime: Ratio;
  /** Approved extensions and requested returns in the period. */
  extensions: number;
  returns: number;
}

const ratio = (numerator: number, denominator: number): Ratio => ({ numerator, denominator, rate: denominator ? numerator / denominator : null });
const within = (t: number | undefined, p: Period) => t !== undefined && t >= p.from && t < p.to;
// A merged duplicate is handled (and counted) as the ticket it was merged into, like a split parent as its children.
const excluded: StateId[] = ['withdrawn', 'rejected', 'split', 'merged'];

/**
 * The figures of each unit that led a ticket, and of all units together ('*').
 * `now`: the instant the figures are taken (the server's clock); by default the period's end.
 */
export function assess(tickets: Ticket[], events: TicketEvent[], profile: PolicyProfile, period: Period, unitId?: string, now: number = period.to): UnitFigures[] {
  type Acc = { r: [number, number]; s: [number, number]; sat: [number, number]; ot: [number, number]; ext: number; ret: number };
  const acc = new Map<string, Acc>();
  const get = (u: string) => {
    let a = acc.get(u);
    if (!a) acc.set(u, (a = { r: [0, 0], s: [0, 0], sat: [0, 0], ot: [0, 0], ext: 0, ret: 0 }));
    return a;
  };
  const both = (u: string, f: (a: Acc) => void) => {
    if (unitId && u !== unitId) return;
    f(get(u));
    f(get('*'));
  };
  const satisfiedValues = new Set(profile.rating.options.filter((o) => o.countsAsSatisfied).map((o) => o.value));
  const dissatisfiedValues = new Set(profile.rating.options.filter((o) => o.dissatisfied).map((o) => o.value));

  for (const t of tickets) {
    const lead = t.assignments.find((a) => a.role === 'lead');
    if (!lead || excluded.includes(t.state as StateId)) continue;
    const u = lead.unitId;
    if (within(lead.dispatchedAt, period)) {
      const sign = [...t.deadlines].reverse().find((d) => d.kind === 'sign' && d.owner === u);
      const responded = lead.signedAt !== undefined && (!sign || sign.status === 'met');
      const stillInWindow = lead.signedAt === undefined && sign?.status === 'active' && sign.dueAt >= now;
      if (!stillInWindow) both(u, (a) => { a.r[1]++; if (responded) a.r[0]++; });
    }
    const concludedAt = t.resolvedAt ?? t.closedAt;
    // Terminated, or passed to an emergency line (its matter left the platform): not the unit's to resolve.
    if (within(concludedAt, period) && t.state !== 'terminated' && t.state !== 'handedOff') {
      const last = t.ratings[t.ratings.length - 1];
      const solved = resolvedStates.includes(t.state as StateId) && !(last && dissatisfiedValues.has(last.value));
      both(u, (a) => { a.s[1]++; if (solved) a.s[0]++; });
    }
    const rating = t.ratings[t.ratings.length - 1];
    if (rating && within(rating.at, period)) both(u, (a) => { a.sat[1]++; if (satisfiedValues.has(rating.value)) a.sat[0]++; });
    for (const d of t.deadlines) {
      if ((d.kind === 'handle' || d.kind === 'rework') && d.owner === u && (d.status === 'met' || d.status === 'missed') && within(d.closedAt, period)) {
        both(u, (a) => { a.ot[1]++; if (d.status === 'met') a.ot[0]++; });
      }
    }
  }
  const leadOf = new Map(tickets.map((t) => [t.id, t.assignments.find((a) => a.role === 'lead')?.unitId]));
  for (const e of events) {
    if (!within(e.at, period)) continue;
    if (e.type === 'reviewExtension' && e.data?.approve === true) {
      const u = leadOf.get(e.ticketId);
      if (u) both(u, (a) => a.ext++);
    }
    if (e.type === 'requestReturn' && e.actor.unitId) both(e.actor.unitId, (a) => a.ret++);
  }
  if (!acc.has('*')) get('*');
  return [...acc.entries()].map(([u, a]) => ({
    unitId: u,
    response: ratio(...a.r),
    resolution: ratio(...a.s),
    satisfaction: ratio(...a.sat),
    onTime: ratio(...a.ot),
    extensions: a.ext,
    returns: a.ret,
  }));
}

/** Monday 00:00 Asia/Shanghai of the week holding `ms`, as epoch ms. */
export function shanghaiWeekStart(ms: number): number {
  const day = 86_400_000;
  const local = ms + 8 * 3_600_000;
  const dayIndex = Math.floor(local / day);
  const weekday = (dayIndex + 3) % 7; // 1970-01-01 was a Thursday → 0 = Monday
  return (dayIndex - weekday) * day - 8 * 3_600_000;
}
