/**
 * The one API client. Inputs are checked with the shared zod contracts before they leave the
 * device; failures come back as ApiError with the backend's code and Chinese message.
 * Transport (callFunction on weapp, HTTP on h5) is the platform module's business.
 */
import { api, type ActionOf, type FunctionName, type InputOf } from '@shared/contracts/api';
import { ERROR_MESSAGES } from '@shared/errors';
import type { FileRef } from '@shared/contracts/common';
import type { SubmitInput } from '@shared/contracts/commands';
import type { ReplyTemplate, ReplyTemplateInput } from '@shared/contracts/templates';
import type { Briefing } from '@shared/contracts/responses/stats';
import * as platform from '../platform';
import type {
  DemoUser, InboxCounts, InboxFilter, InboxPage, KbArticle, PageOf, PublicProfile, ReminderCredits, ResidentCommandType, SceneInfo, SessionUser, StaffCommandType,
  StaffMessage, StaffTicketDetail, StoredFile, SubmitResult, TemplateKey, TicketDetail, TicketView,
} from './types';
import type {
  AccountRow, AuthAuditEntry, SessionView, CalendarInfo, ParsedNoticeView, DeliveryView, DirectoryUser, FrequentRequester, Hotspots, InviteView, KbRecord, OperatorCommandType, OperatorDetail, OperatorQueueId,
  Poster, ProfileInfo, ProfilePreview, QueueItem, TicketListItem, RepeatedRequest, RiskWarning, FigureTicket, MonthlyDisclosure, SceneRecord, StatsPeriod, SuggestedUnit, TrendWeek, UnitFigures, UnitRecord,
} from './types';

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly issues: { path: string; message: string }[] = [],
    /** What the server sent with the refusal (duplicate-submission: the earlier `ticketId`, `number`). */
    readonly data: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The Chinese text for any error thrown by the client or the platform. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError || err instanceof platform.PlatformError) return err.message;
  const code = (err as { code?: string })?.code;
  if (code && code in ERROR_MESSAGES) return ERROR_MESSAGES[code as keyof typeof ERROR_MESSAGES];
  return ERROR_MESSAGES.internal;
}

export function errorCode(err: unknown): string {
  return (err as { code?: string })?.code ?? 'internal';
}

type AuthListener = () => void;
const authListeners = new Set<AuthListener>();
/** Hears when the server no longer accepts the session (h5 token expired). */
export function onAuthLost(l: AuthListener): () => void {
  authListeners.add(l);
  return () => authListeners.delete(l);
}

type Args<F extends FunctionName, A extends ActionOf<F>> = Omit<InputOf<F, A>, 'action'>;

export async function call<T, F extends FunctionName, A extends ActionOf<F>>(name: F, action: A, args: Args<F, A>): Promise<T> {
  const schema = (api[name] as Record<string, { safeParse(v: unknown): { success: boolean; data?: unknown; error?: { issues: { path: (string | number)[]; message: string }[] } } }>)[action];
  const parsed = schema.safeParse({ action, ...(args as object) });
  if (!parsed.success) {
    const issues = (parsed.error?.issues ?? []).map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new ApiError('invalid-input', issues[0]?.message ?? ERROR_MESSAGES['invalid-input'], issues);
  }
  let envelope: platform.Envelope;
  try {
    envelope = await platform.callFunction(name, parsed.data as Record<string, unknown>);
  } catch (err) {
    if (err instanceof platform.PlatformError) throw new ApiError(err.code, err.message);
    throw new ApiError('network', '网络不可用，请检查网络后重试');
  }
  if (envelope.ok) return envelope.data as T;
  const code = envelope.code || 'internal';
  if (code === 'token-invalid' || code === 'unauthenticated') authListeners.forEach((l) => l());
  const message = envelope.message || (ERROR_MESSAGES as Record<string, string>)[code] || ERROR_MESSAGES.internal;
  const issues = Array.isArray(envelope.issues) ? (envelope.issues as { path: string; message: string }[]) : [];
  const data = envelope.data && typeof envelope.data === 'object' ? (envelope.data as Record<string, string>) : {};
  throw new ApiError(code, message, issues, data);
}

