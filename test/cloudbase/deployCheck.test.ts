/**
 * `npm run deploy:check` on the repository's own cloudbaserc.json and config.json files, and on
 * copies with one thing broken at a time: each problem is named, nothing passes by default.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deployCheck, deploymentVars } from '../../scripts/deploy-check';
import { templateEnv } from './templateFixtures';

const ROOT = path.resolve(__dirname, '..', '..');
const vars = { TCB_ENV: 'prod-1a2b3c', MINIPROGRAM_STATE: 'formal', ...templateEnv() };

let copy: string;

/** A copy of what deploy:check reads: cloudbaserc.json and each function's index.ts + config.json. */
function copyRepo(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mashang-deploycheck-'));
  fs.copyFileSync(path.join(ROOT, 'cloudbaserc.json'), path.join(dir, 'cloudbaserc.json'));
  for (const d of fs.readdirSync(path.join(ROOT, 'cloudfunctions'))) {
    const cfg = path.join(ROOT, 'cloudfunctions', d, 'config.json');
    if (!fs.existsSync(cfg)) continue;
    fs.mkdirSync(path.join(dir, 'cloudfunctions', d), { recursive: true });
    fs.copyFileSync(cfg, path.join(dir, 'cloudfunctions', d, 'config.json'));
    fs.copyFileSync(path.join(ROOT, 'cloudfunctions', d, 'index.ts'), path.join(dir, 'cloudfunctions', d, 'index.ts'));
  }
  return dir;
}

function edit(file: string, change: (json: Record<string, unknown>) => void): void {
  const p = path.join(copy, file);
  const json = JSON.parse(fs.readFileSync(p, 'utf8')) as Record<string, unknown>;
  change(json);
  fs.writeFileSync(p, JSON.stringify(json));
}

type Fn = { name: string; runtime: string; timeout: number; envVariables: Record<string, string>; triggers?: { config: string }[] };
const fns = (rc: Record<string, unknown>) => rc.functions as Fn[];
const fn = (rc: Record<string, unknown>, name: string) => fns(rc).find((f) => f.name === name)!;

beforeEach(() => {
  copy = copyRepo();
});

afterEach(() => fs.rmSync(copy, { recursive: true, force: true }));

