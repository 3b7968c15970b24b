import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Actor, Role } from '../../shared/contracts/common';
import type { DirectoryStore, UserRecord } from '../../shared/ports';
import { DomainError } from '../../shared/errors';

/** Who calls: found by the runtime (a local token or the CloudBase OPENID), never sent by the client. */
export interface Caller {
  user: UserRecord | null;
}

/** The roles each function serves. A caller acts in the first of their roles that the function serves. */
export const FUNCTION_ROLES: Record<string, Role[] | 'anyone'> = {
  auth: 'anyone',
  resident: ['resident', 'grid'],
  staff: ['staff'],
  operator: ['operator'],
  stats: ['operator'],
  admin: ['operator'],
  media: ['resident', 'grid', 'staff', 'operator'],
  timer: ['system'],
};

/** The only actions a caller without an account may use. */
export const PUBLIC_ACTIONS = new Set(['resident.lookup']);
export const ANONYMOUS = 'anonymous';

export function actorFor(fn: string, caller: Caller, action: string): Actor | null {
  // A deleted account is refused everywhere, `auth` included (CloudBase finds it by OPENID, deleted or not).
  if (caller.user && caller.user.deletedAt !== undefined) throw new DomainError('token-invalid');
  const needed = FUNCTION_ROLES[fn];
  if (needed === 'anyone') return caller.user ? toActor(caller.user, caller.user.roles[0]!) : null;
  if (!needed) throw new DomainError('not-found', '没有这个功能');
  if (needed.includes('system') && caller.user === null) return { userId: 'system', role: 'system' };
  // A phone reporter looks a ticket up by number + phone tail without an account (rate-limited by address).
  if (!caller.user && PUBLIC_ACTIONS.has(`${fn}.${action}`)) return { userId: ANONYMOUS, role: 'resident' };
  if (!caller.user) throw new DomainError('unauthenticated');
  if (caller.user.deletedAt !== undefined) throw new DomainError('token-invalid');
  // Staff redeem an invite through `auth`; everybody else needs a role the function serves.
  const role = caller.user.roles.find((r) => needed.includes(r));
  if (!role) throw new DomainError('forbidden');
  if (role === 'staff' && !caller.user.unitId) throw new DomainError('forbidden', '请先使用邀请码加入承办单位');
  return toActor(caller.user, role);
}

function toActor(u: UserRecord, role: Role): Actor {
  return { userId: u.id, role, ...(u.unitId ? { unitId: u.unitId } : {}), name: u.name };
}

/** Local runtime tokens: `<base64url payload>.<hmac>`, payload `{ uid, exp }`. */
export class TokenSigner {
  constructor(private readonly secret: string, private readonly ttlMs = 7 * 24 * 3_600_000) {}

  sign(userId: string, now: number): string {
    const payload = Buffer.from(JSON.stringify({ uid: userId, exp: now + this.ttlMs })).toString('base64url');
    return `${payload}.${this.mac(payload)}`;
  }

  /** The user id, or null for a tampered or expired token. */
  verify(token: string, now: number): string | null {
    const [payload, mac] = token.split('.');
    if (!payload || !mac || token.split('.').length !== 2) return null;
    const expected = Buffer.from(this.mac(payload));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    try {
      const body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { uid?: unknown; exp?: unknown };
      if (typeof body.uid !== 'string' || typeof body.exp !== 'number' || body.exp < now) return null;
      return body.uid;
    } catch {
      return null;
    }
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }
}

/** Resolves a local token to a caller; a deleted user's token is refused. */
export async function callerFromToken(signer: TokenSigner, directory: DirectoryStore, token: string | undefined, now: number): Promise<Caller> {
  if (!token) return { user: null };
  const uid = signer.verify(token, now);
  if (!uid) throw new DomainError('token-invalid');
  const user = await directory.getUser(uid);
  if (!user || user.deletedAt !== undefined) throw new DomainError('token-invalid');
  return { user };
}

/** CloudBase: the OPENID maps to a user record; an unknown OPENID becomes a resident. */
export async function callerFromOpenid(directory: DirectoryStore, openid: string | undefined, now: number, newId: () => string): Promise<Caller> {
  if (!openid) return { user: null };
  const found = await directory.getUserByOpenid(openid);
  if (found) return { user: found };
  const user: UserRecord = { id: newId(), openid, name: '微信用户', roles: ['resident'] };
  await directory.putUser(user);
  void now;
  return { user };
}
