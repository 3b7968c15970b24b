import type { Ticket, TicketEvent } from '../contracts/ticket';
import type { Alarm } from '../workflow/alarms';
import type { Audience, NoticeTemplate } from '../workflow/effects';
import type { FileKind, Role } from '../contracts/common';
import type { InboxFilter, OperatorQueue } from '../workflow/states';
import type { FactStore } from './facts';
import type { TicketSummary } from '../workflow/summary';

export type { FactCountQuery, FactGroupQuery, FactStore, FactTicket, FactTicketQuery, PlaceGroup, RequesterGroup } from './facts';

/** Ports: what the functions need from the outside world. Adapters live beside their platform. */

export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page, or null. */
  next: string | null;
}

/**
 * Search filters of a list, all optional and ANDed. Both stores answer each from an index
 * (cloudfunctions/adapters/*): SQLite columns and FTS5, CloudBase fields listed in INDEXES.md.
 */
export interface TicketSearch {
  number?: string;
  /** The requester's phone, digits only (`phoneKey` in shared/search/terms). */
  phone?: string;
  /** The last four digits of the requester's phone. */
  phoneTail?: string;
  /** Words of two characters or more (`queryWords`): each lies inside the title, content or address. */
  words?: string[];
  /** Assigned to this unit (lead or assisting). */
  assignedUnitId?: string;
  category?: string;
  area?: string;
  channel?: string;
  urgency?: string;
  utilities?: boolean;
  overdue?: boolean;
  /** The next active deadline falls in (from, to]: at risk of missing it. */
  dueBetween?: { from: number; to: number };
  /** Created in [from, to). */
  createdFrom?: number;
  createdTo?: number;
}

export interface TicketQuery {
  search?: TicketSearch;
  requesterId?: string;
  reporterId?: string;
  unitId?: string;
  inbox?: InboxFilter;
  queue?: OperatorQueue;
  states?: string[];
  limit: number;
  cursor?: string | null;
}

/**
 * A notice to deliver, saved in the same commit as the state change that caused it (the
 * transactional outbox). Its id is stable (`<event id>:<n>`): the drainer delivers it, fanning
 * out to the audience's users, with stored attempts and backoff, until it is done or failed.
 */
export interface OutboxEffect {
  id: string;
  ticketId: string;
  eventId: string;
  audience: Audience;
  /** The requester's user id at the time of the event, for audience 'requester'. */
  requesterId?: string;
  /** The co-requesters with an account (merged, joined) at the time of the event, for audience 'requester'. */
  coRequesterIds?: string[];
  /** A phone caller without an account: the number the notice may go to by SMS. */
  callerPhone?: string;
  notice: Notice;
  status: 'pending' | 'done' | 'failed';
  attempts: number;
  /** Not claimed before this instant (backoff). */
  nextAt: number;
  lastError?: string;
  createdAt: number;
  updatedAt: number;
}

/** A ticket created in the same commit as another's change (the children of a separate dispatch). */
export interface NewTicket {
  ticket: Ticket;
  event: TicketEvent;
  alarms: Alarm[];
  effects: OutboxEffect[];
}

/** Another existing ticket changed in the same commit (the other side of a link or a merge), under its own version check. */
export interface RelatedChange {
  ticket: Ticket;
  expectedVersion: number;
  event: TicketEvent;
  alarms: Alarm[];
  effects: OutboxEffect[];
}

/** One timer step for `TicketStore.completeAlarms`: the alarm's mark, and the ticket change it made. */
export interface AlarmStep {
  key: string;
  outcome: string;
  /** Saved once by id with the mark (a reminder's notices). */
  effects?: OutboxEffect[];
  /** The ticket's next version, as `update` takes it (an overdue mark, a 督办). */
  change?: { ticket: Ticket; expectedVersion: number; event: TicketEvent; alarms: Alarm[]; extras?: CommitExtras };
}

/** What became of one step: saved, or not (`code`: stale-version, lease-lost, or the failure's). */
export type AlarmStepResult = { key: string; saved: true } | { key: string; saved: false; code: string; error?: unknown };

