import { DomainError } from '../../../shared/errors';
import type { Role } from '../../../shared/contracts/common';
import type { InviteRecord, UserRecord } from '../../../shared/ports';
import type { Call } from './types';
import type { z } from 'zod';
import type { api } from '../../../shared/contracts/api';
import {
  audit, checkNewAccount, createAccount, passwordLogin, resetPassword, sessionView, smsLogin, smsSend, startSession, totpBegin, totpConfirm,
  totpRequired, userView,
} from '../accounts';
import { callerFromOpenid } from '../identity';

type In<A extends keyof typeof api.auth> = z.infer<(typeof api.auth)[A]>;

const production = (call: Call) => call.deps.auth?.production ?? false;

/** The roles an invite grants on top of the user's own. */
function rolesWith(roles: Role[], invite: InviteRecord): Role[] {
  const role = invite.role ?? 'staff';
  return roles.includes(role) ? roles : [role, ...roles];
}

/**
 * Sign-in and binding. Demo `login` and `demoUsers` exist only in the demo local runtime; password,
 * SMS and WeChat-code sign-in only where the runtime signs tokens (local and self-hosted).
 */
export const auth = {
  async login(call: Call, { userId }: In<'login'>) {
    if (!call.signToken) throw new DomainError('forbidden', '请在微信中打开');
    if (production(call)) throw new DomainError('demo-disabled');
    const user = await call.deps.directory.getUser(userId);
    if (!user || user.deletedAt !== undefined || !user.demo) throw new DomainError('not-found', '用户不存在');
    const started = await startSession(call, user, 'demo');
    return { token: started.token, user: started.user };
  },
  async whoami({ deps, caller }: Call) {
    if (!caller.user) throw new DomainError('unauthenticated');
    const u = caller.user;
    const unit = u.unitId ? await deps.directory.getUnit(u.unitId) : null;
    return { ...userView(u, unit?.name), ...(caller.session?.scope === 'enrol' ? { totpEnrolment: true } : {}) };
  },
  async demoUsers(call: Call) {
    if (!call.signToken) throw new DomainError('forbidden', '请在微信中打开');
    if (production(call)) return [];
    const { deps } = call;
    const users = (await deps.directory.listUsers({})).filter((u) => u.demo && u.deletedAt === undefined);
    const units = new Map((await deps.directory.listUnits()).map((u) => [u.id, u.name]));
    return users.map((u) => userView(u, u.unitId ? units.get(u.unitId) : undefined));
  },
  async redeemInvite({ deps, caller, ip }: Call, { code, name }: In<'redeemInvite'>) {
    if (!caller.user) throw new DomainError('unauthenticated');
    const invite = await deps.directory.redeemInvite(code, caller.user.id, deps.clock.now());
    if (!invite) throw new DomainError('invite-invalid');
    const user: UserRecord = { ...caller.user, name, roles: rolesWith(caller.user.roles, invite), ...(invite.unitId ? { unitId: invite.unitId } : {}) };
    await deps.directory.putUser(user);
    await audit(deps, 'invite-redeemed', { userId: user.id, actorId: invite.createdBy, ip, detail: invite.role ?? 'staff' });
    const unit = user.unitId ? await deps.directory.getUnit(user.unitId) : null;
    return userView(user, unit?.name);
  },
  async passwordLogin(call: Call, input: In<'passwordLogin'>) {
    if (!call.signToken) throw new DomainError('signin-unavailable');
    return passwordLogin(call, input);
  },
  async totpBegin({ deps, caller }: Call) {
    return totpBegin(deps, caller);
  },
  async totpConfirm(call: Call, { code }: In<'totpConfirm'>) {
    return totpConfirm(call, call.caller, code);
  },
  async logout({ deps, caller }: Call) {
    if (!caller.user) throw new DomainError('unauthenticated');
    // CloudBase has no session to end: the OPENID is the caller on every call.
    if (!caller.session) return { loggedOut: false };
    await deps.directory.revokeSession(caller.session.id, deps.clock.now());
    return { loggedOut: true };
  },
  async sessions({ deps, caller }: Call) {
    if (!caller.user) throw new DomainError('unauthenticated');
    const now = deps.clock.now();
    return (await deps.directory.listSessions(caller.user.id)).map((s) => sessionView(s, now, caller.session?.id));
  },
  async revokeSession({ deps, caller }: Call, { sessionId }: In<'revokeSession'>) {
    if (!caller.user) throw new DomainError('unauthenticated');
    const session = await deps.directory.getSession(sessionId);
    if (!session || session.userId !== caller.user.id) throw new DomainError('not-found', '会话不存在');
    const ended = await deps.directory.revokeSession(sessionId, deps.clock.now());
    if (ended) await audit(deps, 'session-revoked', { userId: caller.user.id, actorId: caller.user.id });
    return { revoked: ended === 1 };
  },
  async resetPassword(call: Call, input: In<'resetPassword'>) {
    if (!call.signToken) throw new DomainError('signin-unavailable');
    return resetPassword(call, input);
  },
  async registerWithInvite(call: Call, input: In<'registerWithInvite'>) {
    const { deps } = call;
    if (!call.signToken) throw new DomainError('signin-unavailable');
    if (call.caller.user) throw new DomainError('already-signed-in');
    // Every check that can refuse runs before the invite is spent.
    await checkNewAccount(deps, input);
    const userId = deps.ids.id('u');
    const invite = await deps.directory.redeemInvite(input.code, userId, deps.clock.now());
    if (!invite) throw new DomainError('invite-invalid');
    const roles = rolesWith([], invite);
    const { user } = await createAccount(deps, { name: input.name, login: input.login, password: input.password, roles, ...(invite.unitId ? { unitId: invite.unitId } : {}), ...(input.phone ? { phone: input.phone } : {}) }, userId);
    await audit(deps, 'invite-redeemed', { userId, actorId: invite.createdBy, ip: call.ip, detail: roles[0] });
    const started = await startSession(call, user, 'invite', totpRequired(deps, user) ? 'enrol' : 'full');
    return { token: started.token, user: started.user, totpEnrolment: started.totpEnrolment, expiresAt: started.session.expiresAt };
  },
  async smsSend(call: Call, { phone }: In<'smsSend'>) {
    return smsSend(call, phone);
  },
  async smsLogin(call: Call, { phone, code }: In<'smsLogin'>) {
    return smsLogin(call, phone, code);
  },
  async wxLogin(call: Call, { code }: In<'wxLogin'>) {
    const { deps } = call;
    const wechat = deps.auth?.wechat;
    if (!wechat || !call.signToken) throw new DomainError('signin-unavailable');
    const now = deps.clock.now();
    if (call.ip && (await deps.directory.hit(`wx-login-ip:${call.ip}`, 60_000, now)) > 30) throw new DomainError('wx-rate-limited');
    let openid: string;
    try {
      ({ openid } = await wechat.code2session(code));
    } catch (e) {
      await audit(deps, 'wechat-failed', { ip: call.ip, detail: e instanceof DomainError ? e.code : 'error' });
      throw e;
    }
    const { user } = await callerFromOpenid(deps.directory, openid, now, () => deps.ids.id('u'), {
      ...(deps.auth?.bootstrapOpenids ? { bootstrap: deps.auth.bootstrapOpenids } : {}),
      audit: (kind, userId) => audit(deps, kind, { userId, ip: call.ip }),
    });
    if (!user || user.deletedAt !== undefined) throw new DomainError('token-invalid');
    const started = await startSession(call, user, 'wechat');
    await audit(deps, 'wechat-login', { userId: user.id, ip: call.ip });
    return { token: started.token, user: started.user, expiresAt: started.session.expiresAt };
  },
};
