import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role } from '../../shared/contracts/common';
import { DomainError } from '../../shared/errors';
import { maskPhone as maskPolicyPhone } from '../../shared/policy';
import type { AuthAuditKind, CredentialRecord, SessionRecord, UserRecord } from '../../shared/ports';
import type { Deps } from './deps';
import type { Caller } from './identity';
import {
  DUMMY_HASH, RESET_ALPHABET, assertPasswordAcceptable, hashPassword, matchTotp, newTotpSecret, otpauthUri, randomCode, sha256Hex, verifyPassword,
} from './passwords';

/** Sends a sign-in code by SMS (Tencent Cloud SMS in production, the outbox in the demo). */
export interface SmsSender {
  send(phone: string, code: string, minutes: number): Promise<void>;
}

/** Exchanges a wx.login code for the caller's OPENID (WeChat `jscode2session`). */
export interface WeChatCodeExchange {
  code2session(code: string): Promise<{ openid: string; unionid?: string }>;
}

/** How the runtime signs people in; absent fields switch the matching sign-in off. */
export interface AuthSettings {
  /** Production (`npm run serve`): no demo logins, operators need a second factor. */
  production: boolean;
  sms?: SmsSender;
  wechat?: WeChatCodeExchange;
  /** OPENIDs that become operators on their first call. */
  bootstrapOpenids?: Set<string>;
}

export const ACCOUNT_LIMITS = {
  /** Failed passwords or second-factor codes on one account before it locks. */
  failuresBeforeLock: 5,
  failureWindowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
  /** Password attempts from one address per window, whichever accounts they name. */
  attemptsPerAddress: 30,
  passwordSessionMs: 12 * 3_600_000,
  otherSessionMs: 7 * 24 * 3_600_000,
  resetCodeMs: 24 * 3_600_000,
  smsCodeMs: 5 * 60_000,
  smsPerNumberPerMinute: 1,
  smsPerNumberPerHour: 5,
  smsPerAddressPerHour: 20,
  smsGuessesPerCode: 5,
  smsLoginsPerAddressPerHour: 30,
  wechatLoginsPerAddressPerMinute: 30,
} as const;

const HOUR = 3_600_000;
export const LOGIN_PATTERN = /^[a-z][a-z0-9._-]{2,31}$/;
export const PHONE_PATTERN = /^1\d{10}$/;

export const maskPhone = (p: string) => (PHONE_PATTERN.test(p) ? maskPolicyPhone(p)! : p.slice(0, 40));
const maskLogin = (s: string) => (PHONE_PATTERN.test(s) ? maskPhone(s) : s.slice(0, 40));

export interface AccountContext {
  deps: Deps;
  ip?: string;
  signToken?: (userId: string, sessionId?: string, expiresAt?: number) => string;
}

export async function audit(
  deps: Deps,
  kind: AuthAuditKind,
  fields: { userId?: string; actorId?: string; login?: string; ip?: string; detail?: string } = {},
): Promise<void> {
  const clean = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== '')) as typeof fields;
  await deps.directory.appendAudit({ id: deps.ids.id('aa'), at: deps.clock.now(), kind, ...clean });
}

export function userView(u: UserRecord, unitName?: string) {
  return { id: u.id, name: u.name, roles: u.roles, unitId: u.unitId, unitName };
}

async function viewOf(deps: Deps, u: UserRecord) {
  const unit = u.unitId ? await deps.directory.getUnit(u.unitId) : null;
  return userView(u, unit?.name);
}

/** Starts a server-side session and signs its token. */
export async function startSession(ctx: AccountContext, user: UserRecord, via: SessionRecord['via'], scope: SessionRecord['scope'] = 'full') {
  if (!ctx.signToken) throw new DomainError('signin-unavailable');
  const now = ctx.deps.clock.now();
  const ttl = via === 'password' || via === 'invite' ? ACCOUNT_LIMITS.passwordSessionMs : ACCOUNT_LIMITS.otherSessionMs;
  const session: SessionRecord = {
    id: `s_${randomBytes(16).toString('base64url')}`,
    userId: user.id,
    via,
    scope,
    createdAt: now,
    expiresAt: now + ttl,
    ...(ctx.ip ? { ip: ctx.ip } : {}),
  };
  await ctx.deps.directory.putSession(session);
  return { token: ctx.signToken(user.id, session.id, session.expiresAt), session, user: await viewOf(ctx.deps, user), totpEnrolment: scope === 'enrol' };
}

