import type { Actor } from '../../shared/contracts/common';
import type { Command, CommandOf } from '../../shared/contracts/commands';
import type { DeadlineKind, Ticket, TicketEvent } from '../../shared/contracts/ticket';
import { DEADLINE_KIND_LABELS, deadlineName } from '../../shared/labels';
import { alarmsFor, decide, type Alarm, type DecideContext } from '../../shared/workflow';
import { DomainError } from '../../shared/errors';
import type { Deps } from './deps';
import { runEffects } from './effects';
import { noticeFor } from './notices';
import { loadPolicy } from './policy';

const SYSTEM: Actor = { userId: 'system', role: 'system', name: '系统' };

export interface TimerReport {
  runId: string;
  claimed: number;
  reminders: number;
  overdue: number;
  supervised: number;
  skipped: number;
  failed: number;
}

export interface TimerOptions {
  batch?: number;
  leaseMs?: number;
  /** Stops after this many alarms (tests use it to simulate a crash part-way). */
  maxAlarms?: number;
  /** Called after each alarm (tests use it to kill a run part-way). */
  afterAlarm?: (a: Alarm) => void;
}

/**
 * One timer run. Alarms are claimed with a lease, so two overlapping runs never take the same
 * one and a crashed run's alarms come back when the lease ends. Reminders are sent with the
 * alarm key as the dedupe key, so a re-run after a crash never sends one twice.
 * The cost follows the number of due alarms, through the index on (status, fire_at).
 */
export async function runTimer(deps: Deps, runId: string, opts: TimerOptions = {}): Promise<TimerReport> {
  const batch = opts.batch ?? 200;
  const leaseMs = opts.leaseMs ?? 60_000;
  const report: TimerReport = { runId, claimed: 0, reminders: 0, overdue: 0, supervised: 0, skipped: 0, failed: 0 };
  for (;;) {
    const now = deps.clock.now();
    const alarms = await deps.store.claimAlarms(runId, now, batch, leaseMs);
    if (!alarms.length) break;
    report.claimed += alarms.length;
    for (const alarm of alarms) {
      if (opts.maxAlarms !== undefined && report.claimed - alarms.length + alarms.indexOf(alarm) >= opts.maxAlarms) return report;
      try {
        const outcome = await fire(deps, alarm, report);
        await deps.store.completeAlarm(alarm.key, runId, outcome);
      } catch (e) {
        report.failed++;
        // A stale version means a person acted meanwhile: the next claim after the lease retries it.
        if (!(e instanceof DomainError && e.code === 'stale-version') && process.env.NODE_ENV !== 'test') console.error('[timer]', alarm.key, e);
      }
      opts.afterAlarm?.(alarm);
    }
    if (alarms.length < batch) break;
  }
  return report;
}

