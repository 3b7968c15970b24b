/**
 * `npm run build:functions`: bundles each cloud function with esbuild into
 * dist/cloudfunctions/<name>/ with index.js, package.json and config.json, and prints the sizes.
 * Also checks that cloudbaserc.json carries the same timer trigger as timer/config.json.
 */
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { RUNTIME, runtimeMajor } from '../cloudfunctions/adapters/cloudbase/deployment';

const root = path.join(__dirname, '..');
const srcDir = path.join(root, 'cloudfunctions');
const outDir = path.join(root, 'dist', 'cloudfunctions');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };

export const FUNCTION_LIMIT_BYTES = 3 * 1024 * 1024;

export function functionNames(): string[] {
  return fs
    .readdirSync(srcDir)
    .filter((d) => fs.existsSync(path.join(srcDir, d, 'index.ts')) && fs.existsSync(path.join(srcDir, d, 'config.json')))
    .sort();
}

function checkTrigger() {
  const rc = JSON.parse(fs.readFileSync(path.join(root, 'cloudbaserc.json'), 'utf8')) as { functions: { name: string; triggers?: { config: string }[] }[] };
  const cfg = JSON.parse(fs.readFileSync(path.join(srcDir, 'timer', 'config.json'), 'utf8')) as { triggers: { config: string }[] };
  const a = rc.functions.find((f) => f.name === 'timer')?.triggers?.[0]?.config;
  const b = cfg.triggers[0]?.config;
  if (a !== b) throw new Error(`cloudbaserc.json timer trigger "${a}" differs from cloudfunctions/timer/config.json "${b}"`);
}

export async function buildFunctions(): Promise<{ name: string; bytes: number }[]> {
  checkTrigger();
  fs.rmSync(outDir, { recursive: true, force: true });
  const out: { name: string; bytes: number }[] = [];
  for (const name of functionNames()) {
    const dir = path.join(outDir, name);
    fs.mkdirSync(dir, { recursive: true });
    await build({
      entryPoints: [path.join(srcDir, name, 'index.ts')],
      outfile: path.join(dir, 'index.js'),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      // The declared CloudBase runtime's Node major (cloudbaserc.json, checked by deploy:check).
      target: `node${runtimeMajor(RUNTIME)}`,
      minify: true,
      sourcemap: false,
      legalComments: 'none',
      logLevel: 'error',
      // The SQLite adapter is never reached from a cloud entry; keep native modules out regardless.
      external: ['better-sqlite3'],
    });
    fs.copyFileSync(path.join(srcDir, name, 'config.json'), path.join(dir, 'config.json'));
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `mashang-${name}`, version: pkg.version, private: true, main: 'index.js' }, null, 2) + '\n');
    out.push({ name, bytes: fs.statSync(path.join(dir, 'index.js')).size });
  }
  return out;
}

if (require.main === module) {
  buildFunctions()
    .then((sizes) => {
      let over = false;
      console.log('function      bundle     limit 3 MB');
      for (const s of sizes) {
        const mb = (s.bytes / 1024 / 1024).toFixed(2);
        const ok = s.bytes <= FUNCTION_LIMIT_BYTES;
        over ||= !ok;
        console.log(`${s.name.padEnd(12)} ${mb.padStart(6)} MB  ${ok ? 'ok' : 'OVER'}`);
      }
      console.log(`bundles in ${path.relative(root, outDir)}/`);
      if (over) process.exit(1);
    })
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
