import type { Actor, Role } from '../contracts/common';
import type { CommandType } from '../contracts/commands';
import type { Ticket } from '../contracts/ticket';
import type { ErrorCode } from '../errors';
import type { PolicyProfile } from '../profiles/schema';
import type { Audience, NoticeTemplate } from './effects';
import { isOpen, openStates, stateIds, type StateId } from './states';

/**
 * THE workflow table: one row per command. Everything else is derived from it —
 * `authorise` (roles, scope, from-states), the guards `decide` checks before a handler runs,
 * the actions offered to a viewer (`offeredActions`), the commands each cloud function accepts
 * (`commandsAcceptedBy`, used by shared/contracts/api.ts), the timeline labels and the app's
 * button labels. The handlers in transition.ts compute the next ticket; `decide` checks that a
 * handler only reaches a declared target and only emits declared effects.
 */

/**
 * Capacity the actor must hold on this ticket (operators and the system are exempt):
 *  - requester: the requester (or, for a report on someone's behalf, its reporter);
 *  - requesterOrReporter: the requester or the reporter;
 *  - lead: staff of the lead unit;
 *  - assignee: staff of any unit the ticket is assigned to;
 *  - assist: staff of an assisting unit.
 */
export type Scope = 'requester' | 'requesterOrReporter' | 'lead' | 'assignee' | 'assist';

/** A target: a state, 'same' (the state does not change) or 'resume' (the state before a pending request). */
export type Target = StateId | 'same' | 'resume';

/** An effect a command may emit: a notice to an audience with a template, or the children of a split. */
export type EffectName = `${Audience['kind']}:${NoticeTemplate}` | 'createChildren';

export interface GuardContext {
  ticket: Ticket;
  actor: Actor;
  profile: PolicyProfile;
}
export type GuardRefusal = { code: ErrorCode; message?: string };

export function leadUnit(t: Ticket): string | undefined {
  return t.assignments.find((a) => a.role === 'lead')?.unitId;
}

export function isRequester(t: Ticket, actor: Actor): boolean {
  if (t.requester.userId) return t.requester.userId === actor.userId;
  return t.reporter.userId === actor.userId;
}

/** A rating was given in the ticket's current round (after a rework, a new one is due). */
export const ratedThisRound = <R extends { round: number }>(t: { ratings: R[]; counters: Pick<Ticket['counters'], 'reworks'> }): R | undefined => t.ratings.find((r) => r.round === t.counters.reworks);

/** The rating of this round that stands: the platform's re-rating after an upheld dispute (anshan 23), else the first one. */
export const standingRatingThisRound = (t: Pick<Ticket, 'ratings' | 'counters'>) =>
  [...t.ratings].reverse().find((r) => r.round === t.counters.reworks && r.by === 'platform') ?? ratedThisRound(t);

/** The requester is hidden from this unit: a confidential request, or the unit complained about. */
export function hiddenFromUnit(t: Ticket, actor: Actor): boolean {
  return t.requester.confidential || (t.complainedUnitId !== undefined && t.complainedUnitId === actor.unitId);
}

/** The lead unit has a contact record (tickets from before the log count their contacts). */
export function contactedByLead(t: Ticket): boolean {
  const lead = leadUnit(t);
  if (t.contactLog === undefined) return t.counters.contacts > 0;
  return t.contactLog.some((c) => c.unitId === lead);
}

/**
 * Named guards: conditions that need no input beyond the ticket, the actor and the profile.
 * `decide` checks them (in the row's order) after authorisation and before the handler, and the
 * views offer a command only when they all pass. Input-dependent checks stay in the handlers.
 */
