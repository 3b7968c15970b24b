import { DomainError, type ErrorCode } from '../../../shared/errors';
import type { WeChatCodeExchange } from '../../lib/accounts';

/**
 * WeChat `auth.code2Session` (GET /sns/jscode2session): the code from `wx.login` for the caller's
 * OPENID, with the mini-program's app id and secret. `baseUrl` is configurable so tests run this
 * code against a fake WeChat server on 127.0.0.1.
 */
export interface WeChatConfig {
  appId: string;
  appSecret: string;
  baseUrl?: string;
  timeoutMs?: number;
}

/** WeChat's answers and what the caller is told. */
const ERRORS: Record<number, ErrorCode> = {
  40029: 'wx-code-invalid', // invalid code (also a code issued to another app id)
  40163: 'wx-code-used', // code been used
  45011: 'wx-rate-limited', // api minute-quota reach limit
  40226: 'wx-code-invalid', // high risk user: WeChat refuses the sign-in
  [-1]: 'wx-unavailable', // system busy
};

export class WeChatCode2Session implements WeChatCodeExchange {
  constructor(private readonly config: WeChatConfig, private readonly log: (line: string) => void = (l) => console.error(l)) {}

  async code2session(code: string): Promise<{ openid: string; unionid?: string }> {
    const c = this.config;
    const url = new URL('/sns/jscode2session', c.baseUrl ?? 'https://api.weixin.qq.com');
    url.search = new URLSearchParams({ appid: c.appId, secret: c.appSecret, js_code: code, grant_type: 'authorization_code' }).toString();
    let body: { openid?: unknown; unionid?: unknown; errcode?: unknown; errmsg?: unknown };
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(c.timeoutMs ?? 5000) });
      body = (await res.json()) as typeof body;
    } catch (e) {
      this.log(`[wechat] jscode2session unreachable: ${e instanceof Error ? e.message : String(e)}`);
      throw new DomainError('wx-unavailable');
    }
    const errcode = typeof body.errcode === 'number' ? body.errcode : 0;
    if (errcode !== 0) {
      const known = ERRORS[errcode];
      // 40013 invalid appid, 40125 invalid secret and the like: the server's configuration, not the user's fault.
      if (!known) this.log(`[wechat] jscode2session errcode ${errcode}: ${String(body.errmsg ?? '')}`);
      throw new DomainError(known ?? 'wx-unavailable');
    }
    if (typeof body.openid !== 'string' || !/^[A-Za-z0-9_-]{6,64}$/.test(body.openid)) {
      this.log('[wechat] jscode2session answered without an openid');
      throw new DomainError('wx-unavailable');
    }
    return { openid: body.openid, ...(typeof body.unionid === 'string' ? { unionid: body.unionid } : {}) };
  }
}
