/**
 * Issue 10 §4, response types once: every action of every function listed below is driven over the
 * real local runtime (SQLite, the seeded demo accounts) and its answer parses strictly under its
 * schema in shared/contracts/responses (a field the schema lacks, or a missing one, fails). The
 * actions come from the api contract itself, so a new action without a response schema fails here.
 * (`stats` is driven on a richer month in statsResponses.test.ts.) Fields the server sent that the
 * app's hand-written types lacked are kept in the schemas: the server is the truth.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { createAccount } from '../../cloudfunctions/lib/accounts';
import { totpCode } from '../../cloudfunctions/lib/passwords';
import { OutboxSmsSender } from '../../cloudfunctions/adapters/sms/outboxSms';
import { WeChatCode2Session } from '../../cloudfunctions/adapters/wechat/code2session';
import { parseHolidayNotice } from '../../shared/calendar';
import type { FileRef } from '../../shared/contracts/common';
import { api, functionNames, type FunctionName } from '../../shared/contracts/api';
import { responses } from '../../shared/contracts/responses';
import { createHarness, submitAndDispatch, type Dispatched, type Harness, type Who } from '../support/functionHarness';

const FUNCTIONS = ['resident', 'public', 'staff', 'operator', 'admin', 'media', 'timer', 'auth'] as const satisfies readonly FunctionName[];
type Converted = (typeof FUNCTIONS)[number];

let h: Harness;
let resolved: Dispatched;
let signed: Dispatched;
let confidential: Dispatched;
let submitted: string;
let failedEffect: string;
let photo: FileRef;
let templateId: string;
let inviteCode: string;
let registerCode: string;
let resetCode: string;
let sms: OutboxSmsSender;
let wx: http.Server;
/** Answers earlier actions gave, for the actions that follow from them (totpConfirm needs totpBegin's secret). */
const answers = new Map<string, unknown>();
const PASSWORD = 'Qingshui-river-42';
let sessionId: string;
const NOTICE_2027 = fs.readFileSync(path.join(__dirname, '../shared/fixtures/notices/synthetic-2027.txt'), 'utf8');
const YEAR_2027 = parseHolidayNotice(NOTICE_2027).calendar;
const signToken = (userId: string, session?: string) => `signed-${userId}-${session ?? ''}`;

