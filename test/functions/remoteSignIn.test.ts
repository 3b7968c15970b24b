/**
 * The remote services of sign-in, each called by the real client code over HTTP on 127.0.0.1:
 * a fake WeChat API server (jscode2session with its error answers) and a fake Tencent Cloud SMS
 * endpoint that checks the TC3-HMAC-SHA256 signature the way the documentation describes it.
 * Also the CloudBase side: OPENIDs on BOOTSTRAP_OPERATOR_OPENIDS become operators on first call.
 */
import http from 'node:http';
import { createHash, createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WeChatCode2Session } from '../../cloudfunctions/adapters/wechat/code2session';
import { TencentSmsSender } from '../../cloudfunctions/adapters/sms/tencentSms';
import { CloudDirectoryStore } from '../../cloudfunctions/adapters/cloudbase/directoryStore';
import { bootstrapOpenids, callerFromOpenid } from '../../cloudfunctions/lib/identity';
import { DomainError } from '../../shared/errors';
import { FakeCloudDb } from '../cloudbase/fakeCloudDb';
import { api, createRig, serveRig, type Rig } from '../support/reliabilityHarness';

interface Fake {
  base: string;
  requests: { url: string; headers: http.IncomingHttpHeaders; body: string }[];
  close(): Promise<void>;
}

