import type { Role } from '../../../shared/contracts/common';
import { DomainError } from '../../../shared/errors';
import type {
  AuthAuditRecord, CredentialPatch, CredentialRecord, DeliveryRecord, DirectoryStore, InviteRecord, KbArticle, OneTimeCodeRecord, SceneRecord, SessionRecord, UnitRecord, UserRecord,
} from '../../../shared/ports';
import type { NoticeTemplate } from '../../../shared/workflow/effects';
import type { DeliveryLookup } from '../sqlite/directoryStore';
import type { CloudCollection, CloudDb, CloudStoreOptions, Doc } from './db';
import { MAX_ROWS, firstDoc, isDuplicate, readAll, sha256, stripDoc, type SortKey } from './query';

/** Collection names. */
export const DIRECTORY_COLLECTIONS = {
  users: 'users',
  /** `_id` = openid → `{ userId }`: one user per WeChat account (a unique index on `users.openid` would refuse the users without one). */
  openids: 'openids',
  units: 'units',
  invites: 'invites',
  kb: 'kb',
  /** `_id` = article id → `{ n, lastAt }`: the uses of a knowledge-base article. */
  kb_uses: 'kb_uses',
  scenes: 'scenes',
  settings: 'settings',
  /** `_id` = sha256(dedupeKey): a second delivery with the same key is refused by the `_id`. */
  deliveries: 'deliveries',
  /** `_id` = `userId:template`. */
  credits: 'credits',
  rate_hits: 'rate_hits',
  /** `_id` = userId. */
  credentials: 'credentials',
  /** `_id` = login key → `{ userId }`: one user per account name, phone or WeChat login. */
  logins: 'logins',
  /** `_id` = session id. */
  sessions: 'sessions',
  /** `_id` = code key. */
  one_time_codes: 'one_time_codes',
  auth_audit: 'auth_audit',
} as const;

/** A sweep of every key's expired rate hits every this many hits (per instance); each hit prunes its own key. */
const SWEEP_EVERY = 1000;
const BY_ID: SortKey[] = [{ field: '_id', dir: 'asc' }];

/** Fields for `set` (which replaces the document): no `_id`, absent optional fields as null so filters can match them. */
function fieldsOf(record: object, nullable: readonly string[] = []): Doc {
  const out: Doc = {};
  for (const [k, v] of Object.entries(record)) if (v !== undefined) out[k] = v;
  for (const k of nullable) if (out[k] === undefined) out[k] = null;
  return out;
}

/**
 * DirectoryStore on the CloudBase database. Single-document writes are atomic; the operations that
 * must not race use a conditional update whose `updated` says who won (`redeemInvite`,
 * `takeCredit`), an insert refused by a deterministic `_id` (`beginDelivery`, the openid marker),
 * or a transaction on one document (`addCredits`, which returns the new balance).
 * Lists read in batches of at most 1000 (keyset on the sort keys).
 */
export class CloudDirectoryStore implements DirectoryStore, DeliveryLookup {
  private hitsSinceSweep = 0;
  private readonly prefix: string;

  constructor(
    private readonly db: CloudDb,
    options: CloudStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? '';
  }

  private c(name: keyof typeof DIRECTORY_COLLECTIONS): CloudCollection {
    return this.db.collection(this.prefix + DIRECTORY_COLLECTIONS[name]);
  }

  private async one<T>(name: keyof typeof DIRECTORY_COLLECTIONS, id: string): Promise<T | null> {
    const doc = firstDoc(await this.c(name).doc(id).get());
    return doc ? stripDoc<T>(doc) : null;
  }

  // ---- users ----

  async getUser(id: string): Promise<UserRecord | null> {
    return this.one<UserRecord>('users', id);
  }

  async getUserByOpenid(openid: string): Promise<UserRecord | null> {
    const marker = firstDoc(await this.c('openids').doc(openid).get());
    if (!marker) return null;
    const user = await this.getUser(String(marker.userId));
    // A marker whose user does not carry the openid is left from an interrupted putUser.
    return user?.openid === openid ? user : null;
  }

