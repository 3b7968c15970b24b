import type { AuthAuditKind } from '@shared/ports';
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

export const ROLE_LABELS: Record<string, string> = { resident: '群众', grid: '网格员', staff: '承办单位', operator: '平台管理员', system: '系统' };

export const SESSION_VIA_LABELS: Record<string, string> = { password: '密码', sms: '短信验证码', wechat: '微信', demo: '演示账号', invite: '邀请码注册' };

/** The sign-in audit's kinds. */
export const AUDIT_KIND_LABELS: Record<AuthAuditKind, string> = {
  'login-ok': '登录成功',
  'login-failed': '登录失败',
  locked: '账号锁定',
  'totp-failed': '动态验证码错误',
  'totp-enabled': '绑定身份验证器',
  'sms-sent': '发送短信验证码',
  'sms-failed': '短信验证码错误',
  'sms-login': '短信验证码登录',
  'wechat-login': '微信登录',
  'wechat-failed': '微信登录失败',
  'reset-issued': '签发重置码',
  'reset-used': '使用重置码重设密码',
  'reset-failed': '重置码错误',
  'session-revoked': '结束会话',
  'user-removed': '移除人员',
  'account-created': '创建账号',
  'invite-redeemed': '使用邀请码',
  'operator-bootstrapped': '初始平台管理员',
  'demo-login': '演示账号登录',
};

export const AUDIT_FAILURES = new Set(['login-failed', 'locked', 'totp-failed', 'sms-failed', 'wechat-failed', 'reset-failed']);
