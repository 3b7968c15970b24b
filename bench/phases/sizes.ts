/**
 * (6) sizes: the weapp main package and each subpackage (from miniprogram/dist/weapp, never built
 * here), each cloud-function bundle (built by scripts/build-functions.ts), and the cold `require`
 * of each bundle in a fresh Node process, copied outside the repository so nothing resolves
 * from the project's node_modules (median of 5).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { build } from 'esbuild';
import { builtinModules } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, removeDir, tempDir } from '../lib/env';

export interface PackageSize {
  name: string;
  bytes: number;
  files: number;
}

export interface BundleSize {
  name: string;
  bytes: number;
  requireMs: number[];
  medianMs: number;
  /** Non-builtin modules the bundle still requires at run time. */
  externals: string[];
  error?: string;
}

export interface SizesResult {
  weapp: { built: boolean; builtAt?: string; packages: PackageSize[] };
  bundles: BundleSize[];
  /** Each SDK bundled alone with the same options: the floor of a bundle's cold require. */
  sdkFloors: { sdk: string; bytes: number; medianMs: number }[];
  /** What one bundle is made of (esbuild metafile, same options as build-functions): KB per package. */
  composition: { fn: string; bytes: number; top: { input: string; bytes: number }[] } | null;
  buildError?: string;
  buildMs: number;
}

const NOT_UPLOADED = new Set(['project.config.json', 'project.private.config.json']);

function walk(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) walk(full, out);
    else out.push(full);
  }
  return out;
}

