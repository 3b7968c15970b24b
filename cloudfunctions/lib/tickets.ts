import type { Actor, FileRef } from '../../shared/contracts/common';
import type { Command, CommandType, SubmitInput } from '../../shared/contracts/commands';
import type { Ticket } from '../../shared/contracts/ticket';
import type { PolicyProfile } from '../../shared/profiles/schema';
import { DomainError } from '../../shared/errors';
import { alarmsFor, childTicket, requesterFor, type TicketSummary, counterpartOf, offeredActions, type CommandFunction, currentDeadline, deadlineBasis, decide, isOpen, openTicket, stateLabelOf, ticketFor, timelineFor, type DecideContext } from '../../shared/workflow';
import type { Deps } from './deps';
import { afterCommit, outboxEffects } from './effects';
import type { NewTicket, Page, RelatedChange, TicketQuery } from '../../shared/ports';
import { phoneKey } from '../../shared/search/terms';
import { loadPolicy, policyFor } from './policy';

import { contentHash } from './contentHash';
import { abuseLimitsApply, canSee, countedOn, nearbyMatch, nearbySummary, requesterCount, type NearbyQuery, checkDuplicate, checkSubmissionRate, duplicateWindowStart, supervisionTriggersFor, triggerWindowStart, triggerWindows, placeKey, requesterKey, requesterKeys, type MatterCandidate, SUBMISSION_RATE_WINDOW_MS } from '../../shared/policy';
import { operatorRelay } from '../adapters/local/operatorRelay';
import { INTERNAL_TRIGGERS } from '../../shared/policy/triggers';
import { checkTexts, commandScene, commandTexts } from './contentCheck';

async function context(deps: Deps, ticket?: Ticket): Promise<DecideContext & { rev: number }> {
  const now = deps.clock.now();
  const { profile, calendar, rev } = ticket ? await policyFor(deps.directory, now, ticket) : await loadPolicy(deps.directory, now);
  return { now, profile, calendar, rev };
}

/** Every attached file must exist, be of the declared kind, and belong to the caller. */
export async function checkAttachments(deps: Deps, actor: Actor, files: FileRef[]): Promise<FileRef[]> {
  const out: FileRef[] = [];
  for (const f of files) {
    const stored = await deps.files.stat(f.fileId);
    if (!stored || stored.ownerId !== actor.userId) throw new DomainError('file-not-owned');
    if (stored.kind !== f.kind) throw new DomainError('file-type-not-allowed', '附件类型与文件内容不符');
    if (stored.check?.status === 'refused') throw new DomainError('content-refused', '附件未通过内容安全检测，请删除后再提交');
    out.push({ fileId: f.fileId, kind: stored.kind, ...(stored.durationSec !== undefined ? { durationSec: stored.durationSec } : {}) });
  }
  return out;
}

export interface SubmitResult {
  ticket: ReturnType<typeof ticketFor>;
  created: boolean;
  expected: { span: string; basis: string; article: string; provisional: boolean };
}

/** A new request. A retry with the same client request id returns the first ticket. */
export async function submit(deps: Deps, actor: Actor, input: SubmitInput): Promise<SubmitResult> {
  const ctx = await context(deps);
  const again = await deps.store.findByClientRequestId(actor.userId, input.clientRequestId);
  if (again) return { ticket: ticketFor(again, actor, 'detail'), created: false, expected: expectedOf(again, await context(deps, again)) };
  if (abuseLimitsApply(actor)) checkDuplicate(await deps.store.recentByReporter(actor.userId, duplicateWindowStart(ctx.now, deps.limits), contentHash(input.content)));
  await checkTexts(deps, actor, [input.title, input.content, input.location.address], 'submission');
  const attachments = await checkAttachments(deps, actor, input.attachments);
  const opened = openTicket({ ...input, attachments }, actor, ctx, { ticketId: deps.ids.ticketId(), number: await deps.ids.ticketNumber(ctx.now) });
  if (ctx.rev > 0) opened.ticket.profileRev = ctx.rev;
  // Counted only once the request is otherwise acceptable: a refused submission writes nothing.
  if (abuseLimitsApply(actor)) checkSubmissionRate(await deps.directory.hit(`submit:${actor.userId}`, SUBMISSION_RATE_WINDOW_MS, ctx.now), deps.limits);
  for (const trigger of supervisionTriggersFor(ctx.profile, opened.ticket, await sameMatterCandidates(deps, ctx.profile, opened.ticket, ctx.now), ctx.now)) {
    if (!opened.ticket.supervision.triggers.includes(trigger)) opened.ticket.supervision.triggers.push(trigger);
  }
  const saved = await deps.store.create(opened.ticket, opened.event, alarmsFor(opened.ticket, ctx.profile), { effects: outboxEffects(opened.ticket, opened.event, opened.effects) });
  if (saved.created) await afterCommit(deps);
  return { ticket: ticketFor(saved.ticket, actor, 'detail'), created: saved.created, expected: saved.created ? opened.expected : expectedOf(saved.ticket, await context(deps, saved.ticket)) };
}

