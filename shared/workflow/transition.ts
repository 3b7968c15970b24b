import type { Actor } from '../contracts/common';
import type { Command, CommandOf, CommandType } from '../contracts/commands';
import type { Deadline, Ticket, TicketEvent } from '../contracts/ticket';
import { ERROR_MESSAGES, type ErrorCode } from '../errors';
import type { PolicyProfile, Span } from '../profiles/schema';
import type { WorkingCalendar } from '../calendar/workingCalendar';
import { extendDeadline, pausedWorkingDays, computeDueAt } from '../calendar/deadlines';
import { calendarDaysBetween, shanghaiDateOf } from '../calendar/workingCalendar';
import { closeDeadlines, handlingRule, makeDeadline, nextDueAt, formatSpan, extendActive, pauseActive, responseRule } from './deadlineRules';
import type { Effect } from './effects';
import { authorise, checkGuards, declaresEffect, declaresTarget, leadUnit, standingRatingThisRound, TRANSITIONS, type EffectName } from './transitions';
import { isOpen, type StateId } from './states';
import { withCollectiveTrigger, withCoRequesters } from './links';
import { requesterCount } from '../policy/triggers';

export interface DecideContext {
  now: number;
  profile: PolicyProfile;
  calendar: WorkingCalendar;
  /** Units that exist, for dispatch. */
  knownUnitIds?: ReadonlySet<string>;
  /** The privacy-number port in use, for a relay request (default: an operator relays). */
  relayPort?: 'operator' | 'axb';
  /** The other ticket of a link or a merge (by the command's number), as the store holds it. */
  other?: Ticket;
  /** Who joins (我也遇到): the name and number of the resident's account, if any. */
  joiner?: { name?: string; phone?: string };
}

export type Decision =
  | { ok: true; ticket: Ticket; event: TicketEvent; effects: Effect[] }
  | { ok: false; code: ErrorCode; message: string };

type Patch = {
  to?: StateId;
  ticket?: Partial<Ticket>;
  note?: string;
  attachments?: TicketEvent['attachments'];
  data?: Record<string, unknown>;
  effects?: Effect[];
  public?: boolean;
};
type Step = Patch | { refuse: ErrorCode; message?: string };

const RELAY_RESULTS = { reached: '已联系上', unreachable: '未能联系上', declined: '诉求人不愿沟通' } as const;

const refuse = (code: ErrorCode, message?: string): Step => ({ refuse: code, message });

/** Deadlines a clock pause stops: acceptance and handling (anshan 27). */
const PAUSED_KINDS: Deadline['kind'][] = ['accept', 'transfer', 'handle', 'rework'];

/**
 * The decision: a pure function of (ticket, command, actor, context).
 * Returns the next ticket, exactly one event and the effects to run, or a refusal code.
 */
export function decide(ticket: Ticket, command: Command, actor: Actor, ctx: DecideContext): Decision {
  if (command.expectedVersion !== undefined && command.expectedVersion !== ticket.version) {
    return { ok: false, code: 'stale-version', message: ERROR_MESSAGES['stale-version'] };
  }
  const denied = authorise(ticket, command.type, actor);
  if (denied) return { ok: false, code: denied, message: ERROR_MESSAGES[denied] };
  const guard = checkGuards(ticket, command.type, actor, ctx.profile);
  if (guard) return { ok: false, code: guard.code, message: guard.message ?? ERROR_MESSAGES[guard.code] };
  const step = (HANDLERS[command.type] as Handler<CommandType>)(ticket, command as never, actor, ctx);
  if ('refuse' in step) return { ok: false, code: step.refuse, message: step.message ?? ERROR_MESSAGES[step.refuse] };

  const rule = TRANSITIONS[command.type];
  const to = step.to ?? (ticket.state as StateId);
  // The table is the contract: a handler that leaves it is a bug, not a refusal.
  if (!declaresTarget(command.type, ticket, to)) throw new Error(`${command.type} from ${ticket.state} reached ${to}, which the transitions table does not declare`);
  for (const e of step.effects ?? []) {
    const name: EffectName = e.kind === 'notify' ? `${e.audience.kind}:${e.template}` : 'createChildren';
    if (!declaresEffect(command.type, name)) throw new Error(`${command.type} emitted ${name}, which the transitions table does not declare`);
  }
  const merged: Ticket = { ...ticket, ...step.ticket, state: to, version: ticket.version + 1, updatedAt: ctx.now };
  if (!isOpen(to) && merged.closedAt === undefined && to !== 'resolved' && to !== 'answered') merged.closedAt = ctx.now;
  merged.nextDueAt = nextDueAt(merged.deadlines);
  const event: TicketEvent = {
    id: `${ticket.id}:${merged.version}`,
    ticketId: ticket.id,
    seq: merged.version,
    type: command.type,
    actor: { userId: actor.userId, role: actor.role, ...(actor.unitId ? { unitId: actor.unitId } : {}) },
    at: ctx.now,
    from: ticket.state,
    to,
    ...(step.note ? { note: step.note } : {}),
    attachments: step.attachments ?? [],
    ...(step.data ? { data: step.data } : {}),
    public: step.public ?? rule.public,
  };
  // Deadlines need no effect: the alarms saved with the ticket (alarmsFor) are the schedule.
  return { ok: true, ticket: merged, event, effects: [...(step.effects ?? [])] };
}

type Handler<T extends CommandType> = (t: Ticket, c: CommandOf<T>, actor: Actor, ctx: DecideContext) => Step;

const toRequester = (t: Ticket, summary: string): Effect => ({ kind: 'notify', audience: { kind: 'requester' }, template: 'progress', ticketId: t.id, summary });
const toOperators = (t: Ticket, summary: string): Effect => ({ kind: 'notify', audience: { kind: 'operators' }, template: 'review', ticketId: t.id, summary });
const toUnits = (t: Ticket, unitIds: string[], template: Effect & { kind: 'notify' } extends { template: infer X } ? X : never, summary: string): Effect => ({
  kind: 'notify',
  audience: { kind: 'units', unitIds },
  template,
  ticketId: t.id,
  summary,
});

