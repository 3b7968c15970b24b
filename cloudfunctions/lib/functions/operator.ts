import { DomainError } from '../../../shared/errors';
import { detailUnder, loadVisible, messagesOf, runCommand, submit } from '../tickets';
import { searchQuery, searchView } from '../search';
import { loadPolicy } from '../policy';
import { afterCommit, retryEffect } from '../effects';
import { calendarWarning } from '../../../shared/calendar';
import { pendingArticles, reviewKb, staleArticles } from '../kb';
import { caseList, putCase, publishCase } from '../cases';
import type { Handlers } from './types';
import type { Actor } from '../../../shared/contracts/common';
import { decide, type DecideContext } from '../../../shared/workflow';
import type { Deps } from '../deps';
import { SUGGESTION_SAMPLE, SUGGESTION_STATES, suggestUnits } from '../../../shared/policy';

/**
 * What approving the pending extension would do, shown before the operator confirms: the same
 * `decide` the command runs, on the stored ticket, without saving anything.
 */
async function extensionPreview(deps: Deps, actor: Actor, ticketId: string, ctx: DecideContext) {
  const t = await deps.store.get(ticketId);
  if (!t) return null;
  const d = decide(t, { type: 'reviewExtension', ticketId, approve: true }, actor, ctx);
  if (!d.ok) return null;
  const next = d.ticket.deadlines.find((x) => x.status === 'active' && (x.kind === 'handle' || x.kind === 'rework'));
  const before = t.deadlines.find((x) => x.status === 'active' && (x.kind === 'handle' || x.kind === 'rework'));
  return next ? { from: before?.dueAt ?? null, dueAt: next.dueAt, span: next.span, article: next.citation.article } : null;
}

export const operator: Handlers<'operator'> = {
  async queue({ deps, actor }, { queue, filters, cursor, limit }) {
    const page = await deps.store.listSummaries({ ...(queue !== 'all' ? { queue } : {}), ...(await searchQuery(deps, filters)), limit, cursor: cursor ?? null });
    const now = deps.clock.now();
    const { profile, calendar } = await loadPolicy(deps.directory, now);
    return { items: searchView(page.items, actor, filters), next: page.next, warningWindow: profile.reminders.warningWindow, calendarWarning: calendarWarning(now, calendar) };
  },
  async get({ deps, actor }, { ticketId }) {
    const { view: d, policy: { profile, calendar } } = await detailUnder(deps, actor, ticketId, 'operator');
    const now = deps.clock.now();
    return {
      ...d,
      extensionPreview: d.actions.includes('reviewExtension') ? await extensionPreview(deps, actor, ticketId, { now, profile, calendar }) : null,
      grounds: profile.intake.nonAcceptanceGrounds.map((g) => ({ code: g.code, label: g.label, article: g.citation.article })),
      supervisionLevels: profile.supervision.levels,
      terminationGrounds: profile.termination.grounds.map((g) => ({ code: g.code, label: g.label, article: g.citation.article, text: g.citation.text, by: g.by, proofRequired: g.proofRequired, precondition: g.precondition })),
      appeal: profile.assessment.appeal ?? null,
      malicious: profile.malicious,
      escalation: profile.supervision.escalation.label,
      rating: profile.rating,
      clockPauses: profile.clockPauses,
      emergencyHandOff: profile.emergencyHandOff,
      /** Unclear duties: the article behind a coordination, and the profile's fallback unit rule. */
      coordination: profile.handling.coordination,
    };
  },
  async command({ deps, actor }, { command }) {
    if (command.type === 'answer' && command.articleId && !(await deps.directory.getKb(command.articleId))) throw new DomainError('not-found', '知识库条目不存在');
    const result = await runCommand(deps, actor, command);
    // A use of the article (kb upkeep): counted once the answer is saved; a refused answer counts nothing.
    if (command.type === 'answer' && command.articleId) await deps.directory.addKbUse(command.articleId, deps.clock.now());
    return result;
  },
  async suggestUnits({ deps, actor }, { ticketId }) {
    const t = await loadVisible(deps, actor, ticketId);
    const recent = await deps.store.list({ states: SUGGESTION_STATES, limit: SUGGESTION_SAMPLE });
    // A unit whose return of this very ticket was approved is not recommended for it again.
    const returned = new Map<string, number>();
    for (const e of await deps.store.events(t.id)) {
      if (e.type === 'reviewReturn' && e.data?.approve === true && typeof e.data.unitId === 'string') returned.set(e.data.unitId, e.at);
    }
    return suggestUnits(t, await deps.directory.listUnits(), recent.items, returned);
  },
  async submit({ deps, actor }, { input }) {
    return submit(deps, actor, { ...input, onBehalf: true, channel: input.channel ?? 'phone' });
  },
  async failedNotices({ deps }, { limit }) {
    return (await deps.store.listEffects('failed', limit)).map((e) => ({
      id: e.id,
      ticketId: e.ticketId,
      ticketNumber: e.notice.ticketNumber,
      template: e.notice.template,
      audience: e.audience.kind,
      summary: e.notice.summary,
      attempts: e.attempts,
      lastError: e.lastError ?? null,
      updatedAt: e.updatedAt,
    }));
  },
  async retryNotice({ deps }, { effectId }) {
    if (!(await retryEffect(deps, effectId))) throw new DomainError('not-found', '没有这条发送失败的消息');
    await afterCommit(deps);
    return { retried: true };
  },
  async messages({ deps, actor }, { limit }) {
    return messagesOf(deps, actor, limit);
  },
  async kbPending({ deps }) {
    return pendingArticles(deps);
  },
  async kbReview({ deps, actor }, input) {
    return reviewKb(deps, actor, input);
  },
  async kbStale({ deps }) {
    const { profile } = await loadPolicy(deps.directory, deps.clock.now());
    return staleArticles(deps, profile);
  },
  async cases({ deps }) {
    return caseList(deps);
  },
  async putCase({ deps, actor }, { case: input }) {
    return putCase(deps, actor, input);
  },
  async publishCase({ deps, actor }, { id, published }) {
    return publishCase(deps, actor, id, published);
  },
};
