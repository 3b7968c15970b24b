/**
 * Builders for the domain tests: actors, fixed instants, sample commands, and tickets driven to
 * each state through openTicket + decide (never built by hand). Nothing here reads the wall clock.
 */
import type { z } from 'zod';
import type { Actor } from '../../shared/contracts/common';
import { commandSchemas, submitInputSchema, type CommandOf, type CommandType, type SubmitInput } from '../../shared/contracts/commands';
import type { Ticket, TicketEvent } from '../../shared/contracts/ticket';
import { WorkingCalendar } from '../../shared/calendar/workingCalendar';
import { getProfile, type PolicyProfile, type RequestType, type Urgency } from '../../shared/profiles';
import type { Effect } from '../../shared/workflow/effects';
import { openTicket } from '../../shared/workflow/openTicket';
import type { StateId } from '../../shared/workflow/states';
import { decide, type DecideContext, type Decision } from '../../shared/workflow/transition';

// ---------------------------------------------------------------------------------------------
// time
// ---------------------------------------------------------------------------------------------

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Monday 2026-03-02 10:00 Asia/Shanghai. */
export const T0 = Date.UTC(2026, 2, 2, 2, 0);

/** An instant given as Shanghai wall time, e.g. sh('2026-03-04 23:00'); explicit offset, TZ-independent. */
export function sh(local: string): number {
  const ms = Date.parse(`${local.replace(' ', 'T')}:00+08:00`);
  if (Number.isNaN(ms)) throw new Error(`bad test time ${local}`);
  return ms;
}

/** 23:59:59.999 Shanghai of a date, e.g. eod('2026-03-09'). */
export function eod(date: string): number {
  return sh(`${date} 23:59`) + 59_999;
}

export const calendar = new WorkingCalendar();
export const pingli = getProfile('pingli');

export function ctxAt(now: number, profile: PolicyProfile = pingli, extra: Partial<DecideContext> = {}): DecideContext {
  return { now, profile, calendar, other: otherTicket(), ...extra };
}

/** The other ticket of a link or a merge (ctx.other): another resident's open request of the same matter. */
export const OTHER_NUMBER = 'N-other';
let other: Ticket | undefined;
export function otherTicket(): Ticket {
  other ??= openTicket(submitInput(), actors.otherResident, { now: T0, profile: pingli, calendar }, { ticketId: 't-other', number: OTHER_NUMBER }).ticket;
  return other;
}

// ---------------------------------------------------------------------------------------------
// actors
// ---------------------------------------------------------------------------------------------

export const UNIT_A = 'unit-a';
export const UNIT_B = 'unit-b';
export const UNIT_C = 'unit-c';

export const actors = {
  /** The requester of every ticket opened here unless said otherwise. */
  resident: { userId: 'u-resident', role: 'resident' },
  otherResident: { userId: 'u-other-resident', role: 'resident' },
  grid: { userId: 'u-grid', role: 'grid' },
  operator: { userId: 'u-operator', role: 'operator' },
  system: { userId: 'system', role: 'system' },
  /** Staff of unit A, the lead unit of a dispatched ticket. */
  leadStaff: { userId: 'u-staff-a', role: 'staff', unitId: UNIT_A },
  /** Staff of unit B, the assisting unit. */
  assistStaff: { userId: 'u-staff-b', role: 'staff', unitId: UNIT_B },
  /** Staff of unit C, a unit the ticket was never sent to. */
  otherStaff: { userId: 'u-staff-c', role: 'staff', unitId: UNIT_C },
} as const satisfies Record<string, Actor>;

export type ActorName = keyof typeof actors;
export const actorNames = Object.keys(actors) as ActorName[];

// ---------------------------------------------------------------------------------------------
// inputs and commands
// ---------------------------------------------------------------------------------------------

export const PHONE = '13812341234';
export const NAME = '张三';
export const PROOF = { fileId: 'cloud://env/proof/letter.pdf', kind: 'document' as const };

