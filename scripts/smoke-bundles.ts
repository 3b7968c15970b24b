/**
 * `npm run smoke:bundles`: the bundled functions (dist/cloudfunctions/<name>/index.js, from
 * `npm run build:functions`) loaded and called under the Node.js the command runs on, which must
 * be the major of the runtime cloudbaserc.json declares (CI runs it with that Node). Each bundle
 * talks HTTP to a fake CloudBase endpoint on 127.0.0.1 (test/cloudbase/wireCloudbase.ts) the way
 * it talks to Tencent cloud, with the variables a function instance has.
 *
 * The walk: a resident submits (profiles' structuredClone, a transaction, notices through the
 * bundled wx-server-sdk), the operator lists and accepts it, the resident registers an upload
 * (node-sdk's getFileInfo uses fetch), the admin renders a QR poster (wxacode), the timer runs.
 * Every call must answer ok within 10 s. Exits 1 on any failure.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CloudDirectoryStore } from '../cloudfunctions/adapters/cloudbase/directoryStore';
import { RUNTIME, runtimeMajor } from '../cloudfunctions/adapters/cloudbase/deployment';
import { TEMPLATE_ENV } from '../cloudfunctions/lib/notices';
import { functionInstanceEnv, json } from '../test/cloudbase/fakeWxEndpoint';
import { TEMPLATE_KEYS } from '../test/cloudbase/templateFixtures';
import { startWireCloudbase } from '../test/cloudbase/wireCloudbase';

const ROOT = path.join(__dirname, '..');
const DIST = path.join(ROOT, 'dist', 'cloudfunctions');
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a0e6a9d40000000049454e44ae426082', 'hex');
const CALL_LIMIT_MS = 10_000;

type Main = (event: unknown, context: unknown) => Promise<{ ok: boolean; data?: unknown; code?: string; message?: string }>;

function fail(message: string): never {
  console.error(`smoke:bundles FAILED: ${message}`);
  process.exit(1);
}

async function main(): Promise<void> {
  const declared = new Set((JSON.parse(fs.readFileSync(path.join(ROOT, 'cloudbaserc.json'), 'utf8')) as { functions: { runtime: string }[] }).functions.map((f) => f.runtime));
  if (declared.size !== 1 || !declared.has(RUNTIME)) fail(`cloudbaserc.json declares ${[...declared].join(', ')}; expected ${RUNTIME} everywhere (npm run deploy:check)`);
  const want = runtimeMajor(RUNTIME);
  const have = Number(process.versions.node.split('.')[0]);
  if (have !== want) fail(`running on Node ${process.versions.node}, but the functions run on ${RUNTIME}: run this under Node ${want}`);
  if (!fs.existsSync(path.join(DIST, 'resident', 'index.js'))) fail('no bundles in dist/cloudfunctions: run npm run build:functions first');

  const fake = await startWireCloudbase((call) => (call.api === 'wxacode.getUnlimited' ? { contentType: 'image/png', body: PNG } : json({ errcode: 0, errmsg: 'ok' })));
  const templates: Record<string, string> = {};
  for (const [notice, name] of Object.entries(TEMPLATE_ENV)) {
    templates[name] = `tpl-${notice}`;
    templates[`${name}_KEYS`] = TEMPLATE_KEYS[notice as keyof typeof TEMPLATE_KEYS];
  }
  const restore = functionInstanceEnv(fake.url, { ...templates, MINIPROGRAM_STATE: 'trial', WX_APPID: 'wx-smoke', WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID' });
  const directory = new CloudDirectoryStore(fake.db);
  await directory.putUser({ id: 'u-operator', name: '平台值班员', roles: ['operator'], openid: 'o-operator' });

  const loaded = new Map<string, Main>();
  const bundle = (name: string): Main => {
    if (!loaded.has(name)) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(path.join(DIST, name, 'index.js')) as { main?: Main };
      if (typeof mod.main !== 'function') fail(`${name}/index.js exports no main`);
      loaded.set(name, mod.main);
    }
    return loaded.get(name)!;
  };
  const results: string[] = [];
  async function call(fn: string, openid: string | undefined, event: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (openid) process.env.WX_OPENID = openid;
    else delete process.env.WX_OPENID;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer in ${CALL_LIMIT_MS} ms (last requests: ${fake.log.slice(-5).join(', ')})`)), CALL_LIMIT_MS);
    });
    let res: Awaited<ReturnType<Main>>;
    try {
      res = await Promise.race([bundle(fn)(event, { request_id: `smoke-${results.length}` }), late]);
    } catch (e) {
      fail(`${fn}.${String(event.action ?? event.Type)}: ${(e as Error).stack ?? String(e)}`);
    } finally {
      clearTimeout(timer);
    }
    const label = `${fn}.${String(event.action ?? event.Type)}`;
    if (!res.ok) fail(`${label} answered ${res.code}: ${res.message}`);
    results.push(`${label.padEnd(22)} ok`);
    return (res.data ?? {}) as Record<string, unknown>;
  }

  const submitted = await call('resident', 'o-resident', {
    action: 'submit',
    input: { clientRequestId: 'smoke-submit-0001', type: 'help', category: '市政设施', content: '小区门口路灯不亮，晚上出行不便', location: { area: 'smoke' } },
  });
  const ticketId = String((submitted.ticket as { id?: string } | undefined)?.id ?? submitted.ticketId ?? '');
  if (!ticketId) fail(`resident.submit returned no ticket id: ${JSON.stringify(submitted).slice(0, 200)}`);
  await call('auth', 'o-resident', { action: 'whoami' });
  await call('operator', 'o-operator', { action: 'queue', queue: 'intake' });
  await call('operator', 'o-operator', { action: 'command', command: { type: 'accept', ticketId } });
  fake.files.set('cloud://fake-env-1a2b.smoke/uploads/photo.png', { bytes: PNG, contentType: 'image/png' });
  await call('media', 'o-resident', { action: 'register', fileId: 'cloud://fake-env-1a2b.smoke/uploads/photo.png' });
  await call('admin', 'o-operator', { action: 'putScene', scene: { id: 'park-smoke', place: '滨河公园' } });
  const poster = await call('admin', 'o-operator', { action: 'poster', sceneId: 'park-smoke' });
  if (poster.kind !== 'wxacode') fail(`admin.poster did not render a mini-program code: ${String(poster.kind)}`);
  await call('timer', undefined, { Type: 'Timer', TriggerName: 'deadlines', Time: new Date().toISOString() });

  const sends = fake.openapiCalls.filter((c) => c.api === 'subscribeMessage.send').length;
  if (sends === 0) fail('no subscription message reached the endpoint (wx-server-sdk in the bundles never called)');
  restore();
  await fake.close();
  console.log(`smoke:bundles on Node ${process.versions.node} (runtime ${RUNTIME})`);
  for (const r of results) console.log(`  ${r}`);
  console.log(`  ${sends} subscription message(s) and ${fake.openapiCalls.length - sends} other openapi call(s) answered by the fake endpoint`);
  process.exit(0);
}

main().catch((e: unknown) => fail((e as Error).stack ?? String(e)));
