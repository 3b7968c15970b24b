/**
 * Accounts of the self-hosted mode over the real local server (HTTP, SQLite, scrypt): password and
 * TOTP sign-in, lockout, sessions and their revocation, operator reset codes, invites by role,
 * removal, the audit log, SMS sign-in through the demo outbox. Every refusal has a stable code,
 * a Chinese message, and leaves the account tables as they were.
 */
import { createHash } from 'node:crypto';
import { base32Encode, hotp, matchTotp, passwordProblem, totpCode, TOTP_STEP_MS } from '../../cloudfunctions/lib/passwords';
import { ACCOUNT_LIMITS, createAccount } from '../../cloudfunctions/lib/accounts';
import { OutboxSmsSender } from '../../cloudfunctions/adapters/sms/outboxSms';
import { DAY, MIN, api, createRig, serveRig, type Rig } from '../support/reliabilityHarness';

const ACCOUNT_TABLES = ['users', 'user_roles', 'credentials', 'logins', 'sessions', 'one_time_codes', 'invites'];

let rig: Rig;
let srv: { base: string; close(): Promise<void> };
let outbox: OutboxSmsSender;

function tables(names = ACCOUNT_TABLES): string {
  const hash = createHash('sha256');
  for (const t of names) for (const row of rig.deps.db.prepare(`SELECT * FROM ${t} ORDER BY 1`).all()) hash.update(`${t}:${JSON.stringify(row)}`);
  return hash.digest('hex');
}

const call = <T = unknown>(fn: string, event: Record<string, unknown>, token?: string) => api<T>(srv.base, fn, event, token);
interface SignedIn {
  token: string;
  user: { id: string; roles: string[] };
  totpEnrolment?: boolean;
}
async function signIn(login: string, password: string, totp?: string): Promise<SignedIn> {
  const r = await call<SignedIn>('auth', { action: 'passwordLogin', login, password, ...(totp ? { totp } : {}) });
  if (!r.ok) throw new Error(`sign-in ${login}: ${r.code} ${r.message}`);
  return r.data;
}
async function refusal(fn: string, event: Record<string, unknown>, token?: string) {
  const r = await call(fn, event, token);
  if (r.ok) throw new Error(`${fn}.${String(event.action)} should have been refused`);
  expect(r.message).toMatch(/[\u4e00-\u9fa5]/);
  return r.code;
}

const PASSWORD = 'Qingshui-river-42';
let operatorToken: string;

beforeAll(async () => {
  rig = await createRig();
  outbox = new OutboxSmsSender(rig.deps.db, () => rig.clock.now(), () => undefined);
  rig.deps.auth = { production: true, sms: outbox };
  srv = await serveRig(rig);
  await createAccount(rig.deps, { name: '赵敏', login: 'zhao.min', password: PASSWORD, roles: ['operator'] }, 'op-zhao');
  await createAccount(rig.deps, { name: '刘洋', login: 'liu.yang', password: PASSWORD, roles: ['staff'], unitId: 'u-chengguan', phone: '13700001111' }, 'st-liu');
  // The operator sets up the second factor at the first sign-in (production).
  const first = await signIn('zhao.min', PASSWORD);
  expect(first.totpEnrolment).toBe(true);
  expect(await refusal('operator', { action: 'queue', queue: 'all' }, first.token)).toBe('totp-enrolment-required');
  const begun = await call<{ secret: string; uri: string }>('auth', { action: 'totpBegin' }, first.token);
  if (!begun.ok) throw new Error(begun.message);
  expect(begun.data.uri).toMatch(/^otpauth:\/\/totp\/.*secret=[A-Z2-7]+/);
  expect(await call('auth', { action: 'totpConfirm', code: totpCode(begun.data.secret, rig.clock.now()) }, first.token)).toMatchObject({ ok: true });
  expect((await call('operator', { action: 'queue', queue: 'all' }, first.token)).ok).toBe(true);
  operatorToken = first.token;
  operatorSecret = begun.data.secret;
});
let operatorSecret = '';
afterAll(async () => {
  await srv.close();
  await rig.close();
});