/** Operators in production must have a second factor; staff may add one. */
export function totpRequired(deps: Deps, user: UserRecord): boolean {
  return (deps.auth?.production ?? false) && user.roles.includes('operator');
}

export function normalizeLogin(login: string): string {
  return login.trim().toLowerCase();
}

async function findByLogin(deps: Deps, typed: string): Promise<string | null> {
  const login = normalizeLogin(typed);
  if (PHONE_PATTERN.test(login)) return deps.directory.userIdByLogin(`phone:${login}`);
  if (!LOGIN_PATTERN.test(login)) return null;
  return deps.directory.userIdByLogin(`account:${login}`);
}

export interface NewAccount {
  name: string;
  login: string;
  password: string;
  roles: Role[];
  unitId?: string;
  phone?: string;
}

/** Checks a new account's login and password; throws before anything is written. */
export async function checkNewAccount(deps: Deps, a: Pick<NewAccount, 'login' | 'password' | 'phone'>): Promise<string> {
  const login = normalizeLogin(a.login);
  if (!LOGIN_PATTERN.test(login)) throw new DomainError('invalid-input', '账号名须为3至32位小写字母、数字或 . _ -，以字母开头');
  if (a.phone !== undefined && !PHONE_PATTERN.test(a.phone)) throw new DomainError('invalid-input', '手机号格式不正确');
  assertPasswordAcceptable(a.password, login);
  if (await deps.directory.userIdByLogin(`account:${login}`)) throw new DomainError('account-exists');
  if (a.phone && (await deps.directory.userIdByLogin(`phone:${a.phone}`))) throw new DomainError('account-exists');
  return login;
}

/** Creates a user who signs in with an account name (or phone) and password. */
export async function createAccount(deps: Deps, a: NewAccount, userId = deps.ids.id('u')): Promise<{ user: UserRecord; credential: CredentialRecord }> {
  const login = await checkNewAccount(deps, a);
  const passwordHash = await hashPassword(a.password);
  if (!(await deps.directory.claimLogin(`account:${login}`, userId))) throw new DomainError('account-exists');
  if (a.phone && !(await deps.directory.claimLogin(`phone:${a.phone}`, userId))) throw new DomainError('account-exists');
  const user: UserRecord = { id: userId, name: a.name, roles: a.roles, ...(a.unitId ? { unitId: a.unitId } : {}), ...(a.phone ? { phone: a.phone } : {}) };
  await deps.directory.putUser(user);
  const credential: CredentialRecord = { userId, login, passwordHash, updatedAt: deps.clock.now() };
  await deps.directory.putCredential(credential);
  await audit(deps, 'account-created', { userId, login });
  return { user, credential };
}

async function recordFailure(ctx: AccountContext, user: UserRecord, cred: Pick<CredentialRecord, 'lastLoginAt'>, kind: 'login-failed' | 'totp-failed', login: string): Promise<never> {
  const { deps } = ctx;
  const now = deps.clock.now();
  const n = await deps.directory.hit(`login-fail:${user.id}:${cred.lastLoginAt ?? 0}`, ACCOUNT_LIMITS.failureWindowMs, now);
  if (n >= ACCOUNT_LIMITS.failuresBeforeLock) {
    // Only the lock's fields: a concurrent sign-in's totpLastStep (or a new factor) is never put back.
    await deps.directory.patchCredential(user.id, { set: { lockedUntil: now + ACCOUNT_LIMITS.lockMs, lastLoginAt: now, updatedAt: now } });
    await audit(deps, 'locked', { userId: user.id, login, ip: ctx.ip, detail: `${n}次失败` });
    throw new DomainError('account-locked');
  }
  await audit(deps, kind, { userId: user.id, login, ip: ctx.ip });
  throw new DomainError(kind === 'totp-failed' ? 'totp-invalid' : 'login-failed');
}