  /** Refuses (invalid-input) an openid that another user holds. */
  async putUser(u: UserRecord): Promise<void> {
    const previous = await this.getUser(u.id);
    if (u.openid !== undefined) await this.claimOpenid(u.openid, u.id);
    await this.c('users').doc(u.id).set(fieldsOf(u, ['openid', 'unitId', 'deletedAt']));
    if (previous?.openid !== undefined && previous.openid !== u.openid) {
      await this.c('openids').where({ _id: previous.openid, userId: u.id }).remove();
    }
  }

  /** Users not deleted, by unit and/or role, ordered by id. */
  async listUsers(filter: { unitId?: string; role?: Role }): Promise<UserRecord[]> {
    const where: Doc = { deletedAt: null };
    if (filter.unitId !== undefined) where.unitId = filter.unitId;
    if (filter.role !== undefined) where.roles = filter.role;
    return (await readAll(this.db, this.c('users'), where, BY_ID)).map((d) => stripDoc<UserRecord>(d));
  }

  /** One page of users by id: a single query of at most `limit` rows (listUsers reads every page). */
  async listUsersPage(filter: { unitId?: string; role?: Role }, after: string | undefined, limit: number): Promise<UserRecord[]> {
    const where: Doc = { deletedAt: null };
    if (filter.unitId !== undefined) where.unitId = filter.unitId;
    if (filter.role !== undefined) where.roles = filter.role;
    if (after !== undefined) (where as Record<string, unknown>)._id = this.db.command.gt(after);
    const { data } = await this.c('users').where(where).orderBy('_id', 'asc').limit(Math.min(limit, 1000)).get();
    return (data as Doc[]).map((d) => stripDoc<UserRecord>(d));
  }

  private async claimOpenid(openid: string, userId: string): Promise<void> {
    try {
      await this.c('openids').add({ _id: openid, userId });
      return;
    } catch (e) {
      if (!isDuplicate(e)) throw e;
    }
    const marker = firstDoc(await this.c('openids').doc(openid).get());
    const holder = marker ? String(marker.userId) : null;
    if (holder === userId) return;
    if (holder !== null) {
      const held = await this.getUser(holder);
      if (held?.openid === openid) throw new DomainError('invalid-input', '该微信账号已绑定其他用户');
      // A stale marker (its user moved on, or its putUser was interrupted): take it over, once.
      const { updated } = await this.c('openids').where({ _id: openid, userId: holder }).update({ userId });
      if ((updated ?? 0) === 1) return;
    }
    throw new DomainError('invalid-input', '该微信账号已绑定其他用户');
  }

  // ---- units ----

  async getUnit(id: string): Promise<UnitRecord | null> {
    return this.one<UnitRecord>('units', id);
  }

  async listUnits(): Promise<UnitRecord[]> {
    return (await readAll(this.db, this.c('units'), {}, BY_ID)).map((d) => stripDoc<UnitRecord>(d));
  }

  async putUnit(u: UnitRecord): Promise<void> {
    await this.c('units').doc(u.id).set(fieldsOf(u));
  }

  // ---- invites ----

  async putInvite(i: InviteRecord): Promise<void> {
    await this.c('invites').doc(i.code).set(fieldsOf(i, ['usedBy', 'usedAt', 'unitId', 'role']));
  }

  /** One conditional update: of two redeemers racing for one code, exactly one gets the invite. */
  async redeemInvite(code: string, userId: string, now: number): Promise<InviteRecord | null> {
    const _ = this.db.command;
    const { updated } = await this.c('invites').where({ _id: code, usedBy: null, expiresAt: _.gt(now) }).update({ usedBy: userId, usedAt: now });
    if ((updated ?? 0) !== 1) return null;
    return this.one<InviteRecord>('invites', code);
  }

  // ---- knowledge base ----

  /** Newest first. */
  async listKb(): Promise<KbArticle[]> {
    const keys: SortKey[] = [
      { field: 'updatedAt', dir: 'desc' },
      { field: '_id', dir: 'asc' },
    ];
    return (await readAll(this.db, this.c('kb'), {}, keys)).map((d) => stripDoc<KbArticle>(d));
  }

  async getKb(id: string): Promise<KbArticle | null> {
    return this.one<KbArticle>('kb', id);
  }