/** What else a commit saves with the ticket, its event and its alarms. */
export interface CommitExtras {
  effects?: OutboxEffect[];
  children?: NewTicket[];
  /** Saved with the ticket or not at all: a stale one refuses the whole commit (stale-version). */
  related?: RelatedChange[];
}

/** Tickets, their events and alarms, and the facts every figure is counted from (FactStore). */
/** `TicketStore.recentByReporter`: the count, and the earlier ticket with the same content if any. */
export interface RecentByReporter {
  count: number;
  duplicate: boolean;
  duplicateOf?: { id: string; number: string };
}

export interface TicketStore extends FactStore {
  /** Saves a new ticket with its first event and effects; if the client request id was seen, returns the first ticket instead (and saves nothing). */
  create(ticket: Ticket, event: TicketEvent, alarms: Alarm[], extras?: CommitExtras): Promise<{ ticket: Ticket; created: boolean }>;
  /**
   * Saves the next version only if the stored version is `expectedVersion`; otherwise throws
   * DomainError('stale-version'). The effects, children and related changes are part of the same commit.
   */
  update(ticket: Ticket, expectedVersion: number, event: TicketEvent, alarms: Alarm[], extras?: CommitExtras): Promise<void>;
  get(id: string): Promise<Ticket | null>;
  getByNumber(number: string): Promise<Ticket | null>;
  findByClientRequestId(reporterId: string, clientRequestId: string): Promise<Ticket | null>;
  events(ticketId: string): Promise<TicketEvent[]>;
  list(q: TicketQuery): Promise<Page<Ticket>>;
  /**
   * The same page as `list(q)` (same rows, order and cursor), as summaries: what a list row
   * shows (shared/workflow/summary.ts), kept beside the ticket and written in the same commit.
   */
  listSummaries(q: TicketQuery): Promise<Page<TicketSummary>>;
  /** Tickets of a period, for statistics (reads in batches). */
  scan(fromMs: number, toMs: number, unitId?: string): AsyncIterable<Ticket>;
  eventsBetween(fromMs: number, toMs: number): AsyncIterable<TicketEvent>;
  /**
   * A reporter's submissions since a time: how many, and whether one had this content hash
   * (`contentHash` in cloudfunctions/lib), and which one (`duplicateOf`). Answered from an index,
   * whatever the reporter's history.
   */
  recentByReporter(reporterId: string, sinceMs: number, contentHash?: string): Promise<RecentByReporter>;

  /** Claims up to `limit` due alarms (fireAt <= now) that no live run holds, for `leaseMs`. */
  claimAlarms(runId: string, now: number, limit: number, leaseMs: number): Promise<Alarm[]>;
  /**
   * Marks an alarm done; a done alarm is never claimed again. `effects` (a reminder's notices,
   * stable ids derived from the alarm key) are saved with the mark: both or neither on SQLite;
   * on CloudBase the effects are added once (by id) before the mark, so a crash between the two
   * leaves the alarm to be claimed again and the re-run adds nothing new.
   */
  completeAlarm(key: string, runId: string, outcome: string, effects?: OutboxEffect[]): Promise<boolean>;
  /**
   * A timer run's batch of steps, saved in order; one step's failure never stops the others.
   * SQLite: one transaction with a savepoint per step, so each step (the ticket's change, the
   * alarm's mark, its effects) is saved whole or not at all — a stale change, a failed write or a
   * lost lease leaves nothing of that step. CloudBase: each step is `update` (atomic with its
   * outbox) then `completeAlarm`, as the timer did one by one; a lost lease after the change
   * leaves the change saved and the alarm to its holder, who finds the deadline already handled.
   */
  completeAlarms(runId: string, steps: AlarmStep[]): Promise<AlarmStepResult[]>;