/** resident.get / lookup (lookup carries no `actions`: the app falls back to the shared rules). */
function detailOf(data: unknown): TicketDetail {
  return data as TicketDetail;
}

function pageOf<T>(data: unknown): PageOf<T> {
  if (Array.isArray(data)) return { items: data as T[], next: null };
  const d = (data ?? {}) as { items?: T[]; next?: string | null; nextCursor?: string | null };
  return { items: d.items ?? [], next: d.next ?? d.nextCursor ?? null };
}

// ---- uploads ----------------------------------------------------------------------------------

export interface Upload {
  done: Promise<FileRef>;
  abort(): void;
}

/** Stores one file: progress from 0 to 1, then a FileRef the submit input can carry. */
export function uploadMedia(file: platform.LocalFile, onProgress: (fraction: number) => void): Upload {
  const handle = platform.uploadFile(file, (f) => onProgress(platform.uploadNeedsRegister ? f * 0.95 : f));
  const done = (async (): Promise<FileRef> => {
    let stored: { fileId: string; kind?: StoredFile['kind']; durationSec?: number };
    try {
      stored = await handle.done;
    } catch (err) {
      if (err instanceof platform.PlatformError) throw new ApiError(err.code, err.message);
      throw err;
    }
    if (platform.uploadNeedsRegister) {
      const reg = await call<StoredFile, 'media', 'register'>('media', 'register', {
        fileId: stored.fileId,
        ...(file.durationSec !== undefined ? { durationSec: file.durationSec } : {}),
      });
      stored = { ...stored, ...reg };
      onProgress(1);
    }
    const durationSec = stored.durationSec ?? file.durationSec;
    return { fileId: stored.fileId, kind: stored.kind ?? file.kind, ...(durationSec !== undefined && file.kind !== 'image' ? { durationSec } : {}) };
  })();
  return { done, abort: handle.abort };
}

const urlCache = new Map<string, { url: string; at: number }>();
const URL_TTL = 10 * 60 * 1000;

/**
 * A URL to show a stored file (temporary on CloudBase, so cached briefly). A file someone else
 * attached (the requester's photos for a unit, a unit's reply for the requester) needs the ticket it is on.
 */
export async function fileUrl(fileId: string, ticketId?: string): Promise<string> {
  const hit = urlCache.get(fileId);
  if (hit && Date.now() - hit.at < URL_TTL) return hit.url;
  const { url } = await call<{ url: string }, 'media', 'url'>('media', 'url', { fileId, ...(ticketId ? { ticketId } : {}) });
  urlCache.set(fileId, { url, at: Date.now() });
  return url;
}

// ---- typed actions ----------------------------------------------------------------------------

export const authApi = {
  demoUsers: () => call<DemoUser[], 'auth', 'demoUsers'>('auth', 'demoUsers', {}),
  login: (userId: string) => call<{ token: string; user: SessionUser }, 'auth', 'login'>('auth', 'login', { userId }),
  whoami: () => call<SessionUser, 'auth', 'whoami'>('auth', 'whoami', {}),
  passwordLogin: (login: string, password: string, totp?: string) =>
    call<SignedIn, 'auth', 'passwordLogin'>('auth', 'passwordLogin', { login, password, ...(totp ? { totp } : {}) }),
  totpBegin: () => call<{ secret: string; uri: string }, 'auth', 'totpBegin'>('auth', 'totpBegin', {}),
  totpConfirm: (code: string) => call<{ enabled: boolean }, 'auth', 'totpConfirm'>('auth', 'totpConfirm', { code }),
  smsSend: (phone: string) => call<{ sent: boolean; resendInSec: number }, 'auth', 'smsSend'>('auth', 'smsSend', { phone }),
  smsLogin: (phone: string, code: string) => call<SignedIn, 'auth', 'smsLogin'>('auth', 'smsLogin', { phone, code }),
  registerWithInvite: (input: { code: string; name: string; login: string; password: string; phone?: string }) =>
    call<SignedIn, 'auth', 'registerWithInvite'>('auth', 'registerWithInvite', input),
  resetPassword: (login: string, code: string, password: string) =>
    call<{ reset: boolean }, 'auth', 'resetPassword'>('auth', 'resetPassword', { login, code, password }),
  wxLogin: (code: string) => call<SignedIn, 'auth', 'wxLogin'>('auth', 'wxLogin', { code }),
  logout: () => call<{ loggedOut: boolean }, 'auth', 'logout'>('auth', 'logout', {}),
};

