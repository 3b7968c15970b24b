/**
 * Content security on the CloudBase path, through the REAL @cloudbase/node-sdk and wx-server-sdk
 * (createCloudDeps, as a deployed function builds it) against the loopback CloudBase fake
 * (wireCloudbase.ts): security.msgSecCheck v2 for text, security.mediaCheckAsync v2 for images
 * with the result pushed to the `media` function, and registration reading only the head of a
 * large video.
 */
import { createCloudDeps } from '../../cloudfunctions/lib/cloudDeps';
import { callerFromOpenid } from '../../cloudfunctions/lib/identity';
import { handle } from '../../cloudfunctions/lib/router';
import { functionInstanceEnv, json, type OpenApiCall } from './fakeWxEndpoint';
import { templateEnv } from './templateFixtures';
import { startWireCloudbase, type WireCloudbase } from './wireCloudbase';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a0e6a9d40000000049454e44ae426082', 'hex');
const FILE_PNG = 'cloud://fake-env-1a2b.wire/uploads/photo.png';
const FILE_VIDEO = 'cloud://fake-env-1a2b.wire/uploads/clip.mp4';

let fake: WireCloudbase;
let restore: () => void;
let deps: ReturnType<typeof createCloudDeps>;
let textVerdict: 'pass' | 'risky' = 'pass';

function answer(call: OpenApiCall) {
  if (call.api === 'security.msgSecCheck') return json({ errcode: 0, errmsg: 'ok', result: { suggest: textVerdict, label: textVerdict === 'risky' ? 20001 : 100 }, detail: [], trace_id: 'text-trace-1' });
  if (call.api === 'security.mediaCheckAsync') return json({ errcode: 0, errmsg: 'ok', trace_id: `media-trace-${fake.openapiCalls.length}` });
  return json({ errcode: 0, errmsg: 'ok' });
}

const env: Record<string, string> = { WX_APPID: 'wx-wire', WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID', ...templateEnv() };

beforeAll(async () => {
  fake = await startWireCloudbase(answer);
  restore = functionInstanceEnv(fake.url, env);
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  deps = createCloudDeps();
  await deps.directory.putUser({ id: 'u-res', name: '居民', roles: ['resident'], openid: 'o-res' });
  await deps.directory.putUser({ id: 'u-op', name: '平台', roles: ['operator'], openid: 'o-op' });
});

afterAll(async () => {
  restore();
  await fake.close();
  jest.restoreAllMocks();
});

async function as(openid: string, fn: string, event: Record<string, unknown>) {
  const caller = await callerFromOpenid(deps.directory, openid, Date.now(), () => 'u-new');
  return handle(fn, event, caller, deps);
}

const input = (content: string, crid: string) => ({ clientRequestId: crid, type: 'help', category: '市政设施', content, location: { area: 'wire' } });

describe('text: security.msgSecCheck v2', () => {
  it('risky text is refused with a Chinese message and no ticket is written; the call carries the openid and scene', async () => {
    textVerdict = 'risky';
    const before = (await deps.store.recentByReporter('u-res', 0)).count;
    const r = await as('o-res', 'resident', { action: 'submit', input: input('这是一段会被判定为风险的内容', 'wire-risky-0001') });
    expect(r).toMatchObject({ ok: false, code: 'content-refused' });
    expect((r as { message: string }).message).toMatch(/[\u4e00-\u9fa5]/);
    expect((await deps.store.recentByReporter('u-res', 0)).count).toBe(before);
    const call = fake.openapiCalls.filter((c) => c.api === 'security.msgSecCheck').pop()!;
    expect(call.data).toEqual({ content: '这是一段会被判定为风险的内容', version: 2, scene: 3, openid: 'o-res' });
  });

  it('passing text is submitted', async () => {
    textVerdict = 'pass';
    const r = await as('o-res', 'resident', { action: 'submit', input: input('小区门口路灯不亮，晚上出行不便', 'wire-pass-0001') });
    expect(r).toMatchObject({ ok: true });
  });
});

describe('media: security.mediaCheckAsync v2 and the pushed result', () => {
  it('registering an image starts the check; a risky result pushed to the media function hides the file', async () => {
    fake.files.set(FILE_PNG, { bytes: PNG, contentType: 'image/png' });
    const reg = await as('o-res', 'media', { action: 'register', fileId: FILE_PNG });
    expect(reg).toMatchObject({ ok: true, data: { kind: 'image', check: 'pending' } });
    const call = fake.openapiCalls.filter((c) => c.api === 'security.mediaCheckAsync').pop()!;
    expect(call.data).toMatchObject({ media_type: 2, version: 2, scene: 3, openid: 'o-res' });
    expect(String(call.data.media_url)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/files\//);
    const traceId = (await deps.files.stat(FILE_PNG))!.check!.traceId!;
    expect(traceId).toMatch(/^media-trace-/);

    // The deployed entry of the media function receives the push.
    const { main } = await import('../../cloudfunctions/media/index');
    const push = { ToUserName: 'gh_x', FromUserName: 'o-wechat', CreateTime: 1, MsgType: 'event', Event: 'wxa_media_check', appid: 'wx-wire', trace_id: traceId, version: 2, errcode: 0, errmsg: 'ok', result: { suggest: 'risky', label: 20002 } };
    // A user calling the function with a forged push changes nothing.
    process.env.WX_OPENID = 'o-res';
    expect(await main({ ...push, result: { suggest: 'pass', label: 100 } })).toEqual({ ok: true, data: { recorded: false } });
    delete process.env.WX_OPENID;
    expect(await main(push)).toEqual({ ok: true, data: { recorded: true, status: 'refused' } });
    expect((await deps.files.stat(FILE_PNG))!.check).toMatchObject({ status: 'refused', traceId, label: '20002' });

    // Hidden: no URL for the owner, a submission cannot attach it; operators still see it.
    expect(await as('o-res', 'media', { action: 'url', fileId: FILE_PNG })).toMatchObject({ ok: false, code: 'content-refused' });
    const attach = await as('o-res', 'resident', { action: 'submit', input: { ...input('路边有违章广告牌，请处理', 'wire-attach-0001'), attachments: [{ fileId: FILE_PNG, kind: 'image' }] } });
    expect(attach).toMatchObject({ ok: false, code: 'content-refused' });
    expect(await as('o-op', 'media', { action: 'url', fileId: FILE_PNG })).toMatchObject({ ok: true });
  });

  it('registering a 49 MB video reads its first 64 KB only, never the whole file', async () => {
    const head = Buffer.from('0000001c667479706d703432000000006d7034316d703432', 'hex');
    fake.files.set(FILE_VIDEO, { bytes: Buffer.concat([head, Buffer.alloc(49 * 1024 * 1024)]), contentType: 'video/mp4' });
    const reg = await as('o-res', 'media', { action: 'register', fileId: FILE_VIDEO, durationSec: 30 });
    expect(reg).toMatchObject({ ok: true, data: { kind: 'video', size: head.length + 49 * 1024 * 1024, check: 'unchecked' } });
    const reads = fake.log.filter((l) => l.includes('/files/') && l.includes(FILE_VIDEO));
    expect(reads).toEqual([`HEAD /files/${FILE_VIDEO}`, `GET /files/${FILE_VIDEO} bytes=0-65535`]);
  });
});
