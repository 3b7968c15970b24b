import { DomainError } from '../../../shared/errors';
import type { Call } from './types';
import type { z } from 'zod';
import type { api } from '../../../shared/contracts/api';

type In<A extends keyof typeof api.auth> = z.infer<(typeof api.auth)[A]>;

/** Sign-in and binding. `login` and `demoUsers` exist only where the runtime signs tokens (local). */
export const auth = {
  async login({ deps, signToken }: Call, { userId }: In<'login'>) {
    if (!signToken) throw new DomainError('forbidden', '请在微信中打开');
    const user = await deps.directory.getUser(userId);
    if (!user || user.deletedAt !== undefined || !user.demo) throw new DomainError('not-found', '用户不存在');
    const unit = user.unitId ? await deps.directory.getUnit(user.unitId) : null;
    return { token: signToken(user.id), user: { id: user.id, name: user.name, roles: user.roles, unitId: user.unitId, unitName: unit?.name } };
  },
  async whoami({ deps, caller }: Call) {
    if (!caller.user) throw new DomainError('unauthenticated');
    const u = caller.user;
    const unit = u.unitId ? await deps.directory.getUnit(u.unitId) : null;
    return { id: u.id, name: u.name, roles: u.roles, unitId: u.unitId, unitName: unit?.name };
  },
  async demoUsers({ deps, signToken }: Call) {
    if (!signToken) throw new DomainError('forbidden', '请在微信中打开');
    const users = (await deps.directory.listUsers({})).filter((u) => u.demo && u.deletedAt === undefined);
    const units = new Map((await deps.directory.listUnits()).map((u) => [u.id, u.name]));
    return users.map((u) => ({ id: u.id, name: u.name, roles: u.roles, unitId: u.unitId, unitName: u.unitId ? units.get(u.unitId) : undefined }));
  },
  async redeemInvite({ deps, caller }: Call, { code, name }: In<'redeemInvite'>) {
    if (!caller.user) throw new DomainError('unauthenticated');
    const invite = await deps.directory.redeemInvite(code, caller.user.id, deps.clock.now());
    if (!invite) throw new DomainError('invite-invalid');
    const roles = caller.user.roles.includes('staff') ? caller.user.roles : ['staff' as const, ...caller.user.roles];
    const user = { ...caller.user, name, roles, unitId: invite.unitId };
    await deps.directory.putUser(user);
    const unit = await deps.directory.getUnit(invite.unitId);
    return { id: user.id, name: user.name, roles: user.roles, unitId: user.unitId, unitName: unit?.name };
  },
};