/**
 * The earlier requests a new one's supervision triggers weigh (`supervisionTriggersFor`): those
 * that can be the same matter (`sameMatter`). A new request has no parent, so that is the same
 * category at the same place. With no place nothing can be the same matter and nothing is read.
 * With an area, the category's requests in that area are read as list summaries (index
 * tickets_category_area), and only as many as the triggers need:
 *  - many-requesters: newest first, until the distinct requesters reach the count (a busy place
 *    stops after a handful of rows, not after every request of its month);
 *  - repeated-requester: this requester's own (by phone, else by account).
 * An address or a QR scene alone is matched on the category's requests of the window.
 */
async function sameMatterCandidates(deps: Deps, profile: PolicyProfile, t: Ticket, now: number): Promise<MatterCandidate[]> {
  const s = profile.supervision;
  if (!s.triggers.length || placeKey(t) === null) return [];
  const area = t.location.area?.trim();
  if (!area) return sameCategorySince(deps, t.category, triggerWindowStart(profile, now));
  const windows = triggerWindows(profile, now);
  const found = new Map<string, MatterCandidate>();
  // The category's requests in the area since `since`, narrowed further by `narrow`.
  const read = (since: number, narrow: Pick<TicketQuery, 'search' | 'requesterId'>, firstPage: number, more: (c: TicketSummary) => boolean) =>
    newestSince(
      since,
      (cursor, limit) => deps.store.listSummaries({ ...narrow, search: { category: t.category, area, createdFrom: since, ...narrow.search }, limit, cursor }),
      (c) => {
        found.set(c.id, c);
        return more(c);
      },
      firstPage,
    );
  if (s.triggers.includes('many-requesters')) {
    const who = requesterKeys(t);
    // The first page is as long as the count: at a busy place that is often all it takes.
    await read(windows.manyRequesters, {}, s.manyRequesters.count, (c) => {
      for (const k of requesterKeys(c)) who.add(k);
      return who.size < s.manyRequesters.count;
    });
  }
  if (s.triggers.includes('repeated-requester') && requesterKey(t)) {
    // requesterKey: the phone where one is known, else the account.
    const phone = phoneKey(t.requester.phone);
    await read(windows.repeatedRequester, phone ? { search: { phone } } : { requesterId: t.requester.userId! }, PAGE_MAX, () => true);
  }
  return [...found.values()];
}

/** Requests of one category since `sinceMs`, newest first, any channel. */
function sameCategorySince(deps: Deps, category: string, sinceMs: number): Promise<Ticket[]> {
  return newestSince(sinceMs, (cursor, limit) => deps.store.list({ search: { category, createdFrom: sinceMs }, limit, cursor }));
}

const PAGE_MAX = 200;

/**
 * A newest-first listing, paged until `sinceMs`: bounded by the rows in the window, not the table.
 * `more` may stop it early (false: this row is the last one wanted); pages start at `firstPage`
 * rows and double up to PAGE_MAX, so an early stop reads few rows past it.
 */
async function newestSince<T extends { createdAt: number }>(sinceMs: number, page: (cursor: string | null, limit: number) => Promise<Page<T>>, more: (t: T) => boolean = () => true, firstPage = PAGE_MAX): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  for (let limit = Math.max(1, Math.min(PAGE_MAX, firstPage)); ; limit = Math.min(PAGE_MAX, limit * 2)) {
    const p: Page<T> = await page(cursor, limit);
    for (const t of p.items) {
      if (t.createdAt < sinceMs) return out;
      out.push(t);
      if (!more(t)) return out;
    }
    if (!p.next) return out;
    cursor = p.next;
  }
}

