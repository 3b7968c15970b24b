import type { Notice, Recipient } from '../../../shared/ports';
import { SendError, type Sender } from '../../lib/delivery';
import { templateData, type TemplateConfigs } from '../../lib/notices';
import { fitFieldLimits, NO_SUBSCRIPTION, PERMANENT_CODES, type MiniprogramState } from '../cloudbase/wxSender';
import { AccessTokenCache, INVALID_TOKEN_CODES, WeChatApiError } from './accessToken';

export interface WeChatSubscribeOptions {
  tokens: AccessTokenCache;
  /** The same per-template configuration as on CloudBase (TPL_* and TPL_*_KEYS, lib/notices.ts). */
  templates: TemplateConfigs;
  miniprogramState?: MiniprogramState;
  timeoutMs?: number;
}

/**
 * Subscription messages through WeChat's HTTPS API (`POST /cgi-bin/message/subscribe/send`), for
 * the local runtime, which has no wx-server-sdk: one attempt per call; an invalid or expired
 * access token is refreshed and the send tried once more. WeChat's answer becomes a SendError of
 * the kind the notifier acts on: 43101 no-subscription, 40003/40037/47003… permanent, no answer
 * in time timeout, anything else other.
 */
export class WeChatSubscribeSender implements Sender {
  constructor(private readonly o: WeChatSubscribeOptions) {}

  /** Whether this notice has a template (otherwise another channel should carry it). */
  handles(notice: Notice): boolean {
    return this.o.templates[notice.template] !== undefined;
  }

  async send(to: Recipient, notice: Notice): Promise<void> {
    if (!to.openid) throw new SendError('no-openid', 'no-subscription', `user ${to.userId} has no WeChat openid`);
    const template = this.o.templates[notice.template];
    if (!template) throw new SendError('no-template', 'permanent', `no subscription template configured for ${notice.template}`);
    const body = JSON.stringify({
      touser: to.openid,
      template_id: template.id,
      page: notice.page.replace(/^\//, ''),
      data: fitFieldLimits(templateData(notice, template.keywords)),
      miniprogram_state: this.o.miniprogramState ?? 'formal',
      lang: 'zh_CN',
    });
    for (let attempt = 1; ; attempt++) {
      let token: string;
      try {
        token = await this.o.tokens.get();
      } catch (e) {
        throw asSendError(e);
      }
      let answer: { errcode?: number; errmsg?: string };
      try {
        const res = await fetch(`${this.o.tokens.baseUrl}/cgi-bin/message/subscribe/send?access_token=${encodeURIComponent(token)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(this.o.timeoutMs ?? 5000),
        });
        answer = (await res.json().catch(() => ({ errcode: -1, errmsg: `HTTP ${res.status}` }))) as { errcode?: number; errmsg?: string };
      } catch (e) {
        throw asSendError(e);
      }
      const code = Number(answer.errcode ?? 0);
      if (code === 0) return;
      if (INVALID_TOKEN_CODES.has(code) && attempt === 1) {
        this.o.tokens.invalidate(token);
        continue;
      }
      throw asSendError(new WeChatApiError(code, answer.errmsg ?? ''));
    }
  }
}

function asSendError(e: unknown): SendError {
  if (e instanceof SendError) return e;
  if (e instanceof WeChatApiError) {
    const code = Number(e.errcode);
    if (code === NO_SUBSCRIPTION) return new SendError(code, 'no-subscription', e.message, { cause: e });
    if (PERMANENT_CODES.has(code)) return new SendError(code, 'permanent', e.message, { cause: e });
    return new SendError(Number.isFinite(code) ? code : String(e.errcode), 'other', e.message, { cause: e });
  }
  const name = (e as { name?: string })?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return new SendError('timeout', 'timeout', String((e as Error).message), { cause: e });
  return new SendError('network', 'other', e instanceof Error ? e.message : String(e), { cause: e });
}
