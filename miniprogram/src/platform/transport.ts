/**
 * Calling cloud functions: `{ action, ...args }` in, an envelope out. The one place that picks how:
 * - `cloud`: weapp on CloudBase, `Taro.cloud.callFunction` (the caller is known by OPENID);
 * - `weapp-https`: weapp built with TARO_APP_API_BASE=https://… against a self-hosted server:
 *   `Taro.request` with the session's Bearer token, the session from `wx.login` → `auth.wxLogin`
 *   (the server exchanges the code at WeChat's jscode2session);
 * - `fetch`: h5, posting to the runtime's `/api/<name>` with the session's Bearer token.
 */
import Taro from '@tarojs/taro';
import { IS_WEAPP } from './env';
import { networkError } from './errors';
import { initPlatform } from './startup';
import { getToken, setToken } from './storage';

declare const API_BASE: string;

/** Where the h5 build finds the runtime's `/api` (empty: the same origin). */
export function apiBase(): string {
  return typeof API_BASE === 'string' ? API_BASE : '';
}

export type TransportKind = 'cloud' | 'weapp-https' | 'fetch';
/** 背景: a county's own server cannot use wx.cloud; a weapp built with an API base talks HTTPS to it instead. */
export const TRANSPORT: TransportKind = IS_WEAPP ? (apiBase() ? 'weapp-https' : 'cloud') : 'fetch';

/** The raw envelope a function returns: `{ ok: true, data } | { ok: false, code, message }`. */
export type Envelope = { ok: true; data: unknown } | { ok: false; code: string; message: string; issues?: unknown; data?: unknown };

export function isEnvelope(v: unknown): v is Envelope {
  return !!v && typeof v === 'object' && typeof (v as { ok?: unknown }).ok === 'boolean';
}

/**
 * Calls a cloud function with `{ action, ...args }` and returns its envelope.
 * Throws PlatformError('network') when the request never reached the function.
 */
export async function callFunction(name: string, data: Record<string, unknown>): Promise<Envelope> {
  if (TRANSPORT === 'weapp-https') return callOverHttps(name, data);
  if (TRANSPORT === 'cloud') {
    initPlatform();
    try {
      const res = await Taro.cloud.callFunction({ name, data });
      // 背景: callFunction resolves with `{ result, errMsg, requestID }`; the function's return value is `result`.
      // 复现路径: log `res` of any call; `res.ok` is undefined, `res.result.ok` is the envelope.
      const result = (res as { result?: unknown }).result;
      if (isEnvelope(result)) return result;
      return { ok: false, code: 'internal', message: '系统繁忙，请稍后再试' };
    } catch (err) {
      // 背景: an unreachable network and a crashed function both reject; only errCode -1 / "timeout" / "fail" without a function error are the network.
      // 复现路径: DevTools → Network: Offline → callFunction rejects with "cloud.callFunction:fail ... request:fail".
      const msg = String((err as { errMsg?: string; message?: string })?.errMsg ?? (err as Error)?.message ?? '');
      if (/request:fail|timeout|network|offline|ERR_/i.test(msg)) throw networkError();
      return { ok: false, code: 'internal', message: '系统繁忙，请稍后再试' };
    }
  }
  const token = getToken();
  let res: Response;
  try {
    res = await fetch(`${apiBase()}/api/${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(data),
    });
  } catch {
    // 背景: fetch rejects (TypeError) only when the request could not be made: offline, DNS, refused.
    // 复现路径: DevTools → Network → Offline, then any call.
    throw networkError();
  }
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (isEnvelope(body)) return body;
  // 背景: a proxy or the dev server answers 502/504 with HTML while the runtime restarts.
  if (res.status >= 500 || res.status === 0) throw networkError();
  return { ok: false, code: 'internal', message: '系统繁忙，请稍后再试' };
}

/** One POST to the self-hosted server from weapp; rejects with networkError when it never arrived. */
async function requestOverHttps(name: string, data: Record<string, unknown>, token: string | null): Promise<Envelope> {
  let res: { statusCode: number; data: unknown };
  try {
    // 背景: wx.request needs the server's domain on the mini-program's request whitelist (HTTPS, ICP-filed).
    // 复现路径: an unlisted domain fails with "url not in domain list" before any request is sent.
    res = (await Taro.request({
      url: `${apiBase()}/api/${encodeURIComponent(name)}`,
      method: 'POST',
      header: { 'content-type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      data,
      timeout: 20000,
    })) as unknown as { statusCode: number; data: unknown };
  } catch {
    throw networkError();
  }
  if (isEnvelope(res.data)) return res.data;
  if (res.statusCode >= 500 || res.statusCode === 0) throw networkError();
  return { ok: false, code: 'internal', message: '系统繁忙，请稍后再试' };
}

let signingIn: Promise<Envelope> | null = null;

/** wx.login → auth.wxLogin: the server exchanges the code for the OPENID and answers with a session token. */
function wxSignIn(): Promise<Envelope> {
  signingIn ??= (async () => {
    let code: string;
    try {
      code = (await Taro.login()).code;
    } catch {
      throw networkError();
    }
    const r = await requestOverHttps('auth', { action: 'wxLogin', code }, null);
    if (r.ok) setToken((r.data as { token: string }).token);
    return r;
  })().finally(() => {
    signingIn = null;
  });
  return signingIn;
}

async function callOverHttps(name: string, data: Record<string, unknown>): Promise<Envelope> {
  if (!getToken()) {
    const signed = await wxSignIn();
    if (!signed.ok) return signed;
  }
  const first = await requestOverHttps(name, data, getToken());
  // An expired or revoked session: sign in again once and repeat the call.
  if (!first.ok && first.code === 'token-invalid') {
    setToken(null);
    const signed = await wxSignIn();
    if (!signed.ok) return signed;
    return requestOverHttps(name, data, getToken());
  }
  return first;
}
