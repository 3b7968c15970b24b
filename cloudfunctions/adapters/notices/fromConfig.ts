import type { DirectoryStore } from '../../../shared/ports';
import type { Sender } from '../../lib/delivery';
import { readTemplates, templateReport } from '../../lib/notices';
import { MINIPROGRAM_STATES, type MiniprogramState } from '../cloudbase/wxSender';
import { TencentSmsSender, type TencentSmsConfig } from '../sms/tencentSms';
import { AccessTokenCache } from './accessToken';
import { NoticeChannels } from './channels';
import { parseSmsParams, SmsNoticeSender } from './smsNotice';
import { WeChatSubscribeSender } from './wechatSubscribe';

/**
 * The notice channels the local runtime's configuration asks for, or null (the outbox alone):
 *  - WeChat: WX_APPID + WX_SECRET (the same app the sign-in uses; WX_API_BASE for tests) and the
 *    templates TPL_<NOTICE> + TPL_<NOTICE>_KEYS, exactly as on CloudBase; MINIPROGRAM_STATE.
 *  - SMS: the SMS port's Tencent settings (SMS_PROVIDER=tencent …) and SMS_NOTICE_TEMPLATE (an
 *    approved notification template), SMS_NOTICE_PARAMS (default `number,status`).
 * `lines` says what was configured and what was refused, for the start-up log.
 */
export function noticeSenderFromEnv(env: NodeJS.ProcessEnv, opts: { directory: Pick<DirectoryStore, 'getUser'>; wechat?: { appId: string; appSecret: string; baseUrl?: string }; sms?: TencentSmsConfig | { provider: string } }): { sender: Sender | null; lines: string[] } {
  const lines: string[] = [];
  let wechat: WeChatSubscribeSender | null = null;
  if (opts.wechat && env.NOTICES_WECHAT !== '0') {
    const reading = readTemplates(env);
    lines.push(templateReport(reading), ...reading.problems.map((p) => `[templates] ${p}`));
    if (Object.keys(reading.templates).length) {
      const state = env.MINIPROGRAM_STATE as MiniprogramState | undefined;
      wechat = new WeChatSubscribeSender({
        tokens: new AccessTokenCache({ appId: opts.wechat.appId, appSecret: opts.wechat.appSecret, ...(opts.wechat.baseUrl ? { baseUrl: opts.wechat.baseUrl } : {}) }),
        templates: reading.templates,
        miniprogramState: state && (MINIPROGRAM_STATES as readonly string[]).includes(state) ? state : 'formal',
      });
    }
  }
  let sms: SmsNoticeSender | null = null;
  const smsConfig = opts.sms && 'secretId' in opts.sms ? opts.sms : null;
  if (smsConfig && env.SMS_NOTICE_TEMPLATE) {
    const params = parseSmsParams(env.SMS_NOTICE_PARAMS ?? 'number,status');
    if (typeof params === 'string') lines.push(`[sms] SMS_NOTICE_PARAMS refused: ${params}; notices are not sent by SMS`);
    else {
      sms = new SmsNoticeSender({ sms: new TencentSmsSender(smsConfig), directory: opts.directory, templateId: env.SMS_NOTICE_TEMPLATE, params, ...(env.SMS_PARAM_MAX ? { maxParamLength: Number(env.SMS_PARAM_MAX) } : {}) });
      lines.push(`[sms] notices by SMS with template ${env.SMS_NOTICE_TEMPLATE} (${params.join(',')})`);
    }
  }
  if (!wechat && !sms) return { sender: null, lines: [...lines, '[notices] outbox only (no WeChat templates, no SMS notice template)'] };
  return { sender: new NoticeChannels(wechat, sms), lines: [...lines, `[notices] ${[wechat && 'WeChat subscription messages', sms && 'SMS'].filter(Boolean).join(' + ')}; every delivery recorded in the outbox`] };
}
