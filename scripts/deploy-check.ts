/**
 * `npm run deploy:check`: everything a CloudBase deployment needs, checked before anything is
 * deployed, with one line per problem. Reads cloudbaserc.json, each cloudfunctions/<name>/config.json,
 * and the variables the CloudBase CLI substitutes for `{{env.X}}` (the process environment, then
 * `.env` in the project root). Exits 1 when anything is missing or wrong.
 *
 * Checks: the functions declared are exactly the function directories; one runtime, the one the
 * code is built for (deployment.ts), Node ≥ 18; timeout and memory agree between the two files and
 * stay within CloudBase's limits; timer triggers are 7-field crons and agree; each function's
 * openapi permissions cover the calls its code makes; each function declares the variables it
 * reads; TCB_ENV is set; every notice's template id and keyword list parse (lib/notices.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { FUNCTION_ENV, KNOWN_RUNTIMES, MAX_TIMEOUT_SEC, MIN_NODE_MAJOR, REQUIRED_OPENAPI, RUNTIME, runtimeMajor } from '../cloudfunctions/adapters/cloudbase/deployment';
import { miniprogramStateFromEnv } from '../cloudfunctions/adapters/cloudbase/wxSender';
import { readTemplates, templateReport } from '../cloudfunctions/lib/notices';
import { functionNames as contractFunctions, type FunctionName } from '../shared/contracts/api';

const MEMORY_SIZES = [128, 256, 512, 1024, 2048];

interface Trigger {
  name?: unknown;
  type?: unknown;
  config?: unknown;
}

interface RcFunction {
  name?: unknown;
  runtime?: unknown;
  timeout?: unknown;
  memorySize?: unknown;
  installDependency?: unknown;
  envVariables?: Record<string, unknown>;
  triggers?: Trigger[];
}

interface FunctionConfig {
  timeout?: unknown;
  memorySize?: unknown;
  triggers?: Trigger[];
  permissions?: { openapi?: unknown };
}

export interface DeployCheck {
  errors: string[];
  /** What is configured, for the operator to read. */
  info: string[];
}

/** `{{env.X}}` as the CloudBase CLI fills it: from `vars`; undefined when X is not set. */
function substitute(value: unknown, vars: Record<string, string | undefined>): { value: string | undefined; name?: string } {
  if (typeof value !== 'string') return { value: undefined };
  const m = /^\{\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/.exec(value);
  if (!m) return { value };
  const v = vars[m[1]!];
  return { value: v === undefined || v === '' ? undefined : v, name: m[1]! };
}

function readJson<T>(file: string, errors: string[]): T | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch (e) {
    errors.push(`${file}: ${(e as Error).message}`);
    return null;
  }
}

function sameTriggers(a: Trigger[] | undefined, b: Trigger[] | undefined): boolean {
  const norm = (t: Trigger[] | undefined) => JSON.stringify((t ?? []).map((x) => [x.name, x.type, x.config]));
  return norm(a) === norm(b);
}

/** The variables of the deployment: the process environment over `.env` in `root`. */
export function deploymentVars(root: string, env: NodeJS.ProcessEnv = process.env): Record<string, string | undefined> {
  const file = path.join(root, '.env');
  const fromFile = fs.existsSync(file) ? parseEnv(fs.readFileSync(file, 'utf8')) : {};
  return { ...fromFile, ...env };
}