describe('passwords and the second factor', () => {
  it('TOTP matches RFC 6238 Appendix B (SHA-1, 8 digits)', () => {
    const secret = Buffer.from('12345678901234567890');
    const vectors: [number, string][] = [[59, '94287082'], [1111111109, '07081804'], [1111111111, '14050471'], [1234567890, '89005924'], [2000000000, '69279037'], [20000000000, '65353130']];
    for (const [t, code] of vectors) expect(hotp(secret, Math.floor(t / 30), 8)).toBe(code);
    // 6 digits, one step of drift either way, nothing further.
    const b32 = base32Encode(secret);
    const now = 1_700_000_000_000;
    expect(matchTotp(b32, totpCode(b32, now - TOTP_STEP_MS), now)).not.toBeNull();
    expect(matchTotp(b32, totpCode(b32, now - 3 * TOTP_STEP_MS), now)).toBeNull();
  });

  it('short, common, keyboard-run and name-containing passwords are refused', () => {
    for (const p of ['short1', '1234567890', 'qwertyuiop', 'password123', 'aaaaaaaaaaaa', 'abababababab', 'zhao.min-2026!']) expect(passwordProblem(p, 'zhao.min')).not.toBeNull();
    expect(passwordProblem(PASSWORD, 'zhao.min')).toBeNull();
  });

  it('an operator with TOTP must give the code; a wrong one and a replayed one are refused', async () => {
    expect(await refusal('auth', { action: 'passwordLogin', login: 'zhao.min', password: PASSWORD })).toBe('totp-required');
    const wrong = String((Number(totpCode(operatorSecret, rig.clock.now())) + 1) % 1_000_000).padStart(6, '0');
    expect(await refusal('auth', { action: 'passwordLogin', login: 'zhao.min', password: PASSWORD, totp: wrong })).toBe('totp-invalid');
    rig.clock.advance(TOTP_STEP_MS);
    const code = totpCode(operatorSecret, rig.clock.now());
    const ok = await signIn('zhao.min', PASSWORD, code);
    expect(ok.totpEnrolment).toBe(false);
    expect(await refusal('auth', { action: 'passwordLogin', login: 'zhao.min', password: PASSWORD, totp: code })).toBe('totp-replayed');
  });

  it('two sign-ins fired at once with one code: exactly one session, the other refused as a replay', async () => {
    rig.clock.advance(TOTP_STEP_MS);
    const code = totpCode(operatorSecret, rig.clock.now());
    const count = () => (rig.deps.db.prepare("SELECT COUNT(*) AS n FROM sessions WHERE user_id = 'op-zhao'").get() as { n: number }).n;
    const before = count();
    const both = await Promise.all([0, 1].map(() => call('auth', { action: 'passwordLogin', login: 'zhao.min', password: PASSWORD, totp: code })));
    expect(both.filter((r) => r.ok)).toHaveLength(1);
    expect(both.filter((r) => !r.ok).map((r) => (r.ok ? '' : r.code))).toEqual(['totp-replayed']);
    expect(count()).toBe(before + 1);
  });

  it('bad input is refused with invalid-input and writes nothing', async () => {
    const before = tables();
    for (const event of [
      { action: 'passwordLogin', login: '', password: PASSWORD },
      { action: 'passwordLogin', login: 'zhao.min', password: 'x'.repeat(129) },
      { action: 'passwordLogin', login: 'zhao.min', password: PASSWORD, totp: '12345' },
      { action: 'passwordLogin', login: 'zhao.min', password: PASSWORD, role: 'operator' },
      { action: 'smsLogin', phone: '1380000', code: '123456' },
      { action: 'wxLogin', code: '../../etc' },
    ]) expect(await refusal('auth', event)).toBe('invalid-input');
    expect(tables()).toBe(before);
  });
});

