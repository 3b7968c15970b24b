/**
 * The mini-program's access token from WeChat's HTTPS API (`POST /cgi-bin/stable_token`, which
 * unlike `/cgi-bin/token` does not invalidate the token other services of the same app hold, e.g.
 * the CloudBase functions). Cached until 5 minutes before it expires, fetched once however many
 * senders ask at the same moment, and dropped when WeChat says it is invalid (40001/42001/40014).
 */
export interface AccessTokenOptions {
  appId: string;
  appSecret: string;
  /** https://api.weixin.qq.com by default; tests point it at a fake on 127.0.0.1. */
  baseUrl?: string;
  timeoutMs?: number;
  now?: () => number;
}

export class WeChatApiError extends Error {
  constructor(readonly errcode: number | string, message: string) {
    super(`WeChat ${errcode}: ${message}`);
    this.name = 'WeChatApiError';
  }
}

/** WeChat's "this token is not (or no longer) valid" answers. */
export const INVALID_TOKEN_CODES: ReadonlySet<number> = new Set([40001, 40014, 42001]);
const EARLY_MS = 5 * 60_000;

export class AccessTokenCache {
  private token: { value: string; expiresAt: number } | null = null;
  private inFlight: Promise<string> | null = null;
  /** How many times a token was fetched (for /metrics and tests). */
  fetches = 0;

  constructor(private readonly o: AccessTokenOptions) {}

  private now(): number {
    return (this.o.now ?? Date.now)();
  }

  get baseUrl(): string {
    return (this.o.baseUrl ?? 'https://api.weixin.qq.com').replace(/\/$/, '');
  }

  async get(): Promise<string> {
    if (this.token && this.now() < this.token.expiresAt) return this.token.value;
    this.inFlight ??= this.fetch().finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  /** Forgets `value` if it is the cached one (a newer token fetched meanwhile is kept). */
  invalidate(value: string): void {
    if (this.token?.value === value) this.token = null;
  }

  private async fetch(): Promise<string> {
    this.fetches++;
    const res = await fetch(`${this.baseUrl}/cgi-bin/stable_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credential', appid: this.o.appId, secret: this.o.appSecret, force_refresh: false }),
      signal: AbortSignal.timeout(this.o.timeoutMs ?? 5000),
    });
    const body = (await res.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; errcode?: number; errmsg?: string };
    if (!body.access_token) throw new WeChatApiError(body.errcode ?? `HTTP ${res.status}`, body.errmsg ?? 'no access_token');
    const ttlMs = Math.max(60, Number(body.expires_in ?? 7200)) * 1000;
    this.token = { value: body.access_token, expiresAt: this.now() + Math.max(ttlMs - EARLY_MS, ttlMs / 2) };
    return body.access_token;
  }
}
