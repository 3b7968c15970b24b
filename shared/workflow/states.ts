import { DomainError } from '../errors';

/**
 * The ticket's states: one table. Each state declares its category and the label a resident sees.
 * Callers ask by category (`isOpen`) or by flags; nobody outside shared/workflow lists state names.
 */
export type StateCategory = 'open' | 'closed';

export interface StateSpec {
  category: StateCategory;
  /** Label on the resident's timeline and list. */
  publicLabel: string;
  /** Label for staff and operators. */
  staffLabel: string;
  /** Whose move it is; used by queues and the inbox filters. */
  waitingOn: 'platform' | 'unit' | 'requester' | 'nobody';
  /** A unit holds the ticket in this state (inbox shows it). */
  atUnit: boolean;
  /** The handling clock runs. */
  handlingClock: boolean;
}

export const STATES = {
  submitted: { category: 'open', publicLabel: '已提交，待受理', staffLabel: '待受理', waitingOn: 'platform', atUnit: false, handlingClock: false },
  accepted: { category: 'open', publicLabel: '已受理，正在转办', staffLabel: '待派单', waitingOn: 'platform', atUnit: false, handlingClock: false },
  dispatched: { category: 'open', publicLabel: '已转交承办单位', staffLabel: '待签收', waitingOn: 'unit', atUnit: true, handlingClock: true },
  handling: { category: 'open', publicLabel: '办理中', staffLabel: '办理中', waitingOn: 'unit', atUnit: true, handlingClock: true },
  returnRequested: { category: 'open', publicLabel: '办理中', staffLabel: '退回待审核', waitingOn: 'platform', atUnit: true, handlingClock: true },
  coordinationRequested: { category: 'open', publicLabel: '办理中', staffLabel: '协调待定', waitingOn: 'platform', atUnit: true, handlingClock: true },
  extensionRequested: { category: 'open', publicLabel: '办理中', staffLabel: '延期待审核', waitingOn: 'platform', atUnit: true, handlingClock: true },
  replied: { category: 'open', publicLabel: '已答复，平台审核中', staffLabel: '结果待审核', waitingOn: 'platform', atUnit: true, handlingClock: true },
  resolved: { category: 'closed', publicLabel: '已办结，请评价', staffLabel: '已办结待评价', waitingOn: 'requester', atUnit: false, handlingClock: false },
  answered: { category: 'closed', publicLabel: '已即时答复', staffLabel: '即时答复', waitingOn: 'requester', atUnit: false, handlingClock: false },
  // Rated 不满意 after the last rework (pingli 20, baiyin 17): not archived; the platform revisits to
  // learn why and the supervision board holds it until an operator records the conclusion.
  dissatisfied: { category: 'open', publicLabel: '仍不满意，平台回访核实中', staffLabel: '重办后仍不满意', waitingOn: 'platform', atUnit: false, handlingClock: false },
  closed: { category: 'closed', publicLabel: '已办结', staffLabel: '已归档', waitingOn: 'nobody', atUnit: false, handlingClock: false },
  rejected: { category: 'closed', publicLabel: '不予受理', staffLabel: '不予受理', waitingOn: 'nobody', atUnit: false, handlingClock: false },
  withdrawn: { category: 'closed', publicLabel: '已撤回', staffLabel: '已撤回', waitingOn: 'nobody', atUnit: false, handlingClock: false },
  terminated: { category: 'closed', publicLabel: '已终止办理', staffLabel: '已终止', waitingOn: 'nobody', atUnit: false, handlingClock: false },
  split: { category: 'closed', publicLabel: '已分送多个单位分别办理', staffLabel: '已拆分', waitingOn: 'nobody', atUnit: false, handlingClock: false },
  /** Passed to an emergency line (110/119/120/122, a profile's own lines) where the profile closes it then. */
  handedOff: { category: 'closed', publicLabel: '已转交应急部门处置', staffLabel: '已转应急专线', waitingOn: 'nobody', atUnit: false, handlingClock: false },
  /** Merged into the ticket handled instead (baiyin 23(4)(5), linyi 30): its requester is a co-requester there. */
  merged: { category: 'closed', publicLabel: '已并入同一问题的诉求合并办理', staffLabel: '已合并', waitingOn: 'nobody', atUnit: false, handlingClock: false },
} as const satisfies Record<string, StateSpec>;

export type StateId = keyof typeof STATES;
export const stateIds = Object.keys(STATES) as StateId[];