  /** Claims up to `limit` pending effects due (nextAt <= now) that no live run holds, for `leaseMs`, oldest first. */
  claimEffects(runId: string, now: number, limit: number, leaseMs: number): Promise<OutboxEffect[]>;
  /** Records the outcome of a claimed effect and releases it; false if this run no longer holds it. */
  settleEffect(id: string, runId: string, patch: Pick<OutboxEffect, 'status' | 'attempts' | 'nextAt' | 'updatedAt'> & { lastError?: string }): Promise<boolean>;
  /**
   * Saves effects that belong to no ticket (a risk warning's notice to the operators), each once
   * by id: an id already stored is left as it is. Returns the ids added.
   */
  addEffectsOnce(effects: OutboxEffect[]): Promise<string[]>;
  /** Effects by status, newest first (the operators' page of failed deliveries). */
  listEffects(status: OutboxEffect['status'], limit: number): Promise<OutboxEffect[]>;
  /** Puts a failed effect back to pending, due now, with its attempts reset; false if it is not failed. */
  retryEffect(id: string, now: number): Promise<boolean>;
}

export interface Recipient {
  userId: string;
  openid?: string;
  /** A phone caller without an account (userId `caller:<ticket id>`): notices can reach them by SMS only. */
  phone?: string;
}

export interface Notice {
  template: NoticeTemplate;
  ticketId: string;
  ticketNumber: string;
  title: string;
  status: string;
  summary: string;
  at: number;
  /** The page the notice opens. */
  page: string;
}

export interface DeliveryResult {
  status: 'delivered' | 'undeliverable' | 'failed';
  errorCode?: string;
  attempts: number;
}

/** Sends one notice to one recipient; records every attempt. */
export interface Notifier {
  send(to: Recipient, notice: Notice, dedupeKey: string): Promise<DeliveryResult>;
}

export interface StoredFile {
  fileId: string;
  ownerId: string;
  kind: FileKind;
  mime: string;
  size: number;
  durationSec?: number;
  createdAt: number;
  /** The content-security check of an image or audio file (CloudBase: security.mediaCheckAsync). */
  check?: MediaCheck;
}

/** Where a piece of user content appears: decides how strictly the platform checks it. */
export type ContentScene = 'submission' | 'reply' | 'note';

/** The verdict on a text: refused content is never written. */
export type TextVerdict = { verdict: 'pass' } | { verdict: 'refused'; reason: string };

/** A media check: `pending` until its result arrives (asynchronously, by message push). */
export interface MediaCheck {
  status: 'pending' | 'pass' | 'refused';
  traceId?: string;
  label?: string;
  at: number;
}

/**
 * Content security (WeChat requires it of mini-programs with user content): texts are checked
 * before anything is written; images and audio are checked after upload, the result arriving later.
 */
export interface ContentChecker {
  checkText(text: string, who: { userId: string }, scene: ContentScene): Promise<TextVerdict>;
  /** Starts the check of a stored image or audio file; `undefined` when this checker does not check media. */
  checkMedia?(file: StoredFile, url: string, who: { userId: string }, now: number): Promise<MediaCheck | undefined>;
}

export interface FileStore {
  /** Stores an upload; the type comes from the bytes, `meta.kind` only breaks a tie (webm audio or video). */
  put(ownerId: string, name: string, bytes: Uint8Array, meta: { durationSec?: number; kind?: FileKind }, now: number): Promise<StoredFile>;
  stat(fileId: string): Promise<StoredFile | null>;
  read(fileId: string): Promise<Uint8Array>;
  /** A URL the client can fetch for a short time. */
  temporaryUrl(fileId: string, now: number): Promise<string>;
  /**
   * Stores that receive uploads elsewhere (CloudBase: `uploadFile` from the mini-program) record a
   * file here: type by magic bytes, size, duration, and the owner. The first caller owns the file.
   */
  register?(fileId: string, ownerId: string, meta: { durationSec?: number; kind?: FileKind }, now: number): Promise<StoredFile>;
  /** Records a media check on the file (and its trace id, to find the file when the result arrives). */
  setCheck?(fileId: string, check: MediaCheck): Promise<void>;
  /** The file whose media check has this trace id. */
  fileByCheckTrace?(traceId: string): Promise<StoredFile | null>;
}

export interface Clock {
  now(): number;
}

export interface IdGenerator {
  ticketId(): string;
  /** Human ticket number, unique, e.g. BY202611210001. */
  ticketNumber(now: number): Promise<string> | string;
  id(prefix: string): string;
}