export function submitInput(overrides: Partial<z.input<typeof submitInputSchema>> = {}): SubmitInput {
  return submitInputSchema.parse({
    clientRequestId: 'req-00000001',
    type: 'help',
    category: '市政设施',
    content: '小区门口的路灯已经坏了一个星期，晚上出行不安全',
    location: { address: '城关镇东大街12号', area: '城关镇' },
    contact: { name: NAME, phone: PHONE },
    ...overrides,
  });
}

export type CommandInput<T extends CommandType> = Partial<z.input<(typeof commandSchemas)[T]>>;

/** A satisfied rating under the profile (满意 / 五星). */
export const satisfiedValue = (p: PolicyProfile) => p.rating.options.find((o) => o.countsAsSatisfied)!.value;
/** A dissatisfied rating under the profile (不满意 / 一星). */
export const dissatisfiedValue = (p: PolicyProfile) => p.rating.options.find((o) => o.dissatisfied)!.value;

/** The first termination ground the platform may use, where the profile lists grounds (baiyin 19). */
const platformGround = (p: PolicyProfile) => {
  const g = p.termination.grounds.find((x) => x.by.includes('platform'));
  return g ? { groundCode: g.code } : {};
};

/** A valid command of each type for `ticket` under `profile`; `overrides` replace fields. Parsed by the real schema. */
export function command<T extends CommandType>(type: T, ticket: Pick<Ticket, 'id'>, profile: PolicyProfile = pingli, overrides: CommandInput<T> = {}): CommandOf<T> {
  const samples: { [K in CommandType]: CommandInput<K> } = {
    accept: { note: '属本平台受理范围' },
    answer: { answer: '可拨打供电服务热线报修，一般24小时内上门。', articleId: 'kb-street-light' },
    refuse: { groundCode: profile.intake.nonAcceptanceGrounds[0]!.code, note: '已告知诉求人' },
    withdraw: { note: '问题已自行解决' },
    dispatch: { mode: 'lead', unitIds: [UNIT_A], assistUnitIds: [UNIT_B] },
    sign: {},
    contact: { method: 'phone', note: '已电话联系诉求人' },
    revealPhone: {},
    requestRelay: { note: '请平台转接，核实占道位置' },
    relayDone: { result: 'reached', note: '平台已转接，承办单位与诉求人通话约5分钟' },
    messageRequester: { message: '我们已收到您的诉求，明天上午到现场查看' },
    requestReturn: { reason: '该路段路灯由供电公司管理', basis: '三定方案', attachments: [PROOF] },
    reviewReturn: { approve: true, note: '同意退回' },
    requestCoordination: { reason: '该路段管养职责在城管与住建之间不明确' },
    coordinate: { unitId: UNIT_C, basis: '联席会议纪要：该路段由住建局管养' },
    requestExtension: {
      reason: '需协调施工队更换灯杆',
      ...(profile.extension.length === 'original' ? {} : { span: { amount: Math.min(10, profile.extension.length.amount), unit: profile.extension.length.unit } }),
    },
    reviewExtension: { approve: true, note: '同意延期' },
    assistFeedback: { note: '已配合现场查看' },
    reply: {
      result: '已更换路灯，恢复照明',
      handler: '李四',
      legalBasis: '城市道路照明设施管理规定',
      notifiedBy: '电话',
      caseNumber: 'LA-2026-001',
      caseDate: '2026-03-03',
    },
    reviewResult: { approve: true, note: '办理结果属实' },
    rate: { value: satisfiedValue(profile) },
    revisit: { value: satisfiedValue(profile), method: 'phone' },
    requestRework: { reason: '路灯又不亮了' },
    recordRevisit: { method: 'phone', result: '已电话回访诉求人', words: '路灯修好了，但晚上还是有点暗' },
    handOffEmergency: { line: '110', note: '诉求人反映有人打架' },
    link: { otherNumber: OTHER_NUMBER, kind: 'related' },
    merge: { intoNumber: OTHER_NUMBER, note: '同一路灯的重复诉求' },
    join: {},
    supervise: { level: 1, method: 'system' },
    escalate: { note: '督办后仍未解决' },
    terminate: { reason: '诉求人拒不配合核实', ...platformGround(profile) },
    proposeTermination: { groundCode: profile.termination.grounds.find((g) => g.by.includes('unit'))?.code ?? 'uncooperative', reason: '三次电话联系诉求人均拒绝现场核实', attachments: [PROOF] },
    reviewTermination: { approve: true, note: '证明材料属实，同意终止办理' },
    disputeRating: { reason: '诉求人评价所述问题不属实，现场照片显示已清理', attachments: [PROOF] },
    reviewDispute: { upheld: true, value: profile.rating.options[profile.rating.options.length - 1].value, note: '复核现场照片，问题已解决' },
    appealCounting: { groundCode: profile.assessment.appeal?.grounds[0]?.code ?? 'not-duty', metrics: ['satisfaction'], reason: '诉求人反映的事项不属于本单位职责', attachments: [PROOF] },
    reviewAppeal: { upheld: true, note: '经核实，申诉属实' },
    recordMalicious: { groundCode: profile.malicious.grounds[0]?.code ?? 'harassment', note: '来电中多次辱骂话务员，录音已存档' },
    objectMalicious: { reason: '当时情绪激动，并非有意' },
    reviewObjection: { upheld: false, note: '录音属实，记录维持' },
    close: { note: '回访完毕' },
    pauseClock: { code: profile.clockPauses[0]?.code ?? 'recusal', note: '申请回避' },
    resumeClock: { note: '回避决定已作出' },
    markOverdue: { kinds: ['accept', 'transfer', 'sign', 'handle', 'emergencyResponse', 'rework'] },
    classify: { urgency: 'urgent', reason: '诉求人家中有老人，需尽快处理' },
  };
  return commandSchemas[type].parse({ ...samples[type], ...overrides, type, ticketId: ticket.id }) as CommandOf<T>;
}

