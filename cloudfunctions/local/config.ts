import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/** The local runtime's settings, from the environment. */
export interface LocalConfig {
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
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): LocalConfig {
  const port = Number(env.PORT ?? 3000);
  const host = env.HOST ?? '127.0.0.1';
  const dataDir = path.resolve(env.DATA_DIR ?? path.join(process.cwd(), 'data'));
  fs.mkdirSync(dataDir, { recursive: true });
  const secretFile = path.join(dataDir, 'secret.key');
  if (!env.SECRET && !fs.existsSync(secretFile)) fs.writeFileSync(secretFile, randomBytes(32).toString('hex'), { mode: 0o600 });
  const secret = env.SECRET ?? fs.readFileSync(secretFile, 'utf8').trim();
  return {
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
  };
}
