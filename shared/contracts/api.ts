import { z } from 'zod';
import { idSchema, LIMITS, text, fileRefSchema } from './common';
import { submitInputSchema, commandSchemas } from './commands';
import { profileSchema, spanSchema } from '../profiles/schema';
import { commandsAcceptedBy, type CommandFunction, type CommandsOf } from '../workflow/transitions';
import { ticketFiltersSchema } from './search';
import { replyTemplateSchema } from './templates';
import { DIMENSIONS, METRICS } from '../metrics/facts';

/**
 * The functions the mini-program calls, and each action's input. The same events go to
 * CloudBase (`callFunction({ name, data })`) and to the local runtime (`POST /api/<name>`).
 * Every response is `{ ok: true, data } | { ok: false, code, message }`.
 */
const cursor = z.string().max(200).nullable().optional();
const limit = z.number().int().min(1).max(100).default(20);
/** The largest instant a Date holds (8.64e15 ms): past about 2^83 ms, `w += WEEK` no longer moves `w`. */
const MAX_INSTANT = 8_640_000_000_000_000;
const period = { from: z.number().int().nonnegative().max(MAX_INSTANT), to: z.number().int().positive().max(MAX_INSTANT) };
const a = <T extends string, S extends z.ZodRawShape>(action: T, shape: S) => z.object({ action: z.literal(action), ...shape }).strict();

/** The commands a function accepts, derived from the transitions table (shared/workflow/transitions.ts). */
function commandsOf<F extends CommandFunction>(fn: F) {
  const schemas = commandsAcceptedBy(fn).map((c) => commandSchemas[c]);
  return z.discriminatedUnion('type', schemas as unknown as [(typeof commandSchemas)[CommandsOf<F>], ...(typeof commandSchemas)[CommandsOf<F>][]]);
}

const inviteCodeSchema = z.string().regex(/^[A-Z0-9]{6,12}$/, { message: '邀请码格式不正确' });
const totpCodeSchema = z.string().regex(/^\d{6}$/, { message: '请输入6位动态验证码' });
const passwordSchema = z.string().min(1, { message: '请输入密码' }).max(128);
const phoneSchema = z.string().regex(/^1\d{10}$/, { message: '手机号格式不正确' });
const sessionIdSchema = z.string().regex(/^s_[A-Za-z0-9_-]{10,40}$/, { message: '会话编号不正确' });
const dateSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { message: '日期格式应为“2026-03-01”' });
/** A unit's edit of a knowledge-base article: what the article says (kb upkeep, issue 18 §4). */
const kbContent = { title: text(100), answer: text(LIMITS.content), keywords: z.array(text(20)).max(20), category: text(LIMITS.category).optional() };

export const templateKeySchema = z.enum(['progress', 'assigned', 'dueSoon', 'overdue', 'supervised', 'review', 'warning']);

/** Operator overrides of platform-set numbers (shared/profiles applyOverrides checks each path). */
const profileOverrides = z.array(z.object({ path: z.string().max(120), value: z.union([z.number(), z.string(), z.array(z.number()), z.record(z.unknown())]) }).strict()).max(50).default([]);

/** What a resident is about to submit, as resident.nearby and resident.join take it. */
const nearbyShape = {
  category: text(LIMITS.category),
  location: z.object({ area: text(40).optional(), address: text(LIMITS.address).optional() }).strict().default({}),
  scene: z.string().regex(/^[\x21-\x7e]{1,32}$/, { message: '二维码场景值不正确' }).optional(),
};

