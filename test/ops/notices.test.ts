/**
 * Notices that leave the server (issue 17): the real WeChat HTTPS client (access token through
 * /cgi-bin/stable_token, cached and refreshed; /cgi-bin/message/subscribe/send with the per-template
 * keyword configuration of lib/notices.ts) and the real Tencent SMS client (TC3-signed SendSms),
 * against fake WeChat and SMS servers on 127.0.0.1; then the whole path on real SQLite: a
 * dispatch notifies the unit's staff by WeChat or, without a subscription, by SMS, and a phone
 * caller by SMS, each delivery recorded in the outbox.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccessTokenCache } from '../../cloudfunctions/adapters/notices/accessToken';
import { WeChatSubscribeSender } from '../../cloudfunctions/adapters/notices/wechatSubscribe';
import { SmsNoticeSender } from '../../cloudfunctions/adapters/notices/smsNotice';
import { NoticeChannels } from '../../cloudfunctions/adapters/notices/channels';
import { noticeSenderFromEnv } from '../../cloudfunctions/adapters/notices/fromConfig';
import { TencentSmsSender } from '../../cloudfunctions/adapters/sms/tencentSms';
import { DeliveringNotifier, SendError } from '../../cloudfunctions/lib/delivery';
import { parseKeywords, type TemplateConfigs } from '../../cloudfunctions/lib/notices';
import type { Notice } from '../../shared/ports';
import type { Ticket } from '../../shared/contracts/ticket';
import type { Effect } from '../../shared/workflow/effects';
import { outboxEffects, sendEffect } from '../../cloudfunctions/lib/effects';
import { createRig, dispatched, type Rig } from '../support/reliabilityHarness';

interface Fake {
  base: string;
  tokenFetches: number;
  sent: { token: string; body: Record<string, unknown> }[];
  sms: { auth: string; body: { PhoneNumberSet: string[]; TemplateId: string; TemplateParamSet: string[]; SmsSdkAppId: string } }[];
  /** Per openid: the errcode WeChat answers (default 0), or 'hang'. */
  answers: Map<string, number | 'hang'>;
  /** Tokens WeChat no longer accepts. */
  expired: Set<string>;
  close(): Promise<void>;
}

async function fakeServers(): Promise<Fake> {
  const f = { tokenFetches: 0, sent: [], sms: [], answers: new Map(), expired: new Set() } as unknown as Fake;
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString('utf8')));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const json = (o: unknown) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(o));
      };
      const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      if (url.pathname === '/cgi-bin/stable_token') {
        if (body.appid !== 'wx-app' || body.secret !== 'wx-secret') return json({ errcode: 40125, errmsg: 'invalid appsecret' });
        f.tokenFetches++;
        return json({ access_token: `tok-${f.tokenFetches}`, expires_in: 7200 });
      }
      if (url.pathname === '/cgi-bin/message/subscribe/send') {
        const token = url.searchParams.get('access_token') ?? '';
        if (!/^tok-\d+$/.test(token)) return json({ errcode: 40001, errmsg: 'invalid credential' });
        if (f.expired.has(token)) return json({ errcode: 42001, errmsg: 'access_token expired' });
        const answer = f.answers.get(String(body.touser)) ?? 0;
        if (answer === 'hang') return; // never answers
        if (answer === 0) f.sent.push({ token, body });
        return json({ errcode: answer, errmsg: answer === 0 ? 'ok' : 'refused' });
      }
      if (url.pathname === '/' && req.headers['x-tc-action'] === 'SendSms') {
        const auth = String(req.headers.authorization ?? '');
        if (!auth.startsWith('TC3-HMAC-SHA256 Credential=sms-id/')) return json({ Response: { Error: { Code: 'AuthFailure.SignatureFailure', Message: 'bad' } } });
        const b = body as unknown as Fake['sms'][number]['body'];
        if (b.PhoneNumberSet[0] === '+8613300000000') return json({ Response: { SendStatusSet: [{ Code: 'InvalidParameterValue.IncorrectPhoneNumber', Message: 'wrong number' }] } });
        f.sms.push({ auth, body: b });
        return json({ Response: { SendStatusSet: [{ Code: 'Ok', PhoneNumber: b.PhoneNumberSet[0] }], RequestId: 'r1' } });
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  f.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  f.close = () => {
    server.closeAllConnections();
    return new Promise((r) => server.close(() => r()));
  };
  return f;
}

