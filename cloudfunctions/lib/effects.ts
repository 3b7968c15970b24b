import type { Ticket, TicketEvent } from '../../shared/contracts/ticket';
import type { Effect } from '../../shared/workflow/effects';
import type { OutboxEffect, Recipient } from '../../shared/ports';
import type { Deps } from './deps';
import { noticeFor } from './notices';

/**
 * The transactional outbox. A decision's notices become `OutboxEffect`s with stable ids
 * (`<event id>:<n>`), saved by the store in the same commit as the ticket and its event, so a
 * state change and the notices it owes are never separated. The drainer delivers them after the
 * request (the local runtime does not make the caller wait) and on every timer run:
 * - fan-out happens here: the audience (requester, a unit's staff, the operators) is resolved to
 *   users when the effect is delivered, each user's delivery keyed by `deliveryKey`, so a
 *   re-run after a crash sends only what is missing;
 * - a run that fails (the store or the sender's store down) leaves the effect pending with
 *   `attempts + 1` and `nextAt` backed off exponentially; after `EFFECT_RETRY.attempts` it is failed;
 * - an effect whose deliveries failed is `failed` too, listed for operators with a retry action.
 * The window: a crash after WeChat accepted a message and before its delivery is marked sent
 * leaves it `pending`; the next drain sends it again (at-least-once, one duplicate at most per
 * crash in that window, which is the two statements around `sender.send` in lib/delivery.ts).
 */
export const EFFECT_RETRY = { attempts: 6, baseDelayMs: 30_000, maxDelayMs: 30 * 60_000 } as const;

/** The delay before attempt `attempts + 1` (attempts already made ≥ 1). */
export function backoff(attempts: number): number {
  return Math.min(EFFECT_RETRY.maxDelayMs, EFFECT_RETRY.baseDelayMs * 2 ** Math.max(0, attempts - 1));
}

/** The notices of a decision as outbox effects of its event (createChildren is part of the commit itself). */
export function outboxEffects(ticket: Ticket, event: TicketEvent, effects: readonly Effect[]): OutboxEffect[] {
  const out: OutboxEffect[] = [];
  effects.forEach((e, i) => {
    if (e.kind !== 'notify') return;
    const requester = e.audience.kind === 'requester';
    const requesterId = ticket.requester.userId ?? (ticket.reporter.role === 'grid' ? ticket.reporter.userId : undefined);
    // Every requester of the matter is told (merged and joined co-requesters with an account).
    const coRequesterIds = requester ? [...new Set((ticket.coRequesters ?? []).map((c) => c.userId).filter((u): u is string => u !== undefined && u !== requesterId))] : [];
    out.push({
      id: `${event.id}:${i}`,
      ticketId: ticket.id,
      eventId: event.id,
      audience: e.audience,
      ...(requester && requesterId ? { requesterId } : {}),
      ...(coRequesterIds.length ? { coRequesterIds } : {}),
      ...(requester && !requesterId && ticket.channel === 'phone' && ticket.requester.phone ? { callerPhone: ticket.requester.phone } : {}),
      notice: noticeFor(e.template, ticket, e.summary, event.at, e.audience.kind === 'operators' ? 'operator' : requester),
      status: 'pending',
      attempts: 0,
      nextAt: event.at,
      createdAt: event.at,
      updatedAt: event.at,
    });
  });
  return out;
}

/** Who an effect's audience is, in users, now. */
async function recipients(deps: Deps, e: OutboxEffect): Promise<Recipient[]> {
  const a = e.audience;
  const toRecipient = (u: { id: string; openid?: string }): Recipient => ({ userId: u.id, ...(u.openid ? { openid: u.openid } : {}) });
  if (a.kind === 'requester') {
    // A phone caller has no account: the notice is recorded for the ticket and can go out by SMS.
    const own: Recipient[] = e.requesterId ? [] : e.callerPhone ? [{ userId: `caller:${e.ticketId}`, phone: e.callerPhone }] : [];
    const ids = [...(e.requesterId ? [e.requesterId] : []), ...(e.coRequesterIds ?? [])];
    const users = await Promise.all(ids.map((id) => deps.directory.getUser(id)));
    return [...own, ...users.filter((u): u is NonNullable<typeof u> => !!u && u.deletedAt === undefined).map(toRecipient)];
  }
  const users = a.kind === 'operators'
    ? await deps.directory.listUsers({ role: 'operator' })
    : (await Promise.all(a.unitIds.map((unitId) => deps.directory.listUsers({ unitId, role: 'staff' })))).flat();
  const seen = new Set<string>();
  return users.filter((u) => u.deletedAt === undefined && !seen.has(u.id) && seen.add(u.id)).map(toRecipient);
}

/**
 * A user's delivery of an effect: `<event id>:<template>:<user id>`. One event never owes a user
 * the same template twice (two audiences of one event holding the same user get one message).
 */
export const deliveryKey = (e: OutboxEffect, userId: string) => `${e.eventId}:${e.notice.template}:${userId}`;