export const GUARDS = {
  /** The profile's withdrawal window (withdrawal.allowedUntil), and not after the unit signed unless it allows that. */
  withdrawalWindow: ({ ticket: t, profile }: GuardContext): GuardRefusal | null => {
    const until = profile.withdrawal.allowedUntil;
    const allowed: StateId[] = until === 'accepted' ? ['submitted', 'accepted'] : until === 'dispatched' ? ['submitted', 'accepted', 'dispatched'] : ['submitted', 'accepted', 'dispatched', 'handling'];
    return !allowed.includes(t.state as StateId) || (until !== 'signed' && t.firstSignedAt !== undefined) ? { code: 'withdraw-not-allowed' } : null;
  },
  /** Operators answer from the knowledge base; a requester only answers their own consultation at once. */
  ownConsultationOrOperator: ({ ticket: t, actor }: GuardContext): GuardRefusal | null => {
    if (actor.role === 'operator') return null;
    if (!isRequester(t, actor)) return { code: 'not-requester' };
    return t.type === 'consultation' && t.state === 'submitted' ? null : { code: 'illegal-transition' };
  },
  /** The actor's unit has not signed yet. */
  notSignedByMyUnit: ({ ticket: t, actor }: GuardContext): GuardRefusal | null =>
    t.assignments.find((a) => a.unitId === actor.unitId)?.signedAt === undefined ? null : { code: 'illegal-transition', message: '本单位已签收' },
  extensionAllowed: ({ profile }: GuardContext): GuardRefusal | null => (profile.extension.allowed ? null : { code: 'extension-not-allowed' }),
  /** pingli 13 "除突发类事项外": emergencies and region-wide outages are never extended. */
  extensionForThisMatter: ({ ticket: t, profile }: GuardContext): GuardRefusal | null => {
    const notFor = profile.extension.notFor;
    return (t.urgency === 'emergency' && notFor.includes('emergency')) || (t.utilities && notFor.includes('utilities')) ? { code: 'extension-not-allowed', message: `突发类事项不能申请延期（${profile.extension.citation.article}）` } : null;
  },
  extensionLeft: ({ ticket: t, profile }: GuardContext): GuardRefusal | null => {
    const ext = profile.extension;
    return ext.maxCount !== null && t.counters.extensions >= ext.maxCount ? { code: 'extension-limit-reached', message: `最多可延期${ext.maxCount}次（${ext.citation.article}）` } : null;
  },
  handlingDeadlineRunning: ({ ticket: t }: GuardContext): GuardRefusal | null =>
    t.deadlines.some((d) => d.status === 'active' && (d.kind === 'handle' || d.kind === 'rework')) ? null : { code: 'extension-after-deadline' },
  /**
   * A round is rated once. After the final 不满意 (`dissatisfied`) the last rating stands where the
   * profile says so (pingli 20 "以第二次满意度评价为准"); otherwise a revisit may rate again there.
   */
  notRatedThisRound: ({ ticket: t, profile }: GuardContext): GuardRefusal | null => {
    if (t.state === 'dissatisfied') {
      const rw = profile.rework;
      return rw.lastRatingFinal ? { code: 'already-rated', message: `以重办后的评价为准，不再重新评价；可记录回访情况（${rw.citation.article}）` } : null;
    }
    return ratedThisRound(t) ? { code: 'already-rated' } : null;
  },
  reworkLeft: ({ ticket: t, profile }: GuardContext): GuardRefusal | null => {
    const rw = profile.rework;
    return t.counters.reworks >= rw.maxCount ? { code: 'rework-limit-reached', ...(rw.maxCount ? { message: `最多可重办${rw.maxCount}次（${rw.citation.platformSet ? `平台设定，相关条文：${rw.citation.article}` : rw.citation.article}）` } : {}) } : null;
  },
  ratedDissatisfied: ({ ticket: t, profile }: GuardContext): GuardRefusal | null => {
    const last = standingRatingThisRound(t);
    const option = last && profile.rating.options.find((o) => o.value === last.value);
    return option?.dissatisfied ? null : { code: 'rework-not-allowed' };
  },
  /** A higher level is left, or the methods have equal force and any may be used again (pingli 25). */
  supervisionLevelLeft: ({ ticket: t, profile }: GuardContext): GuardRefusal | null =>
    profile.supervision.methodsEqual || t.supervision.level < profile.supervision.levels.length ? null : { code: 'supervision-level-invalid' },
  supervisedNotEscalated: ({ ticket: t }: GuardContext): GuardRefusal | null =>
    t.supervision.level >= 1 && !t.supervision.escalated ? null : { code: 'illegal-transition', message: t.supervision.escalated ? '已提请政务督查' : '须先督办，仍未解决的方可提请政务督查' },
  /** Where the profile lists termination grounds, the platform needs one open to it (linyi: units propose, the platform reviews). */
  platformMayTerminate: ({ profile }: GuardContext): GuardRefusal | null => {
    const grounds = profile.termination.grounds;
    return grounds.length === 0 || grounds.some((g) => g.by.includes('platform')) ? null : { code: 'illegal-transition', message: '须由承办单位提供证明材料申请终止，平台审核后终止办理' };
  },
  unitMayProposeTermination: ({ profile }: GuardContext): GuardRefusal | null => (profile.termination.grounds.some((g) => g.by.includes('unit')) ? null : { code: 'termination-not-provided' }),
  noTerminationPending: ({ ticket: t }: GuardContext): GuardRefusal | null => (t.pendingTermination ? { code: 'illegal-transition', message: '终止办理申请正在审核中' } : null),
  terminationPending: ({ ticket: t }: GuardContext): GuardRefusal | null => (t.pendingTermination ? null : { code: 'illegal-transition', message: '没有待审核的终止办理申请' }),
  /** anshan 23(3): only where the profile has a dispute procedure. */
  unitMayDispute: ({ profile }: GuardContext): GuardRefusal | null => (profile.rating.unitMayDispute ? null : { code: 'dispute-not-allowed' }),
  /** This round has a rating, not yet disputed (one dispute per round). */
  ratedNotDisputed: ({ ticket: t }: GuardContext): GuardRefusal | null => {
    if (!ratedThisRound(t)) return { code: 'illegal-transition', message: '诉求人尚未评价，没有可申诉的评价' };
    return (t.disputes ?? []).some((d) => d.round === t.counters.reworks) ? { code: 'illegal-transition', message: '本轮评价已申诉过，复评结果为最终评价结果' } : null;
  },
  noDisputePending: ({ ticket: t }: GuardContext): GuardRefusal | null => (t.pendingDispute ? { code: 'illegal-transition', message: '评价申诉正在复评中' } : null),
  disputePending: ({ ticket: t }: GuardContext): GuardRefusal | null => (t.pendingDispute ? null : { code: 'illegal-transition', message: '没有待复评的评价申诉' }),
  /** pingli 31: only where the profile has an appeal procedure. */
  appealsProvided: ({ profile }: GuardContext): GuardRefusal | null => (profile.assessment.appeal ? null : { code: 'appeal-not-provided' }),
  /** One open appeal per ticket: the operator decides it before the next. */
  noAppealPending: ({ ticket: t }: GuardContext): GuardRefusal | null => (t.pendingAppeal ? { code: 'appeal-pending' } : null),
  appealPending: ({ ticket: t }: GuardContext): GuardRefusal | null => (t.pendingAppeal ? null : { code: 'illegal-transition', message: '没有待审核的统计申诉' }),
  /** Only where the profile names improper acts (anshan 40, baiyin 29, linyi 46). */
  maliciousProvided: ({ profile }: GuardContext): GuardRefusal | null => (profile.malicious.grounds.length > 0 ? null : { code: 'malicious-not-provided' }),
  notRecordedMalicious: ({ ticket: t }: GuardContext): GuardRefusal | null => (t.malicious?.status === 'standing' ? { code: 'malicious-recorded' } : null),
  /** A standing record the requester has not objected to yet (one objection per record). */
  maliciousObjectable: ({ ticket: t }: GuardContext): GuardRefusal | null => {
    if (t.malicious?.status !== 'standing') return { code: 'illegal-transition', message: '没有可提出异议的记录' };
    if (t.malicious.objection && !t.malicious.objection.decided) return { code: 'objection-pending' };
    return t.malicious.objection ? { code: 'illegal-transition', message: '异议已审核，不能再次提出' } : null;
  },
  objectionPending: ({ ticket: t }: GuardContext): GuardRefusal | null => (t.malicious?.objection && !t.malicious.objection.decided ? null : { code: 'illegal-transition', message: '没有待审核的异议' }),
  clockPausesDefined: ({ profile }: GuardContext): GuardRefusal | null => (profile.clockPauses.length > 0 ? null : { code: 'illegal-transition', message: '本平台没有该项暂停计时的规定' }),
  clockRunning: ({ ticket: t }: GuardContext): GuardRefusal | null => (t.pausedAt === undefined ? null : { code: 'illegal-transition', message: '已在暂停计时中' }),
  clockPaused: ({ ticket: t }: GuardContext): GuardRefusal | null => (t.pausedAt !== undefined ? null : { code: 'illegal-transition', message: '当前没有暂停计时' }),
  /** The full number only for a non-confidential requester, never to the unit complained about, and only where the profile allows. */
  revealAllowed: ({ ticket: t, actor, profile }: GuardContext): GuardRefusal | null =>
    profile.handling.contact.revealToUnit && !hiddenFromUnit(t, actor) && t.requester.phone ? null : { code: 'reveal-not-allowed' },
  /** A relayed call is for a unit that may not see the requester. */
  relayNeeded: ({ ticket: t, actor }: GuardContext): GuardRefusal | null => (hiddenFromUnit(t, actor) ? null : { code: 'relay-not-needed' }),
  noRelayPending: ({ ticket: t }: GuardContext): GuardRefusal | null => (t.relay ? { code: 'relay-pending' } : null),
  relayPending: ({ ticket: t }: GuardContext): GuardRefusal | null => (t.relay ? null : { code: 'no-relay-pending' }),
  /** baiyin 11(3), hohhot 15(3), linyi 15(3): the unit the platform decided on after coordination cannot return it. */
  notCoordinatedToMe: ({ ticket: t, actor }: GuardContext): GuardRefusal | null =>
    t.coordination && t.coordination.unitId === actor.unitId ? { code: 'return-after-coordination' } : null,
  /** baiyin 14(1), hohhot 19(1), pingli 10(1), linyi 17(1): the lead unit has a contact record before it replies. */
  /** 我也遇到 is for someone not yet counted on the ticket: not its requester, reporter or a co-requester. */
  notRequesterYet: ({ ticket: t, actor }: GuardContext): GuardRefusal | null =>
    isRequester(t, actor) || t.reporter.userId === actor.userId || (t.coRequesters ?? []).some((c) => c.userId === actor.userId) ? { code: 'already-co-requester' } : null,
  contactBeforeReply: ({ ticket: t, profile }: GuardContext): GuardRefusal | null => {
    const rule = profile.handling.contact;
    if (!rule.recordBeforeReply || contactedByLead(t)) return null;
    return { code: 'contact-required', message: `答复前须先记录与诉求人的联系（时间、方式、结果）（${rule.citation.article}）` };
  },
} as const;
export type GuardName = keyof typeof GUARDS;

