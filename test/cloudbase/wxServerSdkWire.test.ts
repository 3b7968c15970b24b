/**
 * The REAL wx-server-sdk against a fake CloudBase endpoint on 127.0.0.1 (fakeWxEndpoint.ts): a
 * subscription message and a mini-program code go through `cloud.openapi` the way a deployed
 * function sends them, and settle. `cloud.openapi` answers every property, `then` included, so a
 * promise resolved with it calls an API named "then" and never settles (platform-notes).
 */
import { WxSubscribeSender } from '../../cloudfunctions/adapters/cloudbase/wxSender';
import { miniProgramCode } from '../../cloudfunctions/adapters/cloudbase/wxacode';
import { CloudDirectoryStore } from '../../cloudfunctions/adapters/cloudbase/directoryStore';
import { DeliveringNotifier } from '../../cloudfunctions/lib/delivery';
import { FakeCloudDb } from './fakeCloudDb';
import { type FakeWxEndpoint, functionInstanceEnv, json, startFakeWxEndpoint } from './fakeWxEndpoint';
import { T0 } from './helpers';
import { progressNotice as notice, testTemplates } from './templateFixtures';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

let endpoint: FakeWxEndpoint;
let restore: () => void;

beforeAll(async () => {
  endpoint = await startFakeWxEndpoint(() => json({ errcode: 0, errmsg: 'ok' }));
  restore = functionInstanceEnv(endpoint.url);
});

afterAll(async () => {
  restore();
  await endpoint.close();
});

beforeEach(() => {
  endpoint.calls.length = 0;
  endpoint.others.length = 0;
});

/** Rejects when `p` has not settled within `ms`: a hang shows as a failure, not as a jest timeout. */
function settlesWithin<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms; calls seen: ${JSON.stringify(endpoint.calls.map((c) => c.api))}`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

describe('wx-server-sdk on the wire (loopback fake endpoint)', () => {
  it('the SDK really answers `then` on cloud.openapi (the trap this guards against)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const cloud = require('wx-server-sdk') as { openapi: { then?: unknown } };
    expect(typeof cloud.openapi.then).toBe('function');
  });

  it('a subscription message is sent and the call settles within a second', async () => {
    endpoint.handler = () => json({ errcode: 0, errmsg: 'ok' });
    const sender = new WxSubscribeSender({ templates: testTemplates, miniprogramState: 'trial' });
    await settlesWithin(sender.send({ userId: 'u1', openid: 'o-resident-1' }, notice), 1000, 'subscribeMessage.send');
    expect(endpoint.calls.map((c) => c.api)).toEqual(['subscribeMessage.send']);
    const [call] = endpoint.calls;
    expect(call!.data).toMatchObject({
      touser: 'o-resident-1',
      template_id: testTemplates.progress.id,
      page: 'pages/detail/index?id=t-1',
      miniprogram_state: 'trial',
      lang: 'zh_CN',
    });
    expect(Object.keys(call!.data.data as object).sort()).toEqual(testTemplates.progress.keywords.map((k) => k.key).sort());
    expect(endpoint.others).toEqual([]);
  });

  it('a WeChat errcode comes back as a SendError, still within a second', async () => {
    endpoint.handler = () => json({ errcode: 47003, errmsg: 'argument invalid! data.thing1.value invalid' });
    const sender = new WxSubscribeSender({ templates: testTemplates });
    const err = await settlesWithin(sender.send({ userId: 'u1', openid: 'o-1' }, notice).then(() => null, (e: unknown) => e), 1000, 'subscribeMessage.send');
    expect(err).toMatchObject({ name: 'SendError', errCode: 47003, kind: 'permanent' });
  });

  it('a mini-program code (wxacode.getUnlimited) comes back as PNG bytes within a second', async () => {
    endpoint.handler = (call) => (call.api === 'wxacode.getUnlimited' ? { contentType: 'image/png', body: PNG } : json({ errcode: 40001, errmsg: 'unexpected' }));
    const bytes = await settlesWithin(miniProgramCode('park-binhe', 'pages/submit/index'), 1000, 'wxacode.getUnlimited');
    expect(Buffer.from(bytes)).toEqual(PNG);
    expect(endpoint.calls).toEqual([{ api: 'wxacode.getUnlimited', data: { scene: 'park-binhe', page: 'pages/submit/index', check_path: false } }]);
  });

  it('through the DeliveringNotifier: 47003 is tried once and recorded failed, a success once and delivered', async () => {
    const directory = new CloudDirectoryStore(new FakeCloudDb());
    const sleeps: number[] = [];
    const notifier = new DeliveringNotifier(directory, new WxSubscribeSender({ templates: testTemplates }), () => T0, undefined, async (ms) => {
      sleeps.push(ms);
    });
    endpoint.handler = () => json({ errcode: 47003, errmsg: 'argument invalid!' });
    expect(await notifier.send({ userId: 'u-47003', openid: 'o-1' }, notice, 'k-47003')).toEqual({ status: 'failed', attempts: 1, errorCode: '47003' });
    expect(endpoint.calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
    expect((await directory.listDeliveries('u-47003', 10)).map((d) => [d.status, d.attempts, d.errorCode])).toEqual([['failed', 1, '47003']]);

    endpoint.calls.length = 0;
    endpoint.handler = () => json({ errcode: 0, errmsg: 'ok' });
    await directory.addCredits('u-ok', 'progress', 1);
    expect(await notifier.send({ userId: 'u-ok', openid: 'o-2' }, notice, 'k-ok')).toEqual({ status: 'delivered', attempts: 1 });
    expect(endpoint.calls).toHaveLength(1);
  });
});
