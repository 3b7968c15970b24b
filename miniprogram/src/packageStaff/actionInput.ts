/**
 * The staff action forms: what each one needs under the profile's rules (`rules` of staff.get),
 * and the command it sends. The server checks everything again; this only spares a round trip
 * and says in Chinese what is missing. Plain TS, tested by jest (test/native/staffActions.test.ts).
 */
import { LIMITS, type FileRef } from '../../../shared/contracts/common';
import type { Span } from '../../../shared/profiles/schema';
import type { StaffCommand } from '../api/client';
import type { StaffCommandType, StaffRules } from '../api/types';
import type { ContactMethod, ContactResult } from './labels';
import { spanText } from './urgency';

export interface ActionForm {
  /** Sign note, contact record, assisting unit's feedback. */
  note: string;
  method: ContactMethod;
  /** Contact record: how it went (baiyin 14(1), pingli 10(1), linyi 17(1)). */
  contactResult: ContactResult;
  /** Return or extension reason. */
  reason: string;
  /** Return: the basis (which duty list or rule says it is not ours). */
  basis: string;
  /** Extension: the longest the profile allows, or a shorter length. */
  extensionMode: 'max' | 'custom';
  extensionAmount: string;
  result: string;
  handler: string;
  legalBasis: string;
  notifiedBy: string;
  /** Complaints (pingli 15): a case was filed (number + date) or not (reason). */
  caseMode: 'filed' | 'notFiled';
  caseNumber: string;
  caseDate: string;
  noCaseReason: string;
  /** Termination proposal (baiyin 19, linyi 18, 19) or appeal of the figures (pingli 31): the profile's ground. */
  groundCode: string;
  /** Appeal of the figures (pingli 31): the rates the ticket should not count in. */
  metrics: AppealMetric[];
}

export type AppealMetric = 'response' | 'resolution' | 'satisfaction' | 'onTime';

export const emptyActionForm = (handler = ''): ActionForm => ({
  note: '',
  method: 'phone',
  contactResult: 'reached',
  reason: '',
  basis: '',
  extensionMode: 'max',
  extensionAmount: '',
  result: '',
  handler,
  legalBasis: '',
  notifiedBy: '',
  caseMode: 'filed',
  caseNumber: '',
  caseDate: '',
  noCaseReason: '',
  groundCode: '',
  metrics: [],
});

export interface ActionIssue {
  field: string;
  message: string;
}

/** What the form needs to know about the ticket. */
export interface ActionContext {
  ticketId: string;
  version: number;
  type: string;
  rules: StaffRules;
  extensionsUsed: number;
  /** The original handling span, for profiles whose extension is "as long as the original" (pingli 13). */
  originalSpan: Span | null;
  attachments: FileRef[];
}

/** "5个工作日", "5个工作日+延期5个工作日", "24小时", "60日" → the first span; null when unreadable. */
export function parseSpan(text: string | undefined): Span | null {
  const m = /^(\d+(?:\.\d+)?)(小时|个工作日|日)/.exec(text ?? '');
  if (!m) return null;
  return { amount: Number(m[1]), unit: m[2] === '小时' ? 'hours' : m[2] === '个工作日' ? 'workingDays' : 'calendarDays' };
}

/** The longest single extension: the profile's length, or the original deadline's. */
export function maxExtension(rules: StaffRules, originalSpan: Span | null): Span | null {
  return rules.extension.length === 'original' ? originalSpan : rules.extension.length;
}