beforeAll(async () => {
  h = await createHarness({ profile: 'pingli', limits: { submissionsPerHour: 100 } });
  resolved = await submitAndDispatch(h, { submit: { contact: { name: '张明', phone: '13800001234' } } });
  await h.command('demo-staff-cg', 'staff', { type: 'sign', ticketId: resolved.id });
  await h.command('demo-staff-cg', 'staff', { type: 'contact', ticketId: resolved.id, method: 'phone', note: '已电话联系诉求人' });
  await h.command('demo-staff-cg', 'staff', { type: 'reply', ticketId: resolved.id, result: '已现场清运，并调整清运频次。', handler: '刘洋', noCaseReason: '现场整改完毕，无需立案。' });
  await h.command('demo-operator', 'operator', { type: 'reviewResult', ticketId: resolved.id, approve: true });
  signed = await submitAndDispatch(h, { submit: { contact: { name: '张明', phone: '13800001234' } } });
  await h.command('demo-staff-cg', 'staff', { type: 'sign', ticketId: signed.id });
  confidential = await submitAndDispatch(h, { submit: { confidential: true, contact: { name: '李华', phone: '13900005678' } } });
  await h.command('demo-staff-cg', 'staff', { type: 'sign', ticketId: confidential.id });
  // One notice the outbox gave up on, for operator.failedNotices and retryNotice: claimed and settled
  // failed through the store, as the drainer does when every delivery attempt failed.
  templateId = (await h.ok<{ id: string }>('demo-operator', 'admin', { action: 'putTemplate', template: { kind: 'reply', title: '清运答复', text: '已安排清运，并调整清运频次。' } })).id;
  h.deps.drain = 'off';
  submitted = (await h.submit('demo-resident')).ticket.id;
  const [effect] = await h.deps.store.claimEffects('responses-run', h.clock.now(), 1, 60_000);
  await h.deps.store.settleEffect(effect!.id, 'responses-run', { status: 'failed', attempts: 5, nextAt: h.clock.now(), updatedAt: h.clock.now(), lastError: '1 条消息发送失败（send-failed）' });
  failedEffect = effect!.id;
  h.deps.drain = 'inline';
  // Knowledge-base upkeep: two of the units' articles past their review date (kbStale), and a
  // published typical case from the resolved ticket (public.cases comes before operator.putCase).
  for (const id of ['kb-zaoyin', 'kb-tingshui']) {
    const a = (await h.deps.directory.getKb(id))!;
    await h.ok('demo-operator', 'admin', { action: 'putKb', article: { id, title: a.title, answer: a.answer, keywords: a.keywords, unitId: a.unitId, reviewDate: '2025-01-01' } });
  }
  const published = await h.ok<{ id: string }>('demo-operator', 'operator', { action: 'putCase', case: { ticketId: resolved.id, title: '小区垃圾清运不及时', summary: '居民反映小区垃圾连续多日未清运，影响出行。', result: '城管部门已现场清运，并调整清运频次。' } });
  await h.ok('demo-operator', 'operator', { action: 'publishCase', id: published.id, published: true });
  photo = await h.upload('demo-resident');
  // A password account with a session, for admin.resetCode, sessions and revokeSession; one to remove.
  await createAccount(h.deps, { name: '周静', login: 'zhou.jing', password: 'Qingshui-river-42', roles: ['staff'], unitId: 'u-chengguan' }, 'st-zhou');
  await createAccount(h.deps, { name: '孙倩', login: 'sun.qian', password: 'Qingshui-river-42', roles: ['staff'], unitId: 'u-chengguan' }, 'st-sun');
  await h.ok(null, 'auth', { action: 'passwordLogin', login: 'zhou.jing', password: 'Qingshui-river-42' }, { signToken });
  sessionId = (await h.deps.directory.listSessions('st-zhou'))[0]!.id;
  // auth: a password account of its own, two invites, a reset code, the SMS outbox and a WeChat
  // jscode2session server on loopback that knows one code.
  await createAccount(h.deps, { name: '李娜', login: 'li.na', password: PASSWORD, roles: ['staff'], unitId: 'u-chengguan' }, 'st-li');
  await h.ok(null, 'auth', { action: 'passwordLogin', login: 'li.na', password: PASSWORD }, { signToken });
  inviteCode = (await h.ok<{ code: string }>('demo-operator', 'admin', { action: 'invite', role: 'grid' })).code;
  registerCode = (await h.ok<{ code: string }>('demo-operator', 'admin', { action: 'invite', unitId: 'u-chengguan' })).code;
  resetCode = (await h.ok<{ code: string }>('demo-operator', 'admin', { action: 'resetCode', userId: 'st-li' })).code;
  sms = new OutboxSmsSender(h.deps.db, () => h.clock.now(), () => undefined);
  wx = http.createServer((req, res) => {
    const q = new URL(req.url ?? '', 'http://x').searchParams;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(q.get('js_code') === 'code-zhang' ? { openid: 'oZhang_openid_0001', session_key: 'c2Vzc2lvbmtleQ==' } : { errcode: 40029, errmsg: 'invalid code' }));
  });
  await new Promise<void>((r) => wx.listen(0, '127.0.0.1', r));
  const wxBase = `http://127.0.0.1:${(wx.address() as AddressInfo).port}`;
  h.deps.auth = { production: false, sms, wechat: new WeChatCode2Session({ appId: 'wx1234567890abcdef', appSecret: 'app-secret-0123456789abcdef0123', baseUrl: wxBase }, () => undefined) };
});
afterAll(async () => {
  await new Promise((r) => wx.close(r));
  await h.close();
});

interface Call {
  who: Who;
  event: Record<string, unknown>;
  extras?: { signToken?: typeof signToken; ip?: string };
}

