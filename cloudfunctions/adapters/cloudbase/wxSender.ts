import type { Notice, Recipient } from '../../../shared/ports';
import { TEMPLATE_ENV, readTemplates, templateData, templateReport, type TemplateConfigs } from '../../lib/notices';

export { TEMPLATE_ENV };
import { SendError, type Sender } from '../../lib/delivery';
import { resolveWxCloud, type WxCloudSource } from './wxCloud';

export const MINIPROGRAM_STATES = ['developer', 'trial', 'formal'] as const;
export type MiniprogramState = (typeof MINIPROGRAM_STATES)[number];

/** WeChat: the user has no subscription left for this template. Not a failure to retry. */
export const NO_SUBSCRIPTION = 43101;
/**
 * Answers that no retry can change: 40003 invalid openid, 40036/40037 invalid template id, 41030
 * invalid page, 47001/47003 data that does not fit the template, 48001 API not authorised for the
 * mini-program, -604101 the function lacks the openapi permission (config.json, redeploy).
 */
export const PERMANENT_CODES: ReadonlySet<number> = new Set([40003, 40036, 40037, 41030, 47001, 47003, 48001, -604101]);
export const DEFAULT_SEND_TIMEOUT_MS = 5000;

export interface WxSenderOptions {
  /** Where `cloud.openapi` comes from (default: wx-server-sdk, loaded on first use). */
  cloud?: WxCloudSource;
  /** The notices that can be sent; a notice without a template is refused as `permanent`. */
  templates: Readonly<TemplateConfigs>;
  /** Which version of the mini-program the message opens (MINIPROGRAM_STATE; default formal). */
  miniprogramState?: MiniprogramState;
  timeoutMs?: number;
}

/**
 * The last guard before WeChat, by field type (the key's prefix): `thing` ≤ 20 characters,
 * `character_string` ≤ 32 of letters, digits and symbols, `phrase` ≤ 5 Chinese characters only.
 * `templateData` already fits each keyword's type; this guard keeps a stray '…' out of `phrase`
 * and `character_string`, which do not accept it.
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

/** A failure of the WeChat call as a SendError: 43101 → no-subscription, PERMANENT_CODES → permanent, a timeout → timeout, the rest → other. */
export function toSendError(e: unknown): SendError {
  if (e instanceof SendError) return e;
  if (e instanceof Timeout) return new SendError('timeout', 'timeout', e.message, { cause: e });
  const err = (e ?? {}) as { errCode?: unknown; errcode?: unknown; code?: unknown; errMsg?: unknown; message?: unknown };
  const message = String(err.errMsg ?? err.message ?? e);
  let code: number | string | undefined = [err.errCode, err.errcode, err.code].find((c): c is number | string => typeof c === 'number' || (typeof c === 'string' && c !== ''));
  const inText = /errCode:\s*(-?\d+)/.exec(message);
  if (code === undefined && inText) code = Number(inText[1]);
  if (code === NO_SUBSCRIPTION || code === String(NO_SUBSCRIPTION)) return new SendError(NO_SUBSCRIPTION, 'no-subscription', message, { cause: e });
  const numeric = typeof code === 'number' ? code : typeof code === 'string' && /^-?\d+$/.test(code) ? Number(code) : undefined;
  if (numeric !== undefined && PERMANENT_CODES.has(numeric)) return new SendError(numeric, 'permanent', message, { cause: e });
  if (typeof code === 'string' && /^(ETIMEDOUT|ESOCKETTIMEDOUT|ECONNABORTED)$/.test(code)) return new SendError(code, 'timeout', message, { cause: e });
  return new SendError(code ?? 'unknown', 'other', message, { cause: e });
}

/**
 * The Sender over WeChat subscription messages (`cloud.openapi.subscribeMessage.send` of
 * wx-server-sdk). One attempt per call, bounded by `timeoutMs`; the Notifier records and retries.
 */
export class WxSubscribeSender implements Sender {
  private readonly cloud: WxCloudSource | undefined;
  private readonly templates: Readonly<TemplateConfigs>;
  private readonly state: MiniprogramState;
  private readonly timeoutMs: number;

  constructor(options: WxSenderOptions) {
    this.cloud = options.cloud;
    this.templates = options.templates;
    this.state = options.miniprogramState ?? 'formal';
    this.timeoutMs = options.timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;
  }

  async send(to: Recipient, notice: Notice): Promise<void> {
    if (!to.openid) throw new SendError('no-openid', 'no-subscription', `user ${to.userId} has no WeChat openid`);
    const template = this.templates[notice.template];
    if (!template) throw new SendError('no-template', 'permanent', `no subscription template configured for ${notice.template} (${TEMPLATE_ENV[notice.template]})`);
    try {
      const { openapi } = await resolveWxCloud(this.cloud);
      const res = await withTimeout(
        openapi.subscribeMessage.send({
          touser: to.openid,
          templateId: template.id,
          page: notice.page.replace(/^\//, ''),
          data: fitFieldLimits(templateData(notice, template.keywords)),
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

/** MINIPROGRAM_STATE: which version a message opens (formal unless set); anything else is refused, named. */
export function miniprogramStateFromEnv(env: NodeJS.ProcessEnv = process.env): { state: MiniprogramState; problem?: string } {
  const raw = env.MINIPROGRAM_STATE?.trim();
  if (!raw) return { state: 'formal' };
  if ((MINIPROGRAM_STATES as readonly string[]).includes(raw)) return { state: raw as MiniprogramState };
  return { state: 'formal', problem: `MINIPROGRAM_STATE="${raw}" is not one of ${MINIPROGRAM_STATES.join(', ')}; messages open the formal version` };
}

/**
 * The sender for a deployed function: templates from TPL_* / TPL_*_KEYS, the version from
 * MINIPROGRAM_STATE. Logs one line of what is configured and one warning per notice that will not
 * be sent; never throws, so a missing template never takes a function down.
 */
export function wxSenderFromEnv(env: NodeJS.ProcessEnv = process.env, log: Pick<Console, 'log' | 'warn'> = console): WxSubscribeSender {
  const reading = readTemplates(env);
  const { state, problem } = miniprogramStateFromEnv(env);
  log.log(`${templateReport(reading)}; messages open the ${state} version`);
  for (const p of [...reading.problems, ...(problem ? [problem] : [])]) log.warn(`[templates] ${p}`);
  return new WxSubscribeSender({ templates: reading.templates, miniprogramState: state });
}