/** Account name or phone + password (+ TOTP). */
export async function passwordLogin(ctx: AccountContext, input: { login: string; password: string; totp?: string }) {
  const { deps } = ctx;
  const now = deps.clock.now();
  const login = maskLogin(normalizeLogin(input.login));
  if (ctx.ip && (await deps.directory.hit(`login-ip:${ctx.ip}`, ACCOUNT_LIMITS.failureWindowMs, now)) > ACCOUNT_LIMITS.attemptsPerAddress) {
    throw new DomainError('login-rate-limited');
  }
  const userId = await findByLogin(deps, input.login);
  const user = userId ? await deps.directory.getUser(userId) : null;
  const cred = userId ? await deps.directory.getCredential(userId) : null;
  if (!user || !cred || user.deletedAt !== undefined) {
    await verifyPassword(input.password, DUMMY_HASH);
    await audit(deps, 'login-failed', { login, ip: ctx.ip, ...(user ? { userId: user.id } : {}), detail: user ? '账号已移除' : '无此账号' });
    throw new DomainError('login-failed');
  }
  if (cred.lockedUntil !== undefined && cred.lockedUntil > now) {
    await audit(deps, 'login-failed', { userId: user.id, login, ip: ctx.ip, detail: '账号锁定中' });
    throw new DomainError('account-locked');
  }
  if (!(await verifyPassword(input.password, cred.passwordHash))) return recordFailure(ctx, user, cred, 'login-failed', login);
  let step: number | undefined;
  if (cred.totpSecret) {
    if (!input.totp) throw new DomainError('totp-required');
    const matched = matchTotp(cred.totpSecret, input.totp, now);
    if (matched === null) return recordFailure(ctx, user, cred, 'totp-failed', login);
    step = matched;
  }
  // One conditional write takes the code's step: of two concurrent uses of one code only one gets here.
  if (!(await deps.directory.recordLogin(user.id, now, step))) {
    await audit(deps, 'totp-failed', { userId: user.id, login, ip: ctx.ip, detail: '动态验证码重复使用' });
    throw new DomainError('totp-replayed');
  }
  const scope = !cred.totpSecret && totpRequired(deps, user) ? 'enrol' : 'full';
  const started = await startSession(ctx, user, 'password', scope);
  await audit(deps, 'login-ok', { userId: user.id, login, ip: ctx.ip, detail: scope === 'enrol' ? '待绑定身份验证器' : cred.totpSecret ? '密码+动态验证码' : '密码' });
  return { token: started.token, user: started.user, totpEnrolment: started.totpEnrolment, expiresAt: started.session.expiresAt };
}

/** Starts (or restarts) second-factor setup: a new secret the authenticator app scans. */
export async function totpBegin(deps: Deps, caller: Caller) {
  const user = caller.user;
  if (!user) throw new DomainError('unauthenticated');
  const cred = await deps.directory.getCredential(user.id);
  if (!cred) throw new DomainError('no-password-account');
  if (cred.totpSecret) throw new DomainError('totp-already-enabled');
  const secret = newTotpSecret();
  // Refused if a factor was confirmed since the read above.
  if (!(await deps.directory.patchCredential(user.id, { set: { totpPending: secret, updatedAt: deps.clock.now() }, when: { totpSecret: null } }))) {
    throw new DomainError('totp-already-enabled');
  }
  return { secret, uri: otpauthUri(secret, cred.login) };
}

/** Confirms setup with a code from the app; an enrolment-only session becomes a full one. */
export async function totpConfirm(ctx: AccountContext, caller: Caller, code: string) {
  const { deps } = ctx;
  const user = caller.user;
  if (!user) throw new DomainError('unauthenticated');
  const cred = await deps.directory.getCredential(user.id);
  if (!cred?.totpPending) throw new DomainError('totp-not-started');
  const now = deps.clock.now();
  const step = matchTotp(cred.totpPending, code, now);
  if (step === null) return recordFailure(ctx, user, cred, 'totp-failed', cred.login);
  // The secret confirmed is the one read: a restarted setup (new pending secret) or a finished one matches nothing.
  const confirmed = await deps.directory.patchCredential(user.id, {
    set: { totpSecret: cred.totpPending, totpLastStep: step, updatedAt: now },
    unset: ['totpPending'],
    when: { totpPending: cred.totpPending, totpSecret: null },
  });
  if (!confirmed) throw new DomainError('totp-not-started', '身份验证器设置已变更，请重新开始设置');
  if (caller.session?.scope === 'enrol') await deps.directory.putSession({ ...caller.session, scope: 'full' });
  await audit(deps, 'totp-enabled', { userId: user.id, login: cred.login, ip: ctx.ip });
  return { enabled: true };
}

