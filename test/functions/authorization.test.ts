/**
 * Authorisation: every function × action × kind of caller. A refused call answers with a stable
 * code and leaves every table as it was. Identity comes from the runtime, never from the event.
 */
import { api, functionNames, type FunctionName } from '../../shared/contracts/api';
import { FUNCTION_ROLES, PUBLIC_ACTIONS } from '../../cloudfunctions/lib/identity';
import type { Caller } from '../../cloudfunctions/lib/identity';
import type { FileRef } from '../../shared/contracts/common';
import { CONFIDENTIAL_CONTACT } from '../../shared/workflow/visibility';
import { DAY, T0, createHarness, submitAndDispatch, type Detail, type Dispatched, type Harness, type Page } from '../support/functionHarness';

type Kind = 'resident' | 'grid' | 'staff' | 'operator' | 'anonymous' | 'deleted';
const KINDS: Kind[] = ['resident', 'grid', 'staff', 'operator', 'anonymous', 'deleted'];
const USER: Record<Exclude<Kind, 'anonymous' | 'deleted'>, string> = { resident: 'demo-resident', grid: 'demo-grid', staff: 'demo-staff-cg', operator: 'demo-operator' };
const AUTH_CODES = ['forbidden', 'unauthenticated', 'token-invalid'];

let h: Harness;
let ticket: Dispatched;
let residentFile: FileRef;
let deleted: Caller;
const signToken = (userId: string) => `signed-${userId}`;

function who(kind: Kind): string | null | Caller {
  if (kind === 'anonymous') return null;
  if (kind === 'deleted') return deleted;
  return USER[kind];
}

