/**
 * Access: who gets in, and what the people who get in may see.
 *
 *  - Local tokens that are tampered with, expired, signed with another secret, or of a deleted or
 *    unknown user are refused with 'token-invalid' (over HTTP, the way the runtime reads them).
 *  - Identity comes from the server's records: a role, unit, user id or openid in the event, the
 *    query string or a header is refused or ignored, and never changes who acts.
 *  - Every staff-facing response, over a realistic data set (normal, confidential, complained-
 *    about units as lead and as assistant, a grid report on someone's behalf, a separate dispatch,
 *    a phone intake), is scanned: no requester's full phone number ever; for a confidential ticket
 *    no name or contact; for the unit complained about nothing that says who complained (name,
 *    phone, masked phone, user id). The operator's detail view is the positive control: there the
 *    same scanner must find the name and the phone.
 *  - Residents see only their own tickets, except through the number + phone-tail look-up, which
 *    is rate-limited per user and per address.
 *  - Abuse protection: a per-user hourly submission limit and duplicate detection, both set through
 *    deps.limits and both answered with a Chinese message.
 */
import { TokenSigner } from '../../cloudfunctions/lib/identity';
import { functionNames, type ApiResult } from '../../shared/contracts/api';
import type { Ticket } from '../../shared/contracts/ticket';
import { ERROR_MESSAGES } from '../../shared/errors';
import { maskName, maskPhone } from '../../shared/workflow/visibility';
import { api, createRig, DAY, HOUR, MIN, request, SECRET, serveRig, type Rig } from '../support/reliabilityHarness';
import { recordFigure } from './figures';

const started = Date.now();
const figures = { tokenCases: 0, identityCases: 0, responsesScanned: 0, leakChecks: 0, visibilityCases: 0, limitCases: 0 };
afterAll(() => recordFigure('access', { ...figures, accessCases: figures.tokenCases + figures.identityCases + figures.visibilityCases + figures.limitCases, ms: Date.now() - started }));

const HAN = /[\u4e00-\u9fff]/;

// ---------------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------------

