import { INBOX_FILTERS, unitStates, type InboxFilter } from '../../../shared/workflow/states';
import { detailUnder, loadVisible, messagesOf, runCommand } from '../tickets';
import { contactedByLead } from '../../../shared/workflow/transitions';
import { operatorRelay } from '../../adapters/local/operatorRelay';
import { searchQuery, searchView } from '../search';
import { loadPolicy } from '../policy';
import { subscribeTemplates } from '../notices';
import { computeDueAt } from '../../../shared/calendar';
import { unitTemplateKinds } from '../../../shared/contracts/templates';
import { listTemplates } from '../templates';
import { proposeKb, unitArticles } from '../kb';
import type { Handlers } from './types';

export const staff: Handlers<'staff'> = {
  async inbox({ deps, actor }, { filter, filters, cursor, limit }) {
    // A unit searches its own inbox: the unit filter is the inbox itself.
    const { unitId: _other, ...own } = filters ?? {};
    const page = await deps.store.listSummaries({ unitId: actor.unitId!, ...(filter !== 'all' ? { inbox: filter } : { states: unitStates }), ...(await searchQuery(deps, filters ? own : undefined)), limit, cursor: cursor ?? null });
    const { profile } = await loadPolicy(deps.directory, deps.clock.now());
    return { items: searchView(page.items, actor, filters), next: page.next, warningWindow: profile.reminders.warningWindow, now: deps.clock.now(), subscribeTemplates: subscribeTemplates() };
  },
  async counts({ deps, actor }) {
    const out: Record<string, number> = {};
    // 已办结 is history, not work: no count.
    for (const f of (Object.keys(INBOX_FILTERS) as InboxFilter[]).filter((x) => x !== 'done')) {
      const page = await deps.store.listSummaries({ unitId: actor.unitId!, inbox: f, limit: 100 });
      out[f] = page.items.length;
    }
    return out;
  },
  async get({ deps, actor }, { ticketId }) {
    const { view: d, policy: { profile, calendar } } = await detailUnder(deps, actor, ticketId, 'staff');
    const mine = d.ticket.assignments.find((a) => a.unitId === actor.unitId);
    const returnWithin = profile.handling.returnWithin;
    return {
      ...d,
      myRole: mine?.role,
      warningWindow: profile.reminders.warningWindow,
      /** The last instant a return may be asked for (working days from the holiday calendar). */
      returnBy: mine && returnWithin ? computeDueAt(mine.dispatchedAt, returnWithin, calendar) : null,
      rules: {
        extension: profile.extension,
        returnWithin: profile.handling.returnWithin,
        returnNeedsProof: profile.handling.returnNeedsProof,
        complaintNeedsCaseNumber: profile.handling.complaintNeedsCaseNumber,
        contact: profile.handling.contact,
        replyMinChars: profile.reply.minResultLength,
        /** Grounds on which this unit may propose termination (baiyin 19, linyi 18, 19). */
        terminationGrounds: profile.termination.grounds.filter((g) => g.by.includes('unit')).map((g) => ({ code: g.code, label: g.label, article: g.citation.article, text: g.citation.text, by: g.by, proofRequired: g.proofRequired, precondition: g.precondition })),
        appeal: profile.assessment.appeal ?? null,
      },
      /** The profile asks for a contact record before the reply and the lead unit has none yet. */
      contactRequired: profile.handling.contact.recordBeforeReply && mine?.role === 'lead' && !contactedByLead(d.ticket),
    };
  },
  async command({ deps, actor }, { command }) {
    return runCommand(deps, actor, command);
  },
  async revealPhone({ deps, actor }, { ticketId, expectedVersion }) {
    // The command's guard decides; its event is the log. The number is read after the commit.
    const done = await runCommand(deps, actor, { type: 'revealPhone', ticketId, ...(expectedVersion ? { expectedVersion } : {}) });
    const t = await loadVisible(deps, actor, ticketId);
    return { phone: t.requester.phone!, revealedAt: deps.clock.now(), version: done.ticket.version };
  },
  async relayCall({ deps, actor }, { ticketId, note, expectedVersion }) {
    const done = await runCommand(deps, actor, { type: 'requestRelay', ticketId, note, ...(expectedVersion ? { expectedVersion } : {}) });
    const t = await loadVisible(deps, actor, ticketId);
    // The requester's number goes to the port only, never into the answer.
    const binding = await (deps.relay ?? operatorRelay).bind({ ticketId, unitId: actor.unitId!, requesterPhone: t.requester.phone, now: deps.clock.now() });
    return { binding, version: done.ticket.version };
  },
  async templates({ deps }) {
    const kinds: readonly string[] = unitTemplateKinds;
    return (await listTemplates(deps.directory)).filter((t) => kinds.includes(t.kind));
  },
  async credits({ deps, actor }) {
    return deps.directory.credits(actor.userId);
  },
  async subscribe({ deps, actor }, { accepted }) {
    for (const t of accepted) await deps.directory.addCredits(actor.userId, t, 1);
    return deps.directory.credits(actor.userId);
  },
  async messages({ deps, actor }, { limit }) {
    return messagesOf(deps, actor, limit);
  },
  async kb({ deps, actor }) {
    return unitArticles(deps, actor.unitId!);
  },
  async proposeKb({ deps, actor }, input) {
    return proposeKb(deps, actor, input);
  },
};