/** A valid event for each action, so that a refusal can only come from who calls. */
function eventFor(fn: FunctionName, action: string): Record<string, unknown> {
  const period = { from: T0 - 30 * DAY, to: T0 + DAY };
  const events: { [F in FunctionName]: Record<keyof (typeof api)[F], Record<string, unknown>> } = {
    auth: {
      login: { userId: 'demo-resident' },
      whoami: {},
      demoUsers: {},
      redeemInvite: { code: 'ABCDEFGH', name: '新同事' },
      passwordLogin: { login: 'nobody.here', password: 'wrong-password-1' },
      totpBegin: {},
      totpConfirm: { code: '123456' },
      logout: {},
      sessions: {},
      revokeSession: { sessionId: 's_AAAAAAAAAAAAAAAA' },
      resetPassword: { login: 'nobody.here', code: 'ABCDEFGHJK', password: 'a-long-new-passphrase' },
      registerWithInvite: { code: 'ABCDEFGH', name: '新同事', login: 'new.colleague', password: 'a-long-new-passphrase' },
      smsSend: { phone: '13800001234' },
      smsLogin: { phone: '13800001234', code: '123456' },
      wxLogin: { code: 'wx-code-1' },
    },
    resident: {
      submit: { input: h.submitInput({ clientRequestId: 'matrix-submit-1' }) },
      get: { ticketId: ticket.id },
      listMine: {},
      lookup: { number: ticket.number, phoneTail: '1234' },
      command: { command: { type: 'withdraw', ticketId: ticket.id } },
      kbSearch: { text: '社保卡丢了怎么补办' },
      scene: { id: 'park-binhe' },
      profile: {},
      subscribe: { accepted: ['progress'] },
      nearby: { category: '市容环境', location: { area: '东区街道' } },
      // Another matter: refused as not found for everyone, so no caller joins the ticket the other cases use.
      join: { ticketId: ticket.id, category: '供水', location: { area: '西区街道' } },
    },
    staff: {
      inbox: {},
      counts: {},
      get: { ticketId: ticket.id },
      command: { command: { type: 'contact', ticketId: ticket.id, method: 'phone', note: '已电话联系' } },
      revealPhone: { ticketId: ticket.id },
      relayCall: { ticketId: ticket.id, note: '请平台转接' },
      credits: {},
      subscribe: { accepted: ['assigned'] },
      messages: {},
      templates: {},
      kb: {},
      proposeKb: { articleId: 'kb-zaoyin', title: '夜间施工噪声扰民怎么办？', answer: '夜间施工须经批准，可提交诉求。', keywords: ['噪声'] },
    },
    operator: {
      queue: { queue: 'all' },
      get: { ticketId: ticket.id },
      command: { command: { type: 'pauseClock', ticketId: ticket.id, code: 'no-such-pause' } },
      suggestUnits: { ticketId: ticket.id },
      submit: { input: h.submitInput({ clientRequestId: 'matrix-phone-1', channel: 'phone' }) },
      messages: {},
      failedNotices: {},
      retryNotice: { effectId: 'no-such-effect' },
      kbPending: {},
      kbReview: { articleId: 'kb-zaoyin', revisionId: 'kbrev-none', approve: true },
      kbStale: {},
      cases: {},
      putCase: { case: { ticketId: ticket.id, title: '小区垃圾清运不及时', summary: '居民反映小区垃圾连续多日未清运。', result: '城管部门已安排清运并加密频次。' } },
      publishCase: { id: 'case-none', published: true },
    },
    stats: {
      figures: period,
      trend: period,
      hotspots: period,
      repeated: period,
      collective: period,
      frequentRequesters: period,
      exportCsv: { kind: 'tickets', ...period },
      rates: { by: 'area', ...period },
      figureTickets: { metric: 'response', by: 'all', key: '*', ...period },
      warnings: {},
      briefing: { kind: 'month' },
      briefingXlsx: { kind: 'week' },
    },
    admin: {
      units: {},
      putUnit: { unit: { id: 'u-matrix', name: '测试单位', categories: [], areas: [], active: true } },
      invite: { unitId: 'u-chengguan' },
      users: {},
      accounts: {},
      removeUser: { userId: 'matrix-leaver' },
      resetCode: { userId: 'matrix-leaver' },
      sessions: { userId: 'matrix-leaver' },
      revokeSession: { sessionId: 's_AAAAAAAAAAAAAAAA' },
      audit: {},
      scenes: {},
      putScene: { scene: { id: 'matrix-scene', place: '测试地点' } },
      poster: { sceneId: 'park-binhe' },
      kb: {},
      putKb: { article: { title: '测试条目', answer: '测试答案', keywords: ['测试'] } },
      deleteKb: { id: 'kb-juzhuzheng' },
      calendar: {},
      putCalendar: { year: { year: 2031, holidays: ['2031-01-01'], makeUpWorkdays: [] } },
      parseNotice: { text: '国务院办公厅关于2031年部分节假日安排的通知\n一、元旦：1月1日（周三）放假1天，不调休。' },
      importNotice: { text: '国务院办公厅关于2031年部分节假日安排的通知\n一、元旦：1月1日（周三）放假1天，不调休。', year: 2031 },
      profile: {},
      contentWords: {},
      putContentWords: { words: ['矩阵测试词'] },
      setProfile: { profileId: 'baiyin' },
      previewProfile: { profileId: 'linyi' },
      templates: {},
      putTemplate: { template: { kind: 'refusal', title: '矩阵', text: '矩阵测试模板' } },
      deleteTemplate: { id: 'tpl-matrix' },
    },
    media: {
      register: { fileId: residentFile.fileId },
      url: { fileId: residentFile.fileId },
    },
    timer: {
      run: {},
    },
    public: {
      monthly: { month: '2026-03' },
      cases: {},
    },
  };
  return { action, ...(events[fn] as Record<string, Record<string, unknown>>)[action] };
}

/** The refusal each kind of caller gets from a function, or 'allowed'. */
function expected(fn: FunctionName, action: string, kind: Kind): string {
  // A deleted account is refused everywhere; the demo login and list may ignore the caller altogether.
  if (kind === 'deleted') return fn === 'auth' && (action === 'login' || action === 'demoUsers') ? 'ignores-caller' : 'token-invalid';
  const serves = FUNCTION_ROLES[fn]!;
  if (serves === 'anyone') {
    // auth: login and the demo list need no session; who-am-I and binding do.
    if (kind === 'anonymous' && ['whoami', 'redeemInvite', 'totpBegin', 'totpConfirm', 'logout', 'sessions', 'revokeSession'].includes(action)) return 'unauthenticated';
    return 'allowed';
  }
  if (serves.includes('system')) return kind === 'anonymous' ? 'allowed' : 'forbidden';
  // Looking a ticket up by number + phone tail needs no account (a phone reporter has none).
  if (kind === 'anonymous') return PUBLIC_ACTIONS.has(`${fn}.${action}`) ? 'allowed' : 'unauthenticated';
  return serves.includes(kind) ? 'allowed' : 'forbidden';
}