/** Extensions left under the profile's count; null = no count limit. */
export function extensionsLeft(rules: StaffRules, used: number): number | null {
  return rules.extension.maxCount === null ? null : Math.max(0, rules.extension.maxCount - used);
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

function required(issues: ActionIssue[], field: string, value: string, max: number, what: string): string {
  const v = value.trim();
  if (!v) issues.push({ field, message: `请填写${what}` });
  else if ([...v].length > max) issues.push({ field, message: `${what}不能超过${max}个字` });
  return v;
}

function optional(issues: ActionIssue[], field: string, value: string, max: number, what: string): string | undefined {
  const v = value.trim();
  if (v && [...v].length > max) issues.push({ field, message: `${what}不能超过${max}个字` });
  return v || undefined;
}

/** True when a complaint's reply must carry a case number and date or a reason for not filing. */
export function needsCaseNumber(ctx: Pick<ActionContext, 'rules' | 'type'>): boolean {
  return ctx.rules.complaintNeedsCaseNumber && ctx.type === 'complaint';
}

/** Checks a form; returns the issues, or the command to send when there are none. */
export function buildStaffCommand(type: StaffCommandType, form: ActionForm, ctx: ActionContext): { issues: ActionIssue[]; command?: StaffCommand } {
  const issues: ActionIssue[] = [];
  const base = { type, ticketId: ctx.ticketId, expectedVersion: ctx.version };
  let fields: Record<string, unknown> = {};
  switch (type) {
    case 'sign': {
      const note = optional(issues, 'note', form.note, LIMITS.note, '签收备注');
      fields = note ? { note } : {};
      break;
    }
    case 'contact': {
      const note = required(issues, 'note', form.note, LIMITS.note, '联系情况');
      fields = { method: form.method, result: form.contactResult, note };
      break;
    }
    case 'revealPhone':
      break;
    case 'requestCoordination': {
      const reason = required(issues, 'reason', form.reason, LIMITS.reason, '需要协调的原因');
      fields = { reason };
      break;
    }
    case 'requestRelay': {
      const note = required(issues, 'note', form.note, LIMITS.note, '需要沟通的事项');
      fields = { note };
      break;
    }
    case 'messageRequester': {
      const message = required(issues, 'note', form.note, LIMITS.note, '留言内容');
      fields = { message };
      break;
    }
    case 'requestReturn': {
      const reason = required(issues, 'reason', form.reason, LIMITS.reason, '退回理由');
      const basis = optional(issues, 'basis', form.basis, LIMITS.reason, '退回依据');
      if (ctx.rules.returnNeedsProof && ctx.attachments.length === 0) issues.push({ field: 'attachments', message: '申请退回须附上证明材料' });
      fields = { reason, ...(basis ? { basis } : {}), attachments: ctx.attachments };
      break;
    }
    case 'requestExtension': {
      const ext = ctx.rules.extension;
      if (!ext.allowed) issues.push({ field: 'extension', message: '本平台规定不允许申请延期' });
      const left = extensionsLeft(ctx.rules, ctx.extensionsUsed);
      if (left === 0) issues.push({ field: 'extension', message: `最多可延期${ext.maxCount}次，已用完` });
      const reason = required(issues, 'reason', form.reason, LIMITS.reason, '延期理由');
      fields = { reason };
      if (form.extensionMode === 'custom') {
        const max = maxExtension(ctx.rules, ctx.originalSpan);
        const amount = Number(form.extensionAmount.trim());
        if (!max) issues.push({ field: 'span', message: '无法确定可延期的时长，请选择“按规定最长”' });
        else if (!form.extensionAmount.trim() || !Number.isFinite(amount) || amount <= 0) issues.push({ field: 'span', message: '请填写延期时长' });
        else if (max.unit !== 'hours' && !Number.isInteger(amount)) issues.push({ field: 'span', message: '以天计的延期须为整数' });
        else if (amount > max.amount) issues.push({ field: 'span', message: `每次延期不超过${spanText(max)}` });
        else fields.span = { amount, unit: max.unit };
      }
      break;
    }
    case 'proposeTermination': {
      const ground = ctx.rules.terminationGrounds.find((g) => g.code === form.groundCode);
      if (!ground) issues.push({ field: 'groundCode', message: '请选择终止办理的情形' });
      const reason = required(issues, 'reason', form.reason, LIMITS.reason, '申请理由');
      if (ground?.proofRequired && ctx.attachments.length === 0) issues.push({ field: 'attachments', message: `申请终止办理须附上证明材料（${ground.article}）` });
      fields = { groundCode: form.groundCode, reason, attachments: ctx.attachments };
      break;
    }
    case 'disputeRating': {
      // anshan 23(3): the reason for the dispute, with any proof; the platform re-rates.
      const reason = required(issues, 'reason', form.reason, LIMITS.reason, '申诉理由');
      fields = { reason, attachments: ctx.attachments };
      break;
    }
    case 'appealCounting': {
      // pingli 31: a ground of the profile, the rates it concerns, the reason; proof is optional.
      const ground = ctx.rules.appeal?.grounds.find((g) => g.code === form.groundCode);
      if (!ground) issues.push({ field: 'groundCode', message: '请选择申诉理由' });
      if (form.metrics.length === 0) issues.push({ field: 'metrics', message: '请选择申诉的统计项' });
      const reason = required(issues, 'reason', form.reason, LIMITS.reason, '申诉说明');
      fields = { groundCode: form.groundCode, metrics: form.metrics, reason, attachments: ctx.attachments };
      break;
    }
    case 'assistFeedback': {
      const note = required(issues, 'note', form.note, LIMITS.note, '反馈内容');
      fields = { note, attachments: ctx.attachments };
      break;
    }
    case 'reply': {
      const result = required(issues, 'result', form.result, LIMITS.content, '办理结果');
      const handler = required(issues, 'handler', form.handler, LIMITS.name, '经办人');
      const legalBasis = optional(issues, 'legalBasis', form.legalBasis, LIMITS.reason, '法律依据');
      const notifiedBy = optional(issues, 'notifiedBy', form.notifiedBy, 60, '告知方式');
      fields = { result, handler, ...(legalBasis ? { legalBasis } : {}), ...(notifiedBy ? { notifiedBy } : {}), attachments: ctx.attachments };
      if (needsCaseNumber(ctx)) {
        if (form.caseMode === 'filed') {
          const caseNumber = required(issues, 'caseNumber', form.caseNumber, 60, '立案号');
          const caseDate = form.caseDate.trim();
          if (!caseDate) issues.push({ field: 'caseDate', message: '请填写立案日期' });
          else if (!isDate(caseDate)) issues.push({ field: 'caseDate', message: '立案日期格式应为YYYY-MM-DD' });
          fields = { ...fields, caseNumber, caseDate };
        } else {
          const noCaseReason = required(issues, 'noCaseReason', form.noCaseReason, LIMITS.reason, '不予立案的理由');
          fields = { ...fields, noCaseReason };
        }
      }
      break;
    }
  }
  return issues.length ? { issues } : { issues, command: { ...base, ...fields } };
}

/** The shortest reply the server accepts unless the profile's rules say otherwise (`rules.replyMinChars`). */
export const REPLY_MIN_CHARS = 10;

/** One thing a reply lacks; `blocking` when the server refuses the reply for it, so 仍要提交 is not offered. */
export interface ReplyGap {
  text: string;
  blocking: boolean;
}

/** What a reply lacks before it goes to the platform: a contact with the requester, the assisting units' feedback, substance. */
export function replyGaps(
  result: string,
  contacts: number,
  assignments: { role: string; unitId: string; feedback?: unknown[] }[],
  rules: { minChars?: number; contactRequired?: boolean } = {},
): ReplyGap[] {
  const out: ReplyGap[] = [];
  const min = rules.minChars ?? REPLY_MIN_CHARS;
  if (contacts === 0) out.push({ text: '尚未记录与诉求人的联系（办理中应及时联系诉求人）', blocking: rules.contactRequired === true });
  const silent = assignments.filter((a) => a.role === 'assist' && !(a.feedback?.length));
  if (silent.length) out.push({ text: `还有${silent.length}个协办单位尚未反馈`, blocking: false });
  if ([...result.trim()].length < min) out.push({ text: `办理结果不足${min}个字，请写明办理过程和结果`, blocking: true });
  return out;
}