  async putKb(a: KbArticle): Promise<void> {
    await this.c('kb').doc(a.id).set(fieldsOf(a));
  }

  async deleteKb(id: string): Promise<void> {
    await this.c('kb').doc(id).remove();
  }

  /** An increment of the article's counter; the first use adds it (a racing first add becomes an increment). */
  async addKbUse(id: string, at: number): Promise<number> {
    const _ = this.db.command;
    for (let attempt = 0; attempt < 3; attempt++) {
      const { updated } = await this.c('kb_uses').where({ _id: id }).update({ n: _.inc(1), lastAt: at });
      if ((updated ?? 0) === 1) break;
      try {
        await this.c('kb_uses').add({ _id: id, n: 1, lastAt: at });
        break;
      } catch (e) {
        if (!isDuplicate(e)) throw e;
      }
    }
    const doc = await this.one<{ n: number }>('kb_uses', id);
    return doc?.n ?? 0;
  }

  async kbUses(): Promise<Record<string, number>> {
    const rows = await readAll(this.db, this.c('kb_uses'), {}, BY_ID);
    return Object.fromEntries(rows.map((r) => [String(r._id), Number(r.n)]));
  }

  // ---- scenes ----

  async getScene(id: string): Promise<SceneRecord | null> {
    return this.one<SceneRecord>('scenes', id);
  }

  /** Newest first. */
  async listScenes(): Promise<SceneRecord[]> {
    const keys: SortKey[] = [
      { field: 'createdAt', dir: 'desc' },
      { field: '_id', dir: 'asc' },
    ];
    return (await readAll(this.db, this.c('scenes'), {}, keys)).map((d) => stripDoc<SceneRecord>(d));
  }

  async putScene(s: SceneRecord): Promise<void> {
    await this.c('scenes').doc(s.id).set(fieldsOf(s));
  }

  // ---- settings ----

  /** Stored as JSON text: a setting's keys (dates, dotted paths) never become field paths. */
  async getSetting<T>(key: string): Promise<T | null> {
    const doc = firstDoc(await this.c('settings').doc(key).get());
    return doc && typeof doc.json === 'string' ? (JSON.parse(doc.json) as T | null) : null;
  }

  async putSetting<T>(key: string, value: T): Promise<void> {
    await this.c('settings').doc(key).set({ json: JSON.stringify(value ?? null) });
  }

  /** The `_id` refuses a second writer. */
  async addSetting<T>(key: string, value: T): Promise<boolean> {
    try {
      await this.c('settings').add({ _id: key, json: JSON.stringify(value ?? null) });
      return true;
    } catch (e) {
      if (!isDuplicate(e)) throw e;
      return false;
    }
  }

  /** The revision is kept beside the JSON as a field, so the update's condition can read it. */
  async putSettingIfNewer<T extends { rev: number }>(key: string, value: T): Promise<boolean> {
    const _ = this.db.command;
    const fields = { json: JSON.stringify(value), rev: value.rev };
    // Twice at most: a first writer that appears between the update and the add is compared again.
    for (let round = 0; round < 2; round++) {
      const { updated } = await this.c('settings')
        .where(_.or([{ _id: key, rev: _.lt(value.rev) }, { _id: key, rev: null }]))
        .update(fields);
      if ((updated ?? 0) === 1) return true;
      try {
        await this.c('settings').add({ _id: key, ...fields });
        return true;
      } catch (e) {
        if (!isDuplicate(e)) throw e;
      }
    }
    return false;
  }

  // ---- deliveries ----

  async beginDelivery(d: DeliveryRecord): Promise<boolean> {
    try {
      await this.c('deliveries').add({ _id: sha256(d.dedupeKey), ...fieldsOf(d, ['errorCode']) });
      return true;
    } catch (e) {
      if (isDuplicate(e)) return false;
      throw e;
    }
  }