// ---------------------------------------------------------------------------------------------
// stories: a ticket and its events, moved by real commands
// ---------------------------------------------------------------------------------------------

export interface OpenOptions {
  at?: number;
  by?: ActorName;
  id?: string;
  input?: Partial<z.input<typeof submitInputSchema>>;
  extra?: Partial<DecideContext>;
}

let serial = 0;

export class Story {
  events: TicketEvent[];
  effects: Effect[][] = [];

  private constructor(
    public ticket: Ticket,
    first: TicketEvent,
    public readonly profile: PolicyProfile,
    public now: number,
    private readonly extra: Partial<DecideContext>,
  ) {
    this.events = [first];
  }

  /** A new ticket in 'submitted', from the resident unless `by` says otherwise. */
  static open(profile: PolicyProfile = pingli, opts: OpenOptions = {}): Story {
    const now = opts.at ?? T0;
    serial += 1;
    const id = opts.id ?? `t-${profile.id}-${serial}`;
    const opened = openTicket(submitInput(opts.input), actors[opts.by ?? 'resident'], ctxAt(now, profile, opts.extra), { ticketId: id, number: `N${String(serial).padStart(8, '0')}` });
    return new Story(opened.ticket, opened.event, profile, now, opts.extra ?? {});
  }

  ctx(now = this.now): DecideContext {
    return ctxAt(now, this.profile, this.extra);
  }

  at(ms: number): this {
    this.now = ms;
    return this;
  }

  wait(ms: number): this {
    this.now += ms;
    return this;
  }

  command<T extends CommandType>(type: T, overrides: CommandInput<T> = {}): CommandOf<T> {
    return command(type, this.ticket, this.profile, overrides);
  }

  /** The decision, without applying it. */
  try<T extends CommandType>(type: T, by: ActorName | Actor, overrides: CommandInput<T> = {}): Decision {
    return decide(this.ticket, this.command(type, overrides), typeof by === 'string' ? actors[by] : by, this.ctx());
  }

  /** Applies a command that must be accepted; throws with the refusal code otherwise. */
  do<T extends CommandType>(type: T, by: ActorName | Actor, overrides: CommandInput<T> = {}): Decision & { ok: true } {
    const d = this.try(type, by, overrides);
    if (!d.ok) throw new Error(`${type} by ${typeof by === 'string' ? by : by.userId} in ${this.ticket.state} refused: ${d.code} ${d.message}`);
    this.ticket = d.ticket;
    this.events.push(d.event);
    this.effects.push(d.effects);
    return d;
  }
}