describe('deploy:check', () => {
  it('the repository passes with every variable set, and says what it will deploy', () => {
    const { errors, info } = deployCheck(ROOT, vars);
    expect(errors).toEqual([]);
    expect(info).toContain('environment: prod-1a2b3c');
    expect(info).toContain('runtime: Nodejs20.19 (bundles built for node20)');
    expect(info.find((l) => l.startsWith('[templates]'))).toMatch(/^\[templates\] 7\/7 subscription templates configured/);
  });

  it('names every variable that is missing', () => {
    const { errors } = deployCheck(ROOT, { ...vars, TCB_ENV: undefined, TPL_REVIEW: '', TPL_DUE_SOON_KEYS: undefined });
    expect(errors).toEqual([
      'cloudbaserc.json: envId "{{env.TCB_ENV}}": TCB_ENV is not set (the CloudBase environment id, e.g. in .env)',
      'templates: dueSoon: TPL_DUE_SOON_KEYS is not set (the template\'s keywords, e.g. thing1:title,time2:time), this notice is not sent',
      'templates: review: TPL_REVIEW is not set, this notice is not sent',
    ]);
  });

  it('refuses keyword lists that would answer 47003 and an unknown MINIPROGRAM_STATE', () => {
    const { errors } = deployCheck(ROOT, { ...vars, TPL_PROGRESS_KEYS: 'thing1:title,phrase2:summary', MINIPROGRAM_STATE: 'beta' });
    expect(errors).toEqual([
      'templates: progress: TPL_PROGRESS_KEYS refused: "phrase2:summary": summary does not fit a phrase keyword (use thing); this notice is not sent',
      'MINIPROGRAM_STATE: MINIPROGRAM_STATE="beta" is not one of developer, trial, formal; messages open the formal version',
    ]);
  });

  it('refuses a runtime without structuredClone and fetch, and one the bundles are not built for', () => {
    edit('cloudbaserc.json', (rc) => {
      fn(rc, 'auth').runtime = 'Nodejs16.13';
      fn(rc, 'staff').runtime = 'Nodejs18.15';
      fn(rc, 'media').runtime = 'Nodejs21.0';
    });
    expect(deployCheck(copy, vars).errors).toEqual([
      'cloudbaserc.json auth: runtime Nodejs16.13 lacks structuredClone and fetch; use Nodejs20.19',
      'cloudbaserc.json staff: runtime Nodejs18.15 differs from Nodejs20.19, the runtime the bundles are built and tested for',
      'cloudbaserc.json media: runtime "Nodejs21.0" is not one CloudBase offers (Nodejs20.19, Nodejs18.15, Nodejs16.13, Nodejs14.18, Nodejs12.16, Nodejs10.15)',
    ]);
  });

  it('timeouts and triggers must agree with config.json; crons have 7 fields; timeouts ≤ 60 s', () => {
    edit('cloudbaserc.json', (rc) => {
      fn(rc, 'stats').timeout = 20;
      fn(rc, 'auth').timeout = 90;
      fn(rc, 'timer').triggers = [{ name: 'deadlines', type: 'timer', config: '0 * * * * *' } as never];
    });
    expect(deployCheck(copy, vars).errors).toEqual([
      'cloudbaserc.json auth: timeout 90 must be 1–60 s',
      'cloudbaserc.json auth: timeout 90 differs from cloudfunctions/auth/config.json (20)',
      'cloudbaserc.json stats: timeout 20 differs from cloudfunctions/stats/config.json (60)',
      'cloudbaserc.json timer: triggers differ from cloudfunctions/timer/config.json',
      'cloudbaserc.json timer: timer trigger "deadlines" "0 * * * * *" must have 7 fields (second minute hour day month weekday year)',
    ]);
  });

  it('each function must be granted the openapi calls its code makes and declare the variables it reads', () => {
    edit('cloudfunctions/admin/config.json', (c) => {
      c.permissions = { openapi: ['subscribeMessage.send'] };
    });
    edit('cloudfunctions/media/config.json', (c) => {
      delete c.permissions;
    });
    edit('cloudbaserc.json', (rc) => {
      delete fn(rc, 'resident').envVariables.TPL_OVERDUE_KEYS;
    });
    expect(deployCheck(copy, vars).errors).toEqual([
      'cloudbaserc.json resident: envVariables lacks TPL_OVERDUE_KEYS',
      'cloudfunctions/admin/config.json: permissions.openapi lacks "wxacode.getUnlimited", which admin calls',
      'cloudfunctions/media/config.json: permissions.openapi lacks "subscribeMessage.send", which media calls',
      'cloudfunctions/media/config.json: permissions.openapi lacks "security.mediaCheckAsync", which media calls',
      'cloudbaserc.json resident: envVariables resolve differently from auth; every function must send the same templates',
    ]);
  });

  it('a function directory missing from cloudbaserc.json is named', () => {
    edit('cloudbaserc.json', (rc) => {
      rc.functions = fns(rc).filter((f) => f.name !== 'stats');
    });
    expect(deployCheck(copy, vars).errors).toEqual(['cloudbaserc.json: function "stats" (cloudfunctions/stats) is not declared']);
  });

  it('reads .env under the process environment', () => {
    fs.writeFileSync(path.join(copy, '.env'), 'TCB_ENV=from-file\nTPL_PROGRESS=tpl-file\n');
    const read = deploymentVars(copy, { TPL_PROGRESS: 'tpl-process' });
    expect(read.TCB_ENV).toBe('from-file');
    expect(read.TPL_PROGRESS).toBe('tpl-process');
  });

  it('the command exits 1 and lists the problems when variables are missing', () => {
    const env = { ...process.env };
    for (const k of Object.keys(env)) if (k.startsWith('TPL_') || k === 'TCB_ENV') delete env[k];
    const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'deploy-check.ts')], { cwd: ROOT, env, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('problem(s); nothing was deployed:');
    expect(run.stderr).toContain('TCB_ENV is not set');
  });
});