async function fakeServer(handler: (req: { url: string; headers: http.IncomingHttpHeaders; body: string }) => { status?: number; body: unknown }): Promise<Fake> {
  const requests: Fake['requests'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen = { url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(seen);
      const answer = handler(seen);
      res.writeHead(answer.status ?? 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

// ---- a fake WeChat: codes are issued per app id and work once ----

const APP_ID = 'wx1234567890abcdef';
const APP_SECRET = 'app-secret-0123456789abcdef0123';
const issued = new Map<string, { appId: string; openid: string }>([
  ['code-zhang', { appId: APP_ID, openid: 'oZhang_openid_0001' }],
  ['code-boss', { appId: APP_ID, openid: 'oBoss_openid_00001' }],
  ['code-boss-2', { appId: APP_ID, openid: 'oBoss_openid_00001' }],
  ['code-other-app', { appId: 'wxOTHERAPP0000000', openid: 'oOther_openid_0001' }],
  ['code-upload', { appId: APP_ID, openid: 'oUploader_openid01' }],
]);
const used = new Set<string>();

function wechat(url: string) {
  const q = new URL(url, 'http://x').searchParams;
  if (new URL(url, 'http://x').pathname !== '/sns/jscode2session') return { status: 404, body: { errcode: 404 } };
  if (q.get('grant_type') !== 'authorization_code') return { body: { errcode: 40002, errmsg: 'invalid grant_type' } };
  if (q.get('appid') !== APP_ID || q.get('secret') !== APP_SECRET) return { body: { errcode: 40013, errmsg: 'invalid appid' } };
  const code = q.get('js_code') ?? '';
  if (code === 'code-busy') return { body: { errcode: -1, errmsg: 'system error' } };
  if (code === 'code-quota') return { body: { errcode: 45011, errmsg: 'api minute-quota reach limit' } };
  const entry = issued.get(code);
  if (!entry || entry.appId !== q.get('appid')) return { body: { errcode: 40029, errmsg: 'invalid code' } };
  if (used.has(code)) return { body: { errcode: 40163, errmsg: 'code been used' } };
  used.add(code);
  return { body: { openid: entry.openid, session_key: 'c2Vzc2lvbmtleQ==' } };
}

describe('wx.login → jscode2session on a fake WeChat server', () => {
  let wx: Fake;
  let rig: Rig;
  let srv: { base: string; close(): Promise<void> };
  beforeAll(async () => {
    wx = await fakeServer((r) => wechat(r.url));
    rig = await createRig();
    rig.deps.auth = {
      production: true,
      wechat: new WeChatCode2Session({ appId: APP_ID, appSecret: APP_SECRET, baseUrl: wx.base }, () => undefined),
      bootstrapOpenids: new Set(['oBoss_openid_00001']),
    };
    srv = await serveRig(rig);
  });
  afterAll(async () => {
    await srv.close();
    await rig.close();
    await wx.close();
  });

  it('a good code signs in; the OPENID becomes a resident, the token works, the same person comes back as the same user', async () => {
    const r = await api<{ token: string; user: { id: string; roles: string[] } }>(srv.base, 'auth', { action: 'wxLogin', code: 'code-zhang' });
    if (!r.ok) throw new Error(`${r.code} ${r.message}`);
    expect(r.data.user.roles).toEqual(['resident']);
    expect((await api(srv.base, 'resident', { action: 'listMine' }, r.data.token)).ok).toBe(true);
    const seen = new URL(wx.requests.at(-1)!.url, 'http://x').searchParams;
    expect(Object.fromEntries(seen)).toEqual({ appid: APP_ID, secret: APP_SECRET, js_code: 'code-zhang', grant_type: 'authorization_code' });
    const user = await rig.deps.directory.getUserByOpenid('oZhang_openid_0001');
    expect(user?.id).toBe(r.data.user.id);
  });

  it('a weapp upload (wx.uploadFile sends multipart/form-data) is stored by its bytes', async () => {
    const r = await api<{ token: string }>(srv.base, 'auth', { action: 'wxLogin', code: 'code-upload' });
    if (!r.ok) throw new Error(r.message);
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
    const boundary = '----WxUploadBoundary7MA4YWxkTrZu0gW';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="tmp_1.png"\r\nContent-Type: image/png\r\n\r\n`),
      png,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await fetch(`${srv.base}/api/upload?name=photo.png`, { method: 'POST', headers: { authorization: `Bearer ${r.data.token}`, 'content-type': `multipart/form-data; boundary=${boundary}` }, body });
    expect(await res.json()).toMatchObject({ ok: true, data: { kind: 'image', size: png.length } });
    const none = await fetch(`${srv.base}/api/upload?name=x.png`, { method: 'POST', headers: { authorization: `Bearer ${r.data.token}`, 'content-type': `multipart/form-data; boundary=${boundary}` }, body: Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n--${boundary}--\r\n`) });
    expect(await none.json()).toMatchObject({ ok: false, code: 'invalid-input' });
  });

  it('WeChat error answers each give a stable code and a Chinese message, and create nobody', async () => {
    const users = rig.count('users');
    const cases: [string, string][] = [
      ['code-zhang', 'wx-code-used'], // 40163: the code was used above
      ['code-never-issued', 'wx-code-invalid'], // 40029
      ['code-other-app', 'wx-code-invalid'], // 40029: a code of another app id
      ['code-quota', 'wx-rate-limited'], // 45011
      ['code-busy', 'wx-unavailable'], // -1
    ];
    for (const [code, want] of cases) {
      const r = await api(srv.base, 'auth', { action: 'wxLogin', code });
      expect({ code, got: r.ok ? 'ok' : r.code }).toEqual({ code, got: want });
      if (!r.ok) expect(r.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect(rig.count('users')).toBe(users);
  });

  it('a wrong app secret is the server’s configuration: wx-unavailable, never the user’s fault', async () => {
    const wrong = new WeChatCode2Session({ appId: APP_ID, appSecret: 'not-the-secret', baseUrl: wx.base }, () => undefined);
    await expect(wrong.code2session('code-boss-2')).rejects.toMatchObject({ code: 'wx-unavailable' });
    const down = new WeChatCode2Session({ appId: APP_ID, appSecret: APP_SECRET, baseUrl: 'http://127.0.0.1:9' }, () => undefined);
    await expect(down.code2session('code-boss-2')).rejects.toBeInstanceOf(DomainError);
  });

  it('an OPENID on the bootstrap list becomes an operator on first sign-in; removed, its next sign-in is refused', async () => {
    const r = await api<{ token: string; user: { id: string; roles: string[] } }>(srv.base, 'auth', { action: 'wxLogin', code: 'code-boss' });
    if (!r.ok) throw new Error(`${r.code} ${r.message}`);
    expect(r.data.user.roles).toEqual(['operator']);
    expect((await api(srv.base, 'admin', { action: 'units' }, r.data.token)).ok).toBe(true);
    const u = (await rig.deps.directory.getUser(r.data.user.id))!;
    await rig.deps.directory.putUser({ ...u, deletedAt: rig.clock.now() });
    expect(await api(srv.base, 'auth', { action: 'wxLogin', code: 'code-boss-2' })).toMatchObject({ ok: false, code: 'token-invalid' });
  });
});

describe('CloudBase: BOOTSTRAP_OPERATOR_OPENIDS', () => {
  it('names the first operators; other OPENIDs stay residents; a listed resident is promoted once', async () => {
    const directory = new CloudDirectoryStore(new FakeCloudDb());
    const boot = bootstrapOpenids({ BOOTSTRAP_OPERATOR_OPENIDS: 'oFirstOperator01, oSecondOperator2 ;bad' });
    expect([...boot]).toEqual(['oFirstOperator01', 'oSecondOperator2']);
    let n = 0;
    const id = () => `u_${++n}`;
    const audited: string[] = [];
    const opts = { bootstrap: boot, audit: async (kind: string, userId: string) => void audited.push(`${kind}:${userId}`) };
    expect((await callerFromOpenid(directory, 'oFirstOperator01', 0, id, opts)).user?.roles).toEqual(['operator']);
    expect((await callerFromOpenid(directory, 'oSomeResident001', 0, id, opts)).user?.roles).toEqual(['resident']);
    // Opened the mini-program before the list named them: promoted on the next call.
    await callerFromOpenid(directory, 'oSecondOperator2', 0, id, {});
    expect((await callerFromOpenid(directory, 'oSecondOperator2', 0, id, opts)).user?.roles).toEqual(['operator', 'resident']);
    expect(audited).toEqual(['operator-bootstrapped:u_1', 'operator-bootstrapped:u_3']);
    expect((await callerFromOpenid(directory, 'oFirstOperator01', 0, id, opts)).user?.id).toBe('u_1');
  });
});

// ---- a fake Tencent Cloud SMS endpoint that verifies TC3-HMAC-SHA256 from the documented steps ----

const SECRET_ID = 'AKIDtestsecretid000000000000000000';
const SECRET_KEY = 'testsecretkey00000000000000000000';

/** Recomputes the signature from what arrived: canonical request → string to sign → derived key. */
function verifyTc3(headers: http.IncomingHttpHeaders, body: string): string | null {
  const auth = String(headers.authorization ?? '');
  const m = auth.match(/^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([a-z]+)\/tc3_request, SignedHeaders=([a-z;-]+), Signature=([0-9a-f]{64})$/);
  if (!m) return 'malformed Authorization';
  const [, id, date, service, signed, signature] = m;
  if (id !== SECRET_ID) return 'unknown SecretId';
  const ts = Number(headers['x-tc-timestamp']);
  if (new Date(ts * 1000).toISOString().slice(0, 10) !== date) return 'date does not match the timestamp';
  const names = signed!.split(';');
  const canonicalHeaders = names.map((n) => `${n}:${String(headers[n] ?? '').trim().toLowerCase()}\n`).join('');
  const hashedPayload = createHash('sha256').update(body).digest('hex');
  const canonical = `POST\n/\n\n${canonicalHeaders}\n${signed}\n${hashedPayload}`;
  const toSign = `TC3-HMAC-SHA256\n${ts}\n${date}/${service}/tc3_request\n${createHash('sha256').update(canonical).digest('hex')}`;
  let key: Buffer = Buffer.from(`TC3${SECRET_KEY}`);
  for (const part of [date!, service!, 'tc3_request']) key = createHmac('sha256', key).update(part).digest();
  const expected = createHmac('sha256', key).update(toSign).digest('hex');
  return expected === signature ? null : 'signature mismatch';
}

describe('Tencent Cloud SMS adapter against a fake endpoint', () => {
  let sms: Fake;
  let mode: 'ok' | 'error' | 'status' = 'ok';
  beforeAll(async () => {
    sms = await fakeServer((r) => {
      const problem = verifyTc3(r.headers, r.body);
      if (problem) return { body: { Response: { Error: { Code: 'AuthFailure.SignatureFailure', Message: problem }, RequestId: 'r1' } } };
      if (mode === 'error') return { body: { Response: { Error: { Code: 'LimitExceeded.PhoneNumberDailyLimit', Message: 'daily limit' }, RequestId: 'r2' } } };
      const phone = (JSON.parse(r.body) as { PhoneNumberSet: string[] }).PhoneNumberSet[0];
      const status = mode === 'status' ? { Code: 'FailedOperation.TemplateIncorrectOrUnapproved', Message: 'template' } : { Code: 'Ok', Message: 'send success' };
      return { body: { Response: { SendStatusSet: [{ PhoneNumber: phone, ...status }], RequestId: 'r3' } } };
    });
  });
  afterAll(() => sms.close());

  const sender = (over: Partial<ConstructorParameters<typeof TencentSmsSender>[0]> = {}) =>
    new TencentSmsSender({ secretId: SECRET_ID, secretKey: SECRET_KEY, sdkAppId: '1400000001', signName: '码上反映', templateId: '2000001', endpoint: sms.base, now: () => 1_796_000_000, ...over });

  it('sends a signed SendSms request the endpoint accepts, with the code and the minutes as template parameters', async () => {
    mode = 'ok';
    await sender().send('13800001234', '381944', 5);
    const req = sms.requests.at(-1)!;
    expect(req.headers['x-tc-action']).toBe('SendSms');
    expect(req.headers['x-tc-version']).toBe('2021-01-11');
    expect(req.headers['x-tc-region']).toBe('ap-guangzhou');
    expect(JSON.parse(req.body)).toEqual({ PhoneNumberSet: ['+8613800001234'], SmsSdkAppId: '1400000001', SignName: '码上反映', TemplateId: '2000001', TemplateParamSet: ['381944', '5'] });
    expect(verifyTc3(req.headers, req.body)).toBeNull();
  });

  it('a wrong key is refused by the signature check; API errors and failed send statuses throw', async () => {
    mode = 'ok';
    await expect(sender({ secretKey: 'not-the-key' }).send('13800001234', '381944', 5)).rejects.toThrow(/AuthFailure\.SignatureFailure/);
    mode = 'error';
    await expect(sender().send('13800001234', '381944', 5)).rejects.toThrow(/LimitExceeded/);
    mode = 'status';
    await expect(sender().send('13800001234', '381944', 5)).rejects.toThrow(/TemplateIncorrectOrUnapproved/);
  });

  it('through auth.smsSend: a failed send answers sms-failed and stores no code', async () => {
    const rig = await createRig();
    mode = 'error';
    rig.deps.auth = { production: true, sms: sender({ now: undefined }) };
    const srv = await serveRig(rig);
    try {
      expect(await api(srv.base, 'auth', { action: 'smsSend', phone: '13800001234' })).toMatchObject({ ok: false, code: 'sms-failed' });
      expect(rig.count('one_time_codes')).toBe(0);
      mode = 'ok';
      expect(await api(srv.base, 'auth', { action: 'smsSend', phone: '13900001234' })).toMatchObject({ ok: true });
      expect(rig.count('one_time_codes')).toBe(1);
    } finally {
      await srv.close();
      await rig.close();
    }
  });
});