/** A sign-in's answer: the session token, who, and whether the second factor must be set up first. */
export interface SignedIn {
  token: string;
  user: SessionUser;
  totpEnrolment?: boolean;
}

export const residentApi = {
  profile: () => call<PublicProfile, 'resident', 'profile'>('resident', 'profile', {}),
  scene: (id: string) => call<SceneInfo, 'resident', 'scene'>('resident', 'scene', { id }),
  kbSearch: (text: string, category?: string) =>
    call<KbArticle[], 'resident', 'kbSearch'>('resident', 'kbSearch', { text, ...(category ? { category } : {}) }),
  submit: (input: SubmitInput | Record<string, unknown>) => call<SubmitResult, 'resident', 'submit'>('resident', 'submit', { input: input as SubmitInput }),
  get: async (ticketId: string) => detailOf(await call<unknown, 'resident', 'get'>('resident', 'get', { ticketId })),
  listMine: async (cursor?: string | null, limit = 20) =>
    pageOf<TicketListItem>(await call<unknown, 'resident', 'listMine'>('resident', 'listMine', { cursor: cursor ?? null, limit })),
  lookup: async (number: string, phoneTail: string) => detailOf(await call<unknown, 'resident', 'lookup'>('resident', 'lookup', { number, phoneTail })),
  command: (command: { type: ResidentCommandType; ticketId: string; expectedVersion?: number } & Record<string, unknown>) =>
    call<TicketDetail | { ticket: TicketView }, 'resident', 'command'>('resident', 'command', { command } as never),
  subscribe: (accepted: TemplateKey[]) => call<unknown, 'resident', 'subscribe'>('resident', 'subscribe', { accepted }),
};

// ---- platform operators -------------------------------------------------------------------------

export type OperatorCommand = { type: OperatorCommandType; ticketId: string; expectedVersion?: number } & Record<string, unknown>;

export const operatorApi = {
  queue: async (queue: OperatorQueueId, cursor?: string | null, limit = 50) =>
    pageOf<QueueItem>(await call<unknown, 'operator', 'queue'>('operator', 'queue', { queue, cursor: cursor ?? null, limit })),
  get: (ticketId: string) => call<OperatorDetail, 'operator', 'get'>('operator', 'get', { ticketId }),
  /** From 1 November while next year's holidays are not loaded (operator.queue's calendarWarning), else null. */
  calendarWarning: async () =>
    ((await call<unknown, 'operator', 'queue'>('operator', 'queue', { queue: 'all', cursor: null, limit: 1 })) as { calendarWarning?: CalendarInfo['warning'] }).calendarWarning ?? null,
  command: (command: OperatorCommand) =>
    call<{ ticket: TicketView; event: { seq: number; type: string; to: string } }, 'operator', 'command'>('operator', 'command', { command } as never),
  suggestUnits: (ticketId: string) => call<SuggestedUnit[], 'operator', 'suggestUnits'>('operator', 'suggestUnits', { ticketId }),
  submit: (input: SubmitInput | Record<string, unknown>) => call<SubmitResult, 'operator', 'submit'>('operator', 'submit', { input: input as SubmitInput }),
  messages: (limit = 50) => call<DeliveryView[], 'operator', 'messages'>('operator', 'messages', { limit }),
};