export interface UserRecord {
  id: string;
  openid?: string;
  name: string;
  roles: Role[];
  unitId?: string;
  phone?: string;
  deletedAt?: number;
  /** A demo user of the local runtime: may sign in without WeChat. */
  demo?: boolean;
}

export interface UnitRecord {
  id: string;
  name: string;
  /** Categories and areas the unit handles: the dispatch picker suggests by these. */
  categories: string[];
  areas: string[];
  active: boolean;
}

export interface KbArticle {
  id: string;
  title: string;
  answer: string;
  keywords: string[];
  category?: string;
  /** The unit that keeps the article up to date (linyi 21, hohhot 26, pingli 21). */
  unitId?: string;
  updatedAt: number;
  /** The date by which the article is to be reviewed (epoch ms); past it the article is stale. */
  reviewBy?: number;
  /** The live revision's number (1 for an article as an operator first wrote it). */
  revision?: number;
  /** An edit by the owner unit's staff, waiting for an operator (never shown to residents). */
  pending?: KbRevision;
  /** The last decision on a unit's edit. */
  lastReview?: KbReviewRecord;
}

/** A unit's proposed edit of an article. */
export interface KbRevision {
  id: string;
  title: string;
  answer: string;
  keywords: string[];
  category?: string;
  by: string;
  byName?: string;
  at: number;
}

export interface KbReviewRecord {
  revisionId: string;
  approved: boolean;
  reason?: string;
  by: string;
  at: number;
}

/** A QR scene: ≤ 32 visible ASCII characters, carried by the code. */
export interface SceneRecord {
  id: string;
  place: string;
  area?: string;
  grid?: string;
  category?: string;
  createdAt: number;
}

export interface InviteRecord {
  code: string;
  /** The unit a staff invite joins; absent for operator and grid-worker invites. */
  unitId?: string;
  /** The role the invite grants (absent: staff, as before). */
  role?: 'staff' | 'operator' | 'grid';
  createdBy: string;
  createdAt: number;
  expiresAt: number;
  usedBy?: string;
  usedAt?: number;
}

/** One delivery attempt series of one notice to one user. */
export interface DeliveryRecord {
  id: string;
  dedupeKey: string;
  userId: string;
  template: NoticeTemplate;
  ticketId: string;
  notice: Notice;
  status: 'pending' | 'delivered' | 'undeliverable' | 'failed';
  attempts: number;
  errorCode?: string;
  createdAt: number;
  updatedAt: number;
}

/** Everything besides tickets: users, units, invites, knowledge base, scenes, settings, deliveries. */
export interface DirectoryStore extends AccountStore {
  getUser(id: string): Promise<UserRecord | null>;
  getUserByOpenid(openid: string): Promise<UserRecord | null>;
  putUser(u: UserRecord): Promise<void>;
  listUsers(filter: { unitId?: string; role?: Role }): Promise<UserRecord[]>;
  /** Users not deleted, ordered by id, after `after`, at most `limit` (a bounded read where listUsers reads all). */
  listUsersPage?(filter: { unitId?: string; role?: Role }, after: string | undefined, limit: number): Promise<UserRecord[]>;

  getUnit(id: string): Promise<UnitRecord | null>;
  listUnits(): Promise<UnitRecord[]>;
  putUnit(u: UnitRecord): Promise<void>;

  putInvite(i: InviteRecord): Promise<void>;
  /** Marks the invite used by `userId` if unused and unexpired, atomically; returns it, or null. */
  redeemInvite(code: string, userId: string, now: number): Promise<InviteRecord | null>;

  listKb(): Promise<KbArticle[]>;
  getKb(id: string): Promise<KbArticle | null>;
  putKb(a: KbArticle): Promise<void>;
  deleteKb(id: string): Promise<void>;
  /** Counts one use of an article (an operator answered from it), atomically; returns the new count. */
  addKbUse(id: string, at: number): Promise<number>;
  /** The uses counted per article id (articles never used are absent). */
  kbUses(): Promise<Record<string, number>>;

