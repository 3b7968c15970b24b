import type { Statement, Transaction } from 'better-sqlite3';
import type { Role } from '../../../shared/contracts/common';
import { DomainError } from '../../../shared/errors';
import { CREDENTIAL_FIELDS } from '../../../shared/ports';
import type {
  AuthAuditRecord,
  CredentialPatch,
  CredentialRecord,
  OneTimeCodeRecord,
  SessionRecord,
  DeliveryRecord,
  DirectoryStore,
  InviteRecord,
  KbArticle,
  SceneRecord,
  UnitRecord,
  UserRecord,
} from '../../../shared/ports';
import type { NoticeTemplate } from '../../../shared/workflow/effects';
import type { SqliteDb } from './db';
import { ATOMIC_WRITE, BACKGROUND_WRITE, GroupCommit } from './groupCommit';
import { limited } from './limited';

/** Finding a delivery by its dedupe key: a repeated send returns the first result (not in the port). */
export interface DeliveryLookup {
  deliveryByDedupeKey(dedupeKey: string): Promise<DeliveryRecord | null>;
}

interface InviteRow {
  code: string;
  unit_id: string;
  created_by: string;
  created_at: number;
  expires_at: number;
  used_by: string | null;
  used_at: number | null;
  role: InviteRecord['role'] | null;
}

interface DeliveryRow {
  id: string;
  dedupe_key: string;
  user_id: string;
  template: NoticeTemplate;
  ticket_id: string;
  status: DeliveryRecord['status'];
  attempts: number;
  error_code: string | null;
  created_at: number;
  updated_at: number;
  notice: string;
}

/** A global sweep of expired rate hits every this many hits; each hit prunes its own key anyway. */
const SWEEP_EVERY = 1000;

function toInvite(r: InviteRow): InviteRecord {
  return {
    code: r.code,
    ...(r.unit_id ? { unitId: r.unit_id } : {}),
    ...(r.role ? { role: r.role } : {}),
    createdBy: r.created_by,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    ...(r.used_by !== null ? { usedBy: r.used_by } : {}),
    ...(r.used_at !== null ? { usedAt: r.used_at } : {}),
  };
}