export const statsApi = {
  figures: (p: StatsPeriod) => call<UnitFigures[], 'stats', 'figures'>('stats', 'figures', p),
  trend: (p: StatsPeriod) => call<TrendWeek[], 'stats', 'trend'>('stats', 'trend', p),
  hotspots: (p: StatsPeriod) => call<Hotspots, 'stats', 'hotspots'>('stats', 'hotspots', { from: p.from, to: p.to }),
  repeated: (p: StatsPeriod) => call<RepeatedRequest[], 'stats', 'repeated'>('stats', 'repeated', { from: p.from, to: p.to }),
  frequentRequesters: (p: StatsPeriod, min = 3) =>
    call<FrequentRequester[], 'stats', 'frequentRequesters'>('stats', 'frequentRequesters', { from: p.from, to: p.to, min }),
  exportCsv: (kind: 'tickets' | 'figures', p: StatsPeriod) =>
    call<{ filename: string; csv: string }, 'stats', 'exportCsv'>('stats', 'exportCsv', { kind, from: p.from, to: p.to }),
  /** The weekly or monthly 简报 (the last complete week or month when `at` is left out). */
  briefing: (kind: 'week' | 'month', at?: number) => call<Briefing, 'stats', 'briefing'>('stats', 'briefing', at === undefined ? { kind } : { kind, at }),
  briefingXlsx: (kind: 'week' | 'month', at?: number) =>
    call<{ filename: string; base64: string }, 'stats', 'briefingXlsx'>('stats', 'briefingXlsx', at === undefined ? { kind } : { kind, at }),
  warnings: (at?: number) => call<RiskWarning[], 'stats', 'warnings'>('stats', 'warnings', at === undefined ? {} : { at }),
  /** The tickets behind a figure: `part` counted (the numerator), rest (the others of the denominator) or all. */
  figureTickets: async (q: { from: number; to: number; metric: 'response' | 'resolution' | 'satisfaction' | 'onTime'; by: 'all' | 'unit'; key: string; part: 'counted' | 'rest' | 'all'; cursor?: string | null; limit?: number }) =>
    pageOf<FigureTicket>(await call<unknown, 'stats', 'figureTickets'>('stats', 'figureTickets', { ...q, cursor: q.cursor ?? null, limit: q.limit ?? 20 })),
};

/** Public disclosure: no account needed. */
export const publicApi = {
  monthly: (month: string) => call<MonthlyDisclosure, 'public', 'monthly'>('public', 'monthly', { month }),
};

export const adminApi = {
  units: () => call<UnitRecord[], 'admin', 'units'>('admin', 'units', {}),
  putUnit: (unit: UnitRecord) => call<UnitRecord, 'admin', 'putUnit'>('admin', 'putUnit', { unit }),
  invite: (role: 'staff' | 'operator' | 'grid', unitId: string | undefined, days = 7) =>
    call<InviteView, 'admin', 'invite'>('admin', 'invite', { role, days, ...(unitId ? { unitId } : {}) }),
  users: (unitId?: string) => call<DirectoryUser[], 'admin', 'users'>('admin', 'users', unitId ? { unitId } : {}),
  accounts: (after?: string, limit = 100) => call<AccountRow[], 'admin', 'accounts'>('admin', 'accounts', { limit, ...(after ? { after } : {}) }),
  removeUser: (userId: string) => call<{ removed: string; sessionsEnded: number }, 'admin', 'removeUser'>('admin', 'removeUser', { userId }),
  resetCode: (userId: string) => call<{ code: string; login: string; expiresAt: number }, 'admin', 'resetCode'>('admin', 'resetCode', { userId }),
  sessions: (userId: string) => call<SessionView[], 'admin', 'sessions'>('admin', 'sessions', { userId }),
  revokeSession: (sessionId: string) => call<{ revoked: boolean }, 'admin', 'revokeSession'>('admin', 'revokeSession', { sessionId }),
  audit: (opts: { userId?: string; before?: number; limit?: number } = {}) =>
    call<AuthAuditEntry[], 'admin', 'audit'>('admin', 'audit', { limit: opts.limit ?? 50, ...(opts.userId ? { userId: opts.userId } : {}), ...(opts.before ? { before: opts.before } : {}) }),
  scenes: () => call<SceneRecord[], 'admin', 'scenes'>('admin', 'scenes', {}),
  putScene: (scene: Omit<SceneRecord, 'createdAt'>) => call<SceneRecord, 'admin', 'putScene'>('admin', 'putScene', { scene }),
  poster: (sceneId: string) => call<Poster, 'admin', 'poster'>('admin', 'poster', { sceneId }),
  kb: () => call<KbRecord[], 'admin', 'kb'>('admin', 'kb', {}),
  putKb: (article: Omit<KbRecord, 'updatedAt' | 'id'> & { id?: string }) => call<KbRecord, 'admin', 'putKb'>('admin', 'putKb', { article }),
  deleteKb: (id: string) => call<{ id: string }, 'admin', 'deleteKb'>('admin', 'deleteKb', { id }),
  calendar: () => call<CalendarInfo, 'admin', 'calendar'>('admin', 'calendar', {}),
  putCalendar: (year: { year: number; holidays: string[]; makeUpWorkdays: string[] }) =>
    call<{ year: number; holidays: number; makeUpWorkdays: number }, 'admin', 'putCalendar'>('admin', 'putCalendar', { year }),
  parseNotice: (text: string) => call<ParsedNoticeView, 'admin', 'parseNotice'>('admin', 'parseNotice', { text }),
  importNotice: (text: string, year: number) =>
    call<{ year: number; holidays: number; makeUpWorkdays: number; recomputed: number }, 'admin', 'importNotice'>('admin', 'importNotice', { text, year }),
  profile: () => call<ProfileInfo, 'admin', 'profile'>('admin', 'profile', {}),
  setProfile: (profileId: string, overrides: { path: string; value: number | string | number[] | Record<string, unknown> }[] = []) =>
    call<{ id: string; regulation: string; rev: number; appliesTo: 'new-tickets' }, 'admin', 'setProfile'>('admin', 'setProfile', { profileId, overrides }),
  previewProfile: (profileId: string, overrides: { path: string; value: number }[] = []) =>
    call<ProfilePreview, 'admin', 'previewProfile'>('admin', 'previewProfile', { profileId, overrides }),
  templates: () => call<ReplyTemplate[], 'admin', 'templates'>('admin', 'templates', {}),
  putTemplate: (template: ReplyTemplateInput) => call<ReplyTemplate, 'admin', 'putTemplate'>('admin', 'putTemplate', { template }),
  deleteTemplate: (id: string) => call<{ id: string }, 'admin', 'deleteTemplate'>('admin', 'deleteTemplate', { id }),
};