export const api = {
  auth: {
    /** Local runtime only: a demo login by user id, or a refresh of a token. */
    login: a('login', { userId: idSchema }),
    whoami: a('whoami', {}),
    demoUsers: a('demoUsers', {}),
    redeemInvite: a('redeemInvite', { code: inviteCodeSchema, name: text(LIMITS.name) }),
    /** Staff and operators at a desktop PC: account name or phone, password, and the 6-digit TOTP once set up. */
    passwordLogin: a('passwordLogin', { login: z.string().trim().min(1, { message: '请输入账号' }).max(64), password: z.string().min(1, { message: '请输入密码' }).max(128), totp: totpCodeSchema.optional() }),
    /** Starts setting up the authenticator app: a secret and an otpauth:// URI to scan. */
    totpBegin: a('totpBegin', {}),
    totpConfirm: a('totpConfirm', { code: totpCodeSchema }),
    /** Ends the caller's own session (local runtime). */
    logout: a('logout', {}),
    /** The caller's sessions; `revokeSession` ends one of them. */
    sessions: a('sessions', {}),
    revokeSession: a('revokeSession', { sessionId: sessionIdSchema }),
    /** With the one-time code an operator issued: a new password; the second factor is cleared and every session ends. */
    resetPassword: a('resetPassword', { login: z.string().trim().min(1).max(64), code: z.string().trim().toUpperCase().regex(/^[A-Z0-9]{10}$/, { message: '重置码为10位字母或数字' }), password: passwordSchema }),
    /** On the web: an invite code makes a new password account with the invite's role. */
    registerWithInvite: a('registerWithInvite', { code: inviteCodeSchema, name: text(LIMITS.name), login: z.string().trim().min(3).max(32), password: passwordSchema, phone: phoneSchema.optional() }),
    /** Residents on the web: a sign-in code by SMS (rate-limited per number and per address). */
    smsSend: a('smsSend', { phone: phoneSchema }),
    smsLogin: a('smsLogin', { phone: phoneSchema, code: z.string().regex(/^\d{6}$/, { message: '请输入6位短信验证码' }) }),
    /** The weapp against a self-hosted server: the wx.login code, exchanged at WeChat's jscode2session. */
    wxLogin: a('wxLogin', { code: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, { message: '微信登录凭证格式不正确' }) }),
  },
  resident: {
    submit: a('submit', { input: submitInputSchema }),
    get: a('get', { ticketId: idSchema }),
    listMine: a('listMine', { cursor, limit }),
    lookup: a('lookup', { number: z.string().regex(/^[A-Z0-9]{6,24}$/, { message: '诉求编号格式不正确' }), phoneTail: z.string().regex(/^\d{4}$/, { message: '请输入手机号后四位' }) }),
    command: a('command', { command: commandsOf('resident') }),
    kbSearch: a('kbSearch', { text: text(LIMITS.content, 2), category: text(LIMITS.category).optional() }),
    scene: a('scene', { id: z.string().regex(/^[\x21-\x7e]{1,32}$/) }),
    profile: a('profile', {}),
    subscribe: a('subscribe', { accepted: z.array(templateKeySchema).max(7) }),
    /** 附近已有人反映: before submitting, open requests of the same category at the same area, address or QR scene (safe for a stranger). */
    nearby: a('nearby', nearbyShape),
    /** 我也遇到: join one of those as a co-requester instead of submitting; told of its progress and counted. */
    join: a('join', { ticketId: idSchema, ...nearbyShape, confidential: z.boolean().default(false) }),
  },
  staff: {
    inbox: a('inbox', { filter: z.enum(['all', 'toSign', 'inProgress', 'returned', 'extensionPending', 'rework', 'supervised', 'done']).default('all'), filters: ticketFiltersSchema.optional(), cursor, limit }),
    counts: a('counts', {}),
    get: a('get', { ticketId: idSchema }),
    command: a('command', { command: commandsOf('staff') }),
    /** The full number of a non-confidential requester, where the profile allows; the reveal is logged on the ticket (who, when). */
    revealPhone: a('revealPhone', { ticketId: idSchema, expectedVersion: z.number().int().positive().optional() }),
    /** Confidential ticket or the unit complained about: asks the platform to connect a call through the privacy-number port. */
    relayCall: a('relayCall', { ticketId: idSchema, note: text(LIMITS.note), expectedVersion: z.number().int().positive().optional() }),
    credits: a('credits', {}),
    subscribe: a('subscribe', { accepted: z.array(templateKeySchema).max(7) }),
    messages: a('messages', { limit }),
    /** Reply, return and termination templates the platform keeps for units. */
    templates: a('templates', {}),
    /** The knowledge-base articles the caller's unit keeps (linyi 21, hohhot 26, pingli 21), with their review dates and uses. */
    kb: a('kb', {}),
    /** An edit of one of the unit's articles: saved as a pending revision until an operator approves it. */
    proposeKb: a('proposeKb', { articleId: idSchema, ...kbContent }),
  },
  operator: {
    queue: a('queue', { queue: z.enum(['intake', 'dispatch', 'returns', 'extensions', 'results', 'revisit', 'supervision', 'all']), filters: ticketFiltersSchema.optional(), cursor, limit }),
    get: a('get', { ticketId: idSchema }),
    command: a('command', { command: commandsOf('operator') }),
    suggestUnits: a('suggestUnits', { ticketId: idSchema }),
    submit: a('submit', { input: submitInputSchema }),
    messages: a('messages', { limit }),
    /** Notices the outbox gave up on (every attempt failed, or a delivery failed for good), newest first. */
    failedNotices: a('failedNotices', { limit }),
    /** Puts a failed notice back in the outbox, due now. */
    retryNotice: a('retryNotice', { effectId: z.string().regex(/^[A-Za-z0-9_:-]{1,200}$/, { message: '消息编号格式不正确' }) }),
    /** Knowledge-base articles with a unit's edit waiting for review. */
    kbPending: a('kbPending', {}),
    /** Approves (the revision goes live, the review date moves on) or rejects (with a reason the unit reads) a unit's edit. */
    kbReview: a('kbReview', { articleId: idSchema, revisionId: idSchema, approve: z.boolean(), reason: text(LIMITS.reason).optional() }),
    /** Articles past their review date; under linyi 30(5) a supervision item. */
    kbStale: a('kbStale', {}),
    /** Typical cases (linyi 22, anshan 17 and 37, hohhot 34, pingli 23 and 29): drafts and published ones. */
    cases: a('cases', {}),
    /** Writes a typical case from a closed ticket: an anonymised title, summary and result; personal data is refused. */
    putCase: a('putCase', { case: z.object({ id: idSchema.optional(), ticketId: idSchema, title: text(LIMITS.title, 4), summary: text(LIMITS.note, 10), result: text(LIMITS.note, 10) }).strict() }),
    /** Publishes a typical case on the public page, or takes it off. */
    publishCase: a('publishCase', { id: idSchema, published: z.boolean() }),
  },
  stats: {
    figures: a('figures', { ...period, unitId: idSchema.optional() }),
    trend: a('trend', { ...period, unitId: idSchema.optional() }),
    hotspots: a('hotspots', { ...period }),
    repeated: a('repeated', { ...period }),
    /** Collective requests (集中反映): tickets of the period with several distinct requesters (own, merged, joined), most first. */
    collective: a('collective', { ...period }),
    frequentRequesters: a('frequentRequesters', { ...period, min: z.number().int().min(2).max(100).default(3) }),
    exportCsv: a('exportCsv', { kind: z.enum(['tickets', 'figures']), ...period }),
    /** Figures of the period broken down by unit, area, category or channel, each counted from the facts records. */
    rates: a('rates', { ...period, by: z.enum(DIMENSIONS), unitId: idSchema.optional() }),
    /** The tickets behind one figure: `part` 'counted' (the numerator), 'rest' (denominator minus numerator) or 'all'. */
    figureTickets: a('figureTickets', {
      ...period,
      metric: z.enum(METRICS),
      by: z.enum(DIMENSIONS),
      key: z.string().max(100),
      part: z.enum(['counted', 'rest', 'all']).default('all'),
      cursor,
      limit,
    }),
    /**
     * Risk warnings (baiyin 20, hohhot 29): a category, an area, or a category within an area, whose submissions in the week
     * holding `at` (now when absent) exceed `factor` times the median of its previous 8 weeks and
     * reach at least `min`.
     */
    warnings: a('warnings', { at: z.number().int().positive().max(MAX_INSTANT).optional(), factor: z.number().min(1.5).max(20).default(3), min: z.number().int().min(1).max(10_000).default(5) }),
    /**
     * A weekly or monthly 简报: the Shanghai week (Monday to Sunday) or month holding `at` (without
     * it, the last complete one), beside the period before and the same period a year earlier.
     */
    briefing: a('briefing', { kind: z.enum(['week', 'month']), at: z.number().int().positive().max(MAX_INSTANT).optional() }),
    /** The same 简报 as an .xlsx file (base64). */
    briefingXlsx: a('briefingXlsx', { kind: z.enum(['week', 'month']), at: z.number().int().positive().max(MAX_INSTANT).optional() }),
  },
  admin: {
    units: a('units', {}),
    putUnit: a('putUnit', { unit: z.object({ id: idSchema, name: text(60), categories: z.array(text(LIMITS.category)).max(50), areas: z.array(text(40)).max(50), active: z.boolean() }).strict() }),
    /** A one-time invite: staff of a unit (unitId required), or an operator or grid worker. */
    invite: a('invite', { unitId: idSchema.optional(), role: z.enum(['staff', 'operator', 'grid']).default('staff'), days: z.number().int().min(1).max(30).default(7) }),
    /** At most `limit` users (ordered by id) per call; pass the last id as `after` for the next ones. */
    users: a('users', { unitId: idSchema.optional(), after: idSchema.optional(), limit: z.number().int().min(1).max(200).default(100) }),
    /**
     * The people who sign in, with how: account name, second factor on or not, a lock or a reset code
     * in force. At most `limit` per call, ordered by id, from `after` on; residents only when asked.
     */
    accounts: a('accounts', {
      role: z.enum(['staff', 'operator', 'grid', 'resident']).optional(),
      unitId: idSchema.optional(),
      after: idSchema.optional(),
      limit: z.number().int().min(1).max(200).default(100),
    }),
    /** Removes a staff member, grid worker or operator; every session of theirs ends at once. */
    removeUser: a('removeUser', { userId: idSchema }),
    /** A one-time code (24 h) with which the user sets a new password; shown once. */
    resetCode: a('resetCode', { userId: idSchema }),
    sessions: a('sessions', { userId: idSchema }),
    revokeSession: a('revokeSession', { sessionId: sessionIdSchema }),
    /** The sign-in audit log, newest first. */
    audit: a('audit', { userId: idSchema.optional(), before: z.number().int().positive().max(MAX_INSTANT).optional(), limit: z.number().int().min(1).max(200).default(50) }),
    scenes: a('scenes', {}),
    putScene: a('putScene', { scene: z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/), place: text(60), area: text(40).optional(), grid: text(40).optional(), category: text(LIMITS.category).optional() }).strict() }),
    poster: a('poster', { sceneId: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/) }),
    kb: a('kb', {}),
    putKb: a('putKb', { article: z.object({ id: idSchema.optional(), title: text(100), answer: text(LIMITS.content), keywords: z.array(text(20)).max(20), category: text(LIMITS.category).optional(), unitId: idSchema.optional(), reviewDate: dateSchema.optional() }).strict() }),
    deleteKb: a('deleteKb', { id: idSchema }),
    calendar: a('calendar', {}),
    putCalendar: a('putCalendar', { year: z.object({ year: z.number().int().min(2000).max(2100), holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)).max(60), makeUpWorkdays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)).max(20) }).strict() }),
    /** Reads a pasted 国务院办公厅关于YYYY年部分节假日安排的通知 and returns the parsed year for confirmation; writes nothing. */
    parseNotice: a('parseNotice', { text: z.string().min(1).max(20_000) }),
    /** Loads the year of a pasted notice once the operator has confirmed it (`year` must be the parsed year); recomputes provisional deadlines. */
    importNotice: a('importNotice', { text: z.string().min(1).max(20_000), year: z.number().int().min(2000).max(2100) }),
    profile: a('profile', {}),
    contentWords: a('contentWords', {}),
    putContentWords: a('putContentWords', { words: z.array(z.string().trim().min(1).max(40)).max(2000) }),
    setProfile: a('setProfile', { profileId: z.string().regex(/^[a-z][a-z0-9-]*$/), overrides: profileOverrides }),
    /** What `setProfile` with these arguments would change, item by item, against the rules in force; writes nothing. */
    previewProfile: a('previewProfile', { profileId: z.string().regex(/^[a-z][a-z0-9-]*$/), overrides: profileOverrides }),
    /** Reply and refusal templates, all kinds. */
    templates: a('templates', {}),
    putTemplate: a('putTemplate', { template: replyTemplateSchema }),
    deleteTemplate: a('deleteTemplate', { id: idSchema }),
  },
  media: {
    /** CloudBase: after Taro.cloud.uploadFile, registers the file: checks type, size, duration and records the owner. */
    register: a('register', { fileId: fileRefSchema.shape.fileId, durationSec: z.number().nonnegative().max(3600).optional() }),
    /** A short-lived URL: for the owner, an operator, or anyone who can see `ticketId` when the file is attached to it. */
    url: a('url', { fileId: fileRefSchema.shape.fileId, ticketId: idSchema.optional() }),
  },
  timer: {
    run: a('run', {}),
  },
  /** Public disclosure (linyi 22, anshan 17): callable without an account; counts and rates only, never a ticket or a person. */
  public: {
    /** One Shanghai calendar month's figures, for all units and by unit, and the requests by category. */
    monthly: a('monthly', { month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: '月份格式应为“2026-03”' }) }),
    /** The typical cases the operators published, anonymised, newest first. */
    cases: a('cases', {}),
  },
} as const;

export type Api = typeof api;
export type FunctionName = keyof Api;
export const functionNames = Object.keys(api) as FunctionName[];
export type ActionOf<F extends FunctionName> = keyof Api[F] & string;
export type InputOf<F extends FunctionName, A extends ActionOf<F>> = z.input<Api[F][A] extends z.ZodTypeAny ? Api[F][A] : never>;

/** The event schema of one function: a discriminated union of its actions. */
export function eventSchema(name: FunctionName): z.ZodTypeAny {
  const schemas = Object.values(api[name]) as unknown as [z.ZodDiscriminatedUnionOption<'action'>, ...z.ZodDiscriminatedUnionOption<'action'>[]];
  return z.discriminatedUnion('action', schemas);
}

/** A refusal may carry `data` the caller can act on (duplicate-submission: the earlier ticket's `ticketId` and `number`). */
export type ApiResult<T> = { ok: true; data: T } | { ok: false; code: string; message: string; issues?: { path: string; message: string }[]; data?: Record<string, string> };

/** A profile as residents see it: the numbers they are told. */
export const publicProfileSchema = profileSchema.pick({ id: true, regulation: true, place: true, platformName: true, rating: true, rework: true, withdrawal: true });
export { spanSchema };