export interface DrainReport {
  claimed: number;
  done: number;
  failed: number;
  retried: number;
  deliveries: number;
}

export interface DrainOptions {
  runId?: string;
  limit?: number;
  leaseMs?: number;
  /** Stops claiming once this instant (deps.clock) has passed. */
  deadline?: number;
}

/** Delivers due effects until none is left or the deadline passes. Never throws for one effect's failure. */
export async function drainEffects(deps: Deps, opts: DrainOptions = {}): Promise<DrainReport> {
  const runId = opts.runId ?? deps.ids.id('drain');
  const limit = opts.limit ?? 50;
  const report: DrainReport = { claimed: 0, done: 0, failed: 0, retried: 0, deliveries: 0 };
  for (;;) {
    if (opts.deadline !== undefined && deps.clock.now() >= opts.deadline) break;
    const batch = await deps.store.claimEffects(runId, deps.clock.now(), limit, opts.leaseMs ?? 60_000);
    if (!batch.length) break;
    report.claimed += batch.length;
    for (const e of batch) {
      // Claimed but not started: its lease runs out and the next drain takes it.
      if (opts.deadline !== undefined && deps.clock.now() >= opts.deadline) return report;
      await deliverOne(deps, runId, e, report);
    }
    if (batch.length < limit) break;
  }
  return report;
}

/** How many of one effect's messages are in flight at once. */
export const SEND_CONCURRENCY = 8;

/** Fans one effect out to its audience and sends each user's notice; counts the failed deliveries. */
export async function sendEffect(deps: Deps, e: OutboxEffect): Promise<{ sent: number; failed: number; lastCode?: string }> {
  let failed = 0;
  let sent = 0;
  let lastCode: string | undefined;
  const queue = await recipients(deps, e);
  // A few sends at once: a fan-out to 50 operators over a 200 ms channel takes ~1.4 s, not 10 s,
  // and each user's delivery still has its own dedupe key (a re-run sends only what is missing).
  const worker = async () => {
    for (let r = queue.shift(); r; r = queue.shift()) {
      const res = await deps.notifier.send(r, e.notice, deliveryKey(e, r.userId));
      sent++;
      if (res.status === 'failed') {
        failed++;
        lastCode = res.errorCode;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(SEND_CONCURRENCY, queue.length) }, worker));
  return { sent, failed, ...(lastCode !== undefined ? { lastCode } : {}) };
}

async function deliverOne(deps: Deps, runId: string, e: OutboxEffect, report: DrainReport): Promise<void> {
  const attempts = e.attempts + 1;
  try {
    const { sent, failed, lastCode } = await sendEffect(deps, e);
    report.deliveries += sent;
    const now = deps.clock.now();
    if (failed) {
      report.failed++;
      await deps.store.settleEffect(e.id, runId, { status: 'failed', attempts, nextAt: now, updatedAt: now, lastError: `${failed} 条消息发送失败${lastCode ? `（${lastCode}）` : ''}` });
    } else {
      report.done++;
      await deps.store.settleEffect(e.id, runId, { status: 'done', attempts, nextAt: now, updatedAt: now });
    }
  } catch (err) {
    const now = deps.clock.now();
    const final = attempts >= EFFECT_RETRY.attempts;
    if (final) report.failed++;
    else report.retried++;
    const lastError = String((err as Error)?.message ?? err).slice(0, 200);
    // If even this write fails, the lease runs out and the next drain takes the effect again.
    await deps.store.settleEffect(e.id, runId, { status: final ? 'failed' : 'pending', attempts, nextAt: now + backoff(attempts), updatedAt: now, lastError }).catch(() => undefined);
  }
}

/**
 * After a commit: deliver its effects now (`inline`: the function tests), in the background
 * (`background`: the local runtime, so the caller never waits on a fan-out or on the sender) or
 * not at all (`off`: CloudBase, whose instance may be frozen once it answers; its minute timer is
 * the drainer). The timer drains whatever is left in every mode.
 */
export async function afterCommit(deps: Deps): Promise<void> {
  if (deps.drain === 'off') return;
  if (deps.drain === 'background') {
    setImmediate(() => void drainEffects(deps).catch(() => undefined));
    return;
  }
  await drainEffects(deps).catch(() => undefined);
}

/**
 * An operator's retry of a failed effect: its failed deliveries go back to pending (the notifier
 * resumes a pending delivery) and the effect is due now. Returns false if it was not failed.
 */
export async function retryEffect(deps: Deps, effectId: string): Promise<boolean> {
  const [effect] = (await deps.store.listEffects('failed', 1000)).filter((x) => x.id === effectId);
  if (!effect) return false;
  const now = deps.clock.now();
  for (const r of await recipients(deps, effect)) {
    const key = deliveryKey(effect, r.userId);
    const d = await deps.directory.deliveryByDedupeKey(key);
    if (d && d.status === 'failed') await deps.directory.updateDelivery(d.id, { status: 'pending', attempts: 0, updatedAt: now });
  }
  return deps.store.retryEffect(effectId, now);
}