  async updateDelivery(id: string, patch: Partial<Pick<DeliveryRecord, 'status' | 'attempts' | 'errorCode' | 'updatedAt'>>): Promise<void> {
    const fields: Doc = {};
    if (patch.status !== undefined) fields.status = patch.status;
    if (patch.attempts !== undefined) fields.attempts = patch.attempts;
    if ('errorCode' in patch) fields.errorCode = patch.errorCode ?? null;
    if (patch.updatedAt !== undefined) fields.updatedAt = patch.updatedAt;
    if (Object.keys(fields).length) {
      const { updated } = await this.c('deliveries').where({ id }).update(fields);
      if ((updated ?? 0) > 0) return;
    }
    // Nothing modified: either no such delivery, or the patch changed nothing.
    const { data } = await this.c('deliveries').where({ id }).limit(1).field({ id: true }).get();
    if (!data.length) throw new DomainError('not-found');
  }

  /** A user's deliveries, newest first. */
  async listDeliveries(userId: string, limit: number): Promise<DeliveryRecord[]> {
    const n = Math.min(MAX_ROWS, Math.max(1, Math.floor(limit) || 1));
    const { data } = await this.c('deliveries').where({ userId }).orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(n).get();
    return data.map((d) => stripDoc<DeliveryRecord>(d));
  }

  async deliveryByDedupeKey(dedupeKey: string): Promise<DeliveryRecord | null> {
    return this.one<DeliveryRecord>('deliveries', sha256(dedupeKey));
  }

  // ---- subscription credits ----

  async addCredits(userId: string, template: NoticeTemplate, n: number): Promise<number> {
    if (!Number.isSafeInteger(n) || n < 0) throw new DomainError('invalid-input', '订阅次数不正确');
    const id = `${userId}:${template}`;
    return this.db.runTransaction(async (tx) => {
      const ref = tx.collection(this.prefix + DIRECTORY_COLLECTIONS.credits).doc(id);
      const cur = firstDoc(await ref.get());
      const total = (typeof cur?.n === 'number' ? cur.n : 0) + n;
      await ref.set({ userId, template, n: total });
      return total;
    });
  }

  async takeCredit(userId: string, template: NoticeTemplate): Promise<boolean> {
    const _ = this.db.command;
    const { updated } = await this.c('credits').where({ _id: `${userId}:${template}`, n: _.gt(0) }).update({ n: _.inc(-1) });
    return (updated ?? 0) === 1;
  }

  async credits(userId: string): Promise<Record<string, number>> {
    const rows = await readAll(this.db, this.c('credits'), { userId }, BY_ID);
    return Object.fromEntries(rows.map((r) => [String(r.template), Number(r.n)]));
  }

  // ---- rate limits ----

  /** Hits under `key` in (now - windowMs, now], this one included. One document per hit: concurrent hits all count. */
  async hit(key: string, windowMs: number, now: number): Promise<number> {
    if (!(windowMs > 0)) throw new DomainError('invalid-input', 'window must be positive');
    const _ = this.db.command;
    const since = now - windowMs;
    const hits = this.c('rate_hits');
    const chores: Promise<unknown>[] = [hits.add({ key, at: now, expiresAt: now + windowMs }), hits.where({ key, at: _.lte(since) }).remove()];
    if (++this.hitsSinceSweep >= SWEEP_EVERY) {
      this.hitsSinceSweep = 0;
      chores.push(hits.where({ expiresAt: _.lte(now) }).remove());
    }
    await Promise.all(chores);
    return (await hits.where({ key, at: _.gt(since) }).count()).total;
  }

  // ---- accounts ----

  async getCredential(userId: string): Promise<CredentialRecord | null> {
    return this.one<CredentialRecord>('credentials', userId);
  }

  async putCredential(c: CredentialRecord): Promise<void> {
    await this.c('credentials').doc(c.userId).set(fieldsOf(c));
  }

  /** One conditional update: the step condition is part of the filter, so a second use of the step updates nothing. */
  async recordLogin(userId: string, now: number, totpStep?: number): Promise<boolean> {
    const _ = this.db.command;
    const fields: Doc = { lastLoginAt: now, updatedAt: now, lockedUntil: null };
    if (totpStep === undefined) {
      await this.c('credentials').doc(userId).update(fields);
      return true;
    }
    const { updated } = await this.c('credentials')
      .where(_.or([{ _id: userId, totpLastStep: null }, { _id: userId, totpLastStep: _.lt(totpStep) }]))
      .update({ ...fields, totpLastStep: totpStep });
    return (updated ?? 0) === 1;
  }