describe('brute force', () => {
  it(`locks the account after ${ACCOUNT_LIMITS.failuresBeforeLock} failures, even for the right password, with a Chinese message; it opens again after 15 minutes`, async () => {
    const codes: string[] = [];
    for (let i = 0; i < ACCOUNT_LIMITS.failuresBeforeLock; i++) codes.push(await refusal('auth', { action: 'passwordLogin', login: 'liu.yang', password: `wrong-guess-${i}-xyz` }));
    expect(codes).toEqual([...Array(ACCOUNT_LIMITS.failuresBeforeLock - 1).fill('login-failed'), 'account-locked']);
    const locked = await call('auth', { action: 'passwordLogin', login: 'liu.yang', password: PASSWORD });
    expect(locked).toMatchObject({ ok: false, code: 'account-locked' });
    if (!locked.ok) expect(locked.message).toContain('锁定');
    // By phone number too: the lock is the account's.
    expect(await refusal('auth', { action: 'passwordLogin', login: '13700001111', password: PASSWORD })).toBe('account-locked');
    rig.clock.advance(ACCOUNT_LIMITS.lockMs + 1);
    const ok = await signIn('13700001111', PASSWORD);
    expect(ok.user.id).toBe('st-liu');
    // The operator reads every failure and the lock in the audit log.
    const log = await call<{ kind: string; userId?: string }[]>('admin', { action: 'audit', userId: 'st-liu', limit: 50 }, operatorToken);
    if (!log.ok) throw new Error(log.message);
    const kinds = log.data.map((a) => a.kind);
    expect(kinds.filter((k) => k === 'login-failed').length).toBeGreaterThanOrEqual(ACCOUNT_LIMITS.failuresBeforeLock);
    expect(kinds).toContain('locked');
    expect(kinds[0]).toBe('login-ok');
  });

  it('unknown accounts answer exactly like a wrong password, and are audited', async () => {
    expect(await refusal('auth', { action: 'passwordLogin', login: 'nobody.here', password: PASSWORD })).toBe('login-failed');
    const log = await call<{ kind: string; login?: string }[]>('admin', { action: 'audit', limit: 5 }, operatorToken);
    expect(log.ok && log.data[0]).toMatchObject({ kind: 'login-failed', login: 'nobody.here' });
  });

  it('a resident cannot read the audit log, and a resident token is refused on staff functions', async () => {
    const r = await call('auth', { action: 'smsSend', phone: '13900009999' });
    expect(r.ok).toBe(true);
    const code = outbox.lastTo('13900009999')!.match(/(\d{6})/)![1]!;
    const res = await call<SignedIn>('auth', { action: 'smsLogin', phone: '13900009999', code });
    if (!res.ok) throw new Error(res.message);
    expect(await refusal('admin', { action: 'audit', limit: 5 }, res.data.token)).toBe('forbidden');
    expect(await refusal('staff', { action: 'counts' }, res.data.token)).toBe('forbidden');
  });
});

