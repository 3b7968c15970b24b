/** Chinese labels for the contract enums operators see. */
export const TRIGGER_LABELS: Record<string, string> = {
  'refused-to-accept': '拒不受理或推诿',
  overdue: '无正当理由逾期',
  'false-report': '办理结果不实',
  'repeated-requester': '同一诉求人反复反映',
  'many-requesters': '多人集中反映',
  'dissatisfied-after-rework': '重办后仍不满意',
  'knowledge-base-stale': '知识库信息未及时更新',
  'leader-instruction': '领导批示',
};

export { DEADLINE_KIND_LABELS } from '../../../shared/labels';

export const DEADLINE_STATUS_LABELS: Record<string, string> = { active: '进行中', met: '按时', missed: '超期', cancelled: '已取消' };

export const SUPERVISE_METHODS = [
  { value: 'system', label: '系统督办' },
  { value: 'written', label: '书面督办' },
  { value: 'meeting', label: '会议督办' },
  { value: 'onsite', label: '现场督办' },
] as const;

export const REVISIT_METHODS = [
  { value: 'phone', label: '电话回访' },
  { value: 'sms', label: '短信回访' },
  { value: 'online', label: '网上回访' },
] as const;

export const DISPATCH_MODES = [
  { value: 'single', label: '单一单位', hint: '派给一个承办单位' },
  { value: 'lead', label: '主办+协办', hint: '一个主办单位牵头，协办单位配合并向主办单位反馈' },
  { value: 'separate', label: '分别办理', hint: '拆分为多个工单，由各单位分别办理、分别答复' },
] as const;

export const CHANNEL_LABELS: Record<string, string> = { miniprogram: '小程序', phone: '电话', grid: '网格员上报', web: '网页' };

export const SPAN_UNIT_LABELS: Record<string, string> = { hours: '小时', workingDays: '个工作日', calendarDays: '日' };

export function spanText(s: { amount: number; unit: string } | null | undefined): string {
  return s ? `${s.amount}${SPAN_UNIT_LABELS[s.unit] ?? s.unit}` : '未规定';
}