  /** One conditional update on the credential document: removed fields become null (read back as absent), `when` is in the filter. */
  async patchCredential(userId: string, patch: CredentialPatch): Promise<boolean> {
    const fields: Doc = {};
    for (const [k, v] of Object.entries(patch.set ?? {})) if (v !== undefined) fields[k] = v;
    for (const k of patch.unset ?? []) fields[k] = null;
    if (Object.keys(fields).length === 0) return false;
    const where: Doc = { _id: userId };
    for (const [k, v] of Object.entries(patch.when ?? {})) if (v !== undefined) where[k] = v;
    const { updated } = await this.c('credentials').where(where).update(fields);
    return (updated ?? 0) === 1;
  }

  /** The `_id` refuses a second holder. */
  async claimLogin(key: string, userId: string): Promise<boolean> {
    try {
      await this.c('logins').add({ _id: key, userId });
      return true;
    } catch (e) {
      if (!isDuplicate(e)) throw e;
    }
    return (await this.userIdByLogin(key)) === userId;
  }

  async userIdByLogin(key: string): Promise<string | null> {
    const doc = firstDoc(await this.c('logins').doc(key).get());
    return doc ? String(doc.userId) : null;
  }

  async putSession(s: SessionRecord): Promise<void> {
    await this.c('sessions').doc(s.id).set(fieldsOf(s, ['revokedAt']));
  }

  async getSession(id: string): Promise<SessionRecord | null> {
    return this.one<SessionRecord>('sessions', id);
  }

  async listSessions(userId: string): Promise<SessionRecord[]> {
    const { data } = await this.c('sessions').where({ userId }).orderBy('createdAt', 'desc').orderBy('_id', 'asc').limit(200).get();
    return data.map((d) => stripDoc<SessionRecord>(d));
  }

  async revokeSession(id: string, now: number): Promise<number> {
    const { updated } = await this.c('sessions').where({ _id: id, revokedAt: null }).update({ revokedAt: now });
    return updated ?? 0;
  }

  async revokeUserSessions(userId: string, now: number): Promise<number> {
    const { updated } = await this.c('sessions').where({ userId, revokedAt: null }).update({ revokedAt: now });
    return updated ?? 0;
  }

  async putOneTimeCode(c: OneTimeCodeRecord): Promise<void> {
    await this.c('one_time_codes').doc(c.key).set(fieldsOf(c));
  }

  async getOneTimeCode(key: string): Promise<OneTimeCodeRecord | null> {
    return this.one<OneTimeCodeRecord>('one_time_codes', key);
  }

  async failOneTimeCode(key: string): Promise<number> {
    const _ = this.db.command;
    await this.c('one_time_codes').doc(key).update({ attempts: _.inc(1) });
    return (await this.getOneTimeCode(key))?.attempts ?? 0;
  }

  /** One conditional remove: of two racing uses exactly one deletes the document. */
  async consumeOneTimeCode(key: string, hash: string, now: number): Promise<boolean> {
    const _ = this.db.command;
    const { deleted } = await this.c('one_time_codes').where({ _id: key, hash, expiresAt: _.gt(now) }).remove();
    return Number(deleted ?? 0) === 1;
  }

  async appendAudit(a: AuthAuditRecord): Promise<void> {
    await this.c('auth_audit').add({ _id: a.id, ...fieldsOf(a, ['userId']) });
  }

  async listAudit(q: { limit: number; userId?: string; before?: number }): Promise<AuthAuditRecord[]> {
    const _ = this.db.command;
    const n = Math.min(MAX_ROWS, Math.max(1, Math.floor(q.limit) || 1));
    const where: Doc = { at: _.lt(q.before ?? Number.MAX_SAFE_INTEGER) };
    if (q.userId !== undefined) where.userId = q.userId;
    const { data } = await this.c('auth_audit').where(where).orderBy('at', 'desc').orderBy('_id', 'desc').limit(n).get();
    return data.map((d) => stripDoc<AuthAuditRecord>(d));
  }
}