export interface TransitionSpec {
  roles: readonly Role[];
  scope?: Scope;
  from: readonly StateId[];
  to: readonly Target[];
  guards: readonly GuardName[];
  effects: readonly EffectName[];
  /** Shown on the resident's timeline (the event's default `public`). */
  public: boolean;
  /** Timeline text. */
  label: string;
  /** Timeline text for units and operators, where `label` speaks to the requester. */
  staffLabel?: string;
  /** The note is for units and the platform; the requester reads only `data.publicNote`, if any. */
  internalNote?: true;
  /** Button text in the app; a role may have its own. */
  action: string;
  actionFor?: Partial<Record<Role, string>>;
  /** Needs no form in the app: one tap, then a confirmation. */
  oneTap?: boolean;
  /** Never on a unit's timeline (the record of an improper request is for operators and the requester). */
  hiddenFromUnits?: true;
}

const unitWork: StateId[] = ['dispatched', 'handling', 'extensionRequested', 'returnRequested', 'coordinationRequested', 'replied'];
const citizen = ['resident', 'grid'] as const;
/** Any ticket but a merged one may be linked; open ones (not yet concluded) may be merged into another. */
const linkable: StateId[] = stateIds.filter((x) => x !== 'merged');
const mergeable: StateId[] = ['submitted', 'accepted', 'dispatched', 'handling', 'returnRequested', 'coordinationRequested', 'extensionRequested'];
/** States in which a unit's result has a rating that may be disputed (anshan 23). */
const rated: StateId[] = ['resolved', 'dissatisfied', 'closed'];
/** States in which a ticket may be counted against its lead unit (shared/metrics/facts.ts): from dispatch on. */
const counted: StateId[] = [...unitWork, ...rated, 'terminated', 'handedOff'];
// A rating closes the ticket, sends an unsatisfying instant answer on (accepted), sends a first
// 不满意 back for rework where the profile makes it mandatory (handling, pingli 18), or, after the
// last rework, leaves it with the platform (dissatisfied, pingli 20).
const rating = { to: ['closed', 'accepted', 'handling', 'dissatisfied', 'same'], guards: ['notRatedThisRound'], effects: ['operators:review', 'units:assigned', 'requester:progress'], public: true } as const;

