import { ConfigError, loadConfig } from './config';
import { createLocalDeps, localAuthSettings } from './localDeps';
import { drainEffects } from '../lib/effects';
import { seedIfEmpty, seedProductionIfEmpty, DEMO_USERS } from './seed';
import { createServer } from './server';
import { schedule, timerCron } from './cron';
import { runTimer } from '../lib/timer';
import { loadPolicy } from '../lib/policy';
import { jsonLogger, silentLogger } from './ops/log';
import { RuntimeMetrics, TimerWatch } from './ops/metrics';
import { gracefulStop } from './ops/shutdown';
import { scheduleBackups } from './ops/backup';
import { noticeSenderFromEnv } from '../adapters/notices/fromConfig';
import { DeliveringNotifier } from '../lib/delivery';
import { GroupCommit } from '../adapters/sqlite/groupCommit';

/** `npm start` (the demo) and `npm run serve` (production, MODE=production): the whole system on one machine. */
async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    console.error(`码上反映 refuses to start: ${e.message}`);
    console.error('  see README "Running it for real"');
    process.exit(1);
  }
  const deps = createLocalDeps({ dataDir: config.dataDir, secret: config.secret, publicUrl: config.publicUrl });
  deps.auth = localAuthSettings(config, deps);
  const notices = noticeSenderFromEnv(process.env, { directory: deps.directory, ...(config.wechat ? { wechat: config.wechat } : {}), ...(config.sms ? { sms: config.sms } : {}) });
  if (notices.sender) deps.notifier = new DeliveringNotifier(deps.directory, notices.sender, () => deps.clock.now());
  // A request answers once its commit is durable; its notices are delivered right after, in the background.
  deps.drain = 'background';
  const seeded = config.production ? await seedProductionIfEmpty(deps.directory, config.profile) : await seedIfEmpty(deps.directory, deps.clock.now(), config.profile);
  const expr = timerCron();
  const log = jsonLogger();
  const watch = config.timers ? new TimerWatch(expr) : null;
  const metrics = new RuntimeMetrics({ db: deps.db, timer: watch });
  const server = createServer(deps, config, { logger: config.logRequests === false ? silentLogger : log, metrics });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const job = watch ? schedule(expr, () => watch.run(() => runTimer(deps, deps.ids.id('run')))) : null;
  void server.statics.warm();
  // Notices a killed process had committed but not delivered go out now, not at the next timer run.
  void drainEffects(deps).catch(() => undefined);
  const backups = config.backup ? scheduleBackups({ dataDir: config.dataDir, backupDir: config.backup.dir, keep: config.backup.keep, cron: config.backup.cron, source: deps.db, log: (level, msg, fields) => log.log(level, msg, fields) }) : null;
  const { profile } = await loadPolicy(deps.directory, deps.clock.now());
  const port = (server.address() as { port: number }).port;
  const url = config.publicUrl.replace(`:${config.port}`, `:${port}`);
  // PORT=0 binds a free port: posters must encode the real one.
  if (!process.env.PUBLIC_URL) deps.publicUrl = url;
  console.log(`码上反映 ${config.production ? 'production server' : 'local runtime'} listening on ${url}`);
  console.log(`  data:    ${config.dataDir}${seeded ? (config.production ? ' (new, empty)' : ' (demo data seeded)') : ''}`);
  console.log(`  profile: ${profile.id} — ${profile.regulation}`);
  console.log(`  timer:   ${config.timers ? expr : 'off'} (cloudfunctions/timer/config.json)`);
  console.log(`  sign-in: password${config.production ? ' + TOTP for operators' : ''}; SMS ${config.sms?.provider ?? 'off'}; WeChat code exchange ${config.wechat ? 'on' : 'off'}`);
  if (config.production) {
    const operators = (await deps.directory.listUsers({ role: 'operator' })).length;
    if (operators === 0) {
      console.log('  No operator yet. Create the first one on this machine (same DATA_DIR):');
      console.log('    DATA_DIR=' + config.dataDir + ' npm run admin -- create-operator --login <account> --name <姓名>');
      console.log('  It asks for a password and prints the TOTP secret to add to an authenticator app.');
    } else {
      console.log(`  operators: ${operators}`);
    }
  } else {
    console.log('  demo logins (演示: choose one on the home page, or POST /api/auth {"action":"login","userId":...}):');
    for (const u of DEMO_USERS) console.log(`    ${u.id.padEnd(16)} ${u.roles.join(',').padEnd(9)} ${u.name}`);
    console.log(`  QR entry example: ${url}/?scene=park-binhe`);
  }
  for (const line of notices.lines) console.log(`  ${line}`);
  log.log('info', 'listening', { url, pid: process.pid, profile: profile.id, timer: config.timers ? expr : 'off', trustProxy: config.trustProxy || 'none' });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.log('info', 'stopping', { signal, inFlight: server.draining.inFlight, timerRunning: watch?.running ?? false });
    const report = await gracefulStop(server, server.draining, { stopSchedule: () => job?.stop(), timer: watch, graceMs: config.shutdownGraceMs ?? 20_000 });
    watch?.stop();
    await backups?.();
    // Writes asked for by a drain still running are committed before the connection closes.
    await GroupCommit.of(deps.db).flushed();
    deps.db.close();
    log.log('info', 'stopped', { signal, ...report });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