function applyRating(t: Ticket, value: string, reason: string | undefined, by: 'requester' | 'revisit', method: 'online' | 'phone' | 'sms', ctx: DecideContext): Step {
  const p = ctx.profile;
  const option = p.rating.options.find((o) => o.value === value);
  if (!option) return refuse('rating-invalid');
  if (option.dissatisfied && !reason) return refuse('rating-reason-required');
  const round = t.counters.reworks;
  const ratings = [...t.ratings, { value, reason, at: ctx.now, by, method, round }];
  const data = { value, label: option.label, round, method };
  if (!option.dissatisfied) return { to: 'closed', ticket: { ratings, closedAt: ctx.now }, note: reason, data };
  if (t.state === 'answered') {
    // Not satisfied with the instant answer: the request goes on to a unit (baiyin 10).
    const transfer = p.intake.transferWithin;
    const deadlines = transfer ? [...t.deadlines, makeDeadline('transfer', 'platform', ctx.now, transfer, p, ctx.calendar)] : t.deadlines;
    // The rating stays on the event; the unit's result will be rated in its own right.
    return { to: 'accepted', ticket: { deadlines, closedAt: undefined, resolvedAt: undefined }, note: reason, data, effects: [toOperators(t, '即时答复不满意，待派单')] };
  }
  if (t.state === 'dissatisfied') {
    // A revisit's new rating where the last one is not final (lastRatingFinal false); 不满意 again stays.
    return { to: 'dissatisfied', ticket: { ratings }, note: reason, data: { ...data, final: true } };
  }
  const lead = leadUnit(t);
  if (round < p.rework.maxCount && lead) {
    if (p.rework.onDissatisfied === 'rework') {
      // pingli 18: a first 不满意 is sent back to the unit at once; nobody has to ask for it.
      const back = reworkStep(t, lead, ctx);
      return { ...back, ticket: { ...back.ticket, ratings }, note: reason, data: { ...data, rework: round + 1 } };
    }
    // The requester may ask for rework; otherwise an operator decides: rework, or archive with the explanation (baiyin 17).
    return { ticket: { ratings }, note: reason, data: { ...data, reworkAvailable: true }, effects: [toOperators(t, '诉求人不满意，请决定重办或予以说明')] };
  }
  // The final 不满意 (pingli 20, baiyin 17): not archived; the platform revisits and the board holds it.
  const trigger = p.supervision.triggers.includes('dissatisfied-after-rework') && !t.supervision.triggers.includes('dissatisfied-after-rework');
  const triggers = trigger ? [...t.supervision.triggers, 'dissatisfied-after-rework' as const] : t.supervision.triggers;
  const next = trigger || t.supervision.triggers.includes('dissatisfied-after-rework') ? '平台将回访了解不满意的原因，并督办承办单位' : '平台将回访了解不满意的原因';
  return {
    to: 'dissatisfied',
    // resolvedAt stays: the ticket was concluded, and counts as not resolved (assessment.ts).
    ticket: { ratings, supervision: { ...t.supervision, triggers } },
    note: reason,
    data: { ...data, final: true, next },
    effects: [toOperators(t, round > 0 ? '重办后仍不满意，请回访了解原因' : '诉求人不满意，请回访了解原因'), toRequester(t, next)],
  };
}

/** Sends a resolved ticket back to its lead unit for rework: a new rework deadline, one more round. */
function reworkStep(t: Ticket, lead: string, ctx: DecideContext): Patch & { ticket: Partial<Ticket> } {
  const rw = ctx.profile.rework;
  const round = t.counters.reworks;
  const deadlines = [...t.deadlines, makeDeadline('rework', lead, ctx.now, rw.deadline, ctx.profile, ctx.calendar)];
  return {
    to: 'handling',
    ticket: { deadlines, resolvedAt: undefined, counters: { ...t.counters, reworks: round + 1 } },
    data: { round: round + 1 },
    effects: [toUnits(t, [lead], 'assigned', '诉求人不满意，请重新办理'), toRequester(t, `已发回承办单位重新办理（${rw.deadline.citation.article}，${formatSpan(rw.deadline)}）`)],
  };
}

/** Ends handling for good: every deadline cancelled, the requester and the units told. */
function endHandling(t: Ticket, reason: string, ctx: DecideContext, ground?: { groundCode: string; article: string; proposedByUnitId?: string }): Patch {
  const units = t.assignments.map((a) => a.unitId);
  const basis = ground ? `（依据${ground.article}）` : '';
  return {
    to: 'terminated',
    ticket: { termination: { reason, at: ctx.now, ...ground }, pendingTermination: undefined, deadlines: closeDeadlines(t.deadlines, 'all', ctx.now, 'cancel') },
    note: reason,
    ...(ground ? { data: { groundCode: ground.groundCode, article: ground.article } } : {}),
    effects: [toRequester(t, `诉求已终止办理${basis}`), ...(units.length ? [toUnits(t, units, 'progress', `诉求已终止办理${basis}`)] : [])],
  };
}

/**
 * A change of type, category, urgency, utilities flag or area. The handling deadline that runs is
 * recomputed from its start under the new classification (with its article); one that has not
 * started yet follows at dispatch. An emergency at a unit gets the profile's response deadline.
 */
function classifyStep(t: Ticket, c: CommandOf<'classify'>, actor: Actor, ctx: DecideContext): Step {
  const p = ctx.profile;
  if (actor.role === 'grid' && (c.requestType !== undefined || c.category !== undefined || c.utilities !== undefined || c.area !== undefined || c.grid !== undefined)) {
    return refuse('forbidden', '网格员只能标记紧急程度');
  }
  if (c.requestType !== undefined && !p.requestTypes.includes(c.requestType)) return refuse('invalid-input', '本平台不受理该类型的诉求');
  if (c.utilities && !p.handling.utilities) return refuse('invalid-input', '本平台没有水电气暖诉求的专门时限');
  const next = {
    type: c.requestType ?? t.type,
    category: c.category ?? t.category,
    urgency: c.urgency ?? t.urgency,
    utilities: c.utilities ?? t.utilities,
    location: { ...t.location, ...(c.area !== undefined ? { area: c.area } : {}), ...(c.grid !== undefined ? { grid: c.grid } : {}) },
  };
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  const diff = (k: string, a: unknown, b: unknown) => {
    if (a !== b) changes[k] = { from: a ?? null, to: b ?? null };
  };
  diff('type', t.type, next.type);
  diff('category', t.category, next.category);
  diff('urgency', t.urgency, next.urgency);
  diff('utilities', t.utilities, next.utilities);
  diff('area', t.location.area, next.location.area);
  diff('grid', t.location.grid, next.location.grid);
  if (Object.keys(changes).length === 0) return refuse('nothing-changed');

  let deadlines = t.deadlines;
  let deadline: { span: string; article: string; dueAt: number } | undefined;
  const running = t.deadlines.find((d) => d.status === 'active' && d.kind === 'handle');
  const rule = handlingRule(p, next);
  const before = handlingRule(p, t);
  if (running && (formatSpan(rule) !== formatSpan(before) || rule.citation.article !== before.citation.article)) {
    const fresh = makeDeadline('handle', running.owner, running.startedAt, rule, p, ctx.calendar);
    deadlines = [...t.deadlines.map((d) => (d === running ? { ...d, status: 'cancelled' as const, closedAt: ctx.now } : d)), fresh];
    deadline = { span: fresh.span, article: fresh.citation.article, dueAt: fresh.dueAt };
  }
  const lead = leadUnit(t);
  if (next.urgency === 'emergency' && lead && p.handling.emergencyResponse && !deadlines.some((d) => d.kind === 'emergencyResponse' && d.status === 'active')) {
    deadlines = [...deadlines, makeDeadline('emergencyResponse', lead, ctx.now, p.handling.emergencyResponse, p, ctx.calendar)];
  }
  // A running plain response window (hohhot 16(2), 16(3)) follows the new classification from its
  // start, like the handling deadline; it ends when the matter becomes one without it.
  let response: { span: string; article: string; dueAt: number } | undefined;
  const answering = deadlines.find((d) => d.status === 'active' && d.kind === 'response');
  if (answering) {
    const r = responseRule(p, next);
    const same = r?.kind === 'response' && formatSpan(r.rule) === answering.span && r.rule.citation.article === answering.citation.article;
    if (!same) {
      deadlines = deadlines.map((d) => (d === answering ? { ...d, status: 'cancelled' as const, closedAt: ctx.now } : d));
      if (r?.kind === 'response') {
        const fresh = makeDeadline('response', answering.owner, answering.startedAt, r.rule, p, ctx.calendar);
        deadlines = [...deadlines, fresh];
        response = { span: fresh.span, article: fresh.citation.article, dueAt: fresh.dueAt };
      }
    }
  }
  const units = t.assignments.map((a) => a.unitId);
  const told = [...(response ? [`响应时限改为${response.span}（${response.article}）`] : []), ...(deadline ? [`办理时限改为${deadline.span}（${deadline.article}）`] : [])];
  const summary = told.length ? `诉求分类已调整，${told.join('，')}` : '诉求分类已调整';
  const publicChange = deadline !== undefined || response !== undefined;
  return {
    ticket: { ...next, deadlines },
    note: c.reason,
    data: { changes, ...(deadline ? { deadline } : {}), ...(response ? { response } : {}), by: actor.role },
    // The requester sees a change of the deadline they were told; the rest is internal.
    public: publicChange,
    effects: [...(units.length ? [toUnits(t, units, 'progress', summary)] : []), ...(publicChange ? [toRequester(t, summary)] : [])],
  };
}