export const TRANSITIONS = {
  accept: { roles: ['operator'], from: ['submitted'], to: ['accepted'], guards: [], effects: ['requester:progress'], public: true, label: '平台已受理', action: '受理', oneTap: true },
  answer: { roles: ['operator', ...citizen], from: ['submitted', 'accepted'], to: ['answered'], guards: ['ownConsultationOrOperator'], effects: ['requester:progress'], public: true, label: '已即时答复', action: '即时答复' },
  refuse: { roles: ['operator'], from: ['submitted'], to: ['rejected'], guards: [], effects: ['requester:progress'], public: true, label: '不予受理', action: '不予受理' },
  withdraw: { roles: citizen, scope: 'requesterOrReporter', from: ['submitted', 'accepted', 'dispatched', 'handling'], to: ['withdrawn'], guards: ['withdrawalWindow'], effects: ['units:progress'], public: true, label: '诉求人撤回', action: '撤回诉求' },
  dispatch: { roles: ['operator'], from: ['accepted'], to: ['dispatched', 'split'], guards: [], effects: ['units:assigned', 'requester:progress', 'createChildren'], public: true, internalNote: true, label: '已转交承办单位', action: '派单' },
  sign: { roles: ['staff'], scope: 'assignee', from: ['dispatched', 'handling', 'extensionRequested'], to: ['handling', 'same'], guards: ['notSignedByMyUnit'], effects: ['requester:progress'], public: true, label: '承办单位已签收', action: '签收' },
  contact: { roles: ['staff'], scope: 'lead', from: ['handling', 'extensionRequested'], to: ['same'], guards: [], effects: [], public: true, label: '承办单位已与您联系', staffLabel: '承办单位已联系诉求人', action: '联系诉求人' },
  revealPhone: { roles: ['staff'], scope: 'assignee', from: ['handling', 'extensionRequested'], to: ['same'], guards: ['revealAllowed'], effects: [], public: false, label: '承办单位查看诉求人完整号码', action: '查看完整号码', oneTap: true },
  requestRelay: { roles: ['staff'], scope: 'assignee', from: ['handling', 'extensionRequested'], to: ['same'], guards: ['relayNeeded', 'noRelayPending'], effects: ['operators:review'], public: false, label: '承办单位申请平台转接联系', action: '平台转接通话' },
  relayDone: { roles: ['operator'], from: unitWork, to: ['same'], guards: ['relayPending'], effects: ['units:progress'], public: true, label: '平台已转接承办单位与您联系', action: '记录转接结果' },
  messageRequester: { roles: ['staff'], scope: 'assignee', from: ['handling', 'extensionRequested'], to: ['same'], guards: [], effects: ['requester:progress'], public: true, label: '承办单位通过平台给您留言', action: '平台留言' },
  requestReturn: { roles: ['staff'], scope: 'lead', from: ['dispatched', 'handling'], to: ['returnRequested', 'coordinationRequested'], guards: ['notCoordinatedToMe'], effects: ['operators:review'], public: false, label: '承办单位申请退回', action: '申请退回' },
  reviewReturn: { roles: ['operator'], from: ['returnRequested'], to: ['accepted', 'resume'], guards: [], effects: ['units:progress', 'requester:progress'], public: false, internalNote: true, label: '平台审核退回申请', action: '审核退回申请' },
  requestCoordination: { roles: ['staff'], scope: 'lead', from: ['dispatched', 'handling'], to: ['coordinationRequested'], guards: ['notCoordinatedToMe'], effects: ['operators:review'], public: false, label: '承办单位申请协调（职责不清）', action: '申请协调' },
  coordinate: { roles: ['operator'], from: ['coordinationRequested', 'returnRequested'], to: ['dispatched', 'resume'], guards: [], effects: ['units:assigned', 'units:progress', 'requester:progress'], public: false, label: '平台协调确定承办单位', action: '协调确定承办单位' },
  requestExtension: { roles: ['staff'], scope: 'lead', from: ['handling'], to: ['extensionRequested'], guards: ['extensionAllowed', 'extensionForThisMatter', 'extensionLeft', 'handlingDeadlineRunning'], effects: ['operators:review'], public: false, label: '承办单位申请延期', action: '申请延期' },
  reviewExtension: { roles: ['operator'], from: ['extensionRequested'], to: ['resume'], guards: [], effects: ['units:progress', 'requester:progress'], public: false, internalNote: true, label: '平台审核延期申请', action: '审核延期申请' },
  assistFeedback: { roles: ['staff'], scope: 'assist', from: ['dispatched', 'handling', 'extensionRequested'], to: ['same'], guards: [], effects: ['units:progress'], public: false, label: '协办单位反馈', action: '协办反馈' },
  reply: { roles: ['staff'], scope: 'lead', from: ['handling'], to: ['replied'], guards: ['contactBeforeReply'], effects: ['operators:review', 'requester:progress'], public: true, label: '承办单位已答复', action: '答复办理结果' },
  reviewResult: { roles: ['operator'], from: ['replied'], to: ['resolved', 'handling'], guards: [], effects: ['requester:progress', 'units:progress'], public: false, internalNote: true, label: '平台审核办理结果', action: '审核办理结果' },
  rate: { ...rating, roles: citizen, scope: 'requester', from: ['resolved', 'answered'], label: '诉求人评价', action: '评价' },
  revisit: { ...rating, roles: ['operator'], from: ['resolved', 'answered', 'dissatisfied'], label: '平台回访', action: '回访' },
  recordRevisit: { roles: ['operator'], from: ['replied', 'resolved', 'answered', 'dissatisfied', 'closed'], to: ['same'], guards: [], effects: [], public: true, label: '平台回访记录', action: '记录回访' },
  requestRework: { roles: [...citizen, 'operator'], scope: 'requester', from: ['resolved'], to: ['handling'], guards: ['reworkLeft', 'ratedDissatisfied'], effects: ['units:assigned', 'requester:progress'], public: true, label: '申请重新办理', action: '申请重办', actionFor: { operator: '代诉求人申请重办' } },
  supervise: { roles: ['operator', 'system'], from: openStates, to: ['same'], guards: ['supervisionLevelLeft'], effects: ['units:supervised'], public: true, internalNote: true, label: '平台督办', action: '督办' },
  escalate: { roles: ['operator'], from: openStates, to: ['same'], guards: ['supervisedNotEscalated'], effects: [], public: true, internalNote: true, label: '提请政务督查', action: '提请督查' },
  terminate: { roles: ['operator'], from: openStates, to: ['terminated'], guards: ['platformMayTerminate'], effects: ['requester:progress', 'units:progress'], public: true, label: '终止办理', action: '终止办理' },
  proposeTermination: { roles: ['staff'], scope: 'lead', from: ['handling'], to: ['same'], guards: ['unitMayProposeTermination', 'noTerminationPending'], effects: ['operators:review'], public: false, label: '承办单位申请终止办理', action: '申请终止办理' },
  reviewTermination: { roles: ['operator'], from: openStates, to: ['terminated', 'same'], guards: ['terminationPending'], effects: ['requester:progress', 'units:progress'], public: false, label: '平台审核终止办理申请', action: '审核终止申请' },
  // anshan 23(3): the state does not change; an upheld dispute adds the platform's re-rating, which the figures then use.
  disputeRating: { roles: ['staff'], scope: 'lead', from: rated, to: ['same'], guards: ['unitMayDispute', 'ratedNotDisputed', 'noDisputePending'], effects: ['operators:review'], public: false, label: '承办单位对评价提出异议', action: '申诉评价' },
  reviewDispute: { roles: ['operator'], from: rated, to: ['same'], guards: ['disputePending'], effects: ['units:progress'], public: false, internalNote: true, label: '平台复评', action: '复评' },
  // pingli 31: the state does not change; an upheld appeal changes only how the figures count the ticket for that unit.
  appealCounting: { roles: ['staff'], scope: 'lead', from: counted, to: ['same'], guards: ['appealsProvided', 'noAppealPending'], effects: ['operators:review'], public: false, label: '承办单位对统计提出申诉', action: '申诉统计' },
  reviewAppeal: { roles: ['operator'], from: counted, to: ['same'], guards: ['appealPending'], effects: ['units:progress'], public: false, internalNote: true, label: '平台审核统计申诉', action: '审核申诉' },
  // anshan 40, baiyin 29, linyi 46: a record and the legal consequences told; the state does not change and nothing stops the handling.
  recordMalicious: { roles: ['operator'], from: stateIds, to: ['same'], guards: ['maliciousProvided', 'notRecordedMalicious'], effects: ['requester:progress'], public: true, internalNote: true, hiddenFromUnits: true, label: '平台记录不当诉求行为', action: '记录不当诉求' },
  objectMalicious: { roles: citizen, scope: 'requester', from: stateIds, to: ['same'], guards: ['maliciousObjectable'], effects: ['operators:review'], public: true, hiddenFromUnits: true, label: '诉求人对不当诉求记录提出异议', action: '提出异议' },
  reviewObjection: { roles: ['operator'], from: stateIds, to: ['same'], guards: ['objectionPending'], effects: ['requester:progress'], public: true, hiddenFromUnits: true, label: '平台审核异议', action: '审核异议' },
  handOffEmergency: { roles: ['operator'], from: ['submitted', 'accepted', 'dispatched', 'handling'], to: ['handedOff', 'same'], guards: [], effects: ['requester:progress', 'units:progress'], public: true, label: '已转交应急专线', action: '转应急专线' },
  close: { roles: ['operator', 'system'], from: ['resolved', 'answered', 'dissatisfied'], to: ['closed'], guards: [], effects: [], public: true, label: '已归档', action: '归档', oneTap: true },
  // baiyin 23(4)(5), anshan 25(2), hohhot 25, linyi 30: duplicate and collective requests. The other
  // ticket (ctx.other, by its number) records the link too, in the same commit (links.ts).
  link: { roles: ['operator'], from: linkable, to: ['same'], guards: [], effects: [], public: false, label: '关联诉求', action: '关联' },
  // 我也遇到: any resident, on an open request of the same matter (resident.join checks the place); the state does not change.
  join: { roles: citizen, from: mergeable, to: ['same'], guards: ['notRequesterYet'], effects: [], public: true, label: '又有市民反映同一问题', staffLabel: '新增共同诉求人（我也遇到）', action: '我也遇到' },
  merge: { roles: ['operator'], from: mergeable, to: ['merged'], guards: [], effects: ['requester:progress', 'units:progress'], public: true, label: '已并入同一问题的诉求合并办理', staffLabel: '合并到其他诉求', action: '合并' },
  // anshan 27: the recusal decision is not counted in the acceptance deadlines either, so a pause may start before dispatch.
  pauseClock: { roles: ['operator'], from: ['submitted', 'accepted', 'dispatched', 'handling'], to: ['same'], guards: ['clockPausesDefined', 'clockRunning'], effects: [], public: false, label: '暂停计时', action: '暂停计时' },
  resumeClock: { roles: ['operator'], from: ['submitted', 'accepted', 'dispatched', 'handling'], to: ['same'], guards: ['clockPaused'], effects: [], public: false, label: '恢复计时', action: '恢复计时', oneTap: true },
  classify: { roles: ['operator', 'grid'], scope: 'requesterOrReporter', from: openStates, to: ['same'], guards: [], effects: ['units:progress', 'requester:progress'], public: false, label: '调整诉求分类', action: '分类' },
  markOverdue: { roles: ['system'], from: [...unitWork, 'submitted', 'accepted'], to: ['same'], guards: [], effects: ['units:overdue', 'operators:overdue'], public: false, label: '超期', action: '标记超期' },
} as const satisfies Record<CommandType, TransitionSpec>;