async function fire(deps: Deps, alarm: Alarm, report: TimerReport): Promise<string> {
  const ticket = await deps.store.get(alarm.ticketId);
  if (!ticket) return 'gone';
  const live = ticket.deadlines.find((d) => d.kind === alarm.deadline && d.dueAt === alarm.dueAt && d.status === 'active');
  const now = deps.clock.now();
  const { profile, calendar } = await loadPolicy(deps.directory, now);
  const ctx = { now, profile, calendar };

  if (alarm.kind === 'dueSoon') {
    if (!live) return report.skipped++, 'stale';
    const staff = await deps.directory.listUsers({ unitId: alarm.owner, role: 'staff' });
    const pct = Math.round(alarm.threshold * 100);
    // Named by its own kind: a signing reminder must not read as if the handling time were gone.
    const notice = noticeFor('dueSoon', ticket, `${deadlineName(alarm.deadline)}已过${pct}%，请尽快${DEADLINE_KIND_LABELS[alarm.deadline as DeadlineKind] ?? '办理'}`, now, false);
    for (const u of staff) await deps.notifier.send({ userId: u.id, ...(u.openid ? { openid: u.openid } : {}) }, notice, `${alarm.key}:${u.id}`);
    report.reminders++;
    return 'sent';
  }

  if (alarm.kind === 'overdue') {
    if (!live) {
      // An earlier run may have saved the mark and died before its notices: send what is missing.
      const missed = ticket.deadlines.find((d) => d.kind === alarm.deadline && d.dueAt === alarm.dueAt && d.status === 'missed');
      const event = missed && (await savedByTimer(deps, ticket, alarm));
      if (missed && event) {
        const before: Ticket = { ...ticket, version: event.seq - 1, deadlines: ticket.deadlines.map((d) => (d === missed ? { ...d, status: 'active' as const, closedAt: undefined } : d)) };
        if (await resendEffects(deps, ticket, event, before, { type: 'markOverdue', ticketId: ticket.id, kinds: [alarm.deadline] }, ctx)) return 'resent';
      }
      return report.skipped++, 'stale';
    }
    const d = decide(ticket, { type: 'markOverdue', ticketId: ticket.id, expectedVersion: ticket.version, kinds: [alarm.deadline] }, SYSTEM, ctx);
    if (!d.ok) return report.skipped++, d.code;
    await deps.store.update(d.ticket, ticket.version, d.event, alarmsFor(d.ticket, profile));
    await runEffects(deps, d.ticket, d.event, d.effects);
    report.overdue++;
    return 'overdue';
  }

  // A supervision trigger fired and nobody supervised yet: raise the lowest level.
  if (ticket.supervision.level > 0) {
    // Raised by an earlier run that died before its notices: send what is missing.
    const event = await savedByTimer(deps, ticket, alarm);
    if (event) {
      const before: Ticket = { ...ticket, version: event.seq - 1, supervision: { ...ticket.supervision, level: 0 } };
      const trigger = event.data?.trigger as CommandOf<'supervise'>['trigger'];
      if (await resendEffects(deps, ticket, event, before, { type: 'supervise', ticketId: ticket.id, level: 1, method: 'system', ...(trigger ? { trigger } : {}) }, ctx)) return 'resent';
    }
    return report.skipped++, 'already';
  }
  const trigger = ticket.supervision.triggers[ticket.supervision.triggers.length - 1];
  const d = decide(ticket, { type: 'supervise', ticketId: ticket.id, expectedVersion: ticket.version, level: 1, method: 'system', ...(trigger ? { trigger } : {}) }, SYSTEM, ctx);
  if (!d.ok) return report.skipped++, d.code;
  await deps.store.update(d.ticket, ticket.version, d.event, alarmsFor(d.ticket, profile));
  await runEffects(deps, d.ticket, d.event, d.effects);
  report.supervised++;
  return 'supervised';
}

/** The event a run of this alarm saved: the system's overdue mark of its deadline, or its 督办. */
async function savedByTimer(deps: Deps, ticket: Ticket, alarm: Alarm): Promise<TicketEvent | undefined> {
  const events = await deps.store.events(ticket.id);
  return [...events].reverse().find((e) =>
    e.actor.role === 'system' &&
    (alarm.kind === 'overdue'
      ? e.type === 'markOverdue' && ((e.data?.kinds as string[] | undefined) ?? []).includes(alarm.deadline) && e.at > alarm.dueAt
      : e.type === 'supervise' && e.at >= alarm.fireAt),
  );
}

/**
 * Runs again the notices of a saved event, as the decision made them from the ticket before it.
 * The notifier's dedupe keys (event id, template, user) let through only those not yet sent.
 */
async function resendEffects(deps: Deps, ticket: Ticket, event: TicketEvent, before: Ticket, command: Command, ctx: DecideContext): Promise<boolean> {
  const d = decide(before, command, SYSTEM, { ...ctx, now: event.at });
  if (!d.ok) return false;
  await runEffects(deps, ticket, event, d.effects.filter((e) => e.kind === 'notify'));
  return true;
}
