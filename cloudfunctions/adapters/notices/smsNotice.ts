import type { DirectoryStore, Notice, Recipient } from '../../../shared/ports';
import { SendError, type Sender } from '../../lib/delivery';
import { clip, NOTICE_FIELDS, type NoticeField } from '../../lib/notices';
import { formatShanghai } from '../../../shared/calendar';

/** Sends one templated SMS (the SMS port's Tencent adapter, `TencentSmsSender.sendTemplate`). */
export interface TemplateSms {
  sendTemplate(phone: string, templateId: string, params: readonly string[]): Promise<void>;
}

export interface SmsNoticeOptions {
  sms: TemplateSms;
  directory: Pick<DirectoryStore, 'getUser'>;
  /** An approved notification template (SMS_NOTICE_TEMPLATE). */
  templateId: string;
  /** What fills its parameters, in order (SMS_NOTICE_PARAMS, default number,status). */
  params: readonly NoticeField[];
  /** Tencent's limit on one parameter's length (SMS_PARAM_MAX, default 12). */
  maxParamLength?: number;
}

/** Tencent SMS answers no retry can change: a wrong number, a refused template or signature, a blocked number. */
const PERMANENT = /^(InvalidParameterValue\.IncorrectPhoneNumber|FailedOperation\.(TemplateIncorrectOrUnapproved|SignatureIncorrectOrUnapproved|PhoneNumberInBlacklist|MissingTemplateToModify|ContainSensitiveWord)|UnsupportedOperation\.)/;

/** `number,status` → the fields, or the reason they are refused. */
export function parseSmsParams(spec: string): NoticeField[] | string {
  const out = spec.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = out.filter((f) => !(NOTICE_FIELDS as readonly string[]).includes(f));
  if (bad.length) return `unknown field(s) ${bad.join(', ')}; use ${NOTICE_FIELDS.join(', ')}`;
  return out.length ? (out as NoticeField[]) : 'no fields';
}

/**
 * Notices by SMS, for phone callers (the ticket's number, no account) and for users without a
 * WeChat subscription: the phone comes from the recipient or the user's record; no phone means
 * no-subscription (undeliverable, not retried).
 */
export class SmsNoticeSender implements Sender {
  constructor(private readonly o: SmsNoticeOptions) {}

  async send(to: Recipient, notice: Notice): Promise<void> {
    const phone = to.phone ?? (await this.o.directory.getUser(to.userId))?.phone;
    if (!phone || !/^1\d{10}$/.test(phone)) throw new SendError('no-phone', 'no-subscription', `no mobile number for ${to.userId}`);
    const max = this.o.maxParamLength ?? 12;
    const value = (f: NoticeField) => (f === 'number' ? notice.ticketNumber : f === 'status' ? notice.status : f === 'title' ? notice.title : f === 'summary' ? notice.summary : formatShanghai(notice.at));
    // The ticket number is never cut (it is what the caller quotes); text fields are.
    const params = this.o.params.map((f) => (f === 'number' ? value(f) : clip(value(f), max)));
    try {
      await this.o.sms.sendTemplate(phone, this.o.templateId, params);
    } catch (e) {
      const code = String((e as { code?: unknown }).code ?? 'sms-error');
      throw new SendError(code, PERMANENT.test(code) ? 'permanent' : 'other', e instanceof Error ? e.message : String(e), { cause: e });
    }
  }
}
