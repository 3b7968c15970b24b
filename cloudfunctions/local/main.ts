import { ConfigError, loadConfig } from './config';
import { createLocalDeps, localAuthSettings } from './localDeps';
import { seedIfEmpty, seedProductionIfEmpty, DEMO_USERS } from './seed';
import { createServer } from './server';
import { schedule, timerCron } from './cron';
import { runTimer } from '../lib/timer';
import { loadPolicy } from '../lib/policy';

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
  const seeded = config.production ? await seedProductionIfEmpty(deps.directory, config.profile) : await seedIfEmpty(deps.directory, deps.clock.now(), config.profile);
  const server = createServer(deps, config);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const expr = timerCron();
  const job = config.timers ? schedule(expr, () => runTimer(deps, deps.ids.id('run'))) : null;
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
  const stop = () => {
    job?.stop();
    server.close();
    deps.db.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