function toDelivery(r: DeliveryRow): DeliveryRecord {
  return {
    id: r.id,
    dedupeKey: r.dedupe_key,
    userId: r.user_id,
    template: r.template,
    ticketId: r.ticket_id,
    notice: JSON.parse(r.notice) as DeliveryRecord['notice'],
    status: r.status,
    attempts: r.attempts,
    ...(r.error_code !== null ? { errorCode: r.error_code } : {}),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const isUniqueViolation = (e: unknown): boolean => (e as { code?: string } | null)?.code === 'SQLITE_CONSTRAINT_UNIQUE';

/** DirectoryStore on the same SQLite file as the tickets. */
export class SqliteDirectoryStore implements DirectoryStore, DeliveryLookup {
  private readonly st: ReturnType<typeof prepareStatements>;
  private readonly hitTx: Transaction<(key: string, windowMs: number, now: number) => number>;
  private hitsSinceSweep = 0;
  private readonly putUserTx: Transaction<(u: UserRecord) => void>;
  /** One prepared UPDATE per patch shape (which fields are set, removed, compared, null-compared). */
  private readonly patchStatements = new Map<string, Statement>();
  private readonly writes: GroupCommit;

  constructor(private readonly db: SqliteDb) {
    const st = (this.st = prepareStatements(db));
    this.writes = GroupCommit.of(db);
    // The user and their role rows change together.
    this.putUserTx = db.transaction((u: UserRecord) => {
      st.putUser.run({ id: u.id, openid: u.openid ?? null, unit_id: u.unitId ?? null, roles: JSON.stringify(u.roles), deleted_at: u.deletedAt ?? null, doc: JSON.stringify(u) });
      st.deleteRoles.run(u.id);
      for (const r of new Set(u.roles)) st.insertRole.run(u.id, r);
    });
    this.hitTx = db.transaction((key: string, windowMs: number, now: number) => {
      const since = now - windowMs;
      st.pruneHits.run(key, since);
      if (++this.hitsSinceSweep >= SWEEP_EVERY) {
        this.hitsSinceSweep = 0;
        st.sweepHits.run(now);
      }
      st.insertHit.run(key, now, now + windowMs);
      return st.countHits.get(key, since) as number;
    });
  }

  async getUser(id: string): Promise<UserRecord | null> {
    return parse<UserRecord>(this.st.userById.get(id));
  }

  async getUserByOpenid(openid: string): Promise<UserRecord | null> {
    return parse<UserRecord>(this.st.userByOpenid.get(openid));
  }

  async putUser(u: UserRecord): Promise<void> {
    try {
      this.putUserTx(u);
    } catch (e) {
      if (isUniqueViolation(e)) throw new DomainError('invalid-input', '该微信账号已绑定其他用户');
      throw e;
    }
  }

  /** Users not deleted, by unit and/or role, ordered by id. */
  async listUsers(filter: { unitId?: string; role?: Role }): Promise<UserRecord[]> {
    // One statement per filter shape: `(@x IS NULL OR col = @x)` would make every shape a full scan.
    const { unitId: unit, role } = filter;
    const st = this.st;
    const docs =
      unit !== undefined && role !== undefined ? st.usersByUnitRole.all({ unit, role })
      : unit !== undefined ? st.usersByUnit.all({ unit })
      : role !== undefined ? st.usersByRole.all({ role })
      : st.usersAll.all();
    return (docs as string[]).map((d) => JSON.parse(d) as UserRecord);
  }

  async getUnit(id: string): Promise<UnitRecord | null> {
    return parse<UnitRecord>(this.st.unitById.get(id));
  }

  async listUnits(): Promise<UnitRecord[]> {
    return (this.st.listUnits.all() as string[]).map((d) => JSON.parse(d) as UnitRecord);
  }

  async putUnit(u: UnitRecord): Promise<void> {
    this.st.putUnit.run({ id: u.id, name: u.name, active: u.active ? 1 : 0, doc: JSON.stringify(u) });
  }

  async putInvite(i: InviteRecord): Promise<void> {
    this.st.putInvite.run({
      code: i.code,
      unit_id: i.unitId ?? '',
      role: i.role ?? null,
      created_by: i.createdBy,
      created_at: i.createdAt,
      expires_at: i.expiresAt,
      used_by: i.usedBy ?? null,
      used_at: i.usedAt ?? null,
    });
  }

  /** One statement: of two redeemers racing for one code, exactly one gets the invite. */
  async redeemInvite(code: string, userId: string, now: number): Promise<InviteRecord | null> {
    const row = this.st.redeemInvite.get({ code, userId, now }) as InviteRow | undefined;
    return row ? toInvite(row) : null;
  }

  /** Newest first. */
  async listKb(): Promise<KbArticle[]> {
    return (this.st.listKb.all() as string[]).map((d) => JSON.parse(d) as KbArticle);
  }

  async getKb(id: string): Promise<KbArticle | null> {
    return parse<KbArticle>(this.st.kbById.get(id));
  }

  async putKb(a: KbArticle): Promise<void> {
    this.st.putKb.run({ id: a.id, updated_at: a.updatedAt, doc: JSON.stringify(a) });
  }

  async deleteKb(id: string): Promise<void> {
    this.st.deleteKb.run(id);
  }

  /** One statement: two answers at once count two uses. */
  async addKbUse(id: string, at: number): Promise<number> {
    return this.st.addKbUse.get({ id, at }) as number;
  }

  async kbUses(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const r of this.st.kbUses.all() as { article_id: string; n: number }[]) out[r.article_id] = r.n;
    return out;
  }

  async getScene(id: string): Promise<SceneRecord | null> {
    return parse<SceneRecord>(this.st.sceneById.get(id));
  }

  /** Newest first. */
  async listScenes(): Promise<SceneRecord[]> {
    return (this.st.listScenes.all() as string[]).map((d) => JSON.parse(d) as SceneRecord);
  }

  async putScene(s: SceneRecord): Promise<void> {
    this.st.putScene.run({ id: s.id, created_at: s.createdAt, doc: JSON.stringify(s) });
  }

  async getSetting<T>(key: string): Promise<T | null> {
    return parse<T>(this.st.getSetting.get(key));
  }

  async addSetting<T>(key: string, value: T): Promise<boolean> {
    return this.st.addSetting.run(key, JSON.stringify(value ?? null)).changes === 1;
  }

  async putSettingIfNewer<T extends { rev: number }>(key: string, value: T): Promise<boolean> {
    return this.st.putSettingIfNewer.run({ key, value: JSON.stringify(value), rev: value.rev }).changes === 1;
  }

  async putSetting<T>(key: string, value: T): Promise<void> {
    this.st.putSetting.run(key, JSON.stringify(value ?? null));
  }

  // The drainer's writes (a delivery's record and credit) share commits with the ticket store's (see ./groupCommit).
  async beginDelivery(d: DeliveryRecord): Promise<boolean> {
    const row = {
      id: d.id,
      dedupe_key: d.dedupeKey,
      user_id: d.userId,
      template: d.template,
      ticket_id: d.ticketId,
      status: d.status,
      attempts: d.attempts,
      error_code: d.errorCode ?? null,
      created_at: d.createdAt,
      updated_at: d.updatedAt,
      notice: JSON.stringify(d.notice),
    };
    return this.writes.run(() => this.st.insertDelivery.run(row).changes === 1, BACKGROUND_WRITE);
  }

  async updateDelivery(id: string, patch: Partial<Pick<DeliveryRecord, 'status' | 'attempts' | 'errorCode' | 'updatedAt'>>): Promise<void> {
    const row = {
      id,
      status: patch.status ?? null,
      attempts: patch.attempts ?? null,
      setError: 'errorCode' in patch ? 1 : 0,
      errorCode: patch.errorCode ?? null,
      updatedAt: patch.updatedAt ?? null,
    };
    const changes = await this.writes.run(() => this.st.updateDelivery.run(row).changes, BACKGROUND_WRITE);
    if (changes === 0) throw new DomainError('not-found');
  }

  /** A user's deliveries, newest first. */
  async listDeliveries(userId: string, limit: number): Promise<DeliveryRecord[]> {
    const n = Math.min(1000, Math.max(1, Math.floor(limit) || 1));
    return (this.st.listDeliveries(n).all(userId) as DeliveryRow[]).map(toDelivery);
  }

  async deliveryByDedupeKey(dedupeKey: string): Promise<DeliveryRecord | null> {
    const row = this.st.deliveryByKey.get(dedupeKey) as DeliveryRow | undefined;
    return row ? toDelivery(row) : null;
  }

  async addCredits(userId: string, template: NoticeTemplate, n: number): Promise<number> {
    if (!Number.isSafeInteger(n) || n < 0) throw new DomainError('invalid-input', '订阅次数不正确');
    return this.st.addCredits.get(userId, template, n) as number;
  }

  async takeCredit(userId: string, template: NoticeTemplate): Promise<boolean> {
    return this.writes.run(() => this.st.takeCredit.run(userId, template).changes === 1, BACKGROUND_WRITE);
  }

  async credits(userId: string): Promise<Record<string, number>> {
    const rows = this.st.credits.all(userId) as { template: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.template, r.n]));
  }

  /** Hits under `key` in (now - windowMs, now], this one included. */
  async hit(key: string, windowMs: number, now: number): Promise<number> {
    if (!(windowMs > 0)) throw new DomainError('invalid-input', 'window must be positive');
    // Every request's rate check writes: in the group, concurrent requests share its commit.
    return this.writes.run(() => this.hitTx(key, windowMs, now), ATOMIC_WRITE);
  }

  // ---- accounts ----

  async getCredential(userId: string): Promise<CredentialRecord | null> {
    return parse<CredentialRecord>(this.st.credentialById.get(userId));
  }

  async putCredential(c: CredentialRecord): Promise<void> {
    this.st.putCredential.run(c.userId, JSON.stringify(c));
  }

  async recordLogin(userId: string, now: number, totpStep?: number): Promise<boolean> {
    if (totpStep === undefined) return this.st.recordLogin.run({ id: userId, now }).changes === 1;
    return this.st.recordTotpLogin.run({ id: userId, now, step: totpStep }).changes === 1;
  }

  /** One UPDATE with json_set/json_remove on the named fields; the `when` conditions are in its WHERE. */
  async patchCredential(userId: string, patch: CredentialPatch): Promise<boolean> {
    const set = Object.entries(patch.set ?? {}).filter(([, v]) => v !== undefined) as [string, string | number][];
    const unset = [...(patch.unset ?? [])];
    const when = Object.entries(patch.when ?? {}).filter(([, v]) => v !== undefined) as [string, string | number | null][];
    for (const k of [...set.map(([f]) => f), ...unset, ...when.map(([f]) => f)]) {
      if (!(CREDENTIAL_FIELDS as readonly string[]).includes(k)) throw new DomainError('invalid-input', `credential field ${k}`);
    }
    if (set.length === 0 && unset.length === 0) return false;
    const shape = JSON.stringify([set.map(([f]) => f), unset, when.map(([f, v]) => [f, v === null])]);
    let statement = this.patchStatements.get(shape);
    if (!statement) {
      let doc = 'doc';
      if (set.length) doc = `json_set(${doc}, ${set.map(([f]) => `'$.${f}', @s_${f}`).join(', ')})`;
      if (unset.length) doc = `json_remove(${doc}, ${unset.map((f) => `'$.${f}'`).join(', ')})`;
      const conditions = when.map(([f, v]) => (v === null ? ` AND json_extract(doc, '$.${f}') IS NULL` : ` AND json_extract(doc, '$.${f}') = @w_${f}`));
      statement = this.db.prepare(`UPDATE credentials SET doc = ${doc} WHERE user_id = @id${conditions.join('')}`);
      this.patchStatements.set(shape, statement);
    }
    const params: Record<string, string | number> = { id: userId };
    for (const [f, v] of set) params[`s_${f}`] = v;
    for (const [f, v] of when) if (v !== null) params[`w_${f}`] = v;
    return statement.run(params).changes === 1;
  }

  async claimLogin(key: string, userId: string): Promise<boolean> {
    this.st.claimLogin.run(key, userId);
    return this.st.loginUser.get(key) === userId;
  }

  async userIdByLogin(key: string): Promise<string | null> {
    return (this.st.loginUser.get(key) as string | undefined) ?? null;
  }

  async putSession(s: SessionRecord): Promise<void> {
    this.st.putSession.run({ id: s.id, user_id: s.userId, created_at: s.createdAt, revoked_at: s.revokedAt ?? null, doc: JSON.stringify(s) });
  }

  async getSession(id: string): Promise<SessionRecord | null> {
    return parse<SessionRecord>(this.st.sessionById.get(id));
  }

  async listSessions(userId: string): Promise<SessionRecord[]> {
    return (this.st.sessionsOfUser.all(userId) as string[]).map((d) => JSON.parse(d) as SessionRecord);
  }

  async revokeSession(id: string, now: number): Promise<number> {
    return this.st.revokeSession.run({ id, now }).changes;
  }

  async revokeUserSessions(userId: string, now: number): Promise<number> {
    return this.st.revokeUserSessions.run({ userId, now }).changes;
  }

  async putOneTimeCode(c: OneTimeCodeRecord): Promise<void> {
    this.st.putCode.run({ key: c.key, hash: c.hash, expires_at: c.expiresAt, attempts: c.attempts, created_at: c.createdAt });
  }

  async getOneTimeCode(key: string): Promise<OneTimeCodeRecord | null> {
    const r = this.st.codeByKey.get(key) as { key: string; hash: string; expires_at: number; attempts: number; created_at: number } | undefined;
    return r ? { key: r.key, hash: r.hash, expiresAt: r.expires_at, attempts: r.attempts, createdAt: r.created_at } : null;
  }

  async failOneTimeCode(key: string): Promise<number> {
    return (this.st.failCode.get(key) as number | undefined) ?? 0;
  }

  async consumeOneTimeCode(key: string, hash: string, now: number): Promise<boolean> {
    return this.st.consumeCode.run({ key, hash, now }).changes === 1;
  }

  async appendAudit(a: AuthAuditRecord): Promise<void> {
    this.st.appendAudit.run({ id: a.id, at: a.at, user_id: a.userId ?? null, doc: JSON.stringify(a) });
  }

  async listAudit(q: { limit: number; userId?: string; before?: number }): Promise<AuthAuditRecord[]> {
    const n = Math.min(1000, Math.max(1, Math.floor(q.limit) || 1));
    const before = q.before ?? Number.MAX_SAFE_INTEGER;
    const docs = q.userId !== undefined ? this.st.auditOfUser(n).all({ user: q.userId, before }) : this.st.auditAll(n).all({ before });
    return (docs as string[]).map((d) => JSON.parse(d) as AuthAuditRecord);
  }
}

