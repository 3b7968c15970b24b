/**
 * Stable refusal codes and their Chinese messages.
 * Tests and clients match on `code`; users read `message`.
 */
export const ERROR_MESSAGES = {
  'invalid-input': '提交的内容不符合要求',
  'unauthenticated': '请先登录',
  'forbidden': '您没有权限进行此操作',
  'not-found': '未找到对应的记录',
  'stale-version': '该诉求已被他人更新，请刷新后重试',
  'lease-lost': '该提醒已由另一次定时任务处理',
  'illegal-transition': '当前状态下不能进行此操作',
  'ticket-closed': '该诉求已办结，不能进行此操作',
  'not-assignee': '该诉求不是派给您所在单位的',
  'not-lead-unit': '只有主办单位可以进行此操作',
  'not-requester': '只有诉求人本人可以进行此操作',
  'unknown-ground': '不予受理的理由不在本平台规定的范围内',
  'unit-not-found': '承办单位不存在',
  'return-window-passed': '已超过申请退回的期限',
  'extension-limit-reached': '延期次数已达上限',
  'extension-too-long': '申请延期的时长超过规定',
  'extension-after-deadline': '须在办理期限届满前申请延期',
  'extension-not-allowed': '本平台规定不允许申请延期',
  'rework-limit-reached': '重办次数已达上限',
  'rework-not-allowed': '满意的诉求不能申请重办',
  'rating-reason-required': '选择不满意时请填写理由',
  'reason-required': '不同意时请填写理由，理由将告知承办单位',
  'termination-ground-required': '请选择终止办理的情形',
  'unknown-termination-ground': '终止办理的情形不在本平台规定的范围内',
  'termination-not-provided': '本平台的规定中没有承办单位申请终止办理的情形',
  'proof-required': '请附上证明材料',
  'dispute-not-allowed': '本平台的规定中没有承办单位对评价提出异议的程序',
  'appeal-not-provided': '本平台的规定中没有承办单位对统计结果提出申诉的程序',
  'unknown-appeal-ground': '申诉理由不在本平台规定的范围内',
  'appeal-pending': '该工单已有待审核的统计申诉',
  'malicious-not-provided': '本平台的规定中没有不当诉求行为的情形',
  'unknown-malicious-ground': '不当诉求行为的情形不在本平台规定的范围内',
  'malicious-recorded': '该诉求已记录为不当诉求行为',
  'objection-pending': '异议正在审核中',
  'nothing-changed': '分类没有变化',
  'rating-invalid': '评价等级不在本平台的评价标准内',
  'already-rated': '该诉求已经评价过了',
  'withdraw-not-allowed': '诉求已开始办理，不能撤回',
  'case-number-required': '投诉类诉求答复须填写立案号和立案日期，或说明不予立案的理由',
  'supervision-level-invalid': '督办级别不正确',
  'calendar-year-missing': '缺少该年度的节假日安排，请管理员先导入该年度日历',
  'calendar-invalid': '节假日日历数据不正确',
  'calendar-incomplete': '节假日安排不完整，不能只导入一部分',
  'calendar-notice-unparsed': '无法完整识别节假日安排通知，请粘贴国务院办公厅通知的全文',
  'profile-invalid': '政策配置不正确',
  'rate-limited': '提交过于频繁，请稍后再试',
  'duplicate-submission': '您已提交过相同内容的诉求，请勿重复提交',
  'lookup-rate-limited': '查询次数过多，请稍后再试',
  'public-rate-limited': '访问过于频繁，请稍后再试',
  'file-type-not-allowed': '文件类型不支持',
  'file-too-large': '文件过大',
  'media-too-long': '音视频时长超过限制',
  'file-not-owned': '不能使用他人上传的文件',
  'too-many-files': '附件数量超过限制',
  'invite-invalid': '邀请码无效或已使用',
  'token-invalid': '登录已失效，请重新登录',
  'content-refused': '内容含有违法违规或不宜公开发布的信息，请修改后再提交',
  'demo-disabled': '本系统为正式环境，不提供演示账号登录',
  'login-failed': '账号或密码不正确',
  'account-locked': '密码或验证码错误次数过多，账号已锁定15分钟；如需立即使用，请联系平台管理员重置密码',
  'login-rate-limited': '登录尝试过于频繁，请稍后再试',
  'totp-required': '请输入身份验证器上的6位动态验证码',
  'totp-invalid': '动态验证码不正确',
  'totp-replayed': '该动态验证码已使用过，请等待下一个验证码',
  'totp-enrolment-required': '请先绑定身份验证器（动态验证码）后再使用',
  'password-weak': '密码太简单，请换一个更复杂的密码',
  'reset-code-invalid': '重置码无效、已使用或已过期',
  'account-exists': '该账号名或手机号已被使用',
  'sms-code-invalid': '短信验证码不正确或已过期',
  'sms-rate-limited': '短信验证码发送过于频繁，请稍后再试',
  'sms-failed': '短信发送失败，请稍后再试',
  'wx-code-invalid': '微信登录凭证无效，请重新打开小程序',
  'wx-code-used': '微信登录凭证已使用过，请重新登录',
  'wx-rate-limited': '微信登录过于频繁，请稍后再试',
  'wx-unavailable': '微信服务暂时不可用，请稍后再试',
  'signin-unavailable': '本系统未开通此登录方式',
  'already-signed-in': '您已登录，请先退出当前账号',
  'no-password-account': '该账号没有密码，不能进行此操作',
  'totp-already-enabled': '已绑定身份验证器；如需更换，请联系平台管理员重置',
  'totp-not-started': '请先开始绑定身份验证器',
  'last-operator': '不能移除自己或最后一名平台管理员',
  'reply-too-short': '答复内容过短，请写明办理结果',
  'contact-required': '答复前须先记录与诉求人的联系（时间、方式、结果）',
  'reveal-not-allowed': '该诉求不能向本单位显示诉求人的完整号码，请通过平台联系',
  'relay-not-needed': '该诉求可直接联系诉求人，无需平台转接',
  'relay-pending': '已有一条平台转接联系申请在处理中',
  'no-relay-pending': '没有待处理的平台转接联系申请',
  'return-after-coordination': '该诉求已经平台协调确定由本单位办理，不能再申请退回',
  'coordination-unit-required': '请选择协调确定的承办单位',
  'kb-not-own-unit': '只能修改本单位负责的知识库条目',
  'kb-no-pending': '该条目没有待审核的修改',
  'kb-revision-changed': '该条目的待审核修改已更新，请刷新后重新审核',
  'case-not-closed': '只有已办结的诉求可以作为典型案例发布',
  'case-personal-data': '典型案例不能含有个人信息（姓名、电话号码、身份证号码、详细地址），请修改后再保存',
  'link-target-not-found': '没有找到该编号的诉求',
  'link-self': '不能关联或合并诉求本身',
  'already-linked': '这两件诉求已经关联',
  'merge-target-closed': '只能合并到仍在办理中的诉求',
  'already-merged': '该诉求已合并到其他诉求',
  'already-co-requester': '您已是该诉求的诉求人',
  'join-not-allowed': '该诉求不能加入反映',
  'internal': '系统繁忙，请稍后再试',
} as const;

export type ErrorCode = keyof typeof ERROR_MESSAGES;

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  /** Sent to the caller with the refusal (e.g. the earlier ticket of a duplicate); `details` never is. */
  readonly data?: Record<string, string>;
  constructor(code: ErrorCode, message?: string, details?: unknown, data?: Record<string, string>) {
    super(message ?? ERROR_MESSAGES[code]);
    this.code = code;
    this.details = details;
    if (data) this.data = data;
    this.name = 'DomainError';
  }
}

export function messageFor(code: ErrorCode): string {
  return ERROR_MESSAGES[code];
}