export type Transitions = typeof TRANSITIONS;
export const transition = (type: CommandType): TransitionSpec => TRANSITIONS[type];

/** Timeline labels of the events that are not commands. */
export const EVENT_LABELS = { submit: '提交诉求', split: '分送办理', linked: '关联诉求', absorbed: '同一问题的其他诉求已并入合并办理' } as const;

/** The label of any event type on a timeline; `staff` for units and operators. */
export function eventLabel(type: string, audience: 'requester' | 'staff' = 'requester'): string {
  if (type in EVENT_LABELS) return EVENT_LABELS[type as keyof typeof EVENT_LABELS];
  if (!(type in TRANSITIONS)) return type;
  const row: TransitionSpec = TRANSITIONS[type as CommandType];
  return (audience === 'staff' && row.staffLabel) || row.label;
}

/** The event's note is for units and the platform only (`internalNote` in the table). */
export function hasInternalNote(type: string): boolean {
  return type in TRANSITIONS && (TRANSITIONS[type as CommandType] as TransitionSpec).internalNote === true;
}

/** The event never shows on a unit's timeline (`hiddenFromUnits` in the table). */
export function hiddenFromUnits(type: string): boolean {
  return type in TRANSITIONS && (TRANSITIONS[type as CommandType] as TransitionSpec).hiddenFromUnits === true;
}