/** The same split as scripts/package-sizes.js: a file belongs to the subpackage whose root holds it. */
export function weappSizes(dist = path.join(ROOT, 'miniprogram', 'dist', 'weapp')): SizesResult['weapp'] {
  const appJson = path.join(dist, 'app.json');
  if (!fs.existsSync(appJson)) return { built: false, packages: [] };
  const app = JSON.parse(fs.readFileSync(appJson, 'utf8')) as { subPackages?: { root: string }[]; subpackages?: { root: string }[] };
  const roots = (app.subPackages ?? app.subpackages ?? []).map((p) => p.root.replace(/^\/+|\/+$/g, ''));
  const sizes = new Map<string, PackageSize>([['main', { name: 'main', bytes: 0, files: 0 }], ...roots.map((r) => [r, { name: r, bytes: 0, files: 0 }] as [string, PackageSize])]);
  for (const file of walk(dist)) {
    const rel = path.relative(dist, file).split(path.sep).join('/');
    if (NOT_UPLOADED.has(rel)) continue;
    const owner = roots.find((r) => rel === r || rel.startsWith(`${r}/`)) ?? 'main';
    const s = sizes.get(owner)!;
    s.bytes += fs.statSync(file).size;
    s.files += 1;
  }
  return { built: true, builtAt: fs.statSync(appJson).mtime.toISOString(), packages: [...sizes.values()] };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** `require(file)` in 5 fresh Node processes, timed inside the process (startup excluded). */
function coldRequire(file: string): { ms: number[]; error?: string } {
  const ms: number[] = [];
  for (let i = 0; i < 5; i++) {
    const r = spawnSync(process.execPath, ['-e', `const t=process.hrtime.bigint();require(${JSON.stringify(file)});console.log(Number(process.hrtime.bigint()-t)/1e6)`], {
      cwd: path.dirname(file),
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    if (r.status !== 0) return { ms, error: (r.stderr || '').split('\n').find((l) => /Error/.test(l))?.trim() ?? `exit ${r.status}` };
    ms.push(Number(r.stdout.trim().split('\n').pop()));
  }
  return { ms };
}

const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

export async function runSizes(log: (s: string) => void): Promise<SizesResult> {
  const weapp = weappSizes();
  if (weapp.built) for (const p of weapp.packages) log(`  weapp ${p.name === 'main' ? 'main package' : p.name}: ${(p.bytes / 1024).toFixed(1)} KB (${p.files} files)`);
  else log('  weapp: not built — run npm run build:weapp');

  const out: SizesResult = { weapp, bundles: [], sdkFloors: [], composition: null, buildMs: 0 };
  const t0 = performance.now();
  try {
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-functions.ts'], { cwd: ROOT, stdio: 'pipe', encoding: 'utf8' });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    out.buildError = (err.stderr || err.stdout || err.message).trim().split('\n').slice(0, 6).join('\n');
    log(`  build:functions reported: ${out.buildError}`);
  }
  out.buildMs = performance.now() - t0;
  const distDir = path.join(ROOT, 'dist', 'cloudfunctions');
  if (!fs.existsSync(distDir)) return out;

  const scratch = tempDir('bundles');
  try {
    for (const name of fs.readdirSync(distDir).sort()) {
      const file = path.join(distDir, name, 'index.js');
      if (!fs.existsSync(file)) continue;
      const text = fs.readFileSync(file, 'utf8');
      const externals = [...new Set([...text.matchAll(/require\("([^"./][^"]*)"\)/g)].map((m) => m[1]!).filter((m) => !builtins.has(m) && !builtins.has(m.split('/')[0]!)))].sort();
      // Outside the repository: a deployed function has only its own folder.
      const copy = path.join(scratch, name);
      fs.mkdirSync(copy, { recursive: true });
      fs.copyFileSync(file, path.join(copy, 'index.js'));
      const target = path.join(copy, 'index.js');
      const b: BundleSize = { name, bytes: fs.statSync(file).size, requireMs: [], medianMs: NaN, externals };
      const timed = coldRequire(target);
      b.requireMs = timed.ms;
      b.medianMs = timed.ms.length ? median(timed.ms) : NaN;
      if (timed.error) b.error = timed.error;
      out.bundles.push(b);
      log(`  bundle ${name}: ${(b.bytes / 2 ** 20).toFixed(2)} MB, cold require ${b.error ? `failed: ${b.error}` : `${b.medianMs.toFixed(0)} ms (median of 5)`}${externals.length ? `; requires at run time: ${externals.join(', ')}` : ''}`);
    }
    for (const sdk of ['@cloudbase/node-sdk', 'wx-server-sdk']) {
      const entry = path.join(scratch, `${sdk.replace(/\W/g, '_')}-entry.js`);
      fs.writeFileSync(entry, `module.exports = require(${JSON.stringify(sdk)});\n`);
      const outfile = path.join(scratch, `${sdk.replace(/\W/g, '_')}-alone`, 'index.js');
      await build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node16', minify: true, legalComments: 'none', logLevel: 'error', nodePaths: [path.join(ROOT, 'node_modules')] });
      const timed = coldRequire(outfile);
      out.sdkFloors.push({ sdk, bytes: fs.statSync(outfile).size, medianMs: timed.ms.length ? median(timed.ms) : NaN });
      log(`  ${sdk} bundled alone: ${(fs.statSync(outfile).size / 2 ** 20).toFixed(2)} MB, cold require ${median(timed.ms).toFixed(0)} ms`);
    }
    out.composition = await composition('resident', scratch);
    log(`  resident bundle by package: ${out.composition.top.slice(0, 6).map((t) => `${t.input} ${(t.bytes / 1024).toFixed(0)} KB`).join(', ')}`);
  } finally {
    removeDir(scratch);
  }
  return out;
}

/** Bytes in the output per package (or per top folder of our own code). */
async function composition(fn: string, dir: string): Promise<NonNullable<SizesResult['composition']>> {
  const r = await build({
    entryPoints: [path.join(ROOT, 'cloudfunctions', fn, 'index.ts')],
    outfile: path.join(dir, `${fn}-meta.js`),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node16',
    minify: true,
    metafile: true,
    legalComments: 'none',
    logLevel: 'error',
    external: ['better-sqlite3'],
    absWorkingDir: ROOT,
  });
  const output = Object.values(r.metafile.outputs)[0]!;
  const by = new Map<string, number>();
  for (const [file, v] of Object.entries(output.inputs)) {
    const m = file.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
    const key = m ? m[1]! : file.split('/').slice(0, 2).join('/');
    by.set(key, (by.get(key) ?? 0) + v.bytesInOutput);
  }
  return { fn, bytes: output.bytes, top: [...by].map(([input, bytes]) => ({ input, bytes })).sort((a, b) => b.bytes - a.bytes).slice(0, 12) };
}
