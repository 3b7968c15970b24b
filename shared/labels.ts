/** Chinese names for the contract's enums, for people: one list for the app, the notices and exports. */
import type { DeadlineKind } from './contracts/ticket';
import type { RequestType } from './profiles/schema';

export const REQUEST_TYPE_LABELS: Record<RequestType, string> = {
  consultation: '咨询',
  help: '求助',
  complaint: '投诉',
  report: '举报',
  suggestion: '建议',
};

/** The rates of the assessment (pingli 30, hohhot 33, baiyin 28), as the figures name them. */
export const RATE_LABELS: Record<'response' | 'resolution' | 'satisfaction' | 'onTime', string> = {
  response: '响应率',
  resolution: '解决率',
  satisfaction: '满意率',
  onTime: '按时办结率',
};

export const DEADLINE_KIND_LABELS: Record<DeadlineKind, string> = {
  accept: '受理',
  transfer: '转派',
  sign: '签收',
  return: '申请退回',
  handle: '办理',
  emergencyResponse: '紧急响应',
  rework: '重办',
  response: '响应',
};

/** "签收时限", "办理时限"; an unknown kind (an older client) reads as a plain "时限". */
export function deadlineName(kind: string): string {
  return `${DEADLINE_KIND_LABELS[kind as DeadlineKind] ?? ''}时限`;
}