describe('local tokens', () => {
  let rig: Rig;
  let srv: { base: string; close(): Promise<void> };
  let good: string;
  beforeAll(async () => {
    rig = await createRig();
    await rig.deps.directory.putUser({ id: 'acc-leaver', name: '将离职', roles: ['staff'], unitId: 'u-chengguan', demo: true });
    srv = await serveRig(rig);
    const r = await api<{ token: string }>(srv.base, 'auth', { action: 'login', userId: 'demo-resident' });
    if (!r.ok) throw new Error(r.message);
    good = r.data.token;
  });
  afterAll(async () => {
    await srv.close();
    await rig.close();
  });

  const whoami = (token: string) => api<{ id: string }>(srv.base, 'auth', { action: 'whoami' }, token);
  const listMine = (token: string) => api(srv.base, 'resident', { action: 'listMine' }, token);

  it('a good token works (control)', async () => {
    expect(await whoami(good)).toMatchObject({ ok: true, data: { id: 'demo-resident' } });
  });

  it('tampered, forged, malformed and foreign-secret tokens are refused with token-invalid', async () => {
    const [payload, mac] = good.split('.') as [string, string];
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
    const asOperator = Buffer.from(JSON.stringify({ uid: 'demo-operator', exp: rig.clock.now() + DAY })).toString('base64url');
    const never = Buffer.from(JSON.stringify({ uid: 'demo-resident', exp: Number.MAX_SAFE_INTEGER })).toString('base64url');
    const cases: [string, string][] = [
      ['one character of the payload changed', `${flip(payload, 3)}.${mac}`],
      ['one character of the signature changed', `${payload}.${flip(mac, 5)}`],
      ['the operator in the payload, the resident’s signature', `${asOperator}.${mac}`],
      ['an expiry in the far future, the old signature', `${never}.${mac}`],
      ['signed with another secret', new TokenSigner('not-the-secret-0123456789').sign('demo-operator', rig.clock.now())],
      ['no signature', `${payload}.`],
      ['only a payload', payload],
      ['three parts', `${payload}.${mac}.${mac}`],
      ['a signature of another length', `${payload}.${mac}AA`],
      ['garbage', 'not-a-token'],
      ['a JSON web token shape', 'eyJhbGciOiJub25lIn0.eyJ1aWQiOiJkZW1vLW9wZXJhdG9yIn0.'],
      ['a Latin-1 character appended', `${payload}.${mac}\u00ff`],
    ];
    for (const [name, token] of cases) {
      for (const r of [await whoami(token), await listMine(token)]) {
        expect({ name, ok: r.ok, code: r.ok ? undefined : r.code }).toEqual({ name, ok: false, code: 'token-invalid' });
        figures.tokenCases++;
      }
    }
  });

  it('an expired token is refused; a new login works', async () => {
    const signer = new TokenSigner(SECRET);
    const now = rig.clock.now();
    // Tokens name a server-side session (lib/accounts.ts); these sessions are live, only the tokens age.
    await rig.deps.directory.putSession({ id: 's_access_old_0001', userId: 'demo-resident', via: 'demo', scope: 'full', createdAt: now - 8 * DAY, expiresAt: now + DAY });
    await rig.deps.directory.putSession({ id: 's_access_edge_001', userId: 'demo-resident', via: 'demo', scope: 'full', createdAt: now - 1_000, expiresAt: now });
    const old = signer.sign('demo-resident', now - 8 * DAY, 's_access_old_0001');
    expect(await whoami(old)).toMatchObject({ ok: false, code: 'token-invalid' });
    // One that expires exactly now still works; a millisecond later it does not.
    const edge = new TokenSigner(SECRET, 1_000).sign('demo-resident', now - 1_000, 's_access_edge_001');
    expect((await whoami(edge)).ok).toBe(true);
    rig.clock.advance(1);
    expect(await whoami(edge)).toMatchObject({ ok: false, code: 'token-invalid' });
    rig.clock.advance(-1);
    figures.tokenCases += 3;
  });

  it('a token of a user deleted after login is refused on every function, and of an unknown user too', async () => {
    const r = await api<{ token: string }>(srv.base, 'auth', { action: 'login', userId: 'acc-leaver' });
    if (!r.ok) throw new Error(r.message);
    const token = r.data.token;
    expect((await api(srv.base, 'staff', { action: 'counts' }, token)).ok).toBe(true);
    const user = (await rig.deps.directory.getUser('acc-leaver'))!;
    await rig.deps.directory.putUser({ ...user, deletedAt: rig.clock.now() });
    for (const fn of functionNames) {
      const res = await api(srv.base, fn, { action: fn === 'auth' ? 'whoami' : 'counts' }, token);
      expect({ fn, code: res.ok ? 'ok' : res.code }).toEqual({ fn, code: 'token-invalid' });
      figures.tokenCases++;
    }
    const upload = await request<ApiResult<unknown>>(srv.base, 'POST', '/api/upload?name=a.png', Buffer.from('x'), { authorization: `Bearer ${token}` });
    expect(upload.body).toMatchObject({ ok: false, code: 'token-invalid' });
    const ghost = new TokenSigner(SECRET).sign('nobody-at-all', rig.clock.now());
    expect(await whoami(ghost)).toMatchObject({ ok: false, code: 'token-invalid' });
    figures.tokenCases += 2;
  });

  it('a deleted user is refused by every function even where the platform vouches for the caller (CloudBase: OPENID → record)', async () => {
    // In CloudBase there is no token: the caller is the user record found by OPENID, deleted or not.
    const gone = { id: 'acc-gone', name: '已注销', roles: ['resident' as const], deletedAt: rig.clock.now() - DAY };
    await rig.deps.directory.putUser(gone);
    const actions: Record<string, string> = { auth: 'whoami', resident: 'listMine', staff: 'counts', operator: 'messages', stats: 'hotspots', admin: 'units', media: 'url', timer: 'run' };
    for (const fn of functionNames) {
      const r = await rig.call({ user: gone }, fn, { action: actions[fn] });
      expect({ fn, code: r.ok ? 'ok' : r.code }).toEqual({ fn, code: 'token-invalid' });
      figures.tokenCases++;
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Identity from the server's records only
// ---------------------------------------------------------------------------------------------

describe('a client-supplied role, unit, user id or openid never changes identity', () => {
  let rig: Rig;
  let srv: { base: string; close(): Promise<void> };
  beforeAll(async () => {
    rig = await createRig();
    await rig.deps.directory.putUser({ id: 'acc-op-openid', name: '平台', roles: ['operator'], openid: 'o-operator-openid', demo: true });
    srv = await serveRig(rig);
  });
  afterAll(async () => {
    await srv.close();
    await rig.close();
  });

  const SPOOFS: Record<string, unknown>[] = [
    { role: 'operator' },
    { roles: ['operator'] },
    { unitId: 'u-zhujian' },
    { userId: 'demo-operator' },
    { openid: 'o-operator-openid' },
    { OPENID: 'o-operator-openid' },
    { actor: { userId: 'demo-operator', role: 'operator' } },
    { caller: { user: { id: 'demo-operator', roles: ['operator'] } } },
  ];

  it('extra identity keys in the event are refused (the schemas are strict) and change nothing', async () => {
    const before = rig.writes();
    const calls: [string, string, Record<string, unknown>][] = [
      ['demo-resident', 'resident', { action: 'listMine' }],
      ['demo-resident', 'auth', { action: 'whoami' }],
      ['demo-staff-cg', 'staff', { action: 'inbox' }],
      ['demo-resident', 'resident', { action: 'submit', input: rig.submitInput() }],
    ];
    for (const [who, fn, event] of calls) {
      for (const spoof of SPOOFS) {
        const r = await rig.call(who, fn, { ...event, ...spoof });
        expect({ who, fn, spoof, code: r.ok ? 'ok' : r.code }).toEqual({ who, fn, spoof, code: 'invalid-input' });
        figures.identityCases++;
      }
      // Inside the submit input and inside a command, too.
      for (const spoof of SPOOFS) {
        const inner = fn === 'resident' && event.action === 'submit' ? { ...event, input: { ...(event.input as object), ...spoof } } : null;
        if (inner) {
          expect((await rig.call(who, fn, inner)) as { code?: string }).toMatchObject({ ok: false, code: 'invalid-input' });
          figures.identityCases++;
        }
      }
    }
    expect(rig.writes()).toEqual(before);
  });

  it('the platform’s userInfo (CloudBase adds it) is dropped: a resident stays a resident', async () => {
    const r = await rig.call('demo-resident', 'auth', { action: 'whoami', userInfo: { openId: 'o-operator-openid', appId: 'wx0' } });
    expect(r).toMatchObject({ ok: true, data: { id: 'demo-resident', roles: ['resident'] } });
    const q = await rig.call('demo-resident', 'operator', { action: 'queue', queue: 'all', userInfo: { openId: 'o-operator-openid' } });
    expect(q).toMatchObject({ ok: false, code: 'forbidden' });
    figures.identityCases += 2;
  });

  it('over HTTP: headers and the query string carry no identity', async () => {
    const r = await api<{ token: string }>(srv.base, 'auth', { action: 'login', userId: 'demo-resident' });
    if (!r.ok) throw new Error(r.message);
    const auth = { authorization: `Bearer ${r.data.token}` };
    const tries: [string, Record<string, string>][] = [
      ['/api/operator?role=operator', auth],
      ['/api/operator?userId=demo-operator', auth],
      ['/api/operator', { ...auth, 'x-role': 'operator', 'x-user-id': 'demo-operator', 'x-wx-openid': 'o-operator-openid', 'x-forwarded-user': 'demo-operator' }],
      ['/api/operator', { authorization: 'Bearer ', 'x-wx-openid': 'o-operator-openid' }],
    ];
    for (const [url, headers] of tries) {
      const res = await request<ApiResult<unknown>>(srv.base, 'POST', url, { action: 'queue', queue: 'all' }, headers);
      expect({ url, code: res.body.ok ? 'ok' : (res.body as { code: string }).code }).toEqual({ url, code: headers.authorization === 'Bearer ' ? 'unauthenticated' : 'forbidden' });
      figures.identityCases++;
    }
    // The records did not move.
    expect(await rig.deps.directory.getUser('demo-resident')).toMatchObject({ roles: ['resident'] });
    expect((await rig.deps.directory.getUser('demo-resident'))?.unitId).toBeUndefined();
  });

  it('a staff member acts for their own unit only, whatever unit the event names', async () => {
    const s = await rig.submit('demo-resident');
    await rig.command('demo-operator', 'operator', { type: 'accept', ticketId: s.ticket.id });
    await rig.command('demo-operator', 'operator', { type: 'dispatch', ticketId: s.ticket.id, mode: 'single', unitIds: ['u-chengguan'] });
    // demo-staff-zj (u-zhujian) names u-chengguan everywhere it could.
    const tries = [
      { action: 'command', command: { type: 'sign', ticketId: s.ticket.id, unitId: 'u-chengguan' } },
      { action: 'get', ticketId: s.ticket.id, unitId: 'u-chengguan' },
      { action: 'inbox', filter: 'all', unitId: 'u-chengguan' },
    ];
    for (const e of tries) {
      expect(await rig.call('demo-staff-zj', 'staff', e)).toMatchObject({ ok: false, code: 'invalid-input' });
      figures.identityCases++;
    }
    expect(await rig.call('demo-staff-zj', 'staff', { action: 'get', ticketId: s.ticket.id })).toMatchObject({ ok: false, code: 'not-found' });
    const inbox = await rig.ok<{ items: { id: string }[] }>('demo-staff-zj', 'staff', { action: 'inbox' });
    expect(inbox.items.map((i) => i.id)).not.toContain(s.ticket.id);
    figures.identityCases += 2;
  });
});

// ---------------------------------------------------------------------------------------------
// Every staff-facing response
// ---------------------------------------------------------------------------------------------

interface Case {
  key: string;
  id: string;
  name: string;
  phone: string;
  confidential: boolean;
  complained?: string;
  /** Who could be identified as the one who complained: the requester and a resident/grid reporter. */
  userIds: string[];
}

/** The operator's note on an improper request: operators only. */
const MALICIOUS_NOTE = '来电辱骂话务员，录音编号LEAK-MAL-77';
/** What would show a unit the record: the note, the field, the events, the words. */
const MALICIOUS_TRACES = [MALICIOUS_NOTE, 'LEAK-MAL-77', '"malicious"', 'recordMalicious', 'objectMalicious', 'reviewObjection', '不当诉求', '当时情绪激动'];

describe('every staff-facing response, over a realistic data set', () => {
  let rig: Rig;
  let maliciousId = '';
  const cases: Case[] = [];
  const STAFF = ['demo-staff-cg', 'demo-staff-zj', 'demo-staff-dq', 'demo-staff-sw'];

  async function make(key: string, who: string, fn: 'resident' | 'operator', contact: { name: string; phone: string }, dispatch: Record<string, unknown>, opts: { confidential?: boolean; onBehalf?: boolean } = {}) {
    const s = await rig.ok<{ ticket: Ticket }>(who, fn, { action: 'submit', input: rig.submitInput({ contact, confidential: opts.confidential ?? false, ...(opts.onBehalf ? { onBehalf: true } : {}) }) });
    const id = s.ticket.id;
    await rig.command('demo-operator', 'operator', { type: 'accept', ticketId: id });
    if (Object.keys(dispatch).length) await rig.command('demo-operator', 'operator', { type: 'dispatch', ticketId: id, ...dispatch });
    const stored = await rig.ticket(id);
    const userIds = [stored.requester.userId, ['resident', 'grid'].includes(stored.reporter.role) ? stored.reporter.userId : undefined].filter((x): x is string => !!x);
    const c: Case = { key, id, name: contact.name, phone: contact.phone, confidential: !!opts.confidential, complained: dispatch.complainedUnitId as string | undefined, userIds: [...new Set(userIds)] };
    cases.push(c);
    // Children of a separate dispatch inherit the requester and the complained unit.
    for (const child of stored.childIds ?? []) cases.push({ ...c, key: `${key}/child`, id: child });
    if (dispatch.mode === 'separate') {
      const all = rig.deps.db.prepare("SELECT id FROM tickets WHERE json_extract(doc, '$.parentId') = ?").pluck().all(id) as string[];
      for (const child of all) if (!cases.some((x) => x.id === child)) cases.push({ ...c, key: `${key}/child`, id: child });
    }
    return id;
  }

  /** Takes a ticket through the unit's work, a review, a dissatisfied rating and a rework: events by the requester. */
  async function work(id: string, lead: string, assist?: string) {
    await rig.command(lead, 'staff', { type: 'sign', ticketId: id });
    if (assist) {
      await rig.command(assist, 'staff', { type: 'sign', ticketId: id });
      await rig.command(assist, 'staff', { type: 'assistFeedback', ticketId: id, note: '协办单位已到现场核实' });
    }
    await rig.command(lead, 'staff', { type: 'contact', ticketId: id, method: 'phone', note: '已电话联系诉求人' });
    await rig.command(lead, 'staff', { type: 'reply', ticketId: id, result: '已安排清运，经现场核实已办结', handler: '经办人' });
    await rig.command('demo-operator', 'operator', { type: 'reviewResult', ticketId: id, approve: true });
    const t = await rig.ticket(id);
    const requester = t.requester.userId ?? t.reporter.userId;
    if (t.reporter.role !== 'operator') {
      await rig.command(requester, 'resident', { type: 'rate', ticketId: id, value: 'dissatisfied', reason: '问题没有彻底解决' });
      await rig.command(requester, 'resident', { type: 'requestRework', ticketId: id, reason: '请再次处理' });
    }
    if (t.reporter.role !== 'operator') await rig.command('demo-operator', 'operator', { type: 'supervise', ticketId: id, level: 1, method: 'written' });
  }

  beforeAll(async () => {
    rig = await createRig();
    await rig.deps.directory.putUser({ id: 'acc-resident3', name: '王小红（居民）', roles: ['resident'], phone: '13712345678' });
    for (const s of STAFF) await rig.ok(s, 'staff', { action: 'subscribe', accepted: ['assigned', 'progress', 'supervised', 'dueSoon'] });

    const p1 = await make('normal', 'demo-resident', 'resident', { name: '张明', phone: '13800001234' }, { mode: 'lead', unitIds: ['u-chengguan'], assistUnitIds: ['u-zhujian'] });
    await work(p1, 'demo-staff-cg', 'demo-staff-zj');
    // baiyin 29: the request is recorded as improper, the requester objects, the operator decides; units see none of it.
    await rig.command('demo-operator', 'operator', { type: 'recordMalicious', ticketId: p1, groundCode: 'harassment', note: MALICIOUS_NOTE });
    await rig.command('demo-resident', 'resident', { type: 'objectMalicious', ticketId: p1, reason: '当时情绪激动，并非有意' });
    await rig.command('demo-operator', 'operator', { type: 'reviewObjection', ticketId: p1, upheld: false, note: '录音属实，记录维持' });
    maliciousId = p1;
    const p2 = await make('confidential', 'demo-resident2', 'resident', { name: '李芳', phone: '13900005678' }, { mode: 'lead', unitIds: ['u-chengguan'], assistUnitIds: ['u-dongqu'] }, { confidential: true });
    await work(p2, 'demo-staff-cg', 'demo-staff-dq');
    const p3 = await make('complained-assist', 'acc-resident3', 'resident', { name: '王小红', phone: '13712345678' }, { mode: 'lead', unitIds: ['u-chengguan'], assistUnitIds: ['u-dongqu'], complainedUnitId: 'u-dongqu' });
    await work(p3, 'demo-staff-cg', 'demo-staff-dq');
    const p4 = await make('complained-lead', 'demo-resident', 'resident', { name: '赵丽', phone: '13655556666' }, { mode: 'single', unitIds: ['u-dongqu'], complainedUnitId: 'u-dongqu' });
    await work(p4, 'demo-staff-dq');
    const p5 = await make('grid-on-behalf-complained', 'demo-grid', 'resident', { name: '孙大爷', phone: '13511112222' }, { mode: 'lead', unitIds: ['u-zhujian'], assistUnitIds: ['u-chengguan'], complainedUnitId: 'u-zhujian' }, { onBehalf: true });
    await work(p5, 'demo-staff-zj', 'demo-staff-cg');
    await make('separate-complained', 'demo-resident2', 'resident', { name: '周杰', phone: '13344445555' }, { mode: 'separate', unitIds: ['u-chengguan', 'u-dongqu'], complainedUnitId: 'u-dongqu' });
    const p7 = await make('phone-intake', 'demo-operator', 'operator', { name: '钱多多', phone: '0931-8881234' }, { mode: 'single', unitIds: ['u-shuiwu'] });
    await work(p7, 'demo-staff-sw');
    const p8 = await make('confidential-and-complained', 'demo-resident', 'resident', { name: '吴敏', phone: '13266667777' }, { mode: 'single', unitIds: ['u-dongqu'], complainedUnitId: 'u-dongqu' }, { confidential: true });
    await work(p8, 'demo-staff-dq');
    await make('not-yet-dispatched', 'demo-resident2', 'resident', { name: '郑强', phone: '13177778888' }, {});
    // A confidential duplicate merged into the normal ticket: its requester is a co-requester there,
    // hidden from the units like a confidential requester (issue 15 item 2).
    const p9 = await make('merged-confidential', 'acc-resident3', 'resident', { name: '冯静', phone: '13024681357' }, {}, { confidential: true });
    await rig.command('demo-operator', 'operator', { type: 'merge', ticketId: p9, intoNumber: (await rig.ticket(p1)).number });
    const merged = cases.find((c) => c.id === p9)!;
    cases.push({ ...merged, key: 'merged-confidential/co-requester', id: p1 });
  });
  afterAll(async () => {
    await rig.close();
  });

  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const MOBILE = /(?<!\d)1[3-9]\d{9}(?!\d)/;

  /** Everything in `json` that would show a viewer (staff of `unitId`, or an operator list) more than allowed. */
  function leaks(json: string, viewer: { unitId?: string }, about: Case[]): string[] {
    const found: string[] = [];
    figures.responsesScanned++;
    // Never a full phone number: no requester's, and no mobile number at all.
    for (const c of cases) {
      for (const form of [c.phone, c.phone.replace(/-/g, '')]) {
        figures.leakChecks++;
        if (json.includes(form)) found.push(`full phone of ${c.key}`);
      }
    }
    figures.leakChecks++;
    if (MOBILE.test(json)) found.push(`a mobile number: ${json.match(MOBILE)![0]}`);
    if (!viewer.unitId) return found;
    for (const c of about) {
      const hidden = c.confidential || c.complained === viewer.unitId;
      if (!hidden) continue;
      const forms = [c.name, maskName(c.name)!, maskPhone(c.phone)!, c.phone.slice(-4), ...c.userIds.map((u) => `"${u}"`)];
      for (const f of forms) {
        figures.leakChecks++;
        if (new RegExp(escape(f)).test(json)) found.push(`${c.key} (${c.confidential ? 'confidential' : 'complained-about unit'}): ${f}`);
      }
    }
    return found;
  }

  const caseOf = (id: string) => cases.filter((c) => c.id === id);

  /** Scans one response: list items by their ticket, a detail or a command by the ticket it is about. */
  function scan(label: string, response: unknown, viewer: { unitId?: string }, aboutId?: string): string[] {
    const out: string[] = [];
    const data = (response as { data?: unknown }).data;
    const items = Array.isArray(data) ? data : Array.isArray((data as { items?: unknown })?.items) ? (data as { items: unknown[] }).items : null;
    if (aboutId) {
      out.push(...leaks(JSON.stringify(response), viewer, caseOf(aboutId)));
    } else if (items) {
      for (const item of items) {
        const id = (item as { id?: string; ticketId?: string }).ticketId ?? (item as { id?: string }).id ?? '';
        out.push(...leaks(JSON.stringify(item), viewer, caseOf(id)));
      }
      out.push(...leaks(JSON.stringify(response), viewer, []));
    } else {
      out.push(...leaks(JSON.stringify(response), viewer, cases));
    }
    return out.map((x) => `${label}: ${x}`);
  }

  it('staff: inbox (every filter, every page), counts, get of every ticket, credits, messages, subscribe and commands', async () => {
    const found: string[] = [];
    /** Hidden tickets the staff member could open: the scan is not vacuous. */
    const seenHidden = new Set<string>();
    for (const staffId of STAFF) {
      const unitId = (await rig.deps.directory.getUser(staffId))!.unitId!;
      const viewer = { unitId };
      for (const filter of ['all', 'toSign', 'inProgress', 'returned', 'extensionPending', 'rework', 'supervised']) {
        let cursor: string | null = null;
        for (let page = 0; page < 50; page++) {
          const r: ApiResult<{ items: unknown[]; next: string | null }> = await rig.call(staffId, 'staff', { action: 'inbox', filter, limit: 2, cursor });
          found.push(...scan(`${staffId} inbox/${filter}#${page}`, r, viewer));
          if (!r.ok || !r.data.next) break;
          cursor = r.data.next;
        }
      }
      found.push(...scan(`${staffId} counts`, await rig.call(staffId, 'staff', { action: 'counts' }), viewer));
      found.push(...scan(`${staffId} credits`, await rig.call(staffId, 'staff', { action: 'credits' }), viewer));
      found.push(...scan(`${staffId} subscribe`, await rig.call(staffId, 'staff', { action: 'subscribe', accepted: ['progress'] }), viewer));
      found.push(...scan(`${staffId} messages`, await rig.call(staffId, 'staff', { action: 'messages', limit: 100 }), viewer));
      for (const c of cases) {
        const got = await rig.call(staffId, 'staff', { action: 'get', ticketId: c.id });
        if (got.ok && (c.confidential || c.complained === unitId)) seenHidden.add(`${staffId} ${c.key}`);
        found.push(...scan(`${staffId} get ${c.key}`, got, viewer, c.id));
        // A command's answer carries the ticket as well; refused or not, it is scanned.
        found.push(...scan(`${staffId} contact ${c.key}`, await rig.call(staffId, 'staff', { action: 'command', command: { type: 'contact', ticketId: c.id, method: 'phone', note: '再次联系' } }), viewer, c.id));
        found.push(...scan(`${staffId} assistFeedback ${c.key}`, await rig.call(staffId, 'staff', { action: 'command', command: { type: 'assistFeedback', ticketId: c.id, note: '补充意见' } }), viewer, c.id));
      }
    }
    expect(found).toEqual([]);
    expect([...seenHidden].sort()).toEqual(
      expect.arrayContaining([
        'demo-staff-cg confidential',
        'demo-staff-dq confidential',
        'demo-staff-dq complained-assist',
        'demo-staff-dq complained-lead',
        'demo-staff-dq separate-complained/child',
        'demo-staff-dq confidential-and-complained',
        'demo-staff-zj grid-on-behalf-complained',
      ]),
    );
  });

  it('baiyin 29: a unit never sees the record of an improper request (inbox, counts, get, messages, commands); the operator does (control)', async () => {
    const found: string[] = [];
    const check = (label: string, r: unknown) => {
      const json = JSON.stringify(r);
      for (const trace of MALICIOUS_TRACES) if (json.includes(trace)) found.push(`${label}: ${trace}`);
    };
    let seen = 0;
    for (const staffId of STAFF) {
      for (const filter of ['all', 'inProgress', 'rework', 'supervised']) check(`${staffId} inbox/${filter}`, await rig.call(staffId, 'staff', { action: 'inbox', filter, limit: 100 }));
      check(`${staffId} counts`, await rig.call(staffId, 'staff', { action: 'counts' }));
      check(`${staffId} messages`, await rig.call(staffId, 'staff', { action: 'messages', limit: 100 }));
      const got = await rig.call(staffId, 'staff', { action: 'get', ticketId: maliciousId });
      if (got.ok) seen++;
      check(`${staffId} get`, got);
      check(`${staffId} contact`, await rig.call(staffId, 'staff', { action: 'command', command: { type: 'contact', ticketId: maliciousId, method: 'phone', note: '再次联系' } }));
    }
    expect(found).toEqual([]);
    // The lead and the assisting unit could open the ticket: the scan is not vacuous.
    expect(seen).toBe(2);
    const control = JSON.stringify(await rig.call('demo-operator', 'operator', { action: 'get', ticketId: maliciousId }));
    expect(control).toContain(MALICIOUS_NOTE);
    expect(control).toContain('recordMalicious');
  });

  it('revealing the number (issue 15): never to a unit the requester is hidden from, and every reveal is on the ticket’s log', async () => {
    const found: string[] = [];
    const revealed: string[] = [];
    const refusedHidden: string[] = [];
    for (const staffId of STAFF) {
      const unitId = (await rig.deps.directory.getUser(staffId))!.unitId!;
      const viewer = { unitId };
      // A co-requester's entry shares its primary's ticket: the number revealed there is the requester's own.
      for (const c of cases.filter((x) => !x.key.endsWith('/co-requester'))) {
        const hidden = c.confidential || c.complained === unitId;
        const before = (await rig.events(c.id)).filter((e) => e.type === 'revealPhone').length;
        const r = await rig.call<{ phone: string }>(staffId, 'staff', { action: 'revealPhone', ticketId: c.id });
        const log = (await rig.events(c.id)).filter((e) => e.type === 'revealPhone');
        if (r.ok) {
          // The one answer that may hold the number: the requester's own, for a unit allowed to see it, logged once.
          if (hidden) found.push(`${staffId} revealed hidden ${c.key}`);
          expect(r.data.phone).toBe(c.phone);
          expect(log.length).toBe(before + 1);
          expect(log[log.length - 1]).toMatchObject({ actor: { userId: staffId, role: 'staff', unitId }, public: false });
          expect(JSON.stringify(log)).not.toContain(c.phone);
          revealed.push(`${staffId} ${c.key}`);
        } else {
          found.push(...scan(`${staffId} revealPhone ${c.key}`, r, viewer, c.id));
          expect(log.length).toBe(before);
          if (hidden && r.code === 'reveal-not-allowed') refusedHidden.push(`${staffId} ${c.key}`);
        }
        // A relay request and a platform message answer with the ticket, never with the number.
        found.push(...scan(`${staffId} relayCall ${c.key}`, await rig.call(staffId, 'staff', { action: 'relayCall', ticketId: c.id, note: '请平台转接' }), viewer, c.id));
        found.push(...scan(`${staffId} messageRequester ${c.key}`, await rig.call(staffId, 'staff', { action: 'command', command: { type: 'messageRequester', ticketId: c.id, message: '我们将尽快处理' } }), viewer, c.id));
        // After any reveal the unit's views are as masked as before.
        found.push(...scan(`${staffId} get after reveal ${c.key}`, await rig.call(staffId, 'staff', { action: 'get', ticketId: c.id }), viewer, c.id));
      }
    }
    expect(found).toEqual([]);
    // Not vacuous: reveals happened where allowed, and the hidden ones were refused for that reason.
    expect(revealed).toEqual(expect.arrayContaining(['demo-staff-cg normal', 'demo-staff-zj normal', 'demo-staff-cg complained-assist']));
    expect(refusedHidden).toEqual(expect.arrayContaining(['demo-staff-cg confidential', 'demo-staff-dq confidential', 'demo-staff-dq complained-assist', 'demo-staff-dq complained-lead', 'demo-staff-zj grid-on-behalf-complained']));
    // Operators read the log: who revealed which ticket, and when.
    const normal = cases.find((c) => c.key === 'normal')!;
    const op = await rig.ok<{ timeline: { type: string; at: number; actor: { userId: string } }[] }>('demo-operator', 'operator', { action: 'get', ticketId: normal.id });
    expect(op.timeline.filter((e) => e.type === 'revealPhone').map((e) => e.actor.userId).sort()).toEqual(['demo-staff-cg', 'demo-staff-zj']);
  });

  it('operators: every queue, every page, and the statistics never show a full phone number', async () => {
    const found: string[] = [];
    for (const queue of ['intake', 'dispatch', 'returns', 'extensions', 'results', 'revisit', 'supervision', 'all']) {
      let cursor: string | null = null;
      for (let page = 0; page < 50; page++) {
        const r: ApiResult<{ items: unknown[]; next: string | null }> = await rig.call('demo-operator', 'operator', { action: 'queue', queue, limit: 2, cursor });
        found.push(...scan(`operator queue/${queue}#${page}`, r, {}));
        if (!r.ok || !r.data.next) break;
        cursor = r.data.next;
      }
    }
    found.push(...scan('operator messages', await rig.call('demo-operator', 'operator', { action: 'messages', limit: 100 }), {}));
    const period = { from: rig.clock.now() - 30 * DAY, to: rig.clock.now() + DAY };
    for (const action of ['figures', 'trend', 'hotspots', 'repeated']) found.push(...scan(`stats ${action}`, await rig.call('demo-operator', 'stats', { action, ...period }), {}));
    found.push(...scan('stats frequentRequesters', await rig.call('demo-operator', 'stats', { action: 'frequentRequesters', ...period, min: 2 }), {}));
    for (const kind of ['tickets', 'figures']) found.push(...scan(`stats exportCsv ${kind}`, await rig.call('demo-operator', 'stats', { action: 'exportCsv', kind, ...period }), {}));
    expect(found).toEqual([]);
  });

  it('public disclosure: an anonymous caller’s monthly figures show nothing of any requester or ticket', async () => {
    const month = new Date(rig.clock.now() + 8 * HOUR).toISOString().slice(0, 7);
    const r = await rig.call<{ all: { submitted: number } }>(null, 'public', { action: 'monthly', month });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.data.all.submitted).toBeGreaterThanOrEqual(cases.length / 2);
    const json = JSON.stringify(r);
    // Every case treated as hidden: no name, masked name, phone in any form, requester id, ticket id or number.
    const found = leaks(json, { unitId: 'u-public' }, cases.map((c) => ({ ...c, confidential: true })));
    for (const c of cases) {
      const t = await rig.call<{ ticket: { number: string; location: { address?: string } } }>('demo-operator', 'operator', { action: 'get', ticketId: c.id });
      const forms = [c.id, ...(t.ok ? [t.data.ticket.number, t.data.ticket.location.address ?? c.id] : [])];
      for (const f of forms) if (json.includes(f)) found.push(`public monthly: ${c.key} ${f}`);
    }
    expect(found).toEqual([]);
  });

  it('public disclosure: the published typical cases show nothing of any requester or ticket; a case naming the requester is refused', async () => {
    const c = cases.find((x) => x.key === 'phone-intake')!;
    const t = await rig.ok<{ ticket: { number: string; state: string; location: { address?: string } } }>('demo-operator', 'operator', { action: 'get', ticketId: c.id });
    expect(t.ticket.state).toBe('resolved');
    // The requester's name, phone and masked phone in the text: refused before anything is written.
    for (const summary of [`${c.name}反映供水管道漏水多日。`, `来电人（${c.phone}）反映供水管道漏水多日。`, `来电人（${maskPhone(c.phone.replace(/-/g, ''))}）反映供水管道漏水多日。`]) {
      expect(await rig.call('demo-operator', 'operator', { action: 'putCase', case: { ticketId: c.id, title: '供水管道漏水', summary, result: '水务集团已抢修完毕，恢复正常供水。' } })).toMatchObject({ ok: false, code: 'case-personal-data' });
    }
    const kept = await rig.ok<{ id: string }>('demo-operator', 'operator', { action: 'putCase', case: { ticketId: c.id, title: '供水管道漏水', summary: '市民来电反映某小区供水管道漏水多日。', result: '水务集团已抢修完毕，恢复正常供水。' } });
    await rig.ok('demo-operator', 'operator', { action: 'publishCase', id: kept.id, published: true });
    const r = await rig.call<{ title: string }[]>(null, 'public', { action: 'cases' });
    expect(r.ok && r.data.map((x) => x.title)).toEqual(['供水管道漏水']);
    const json = JSON.stringify(r);
    const found = leaks(json, { unitId: 'u-public' }, cases.map((x) => ({ ...x, confidential: true })));
    for (const x of cases) {
      const d = await rig.call<{ ticket: { number: string; location: { address?: string } } }>('demo-operator', 'operator', { action: 'get', ticketId: x.id });
      for (const f of [x.id, ...(d.ok ? [d.data.ticket.number, d.data.ticket.location.address ?? x.id] : [])]) if (json.includes(f)) found.push(`public cases: ${x.key} ${f}`);
    }
    expect(found).toEqual([]);
  });

  it('附近已有人反映 (issue 15 item 2): a stranger is shown the matter of nearby requests, never a requester, number, ticket number or address', async () => {
    // acc-stranger asked about none of them; every case's category and place is queried, as the app does before submitting.
    await rig.deps.directory.putUser({ id: 'acc-stranger', name: '陌生人', roles: ['resident'], phone: '13555550000' });
    const found: string[] = [];
    let shown = 0;
    for (const c of cases) {
      const t = await rig.ticket(c.id);
      const queries = [{ location: { area: t.location.area } }, { location: { address: t.location.address } }, ...(t.scene ? [{ scene: t.scene }] : [])];
      for (const q of queries) {
        const r = await rig.ok<{ ticketId: string; summary: string }[]>('acc-stranger', 'resident', { action: 'nearby', category: t.category, ...q });
        figures.responsesScanned++;
        shown += r.length;
        const json = JSON.stringify(r);
        for (const x of cases) {
          const stored = await rig.ticket(x.id);
          for (const f of [x.name, maskName(x.name)!, x.phone, maskPhone(x.phone)!, ...x.userIds.map((u) => `"${u}"`), stored.number, ...(stored.location.address ? [stored.location.address] : [])]) {
            figures.leakChecks++;
            if (json.includes(f)) found.push(`nearby for ${c.key}: ${x.key} ${f}`);
          }
        }
        if (MOBILE.test(json)) found.push(`nearby for ${c.key}: a mobile number`);
        // Never a confidential request, nor one that is closed or merged.
        for (const item of r) {
          const it = await rig.ticket(item.ticketId);
          if (it.requester.confidential || !['submitted', 'accepted', 'dispatched', 'handling', 'returnRequested', 'coordinationRequested', 'extensionRequested'].includes(it.state)) found.push(`nearby for ${c.key}: ${it.state}${it.requester.confidential ? ' confidential' : ''}`);
        }
      }
    }
    expect([...new Set(found)]).toEqual([]);
    // Not vacuous: the open, non-confidential requests of the data set were shown.
    expect(shown).toBeGreaterThan(0);
  });

  it('positive control: the operator’s detail view does show the requester, and the scanner sees it', async () => {
    for (const c of cases.filter((x) => !x.key.endsWith('/child'))) {
      const r = await rig.call('demo-operator', 'operator', { action: 'get', ticketId: c.id });
      const found = leaks(JSON.stringify(r), { unitId: 'u-probe' }, [{ ...c, confidential: true }]);
      expect(found).toEqual(expect.arrayContaining([`full phone of ${c.key}`, expect.stringContaining(c.name)]));
    }
  });

  it('the data set has what the checks need', () => {
    expect(cases.filter((c) => c.confidential).length).toBeGreaterThanOrEqual(2);
    expect(cases.filter((c) => c.complained === 'u-dongqu').length).toBeGreaterThanOrEqual(4);
    expect(cases.some((c) => c.key.endsWith('/child'))).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Residents: own tickets only; the look-up and its rate limit
// ---------------------------------------------------------------------------------------------

describe('residents see only their own tickets', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await createRig({ limits: { lookupsPerWindow: 4, lookupWindowMs: 10 * MIN } });
    await rig.deps.directory.putUser({ id: 'acc-guesser', name: '猜号者', roles: ['resident'] });
    for (let i = 0; i < 4; i++) await rig.deps.directory.putUser({ id: `acc-sock-${i}`, name: `小号${i}`, roles: ['resident'] });
  });
  afterAll(async () => {
    await rig.close();
  });

  it('get, command and listMine on another resident’s ticket: not found, not listed', async () => {
    const mine = await rig.submit('demo-resident');
    const theirs = await rig.submit('demo-resident2');
    expect(await rig.call('demo-resident', 'resident', { action: 'get', ticketId: theirs.ticket.id })).toMatchObject({ ok: false, code: 'not-found' });
    expect(await rig.call('demo-resident', 'resident', { action: 'command', command: { type: 'withdraw', ticketId: theirs.ticket.id } })).toMatchObject({ ok: false, code: 'not-found' });
    expect(await rig.call('demo-grid', 'resident', { action: 'get', ticketId: theirs.ticket.id })).toMatchObject({ ok: false, code: 'not-found' });
    const list = await rig.ok<{ items: { id: string }[] }>('demo-resident', 'resident', { action: 'listMine', limit: 100 });
    expect(list.items.map((i) => i.id)).toContain(mine.ticket.id);
    expect(list.items.map((i) => i.id)).not.toContain(theirs.ticket.id);
    expect((await rig.ticket(theirs.ticket.id)).state).toBe('submitted');
    figures.visibilityCases += 5;
  });

  it('a co-requester (merged duplicate) sees the primary and its progress, never another requester’s name, phone, account or notes', async () => {
    const primary = await rig.submit('demo-resident', { contact: { name: '张明', phone: '13800001234' } });
    await rig.command('demo-operator', 'operator', { type: 'accept', ticketId: primary.ticket.id });
    await rig.command('demo-operator', 'operator', { type: 'dispatch', ticketId: primary.ticket.id, mode: 'single', unitIds: ['u-chengguan'], assistUnitIds: [] });
    await rig.command('demo-staff-cg', 'staff', { type: 'sign', ticketId: primary.ticket.id });
    await rig.command('demo-staff-cg', 'staff', { type: 'messageRequester', ticketId: primary.ticket.id, message: '张先生您好，明早九点上门查看' });
    const dup = await rig.submit('demo-resident2', { contact: { name: '李芳', phone: '13900005678' } });
    // Before the merge the primary is another resident's ticket: not found.
    expect(await rig.call('demo-resident2', 'resident', { action: 'get', ticketId: primary.ticket.id })).toMatchObject({ ok: false, code: 'not-found' });
    await rig.command('demo-operator', 'operator', { type: 'merge', ticketId: dup.ticket.id, intoNumber: primary.ticket.number });
    const r = await rig.ok<{ ticket: { id: string; state: string; requesterShown: string }; requesterCount: number; timeline: { type: string }[] }>('demo-resident2', 'resident', { action: 'get', ticketId: primary.ticket.id });
    expect(r.ticket).toMatchObject({ id: primary.ticket.id, state: 'handling', requesterShown: '同一问题的其他诉求人' });
    expect(r.requesterCount).toBe(2);
    expect(r.timeline.map((e) => e.type)).toContain('sign');
    const json = JSON.stringify(r);
    for (const secret of ['张明', '13800001234', maskPhone('13800001234')!, '"demo-resident"', '张先生您好', primary.ticket.clientRequestId!]) expect(json).not.toContain(secret);
    // The primary's requester does not see the co-requester either.
    const own = JSON.stringify(await rig.ok('demo-resident', 'resident', { action: 'get', ticketId: primary.ticket.id }));
    for (const secret of ['李芳', '13900005678', maskPhone('13900005678')!, '"demo-resident2"', dup.ticket.number]) expect(own).not.toContain(secret);
    // A third resident still cannot open it.
    expect(await rig.call('demo-grid', 'resident', { action: 'get', ticketId: primary.ticket.id })).toMatchObject({ ok: false, code: 'not-found' });
    figures.visibilityCases += 4;
  });

  it('the look-up by number + phone tail shows a stranger the progress, never the contact or the notes', async () => {
    const theirs = await rig.submit('demo-resident2', { contact: { name: '李芳', phone: '13900005678' } });
    const r = await rig.ok<{ ticket: Record<string, unknown>; timeline: Record<string, unknown>[] }>('demo-resident', 'resident', { action: 'lookup', number: theirs.ticket.number, phoneTail: '5678' });
    expect(r.ticket.state).toBe('submitted');
    const json = JSON.stringify(r);
    for (const secret of ['李芳', '13900005678', '900005678', 'demo-resident2', theirs.ticket.content]) expect(json).not.toContain(secret);
    expect(r.timeline.every((e) => !('note' in e) && !('attachments' in e))).toBe(true);
    figures.visibilityCases += 2;
  });

  it('guessing is rate-limited per user: after N tries even the right tail is refused, with a Chinese message; the window reopens', async () => {
    const target = await rig.submit('demo-resident2', { contact: { name: '李芳', phone: '13900009999' } });
    const n = rig.deps.limits.lookupsPerWindow;
    for (let i = 0; i < n; i++) {
      expect(await rig.call('acc-guesser', 'resident', { action: 'lookup', number: target.ticket.number, phoneTail: String(1000 + i) })).toMatchObject({ ok: false, code: 'not-found' });
    }
    const limited = await rig.refused('acc-guesser', 'resident', { action: 'lookup', number: target.ticket.number, phoneTail: '9999' });
    expect(limited).toEqual({ code: 'lookup-rate-limited', message: ERROR_MESSAGES['lookup-rate-limited'] });
    expect(limited.message).toMatch(HAN);
    rig.clock.advance(rig.deps.limits.lookupWindowMs + 1);
    expect((await rig.call('acc-guesser', 'resident', { action: 'lookup', number: target.ticket.number, phoneTail: '9999' })).ok).toBe(true);
    figures.limitCases += n + 2;
  });

  it('guessing from one address with many accounts is limited too (3× the per-user limit)', async () => {
    const target = await rig.submit('demo-resident2', { contact: { name: '李芳', phone: '13900008888' } });
    const n = rig.deps.limits.lookupsPerWindow;
    const ip = '203.0.113.9';
    let tries = 0;
    let limitedAt = -1;
    for (let a = 0; a < 4 && limitedAt < 0; a++) {
      for (let i = 0; i < n; i++) {
        tries++;
        const r = await rig.call(`acc-sock-${a}`, 'resident', { action: 'lookup', number: target.ticket.number, phoneTail: String(2000 + tries) }, { ip });
        if (!r.ok && r.code === 'lookup-rate-limited') {
          limitedAt = tries;
          break;
        }
      }
    }
    expect(limitedAt).toBe(3 * n + 1);
    // Another address is not affected.
    expect(await rig.call('acc-sock-3', 'resident', { action: 'lookup', number: target.ticket.number, phoneTail: '8888' }, { ip: '198.51.100.7' })).toMatchObject({ ok: true });
    figures.limitCases += tries + 1;
  });
});

// ---------------------------------------------------------------------------------------------
// Abuse protection: rate limit and duplicates, configurable, in Chinese
// ---------------------------------------------------------------------------------------------

describe('abuse protection (baiyin 29, linyi 12/46)', () => {
  it.each([3, 5])('a per-user limit of %i submissions an hour, set through deps.limits', async (perHour) => {
    const rig = await createRig({ limits: { submissionsPerHour: perHour } });
    try {
      for (let i = 0; i < perHour; i++) await rig.submit('demo-resident');
      const tickets = rig.count('tickets');
      const r = await rig.refused('demo-resident', 'resident', { action: 'submit', input: rig.submitInput() });
      expect(r.code).toBe('rate-limited');
      expect(r.message).toMatch(HAN);
      expect(r.message).toContain(String(perHour));
      expect(rig.count('tickets')).toBe(tickets);
      // Others are not affected; the operator's phone intake is not limited.
      expect((await rig.call('demo-resident2', 'resident', { action: 'submit', input: rig.submitInput() })).ok).toBe(true);
      expect((await rig.call('demo-operator', 'operator', { action: 'submit', input: rig.submitInput() })).ok).toBe(true);
      // An hour later the same user may submit again.
      rig.clock.advance(HOUR + 1);
      expect((await rig.call('demo-resident', 'resident', { action: 'submit', input: rig.submitInput() })).ok).toBe(true);
      figures.limitCases += perHour + 4;
    } finally {
      await rig.close();
    }
  });

  it('repeated identical content is refused as a duplicate within the window (whitespace does not matter), with a Chinese message', async () => {
    const rig = await createRig({ limits: { duplicateWindowMs: 2 * HOUR } });
    try {
      const content = '幸福小区 3号楼电梯已经停运一周，老人上下楼非常困难。';
      const first = await rig.submit('demo-resident', { content });
      const tickets = rig.count('tickets');
      for (const variant of [content, `  ${content}\n`, content.replace(' ', '   \t ')]) {
        const r = await rig.refused('demo-resident', 'resident', { action: 'submit', input: rig.submitInput({ content: variant }) });
        expect(r).toEqual({ code: 'duplicate-submission', message: ERROR_MESSAGES['duplicate-submission'] });
        expect(r.message).toMatch(HAN);
      }
      expect(rig.count('tickets')).toBe(tickets);
      // The same request again (a network retry) returns the first ticket, not a refusal.
      const again = await rig.ok<{ ticket: Ticket; created: boolean }>('demo-resident', 'resident', { action: 'submit', input: rig.submitInput({ content, clientRequestId: first.ticket.clientRequestId }) });
      expect([again.ticket.id, again.created]).toEqual([first.ticket.id, false]);
      // Another resident may report the same thing; after the window the same resident may too.
      expect((await rig.call('demo-resident2', 'resident', { action: 'submit', input: rig.submitInput({ content }) })).ok).toBe(true);
      rig.clock.advance(2 * HOUR + 1);
      expect((await rig.call('demo-resident', 'resident', { action: 'submit', input: rig.submitInput({ content }) })).ok).toBe(true);
      figures.limitCases += 6;
    } finally {
      await rig.close();
    }
  });
});