/** Who calls each action and with what: a call that must succeed. Typed by the api, so a new action needs an entry. */
async function callFor(fn: Converted, action: string): Promise<Call> {
  const li = await h.caller('st-li');
  const liSession = (await h.deps.directory.listSessions('st-li')).find((x) => x.revokedAt === undefined);
  const calls: { [F in Converted]: Record<keyof (typeof api)[F], Call> } = {
    resident: {
      submit: { who: 'demo-resident', event: { input: h.submitInput({ clientRequestId: 'responses-submit-1' }) } },
      get: { who: 'demo-resident', event: { ticketId: resolved.id } },
      listMine: { who: 'demo-resident', event: {} },
      lookup: { who: 'demo-resident2', event: { number: resolved.number, phoneTail: '1234' } },
      command: { who: 'demo-resident', event: { command: { type: 'rate', ticketId: resolved.id, value: 'satisfied' } } },
      kbSearch: { who: 'demo-resident', event: { text: '社保卡丢了怎么补办' } },
      scene: { who: 'demo-resident', event: { id: 'park-binhe' } },
      profile: { who: 'demo-resident', event: {} },
      subscribe: { who: 'demo-resident', event: { accepted: ['progress'] } },
      nearby: { who: 'demo-resident2', event: { category: '市容环境', location: { area: '东区街道' } } },
      join: { who: 'demo-resident2', event: { ticketId: submitted, category: '市容环境', location: { area: '东区街道' } } },
    },
    public: {
      monthly: { who: null, event: { month: '2026-03' } },
      cases: { who: null, event: {} },
    },
    staff: {
      inbox: { who: 'demo-staff-cg', event: {} },
      counts: { who: 'demo-staff-cg', event: {} },
      get: { who: 'demo-staff-cg', event: { ticketId: signed.id } },
      command: { who: 'demo-staff-cg', event: { command: { type: 'contact', ticketId: signed.id, method: 'phone', note: '已电话联系诉求人' } } },
      revealPhone: { who: 'demo-staff-cg', event: { ticketId: signed.id } },
      relayCall: { who: 'demo-staff-cg', event: { ticketId: confidential.id, note: '请平台转接诉求人' } },
      credits: { who: 'demo-staff-cg', event: {} },
      subscribe: { who: 'demo-staff-cg', event: { accepted: ['assigned'] } },
      messages: { who: 'demo-staff-cg', event: {} },
      templates: { who: 'demo-staff-cg', event: {} },
      kb: { who: 'demo-staff-cg', event: {} },
      proposeKb: { who: 'demo-staff-cg', event: { articleId: 'kb-zaoyin', title: '夜间施工噪声扰民怎么办？', answer: '夜间施工须经批准，可拍摄视频提交诉求。', keywords: ['噪声', '施工'], category: '噪声扰民' } },
    },
    operator: {
      queue: { who: 'demo-operator', event: { queue: 'all' } },
      get: { who: 'demo-operator', event: { ticketId: signed.id } },
      command: { who: 'demo-operator', event: { command: { type: 'accept', ticketId: submitted } } },
      suggestUnits: { who: 'demo-operator', event: { ticketId: submitted } },
      submit: { who: 'demo-operator', event: { input: h.submitInput({ clientRequestId: 'responses-phone-1', channel: 'phone' }) } },
      messages: { who: 'demo-operator', event: {} },
      failedNotices: { who: 'demo-operator', event: {} },
      retryNotice: { who: 'demo-operator', event: { effectId: failedEffect } },
      kbPending: { who: 'demo-operator', event: {} },
      kbReview: { who: 'demo-operator', event: { articleId: 'kb-zaoyin', revisionId: (answers.get('staff.proposeKb') as { pending: { id: string } } | undefined)?.pending.id ?? 'none', approve: true } },
      kbStale: { who: 'demo-operator', event: {} },
      cases: { who: 'demo-operator', event: {} },
      putCase: { who: 'demo-operator', event: { case: { ticketId: resolved.id, title: '夜间施工噪声扰民', summary: '居民反映工地夜间施工噪声影响休息。', result: '城管部门责令停止夜间施工并依法处理。' } } },
      publishCase: { who: 'demo-operator', event: { id: (answers.get('operator.putCase') as { id: string } | undefined)?.id ?? 'none', published: true } },
    },
    admin: {
      units: { who: 'demo-operator', event: {} },
      putUnit: { who: 'demo-operator', event: { unit: { id: 'u-responses', name: '测试单位', categories: ['市容环境'], areas: [], active: true } } },
      invite: { who: 'demo-operator', event: { unitId: 'u-chengguan' } },
      users: { who: 'demo-operator', event: {} },
      accounts: { who: 'demo-operator', event: {} },
      removeUser: { who: 'demo-operator', event: { userId: 'st-sun' } },
      resetCode: { who: 'demo-operator', event: { userId: 'st-zhou' } },
      sessions: { who: 'demo-operator', event: { userId: 'st-zhou' } },
      revokeSession: { who: 'demo-operator', event: { sessionId } },
      audit: { who: 'demo-operator', event: {} },
      scenes: { who: 'demo-operator', event: {} },
      putScene: { who: 'demo-operator', event: { scene: { id: 'responses-scene', place: '测试地点', area: '东区街道' } } },
      poster: { who: 'demo-operator', event: { sceneId: 'park-binhe' } },
      kb: { who: 'demo-operator', event: {} },
      putKb: { who: 'demo-operator', event: { article: { title: '测试条目', answer: '测试答案', keywords: ['测试'] } } },
      deleteKb: { who: 'demo-operator', event: { id: 'kb-juzhuzheng' } },
      calendar: { who: 'demo-operator', event: {} },
      putCalendar: { who: 'demo-operator', event: { year: { year: 2027, holidays: YEAR_2027.holidays, makeUpWorkdays: YEAR_2027.makeUpWorkdays } } },
      parseNotice: { who: 'demo-operator', event: { text: NOTICE_2027 } },
      importNotice: { who: 'demo-operator', event: { text: NOTICE_2027, year: 2027 } },
      profile: { who: 'demo-operator', event: {} },
      contentWords: { who: 'demo-operator', event: {} },
      putContentWords: { who: 'demo-operator', event: { words: ['测试敏感词'] } },
      setProfile: { who: 'demo-operator', event: { profileId: 'pingli' } },
      previewProfile: { who: 'demo-operator', event: { profileId: 'linyi' } },
      templates: { who: 'demo-operator', event: {} },
      putTemplate: { who: 'demo-operator', event: { template: { kind: 'answer', title: '即时答复', text: '您好，您反映的问题已转相关部门。' } } },
      deleteTemplate: { who: 'demo-operator', event: { id: templateId } },
    },
    media: {
      register: { who: 'demo-resident', event: { fileId: photo.fileId } },
      url: { who: 'demo-resident', event: { fileId: photo.fileId } },
    },
    timer: {
      run: { who: null, event: {} },
    },
    auth: {
      login: { who: null, event: { userId: 'demo-resident' }, extras: { signToken } },
      whoami: { who: 'demo-resident', event: {} },
      demoUsers: { who: null, event: {}, extras: { signToken } },
      redeemInvite: { who: 'demo-resident2', event: { code: inviteCode, name: '李芳' } },
      passwordLogin: { who: null, event: { login: 'li.na', password: PASSWORD }, extras: { signToken } },
      totpBegin: { who: 'st-li', event: {} },
      totpConfirm: { who: 'st-li', event: { code: totpCode((answers.get('auth.totpBegin') as { secret: string } | undefined)?.secret ?? '', h.clock.now()) } },
      logout: { who: { ...li, session: liSession }, event: {} },
      sessions: { who: { ...li, session: liSession }, event: {} },
      revokeSession: { who: 'st-li', event: { sessionId: liSession?.id ?? 'none' } },
      resetPassword: { who: null, event: { login: 'li.na', code: resetCode, password: 'a-long-new-passphrase' }, extras: { signToken } },
      registerWithInvite: { who: null, event: { code: registerCode, name: '新同事', login: 'new.colleague', password: 'a-long-new-passphrase' }, extras: { signToken } },
      smsSend: { who: null, event: { phone: '13700002222' }, extras: { signToken, ip: '10.0.0.7' } },
      smsLogin: { who: null, event: { phone: '13700002222', code: /验证码为(\d{6})/.exec(sms.lastTo('13700002222') ?? '')?.[1] ?? '000000' }, extras: { signToken, ip: '10.0.0.7' } },
      wxLogin: { who: null, event: { code: 'code-zhang' }, extras: { signToken } },
    },
  };
  return (calls[fn] as Record<string, Call>)[action]!;
}

