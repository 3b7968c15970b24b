/** Chinese labels of the staff pages. Filter labels come from the workflow module (INBOX_FILTERS). */
import { actionLabel, commandsAcceptedBy, STAFF_ACTION_ORDER } from '@shared/workflow/transitions';
import type { InboxFilter, StaffCommandType, StaffMessage, TemplateKey } from '../api/types';

/** Button texts from the transitions table (shared/workflow/transitions.ts). */
export const ACTION_LABELS = Object.fromEntries(commandsAcceptedBy('staff').map((c) => [c, actionLabel(c, 'staff')])) as Record<StaffCommandType, string>;

/** The order of the action bar: the usual course of the work. The full number is revealed beside the requester, not from the bar. */
export const ACTION_ORDER: StaffCommandType[] = STAFF_ACTION_ORDER.filter((c) => c !== 'revealPhone');

export const CONTACT_METHODS = { phone: '电话', visit: '上门走访', sms: '短信', online: '平台在线' } as const;
export type ContactMethod = keyof typeof CONTACT_METHODS;
/** Every method a contact record may carry: the unit's own, the platform's relay, a platform message. */
export const CONTACT_RECORD_METHODS = { ...CONTACT_METHODS, relay: '平台转接', message: '平台留言' } as const;
export const CONTACT_RESULTS = { reached: '已联系上', unreachable: '未能联系上', declined: '诉求人不愿沟通' } as const;
export type ContactResult = keyof typeof CONTACT_RESULTS;
export const CONTACT_RECORD_RESULTS = { ...CONTACT_RESULTS, sent: '已发送' } as const;

export const FILTER_ORDER: InboxFilter[] = ['all', 'toSign', 'inProgress', 'returned', 'extensionPending', 'rework', 'supervised', 'done'];

/** Reminders staff can subscribe to; WeChat asks for at most 3 templates per tap, hence the groups. */
export const REMINDER_GROUPS: { id: string; title: string; keys: TemplateKey[] }[] = [
  { id: 'deadline', title: '新派单与期限提醒', keys: ['assigned', 'dueSoon', 'overdue'] },
  { id: 'progress', title: '督办与进度提醒', keys: ['supervised', 'progress'] },
];

export const TEMPLATE_LABELS: Record<TemplateKey, string> = {
  assigned: '新派单待签收',
  dueSoon: '即将到期',
  overdue: '已超期',
  supervised: '督办',
  progress: '进度变化',
  review: '待审核',
  warning: '风险预警',
};

export const DELIVERY_LABELS: Record<StaffMessage['status'], string> = {
  delivered: '已送达',
  pending: '发送中',
  undeliverable: '未送达：提醒次数已用完',
  failed: '发送失败',
};
