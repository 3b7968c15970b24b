#!/usr/bin/env node
/*
 * `npm start`: builds the H5 app if it is missing, then runs the local runtime (SQLite, timers, outbox)
 * with demo users and data. `npm run serve` (--production): the same server in production mode
 * (MODE=production): no demo users or logins, SECRET required, operators sign in with TOTP.
 */
const { spawnSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const h5Index = path.join(process.env.H5_DIR || path.join(root, 'miniprogram', 'dist', 'h5'), 'index.html');
if (!fs.existsSync(h5Index) && process.env.SKIP_H5_BUILD !== '1') {
  console.log('H5 build missing: running `npm run build:h5` once (about a minute)…');
  const r = spawnSync('npm', ['run', 'build:h5'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('H5 build failed; the API still starts, the app page will say it is not built.');
  }
}
const env = process.argv.includes('--production') ? { ...process.env, MODE: 'production' } : process.env;
const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'cloudfunctions', 'local', 'main.ts')], { cwd: root, stdio: 'inherit', env });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
