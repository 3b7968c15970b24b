/**
 * The deadline a list row shows: the one the list is sorted by (the earliest active one), named by
 * its kind, and the limits already missed named too. One rule for the units' inbox and the
 * operators' queues; plain TS, jest-tested (test/native/rowDeadline.test.ts).
 */
import { DEADLINE_KIND_LABELS, deadlineName } from '../../../shared/labels';
import type { DeadlineKind } from '../../../shared/contracts/ticket';
import { formatRemaining, formatTime } from '../util/format';

export interface RowDue {
  kind?: string;
  dueAt: number;
  startedAt?: number;
}

/** What list rows carry (older servers send `dueAt` alone). */
export interface RowDeadlineFields {
  dueAt: number | null;
  overdue: boolean;
  nextDue?: RowDue | null;
  missedKinds?: string[];
  /** The deadline is provisional (a year without holiday data): shown as 暂定. */
  dueProvisional?: boolean;
}

export function rowDue(item: RowDeadlineFields): RowDue | null {
  if (item.nextDue !== undefined) return item.nextDue;
  return item.dueAt !== null ? { dueAt: item.dueAt } : null;
}

/** "签收期限", "办理期限"; "期限" when the kind is unknown. */
export function dueLabel(kind: string | undefined): string {
  return `${(kind && DEADLINE_KIND_LABELS[kind as DeadlineKind]) || ''}期限`;
}

/** "已超过签收时限", "已超过签收、办理时限", or '' when nothing was missed. */
export function missedText(kinds: string[] | undefined): string {
  const names = (kinds ?? []).map((k) => DEADLINE_KIND_LABELS[k as DeadlineKind]).filter(Boolean);
  if (names.length === 0) return '';
  return names.length === 1 ? `已超过${deadlineName(kinds![0]!)}` : `已超过${names.join('、')}时限`;
}

/**
 * The row's deadline line: the missed limits first, then the running deadline with its kind,
 * e.g. "已超过签收时限 · 办理期限 2026-03-09 23:59 · 还剩6天13小时".
 */
export function rowDeadlineText(item: RowDeadlineFields, now: number): string {
  const due = rowDue(item);
  const missed = missedText(item.missedKinds);
  const parts: string[] = [];
  if (missed) parts.push(missed);
  else if (item.overdue && due && due.dueAt >= now) parts.push('有期限已超过');
  if (due) parts.push(`${dueLabel(due.kind)} ${formatTime(due.dueAt)}`, due.dueAt >= now ? `还剩${formatRemaining(due.dueAt, now)}` : formatRemaining(due.dueAt, now));
  else if (!missed) parts.push(item.overdue ? '期限已过，请尽快办理' : '暂无进行中的期限');
  return parts.join(' · ');
}

/**
 * How long before a deadline its row turns amber: the profile's warning window, but never more
 * than the last half of the deadline's own span, so a one-day 受理 limit is not amber from its
 * first minute under a one-day window.
 */
export function warningFor(due: RowDue | null, windowMs: number): number {
  if (!due || due.startedAt === undefined || due.dueAt <= due.startedAt) return windowMs;
  return Math.min(windowMs, (due.dueAt - due.startedAt) / 2);
}
