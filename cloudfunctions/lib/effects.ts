import type { Ticket, TicketEvent } from '../../shared/contracts/ticket';
import type { Effect } from '../../shared/workflow/effects';
import type { Recipient } from '../../shared/ports';
import type { Deps } from './deps';
import { noticeFor } from './notices';

/** Who an audience is, in users. */
async function recipients(deps: Deps, ticket: Ticket, effect: Extract<Effect, { kind: 'notify' }>): Promise<{ to: Recipient[]; requester: boolean }> {
  const a = effect.audience;
  if (a.kind === 'requester') {
    const id = ticket.requester.userId ?? (ticket.reporter.role === 'grid' ? ticket.reporter.userId : undefined);
    // A phone caller has no account: the notice is recorded for the ticket and can go out by SMS.
    if (!id) return { to: ticket.channel === 'phone' && ticket.requester.phone ? [{ userId: `caller:${ticket.id}`, phone: ticket.requester.phone }] : [], requester: true };
    const u = await deps.directory.getUser(id);
    return { to: u ? [{ userId: u.id, ...(u.openid ? { openid: u.openid } : {}) }] : [], requester: true };
  }
  const users = a.kind === 'operators'
    ? await deps.directory.listUsers({ role: 'operator' })
    : (await Promise.all(a.unitIds.map((unitId) => deps.directory.listUsers({ unitId, role: 'staff' })))).flat();
  return { to: users.filter((u) => u.deletedAt === undefined).map((u) => ({ userId: u.id, ...(u.openid ? { openid: u.openid } : {}) })), requester: false };
}

/**
 * Runs the effects of a saved decision. Notices never block or undo the state change:
 * a failure is recorded by the notifier and logged here.
 */
export async function runEffects(deps: Deps, ticket: Ticket, event: TicketEvent, effects: Effect[], createChildren?: (e: Extract<Effect, { kind: 'createChildren' }>) => Promise<void>): Promise<void> {
  for (const effect of effects) {
    try {
      if (effect.kind === 'notify') {
        const { to, requester } = await recipients(deps, ticket, effect);
        const notice = noticeFor(effect.template, ticket, effect.summary, event.at, effect.audience.kind === 'operators' ? 'operator' : requester);
        for (const r of to) await deps.notifier.send(r, notice, `${event.id}:${effect.template}:${r.userId}`);
      } else if (effect.kind === 'createChildren' && createChildren) {
        await createChildren(effect);
      }
    } catch (e) {
      if (process.env.NODE_ENV !== 'test') console.error('[effect failed]', effect.kind, e);
    }
  }
}