/** A staff command: the fields of one of the shared staff command schemas. */
export type StaffCommand = { type: StaffCommandType; ticketId: string; expectedVersion?: number } & Record<string, unknown>;

export const staffApi = {
  /** Binds the signed-in user to a unit with an operator's invite code. */
  redeemInvite: (code: string, name: string) => call<SessionUser & { unitName?: string }, 'auth', 'redeemInvite'>('auth', 'redeemInvite', { code, name }),
  inbox: (filter: InboxFilter, cursor?: string | null, limit = 20) => call<InboxPage, 'staff', 'inbox'>('staff', 'inbox', { filter, cursor: cursor ?? null, limit }),
  counts: () => call<InboxCounts, 'staff', 'counts'>('staff', 'counts', {}),
  get: (ticketId: string) => call<StaffTicketDetail, 'staff', 'get'>('staff', 'get', { ticketId }),
  command: (command: StaffCommand) => call<{ ticket: TicketView }, 'staff', 'command'>('staff', 'command', { command } as never),
  /** The full number of a non-confidential requester; the server logs the reveal. */
  revealPhone: (ticketId: string, expectedVersion?: number) => call<{ phone: string; revealedAt: number; version: number }, 'staff', 'revealPhone'>('staff', 'revealPhone', { ticketId, ...(expectedVersion ? { expectedVersion } : {}) }),
  /** Asks the platform to connect a call (privacy-number port); the number never comes back. */
  relayCall: (ticketId: string, note: string, expectedVersion?: number) =>
    call<{ binding: { port: 'operator' } | { port: 'axb'; middleNumber: string; expiresAt: number }; version: number }, 'staff', 'relayCall'>('staff', 'relayCall', { ticketId, note, ...(expectedVersion ? { expectedVersion } : {}) }),
  credits: () => call<ReminderCredits, 'staff', 'credits'>('staff', 'credits', {}),
  subscribe: (accepted: TemplateKey[]) => call<ReminderCredits, 'staff', 'subscribe'>('staff', 'subscribe', { accepted }),
  messages: (limit = 50) => call<StaffMessage[], 'staff', 'messages'>('staff', 'messages', { limit }),
  templates: () => call<ReplyTemplate[], 'staff', 'templates'>('staff', 'templates', {}),
};