export function deployCheck(root: string, vars: Record<string, string | undefined>): DeployCheck {
  const errors: string[] = [];
  const info: string[] = [];
  const rel = (p: string) => path.relative(root, p) || p;
  const rcFile = path.join(root, 'cloudbaserc.json');
  const rc = readJson<{ version?: unknown; envId?: unknown; functionRoot?: unknown; functions?: RcFunction[] }>(rcFile, errors);
  if (!rc) return { errors, info };

  if (rc.version !== '2.0') errors.push(`cloudbaserc.json: "version" must be "2.0" (is ${JSON.stringify(rc.version)})`);
  const envId = substitute(rc.envId, vars);
  if (!envId.value) errors.push(`cloudbaserc.json: envId ${JSON.stringify(rc.envId)}${envId.name ? `: ${envId.name} is not set (the CloudBase environment id, e.g. in .env)` : ' is missing'}`);
  else info.push(`environment: ${envId.value}`);
  if (rc.functionRoot !== './dist/cloudfunctions') errors.push(`cloudbaserc.json: functionRoot must be "./dist/cloudfunctions" (where npm run build:functions writes), is ${JSON.stringify(rc.functionRoot)}`);

  const srcDir = path.join(root, 'cloudfunctions');
  const dirs = fs.readdirSync(srcDir).filter((d) => fs.existsSync(path.join(srcDir, d, 'index.ts')) && fs.existsSync(path.join(srcDir, d, 'config.json'))).sort();
  const declared = (rc.functions ?? []).map((f) => String(f.name));
  for (const d of dirs) if (!declared.includes(d)) errors.push(`cloudbaserc.json: function "${d}" (cloudfunctions/${d}) is not declared`);
  for (const d of declared) if (!dirs.includes(d)) errors.push(`cloudbaserc.json: function "${d}" has no cloudfunctions/${d}/index.ts + config.json`);
  for (const d of contractFunctions) if (!dirs.includes(d)) errors.push(`function "${d}" of the API contract has no directory`);

  const major = runtimeMajor(RUNTIME);
  const templatesSeen = new Map<string, string>();
  for (const f of rc.functions ?? []) {
    const name = String(f.name);
    const where = `cloudbaserc.json ${name}`;
    const runtime = String(f.runtime);
    if (!(KNOWN_RUNTIMES as readonly string[]).includes(runtime)) errors.push(`${where}: runtime "${runtime}" is not one CloudBase offers (${KNOWN_RUNTIMES.join(', ')})`);
    else if ((runtimeMajor(runtime) ?? 0) < MIN_NODE_MAJOR) errors.push(`${where}: runtime ${runtime} lacks structuredClone and fetch; use ${RUNTIME}`);
    else if (runtime !== RUNTIME) errors.push(`${where}: runtime ${runtime} differs from ${RUNTIME}, the runtime the bundles are built and tested for`);
    if (f.installDependency !== false) errors.push(`${where}: installDependency must be false (the bundles carry their dependencies)`);
    const timeout = Number(f.timeout);
    if (!Number.isInteger(timeout) || timeout < 1 || timeout > MAX_TIMEOUT_SEC) errors.push(`${where}: timeout ${JSON.stringify(f.timeout)} must be 1–${MAX_TIMEOUT_SEC} s`);
    if (f.memorySize !== undefined && !MEMORY_SIZES.includes(Number(f.memorySize))) errors.push(`${where}: memorySize ${JSON.stringify(f.memorySize)} must be one of ${MEMORY_SIZES.join(', ')}`);

    const cfgFile = path.join(srcDir, name, 'config.json');
    const cfg = fs.existsSync(cfgFile) ? readJson<FunctionConfig>(cfgFile, errors) : null;
    if (cfg) {
      if (cfg.timeout !== f.timeout) errors.push(`${where}: timeout ${JSON.stringify(f.timeout)} differs from ${rel(cfgFile)} (${JSON.stringify(cfg.timeout)})`);
      if ((cfg.memorySize ?? 256) !== (f.memorySize ?? 256)) errors.push(`${where}: memorySize ${JSON.stringify(f.memorySize)} differs from ${rel(cfgFile)} (${JSON.stringify(cfg.memorySize)})`);
      if (!sameTriggers(f.triggers, cfg.triggers)) errors.push(`${where}: triggers differ from ${rel(cfgFile)}`);
      const granted = Array.isArray(cfg.permissions?.openapi) ? (cfg.permissions!.openapi as unknown[]).map(String) : [];
      const needed = REQUIRED_OPENAPI[name as FunctionName] ?? [];
      for (const api of needed) if (!granted.includes(api)) errors.push(`${rel(cfgFile)}: permissions.openapi lacks "${api}", which ${name} calls`);
    }
    for (const t of f.triggers ?? []) {
      if (t.type !== 'timer') continue;
      const fieldsOfCron = String(t.config).trim().split(/\s+/);
      if (fieldsOfCron.length !== 7) errors.push(`${where}: timer trigger "${String(t.name)}" "${String(t.config)}" must have 7 fields (second minute hour day month weekday year)`);
    }
    if (name === 'timer' && !(f.triggers ?? []).some((t) => t.type === 'timer')) errors.push(`${where}: the timer function has no timer trigger: deadlines would never be checked`);

    const envVars = f.envVariables ?? {};
    for (const v of FUNCTION_ENV) {
      if (!(v in envVars)) errors.push(`${where}: envVariables lacks ${v}`);
      else {
        const s = substitute(envVars[v], vars);
        if (s.value !== undefined) templatesSeen.set(`${name}\u0000${v}`, s.value);
      }
    }
  }
  if (major !== null && major < MIN_NODE_MAJOR) errors.push(`deployment.ts: RUNTIME ${RUNTIME} is below Node ${MIN_NODE_MAJOR}`);
  info.push(`runtime: ${RUNTIME} (bundles built for node${major})`);

  // Template configuration: what each function will read, as the functions parse it at start.
  const perFunction = new Map<string, Record<string, string>>();
  for (const [key, value] of templatesSeen) {
    const [fn, v] = key.split('\u0000') as [string, string];
    perFunction.set(fn, { ...(perFunction.get(fn) ?? {}), [v]: value });
  }
  const first = rc.functions?.[0] ? perFunction.get(String(rc.functions[0].name)) ?? {} : {};
  for (const [fn, env] of perFunction) {
    if (JSON.stringify(Object.entries(env).sort()) !== JSON.stringify(Object.entries(first).sort())) errors.push(`cloudbaserc.json ${fn}: envVariables resolve differently from ${String(rc.functions?.[0]?.name)}; every function must send the same templates`);
  }
  const reading = readTemplates(first);
  info.push(templateReport(reading));
  for (const p of reading.problems) errors.push(`templates: ${p}`);
  const state = miniprogramStateFromEnv(first);
  if (state.problem) errors.push(`MINIPROGRAM_STATE: ${state.problem}`);
  info.push(`subscription messages open the ${state.state} version of the mini-program`);
  return { errors, info };
}

if (require.main === module) {
  const root = path.join(__dirname, '..');
  const { errors, info } = deployCheck(root, deploymentVars(root));
  for (const line of info) console.log(line);
  if (errors.length) {
    console.error(`\ndeploy:check found ${errors.length} problem(s); nothing was deployed:`);
    for (const e of errors) console.error(`  - ${e}`);
    process.exit(1);
  }
  console.log('\ndeploy:check: ready to deploy');
}