const KEYS = parseKeywords('thing1:title,character_string2:number,phrase3:status,time4:time,thing5:summary');
if (typeof KEYS === 'string') throw new Error(KEYS);
const TEMPLATES: TemplateConfigs = { assigned: { id: 'TPL-ASSIGNED-ID', keywords: KEYS }, progress: { id: 'TPL-PROGRESS-ID', keywords: KEYS } };
const NOTICE: Notice = { template: 'assigned', ticketId: 't1', ticketNumber: 'BY-2026-000123', title: '滨河公园南门垃圾桶已经三天没有清运了请尽快处理', status: '待签收', summary: '请在规定时间内签收', at: Date.UTC(2026, 2, 2, 2, 0), page: 'packageStaff/pages/ticket/index?id=t1' };

let fake: Fake;
beforeEach(async () => {
  fake = await fakeServers();
});
afterEach(() => fake.close());

const smsClient = () => new TencentSmsSender({ secretId: 'sms-id', secretKey: 'sms-key', sdkAppId: '1400000001', signName: '码上反映', templateId: 'CODE-TPL', endpoint: fake.base });

describe('WeChat subscription messages over HTTPS', () => {
  it('fetches the access token once for concurrent sends, caches it, and fills the template keywords', async () => {
    const tokens = new AccessTokenCache({ appId: 'wx-app', appSecret: 'wx-secret', baseUrl: fake.base });
    const sender = new WeChatSubscribeSender({ tokens, templates: TEMPLATES, miniprogramState: 'trial' });
    await Promise.all(['o-1', 'o-2', 'o-3'].map((openid) => sender.send({ userId: openid, openid }, NOTICE)));
    await sender.send({ userId: 'o-4', openid: 'o-4' }, NOTICE);
    expect(fake.tokenFetches).toBe(1);
    expect(fake.sent).toHaveLength(4);
    expect(fake.sent[0]!.body).toEqual({
      touser: 'o-1',
      template_id: 'TPL-ASSIGNED-ID',
      page: 'packageStaff/pages/ticket/index?id=t1',
      data: { thing1: { value: '滨河公园南门垃圾桶已经三天没有清运了请…' }, character_string2: { value: 'BY-2026-000123' }, phrase3: { value: '待签收' }, time4: { value: '2026年3月2日 10:00' }, thing5: { value: '请在规定时间内签收' } },
      miniprogram_state: 'trial',
      lang: 'zh_CN',
    });
  });

  it('refreshes a token WeChat says has expired and sends again, once', async () => {
    let now = 0;
    const tokens = new AccessTokenCache({ appId: 'wx-app', appSecret: 'wx-secret', baseUrl: fake.base, now: () => now });
    const sender = new WeChatSubscribeSender({ tokens, templates: TEMPLATES });
    await sender.send({ userId: 'a', openid: 'o-a' }, NOTICE);
    fake.expired.add('tok-1');
    await sender.send({ userId: 'b', openid: 'o-b' }, NOTICE);
    expect(fake.tokenFetches).toBe(2);
    expect(fake.sent.map((s) => s.token)).toEqual(['tok-1', 'tok-2']);
    // And a cached token is replaced before it runs out (expires_in 7200 s, 5 minutes early).
    now += 7200_000 - 299_000;
    await sender.send({ userId: 'c', openid: 'o-c' }, NOTICE);
    expect(fake.tokenFetches).toBe(3);
  });

  it('turns WeChat answers into the kinds the notifier acts on', async () => {
    const tokens = new AccessTokenCache({ appId: 'wx-app', appSecret: 'wx-secret', baseUrl: fake.base });
    const sender = new WeChatSubscribeSender({ tokens, templates: TEMPLATES, timeoutMs: 300 });
    fake.answers.set('o-nosub', 43101).set('o-bad', 47003).set('o-busy', -1).set('o-hang', 'hang');
    const kind = (openid: string, n: Notice = NOTICE) => sender.send({ userId: openid, openid }, n).then(() => 'sent', (e: SendError) => `${e.kind}:${e.errCode}`);
    expect(await kind('o-nosub')).toBe('no-subscription:43101');
    expect(await kind('o-bad')).toBe('permanent:47003');
    expect(await kind('o-busy')).toBe('other:-1');
    expect(await kind('o-hang')).toBe('timeout:timeout');
    expect(await kind('o-ok', { ...NOTICE, template: 'overdue' })).toBe('permanent:no-template');
    expect(await sender.send({ userId: 'x' }, NOTICE).catch((e: SendError) => e.kind)).toBe('no-subscription');
    const wrongSecret = new WeChatSubscribeSender({ tokens: new AccessTokenCache({ appId: 'wx-app', appSecret: 'nope', baseUrl: fake.base }), templates: TEMPLATES });
    expect(await wrongSecret.send({ userId: 'y', openid: 'o-y' }, NOTICE).catch((e: SendError) => `${e.kind}:${e.errCode}`)).toBe('other:40125');
  });
});