const cases = FUNCTIONS.flatMap((fn) => Object.keys(api[fn]).map((action) => [fn, action] as const));

describe('every answer parses strictly under its shared/contracts/responses schema', () => {
  it.each(cases)('%s.%s', async (fn, action) => {
    const schema = (responses[fn] as Record<string, z.ZodTypeAny | undefined>)[action];
    expect(schema ? 'has a schema' : `${fn}.${action} has no response schema`).toBe('has a schema');
    const { who, event, extras } = await callFor(fn, action);
    const data = await h.ok(who, fn, { action, ...event }, extras);
    answers.set(`${fn}.${action}`, data);
    const parsed = schema!.safeParse(data);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    // Not vacuous: every list answer (and every page) carries rows for the schema to check.
    const rows = Array.isArray(data) ? data : (data as { items?: unknown })?.items;
    if (Array.isArray(rows)) expect(rows.length).toBeGreaterThan(0);
  });

  it('every function of the api has its schemas, one per action, and is driven here (stats in statsResponses.test.ts)', () => {
    expect([...FUNCTIONS, 'stats'].sort()).toEqual([...functionNames].sort());
    for (const fn of functionNames) expect(Object.keys((responses as Record<string, object>)[fn] ?? {}).sort()).toEqual(Object.keys(api[fn]).sort());
  });

  it('is strict: a field the server might add fails the parse', () => {
    const extra = { month: '2026-03', from: 0, to: 0, asOf: 0, partial: false, all: { submitted: 0, response: { numerator: 0, denominator: 0, rate: null }, resolution: { numerator: 0, denominator: 0, rate: null }, satisfaction: { numerator: 0, denominator: 0, rate: null }, onTime: { numerator: 0, denominator: 0, rate: null } }, units: [], byCategory: [] };
    expect(responses.public.monthly.safeParse(extra).success).toBe(true);
    expect(responses.public.monthly.safeParse({ ...extra, phone: '13800001234' }).success).toBe(false);
  });
});