/** An operator's one-time reset code for a user's password (and second factor). Shown once. */
export async function issueResetCode(deps: Deps, actorId: string, userId: string) {
  const user = await deps.directory.getUser(userId);
  const cred = user && user.deletedAt === undefined ? await deps.directory.getCredential(userId) : null;
  if (!user || !cred) throw new DomainError('no-password-account');
  const code = randomCode(10, RESET_ALPHABET);
  const now = deps.clock.now();
  await deps.directory.patchCredential(userId, { set: { resetHash: sha256Hex(`${userId}:${code}`), resetExpiresAt: now + ACCOUNT_LIMITS.resetCodeMs, updatedAt: now } });
  await audit(deps, 'reset-issued', { userId, actorId, login: cred.login });
  return { code, login: cred.login, expiresAt: now + ACCOUNT_LIMITS.resetCodeMs };
}

/** Redeems a reset code: new password, second factor cleared, every session ended. */
export async function resetPassword(ctx: AccountContext, input: { login: string; code: string; password: string }) {
  const { deps } = ctx;
  const now = deps.clock.now();
  const login = maskLogin(normalizeLogin(input.login));
  const userId = await findByLogin(deps, input.login);
  const user = userId ? await deps.directory.getUser(userId) : null;
  const cred = userId ? await deps.directory.getCredential(userId) : null;
  if (!user || !cred || user.deletedAt !== undefined || !cred.resetHash || (cred.resetExpiresAt ?? 0) <= now) {
    await audit(deps, 'reset-failed', { login, ip: ctx.ip, ...(user ? { userId: user.id } : {}) });
    throw new DomainError('reset-code-invalid');
  }
  if (cred.lockedUntil !== undefined && cred.lockedUntil > now) throw new DomainError('account-locked');
  const given = Buffer.from(sha256Hex(`${user.id}:${input.code}`));
  if (!timingSafeEqual(given, Buffer.from(cred.resetHash))) {
    const n = await deps.directory.hit(`reset-fail:${user.id}`, ACCOUNT_LIMITS.failureWindowMs, now);
    await audit(deps, 'reset-failed', { userId: user.id, login, ip: ctx.ip });
    if (n >= ACCOUNT_LIMITS.failuresBeforeLock) {
      await deps.directory.patchCredential(user.id, { set: { lockedUntil: now + ACCOUNT_LIMITS.lockMs, updatedAt: now } });
      throw new DomainError('account-locked');
    }
    throw new DomainError('reset-code-invalid');
  }
  assertPasswordAcceptable(input.password, cred.login);
  // The code is spent by the write itself: of two concurrent uses of one code only one matches.
  const spent = await deps.directory.patchCredential(user.id, {
    set: { passwordHash: await hashPassword(input.password), lastLoginAt: now, updatedAt: now },
    unset: ['resetHash', 'resetExpiresAt', 'totpSecret', 'totpPending', 'totpLastStep', 'lockedUntil'],
    when: { resetHash: cred.resetHash },
  });
  if (!spent) {
    await audit(deps, 'reset-failed', { userId: user.id, login, ip: ctx.ip, detail: '重置码已被使用' });
    throw new DomainError('reset-code-invalid');
  }
  await deps.directory.revokeUserSessions(user.id, now);
  await audit(deps, 'reset-used', { userId: user.id, login, ip: ctx.ip });
  return { reset: true, login: cred.login };
}

/** An operator removes a staff member, grid worker or operator: the account is closed and every session ends now. */
export async function removeUser(deps: Deps, actorId: string, userId: string) {
  if (userId === actorId) throw new DomainError('last-operator', '不能移除自己');
  const user = await deps.directory.getUser(userId);
  if (!user || user.deletedAt !== undefined) throw new DomainError('not-found', '用户不存在');
  if (user.roles.includes('operator')) {
    const operators = await deps.directory.listUsers({ role: 'operator' });
    if (operators.filter((o) => o.id !== userId).length === 0) throw new DomainError('last-operator');
  }
  const now = deps.clock.now();
  await deps.directory.putUser({ ...user, deletedAt: now });
  const ended = await deps.directory.revokeUserSessions(userId, now);
  await audit(deps, 'user-removed', { userId, actorId, detail: `结束${ended}个会话` });
  return { removed: userId, sessionsEnded: ended };
}