/** The path from a new ticket to each state: [command, actor, overrides]. */
type Step = { [K in CommandType]: [K, ActorName, CommandInput<K>?] }[CommandType];
const toHandling: Step[] = [['accept', 'operator'], ['dispatch', 'operator'], ['sign', 'leadStaff']];
/** Contacted, then replied: baiyin 14(1), hohhot 19(1), pingli 10(1), linyi 17(1) want the contact record first. */
const toReplied: Step[] = [...toHandling, ['contact', 'leadStaff'], ['reply', 'leadStaff']];
const toResolved: Step[] = [...toReplied, ['reviewResult', 'operator']];

export const PATHS: Record<StateId, Step[]> = {
  submitted: [],
  accepted: [['accept', 'operator']],
  dispatched: [['accept', 'operator'], ['dispatch', 'operator']],
  handling: toHandling,
  returnRequested: [...toHandling, ['requestReturn', 'leadStaff']],
  coordinationRequested: [...toHandling, ['requestCoordination', 'leadStaff']],
  extensionRequested: [...toHandling, ['requestExtension', 'leadStaff']],
  replied: toReplied,
  resolved: toResolved,
  answered: [['answer', 'operator']],
  closed: [...toResolved, ['rate', 'resident']],
  rejected: [['refuse', 'operator']],
  withdrawn: [['withdraw', 'resident']],
  terminated: [...toHandling, ['terminate', 'operator']],
  split: [['accept', 'operator'], ['dispatch', 'operator', { mode: 'separate', unitIds: [UNIT_A, UNIT_C], assistUnitIds: [] }]],
  // 不满意, the rework (asked for where the profile does not send it back by itself), 不满意 again.
  dissatisfied: [
    ...toResolved,
    ['rate', 'resident', { value: 'dissatisfied', reason: '路灯仍不亮' }],
    ['requestRework', 'resident'],
    ['reply', 'leadStaff'],
    ['reviewResult', 'operator'],
    ['rate', 'resident', { value: 'dissatisfied', reason: '还是不亮' }],
  ],
  // Under a profile that closes a ticket once it is passed to an emergency line (pingli 7(2)).
  handedOff: [['handOffEmergency', 'operator']],
  // Merged into another resident's open request of the same matter (ctx.other).
  merged: [['merge', 'operator']],
};

/** Minutes between the steps of a driven ticket. */
export const STEP_MS = 10 * MINUTE;

/**
 * A ticket driven to `state` by real commands: lead unit A with assisting unit B where a unit holds
 * it, ten minutes between steps, starting at T0.
 */
export function ticketIn(state: StateId, profile: PolicyProfile = pingli, opts: OpenOptions & { type?: RequestType; urgency?: Urgency } = {}): Story {
  const story = Story.open(profile, { ...opts, input: { ...(opts.type ? { type: opts.type } : {}), ...(opts.urgency ? { urgency: opts.urgency } : {}), ...opts.input } });
  // linyi 18, 19: only a unit's proposal, reviewed by the platform, ends handling.
  const unitOnly = state === 'terminated' && profile.termination.grounds.length > 0 && !profile.termination.grounds.some((g) => g.by.includes('platform'));
  const path: Step[] = unitOnly ? [...toHandling, ['proposeTermination', 'leadStaff'], ['reviewTermination', 'operator']] : PATHS[state];
  for (const [type, by, overrides] of path) {
    // A profile that sends a first 不满意 back by itself (pingli 18) needs no request for rework.
    if (type === 'requestRework' && story.ticket.state === 'handling') continue;
    story.wait(STEP_MS);
    // 'dissatisfied' in a path stands for the profile's own dissatisfied value (anshan: 一星).
    const o = overrides && 'value' in overrides && overrides.value === 'dissatisfied' ? { ...overrides, value: dissatisfiedValue(profile) } : overrides;
    story.do(type, by, o as never);
  }
  if (story.ticket.state !== state) throw new Error(`driving to ${state} ended in ${story.ticket.state}`);
  return story;
}
