import type { Actor } from '../../shared/contracts/common';
import type { DeadlineKind } from '../../shared/contracts/ticket';
import { DEADLINE_KIND_LABELS, deadlineName } from '../../shared/labels';
import { alarmsFor, decide, type Alarm } from '../../shared/workflow';
import type { AlarmStep, OutboxEffect } from '../../shared/ports';
import type { Ticket, TicketEvent } from '../../shared/contracts/ticket';
import type { Deps } from './deps';
import { drainEffects, outboxEffects, type DrainReport } from './effects';
import { noticeFor, warningNotice } from './notices';
import { computeWarnings, WARNING_DEFAULTS } from './functions/stats';
import { createHash } from 'node:crypto';
import { policyFor } from './policy';

const SYSTEM: Actor = { userId: 'system', role: 'system', name: '系统' };

/** A run stops taking new work after this long, well before a cloud function's 60 s limit; the next run resumes. */
export const TIMER_BUDGET_MS = 40_000;

export interface TimerReport {
  runId: string;
  claimed: number;
  reminders: number;
  overdue: number;
  supervised: number;
  skipped: number;
  failed: number;
  /** Risk warnings new this run, each sent once to the operators. */
  warnings: number;
  /** The outbox drain at the end of the run. */
  drained: DrainReport;
  /** The run stopped because its time budget ran out (the rest is left for the next run). */
  outOfTime: boolean;
}

export interface TimerOptions {
  batch?: number;
  leaseMs?: number;
  /** Stops after this many alarms, saving the ones worked out (tests use it to simulate a crash part-way). */
  maxAlarms?: number;
  /** Called after each alarm is worked out, before its batch is saved (tests use it to kill a run part-way). */
  afterAlarm?: (a: Alarm) => void;
  /** Time budget of the run (deps.clock); default TIMER_BUDGET_MS. */
  budgetMs?: number;
  /** Ends with the outbox drain (default true); the bench turns it off to time the drain apart. */
  drain?: boolean;
}

/**
 * One timer run. Alarms are claimed with a lease, so two overlapping runs never take the same
 * one and a crashed run's alarms come back when the lease ends. A reminder is an outbox effect
 * whose id comes from the alarm key, saved with the alarm's mark, so a re-run after a crash never
 * owes it twice and the drain delivers it like any other notice. An overdue mark
 * or a 督办 is a command whose notices are saved in the same commit (the outbox) and delivered by
 * the drain that ends the run, so a crash between the mark and its notices loses nothing.
 * The run stops claiming when its time budget is spent; what is left stays due for the next run.
 * A claimed batch is saved in one call (`completeAlarms`: one SQLite transaction, a savepoint per
 * alarm), so a batch of 200 costs one commit, and one ticket's failure leaves the others saved.
 */
export async function runTimer(deps: Deps, runId: string, opts: TimerOptions = {}): Promise<TimerReport> {
  const batch = opts.batch ?? 200;
  const leaseMs = opts.leaseMs ?? 60_000;
  const deadline = deps.clock.now() + (opts.budgetMs ?? TIMER_BUDGET_MS);
  const report: TimerReport = { runId, claimed: 0, reminders: 0, overdue: 0, supervised: 0, skipped: 0, failed: 0, warnings: 0, drained: { claimed: 0, done: 0, failed: 0, retried: 0, deliveries: 0 }, outOfTime: false };
  for (;;) {
    if (deps.clock.now() >= deadline) {
      report.outOfTime = true;
      break;
    }
    const alarms = await deps.store.claimAlarms(runId, deps.clock.now(), batch, leaseMs);
    if (!alarms.length) break;
    const before = report.claimed;
    report.claimed += alarms.length;
    // Each alarm is worked out first (reads and decide), then the batch is saved in one call:
    // one transaction on SQLite, each step whole or not at all (TicketStore.completeAlarms).
    const steps: Planned[] = [];
    // A ticket changed by an earlier step of this batch: later steps start from that version.
    const changed = new Map<string, Ticket>();
    let stop: 'max' | 'time' | null = null;
    for (const [i, alarm] of alarms.entries()) {
      if (opts.maxAlarms !== undefined && before + i >= opts.maxAlarms) {
        stop = 'max';
        break;
      }
      if (deps.clock.now() >= deadline) {
        // Claimed but not started: its lease runs out and the next run takes it.
        stop = 'time';
        break;
      }
      try {
        steps.push(await plan(deps, alarm, changed));
      } catch (e) {
        report.failed++;
        if (process.env.NODE_ENV !== 'test') console.error('[timer]', alarm.key, e);
      }
      opts.afterAlarm?.(alarm);
    }
    const results = await deps.store.completeAlarms(runId, steps.map((p) => p.step));
    results.forEach((r, i) => {
      if (r.saved) {
        report[steps[i]!.counts]++;
        return;
      }
      report.failed++;
      // A stale version means a person acted meanwhile, a lost lease that another run holds the
      // alarm: the next claim after the lease retries it. Anything else is worth a log line.
      if (r.code !== 'stale-version' && r.code !== 'lease-lost' && process.env.NODE_ENV !== 'test') console.error('[timer]', r.key, r.code, r.error);
    });
    if (stop === 'max') return report;
    if (stop === 'time') {
      report.outOfTime = true;
      break;
    }
    if (alarms.length < batch) break;
  }
  if (deps.clock.now() < deadline) {
    try {
      report.warnings = await sendWarnings(deps, deps.clock.now());
    } catch (e) {
      // A failed look leaves the warnings to the next hour's run; the deadlines are not held up.
      if (process.env.NODE_ENV !== 'test') console.error('[timer] warnings', e);
    }
  }
  if (opts.drain !== false) report.drained = await drainEffects(deps, { runId: `${runId}:drain`, deadline });
  if (deps.clock.now() >= deadline) report.outOfTime = true;
  return report;
}