const HANDLERS: { [K in CommandType]: Handler<K> } = {
  classify: classifyStep,

  accept(t, c, _a, ctx) {
    let deadlines = closeDeadlines(t.deadlines, ['accept'], ctx.now, 'done');
    const transfer = ctx.profile.intake.transferWithin;
    if (transfer) deadlines = [...deadlines, makeDeadline('transfer', 'platform', ctx.now, transfer, ctx.profile, ctx.calendar)];
    return { to: 'accepted', ticket: { deadlines }, note: c.note, effects: [toRequester(t, '您的诉求已受理')] };
  },

  answer(t, c, actor, ctx) {
    // The guard ownConsultationOrOperator admitted the requester; an instant answer of one's own cites an article.
    if (actor.role !== 'operator' && !c.articleId) return refuse('illegal-transition');
    return {
      to: 'answered',
      ticket: { answer: { text: c.answer, articleId: c.articleId, at: ctx.now }, deadlines: closeDeadlines(t.deadlines, 'all', ctx.now, 'done'), resolvedAt: ctx.now },
      note: c.answer,
      data: { articleId: c.articleId, self: actor.role !== 'operator' },
      effects: actor.role === 'operator' ? [toRequester(t, '您的咨询已答复')] : [],
    };
  },

  refuse(t, c, _a, ctx) {
    const ground = ctx.profile.intake.nonAcceptanceGrounds.find((g) => g.code === c.groundCode);
    if (!ground) return refuse('unknown-ground');
    const basis = `依据《${ctx.profile.regulation}》${ground.citation.article}：${ground.label}`;
    return {
      to: 'rejected',
      ticket: { rejection: { groundCode: ground.code, label: ground.label, article: ground.citation.article, note: c.note }, deadlines: closeDeadlines(t.deadlines, 'all', ctx.now, 'done') },
      note: c.note ? `${basis}。${c.note}` : basis,
      data: { groundCode: ground.code, article: ground.citation.article },
      effects: [toRequester(t, `不予受理：${ground.label}`)],
    };
  },

  withdraw(t, c, _a, ctx) {
    return { to: 'withdrawn', ticket: { deadlines: closeDeadlines(t.deadlines, 'all', ctx.now, 'cancel') }, note: c.note, effects: t.assignments.length ? [toUnits(t, t.assignments.map((a) => a.unitId), 'progress', '诉求人已撤回')] : [] };
  },

  dispatch(t, c, _a, ctx) {
    const all = [...c.unitIds, ...c.assistUnitIds];
    if (new Set(all).size !== all.length) return refuse('invalid-input', '同一单位不能重复派发');
    if (ctx.knownUnitIds && all.some((u) => !ctx.knownUnitIds!.has(u))) return refuse('unit-not-found');
    if (c.complainedUnitId && all.includes(c.complainedUnitId) && c.mode !== 'single') {
      // A unit complained about may handle it (first-handler duty) but never sees who complained.
    }
    if (c.mode === 'separate') {
      if (c.unitIds.length < 2 || c.assistUnitIds.length) return refuse('invalid-input', '分别派发须选择两个及以上单位');
      return {
        to: 'split',
        ticket: { dispatchMode: 'separate', deadlines: closeDeadlines(t.deadlines, 'all', ctx.now, 'done'), complainedUnitId: c.complainedUnitId ?? t.complainedUnitId },
        note: c.note,
        data: { mode: c.mode, unitIds: c.unitIds, ...(c.publicNote ? { publicNote: c.publicNote } : {}) },
        effects: [{ kind: 'createChildren', parentId: t.id, unitIds: c.unitIds }, toRequester(t, '已分送多个单位办理')],
      };
    }
    if (c.unitIds.length !== 1) return refuse('invalid-input', '请选择一个主办单位');
    if (c.mode === 'single' && c.assistUnitIds.length) return refuse('invalid-input', '单独派发不能选择协办单位');
    if (c.mode === 'lead' && !c.assistUnitIds.length) return refuse('invalid-input', '主协办须选择协办单位');
    const lead = c.unitIds[0]!;
    const assignments = [
      { unitId: lead, role: 'lead' as const, dispatchedAt: ctx.now, feedback: [] },
      ...c.assistUnitIds.map((u) => ({ unitId: u, role: 'assist' as const, dispatchedAt: ctx.now, feedback: [] })),
    ];
    const p = ctx.profile;
    let deadlines = closeDeadlines(t.deadlines, ['transfer', 'accept', 'sign', 'handle', 'emergencyResponse', 'response', 'rework'], ctx.now, 'done');
    if (p.handling.signWithin) deadlines.push(makeDeadline('sign', lead, ctx.now, p.handling.signWithin, p, ctx.calendar));
    const response = responseRule(p, t);
    if (response) deadlines.push(makeDeadline(response.kind, lead, ctx.now, response.rule, p, ctx.calendar));
    deadlines.push(makeDeadline('handle', lead, ctx.now, handlingRule(p, t), p, ctx.calendar));
    deadlines = deadlines.filter((d) => d.status !== 'cancelled' || t.deadlines.includes(d));
    return {
      to: 'dispatched',
      ticket: { dispatchMode: c.mode, assignments, deadlines, firstSignedAt: undefined, complainedUnitId: c.complainedUnitId ?? t.complainedUnitId, firstLeadUnitId: t.firstLeadUnitId ?? lead },
      note: c.note,
      data: { mode: c.mode, lead, assist: c.assistUnitIds, ...(c.publicNote ? { publicNote: c.publicNote } : {}) },
      effects: [toUnits(t, all, 'assigned', '有新的诉求待签收'), toRequester(t, '已转交承办单位办理')],
    };
  },

  sign(t, c, actor, ctx) {
    const mine = t.assignments.find((a) => a.unitId === actor.unitId)!;
    const assignments = t.assignments.map((a) => (a === mine ? { ...a, signedAt: ctx.now } : a));
    if (mine.role === 'assist') return { ticket: { assignments }, note: c.note, public: false, data: { role: 'assist' } };
    return {
      to: t.state === 'dispatched' ? 'handling' : (t.state as StateId),
      ticket: { assignments, firstSignedAt: t.firstSignedAt ?? ctx.now, deadlines: closeDeadlines(t.deadlines, ['sign'], ctx.now, 'done') },
      note: c.note,
      data: { role: 'lead' },
      effects: [toRequester(t, '承办单位已签收')],
    };
  },

  contact(t, c, actor, ctx) {
    // Signed and a progress report recorded: the response window is met (hohhot 16(1)-(3), pingli 22).
    const deadlines = t.firstSignedAt !== undefined ? closeDeadlines(t.deadlines, ['emergencyResponse', 'response'], ctx.now, 'done') : t.deadlines;
    const contactLog = [...(t.contactLog ?? []), { at: ctx.now, unitId: actor.unitId!, method: c.method, result: c.result }];
    return { ticket: { deadlines, contactLog, counters: { ...t.counters, contacts: t.counters.contacts + 1 } }, note: c.note, data: { method: c.method, result: c.result } };
  },

  revealPhone(_t, _c, actor) {
    // Guard: revealAllowed. The event is the log (who, when, which ticket); it never holds the number.
    return { data: { unitId: actor.unitId } };
  },

  requestRelay(t, c, actor, ctx) {
    // Guards: relayNeeded, noRelayPending. The local privacy-number port: an operator connects the call.
    return { ticket: { relay: { unitId: actor.unitId!, note: c.note, at: ctx.now, port: ctx.relayPort ?? 'operator' } }, note: c.note, data: { unitId: actor.unitId }, effects: [toOperators(t, '承办单位申请平台转接联系诉求人')] };
  },

  relayDone(t, c, _a, ctx) {
    // Guard: relayPending. The relayed call is the unit's contact record.
    const unitId = t.relay!.unitId;
    const contactLog = [...(t.contactLog ?? []), { at: ctx.now, unitId, method: 'relay' as const, result: c.result }];
    return {
      ticket: { relay: undefined, contactLog, counters: { ...t.counters, contacts: t.counters.contacts + 1 } },
      note: c.note,
      data: { unitId, result: c.result },
      effects: [toUnits(t, [unitId], 'progress', `平台已转接联系诉求人：${RELAY_RESULTS[c.result]}`)],
    };
  },

  messageRequester(t, c, actor, ctx) {
    const contactLog = [...(t.contactLog ?? []), { at: ctx.now, unitId: actor.unitId!, method: 'message' as const, result: 'sent' as const }];
    return { ticket: { contactLog, counters: { ...t.counters, contacts: t.counters.contacts + 1 } }, note: c.message, effects: [toRequester(t, '承办单位给您留言，请查看')] };
  },

  requestReturn(t, c, actor, ctx) {
    const p = ctx.profile;
    const mine = t.assignments.find((a) => a.unitId === actor.unitId)!;
    if (p.handling.returnWithin) {
      const w = p.handling.returnWithin;
      const limit = computeDueAt(mine.dispatchedAt, w, ctx.calendar);
      if (ctx.now > limit) return refuse('return-window-passed', `须在${formatSpan(w)}内申请退回（${p.handling.returnWithin.citation.article}）`);
    }
    if (p.handling.returnNeedsProof && c.attachments.length === 0) return refuse('invalid-input', '申请退回须附上证明材料');
    if (t.counters.returns >= 1) {
      // The ticket was returned before: a second return starts coordination by itself (baiyin 11(3), linyi 15(3) 反复回退).
      return {
        to: 'coordinationRequested',
        ticket: { resumeState: t.state, pendingCoordination: { unitId: actor.unitId!, reason: c.reason, at: ctx.now, auto: true } },
        note: c.reason,
        attachments: c.attachments,
        data: { basis: c.basis, coordination: true, returns: t.counters.returns },
        effects: [toOperators(t, '该诉求再次被申请退回，已转入协调，请确定承办单位')],
      };
    }
    return {
      to: 'returnRequested',
      ticket: { resumeState: t.state, pendingReturn: { reason: c.reason, basis: c.basis, at: ctx.now, unitId: actor.unitId! } },
      note: c.reason,
      attachments: c.attachments,
      data: { basis: c.basis },
      effects: [toOperators(t, '承办单位申请退回，请审核')],
    };
  },

  reviewReturn(t, c, _a, ctx) {
    if (!c.approve) {
      // A refusal says why: the unit reads it on the timeline and in the notice.
      if (!c.note) return refuse('reason-required');
      return { to: (t.resumeState as StateId) ?? 'handling', ticket: { resumeState: undefined, pendingReturn: undefined }, note: c.note, data: { approve: false }, effects: [toUnits(t, [t.pendingReturn?.unitId ?? leadUnit(t)!], 'progress', `退回申请未通过：${c.note}`)] };
    }
    const transfer = ctx.profile.intake.transferWithin;
    let deadlines = closeDeadlines(t.deadlines, ['sign', 'handle', 'emergencyResponse', 'response', 'rework'], ctx.now, 'cancel');
    if (transfer) deadlines = [...deadlines, makeDeadline('transfer', 'platform', ctx.now, transfer, ctx.profile, ctx.calendar)];
    return {
      to: 'accepted',
      // The unit leaves the ticket: a termination it proposed goes with it.
      ticket: { assignments: [], resumeState: undefined, pendingReturn: undefined, pendingTermination: undefined, relay: undefined, pausedAt: undefined, pause: undefined, deadlines, firstSignedAt: undefined, counters: { ...t.counters, returns: t.counters.returns + 1 } },
      note: c.note,
      public: true,
      data: { approve: true, unitId: t.pendingReturn?.unitId },
      effects: [toRequester(t, '您的诉求将重新转办')],
    };
  },

  requestCoordination(t, c, actor, ctx) {
    return {
      to: 'coordinationRequested',
      ticket: { resumeState: t.state, pendingCoordination: { unitId: actor.unitId!, reason: c.reason, at: ctx.now, auto: false } },
      note: c.reason,
      effects: [toOperators(t, '承办单位申请协调职责，请确定承办单位')],
    };
  },

  coordinate(t, c, _a, ctx) {
    const p = ctx.profile;
    const fallback = p.handling.coordination.fallback;
    const unitId = c.unitId ?? (fallback?.rule === 'firstLeadUnit' ? t.firstLeadUnitId : undefined);
    if (!unitId) return refuse('coordination-unit-required');
    if (ctx.knownUnitIds && !ctx.knownUnitIds.has(unitId)) return refuse('unit-not-found');
    const coordination = { unitId, basis: c.basis, at: ctx.now, fallback: c.unitId === undefined };
    const asked = t.pendingCoordination?.unitId ?? t.pendingReturn?.unitId;
    const data = { unitId, basis: c.basis, fallback: coordination.fallback, article: coordination.fallback ? fallback!.citation.article : p.handling.coordination.citation.article };
    const clear = { pendingCoordination: undefined, pendingReturn: undefined, resumeState: undefined, coordination };
    if (unitId === leadUnit(t)) {
      // The unit that asked keeps it: its deadlines run on.
      return { to: ((t.resumeState as StateId) ?? 'handling') as StateId, ticket: clear, note: c.note ?? c.basis, data, effects: [toUnits(t, [unitId], 'progress', `经平台协调，由本单位承办，不能再退回：${c.basis}`)] };
    }
    const assignments = [{ unitId, role: 'lead' as const, dispatchedAt: ctx.now, feedback: [] }, ...t.assignments.filter((a) => a.role === 'assist' && a.unitId !== unitId)];
    let deadlines = closeDeadlines(t.deadlines, ['sign', 'handle', 'emergencyResponse', 'response', 'rework', 'transfer'], ctx.now, 'cancel');
    if (p.handling.signWithin) deadlines = [...deadlines, makeDeadline('sign', unitId, ctx.now, p.handling.signWithin, p, ctx.calendar)];
    // The unit the platform decides answers within the article's window too (hohhot 16(2), 16(3)).
    const response = responseRule(p, t);
    if (response?.kind === 'response') deadlines = [...deadlines, makeDeadline('response', unitId, ctx.now, response.rule, p, ctx.calendar)];
    deadlines = [...deadlines, makeDeadline('handle', unitId, ctx.now, handlingRule(p, t), p, ctx.calendar)];
    const others = asked && asked !== unitId ? [toUnits(t, [asked], 'progress', `经平台协调，已改由其他单位承办`)] : [];
    return {
      to: 'dispatched',
      ticket: { ...clear, assignments, deadlines, firstSignedAt: undefined, relay: undefined },
      note: c.note ?? c.basis,
      data,
      effects: [toUnits(t, [unitId], 'assigned', `经平台协调由本单位承办，不能再退回：${c.basis}`), ...others, toRequester(t, '您的诉求已协调确定承办单位')],
    };
  },

  requestExtension(t, c, _a, ctx) {
    const ext = ctx.profile.extension;
    // Guards: extensionAllowed, extensionLeft, handlingDeadlineRunning.
    const handle = t.deadlines.find((d) => d.status === 'active' && (d.kind === 'handle' || d.kind === 'rework'))!;
    if (ext.mustApplyBeforeDeadline && ctx.now > handle.dueAt) return refuse('extension-after-deadline');
    let asked: Span = c.span ?? (ext.length === 'original' ? handlingRule(ctx.profile, t) : ext.length);
    if (asked.unit !== 'hours' && !Number.isInteger(asked.amount)) return refuse('invalid-input', '以天计的延期须为整数');
    if (asked.amount <= 0) return refuse('invalid-input', '延期时长须大于0');
    const max = ext.length === 'original' ? handlingRule(ctx.profile, t) : ext.length;
    // A length in months (anshan 22 "两个月") is a ceiling the cap enforces; a unit may ask in days.
    const byCap = max.unit === 'calendarMonths' && ext.totalCap !== null;
    if (!byCap && (asked.unit !== max.unit || asked.amount > max.amount)) return refuse('extension-too-long', `每次延期不超过${formatSpan(max)}（${ext.citation.article}）`);
    if (ext.totalCap) {
      // Counted from the original deadline, before any extension (anshan 22: 延期累计不超过两个月).
      const cap = computeDueAt(handle.baseDueAt ?? handle.dueAt, ext.totalCap, ctx.calendar);
      // Asked without a length: what is left of the cap.
      if (!c.span) {
        const left = calendarDaysBetween(shanghaiDateOf(handle.dueAt), shanghaiDateOf(cap));
        if (left < 1) return refuse('extension-too-long', `延期累计不超过${formatSpan(ext.totalCap)}，已用完（${ext.citation.article}）`);
        asked = { amount: left, unit: 'calendarDays' };
      }
      if (extendDeadline(handle.dueAt, asked, ctx.calendar) > cap) return refuse('extension-too-long', `延期累计不超过${formatSpan(ext.totalCap)}（${ext.citation.article}）`);
    }
    return {
      to: 'extensionRequested',
      ticket: { resumeState: t.state, pendingExtension: { reason: c.reason, days: asked.amount, unit: asked.unit, at: ctx.now } },
      note: c.reason,
      data: { span: asked },
      effects: [toOperators(t, '承办单位申请延期，请审核')],
    };
  },

  reviewExtension(t, c, _a, ctx) {
    const base = { to: ((t.resumeState as StateId) ?? 'handling') as StateId, note: c.note };
    if (!c.approve && !c.note) return refuse('reason-required');
    if (!c.approve) return { ...base, ticket: { resumeState: undefined, pendingExtension: undefined }, data: { approve: false }, effects: [toUnits(t, [leadUnit(t)!], 'progress', `延期申请未通过：${c.note}`)] };
    const ext = ctx.profile.extension;
    const max = ext.length === 'original' ? handlingRule(ctx.profile, t) : ext.length;
    const span = { amount: t.pendingExtension?.days ?? max.amount, unit: t.pendingExtension?.unit ?? max.unit };
    const extended: Deadline[] = t.deadlines.map((d) =>
      d.status === 'active' && (d.kind === 'handle' || d.kind === 'rework') ? extendActive(d, span, ctx.calendar, { span: `${d.span}+延期${formatSpan(span)}`, citation: ext.citation }) : d,
    );
    // The extension and its reason are told to the requester (hohhot 19(1)(3) 向诉求人说明理由): a
    // report on the handling, so a running plain response window is met (16(2), 16(3)).
    const deadlines = closeDeadlines(extended, ['response'], ctx.now, 'done');
    return {
      ...base,
      ticket: { deadlines, resumeState: undefined, pendingExtension: undefined, counters: { ...t.counters, extensions: t.counters.extensions + 1 } },
      public: true,
      data: { approve: true, span },
      effects: [toRequester(t, `办理期限延长${formatSpan(span)}`), toUnits(t, [leadUnit(t)!], 'progress', '延期申请已通过')],
    };
  },

  assistFeedback(t, c, actor, ctx) {
    const assignments = t.assignments.map((a) => (a.unitId === actor.unitId ? { ...a, feedback: [...a.feedback, { note: c.note, at: ctx.now, attachments: c.attachments }] } : a));
    return { ticket: { assignments }, note: c.note, attachments: c.attachments, effects: [toUnits(t, [leadUnit(t)!], 'progress', '协办单位已反馈')] };
  },

  reply(t, c, actor, ctx) {
    const min = ctx.profile.reply.minResultLength;
    if ([...c.result.trim()].length < min) return refuse('reply-too-short', `答复内容不少于${min}个字，请写明办理结果`);
    if (ctx.profile.handling.complaintNeedsCaseNumber && (t.type === 'complaint' || t.type === 'report') && !((c.caseNumber && c.caseDate) || c.noCaseReason)) return refuse('case-number-required');
    // A reply ends a clock pause: the paused working days are added before the deadline is judged.
    const resumed = t.pausedAt === undefined ? t.deadlines : t.deadlines.map((d) => (d.status === 'active' && (d.kind === 'handle' || d.kind === 'rework') ? pauseActive(d, t.pausedAt!, ctx.now, ctx.calendar) : d));
    const deadlines = closeDeadlines(resumed, ['handle', 'rework', 'emergencyResponse', 'response', 'sign'], ctx.now, 'done');
    const { type: _t, ticketId: _i, expectedVersion: _v, attachments, ...fields } = c;
    return {
      to: 'replied',
      ticket: { deadlines, pausedAt: undefined, pause: undefined, reply: { ...fields, attachments, at: ctx.now, unitId: actor.unitId! } },
      note: c.result,
      attachments,
      data: { handler: c.handler, legalBasis: c.legalBasis, caseNumber: c.caseNumber },
      effects: [toOperators(t, '办理结果待审核'), toRequester(t, '承办单位已答复')],
    };
  },

  reviewResult(t, c, _a, ctx) {
    if (c.approve) return { to: 'resolved', ticket: { resolvedAt: ctx.now }, note: c.note, public: true, data: { approve: true }, effects: [toRequester(t, '您的诉求已办结，请评价')] };
    if (!c.note) return refuse('reason-required');
    // Sent back: the handling deadline that the reply met runs again.
    const last = [...t.deadlines].reverse().find((x) => x.kind === 'handle' || x.kind === 'rework');
    const deadlines = t.deadlines.map((d) => (d === last && d.status === 'met' ? { ...d, status: 'active' as const, closedAt: undefined } : d));
    return { to: 'handling', ticket: { deadlines }, note: c.note, data: { approve: false }, effects: [toUnits(t, [leadUnit(t)!], 'progress', `结果未通过审核：${c.note}`)] };
  },

  rate(t, c, _a, ctx) {
    return applyRating(t, c.value, c.reason, 'requester', 'online', ctx);
  },

  revisit(t, c, _a, ctx) {
    return applyRating(t, c.value, c.reason, 'revisit', c.method, ctx);
  },

  requestRework(t, c, _a, ctx) {
    // Guards: reworkLeft, ratedDissatisfied.
    const lead = leadUnit(t);
    if (!lead) return refuse('illegal-transition');
    return { ...reworkStep(t, lead, ctx), note: c.reason };
  },

  recordRevisit(t, c, actor, ctx) {
    const revisits = [...(t.revisits ?? []), { method: c.method, result: c.result, ...(c.words ? { words: c.words } : {}), at: ctx.now, by: actor.userId }];
    return { ticket: { revisits }, note: c.result, data: { method: c.method, ...(c.words ? { words: c.words } : {}) } };
  },

  handOffEmergency(t, c, actor, ctx) {
    const h = ctx.profile.emergencyHandOff;
    const line = h.lines.find((l) => l.line === c.line);
    if (!line) return refuse('invalid-input', `请选择本平台的紧急服务专线：${h.lines.map((l) => l.line).join('、')}`);
    // Closed as handed off, its deadlines are cancelled (not met): the matter left the platform.
    const handOffs = [...(t.handOffs ?? []), { line: line.line, label: line.label, at: ctx.now, by: actor.userId, ...(c.note ? { note: c.note } : {}) }];
    const close = h.after === 'close';
    const told = close ? `您反映的紧急事项已转交${line.label}处置` : `您反映的紧急事项已通报${line.label}处置，平台将跟踪办理情况`;
    const units = t.assignments.map((a) => a.unitId);
    return {
      to: close ? 'handedOff' : (t.state as StateId),
      ticket: { handOffs, ...(close ? { deadlines: closeDeadlines(t.deadlines, 'all', ctx.now, 'cancel') } : {}) },
      note: c.note ? `${told}。${c.note}` : told,
      data: { line: line.line, label: line.label, after: h.after, article: h.citation.article },
      effects: [toRequester(t, told), ...(units.length ? [toUnits(t, units, 'progress', `已转交${line.label}`)] : [])],
    };
  },

  supervise(t, c, _a, ctx) {
    const levels = ctx.profile.supervision.levels;
    // Equal force (pingli 25): any method again, in any order; otherwise up a level each time.
    const equal = ctx.profile.supervision.methodsEqual;
    if (c.level < 1 || c.level > levels.length || (!equal && c.level <= t.supervision.level)) return refuse('supervision-level-invalid');
    const triggers = c.trigger && !t.supervision.triggers.includes(c.trigger) ? [...t.supervision.triggers, c.trigger] : t.supervision.triggers;
    const units = t.assignments.map((a) => a.unitId);
    return {
      ticket: { supervision: { ...t.supervision, level: Math.max(t.supervision.level, c.level), triggers } },
      note: c.note,
      data: { level: c.level, levelLabel: levels[c.level - 1], method: c.method, trigger: c.trigger },
      // Being counted as a repeated requester is the platform's note, not news for the requester.
      ...(c.trigger === 'repeated-requester' ? { public: false } : {}),
      // The operator's words reach the unit; without them, the usual request.
      effects: units.length ? [toUnits(t, units, 'supervised', `${levels[c.level - 1]}：${c.note?.trim() || '请加快办理'}`)] : [],
    };
  },

  escalate(t, c, _a, ctx) {
    // Guard: supervisedNotEscalated.
    const after = ctx.profile.supervision.escalation.afterMonths;
    if (after !== undefined && ctx.now < computeDueAt(t.createdAt, { amount: after, unit: 'calendarMonths' }, ctx.calendar)) {
      return refuse('illegal-transition', `连续${after}个月以上未解决的方可${ctx.profile.supervision.escalation.label}（${ctx.profile.supervision.escalation.citation.article}）`);
    }
    return { ticket: { supervision: { ...t.supervision, escalated: true } }, note: c.note, data: { to: ctx.profile.supervision.escalation.label } };
  },

  terminate(t, c, _a, ctx) {
    // Guard: platformMayTerminate. Where the profile lists grounds, the operator picks one open to the platform.
    const grounds = ctx.profile.termination.grounds;
    const ground = c.groundCode === undefined ? undefined : grounds.find((g) => g.code === c.groundCode);
    if (grounds.length > 0 && c.groundCode === undefined) return refuse('termination-ground-required');
    if (c.groundCode !== undefined && (!ground || !ground.by.includes('platform'))) return refuse('unknown-termination-ground');
    return endHandling(t, c.reason, ctx, ground && { groundCode: ground.code, article: ground.citation.article });
  },

  proposeTermination(t, c, actor, ctx) {
    // Guards: unitMayProposeTermination, noTerminationPending.
    const ground = ctx.profile.termination.grounds.find((g) => g.code === c.groundCode && g.by.includes('unit'));
    if (!ground) return refuse('unknown-termination-ground');
    if (ground.proofRequired && c.attachments.length === 0) return refuse('proof-required', `申请终止办理须附上证明材料（${ground.citation.article}）`);
    return {
      ticket: { pendingTermination: { groundCode: ground.code, article: ground.citation.article, reason: c.reason, at: ctx.now, unitId: actor.unitId! } },
      note: c.reason,
      attachments: c.attachments,
      data: { groundCode: ground.code, article: ground.citation.article },
      effects: [toOperators(t, '承办单位申请终止办理，请审核')],
    };
  },

  reviewTermination(t, c, _a, ctx) {
    // Guard: terminationPending.
    const pending = t.pendingTermination!;
    if (!c.approve) {
      return { ticket: { pendingTermination: undefined }, note: c.note, data: { approve: false }, effects: [toUnits(t, [pending.unitId], 'progress', `终止办理申请未通过：${c.note}`)] };
    }
    const step = endHandling(t, c.note, ctx, { groundCode: pending.groundCode, article: pending.article, proposedByUnitId: pending.unitId });
    return { ...step, ticket: { ...step.ticket, pendingTermination: undefined }, data: { approve: true, groundCode: pending.groundCode, article: pending.article }, public: true };
  },

  disputeRating(t, c, actor, ctx) {
    // Guards: unitMayDispute, ratedNotDisputed, noDisputePending.
    const rating = standingRatingThisRound(t)!;
    return {
      ticket: { pendingDispute: { round: t.counters.reworks, value: rating.value, reason: c.reason, at: ctx.now, unitId: actor.unitId! } },
      note: c.reason,
      attachments: c.attachments,
      data: { value: rating.value, round: t.counters.reworks, article: ctx.profile.rating.disputeCitation?.article },
      effects: [toOperators(t, '承办单位对评价有异议，请复评')],
    };
  },

  reviewDispute(t, c, _a, ctx) {
    // Guard: disputePending.
    const pending = t.pendingDispute!;
    const article = ctx.profile.rating.disputeCitation?.article;
    const decided = { round: pending.round, unitId: pending.unitId, reason: pending.reason, at: pending.at, note: c.note, decidedAt: ctx.now };
    if (!c.upheld) {
      return {
        ticket: { pendingDispute: undefined, disputes: [...(t.disputes ?? []), { ...decided, upheld: false }] },
        note: c.note,
        data: { upheld: false, value: pending.value, article },
        effects: [toUnits(t, [pending.unitId], 'progress', `评价申诉未被采纳，原评价有效：${c.note}`)],
      };
    }
    const option = ctx.profile.rating.options.find((o) => o.value === c.value);
    if (!option) return refuse('rating-invalid', '请选择复评的评价等级');
    if (pending.round !== t.counters.reworks) return refuse('illegal-transition', '已重新办理，原评价不再复评');
    // The platform's re-rating is the rating that stands for the round (anshan 23 最后确定评价结果): figures use the last rating.
    const ratings = [...t.ratings, { value: option.value, reason: c.note, at: ctx.now, by: 'platform' as const, round: pending.round, ...(article ? { article } : {}) }];
    return {
      ticket: { ratings, pendingDispute: undefined, disputes: [...(t.disputes ?? []), { ...decided, upheld: true, value: option.value }] },
      note: c.note,
      data: { upheld: true, from: pending.value, value: option.value, label: option.label, article, setBy: 'platform' },
      effects: [toUnits(t, [pending.unitId], 'progress', `评价申诉已采纳，平台复评为${option.label}`)],
    };
  },

  appealCounting(t, c, actor, ctx) {
    // Guards: appealsProvided, noAppealPending.
    const appeal = ctx.profile.assessment.appeal!;
    const ground = appeal.grounds.find((g) => g.code === c.groundCode);
    if (!ground) return refuse('unknown-appeal-ground');
    return {
      ticket: { pendingAppeal: { unitId: actor.unitId!, groundCode: ground.code, metrics: c.metrics, reason: c.reason, at: ctx.now } },
      note: c.reason,
      attachments: c.attachments,
      data: { groundCode: ground.code, ground: ground.label, metrics: c.metrics, article: appeal.citation.article },
      effects: [toOperators(t, `承办单位对统计提出申诉（${ground.label}），请调查核实`)],
    };
  },

  reviewAppeal(t, c, _a, ctx) {
    // Guard: appealPending.
    const pending = t.pendingAppeal!;
    const article = ctx.profile.assessment.appeal?.citation.article;
    const decided = { ...pending, upheld: c.upheld, note: c.note, decidedAt: ctx.now };
    return {
      ticket: { pendingAppeal: undefined, appeals: [...(t.appeals ?? []), decided] },
      note: c.note,
      data: { upheld: c.upheld, unitId: pending.unitId, groundCode: pending.groundCode, metrics: pending.metrics, ...(article ? { article } : {}) },
      effects: [toUnits(t, [pending.unitId], 'progress', c.upheld ? `统计申诉已采纳，该工单不再计入所申诉的统计项：${c.note}` : `统计申诉未被采纳，统计结果不变：${c.note}`)],
    };
  },

  recordMalicious(t, c, actor, ctx) {
    // Guards: maliciousProvided, notRecordedMalicious. Nothing else changes: the request is handled as before.
    const m = ctx.profile.malicious;
    const ground = m.grounds.find((g) => g.code === c.groundCode);
    if (!ground) return refuse('unknown-malicious-ground');
    const told = `经核实，您的诉求行为属于“${ground.label}”（${ground.citation.article}）。${m.consequence ? `依据${m.consequence.article}：${m.consequence.text}。` : ''}您的诉求仍将依法办理；如有异议，可在本诉求页面提出。`;
    return {
      ticket: { malicious: { groundCode: ground.code, article: ground.citation.article, note: c.note, at: ctx.now, by: actor.userId, status: 'standing' as const } },
      note: c.note,
      data: { groundCode: ground.code, ground: ground.label, article: ground.citation.article, publicNote: told, ...(m.creditFile ? { creditFile: m.creditFile.article } : {}) },
      effects: [toRequester(t, told)],
    };
  },

  objectMalicious(t, c, _a, ctx) {
    // Guard: maliciousObjectable.
    return {
      ticket: { malicious: { ...t.malicious!, objection: { reason: c.reason, at: ctx.now, decided: false } } },
      note: c.reason,
      data: { groundCode: t.malicious!.groundCode },
      effects: [toOperators(t, '诉求人对不当诉求记录提出异议，请审核')],
    };
  },

  reviewObjection(t, c, _a, ctx) {
    // Guard: objectionPending.
    const m = t.malicious!;
    const objection = { ...m.objection!, decided: true, upheld: c.upheld, note: c.note, decidedAt: ctx.now };
    return {
      ticket: { malicious: { ...m, status: c.upheld ? ('withdrawn' as const) : m.status, objection } },
      note: c.note,
      data: { upheld: c.upheld, groundCode: m.groundCode },
      effects: [toRequester(t, c.upheld ? `您的异议已采纳，不当诉求记录已撤销：${c.note}` : `您的异议未被采纳，记录维持：${c.note}`)],
    };
  },

  close(t, c, actor, ctx) {
    // After the final 不满意 the platform records its conclusion (pingli 20 征询不满意的原因); a 不满意 with a
    // rework left is archived only with the explanation given to the requester (baiyin 17 予以说明).
    const last = t.ratings.find((r) => r.round === t.counters.reworks);
    const unhappy = t.state === 'dissatisfied' || (t.state === 'resolved' && last !== undefined && ctx.profile.rating.options.some((o) => o.value === last.value && o.dissatisfied));
    if (unhappy && !c.note) return refuse('reason-required', t.state === 'dissatisfied' ? '请填写回访了解的原因和平台的处理结论' : '诉求人不满意：请安排重办，或填写向诉求人所作的说明后归档');
    return { to: 'closed', ticket: { closedAt: ctx.now, ...(unhappy ? { conclusion: { note: c.note!, at: ctx.now, by: actor.userId } } : {}) }, note: c.note, ...(unhappy ? { data: { conclusion: true } } : {}) };
  },

  link(t, c, _a, ctx) {
    const o = ctx.other;
    if (!o || o.number !== c.otherNumber) return refuse('link-target-not-found');
    if (o.id === t.id) return refuse('link-self');
    if (o.state === 'merged') return refuse('already-merged', '该诉求已合并到其他诉求，请关联合并后办理的诉求');
    if ((t.links ?? []).some((l) => l.ticketId === o.id)) return refuse('already-linked');
    const links = [...(t.links ?? []), { kind: c.kind, ticketId: o.id, number: o.number, at: ctx.now }];
    return { ticket: { links }, note: c.note, data: { kind: c.kind, otherId: o.id, otherNumber: o.number } };
  },

  join(t, c, actor, ctx) {
    // Guard notRequesterYet; a number already counted on the ticket (the requester's own, a merged one) is the same person.
    const me = { userId: actor.userId, ...(ctx.joiner?.name ? { name: ctx.joiner.name } : {}), ...(ctx.joiner?.phone ? { phone: ctx.joiner.phone } : {}), confidential: c.confidential, via: 'join' as const, at: ctx.now };
    const coRequesters = withCoRequesters(t, [me]);
    if (coRequesters.length === (t.coRequesters ?? []).length) return refuse('already-co-requester');
    const next = { ...t, coRequesters };
    return { ticket: { coRequesters, supervision: withCollectiveTrigger(next, ctx.profile) }, data: { requesterCount: requesterCount(next) } };
  },

  merge(t, c, _a, ctx) {
    // baiyin 23(4)(5), linyi 30: one ticket is handled; this one closes with a link to it, and its
    // requester (and any co-requesters) become co-requesters there (links.ts mergedInto).
    const o = ctx.other;
    if (!o || o.number !== c.intoNumber) return refuse('link-target-not-found');
    if (o.id === t.id) return refuse('link-self');
    if (o.state === 'merged') return refuse('already-merged', '该诉求已合并到其他诉求，请合并到合并后办理的诉求');
    if (!isOpen(o.state)) return refuse('merge-target-closed');
    const links = (t.links ?? []).some((l) => l.ticketId === o.id) ? t.links : [...(t.links ?? []), { kind: 'duplicate' as const, ticketId: o.id, number: o.number, at: ctx.now }];
    const told = `您反映的问题与诉求${o.number}相同，已合并办理，办理进展将继续通知您`;
    const units = t.assignments.map((a) => a.unitId);
    return {
      to: 'merged',
      ticket: { mergedInto: { ticketId: o.id, number: o.number, at: ctx.now }, links, deadlines: closeDeadlines(t.deadlines, 'all', ctx.now, 'cancel') },
      note: c.note,
      data: { intoId: o.id, intoNumber: o.number },
      effects: [toRequester(t, told), ...(units.length ? [toUnits(t, units, 'progress', `该诉求已合并到诉求${o.number}办理`)] : [])],
    };
  },

  pauseClock(_t, c, _a, ctx) {
    const rule = ctx.profile.clockPauses.find((p) => p.code === c.code);
    if (!rule) return refuse('illegal-transition', '本平台没有该项暂停计时的规定');
    // The decision is due within maxSpan (anshan 27: 三个工作日内决定); the view shows it when exceeded.
    const limitAt = computeDueAt(ctx.now, rule.maxSpan, ctx.calendar);
    return { ticket: { pausedAt: ctx.now, pause: { code: rule.code, limitAt } }, note: c.note, data: { code: c.code, limitAt } };
  },

  resumeClock(t, c, _a, ctx) {
    // Guard: clockPaused. The whole pause is left out of the acceptance and handling deadlines
    // (anshan 27 "回避决定期间不计算在…受理、办理期限"), each from when it started; a decision later
    // than maxSpan is recorded as exceeded, not cut short: the deciding body, not the unit, was late.
    const from = t.pausedAt!;
    const deadlines = t.deadlines.map((d) => (d.status === 'active' && PAUSED_KINDS.includes(d.kind) ? pauseActive(d, Math.max(from, d.startedAt), ctx.now, ctx.calendar) : d));
    const exceeded = t.pause !== undefined && ctx.now > t.pause.limitAt;
    return { ticket: { deadlines, pausedAt: undefined, pause: undefined }, note: c.note, data: { pausedWorkingDays: pausedWorkingDays(from, ctx.now, ctx.calendar), ...(t.pause ? { limitAt: t.pause.limitAt, exceeded } : {}) } };
  },

  markOverdue(t, c, _a, ctx) {
    const due = t.deadlines.filter((d) => d.status === 'active' && d.dueAt < ctx.now && c.kinds.includes(d.kind));
    if (!due.length) return refuse('illegal-transition', '没有到期的期限');
    const kinds = due.map((d) => d.kind);
    const deadlines = t.deadlines.map((d) => (due.includes(d) ? { ...d, status: 'missed' as const, closedAt: ctx.now } : d));
    const triggers = ctx.profile.supervision.triggers.includes('overdue') && !t.supervision.triggers.includes('overdue') ? [...t.supervision.triggers, 'overdue' as const] : t.supervision.triggers;
    const units = [...new Set(due.map((d) => d.owner).filter((o) => o !== 'platform'))];
    return {
      ticket: { deadlines, overdue: true, supervision: { ...t.supervision, triggers } },
      data: { kinds },
      effects: [...(units.length ? [toUnits(t, units, 'overdue', '诉求已超期')] : []), { kind: 'notify', audience: { kind: 'operators' }, template: 'overdue', ticketId: t.id, summary: '诉求已超期' }],
    };
  },
};

export { authorise, canOffer } from './transitions';