/** The button text of a command for a role. */
export function actionLabel(type: CommandType, role?: Role): string {
  const row: TransitionSpec = TRANSITIONS[type];
  return (role && row.actionFor?.[role]) ?? row.action;
}

/** The order of the staff action bar: the usual course of the work. */
export const STAFF_ACTION_ORDER: readonly CommandsOf<'staff'>[] = ['sign', 'contact', 'revealPhone', 'requestRelay', 'messageRequester', 'assistFeedback', 'reply', 'requestExtension', 'requestReturn', 'requestCoordination', 'proposeTermination', 'disputeRating', 'appealCounting'];

/** Commands of a function that need no form (`oneTap` in the table). */
export function oneTapCommands<F extends CommandFunction>(fn: F): CommandsOf<F>[] {
  return commandsAcceptedBy(fn).filter((c) => (TRANSITIONS[c] as TransitionSpec).oneTap === true);
}

/** The cloud functions that take ticket commands, and the roles each serves. */
export const COMMAND_FUNCTIONS = {
  resident: ['resident', 'grid'],
  staff: ['staff'],
  operator: ['operator'],
} as const satisfies Record<string, readonly Role[]>;
export type CommandFunction = keyof typeof COMMAND_FUNCTIONS;

/** The commands a function accepts: those whose roles include a role the function serves. */
export type CommandsOf<F extends CommandFunction> = {
  [K in CommandType]: Extract<Transitions[K]['roles'][number], (typeof COMMAND_FUNCTIONS)[F][number]> extends never ? never : K;
}[CommandType];

