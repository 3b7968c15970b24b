import { loadConfig } from './config';
import { createLocalDeps } from './localDeps';
import { seedIfEmpty, DEMO_USERS } from './seed';
import { createServer } from './server';
import { schedule, timerCron } from './cron';
import { runTimer } from '../lib/timer';
import { loadPolicy } from '../lib/policy';

/** `npm start`: the whole system on one machine. */
async function main() {
  const config = loadConfig();
  const deps = createLocalDeps({ dataDir: config.dataDir, secret: config.secret, publicUrl: config.publicUrl });
  const seeded = await seedIfEmpty(deps.directory, deps.clock.now(), config.profile);
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
  console.log(`码上反映 local runtime listening on ${url}`);
  console.log(`  data:    ${config.dataDir}${seeded ? ' (demo data seeded)' : ''}`);
  console.log(`  profile: ${profile.id} — ${profile.regulation}`);
  console.log(`  timer:   ${config.timers ? expr : 'off'} (cloudfunctions/timer/config.json)`);
  console.log('  demo logins (choose one on the home page, or POST /api/auth {"action":"login","userId":...}):');
  for (const u of DEMO_USERS) console.log(`    ${u.id.padEnd(16)} ${u.roles.join(',').padEnd(9)} ${u.name}`);
  console.log(`  QR entry example: ${url}/?scene=park-binhe`);
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