/** How far back 附近已有人反映 looks: requests older than this are not offered to join. */
const NEARBY_DAYS = 30;
const NEARBY_SHOWN = 5;

/** 附近已有人反映: open requests of the category at the caller's place, as a stranger may see them, newest first. */
export async function nearby(deps: Deps, actor: Actor, q: NearbyQuery) {
  const now = deps.clock.now();
  const found = (await sameCategorySince(deps, q.category.trim(), now - NEARBY_DAYS * 86_400_000)).filter((t) => nearbyMatch(t, q));
  return found.slice(0, NEARBY_SHOWN).map((t) => ({
    ticketId: t.id,
    category: t.category,
    summary: nearbySummary(t),
    ...(t.location.area ? { area: t.location.area } : {}),
    stateLabel: stateLabelOf(t, 'requester'),
    createdAt: t.createdAt,
    requesterCount: requesterCount(t),
    joined: countedOn(t, actor),
  }));
}

/** 我也遇到: joins an open request of the same matter at the same place as a co-requester (refused as not found otherwise). */
export async function join(deps: Deps, actor: Actor, input: NearbyQuery & { ticketId: string; confidential: boolean }) {
  const t = await deps.store.get(input.ticketId);
  if (!t || (!nearbyMatch(t, input) && !canSee(t, actor))) throw new DomainError('not-found', '没有找到附近的这条诉求');
  if (!nearbyMatch(t, input)) throw new DomainError('join-not-allowed');
  return runCommand(deps, actor, { type: 'join', ticketId: t.id, confidential: input.confidential }, t);
}

/** The deadline a resident is told: the running response or handling one, or the one the request will get. */
function expectedOf(t: Ticket, ctx: DecideContext) {
  const d = t.deadlines.find((x) => x.kind === 'response' && x.status === 'active') ?? t.deadlines.find((x) => x.kind === 'handle' && x.status === 'active');
  if (d) return { span: d.span, basis: deadlineBasis(d), article: d.citation.article, provisional: d.provisional === true };
  const probe = openTicket(
    { clientRequestId: 'probe0000', type: t.type, urgency: t.urgency, urgentHint: false, utilities: t.utilities, category: t.category, content: t.content, location: {}, contact: {}, confidential: false, onBehalf: false, attachments: [] },
    // A grid worker's report keeps its urgency (a resident's is only a hint): the probe must keep the ticket's.
    { userId: 'probe', role: 'grid' },
    ctx,
    { ticketId: 'probe', number: 'probe' },
  );
  return probe.expected;
}

/** Loads a ticket the actor may see; another user's ticket reads as not found. */
export async function loadVisible(deps: Deps, actor: Actor, ticketId: string): Promise<Ticket> {
  const t = await deps.store.get(ticketId);
  if (!t || !canSee(t, actor)) throw new DomainError('not-found');
  return t;
}