/** An alarm worked out: the step to save, and the report count it adds to once saved. */
interface Planned {
  step: AlarmStep;
  counts: 'reminders' | 'overdue' | 'supervised' | 'skipped';
}

async function plan(deps: Deps, alarm: Alarm, changed: Map<string, Ticket>): Promise<Planned> {
  const skip = (outcome: string): Planned => ({ step: { key: alarm.key, outcome }, counts: 'skipped' });
  const ticket = changed.get(alarm.ticketId) ?? (await deps.store.get(alarm.ticketId));
  if (!ticket) return { step: { key: alarm.key, outcome: 'gone' }, counts: 'skipped' };
  const live = ticket.deadlines.find((d) => d.kind === alarm.deadline && d.dueAt === alarm.dueAt && d.status === 'active');
  const now = deps.clock.now();
  const { profile, calendar } = await policyFor(deps.directory, now, ticket);
  const ctx = { now, profile, calendar };
  const change = (d: { ticket: Ticket; event: TicketEvent; effects: Parameters<typeof outboxEffects>[2] }): NonNullable<AlarmStep['change']> => {
    changed.set(ticket.id, d.ticket);
    return { ticket: d.ticket, expectedVersion: ticket.version, event: d.event, alarms: alarmsFor(d.ticket, profile), extras: { effects: outboxEffects(d.ticket, d.event, d.effects) } };
  };

  if (alarm.kind === 'dueSoon') {
    if (!live) return skip('stale');
    const pct = Math.round(alarm.threshold * 100);
    // Named by its own kind: a signing reminder must not read as if the handling time were gone.
    const notice = noticeFor('dueSoon', ticket, `${deadlineName(alarm.deadline)}已过${pct}%，请尽快${DEADLINE_KIND_LABELS[alarm.deadline as DeadlineKind] ?? '办理'}`, now, false);
    // Through the outbox like every other notice: saved with the alarm's mark, fanned out to the
    // unit's staff by the drain (one delivery per user, keyed by the alarm), retried with backoff.
    const effect: OutboxEffect = { id: `${alarm.key}:reminder`, ticketId: ticket.id, eventId: alarm.key, audience: { kind: 'units', unitIds: [alarm.owner] }, notice, status: 'pending', attempts: 0, nextAt: now, createdAt: now, updatedAt: now };
    return { step: { key: alarm.key, outcome: 'sent', effects: [effect] }, counts: 'reminders' };
  }

  if (alarm.kind === 'overdue') {
    // Marked by an earlier run: its notices are in the outbox, saved with the mark.
    if (!live) return skip('stale');
    const d = decide(ticket, { type: 'markOverdue', ticketId: ticket.id, expectedVersion: ticket.version, kinds: [alarm.deadline] }, SYSTEM, ctx);
    if (!d.ok) return skip(d.code);
    return { step: { key: alarm.key, outcome: 'overdue', change: change(d) }, counts: 'overdue' };
  }

  // A supervision trigger fired and nobody supervised yet: raise the lowest level.
  if (ticket.supervision.level > 0) return skip('already');
  const trigger = ticket.supervision.triggers[ticket.supervision.triggers.length - 1];
  const d = decide(ticket, { type: 'supervise', ticketId: ticket.id, expectedVersion: ticket.version, level: 1, method: 'system', ...(trigger ? { trigger } : {}) }, SYSTEM, ctx);
  if (!d.ok) return skip(d.code);
  return { step: { key: alarm.key, outcome: 'supervised', change: change(d) }, counts: 'supervised' };
}

/** The setting that holds the hour of the last look for risk warnings. */
export const WARNING_SCAN_SETTING = 'warnings-scan';
const HOUR = 3_600_000;

/**
 * Risk warnings sent to the operators (issue 18 §7; baiyin 20, hohhot 29): at most once an hour
 * (a look is 27 facts counts) the warnings of the current week are computed as the board computes
 * them (stats.warnings with its defaults), and each becomes an outbox notice to the operators,
 * about no ticket. The notice's id is the warning's key (its week, dimension and key), added once
 * by id: a warning still standing in a later run, or seen by two overlapping runs, is sent once.
 * Returns how many were new.
 */
export async function sendWarnings(deps: Deps, now: number): Promise<number> {
  // One look per hour across runs: the first run of the hour wins the revision.
  if (!(await deps.directory.putSettingIfNewer(WARNING_SCAN_SETTING, { rev: Math.floor(now / HOUR), at: now }))) return 0;
  const warnings = await computeWarnings(deps, now, WARNING_DEFAULTS.factor, WARNING_DEFAULTS.min);
  if (!warnings.length) return 0;
  const effects: OutboxEffect[] = warnings.map((w) => {
    const id = `warning:${w.weekStart}:${createHash('sha256').update(`${w.dimension}\u0000${w.key}`, 'utf8').digest('hex').slice(0, 24)}`;
    return { id, ticketId: '', eventId: id, audience: { kind: 'operators' }, notice: warningNotice(w.label, now), status: 'pending', attempts: 0, nextAt: now, createdAt: now, updatedAt: now };
  });
  return (await deps.store.addEffectsOnce(effects)).length;
}
