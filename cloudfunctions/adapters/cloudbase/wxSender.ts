import type { Notice, Recipient } from '../../../shared/ports';
import type { NoticeTemplate } from '../../../shared/workflow/effects';
import { TEMPLATE_ENV, templateData } from '../../lib/notices';

export { TEMPLATE_ENV };
import { SendError, type MessageSender } from '../sender';
import { wxOpenapi, type WxOpenapi } from './wxCloud';

export type MiniprogramState = 'developer' | 'trial' | 'formal';

/** WeChat: the user has no subscription left for this template. Not a failure to retry. */
export const NO_SUBSCRIPTION = 43101;
export const DEFAULT_SEND_TIMEOUT_MS = 5000;

/** Template ids from TPL_* variables; throws at start-up naming every one that is missing. */
export function templatesFromEnv(env: NodeJS.ProcessEnv = process.env): Record<NoticeTemplate, string> {
  const missing = Object.values(TEMPLATE_ENV).filter((name) => !env[name]);
  if (missing.length) throw new Error(`subscription-message template ids missing: ${missing.join(', ')}`);
  return Object.fromEntries(Object.entries(TEMPLATE_ENV).map(([t, name]) => [t, env[name]!])) as Record<NoticeTemplate, string>;
}

export interface WxSenderOptions {
  /** `cloud.openapi` of wx-server-sdk (default), or a stand-in in tests. */
  openapi?: WxOpenapi | (() => Promise<WxOpenapi>);
  templates: Readonly<Record<NoticeTemplate, string>>;
  /** Which version of the mini-program the message opens (MINIPROGRAM_STATE; default formal). */
  miniprogramState?: MiniprogramState;
  timeoutMs?: number;
}

/**
 * The last guard before WeChat, by field type (the key's prefix): `thing` ≤ 20 characters,
 * `character_string` ≤ 32 of letters, digits and symbols, `phrase` ≤ 5 Chinese characters only.
 * `templateData` already clips, but marks a cut with '…', which `phrase` and `character_string`
 * do not accept; this cuts those without a mark.
 */
export function fitFieldLimits(data: Record<string, { value: string }>): Record<string, { value: string }> {
  const out: Record<string, { value: string }> = {};
  for (const [key, { value }] of Object.entries(data)) {
    const chars = [...value];
    if (key.startsWith('thing')) out[key] = { value: chars.length <= 20 ? value : `${chars.slice(0, 19).join('')}…` };
    else if (key.startsWith('character_string')) out[key] = { value: value.replace(/[^\x21-\x7e]/g, '').slice(0, 32) };
    else if (key.startsWith('phrase')) out[key] = { value: [...value.replace(/[^\u4e00-\u9fa5]/g, '')].slice(0, 5).join('') || '更新' };
    else out[key] = { value };
  }
  return out;
}

class Timeout extends Error {}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Timeout(`no answer in ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** A failure of the WeChat call as a SendError: 43101 → no-subscription, a timeout → timeout, the rest → other. */
export function toSendError(e: unknown): SendError {
  if (e instanceof SendError) return e;
  if (e instanceof Timeout) return new SendError('timeout', 'timeout', e.message, { cause: e });
  const err = (e ?? {}) as { errCode?: unknown; errcode?: unknown; code?: unknown; errMsg?: unknown; message?: unknown };
  const message = String(err.errMsg ?? err.message ?? e);
  let code: number | string | undefined = [err.errCode, err.errcode, err.code].find((c): c is number | string => typeof c === 'number' || (typeof c === 'string' && c !== ''));
  const inText = /errCode:\s*(-?\d+)/.exec(message);
  if (code === undefined && inText) code = Number(inText[1]);
  if (code === NO_SUBSCRIPTION || code === String(NO_SUBSCRIPTION)) return new SendError(NO_SUBSCRIPTION, 'no-subscription', message, { cause: e });
  if (typeof code === 'string' && /^(ETIMEDOUT|ESOCKETTIMEDOUT|ECONNABORTED)$/.test(code)) return new SendError(code, 'timeout', message, { cause: e });
  return new SendError(code ?? 'unknown', 'other', message, { cause: e });
}

/**
 * MessageSender over WeChat subscription messages (`cloud.openapi.subscribeMessage.send` of
 * wx-server-sdk). One attempt per call, bounded by `timeoutMs`; the Notifier records and retries.
 */
export class WxSubscribeSender implements MessageSender {
  private readonly openapi: () => Promise<WxOpenapi>;
  private readonly templates: Readonly<Record<NoticeTemplate, string>>;
  private readonly state: MiniprogramState;
  private readonly timeoutMs: number;

  constructor(options: WxSenderOptions) {
    const api = options.openapi ?? wxOpenapi;
    this.openapi = typeof api === 'function' ? api : async () => api;
    this.templates = options.templates;
    this.state = options.miniprogramState ?? 'formal';
    this.timeoutMs = options.timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;
  }

  async send(to: Recipient, notice: Notice): Promise<void> {
    if (!to.openid) throw new SendError('no-openid', 'no-subscription', `user ${to.userId} has no WeChat openid`);
    const templateId = this.templates[notice.template];
    if (!templateId) throw new SendError('no-template', 'other', `no template id for ${notice.template}`);
    try {
      const openapi = await this.openapi();
      const res = await withTimeout(
        openapi.subscribeMessage.send({
          touser: to.openid,
          templateId,
          page: notice.page.replace(/^\//, ''),
          data: fitFieldLimits(templateData(notice)),
          miniprogramState: this.state,
          lang: 'zh_CN',
        }),
        this.timeoutMs,
      );
      // wx-server-sdk throws on a non-zero errcode; a stand-in might return it instead.
      if (res && typeof res.errCode === 'number' && res.errCode !== 0) throw res;
    } catch (e) {
      throw toSendError(e);
    }
  }
}

/** The sender for a deployed function: template ids from TPL_*, state from MINIPROGRAM_STATE. */
export function wxSenderFromEnv(env: NodeJS.ProcessEnv = process.env): WxSubscribeSender {
  const state = env.MINIPROGRAM_STATE;
  const miniprogramState: MiniprogramState = state === 'developer' || state === 'trial' ? state : 'formal';
  return new WxSubscribeSender({ templates: templatesFromEnv(env), miniprogramState });
}
