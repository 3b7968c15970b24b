import path from 'node:path';
import { openDatabase, type SqliteDb } from '../adapters/sqlite/db';
import { SqliteTicketStore } from '../adapters/sqlite/ticketStore';
import { SqliteDirectoryStore } from '../adapters/sqlite/directoryStore';
import { LocalFileStore } from '../adapters/local/fileStore';
import { DeliveringNotifier, outboxSender } from '../lib/delivery';
import { DEFAULT_LIMITS, type Deps, type Limits } from '../lib/deps';
import { randomIds } from '../lib/ids';
import type { Clock } from '../../shared/ports';
import type { AuthSettings } from '../lib/accounts';
import { OutboxSmsSender } from '../adapters/sms/outboxSms';
import { TencentSmsSender } from '../adapters/sms/tencentSms';
import { WeChatCode2Session } from '../adapters/wechat/code2session';
import type { LocalConfig } from './config';

/** A clock the dev endpoints may move forward (tests of deadlines); otherwise the system time. */
export class LocalClock implements Clock {
  offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
}

export interface LocalDeps extends Deps {
  db: SqliteDb;
  clock: LocalClock;
}

/** The local runtime's adapters: SQLite, files on disk, the outbox. Picked here and nowhere else. */
export function createLocalDeps(opts: { dataDir: string; secret: string; publicUrl?: string; limits?: Partial<Limits> }): LocalDeps {
  const db = openDatabase(path.join(opts.dataDir, 'mashang.db'));
  const clock = new LocalClock();
  const directory = new SqliteDirectoryStore(db);
  return {
    db,
    clock,
    store: new SqliteTicketStore(db),
    directory,
    files: new LocalFileStore(db, { dir: path.join(opts.dataDir, 'files'), secret: opts.secret }),
    notifier: new DeliveringNotifier(directory, outboxSender, () => clock.now()),
    ids: randomIds,
    limits: { ...DEFAULT_LIMITS, ...opts.limits },
    ...(opts.publicUrl ? { publicUrl: opts.publicUrl } : {}),
  };
}

/** How the local runtime signs people in, from its configuration (README "Running it for real"). */
export function localAuthSettings(config: Pick<LocalConfig, 'production' | 'sms' | 'wechat' | 'bootstrapOpenids'>, deps: Pick<LocalDeps, 'db' | 'clock'>): AuthSettings & { outbox?: OutboxSmsSender } {
  const outbox = config.sms?.provider === 'outbox' ? new OutboxSmsSender(deps.db, () => deps.clock.now()) : undefined;
  const sms = config.sms?.provider === 'tencent' ? new TencentSmsSender(config.sms) : outbox;
  return {
    production: config.production ?? false,
    ...(sms ? { sms } : {}),
    ...(outbox ? { outbox } : {}),
    ...(config.wechat ? { wechat: new WeChatCode2Session(config.wechat) } : {}),
    ...(config.bootstrapOpenids?.length ? { bootstrapOpenids: new Set(config.bootstrapOpenids) } : {}),
  };
}