describe('notices by SMS and the channel choice, on real SQLite', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await createRig();
  });
  afterAll(() => rig.close());

  it('sends by SMS with the notice template, the phone from the user record or the phone caller', async () => {
    const sms = new SmsNoticeSender({ sms: smsClient(), directory: rig.deps.directory, templateId: 'NOTICE-TPL', params: ['number', 'status'] });
    await sms.send({ userId: 'demo-resident' }, NOTICE);
    await sms.send({ userId: 'caller:t1', phone: '13912345678' }, NOTICE);
    expect(fake.sms.map((m) => [m.body.PhoneNumberSet[0], m.body.TemplateId, m.body.TemplateParamSet])).toEqual([
      ['+8613800001234', 'NOTICE-TPL', ['BY-2026-000123', '待签收']],
      ['+8613912345678', 'NOTICE-TPL', ['BY-2026-000123', '待签收']],
    ]);
    expect(fake.sms[0]!.body.SmsSdkAppId).toBe('1400000001');
    expect(await sms.send({ userId: 'caller:t2', phone: '13300000000' }, NOTICE).catch((e: SendError) => `${e.kind}:${e.errCode}`)).toBe('permanent:InvalidParameterValue.IncorrectPhoneNumber');
    expect(await sms.send({ userId: 'nobody' }, NOTICE).catch((e: SendError) => e.kind)).toBe('no-subscription');
  });

  it('a dispatch reaches staff by WeChat when subscribed, by SMS when not; a phone caller by SMS; every delivery in the outbox', async () => {
    await rig.deps.directory.putUser({ ...(await rig.deps.directory.getUser('demo-staff-cg'))!, openid: 'o-staff-cg', phone: '13700000001' });
    // A second member of the unit without a WeChat subscription (no openid), reachable by phone.
    await rig.deps.directory.putUser({ id: 'staff-cg-2', name: '王强（城管局）', roles: ['staff'], unitId: 'u-chengguan', phone: '13700000002' });
    const { sender, lines } = noticeSenderFromEnv(
      { TPL_ASSIGNED: 'TPL-ASSIGNED-ID', TPL_ASSIGNED_KEYS: 'thing1:title,character_string2:number,phrase3:status,time4:time,thing5:summary', TPL_PROGRESS: 'TPL-PROGRESS-ID', TPL_PROGRESS_KEYS: 'thing1:title,phrase3:status,time4:time', SMS_NOTICE_TEMPLATE: 'NOTICE-TPL' },
      { directory: rig.deps.directory, wechat: { appId: 'wx-app', appSecret: 'wx-secret', baseUrl: fake.base }, sms: { secretId: 'sms-id', secretKey: 'sms-key', sdkAppId: '1400000001', signName: '码上反映', templateId: 'CODE-TPL', endpoint: fake.base } },
    );
    expect(lines.join('\n')).toContain('2/7 subscription templates configured');
    expect(lines.join('\n')).toContain('WeChat subscription messages + SMS');
    rig.deps.notifier = new DeliveringNotifier(rig.deps.directory, sender!, () => rig.clock.now());

    const t = await dispatched(rig);
    const staffWeChat = fake.sent.filter((s) => s.body.touser === 'o-staff-cg');
    expect(staffWeChat).toHaveLength(1);
    expect(staffWeChat[0]!.body.template_id).toBe('TPL-ASSIGNED-ID');
    expect((staffWeChat[0]!.body.data as Record<string, { value: string }>).character_string2!.value).toBe(t.number.replace(/[^\x21-\x7e]/g, '').slice(0, 32));
    // Unit staff without a subscription got an SMS instead.
    expect(fake.sms.filter((m) => m.body.PhoneNumberSet[0] === '+8613700000002').map((m) => m.body.TemplateParamSet[0])).toEqual([t.number]);
    expect(fake.sms.some((m) => m.body.PhoneNumberSet[0] === '+8613700000001')).toBe(false);
    const rows = rig.deps.db.prepare("SELECT user_id, template, status FROM deliveries WHERE ticket_id = ? AND template = 'assigned'").all(t.id) as { user_id: string; status: string }[];
    expect(rows.find((r) => r.user_id === 'demo-staff-cg')).toMatchObject({ status: 'delivered' });
    expect(rows.find((r) => r.user_id === 'staff-cg-2')).toMatchObject({ status: 'delivered' });
    expect(rows.every((r) => r.status === 'delivered')).toBe(true);

    // A phone caller (no account, the number taken on the phone) is notified by SMS and recorded for the ticket.
    const caller: Ticket = { ...t, channel: 'phone', requester: { name: '来电人', phone: '13912340000', confidential: false } };
    const [event] = await rig.events(t.id);
    for (const e of outboxEffects(caller, event!, [{ kind: 'notify', audience: { kind: 'requester' }, template: 'progress', ticketId: t.id, summary: '您的诉求已受理' } as Extract<Effect, { kind: 'notify' }>])) await sendEffect(rig.deps, e);
    expect(fake.sms.filter((m) => m.body.PhoneNumberSet[0] === '+8613912340000').map((m) => m.body.TemplateParamSet[0])).toEqual([t.number]);
    expect(rig.deps.db.prepare('SELECT status FROM deliveries WHERE user_id = ?').pluck().get(`caller:${t.id}`)).toBe('delivered');
  });

  it('falls back to SMS when WeChat says no subscription is left, and not after a timeout', async () => {
    const tokens = new AccessTokenCache({ appId: 'wx-app', appSecret: 'wx-secret', baseUrl: fake.base });
    const channels = new NoticeChannels(new WeChatSubscribeSender({ tokens, templates: TEMPLATES, timeoutMs: 300 }), new SmsNoticeSender({ sms: smsClient(), directory: rig.deps.directory, templateId: 'NOTICE-TPL', params: ['number'] }));
    fake.answers.set('o-used-up', 43101).set('o-slow', 'hang');
    await channels.send({ userId: 'demo-resident', openid: 'o-used-up' }, NOTICE);
    expect(fake.sms.map((m) => m.body.PhoneNumberSet[0])).toEqual(['+8613800001234']);
    await expect(channels.send({ userId: 'demo-resident', openid: 'o-slow' }, NOTICE)).rejects.toMatchObject({ kind: 'timeout' });
    expect(fake.sms).toHaveLength(1);
    await expect(new NoticeChannels(null, null).send({ userId: 'u' }, NOTICE)).rejects.toMatchObject({ kind: 'no-subscription' });
  });
});
