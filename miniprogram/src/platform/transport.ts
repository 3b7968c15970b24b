/**
 * Calling cloud functions: `{ action, ...args }` in, an envelope out. weapp calls through
 * `Taro.cloud.callFunction` (the caller is known by OPENID); h5 posts to the local runtime's
 * `/api/<name>` with the session's Bearer token.
 */
import Taro from '@tarojs/taro';
import { IS_WEAPP } from './env';
import { networkError } from './errors';
import { initPlatform } from './startup';
import { getToken } from './storage';

declare const API_BASE: string;

/** Where the h5 build finds the runtime's `/api` (empty: the same origin). */
export function apiBase(): string {
  return typeof API_BASE === 'string' ? API_BASE : '';
}

/** The raw envelope a function returns: `{ ok: true, data } | { ok: false, code, message }`. */
export type Envelope = { ok: true; data: unknown } | { ok: false; code: string; message: string; issues?: unknown };

export function isEnvelope(v: unknown): v is Envelope {
  return !!v && typeof v === 'object' && typeof (v as { ok?: unknown }).ok === 'boolean';
}

/**
 * Calls a cloud function with `{ action, ...args }` and returns its envelope.
 * Throws PlatformError('network') when the request never reached the function.
 */
export async function callFunction(name: string, data: Record<string, unknown>): Promise<Envelope> {
  if (IS_WEAPP) {
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