/** Runs one command: load, decide, save with its effects and children in one commit (refused if stale), then drain. */
export async function runCommand(deps: Deps, actor: Actor, command: Command, preloaded?: Ticket) {
  // `preloaded`: a ticket the caller may act on without seeing it yet (resident.join checked the matter and place).
  const ticket = preloaded ?? (await loadVisible(deps, actor, command.ticketId));
  const ctx = await context(deps, ticket);
  if (command.type === 'requestRelay') ctx.relayPort = (deps.relay ?? operatorRelay).port;
  if (command.type === 'dispatch' || command.type === 'coordinate') ctx.knownUnitIds = new Set((await deps.directory.listUnits()).filter((u) => u.active).map((u) => u.id));
  await checkTexts(deps, actor, commandTexts(command), commandScene(command));
  if ('attachments' in command && command.attachments.length) command.attachments = await checkAttachments(deps, actor, command.attachments);
  // Children of a separate dispatch get their ids now, so the parent's one event records them.
  const childIds = command.type === 'dispatch' && command.mode === 'separate' ? command.unitIds.map(() => deps.ids.ticketId()) : [];
  // A link or a merge names the other ticket by its number; decide checks it, links.ts writes its side.
  if (command.type === 'join') {
    const u = await deps.directory.getUser(actor.userId);
    ctx.joiner = { ...(u?.name ? { name: u.name } : {}), ...(u?.phone ? { phone: u.phone } : {}) };
  }
  const otherNumber = command.type === 'link' ? command.otherNumber : command.type === 'merge' ? command.intoNumber : undefined;
  if (otherNumber !== undefined) ctx.other = (await deps.store.getByNumber(otherNumber)) ?? undefined;
  const d = decide(ticket, command, actor, ctx);
  if (!d.ok) throw new DomainError(d.code, d.message);
  if (childIds.length) d.ticket.childIds = childIds;
  const related: RelatedChange[] = [];
  if (ctx.other) {
    const otherCtx = await context(deps, ctx.other);
    const side = counterpartOf(command, ticket, ctx.other, actor, ctx.now, otherCtx.profile);
    if (side) related.push({ ticket: side.ticket, expectedVersion: ctx.other.version, event: side.event, alarms: alarmsFor(side.ticket, otherCtx.profile), effects: outboxEffects(side.ticket, side.event, side.effects) });
  }
  // The children of a separate dispatch are created in the parent's commit: both exist, or neither.
  const children: NewTicket[] = [];
  for (const e of d.effects) {
    if (e.kind !== 'createChildren') continue;
    for (const [i, unitId] of e.unitIds.entries()) {
      const child = childTicket(d.ticket, unitId, { ticketId: childIds[i] ?? deps.ids.ticketId(), number: await deps.ids.ticketNumber(ctx.now) }, ctx);
      const notice = [{ kind: 'notify' as const, audience: { kind: 'units' as const, unitIds: [unitId] }, template: 'assigned' as const, ticketId: child.ticket.id, summary: '有新的诉求待签收' }];
      children.push({ ticket: child.ticket, event: child.event, alarms: alarmsFor(child.ticket, ctx.profile), effects: outboxEffects(child.ticket, child.event, notice) });
    }
  }
  await deps.store.update(d.ticket, ticket.version, d.event, alarmsFor(d.ticket, ctx.profile), { effects: outboxEffects(d.ticket, d.event, d.effects), children, ...(related.length ? { related } : {}) });
  await afterCommit(deps);
  return { ticket: ticketFor(d.ticket, actor, 'detail'), event: { seq: d.event.seq, type: d.event.type, to: d.event.to } };
}

/** A ticket with its timeline, its deadline and what the viewer may do next. */
export async function detail(deps: Deps, actor: Actor, ticketId: string, fn: CommandFunction) {
  return (await detailUnder(deps, actor, ticketId, fn)).view;
}

/** `detail`, with the rules the ticket is handled under (the profile revision it was opened under). */
export async function detailUnder(deps: Deps, actor: Actor, ticketId: string, fn: CommandFunction) {
  const t = await loadVisible(deps, actor, ticketId);
  const events = await deps.store.events(t.id);
  const policy = await policyFor(deps.directory, deps.clock.now(), t);
  const d = currentDeadline(t);
  // Units and operators read each unit's entries under its name.
  const unitNames = actor.role === 'staff' || actor.role === 'operator'
    ? Object.fromEntries((await deps.directory.listUnits()).map((u) => [u.id, u.name]))
    : {};
  const view = {
    ticket: ticketFor(t, actor, 'detail'),
    timeline: timelineFor(events, actor, t, unitNames),
    deadline: d ? { kind: d.kind, dueAt: d.dueAt, status: d.status, basis: deadlineBasis(d), article: d.citation.article, provisional: d.provisional === true } : null,
    actions: offeredActions(fn, t, actor, policy.profile) as CommandType[],
    /** The tickets this one links to that the viewer may open: split parent and children, links, merges. */
    links: await linksFor(deps, t, actor),
    /** The collective count: distinct requesters (own, merged, joined). */
    requesterCount: requesterCount(t),
    /** The server's clock, so countdowns agree with the deadline checks. */
    now: deps.clock.now(),
  };
  return { view, policy };
}

export type LinkKind = 'parent' | 'child' | 'duplicate' | 'related' | 'mergedInto' | 'mergedFrom';

