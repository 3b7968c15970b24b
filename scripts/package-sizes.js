#!/usr/bin/env node
/**
 * Prints the size of the weapp main package and of each subpackage against WeChat's 2 MB limit,
 * and exits non-zero when one is over. Reads miniprogram/dist/weapp (run after `taro build --type weapp`).
 * Usage: node scripts/package-sizes.js [distDir]
 */
const fs = require('node:fs');
const path = require('node:path');

const LIMIT = 2 * 1024 * 1024;
// Files DevTools does not put in the code package.
const NOT_UPLOADED = new Set(['project.config.json', 'project.private.config.json']);

const dist = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'miniprogram', 'dist', 'weapp'));
const appJson = path.join(dist, 'app.json');
if (!fs.existsSync(appJson)) {
  console.error(`package-sizes: ${appJson} not found; build first with npm run build:weapp`);
  process.exit(2);
}

const app = JSON.parse(fs.readFileSync(appJson, 'utf8'));
const roots = (app.subPackages ?? app.subpackages ?? []).map((p) => p.root.replace(/^\/+|\/+$/g, ''));

function walk(dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else out.push(full);
  }
  return out;
}

const sizes = new Map([['main', { bytes: 0, files: 0 }], ...roots.map((r) => [r, { bytes: 0, files: 0 }])]);
for (const file of walk(dist)) {
  const rel = path.relative(dist, file).split(path.sep).join('/');
  if (NOT_UPLOADED.has(rel)) continue;
  const owner = roots.find((r) => rel === r || rel.startsWith(`${r}/`)) ?? 'main';
  const s = sizes.get(owner);
  s.bytes += fs.statSync(file).size;
  s.files += 1;
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
let total = 0;
let over = false;
console.log('\nweapp package sizes (limit 2048.0 KB each)');
for (const [name, s] of sizes) {
  total += s.bytes;
  const pct = ((s.bytes / LIMIT) * 100).toFixed(1);
  const bad = s.bytes > LIMIT;
  over = over || bad;
  console.log(`  ${bad ? '✖' : '✔'} ${(name === 'main' ? 'main package' : name).padEnd(18)} ${kb(s.bytes).padStart(10)}  ${pct.padStart(5)}%  (${s.files} files)`);
}
console.log(`    ${'total'.padEnd(18)} ${kb(total).padStart(10)}`);
if (over) {
  console.error('\npackage-sizes: a package is over WeChat’s 2 MB limit; move pages into a subpackage or trim dependencies.');
  process.exit(1);
}