function parse<T>(doc: unknown): T | null {
  return typeof doc === 'string' ? (JSON.parse(doc) as T) : null;
}

function prepareStatements(db: SqliteDb) {
  return {
    userById: db.prepare('SELECT doc FROM users WHERE id = ?').pluck(),
    userByOpenid: db.prepare('SELECT doc FROM users WHERE openid = ?').pluck(),
    putUser: db.prepare(`
      INSERT INTO users (id, openid, unit_id, roles, deleted_at, doc) VALUES (@id, @openid, @unit_id, @roles, @deleted_at, @doc)
      ON CONFLICT (id) DO UPDATE SET openid = excluded.openid, unit_id = excluded.unit_id, roles = excluded.roles,
        deleted_at = excluded.deleted_at, doc = excluded.doc`),
    deleteRoles: db.prepare('DELETE FROM user_roles WHERE user_id = ?'),
    insertRole: db.prepare('INSERT INTO user_roles (user_id, role) VALUES (?, ?)'),
    usersAll: db.prepare('SELECT doc FROM users WHERE deleted_at IS NULL ORDER BY id').pluck(),
    usersByUnit: db.prepare('SELECT doc FROM users WHERE unit_id = @unit AND deleted_at IS NULL ORDER BY id').pluck(),
    usersByRole: db
      .prepare('SELECT u.doc FROM user_roles r JOIN users u ON u.id = r.user_id WHERE r.role = @role AND u.deleted_at IS NULL ORDER BY r.user_id')
      .pluck(),
    usersByUnitRole: db
      .prepare(`
        SELECT doc FROM users
        WHERE unit_id = @unit AND deleted_at IS NULL AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = users.id AND r.role = @role)
        ORDER BY id`)
      .pluck(),

    unitById: db.prepare('SELECT doc FROM units WHERE id = ?').pluck(),
    listUnits: db.prepare('SELECT doc FROM units ORDER BY id').pluck(),
    putUnit: db.prepare(`
      INSERT INTO units (id, name, active, doc) VALUES (@id, @name, @active, @doc)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, active = excluded.active, doc = excluded.doc`),

    putInvite: db.prepare(`
      INSERT INTO invites (code, unit_id, role, created_by, created_at, expires_at, used_by, used_at)
      VALUES (@code, @unit_id, @role, @created_by, @created_at, @expires_at, @used_by, @used_at)
      ON CONFLICT (code) DO UPDATE SET unit_id = excluded.unit_id, role = excluded.role, created_by = excluded.created_by, created_at = excluded.created_at,
        expires_at = excluded.expires_at, used_by = excluded.used_by, used_at = excluded.used_at`),
    redeemInvite: db.prepare(`
      UPDATE invites SET used_by = @userId, used_at = @now
      WHERE code = @code AND used_by IS NULL AND expires_at > @now
      RETURNING code, unit_id, role, created_by, created_at, expires_at, used_by, used_at`),

    listKb: db.prepare('SELECT doc FROM kb_articles ORDER BY updated_at DESC, id').pluck(),
    kbById: db.prepare('SELECT doc FROM kb_articles WHERE id = ?').pluck(),
    putKb: db.prepare(`
      INSERT INTO kb_articles (id, updated_at, doc) VALUES (@id, @updated_at, @doc)
      ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at, doc = excluded.doc`),
    deleteKb: db.prepare('DELETE FROM kb_articles WHERE id = ?'),
    addKbUse: db.prepare(`
      INSERT INTO kb_uses (article_id, n, last_at) VALUES (@id, 1, @at)
      ON CONFLICT (article_id) DO UPDATE SET n = n + 1, last_at = max(last_at, excluded.last_at)
      RETURNING n`).pluck(),
    kbUses: db.prepare('SELECT article_id, n FROM kb_uses'),

    sceneById: db.prepare('SELECT doc FROM scenes WHERE id = ?').pluck(),
    listScenes: db.prepare('SELECT doc FROM scenes ORDER BY created_at DESC, id').pluck(),
    putScene: db.prepare(`
      INSERT INTO scenes (id, created_at, doc) VALUES (@id, @created_at, @doc)
      ON CONFLICT (id) DO UPDATE SET created_at = excluded.created_at, doc = excluded.doc`),

    getSetting: db.prepare('SELECT value FROM settings WHERE key = ?').pluck(),
    putSetting: db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
    addSetting: db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING'),
    putSettingIfNewer: db.prepare(
      "INSERT INTO settings (key, value) VALUES (@key, @value) ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE coalesce(json_extract(settings.value, '$.rev'), 0) < @rev",
    ),

    insertDelivery: db.prepare(`
      INSERT INTO deliveries (id, dedupe_key, user_id, template, ticket_id, status, attempts, error_code, created_at, updated_at, notice)
      VALUES (@id, @dedupe_key, @user_id, @template, @ticket_id, @status, @attempts, @error_code, @created_at, @updated_at, @notice)
      ON CONFLICT (dedupe_key) DO NOTHING`),
    updateDelivery: db.prepare(`
      UPDATE deliveries SET status = COALESCE(@status, status), attempts = COALESCE(@attempts, attempts),
        error_code = CASE WHEN @setError = 1 THEN @errorCode ELSE error_code END, updated_at = COALESCE(@updatedAt, updated_at)
      WHERE id = @id`),
    // Limits written into the SQL, not bound: see ./limited.
    listDeliveries: limited(db, (n) => `SELECT * FROM deliveries WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT ${n}`),
    deliveryByKey: db.prepare('SELECT * FROM deliveries WHERE dedupe_key = ?'),

    addCredits: db
      .prepare('INSERT INTO credits (user_id, template, n) VALUES (?, ?, ?) ON CONFLICT (user_id, template) DO UPDATE SET n = n + excluded.n RETURNING n')
      .pluck(),
    takeCredit: db.prepare('UPDATE credits SET n = n - 1 WHERE user_id = ? AND template = ? AND n > 0'),
    credits: db.prepare('SELECT template, n FROM credits WHERE user_id = ? ORDER BY template'),

    pruneHits: db.prepare('DELETE FROM rate_hits WHERE key = ? AND at <= ?'),
    sweepHits: db.prepare('DELETE FROM rate_hits WHERE expires_at <= ?'),
    insertHit: db.prepare('INSERT INTO rate_hits (key, at, expires_at) VALUES (?, ?, ?)'),
    countHits: db.prepare('SELECT count(*) FROM rate_hits WHERE key = ? AND at > ?').pluck(),
    credentialById: db.prepare('SELECT doc FROM credentials WHERE user_id = ?').pluck(),
    putCredential: db.prepare('INSERT INTO credentials (user_id, doc) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET doc = excluded.doc'),
    recordLogin: db.prepare("UPDATE credentials SET doc = json_remove(json_set(doc, '$.lastLoginAt', @now, '$.updatedAt', @now), '$.lockedUntil') WHERE user_id = @id"),
    // The step check and the write are one statement: a second use of the step matches no row.
    recordTotpLogin: db.prepare(`UPDATE credentials SET doc = json_remove(json_set(doc, '$.lastLoginAt', @now, '$.updatedAt', @now, '$.totpLastStep', @step), '$.lockedUntil')
      WHERE user_id = @id AND (json_extract(doc, '$.totpLastStep') IS NULL OR json_extract(doc, '$.totpLastStep') < @step)`),
    claimLogin: db.prepare('INSERT INTO logins (key, user_id) VALUES (?, ?) ON CONFLICT (key) DO NOTHING'),
    loginUser: db.prepare('SELECT user_id FROM logins WHERE key = ?').pluck(),
    putSession: db.prepare(`
      INSERT INTO sessions (id, user_id, created_at, revoked_at, doc) VALUES (@id, @user_id, @created_at, @revoked_at, @doc)
      ON CONFLICT (id) DO UPDATE SET revoked_at = excluded.revoked_at, doc = excluded.doc`),
    sessionById: db.prepare('SELECT doc FROM sessions WHERE id = ?').pluck(),
    sessionsOfUser: db.prepare('SELECT doc FROM sessions WHERE user_id = ? ORDER BY created_at DESC, id LIMIT 200').pluck(),
    revokeSession: db.prepare(`UPDATE sessions SET revoked_at = @now, doc = json_set(doc, '$.revokedAt', @now) WHERE id = @id AND revoked_at IS NULL`),
    revokeUserSessions: db.prepare(`UPDATE sessions SET revoked_at = @now, doc = json_set(doc, '$.revokedAt', @now) WHERE user_id = @userId AND revoked_at IS NULL`),
    putCode: db.prepare(`
      INSERT INTO one_time_codes (key, hash, expires_at, attempts, created_at) VALUES (@key, @hash, @expires_at, @attempts, @created_at)
      ON CONFLICT (key) DO UPDATE SET hash = excluded.hash, expires_at = excluded.expires_at, attempts = excluded.attempts, created_at = excluded.created_at`),
    codeByKey: db.prepare('SELECT * FROM one_time_codes WHERE key = ?'),
    failCode: db.prepare('UPDATE one_time_codes SET attempts = attempts + 1 WHERE key = ? RETURNING attempts').pluck(),
    consumeCode: db.prepare('DELETE FROM one_time_codes WHERE key = @key AND hash = @hash AND expires_at > @now'),
    appendAudit: db.prepare('INSERT INTO auth_audit (id, at, user_id, doc) VALUES (@id, @at, @user_id, @doc)'),
    auditAll: limited(db, (n) => `SELECT doc FROM auth_audit WHERE at < @before ORDER BY at DESC, seq DESC LIMIT ${n}`, { pluck: true }),
    auditOfUser: limited(db, (n) => `SELECT doc FROM auth_audit WHERE user_id = @user AND at < @before ORDER BY at DESC, seq DESC LIMIT ${n}`, { pluck: true }),
  };
}