  getScene(id: string): Promise<SceneRecord | null>;
  listScenes(): Promise<SceneRecord[]>;
  putScene(s: SceneRecord): Promise<void>;

  getSetting<T>(key: string): Promise<T | null>;
  putSetting<T>(key: string, value: T): Promise<void>;
  /** Writes a setting only if the key has none: false if it had one (nothing written). */
  addSetting<T>(key: string, value: T): Promise<boolean>;
  /**
   * Writes a setting that carries a revision only if the stored one is absent or of a lower
   * revision, in one conditional write: false (nothing written) if a newer one is stored.
   */
  putSettingIfNewer<T extends { rev: number }>(key: string, value: T): Promise<boolean>;

  /** Inserts a delivery unless one with the same dedupe key exists; returns false if it existed. */
  beginDelivery(d: DeliveryRecord): Promise<boolean>;
  updateDelivery(id: string, patch: Partial<Pick<DeliveryRecord, 'status' | 'attempts' | 'errorCode' | 'updatedAt'>>): Promise<void>;
  listDeliveries(userId: string, limit: number): Promise<DeliveryRecord[]>;
  /** The delivery of a dedupe key, or null. */
  deliveryByDedupeKey(dedupeKey: string): Promise<DeliveryRecord | null>;

  /** One-time subscription credits a user granted per template (requestSubscribeMessage). */
  addCredits(userId: string, template: NoticeTemplate, n: number): Promise<number>;
  /** Takes one credit if any is left; returns whether it did. */
  takeCredit(userId: string, template: NoticeTemplate): Promise<boolean>;
  credits(userId: string): Promise<Record<string, number>>;

  /** Adds one hit under `key` at `now` and returns the hits within the window. */
  hit(key: string, windowMs: number, now: number): Promise<number>;
}

/** A password (and second factor) for a staff member or operator who signs in at a desktop PC. */
export interface CredentialRecord {
  userId: string;
  /** The account name they type (lower case); a phone number also finds them through a login key. */
  login: string;
  /** `scrypt$N$r$p$<salt>$<hash>` (base64url). */
  passwordHash: string;
  /** Base32 TOTP secret once confirmed; `totpPending` while being set up. */
  totpSecret?: string;
  totpPending?: string;
  /** The last 30-second step accepted: a code of that step or earlier is a replay. */
  totpLastStep?: number;
  /** Refused sign-ins until this instant after repeated failures. */
  lockedUntil?: number;
  /** The last successful sign-in: failures before it no longer count towards a lock. */
  lastLoginAt?: number;
  /** sha256 of an operator-issued one-time reset code, and when it stops working. */
  resetHash?: string;
  resetExpiresAt?: number;
  updatedAt: number;
}

/** The credential fields a patch may touch (`userId` and `login` never change). */
export const CREDENTIAL_FIELDS = [
  'passwordHash', 'totpSecret', 'totpPending', 'totpLastStep', 'lockedUntil', 'lastLoginAt', 'resetHash', 'resetExpiresAt', 'updatedAt',
] as const;
export type CredentialField = (typeof CREDENTIAL_FIELDS)[number];

export interface CredentialPatch {
  set?: Partial<Pick<CredentialRecord, CredentialField>>;
  unset?: readonly Exclude<CredentialField, 'passwordHash' | 'updatedAt'>[];
  when?: Partial<Record<CredentialField, string | number | null>>;
}

/** A server-side session: a token names one; revoking it ends the token at once. */
export interface SessionRecord {
  id: string;
  userId: string;
  via: 'password' | 'sms' | 'wechat' | 'demo' | 'invite';
  /** `enrol`: signed in by password but the second factor must be set up before anything else. */
  scope: 'full' | 'enrol';
  createdAt: number;
  expiresAt: number;
  ip?: string;
  revokedAt?: number;
}

export type AuthAuditKind =
  | 'login-ok' | 'login-failed' | 'locked' | 'totp-failed' | 'totp-enabled' | 'sms-sent' | 'sms-failed' | 'sms-login'
  | 'wechat-login' | 'wechat-failed' | 'reset-issued' | 'reset-used' | 'reset-failed' | 'session-revoked' | 'user-removed'
  | 'account-created' | 'invite-redeemed' | 'operator-bootstrapped' | 'demo-login';