describe('failed attempts racing a sign-in or a second-factor setup (field-level writes)', () => {
  const credential = (userId: string) => JSON.parse((rig.deps.db.prepare('SELECT doc FROM credentials WHERE user_id = ?').pluck().get(userId) as string)) as Record<string, unknown>;
  const wrongs = (login: string, n: number) => [...Array(n).keys()].map((i) => call('auth', { action: 'passwordLogin', login, password: `wrong-race-${i}-xyz` }));

  it('wrong passwords that lock the account while a sign-in takes its TOTP step do not put back the older step', async () => {
    rig.clock.advance(ACCOUNT_LIMITS.lockMs + 1);
    await createAccount(rig.deps, { name: '孙倩', login: 'sun.qian', password: PASSWORD, roles: ['operator'] }, 'op-sun');
    const enrol = await signIn('sun.qian', PASSWORD);
    const begun = await call<{ secret: string }>('auth', { action: 'totpBegin' }, enrol.token);
    if (!begun.ok) throw new Error(begun.message);
    expect((await call('auth', { action: 'totpConfirm', code: totpCode(begun.data.secret, rig.clock.now()) }, enrol.token)).ok).toBe(true);
    const first = credential('op-sun').totpLastStep as number;
    rig.clock.advance(TOTP_STEP_MS);
    for (const r of await Promise.all(wrongs('sun.qian', ACCOUNT_LIMITS.failuresBeforeLock - 1))) expect(r).toMatchObject({ ok: false, code: 'login-failed' });
    const code = totpCode(begun.data.secret, rig.clock.now());
    // One right sign-in among wrong ones that each reach the lock: all read the credential before any writes.
    const [right, ...rest] = await Promise.all([call('auth', { action: 'passwordLogin', login: 'sun.qian', password: PASSWORD, totp: code }), ...wrongs('sun.qian', 5)]);
    expect(right.ok).toBe(true);
    expect(rest.map((r) => (r.ok ? 'ok' : r.code))).toEqual(Array(5).fill('account-locked'));
    const after = credential('op-sun');
    expect(after.totpLastStep).toBe(first + 1);
    expect(after.totpSecret).toBe(begun.data.secret);
    expect(await refusal('auth', { action: 'passwordLogin', login: 'sun.qian', password: PASSWORD, totp: code })).toBe(after.lockedUntil ? 'account-locked' : 'totp-replayed');
  });

  it('wrong passwords that lock the account while the second factor is confirmed do not remove it', async () => {
    rig.clock.advance(ACCOUNT_LIMITS.lockMs + 1);
    await createAccount(rig.deps, { name: '周静', login: 'zhou.jing', password: PASSWORD, roles: ['staff'], unitId: 'u-chengguan' }, 'st-zhou');
    const session = await signIn('zhou.jing', PASSWORD);
    const begun = await call<{ secret: string }>('auth', { action: 'totpBegin' }, session.token);
    if (!begun.ok) throw new Error(begun.message);
    for (const r of await Promise.all(wrongs('zhou.jing', ACCOUNT_LIMITS.failuresBeforeLock - 1))) expect(r).toMatchObject({ ok: false, code: 'login-failed' });
    // The wrong attempts go first: they read the credential, then spend their time in scrypt while the confirm lands.
    const racing = wrongs('zhou.jing', 5);
    const confirmed = await call('auth', { action: 'totpConfirm', code: totpCode(begun.data.secret, rig.clock.now()) }, session.token);
    const rest = await Promise.all(racing);
    expect(confirmed).toMatchObject({ ok: true, data: { enabled: true } });
    expect(rest.map((r) => (r.ok ? 'ok' : r.code))).toEqual(Array(5).fill('account-locked'));
    const after = credential('st-zhou');
    expect(after).toMatchObject({ totpSecret: begun.data.secret });
    expect(after.totpPending).toBeUndefined();
    expect(after.lockedUntil).toBeGreaterThan(rig.clock.now());
    // A setup started again after the factor is on is refused and writes nothing.
    const before = tables();
    expect(await refusal('auth', { action: 'totpBegin' }, session.token)).toBe('totp-already-enabled');
    expect(tables()).toBe(before);
  });

  it('one reset code used twice at once: one new password, the other refused', async () => {
    rig.clock.advance(ACCOUNT_LIMITS.lockMs + 1);
    await createAccount(rig.deps, { name: '吴磊', login: 'wu.lei', password: PASSWORD, roles: ['staff'], unitId: 'u-chengguan' }, 'st-wu');
    const issued = await call<{ code: string }>('admin', { action: 'resetCode', userId: 'st-wu' }, operatorToken);
    if (!issued.ok) throw new Error(issued.message);
    const both = await Promise.all(['First-harbour-light-1', 'Second-harbour-light-2'].map((password) => call('auth', { action: 'resetPassword', login: 'wu.lei', code: issued.data.code, password })));
    expect(both.filter((r) => r.ok)).toHaveLength(1);
    expect(both.filter((r) => !r.ok).map((r) => (r.ok ? '' : r.code))).toEqual(['reset-code-invalid']);
    const winner = both[0]!.ok ? 'First-harbour-light-1' : 'Second-harbour-light-2';
    const loser = both[0]!.ok ? 'Second-harbour-light-2' : 'First-harbour-light-1';
    expect((await signIn('wu.lei', winner)).user.id).toBe('st-wu');
    expect(await refusal('auth', { action: 'passwordLogin', login: 'wu.lei', password: loser })).toBe('login-failed');
  });
});