const commandOrder = Object.keys(TRANSITIONS) as CommandType[];

export function commandsAcceptedBy<F extends CommandFunction>(fn: F): CommandsOf<F>[] {
  const roles: readonly Role[] = COMMAND_FUNCTIONS[fn];
  return commandOrder.filter((c) => (TRANSITIONS[c].roles as readonly Role[]).some((r) => roles.includes(r))) as CommandsOf<F>[];
}

/** Checks role, scope and state; returns a refusal code or null. */
export function authorise(t: Ticket, type: CommandType, actor: Actor): ErrorCode | null {
  const rule: TransitionSpec = TRANSITIONS[type];
  if (!rule.roles.includes(actor.role)) return 'forbidden';
  if (rule.scope && actor.role !== 'operator' && actor.role !== 'system') {
    const assigned = actor.unitId !== undefined && t.assignments.some((a) => a.unitId === actor.unitId);
    switch (rule.scope) {
      case 'requester':
        if (!isRequester(t, actor)) return 'not-requester';
        break;
      case 'requesterOrReporter':
        if (!isRequester(t, actor) && t.reporter.userId !== actor.userId) return 'not-requester';
        break;
      case 'lead':
        if (!assigned) return 'not-assignee';
        if (leadUnit(t) !== actor.unitId) return 'not-lead-unit';
        break;
      case 'assignee':
        if (!assigned) return 'not-assignee';
        break;
      case 'assist':
        if (!t.assignments.some((a) => a.unitId === actor.unitId && a.role === 'assist')) return 'not-assignee';
        break;
    }
  }
  if (!rule.from.includes(t.state as StateId)) return isOpen(t.state) ? 'illegal-transition' : 'ticket-closed';
  return null;
}