/** A ticket's links both ways, each to a ticket the viewer may see, with its number and state as the viewer reads it. */
async function linksFor(deps: Deps, t: Ticket, actor: Actor) {
  const wanted: { kind: LinkKind; ticketId: string }[] = [
    ...(t.parentId ? [{ kind: 'parent' as const, ticketId: t.parentId }] : []),
    ...(t.childIds ?? []).map((id) => ({ kind: 'child' as const, ticketId: id })),
    ...(t.mergedInto ? [{ kind: 'mergedInto' as const, ticketId: t.mergedInto.ticketId }] : []),
    ...(t.coRequesters ?? []).flatMap((c) => (c.via === 'merge' && c.ticketId ? [{ kind: 'mergedFrom' as const, ticketId: c.ticketId }] : [])),
    ...(t.links ?? []).map((l) => ({ kind: l.kind, ticketId: l.ticketId })),
  ];
  const seen = new Set<string>();
  const out: { kind: LinkKind; ticketId: string; number: string; title: string; state: string; stateLabel: string }[] = [];
  for (const w of wanted) {
    if (seen.has(w.ticketId)) continue;
    seen.add(w.ticketId);
    const other = await deps.store.get(w.ticketId);
    if (!other || !canSee(other, actor)) continue;
    out.push({ kind: w.kind, ticketId: other.id, number: other.number, title: other.title, state: other.state, stateLabel: stateLabelOf(other, actor.role === 'resident' || actor.role === 'grid' ? 'requester' : 'staff') });
  }
  return out;
}

/**
 * Rows of a list (resident.listMine, staff.inbox, operator.queue) from the stores' summaries
 * (shared/workflow/summary.ts), never from whole documents: what a viewer may see of the
 * requester and the triggers is the same rule as the detail's (`requesterFor` in visibility.ts).
 */
export function listView(tickets: TicketSummary[], actor: Actor) {
  const requesterSide = actor.role === 'resident' || actor.role === 'grid';
  return tickets.map((t) => {
    const { requester, requesterShown } = requesterFor(t, actor, 'list');
    const d = currentDeadline(t);
    const next = t.deadlines.filter((x) => x.status === 'active').sort((x, y) => x.dueAt - y.dueAt)[0];
    return {
      id: t.id,
      number: t.number,
      title: t.title,
      type: t.type,
      category: t.category,
      urgency: t.urgency,
      state: t.state,
      stateLabel: stateLabelOf(t, requesterSide ? 'requester' : 'staff'),
      createdAt: t.createdAt,
      updatedAt: t.updatedAt,
      dueAt: d?.status === 'active' ? d.dueAt : null,
      /** The deadline the inbox is sorted by (the earliest active one), with its kind. */
      nextDue: next ? { kind: next.kind, dueAt: next.dueAt, startedAt: next.startedAt } : null,
      /** Kinds of the deadlines already missed, so a red row can say which limit passed. */
      missedKinds: [...new Set(t.deadlines.filter((x) => x.status === 'missed').map((x) => x.kind))],
      /** The due instant was counted on weekends only: its year's holidays are not loaded (暂定). */
      dueProvisional: d?.status === 'active' && d.provisional === true,
      overdue: t.overdue,
      supervisionLevel: t.supervision.level,
      supervisionTriggers: requesterSide ? t.supervision.triggers.filter((x) => !INTERNAL_TRIGGERS.includes(x)) : t.supervision.triggers,
      escalated: t.supervision.escalated,
      reworks: t.counters.reworks,
      requesterShown,
      confidential: requester.confidential,
      area: t.location.area ?? t.location.grid,
      /** The collective count: distinct requesters (own, merged, joined). */
      requesterCount: requesterCount(t),
    };
  });
}

/**
 * The notices sent to this user, each with its ticket's state now: a 待签收 or 待审核 notice
 * may have been settled since (`current` is absent when the ticket is gone).
 */
export async function messagesOf(deps: Deps, actor: Actor, limit: number) {
  const list = await deps.directory.listDeliveries(actor.userId, limit);
  const ids = [...new Set(list.map((d) => d.ticketId).filter(Boolean))];
  const tickets = new Map((await Promise.all(ids.map((id) => deps.store.get(id)))).filter((t): t is Ticket => !!t).map((t) => [t.id, t]));
  return list.map((d) => {
    const t = tickets.get(d.ticketId);
    return t ? { ...d, current: { state: t.state, label: stateLabelOf(t, 'staff'), open: isOpen(t.state) } } : d;
  });
}
