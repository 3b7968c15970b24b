import type { Role } from '../contracts/common';
import type { CommandType } from '../contracts/commands';
import { openStates, type StateId } from './states';

/**
 * Who may issue a command, from which states, and in what capacity.
 * scope:
 *  - requester: the requester (or, for a report on someone's behalf, its reporter);
 *  - lead: staff of the lead unit;
 *  - assignee: staff of any unit the ticket is assigned to;
 *  - assist: staff of an assisting unit.
 */
export interface CommandRule {
  from: readonly StateId[];
  roles: readonly Role[];
  scope?: 'requester' | 'lead' | 'assignee' | 'assist';
  /** Shown on the resident's timeline. */
  public: boolean;
  /** Timeline text. */
  label: string;
}

const unitWork: StateId[] = ['dispatched', 'handling', 'extensionRequested', 'returnRequested', 'replied'];

export const COMMAND_RULES: Record<CommandType, CommandRule> = {
  accept: { from: ['submitted'], roles: ['operator'], public: true, label: '平台已受理' },
  answer: { from: ['submitted', 'accepted'], roles: ['operator', 'resident', 'grid'], public: true, label: '已即时答复' },
  refuse: { from: ['submitted'], roles: ['operator'], public: true, label: '不予受理' },
  // The profile narrows this further (withdrawal.allowedUntil).
  withdraw: { from: ['submitted', 'accepted', 'dispatched', 'handling'], roles: ['resident', 'grid'], scope: 'requester', public: true, label: '诉求人撤回' },
  dispatch: { from: ['accepted'], roles: ['operator'], public: true, label: '已转交承办单位' },
  sign: { from: ['dispatched', 'handling', 'extensionRequested'], roles: ['staff'], scope: 'assignee', public: true, label: '承办单位已签收' },
  contact: { from: ['handling', 'extensionRequested'], roles: ['staff'], scope: 'lead', public: true, label: '承办单位已与您联系' },
  requestReturn: { from: ['dispatched', 'handling'], roles: ['staff'], scope: 'lead', public: false, label: '承办单位申请退回' },
  reviewReturn: { from: ['returnRequested'], roles: ['operator'], public: false, label: '平台审核退回申请' },
  requestExtension: { from: ['handling'], roles: ['staff'], scope: 'lead', public: false, label: '承办单位申请延期' },
  reviewExtension: { from: ['extensionRequested'], roles: ['operator'], public: false, label: '平台审核延期申请' },
  assistFeedback: { from: ['dispatched', 'handling', 'extensionRequested'], roles: ['staff'], scope: 'assist', public: false, label: '协办单位反馈' },
  reply: { from: ['handling'], roles: ['staff'], scope: 'lead', public: true, label: '承办单位已答复' },
  reviewResult: { from: ['replied'], roles: ['operator'], public: false, label: '平台审核办理结果' },
  rate: { from: ['resolved', 'answered'], roles: ['resident', 'grid'], scope: 'requester', public: true, label: '诉求人评价' },
  revisit: { from: ['resolved', 'answered'], roles: ['operator'], public: true, label: '平台回访' },
  requestRework: { from: ['resolved'], roles: ['resident', 'grid', 'operator'], scope: 'requester', public: true, label: '申请重新办理' },
  supervise: { from: openStates, roles: ['operator', 'system'], public: true, label: '平台督办' },
  escalate: { from: openStates, roles: ['operator'], public: true, label: '提请政务督查' },
  terminate: { from: openStates, roles: ['operator'], public: true, label: '终止办理' },
  close: { from: ['resolved', 'answered'], roles: ['operator', 'system'], public: true, label: '已归档' },
  pauseClock: { from: ['handling'], roles: ['operator'], public: false, label: '暂停计时' },
  resumeClock: { from: ['handling'], roles: ['operator'], public: false, label: '恢复计时' },
  markOverdue: { from: [...unitWork, 'submitted', 'accepted'], roles: ['system'], public: false, label: '超期' },
};