beforeAll(async () => {
  h = await createHarness({ profile: 'baiyin' });
  residentFile = await h.upload('demo-resident');
  ticket = await submitAndDispatch(h, { assist: ['u-dongqu'] });
  await h.command('demo-staff-cg', 'staff', { type: 'sign', ticketId: ticket.id });
  await h.deps.directory.putUser({ id: 'gone-staff', name: '已离职', roles: ['staff'], unitId: 'u-chengguan', deletedAt: T0 - DAY });
  deleted = { user: await h.deps.directory.getUser('gone-staff') };
  await h.deps.directory.putUser({ id: 'matrix-leaver', name: '将被移除', roles: ['staff'], unitId: 'u-zhujian' });
});
afterAll(() => h.close());

const matrix = functionNames.flatMap((fn) => Object.keys(api[fn]).flatMap((action) => KINDS.map((kind) => [fn, action, kind, expected(fn, action, kind)] as const)));

describe('every function × action × caller', () => {
  it('anonymous callers get exactly one public action: the look-up', () => {
    expect([...PUBLIC_ACTIONS]).toEqual(['resident.lookup']);
  });

  it('covers every action of the contract', () => {
    const actions = functionNames.reduce((n, fn) => n + Object.keys(api[fn]).length, 0);
    expect(matrix).toHaveLength(actions * KINDS.length);
  });

  it.each(matrix)('%s.%s by %s → %s', async (fn, action, kind, want) => {
    const event = eventFor(fn, action);
    const before = h.snapshot();
    const r = await h.call(who(kind), fn, event, { signToken, ip: '127.0.0.1' });
    if (want === 'ignores-caller') {
      if (!r.ok) expect(r.code).toBe('token-invalid');
      return;
    }
    if (want === 'allowed') {
      // It may still be refused for what it asks (a state, a missing record) but never for who asks.
      if (!r.ok) expect(AUTH_CODES).not.toContain(r.code);
      return;
    }
    expect(r).toMatchObject({ ok: false, code: want });
    if (!r.ok) expect(r.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(h.snapshot()).toBe(before);
  });
});

describe('without a session signer (CloudBase), demo logins do not exist', () => {
  it.each(['login', 'demoUsers'])('auth.%s is refused for everyone', async (action) => {
    for (const kind of ['anonymous', 'resident', 'operator'] as Kind[]) {
      const r = await h.call(who(kind), 'auth', eventFor('auth', action));
      expect(r).toMatchObject({ ok: false, code: 'forbidden' });
    }
  });
});

describe('tickets of other people and other units', () => {
  const refusedWith = async (code: string, userId: string, fn: string, event: Record<string, unknown>, except: string[] = []) => {
    const before = h.snapshot(except);
    const r = await h.refused(userId, fn, event);
    expect(r.code).toBe(code);
    expect(h.snapshot(except)).toBe(before);
  };

  it('another resident or a grid worker cannot read or act on a resident’s ticket', async () => {
    for (const userId of ['demo-resident2', 'demo-grid']) {
      await refusedWith('not-found', userId, 'resident', { action: 'get', ticketId: ticket.id });
      await refusedWith('not-found', userId, 'resident', { action: 'command', command: { type: 'withdraw', ticketId: ticket.id } });
      await refusedWith('not-found', userId, 'resident', { action: 'command', command: { type: 'rate', ticketId: ticket.id, value: 'satisfied' } });
      await refusedWith('not-found', userId, 'resident', { action: 'command', command: { type: 'requestRework', ticketId: ticket.id, reason: '不满意' } });
      await refusedWith('not-found', userId, 'resident', { action: 'command', command: { type: 'objectMalicious', ticketId: ticket.id, reason: '并非有意' } });
      const mine = await h.ok<Page>(userId, 'resident', { action: 'listMine', limit: 100 });
      expect(mine.items.map((i) => i.id)).not.toContain(ticket.id);
    }
  });

  it('a resident cannot fetch or attach someone else’s upload', async () => {
    await refusedWith('file-not-owned', 'demo-resident2', 'media', { action: 'url', fileId: residentFile.fileId });
    await refusedWith('file-not-owned', 'demo-resident2', 'media', { action: 'register', fileId: residentFile.fileId });
    // The refused submission still uses up one of the hourly allowance (rate_hits): limits.test.ts holds that defect.
    await refusedWith('file-not-owned', 'demo-resident2', 'resident', { action: 'submit', input: h.submitInput({ attachments: [residentFile] }) }, ['rate_hits']);
  });

  it('staff of another unit cannot read, list or act on the ticket', async () => {
    await refusedWith('not-found', 'demo-staff-zj', 'staff', { action: 'get', ticketId: ticket.id });
    for (const command of [
      { type: 'sign', ticketId: ticket.id },
      { type: 'contact', ticketId: ticket.id, method: 'phone', note: '联系' },
      { type: 'reply', ticketId: ticket.id, result: '已处理，经现场核实已办结', handler: '陈静' },
      { type: 'requestReturn', ticketId: ticket.id, reason: '不属于本单位' },
      { type: 'requestExtension', ticketId: ticket.id, reason: '需要时间' },
      { type: 'assistFeedback', ticketId: ticket.id, note: '协办意见' },
      { type: 'appealCounting', ticketId: ticket.id, groundCode: 'not-duty', metrics: ['response'], reason: '不属于本单位职责' },
    ]) {
      await refusedWith('not-found', 'demo-staff-zj', 'staff', { action: 'command', command });
    }
    const inbox = await h.ok<Page>('demo-staff-zj', 'staff', { action: 'inbox', limit: 100 });
    expect(inbox.items.map((i) => i.id)).not.toContain(ticket.id);
  });

  it('staff of another unit cannot fetch the photos of a ticket they cannot see', async () => {
    const photo = await h.upload('demo-resident');
    const t = await submitAndDispatch(h, { submit: { attachments: [photo] } });
    // 住建局 cannot read the ticket, so it has no business with its photo.
    expect((await h.refused('demo-staff-zj', 'staff', { action: 'get', ticketId: t.id })).code).toBe('not-found');
    const r = await h.call('demo-staff-zj', 'media', { action: 'url', fileId: photo.fileId });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(['file-not-owned', 'not-found', 'forbidden']).toContain(r.code);
  });

  it('an assisting unit cannot do the lead’s work, and the lead cannot feed back as an assistant', async () => {
    for (const command of [
      { type: 'contact', ticketId: ticket.id, method: 'phone', note: '联系' },
      { type: 'reply', ticketId: ticket.id, result: '已处理，经现场核实已办结', handler: '孙磊' },
      { type: 'requestReturn', ticketId: ticket.id, reason: '不属于本单位' },
      { type: 'requestExtension', ticketId: ticket.id, reason: '需要时间' },
      { type: 'appealCounting', ticketId: ticket.id, groundCode: 'not-duty', metrics: ['response'], reason: '不属于本单位职责' },
    ]) {
      await refusedWith('not-lead-unit', 'demo-staff-dq', 'staff', { action: 'command', command });
    }
    await refusedWith('not-assignee', 'demo-staff-cg', 'staff', { action: 'command', command: { type: 'assistFeedback', ticketId: ticket.id, note: '主办自己反馈' } });
  });

  it('a deleted account cannot redeem an invite (the code stays usable)', async () => {
    const invite = await h.ok<{ code: string }>('demo-operator', 'admin', { action: 'invite', unitId: 'u-zhujian' });
    const before = h.snapshot();
    const r = await h.call(deleted, 'auth', { action: 'redeemInvite', code: invite.code, name: '已离职' });
    expect(r).toMatchObject({ ok: false, code: 'token-invalid' });
    expect(h.snapshot()).toBe(before);
    // The code still works for the person it was meant for.
    await h.deps.directory.putUser({ id: 'new-staff', name: '新人', roles: ['resident'] });
    const joined = await h.ok<{ unitId: string; roles: string[] }>('new-staff', 'auth', { action: 'redeemInvite', code: invite.code, name: '新同事' });
    expect(joined).toMatchObject({ unitId: 'u-zhujian', roles: ['staff', 'resident'] });
  });

  it('a staff account not yet bound to a unit is refused by the staff function', async () => {
    await h.deps.directory.putUser({ id: 'unbound-staff', name: '未绑定', roles: ['staff'] });
    const r = await h.refused('unbound-staff', 'staff', { action: 'inbox' });
    expect(r).toEqual({ code: 'forbidden', message: '请先使用邀请码加入承办单位' });
  });

  it('hides who complained from the unit complained about, and a confidential requester from every unit', async () => {
    const complaint = await h.submit('demo-resident', { content: '城管执法人员态度恶劣，推搡摊贩。' });
    await h.command('demo-operator', 'operator', { type: 'accept', ticketId: complaint.ticket.id });
    await h.command('demo-operator', 'operator', { type: 'dispatch', ticketId: complaint.ticket.id, mode: 'single', unitIds: ['u-chengguan'], assistUnitIds: [], complainedUnitId: 'u-chengguan' });
    const secret = await submitAndDispatch(h, { lead: 'u-zhujian', submit: { confidential: true } });

    for (const [staffId, id] of [['demo-staff-cg', complaint.ticket.id], ['demo-staff-zj', secret.id]] as const) {
      const d = await h.ok<Detail>(staffId, 'staff', { action: 'get', ticketId: id });
      expect(d.ticket.requesterShown).toBe(CONFIDENTIAL_CONTACT);
      expect(d.ticket.requester).not.toHaveProperty('phone');
      expect(d.ticket.requester).not.toHaveProperty('name');
      expect(d.ticket.reporter.userId).toBe('hidden');
      expect(JSON.stringify(d)).not.toContain('demo-resident');
      expect(JSON.stringify(d)).not.toContain('13800001234');
      const inbox = await h.ok<Page>(staffId, 'staff', { action: 'inbox', limit: 100 });
      expect(JSON.stringify(inbox.items.filter((i) => i.id === id))).not.toContain('1234');
    }
    // An ordinary ticket shows units a masked phone only.
    const plain = await h.ok<Detail>('demo-staff-cg', 'staff', { action: 'get', ticketId: ticket.id });
    expect(plain.ticket.requester.phone).toBe('138****1234');
    const queue = await h.ok<Page>('demo-operator', 'operator', { action: 'queue', queue: 'all', limit: 100 });
    expect(JSON.stringify(queue)).not.toContain('13800001234');
  });
});

describe('identity never comes from the event', () => {
  const cases: [string, string, string, Record<string, unknown>][] = [
    ['a role at the top level', 'demo-resident', 'resident', { action: 'listMine', role: 'operator' }],
    ['a unit at the top level', 'demo-staff-cg', 'staff', { action: 'inbox', unitId: 'u-zhujian' }],
    ['an openid at the top level', 'demo-resident', 'resident', { action: 'get', ticketId: 'x', openid: 'o-operator' }],
    ['a user id at the top level', 'demo-resident2', 'resident', { action: 'listMine', userId: 'demo-resident' }],
    ['a role inside the submission', 'demo-resident', 'resident', { action: 'submit', input: { clientRequestId: 'spoof-00001', type: 'complaint', category: '市容环境', content: '冒充操作员提交的内容', role: 'operator' } }],
    ['a unit inside a command', 'demo-staff-zj', 'staff', { action: 'command', command: { type: 'contact', ticketId: 'x', method: 'phone', note: 'x', unitId: 'u-chengguan' } }],
    ['an actor inside a command', 'demo-resident', 'resident', { action: 'command', command: { type: 'withdraw', ticketId: 'x', actor: { userId: 'demo-operator', role: 'operator' } } }],
    ['an operator command through the resident function', 'demo-resident', 'resident', { action: 'command', command: { type: 'accept', ticketId: 'x' } }],
    ['the operator’s record of an improper request through the staff function', 'demo-staff-cg', 'staff', { action: 'command', command: { type: 'recordMalicious', ticketId: 'x', groundCode: 'harassment', note: '辱骂' } }],
    ['the operator’s decision of an objection through the resident function', 'demo-resident', 'resident', { action: 'command', command: { type: 'reviewObjection', ticketId: 'x', upheld: true, note: '撤销' } }],
    ['a staff command through the resident function', 'demo-resident', 'resident', { action: 'command', command: { type: 'reply', ticketId: 'x', result: '已处理，经现场核实已办结', handler: '我' } }],
    ['the timer-only command through the operator function', 'demo-operator', 'operator', { action: 'command', command: { type: 'markOverdue', ticketId: 'x', kinds: ['handle'] } }],
  ];

  it.each(cases)('%s is refused as invalid input and changes nothing', async (_what, userId, fn, event) => {
    const before = h.snapshot();
    const r = await h.refused(userId, fn, event);
    expect(r.code).toBe('invalid-input');
    expect(h.snapshot()).toBe(before);
  });

  it('the platform’s own userInfo is dropped: who-am-I still answers with the caller', async () => {
    const me = await h.ok<{ id: string; roles: string[] }>('demo-resident', 'auth', { action: 'whoami', userInfo: { openId: 'o-operator', appId: 'wx' } });
    expect(me).toMatchObject({ id: 'demo-resident', roles: ['resident'] });
  });

  it('a spoofed unit id does not widen a staff inbox', async () => {
    const r = await h.call('demo-staff-zj', 'staff', { action: 'inbox', unitId: 'u-chengguan' });
    expect(r).toMatchObject({ ok: false, code: 'invalid-input' });
    const inbox = await h.ok<Page>('demo-staff-zj', 'staff', { action: 'inbox', limit: 100 });
    expect(inbox.items.map((i) => i.id)).not.toContain(ticket.id);
  });
});