export function stateSpec(state: string): StateSpec {
  const spec = (STATES as Record<string, StateSpec>)[state];
  if (!spec) throw new Error(`unknown state ${state}`);
  return spec;
}
export const isOpen = (state: string) => stateSpec(state).category === 'open';
export const isClosed = (state: string) => stateSpec(state).category === 'closed';
export const publicLabel = (state: string) => stateSpec(state).publicLabel;
export const staffLabel = (state: string) => stateSpec(state).staffLabel;
export const openStates = stateIds.filter((s) => STATES[s].category === 'open');
export const closedStates = stateIds.filter((s) => STATES[s].category === 'closed');
/** States a unit's inbox holds. */
export const unitStates = stateIds.filter((s) => STATES[s].atUnit);
/** States that count as "resolved" for the resolution rate. */
export const resolvedStates: StateId[] = ['resolved', 'closed', 'answered'];
/** States of a ticket a lead unit took on (dispatched and not returned): unit suggestions learn from them. */
export const takenOnStates: StateId[] = ['handling', 'replied', 'resolved', 'closed', 'dispatched'];

/** Inbox filters for unit staff; the only place that maps filters to states. */
export const INBOX_FILTERS = {
  toSign: { label: '待签收', states: ['dispatched'] as StateId[] },
  inProgress: { label: '办理中', states: ['handling', 'replied'] as StateId[] },
  returned: { label: '退回', states: ['returnRequested', 'coordinationRequested'] as StateId[] },
  extensionPending: { label: '延期待审', states: ['extensionRequested'] as StateId[] },
  rework: { label: '重办', states: ['handling', 'dispatched'] as StateId[], rework: true },
  supervised: { label: '督办', states: unitStates, supervised: true },
  /** The unit's finished tickets, out of 全部 (which holds what is still open at the unit). */
  done: { label: '已办结', states: closedStates },
} as const;
export type InboxFilter = keyof typeof INBOX_FILTERS;

/** Operator queues; the only place that maps queues to states. */
export const OPERATOR_QUEUES = {
  intake: { label: '待受理', states: ['submitted'] as StateId[] },
  dispatch: { label: '待派单', states: ['accepted'] as StateId[] },
  returns: { label: '退回审核', states: ['returnRequested', 'coordinationRequested'] as StateId[] },
  extensions: { label: '延期审核', states: ['extensionRequested'] as StateId[] },
  results: { label: '结果审核', states: ['replied'] as StateId[] },
  revisit: { label: '待回访', states: ['resolved', 'dissatisfied'] as StateId[] },
  supervision: { label: '督办', states: openStates, supervised: true },
} as const;
export type OperatorQueue = keyof typeof OPERATOR_QUEUES;

/** What a list asks for, in the terms of the filters and queues above. */
export interface ListFilter {
  unitId?: string;
  inbox?: string;
  queue?: string;
  states?: readonly string[];
}

/** States a list covers (null: any), and its flags: reworked, supervised (督办 level or overdue). */
export interface ResolvedFilter {
  states: StateId[] | null;
  rework: boolean;
  supervised: boolean;
}

const has = (o: object, k: unknown): boolean => typeof k === 'string' && Object.prototype.hasOwnProperty.call(o, k);

/**
 * Turns a list's inbox filter, operator queue and states into the states and flags every store
 * queries by. Returns null when they exclude each other (an empty list); throws a DomainError for
 * an unknown filter, queue or state.
 */
export function resolveListFilter(q: ListFilter): ResolvedFilter | null {
  let states: StateId[] | null = null;
  let rework = false;
  let supervised = false;
  const narrow = (list: readonly string[]) => {
    states = states === null ? ([...new Set(list)] as StateId[]) : states.filter((s) => list.includes(s));
  };
  if (q.queue !== undefined) {
    if (!has(OPERATOR_QUEUES, q.queue)) throw new DomainError('invalid-input', '未知的工作队列');
    const spec = OPERATOR_QUEUES[q.queue as OperatorQueue];
    narrow(spec.states);
    if ('supervised' in spec && spec.supervised) supervised = true;
  }
  if (q.inbox !== undefined) {
    if (!has(INBOX_FILTERS, q.inbox)) throw new DomainError('invalid-input', '未知的待办分类');
    if (q.unitId === undefined) throw new DomainError('invalid-input', '待办分类须指定承办单位');
    const spec = INBOX_FILTERS[q.inbox as InboxFilter];
    narrow(spec.states);
    if ('rework' in spec && spec.rework) rework = true;
    if ('supervised' in spec && spec.supervised) supervised = true;
  }
  if (q.states !== undefined) {
    const unknown = q.states.find((x) => !(stateIds as string[]).includes(x));
    if (unknown !== undefined) throw new DomainError('invalid-input', `未知的状态：${unknown}`);
    narrow(q.states);
  }
  const chosen = states as StateId[] | null;
  if (chosen !== null && chosen.length === 0) return null;
  return { states: chosen, rework, supervised };
}
