/** Which deadline a unit is shown for a ticket, including one already missed (the server's view drops it). */
import type { Deadline } from '../../../shared/contracts/ticket';
import { deadlineBasis } from '../../../shared/workflow/deadlineBasis';
import type { StaffTicketDetail } from '../api/types';

export interface ShownDeadline {
  kind: string;
  dueAt: number;
  basis: string;
  status: string;
}

/** The basis of a deadline in the server's own words (platform-set numbers and 暂定 included). */
export const basisOf = deadlineBasis;

/**
 * The deadline a unit is shown: the earliest active one of its own (as its inbox is sorted; a
 * 待签收 ticket shows the signing limit, not the handling one), else the one the server picked,
 * else the last missed handling (or rework, or sign) deadline.
 */
export function shownDeadline(detail: Pick<StaffTicketDetail, 'deadline' | 'ticket'>, unitId?: string): ShownDeadline | null {
  const own = (detail.ticket.deadlines ?? []).filter((d) => d.status === 'active' && d.owner !== 'platform' && (!unitId || d.owner === unitId));
  const earliest = [...own].sort((a, b) => a.dueAt - b.dueAt)[0];
  if (earliest) return { kind: earliest.kind, dueAt: earliest.dueAt, basis: basisOf(earliest), status: 'active' };
  if (detail.deadline) return { kind: detail.deadline.kind, dueAt: detail.deadline.dueAt, basis: detail.deadline.basis, status: detail.deadline.status ?? 'active' };
  const missed = (detail.ticket.deadlines ?? []).filter((d) => d.status === 'missed');
  const pick = [...missed].reverse().find((d) => d.kind === 'rework' || d.kind === 'handle') ?? missed[missed.length - 1];
  return pick ? { kind: pick.kind, dueAt: pick.dueAt, basis: basisOf(pick), status: 'missed' } : null;
}

/** Kinds of the limits this ticket already missed (each once). */
export function missedKinds(detail: Pick<StaffTicketDetail, 'ticket'>): string[] {
  return [...new Set((detail.ticket.deadlines ?? []).filter((d) => d.status === 'missed').map((d) => d.kind))];
}

/** An active deadline of one kind (e.g. the 24-hour sign deadline), if the ticket carries one. */
export function activeDeadline(detail: Pick<StaffTicketDetail, 'ticket'>, kind: Deadline['kind']): Deadline | undefined {
  return (detail.ticket.deadlines ?? []).find((d) => d.kind === kind && d.status === 'active');
}

/** The span of the ticket's handling deadline as dispatched ("5个工作日"). */
export function handlingSpanText(detail: Pick<StaffTicketDetail, 'ticket'>): string | undefined {
  const all = (detail.ticket.deadlines ?? []).filter((d) => d.kind === 'handle');
  return all[all.length - 1]?.span;
}

export function regulationOf(detail: Pick<StaffTicketDetail, 'ticket'>): string {
  return detail.ticket.deadlines?.[0]?.regulation ?? '';
}
