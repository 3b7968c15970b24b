import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/** The local runtime's settings, from the environment. */
export interface LocalConfig {
  /** `npm run serve` (MODE=production): no demo users or logins, a secret is required, operators need TOTP. */
  production?: boolean;
  port: number;
  host: string;
  dataDir: string;
  /** The profile for a fresh data directory (later changes go through 管理 → 政策配置). */
  profile?: string;
  secret: string;
  publicUrl: string;
  /** Lets tests move the clock and run the timer at once (never on in production). */
  devClock: boolean;
  /** Run the timer on its cron; off in some tests. */
  timers: boolean;
  h5Dir: string;
  /** Proxies whose X-Forwarded-For/-Proto/X-Request-Id are believed (TRUST_PROXY; none by default). */
  trustProxy?: string;
  /** Who may read /metrics, by real client address (METRICS_ALLOW; default loopback). */
  metricsAllow?: string;
  /** One JSON line per request on stdout (LOG_REQUESTS=0 turns it off). */
  logRequests?: boolean;
  /** How long a stop waits for requests and the timer run before cutting connections (SHUTDOWN_GRACE_MS). */
  shutdownGraceMs?: number;
  /** Scheduled online backups (BACKUP_DIR; none when unset), BACKUP_CRON (default 03:30 daily, Shanghai), BACKUP_KEEP (14). */
  backup?: { dir: string; cron: string; keep: number };
  /** Tencent Cloud SMS for residents' sign-in codes (SMS_PROVIDER=tencent); the demo uses the outbox. */
  sms?: { provider: 'tencent'; secretId: string; secretKey: string; sdkAppId: string; signName: string; templateId: string; region?: string; endpoint?: string } | { provider: 'outbox' };
  /** The weapp's sign-in against this server: app id and secret for jscode2session. */
  wechat?: { appId: string; appSecret: string; baseUrl?: string };
  bootstrapOpenids?: string[];
}

/** A setting the server cannot start without; the message says what to set. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const MIN_SECRET_LENGTH = 32;

function required(env: NodeJS.ProcessEnv, names: string[], what: string): Record<string, string> {
  const missing = names.filter((n) => !env[n]);
  if (missing.length) throw new ConfigError(`${what}: set ${missing.join(', ')}`);
  return Object.fromEntries(names.map((n) => [n, env[n]!]));
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): LocalConfig {
  const production = env.MODE === 'production';
  const port = Number(env.PORT ?? 3000);
  const host = env.HOST ?? '127.0.0.1';
  const dataDir = path.resolve(env.DATA_DIR ?? path.join(process.cwd(), 'data'));
  let secret: string;
  if (production) {
    // No generated fallback: a production secret is chosen, stored and backed up by whoever runs the server.
    if (!env.SECRET || env.SECRET.length < MIN_SECRET_LENGTH) {
      throw new ConfigError(`SECRET is required in production (at least ${MIN_SECRET_LENGTH} characters), e.g. SECRET=$(openssl rand -hex 32)`);
    }
    if (env.DEV_CLOCK === '1') throw new ConfigError('DEV_CLOCK=1 is for tests of the demo only, never in production');
    secret = env.SECRET;
    fs.mkdirSync(dataDir, { recursive: true });
  } else {
    fs.mkdirSync(dataDir, { recursive: true });
    const secretFile = path.join(dataDir, 'secret.key');
    if (!env.SECRET && !fs.existsSync(secretFile)) fs.writeFileSync(secretFile, randomBytes(32).toString('hex'), { mode: 0o600 });
    secret = env.SECRET ?? fs.readFileSync(secretFile, 'utf8').trim();
  }
  let sms: LocalConfig['sms'];
  if (env.SMS_PROVIDER === 'tencent') {
    const r = required(env, ['TENCENTCLOUD_SECRETID', 'TENCENTCLOUD_SECRETKEY', 'SMS_SDK_APP_ID', 'SMS_SIGN_NAME', 'SMS_TEMPLATE_ID'], 'SMS_PROVIDER=tencent');
    sms = {
      provider: 'tencent', secretId: r.TENCENTCLOUD_SECRETID!, secretKey: r.TENCENTCLOUD_SECRETKEY!, sdkAppId: r.SMS_SDK_APP_ID!, signName: r.SMS_SIGN_NAME!, templateId: r.SMS_TEMPLATE_ID!,
      ...(env.SMS_REGION ? { region: env.SMS_REGION } : {}), ...(env.SMS_ENDPOINT ? { endpoint: env.SMS_ENDPOINT } : {}),
    };
  } else if (env.SMS_PROVIDER === 'outbox' || (!production && env.SMS_PROVIDER === undefined)) {
    if (production) throw new ConfigError('SMS_PROVIDER=outbox writes codes to a table instead of phones: demo only');
    sms = { provider: 'outbox' };
  } else if (env.SMS_PROVIDER !== undefined && env.SMS_PROVIDER !== 'none') {
    throw new ConfigError(`SMS_PROVIDER must be tencent, outbox (demo) or none, not ${env.SMS_PROVIDER}`);
  }
  const wechat = env.WX_APPID || env.WX_SECRET ? required(env, ['WX_APPID', 'WX_SECRET'], 'WeChat sign-in') : null;
  return {
    production,
    port,
    host,
    dataDir,
    ...(env.PROFILE ? { profile: env.PROFILE } : {}),
    secret,
    publicUrl: env.PUBLIC_URL ?? `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`,
    devClock: env.DEV_CLOCK === '1',
    timers: env.TIMERS !== '0',
    h5Dir: path.resolve(env.H5_DIR ?? path.join(__dirname, '..', '..', 'miniprogram', 'dist', 'h5')),
    trustProxy: env.TRUST_PROXY ?? '',
    metricsAllow: env.METRICS_ALLOW ?? 'loopback',
    logRequests: env.LOG_REQUESTS !== '0',
    shutdownGraceMs: Number(env.SHUTDOWN_GRACE_MS ?? 20_000),
    ...(env.BACKUP_DIR ? { backup: { dir: path.resolve(env.BACKUP_DIR), cron: env.BACKUP_CRON ?? '0 30 3 * * *', keep: Number(env.BACKUP_KEEP ?? 14) } } : {}),
    ...(sms ? { sms } : {}),
    ...(wechat ? { wechat: { appId: wechat.WX_APPID!, appSecret: wechat.WX_SECRET!, ...(env.WX_API_BASE ? { baseUrl: env.WX_API_BASE } : {}) } } : {}),
    bootstrapOpenids: (env.BOOTSTRAP_OPERATOR_OPENIDS ?? '').split(/[\s,]+/).filter(Boolean),
  };
}