/** One line of the sign-in audit log: append-only, read by operators. */
export interface AuthAuditRecord {
  id: string;
  at: number;
  kind: AuthAuditKind;
  /** The account concerned, when known. */
  userId?: string;
  /** Who did it, when not the account itself (an operator removing, resetting, revoking). */
  actorId?: string;
  /** What was typed as the account name or phone (masked phone), for failures of unknown accounts. */
  login?: string;
  ip?: string;
  detail?: string;
}

/** A one-time code (SMS sign-in): only its hash is kept; a wrong guess counts an attempt. */
export interface OneTimeCodeRecord {
  key: string;
  hash: string;
  expiresAt: number;
  attempts: number;
  createdAt: number;
}

/** Accounts: credentials, login keys, sessions, one-time codes and the audit log (both directory stores). */
export interface AccountStore {
  getCredential(userId: string): Promise<CredentialRecord | null>;
  putCredential(c: CredentialRecord): Promise<void>;
  /**
   * A successful sign-in in one conditional write: `lastLoginAt` set, any lock cleared and, with a
   * TOTP step, `totpLastStep` raised to it only if it is below it. False (nothing written) when that
   * step or a later one was used already: of two racing uses of one code exactly one wins.
   */
  recordLogin(userId: string, now: number, totpStep?: number): Promise<boolean>;
  /**
   * A field-level write of one credential (never the whole record from an earlier read): `set`
   * fields written, `unset` fields removed, and only if every `when` field holds that value (null:
   * absent). False when nothing was written (no such credential, or a `when` did not hold). On
   * CloudBase an update that changes nothing also reports false: a caller refusing on false always
   * writes a new value.
   */
  patchCredential(userId: string, patch: CredentialPatch): Promise<boolean>;
  /** Binds a login key (`account:<name>`, `phone:<number>`, `sms:<number>`) to a user; false if another user holds it. */
  claimLogin(key: string, userId: string): Promise<boolean>;
  userIdByLogin(key: string): Promise<string | null>;

  putSession(s: SessionRecord): Promise<void>;
  getSession(id: string): Promise<SessionRecord | null>;
  /** Live and revoked sessions of a user, newest first. */
  listSessions(userId: string): Promise<SessionRecord[]>;
  /** Revokes one session (or all of a user's live sessions); returns how many ended. */
  revokeSession(id: string, now: number): Promise<number>;
  revokeUserSessions(userId: string, now: number): Promise<number>;

  putOneTimeCode(c: OneTimeCodeRecord): Promise<void>;
  getOneTimeCode(key: string): Promise<OneTimeCodeRecord | null>;
  /** Counts a wrong guess; returns the attempts so far. */
  failOneTimeCode(key: string): Promise<number>;
  /** Deletes the code if it still has this hash and is unexpired: of two racing uses exactly one wins. */
  consumeOneTimeCode(key: string, hash: string, now: number): Promise<boolean>;

  appendAudit(a: AuthAuditRecord): Promise<void>;
  /** Newest first. */
  listAudit(q: { limit: number; userId?: string; before?: number }): Promise<AuthAuditRecord[]>;
}

/**
 * The privacy-number relay (隐私号 / AXB): lets a unit reach a requester it may not see — a
 * confidential request, or the unit complained about (linyi 17(4) 保密联络系统, anshan 26).
 * An AXB vendor binds the unit's phone (A) and the requester's (B) to a middle number (X) for a
 * short time; the local implementation has no vendor: an operator connects the call and records it.
 * Neither ever hands the requester's number to the unit.
 */
export type RelayBinding = { port: 'operator' } | { port: 'axb'; middleNumber: string; expiresAt: number };
export interface PrivacyRelay {
  readonly port: 'operator' | 'axb';
  /** Asks for a connection for `unitId` on the ticket; `requesterPhone` goes to the vendor only. */
  bind(req: { ticketId: string; unitId: string; requesterPhone?: string; now: number }): Promise<RelayBinding>;
}
