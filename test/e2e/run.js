#!/usr/bin/env node
/* `npm run test:e2e`: browser tests against the local runtime serving the H5 build, in Debian's chromium. */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { findChromium } = require('./chromium');

const root = path.join(__dirname, '..', '..');
const chromium = findChromium();
if (!chromium) {
  console.error([
    'Browser tests need Chromium, which is not installed.',
    'Install it with Debian\'s package manager:',
    '  apt-get update && apt-get install -y chromium',
    '(or set CHROMIUM_PATH to a Chromium/Chrome binary). Playwright cannot download browsers here.',
  ].join('\n'));
  process.exit(1);
}
const h5 = path.join(root, 'miniprogram', 'dist', 'h5', 'index.html');
if (!fs.existsSync(h5) || process.env.E2E_REBUILD === '1') {
  console.log('Building the H5 app for the browser tests…');
  const b = spawnSync('npm', ['run', 'build:h5'], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status || 1);
}
const r = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), '-c', path.join(__dirname, 'jest.e2e.config.js'), '--runInBand', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, CHROMIUM_PATH: chromium },
});
process.exit(r.status ?? 1);