export function sessionView(s: SessionRecord, now: number, current?: string) {
  return {
    id: s.id, via: s.via, scope: s.scope, createdAt: s.createdAt, expiresAt: s.expiresAt, ip: s.ip,
    active: s.revokedAt === undefined && s.expiresAt > now, revokedAt: s.revokedAt, current: s.id === current,
  };
}

// ---- SMS sign-in for residents on the web ----

const smsKey = (phone: string) => `sms:${phone}`;

export async function smsSend(ctx: AccountContext, phone: string) {
  const { deps } = ctx;
  const sms = deps.auth?.sms;
  if (!sms || !ctx.signToken) throw new DomainError('signin-unavailable');
  const now = deps.clock.now();
  const L = ACCOUNT_LIMITS;
  if (!ctx.ip) throw new DomainError('sms-rate-limited');
  // Each limit counts this request; the first one over refuses it.
  const minute = await deps.directory.hit(`sms-num-min:${phone}`, 60_000, now);
  const hour = await deps.directory.hit(`sms-num:${phone}`, HOUR, now);
  const address = await deps.directory.hit(`sms-ip:${ctx.ip}`, HOUR, now);
  if (minute > L.smsPerNumberPerMinute || hour > L.smsPerNumberPerHour || address > L.smsPerAddressPerHour) throw new DomainError('sms-rate-limited');
  const code = randomCode(6);
  try {
    await sms.send(phone, code, L.smsCodeMs / 60_000);
  } catch (e) {
    await audit(deps, 'sms-failed', { login: maskPhone(phone), ip: ctx.ip, detail: e instanceof Error ? e.message.slice(0, 120) : 'error' });
    throw new DomainError('sms-failed');
  }
  await deps.directory.putOneTimeCode({ key: smsKey(phone), hash: sha256Hex(`${phone}:${code}`), expiresAt: now + L.smsCodeMs, attempts: 0, createdAt: now });
  await audit(deps, 'sms-sent', { login: maskPhone(phone), ip: ctx.ip });
  return { sent: true, expiresInSec: L.smsCodeMs / 1000, resendInSec: 60 };
}

export async function smsLogin(ctx: AccountContext, phone: string, code: string) {
  const { deps } = ctx;
  if (!deps.auth?.sms || !ctx.signToken) throw new DomainError('signin-unavailable');
  const now = deps.clock.now();
  if (!ctx.ip || (await deps.directory.hit(`sms-login-ip:${ctx.ip}`, HOUR, now)) > ACCOUNT_LIMITS.smsLoginsPerAddressPerHour) throw new DomainError('login-rate-limited');
  const rec = await deps.directory.getOneTimeCode(smsKey(phone));
  const hash = sha256Hex(`${phone}:${code}`);
  const fail = async (detail: string): Promise<never> => {
    await audit(deps, 'login-failed', { login: maskPhone(phone), ip: ctx.ip, detail });
    throw new DomainError('sms-code-invalid');
  };
  if (!rec || rec.expiresAt <= now) return fail('验证码不存在或已过期');
  if (rec.attempts >= ACCOUNT_LIMITS.smsGuessesPerCode) return fail('猜测次数过多');
  if (!timingSafeEqual(Buffer.from(hash), Buffer.from(rec.hash))) {
    await deps.directory.failOneTimeCode(rec.key);
    return fail('验证码错误');
  }
  if (!(await deps.directory.consumeOneTimeCode(rec.key, hash, now))) return fail('验证码已使用');
  let user: UserRecord | null = null;
  const known = await deps.directory.userIdByLogin(`sms:${phone}`);
  if (known) user = await deps.directory.getUser(known);
  if (user && user.deletedAt !== undefined) throw new DomainError('token-invalid');
  if (!user) {
    const id = deps.ids.id('u');
    if (!(await deps.directory.claimLogin(`sms:${phone}`, id))) return fail('并发登录');
    user = { id, name: `居民${phone.slice(7)}`, roles: ['resident'], phone };
    await deps.directory.putUser(user);
  }
  const started = await startSession(ctx, user, 'sms');
  await audit(deps, 'sms-login', { userId: user.id, login: maskPhone(phone), ip: ctx.ip });
  return { token: started.token, user: started.user, expiresAt: started.session.expiresAt };
}