/** The first named guard of the row that refuses, or null. */
export function checkGuards(t: Ticket, type: CommandType, actor: Actor, profile: PolicyProfile): GuardRefusal | null {
  const ctx = { ticket: t, actor, profile };
  for (const g of TRANSITIONS[type].guards as readonly GuardName[]) {
    const r = GUARDS[g](ctx);
    if (r) return r;
  }
  return null;
}

/**
 * Whether a command makes sense to offer now: authorised and every named guard passes.
 * The views list these as the buttons a user sees; `decide` still checks everything.
 */
export function canOffer(t: Ticket, type: CommandType, actor: Actor, profile: PolicyProfile): boolean {
  return authorise(t, type, actor) === null && checkGuards(t, type, actor, profile) === null;
}

/** The commands of a function the actor may issue on this ticket now, in table order. */
export function offeredActions<F extends CommandFunction>(fn: F, t: Ticket, actor: Actor, profile: PolicyProfile): CommandsOf<F>[] {
  return commandsAcceptedBy(fn).filter((c) => canOffer(t, c, actor, profile));
}

/** Whether a handler's target is one the row declares (a bug otherwise). */
export function declaresTarget(type: CommandType, from: Ticket, to: string): boolean {
  return (TRANSITIONS[type].to as readonly Target[]).some((x) => (x === 'same' ? to === from.state : x === 'resume' ? to === (from.resumeState ?? 'handling') : x === to));
}

export function declaresEffect(type: CommandType, name: EffectName): boolean {
  return (TRANSITIONS[type].effects as readonly EffectName[]).includes(name);
}
