import { DomainError } from '../../../shared/errors';
import { ANONYMOUS } from '../identity';
import { subscribeTemplates } from '../notices';
import { actionLabel, commandsAcceptedBy, TRANSITIONS } from '../../../shared/workflow';
import { detailUnder, join, listView, loadVisible, nearby, runCommand, submit } from '../tickets';
import { loadPolicy } from '../policy';
import { searchKb } from '../kb';
import { ticketFor, timelineFor, currentDeadline, deadlineBasis, isClosed } from '../../../shared/workflow';
import type { Handlers } from './types';

export const resident: Handlers<'resident'> = {
  async submit({ deps, actor }, { input }) {
    return submit(deps, actor, input);
  },
  async get({ deps, actor }, { ticketId }) {
    const { view: d, policy: { profile } } = await detailUnder(deps, actor, ticketId, 'resident');
    return { ...d, rating: profile.rating, rework: { maxCount: profile.rework.maxCount, used: d.ticket.counters.reworks } };
  },
  async listMine({ deps, actor }, { cursor, limit }) {
    const page = await deps.store.listSummaries({ requesterId: actor.userId, reporterId: actor.userId, limit, cursor: cursor ?? null });
    return { items: listView(page.items, actor), next: page.next };
  },
  async lookup({ deps, actor, ip }, { number, phoneTail }) {
    const now = deps.clock.now();
    // Per account, and per address (anonymous callers share their address's budget).
    const hits = actor.userId === ANONYMOUS ? 0 : await deps.directory.hit(`lookup:${actor.userId}`, deps.limits.lookupWindowMs, now);
    const ipHits = ip ? await deps.directory.hit(`lookup-ip:${ip}`, deps.limits.lookupWindowMs, now) : 0;
    const ipBudget = actor.userId === ANONYMOUS ? deps.limits.lookupsPerWindow : deps.limits.lookupsPerWindow * 3;
    if (hits > deps.limits.lookupsPerWindow || ipHits > ipBudget || (actor.userId === ANONYMOUS && !ip)) throw new DomainError('lookup-rate-limited');
    const t = await deps.store.getByNumber(number);
    if (!t || !t.requester.phone || !t.requester.phone.endsWith(phoneTail)) throw new DomainError('not-found', '未找到该诉求，请核对诉求编号和手机号后四位');
    const viewer = { userId: actor.userId, role: 'resident' as const };
    const view = ticketFor(t, viewer, 'detail');
    const d = currentDeadline(t);
    return {
      ticket: {
        id: view.id, number: view.number, title: view.title, type: view.type, category: view.category, state: view.state, labels: view.labels, createdAt: view.createdAt,
        // Once the request is closed the caller reads the outcome too (no files, no handler's name).
        ...(isClosed(t.state) && t.reply ? { reply: { result: t.reply.result, at: t.reply.at } } : {}),
        ...(isClosed(t.state) && t.answer ? { answer: { text: t.answer.text } } : {}),
      },
      timeline: timelineFor(await deps.store.events(t.id), viewer, t).map(({ note: _n, attachments: _a, data: _d, ...e }) => e),
      deadline: d ? { dueAt: d.dueAt, basis: deadlineBasis(d) } : null,
    };
  },
  async command({ deps, actor }, { command }) {
    if (command.type === 'answer') {
      if (!command.articleId || !(await deps.directory.getKb(command.articleId))) throw new DomainError('not-found', '知识库条目不存在');
    }
    const result = await runCommand(deps, actor, command);
    // A requester's own consultation answered from an article is a use of it too (kb upkeep).
    if (command.type === 'answer' && command.articleId) await deps.directory.addKbUse(command.articleId, deps.clock.now());
    return result;
  },
  async nearby({ deps, actor }, q) {
    return nearby(deps, actor, q);
  },
  async join({ deps, actor }, input) {
    return join(deps, actor, input);
  },
  async kbSearch({ deps }, { text, category }) {
    return searchKb(await deps.directory.listKb(), text, category).slice(0, 5).map((a) => ({ id: a.id, title: a.title, answer: a.answer }));
  },
  async scene({ deps }, { id }) {
    const s = await deps.directory.getScene(id);
    if (!s) throw new DomainError('not-found', '二维码已失效');
    return s;
  },
  async profile({ deps }) {
    const { profile } = await loadPolicy(deps.directory, deps.clock.now());
    const units = await deps.directory.listUnits();
    const categories = [...new Set(units.flatMap((u) => u.categories))].sort();
    return {
      id: profile.id,
      regulation: profile.regulation,
      place: profile.place,
      platformName: profile.platformName,
      requestTypes: profile.requestTypes,
      rating: profile.rating,
      rework: profile.rework,
      withdrawal: profile.withdrawal,
      confidentiality: profile.intake.confidentiality,
      categories,
      subscribeTemplates: subscribeTemplates(),
      /** Timeline labels of the commands a resident issues. */
      labels: Object.fromEntries(commandsAcceptedBy('resident').map((c) => [c, TRANSITIONS[c].label])),
      /** Button texts of the same commands. */
      actionLabels: Object.fromEntries(commandsAcceptedBy('resident').map((c) => [c, actionLabel(c, 'resident')])),
    };
  },
  async subscribe({ deps, actor }, { accepted }) {
    for (const t of accepted) await deps.directory.addCredits(actor.userId, t, 1);
    return deps.directory.credits(actor.userId);
  },
};

export { loadVisible };