describe('sessions', () => {
  it('are listed and revoked; a revoked token is refused at once; logout ends the own session', async () => {
    const a = await signIn('liu.yang', PASSWORD);
    const b = await signIn('liu.yang', PASSWORD);
    const list = await call<{ id: string; active: boolean; current: boolean }[]>('auth', { action: 'sessions' }, a.token);
    if (!list.ok) throw new Error(list.message);
    const live = list.data.filter((s) => s.active);
    expect(live.length).toBeGreaterThanOrEqual(2);
    const sidOf = (token: string) => (JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')) as { sid: string }).sid;
    const other = live.find((s) => s.id === sidOf(b.token))!;
    expect(other.current).toBe(false);
    expect(await call('auth', { action: 'revokeSession', sessionId: other.id }, a.token)).toMatchObject({ ok: true, data: { revoked: true } });
    expect(await refusal('staff', { action: 'counts' }, b.token)).toBe('token-invalid');
    expect((await call('staff', { action: 'counts' }, a.token)).ok).toBe(true);
    expect((await call('auth', { action: 'logout' }, a.token)).ok).toBe(true);
    expect(await refusal('staff', { action: 'counts' }, a.token)).toBe('token-invalid');
  });

  it("another user's session cannot be revoked by id guessing", async () => {
    const mine = await signIn('liu.yang', PASSWORD);
    const ops = await call<{ id: string }[]>('admin', { action: 'sessions', userId: 'op-zhao' }, operatorToken);
    if (!ops.ok) throw new Error(ops.message);
    expect(await refusal('auth', { action: 'revokeSession', sessionId: ops.data[0]!.id }, mine.token)).toBe('not-found');
    expect((await call('operator', { action: 'queue', queue: 'all' }, operatorToken)).ok).toBe(true);
  });
});

describe('the operator\'s account list', () => {
  interface AccountRow { id: string; name: string; roles: string[]; login?: string; phone?: string; signIn: string; totp: boolean; lockedUntil?: number; resetPendingUntil?: number; unitName?: string }
  it('shows who signs in how: account name, masked phone, second factor, a lock in force; residents only when asked; a staff token is refused', async () => {
    rig.clock.advance(ACCOUNT_LIMITS.lockMs + 1);
    await createAccount(rig.deps, { name: '郑华', login: 'zheng.hua', password: PASSWORD, roles: ['staff'], unitId: 'u-chengguan', phone: '13700002222' }, 'st-zheng');
    for (let i = 0; i < ACCOUNT_LIMITS.failuresBeforeLock; i++) await call('auth', { action: 'passwordLogin', login: 'zheng.hua', password: `wrong-list-${i}-xyz` });
    const listed = await call<AccountRow[]>('admin', { action: 'accounts', limit: 200 }, operatorToken);
    if (!listed.ok) throw new Error(listed.message);
    const byId = new Map(listed.data.map((r) => [r.id, r]));
    expect(byId.get('st-zheng')).toMatchObject({ name: '郑华', roles: ['staff'], login: 'zheng.hua', phone: '137****2222', signIn: 'password', totp: false, unitName: expect.any(String) });
    expect(byId.get('st-zheng')!.lockedUntil).toBeGreaterThan(rig.clock.now());
    expect(byId.get('op-zhao')).toMatchObject({ login: 'zhao.min', signIn: 'password', totp: true });
    expect(byId.get('op-zhao')!.lockedUntil).toBeUndefined();
    expect(listed.data.every((r) => r.roles.some((role) => role !== 'resident'))).toBe(true);
    expect(JSON.stringify(listed.data)).not.toMatch(/scrypt|passwordHash|totpSecret|resetHash/);
    const issued = await call('admin', { action: 'resetCode', userId: 'st-zheng' }, operatorToken);
    expect(issued.ok).toBe(true);
    const staff = await call<AccountRow[]>('admin', { action: 'accounts', role: 'staff', limit: 200 }, operatorToken);
    if (!staff.ok) throw new Error(staff.message);
    expect(staff.data.find((r) => r.id === 'st-zheng')!.resetPendingUntil).toBeGreaterThan(rig.clock.now());
    expect(staff.data.every((r) => r.roles.includes('staff'))).toBe(true);
    const staffToken = (await signIn('liu.yang', PASSWORD)).token;
    expect(await refusal('admin', { action: 'accounts' }, staffToken)).toBe('forbidden');
    expect(await refusal('admin', { action: 'accounts', limit: 201 }, operatorToken)).toBe('invalid-input');
  });
});

describe('removal', () => {
  it("an operator removes a staff member: the staff member's open sessions end at once, sign-in is refused", async () => {
    await createAccount(rig.deps, { name: '将离职', login: 'leaver.one', password: PASSWORD, roles: ['staff'], unitId: 'u-chengguan' }, 'st-leaver');
    const t1 = await signIn('leaver.one', PASSWORD);
    const t2 = await signIn('leaver.one', PASSWORD);
    expect((await call('staff', { action: 'counts' }, t1.token)).ok).toBe(true);
    const removed = await call<{ sessionsEnded: number }>('admin', { action: 'removeUser', userId: 'st-leaver' }, operatorToken);
    expect(removed).toMatchObject({ ok: true, data: { sessionsEnded: 2 } });
    for (const t of [t1, t2]) {
      expect(await refusal('staff', { action: 'counts' }, t.token)).toBe('token-invalid');
      expect(await refusal('auth', { action: 'whoami' }, t.token)).toBe('token-invalid');
    }
    expect(await refusal('auth', { action: 'passwordLogin', login: 'leaver.one', password: PASSWORD })).toBe('login-failed');
  });

  it('an operator can remove another operator but not themselves, nor the last one', async () => {
    expect(await refusal('admin', { action: 'removeUser', userId: 'op-zhao' }, operatorToken)).toBe('last-operator');
    // demo-operator (seeded) is the other operator here; once gone, op-zhao is the last one.
    expect((await call('admin', { action: 'removeUser', userId: 'demo-operator' }, operatorToken)).ok).toBe(true);
    expect(await refusal('admin', { action: 'removeUser', userId: 'op-zhao' }, operatorToken)).toBe('last-operator');
  });
});

describe('reset codes', () => {
  it('an operator issues a one-time code; the user sets a new password with it; all their sessions end; the code works once', async () => {
    const old = await signIn('liu.yang', PASSWORD);
    const issued = await call<{ code: string }>('admin', { action: 'resetCode', userId: 'st-liu' }, operatorToken);
    if (!issued.ok) throw new Error(issued.message);
    const before = tables();
    expect(await refusal('auth', { action: 'resetPassword', login: 'liu.yang', code: 'AAAAAAAAAA', password: 'New-harbour-light-7' })).toBe('reset-code-invalid');
    expect(await refusal('auth', { action: 'resetPassword', login: 'liu.yang', code: issued.data.code, password: '1234567890' })).toBe('password-weak');
    expect(tables()).toBe(before);
    expect(await call('auth', { action: 'resetPassword', login: 'liu.yang', code: issued.data.code, password: 'New-harbour-light-7' })).toMatchObject({ ok: true });
    expect(await refusal('staff', { action: 'counts' }, old.token)).toBe('token-invalid');
    expect(await refusal('auth', { action: 'passwordLogin', login: 'liu.yang', password: PASSWORD })).toBe('login-failed');
    expect((await signIn('liu.yang', 'New-harbour-light-7')).user.id).toBe('st-liu');
    expect(await refusal('auth', { action: 'resetPassword', login: 'liu.yang', code: issued.data.code, password: 'Another-harbour-8x' })).toBe('reset-code-invalid');
  });

  it('an expired code is refused', async () => {
    const issued = await call<{ code: string }>('admin', { action: 'resetCode', userId: 'st-liu' }, operatorToken);
    if (!issued.ok) throw new Error(issued.message);
    rig.clock.advance(DAY + MIN);
    expect(await refusal('auth', { action: 'resetPassword', login: 'liu.yang', code: issued.data.code, password: 'Late-harbour-light-9' })).toBe('reset-code-invalid');
  });
});

describe('invites for every role', () => {
  it('operator, grid-worker and staff invites make password accounts of that role; a used invite is refused', async () => {
    // The operator signs in again after the clock moved (sessions last 12 hours).
    rig.clock.advance(TOTP_STEP_MS);
    operatorToken = (await signIn('zhao.min', PASSWORD, totpCode(operatorSecret, rig.clock.now()))).token;
    const made: Record<string, string> = {};
    for (const [role, extra] of [['operator', {}], ['grid', {}], ['staff', { unitId: 'u-zhujian' }]] as const) {
      const inv = await call<{ code: string; role: string }>('admin', { action: 'invite', role, ...extra }, operatorToken);
      if (!inv.ok) throw new Error(inv.message);
      expect(inv.data.role).toBe(role);
      const login = `new.${role}`;
      const reg = await call<SignedIn>('auth', { action: 'registerWithInvite', code: inv.data.code, name: `新${role}`, login, password: PASSWORD });
      if (!reg.ok) throw new Error(`${role}: ${reg.code} ${reg.message}`);
      expect(reg.data.user.roles).toEqual([role]);
      // Production: a new operator must set up TOTP before anything else.
      expect(reg.data.totpEnrolment).toBe(role === 'operator');
      made[role] = inv.data.code;
      expect(await refusal('auth', { action: 'registerWithInvite', code: inv.data.code, name: '又一个', login: `again.${role}`, password: PASSWORD })).toBe('invite-invalid');
    }
    expect(await refusal('admin', { action: 'invite', role: 'staff' }, operatorToken)).toBe('invalid-input');
  });

  it('a weak password or a taken name leaves the invite unspent', async () => {
    const inv = await call<{ code: string }>('admin', { action: 'invite', role: 'grid' }, operatorToken);
    if (!inv.ok) throw new Error(inv.message);
    const before = tables();
    expect(await refusal('auth', { action: 'registerWithInvite', code: inv.data.code, name: '网格', login: 'grid.two', password: 'password123' })).toBe('password-weak');
    expect(await refusal('auth', { action: 'registerWithInvite', code: inv.data.code, name: '网格', login: 'liu.yang', password: PASSWORD })).toBe('account-exists');
    expect(tables()).toBe(before);
    expect((await call('auth', { action: 'registerWithInvite', code: inv.data.code, name: '网格', login: 'grid.two', password: PASSWORD })).ok).toBe(true);
  });
});

describe('residents on the web: SMS codes', () => {
  const phone = '13600002222';
  const lastCode = () => outbox.lastTo(phone)!.match(/(\d{6})/)![1]!;

  it('a code from the outbox signs a resident in; the same code cannot be used twice', async () => {
    rig.clock.advance(2 * MIN);
    expect(await call('auth', { action: 'smsSend', phone })).toMatchObject({ ok: true });
    const code = lastCode();
    const r = await call<SignedIn>('auth', { action: 'smsLogin', phone, code });
    if (!r.ok) throw new Error(r.message);
    expect(r.data.user.roles).toEqual(['resident']);
    expect((await call('resident', { action: 'listMine' }, r.data.token)).ok).toBe(true);
    expect(await refusal('auth', { action: 'smsLogin', phone, code })).toBe('sms-code-invalid');
    // The same phone signs in as the same resident next time.
    rig.clock.advance(2 * MIN);
    await call('auth', { action: 'smsSend', phone });
    const again = await call<SignedIn>('auth', { action: 'smsLogin', phone, code: lastCode() });
    expect(again.ok && again.data.user.id).toBe(r.data.user.id);
  });

  it('one send per number per minute; guessing stops after 5 wrong codes even for the right one; codes expire', async () => {
    rig.clock.advance(2 * MIN);
    expect((await call('auth', { action: 'smsSend', phone })).ok).toBe(true);
    expect(await refusal('auth', { action: 'smsSend', phone })).toBe('sms-rate-limited');
    const code = lastCode();
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < ACCOUNT_LIMITS.smsGuessesPerCode; i++) expect(await refusal('auth', { action: 'smsLogin', phone, code: wrong })).toBe('sms-code-invalid');
    expect(await refusal('auth', { action: 'smsLogin', phone, code })).toBe('sms-code-invalid');
    rig.clock.advance(2 * MIN);
    await call('auth', { action: 'smsSend', phone });
    const fresh = lastCode();
    rig.clock.advance(ACCOUNT_LIMITS.smsCodeMs + 1);
    expect(await refusal('auth', { action: 'smsLogin', phone, code: fresh })).toBe('sms-code-invalid');
  });

  it(`at most ${ACCOUNT_LIMITS.smsPerNumberPerHour} sends per number per hour, ${ACCOUNT_LIMITS.smsPerAddressPerHour} per address`, async () => {
    rig.clock.advance(2 * 3_600_000);
    const codes: string[] = [];
    for (let i = 0; i < ACCOUNT_LIMITS.smsPerNumberPerHour + 1; i++) {
      const r = await call('auth', { action: 'smsSend', phone: '13500003333' });
      codes.push(r.ok ? 'ok' : r.code);
      rig.clock.advance(61_000);
    }
    expect(codes).toEqual([...Array(ACCOUNT_LIMITS.smsPerNumberPerHour).fill('ok'), 'sms-rate-limited']);
    rig.clock.advance(2 * 3_600_000);
    const perAddress: string[] = [];
    for (let i = 0; i < ACCOUNT_LIMITS.smsPerAddressPerHour + 1; i++) {
      const r = await call('auth', { action: 'smsSend', phone: `1340000${String(i).padStart(4, '0')}` });
      perAddress.push(r.ok ? 'ok' : r.code);
    }
    expect(perAddress.filter((c) => c === 'ok')).toHaveLength(ACCOUNT_LIMITS.smsPerAddressPerHour);
    expect(perAddress.at(-1)).toBe('sms-rate-limited');
  });
});

describe('production mode refuses the demo', () => {
  it('auth.login with a demo user id fails and auth.demoUsers lists nobody', async () => {
    expect(await refusal('auth', { action: 'login', userId: 'demo-operator' })).toBe('demo-disabled');
    expect(await call('auth', { action: 'demoUsers' })).toEqual({ ok: true, data: [] });
  });
});
