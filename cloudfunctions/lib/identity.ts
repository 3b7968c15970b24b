import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Actor, Role } from '../../shared/contracts/common';
import type { AuthAuditKind, DirectoryStore, SessionRecord, UserRecord } from '../../shared/ports';
import { DomainError } from '../../shared/errors';

/** Who calls: found by the runtime (a local token or the CloudBase OPENID), never sent by the client. */
export interface Caller {
  user: UserRecord | null;
  /** The server-side session the token names (local runtime); none on CloudBase. */
  session?: SessionRecord;
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
  // Public disclosure: figures only, the same for every caller.
  public: 'anyone',
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
  // Signed in by password, second factor still to be set up: only `auth` (to set it up) is open.
  if (caller.session?.scope === 'enrol') throw new DomainError('totp-enrolment-required');
  // Staff redeem an invite through `auth`; everybody else needs a role the function serves.
  const role = caller.user.roles.find((r) => needed.includes(r));
  if (!role) throw new DomainError('forbidden');
  if (role === 'staff' && !caller.user.unitId) throw new DomainError('forbidden', '请先使用邀请码加入承办单位');
  return toActor(caller.user, role);
}

function toActor(u: UserRecord, role: Role): Actor {
  return { userId: u.id, role, ...(u.unitId ? { unitId: u.unitId } : {}), name: u.name };
}

/**
 * Local runtime tokens: `<base64url payload>.<hmac>`, payload `{ uid, sid, exp }`. The signature
 * stops forgery; the session `sid` names the server-side record that revocation ends at once.
 */
export class TokenSigner {
  constructor(private readonly secret: string, readonly ttlMs = 7 * 24 * 3_600_000) {}

  sign(userId: string, now: number, sessionId?: string, expiresAt = now + this.ttlMs): string {
    const payload = Buffer.from(JSON.stringify({ uid: userId, ...(sessionId ? { sid: sessionId } : {}), exp: expiresAt })).toString('base64url');
    return `${payload}.${this.mac(payload)}`;
  }

  /** The user id, or null for a tampered or expired token. */
  verify(token: string, now: number): string | null {
    return this.open(token, now)?.uid ?? null;
  }

  /** The user and session ids, or null for a tampered or expired token. */
  open(token: string, now: number): { uid: string; sid?: string } | null {
    const [payload, mac] = token.split('.');
    if (!payload || !mac || token.split('.').length !== 2) return null;
    const expected = Buffer.from(this.mac(payload));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    try {
      const body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { uid?: unknown; sid?: unknown; exp?: unknown };
      if (typeof body.uid !== 'string' || typeof body.exp !== 'number' || body.exp < now) return null;
      if (body.sid !== undefined && typeof body.sid !== 'string') return null;
      return { uid: body.uid, ...(typeof body.sid === 'string' ? { sid: body.sid } : {}) };
    } catch {
      return null;
    }
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }
}

/**
 * Resolves a local token to a caller. The token must name a live session of its user: a revoked
 * or expired session, a deleted user, or a token without a session is refused with token-invalid.
 */
export async function callerFromToken(signer: TokenSigner, directory: DirectoryStore, token: string | undefined, now: number): Promise<Caller> {
  if (!token) return { user: null };
  const opened = signer.open(token, now);
  if (!opened?.sid) throw new DomainError('token-invalid');
  const session = await directory.getSession(opened.sid);
  if (!session || session.userId !== opened.uid || session.revokedAt !== undefined || session.expiresAt < now) throw new DomainError('token-invalid');
  const user = await directory.getUser(opened.uid);
  if (!user || user.deletedAt !== undefined) throw new DomainError('token-invalid');
  return { user, session };
}

/** OPENIDs that become operators on their first call (CloudBase `BOOTSTRAP_OPERATOR_OPENIDS`, comma-separated). */
export function bootstrapOpenids(env: NodeJS.ProcessEnv = process.env): Set<string> {
  return new Set((env.BOOTSTRAP_OPERATOR_OPENIDS ?? '').split(/[\s,]+/).filter((s) => /^[A-Za-z0-9_-]{6,64}$/.test(s)));
}

export interface OpenidOptions {
  /** OPENIDs granted the operator role on their first call. */
  bootstrap?: Set<string>;
  audit?: (kind: AuthAuditKind, userId: string) => Promise<void>;
}

/**
 * CloudBase (and the self-hosted server after wx.login): the OPENID maps to a user record; an
 * unknown OPENID becomes a resident, or an operator when it is on the bootstrap list. A listed
 * OPENID whose record lacks the role (it opened the mini-program before the list was set) gets it
 * once, unless the account was removed.
 */
export async function callerFromOpenid(directory: DirectoryStore, openid: string | undefined, now: number, newId: () => string, opts: OpenidOptions = {}): Promise<Caller> {
  if (!openid) return { user: null };
  const listed = opts.bootstrap?.has(openid) ?? false;
  const found = await directory.getUserByOpenid(openid);
  if (found) {
    if (!listed || found.deletedAt !== undefined || found.roles.includes('operator')) return { user: found };
    const promoted: UserRecord = { ...found, roles: ['operator', ...found.roles] };
    await directory.putUser(promoted);
    await opts.audit?.('operator-bootstrapped', promoted.id);
    return { user: promoted };
  }
  const user: UserRecord = { id: newId(), openid, name: listed ? '平台管理员' : '微信用户', roles: listed ? ['operator'] : ['resident'] };
  await directory.putUser(user);
  if (listed) await opts.audit?.('operator-bootstrapped', user.id);
  void now;
  return { user };
}
