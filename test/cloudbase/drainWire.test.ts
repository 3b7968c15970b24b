/**
 * CloudBase: a request only commits its notices; the timer function is the drainer. Through the
 * REAL @cloudbase/node-sdk and wx-server-sdk (createCloudDeps, as a deployed function builds it)
 * against the loopback CloudBase fake: a submission owed to 20 operators answers while WeChat is
 * failing without one subscribeMessage.send call in the request (no fan-out, no retry's sleep in
 * the caller's time), and the next timer run fans it out, one message per operator.
 */
import { createCloudDeps } from '../../cloudfunctions/lib/cloudDeps';
import { callerFromOpenid } from '../../cloudfunctions/lib/identity';
import { handle } from '../../cloudfunctions/lib/router';
import { runTimer } from '../../cloudfunctions/lib/timer';
import { functionInstanceEnv, json, type OpenApiCall } from './fakeWxEndpoint';
import { templateEnv } from './templateFixtures';
import { startWireCloudbase, type WireCloudbase } from './wireCloudbase';

const OPERATORS = 20;
let fake: WireCloudbase;
let restore: () => void;
let deps: ReturnType<typeof createCloudDeps>;
/** 45009: WeChat's rate limit, a failure worth retrying. */
let sendCode = 45009;

function answer(call: OpenApiCall) {
  if (call.api === 'subscribeMessage.send') return json({ errcode: sendCode, errmsg: sendCode ? 'reach max api daily quota limit' : 'ok' });
  if (call.api === 'security.msgSecCheck') return json({ errcode: 0, errmsg: 'ok', result: { suggest: 'pass', label: 100 }, detail: [], trace_id: 't' });
  return json({ errcode: 0, errmsg: 'ok' });
}

const env: Record<string, string> = { WX_APPID: 'wx-wire', WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID', ...templateEnv() };

beforeAll(async () => {
  fake = await startWireCloudbase(answer);
  restore = functionInstanceEnv(fake.url, env);
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  deps = createCloudDeps();
  await deps.directory.putUser({ id: 'u-res', name: '居民', roles: ['resident'], openid: 'o-res' });
  for (let i = 0; i < OPERATORS; i++) await deps.directory.putUser({ id: `u-op-${i}`, name: `平台${i}`, roles: ['operator'], openid: `o-op-${i}` });
});

afterAll(async () => {
  restore();
  await fake.close();
  jest.restoreAllMocks();
});

const sends = () => fake.openapiCalls.filter((c) => c.api === 'subscribeMessage.send');

describe('CloudBase drains the outbox on the timer, never in the request', () => {
  it('a submission answers without sending while WeChat fails; the timer sends one message to each of the 20 operators', async () => {
    expect(deps.drain).toBe('off');
    const caller = await callerFromOpenid(deps.directory, 'o-res', Date.now(), () => 'u-new');
    const r = await handle('resident', { action: 'submit', input: { clientRequestId: 'drain-wire-0001', type: 'help', category: '市政设施', content: '小区门口路灯不亮，晚上出行不便', location: { area: 'wire' } } }, caller, deps);
    expect(r).toMatchObject({ ok: true });
    expect(sends()).toHaveLength(0);
    const [pending] = await deps.store.listEffects('pending', 10);
    expect(pending).toMatchObject({ audience: { kind: 'operators' }, attempts: 0 });

    sendCode = 0;
    const run = await runTimer(deps, 'run-wire-1');
    expect(run.drained).toMatchObject({ claimed: 1, done: 1, failed: 0, deliveries: OPERATORS });
    expect(sends().map((c) => c.data.touser).sort()).toEqual(Array.from({ length: OPERATORS }, (_, i) => `o-op-${i}`).sort());
    expect(await deps.store.listEffects('pending', 10)).toEqual([]);

    // A second run finds nothing owed: no message twice.
    await runTimer(deps, 'run-wire-2');
    expect(sends()).toHaveLength(OPERATORS);
  });
});
