/**
 * The one API client. Inputs are checked with the shared zod contracts before they leave the
 * device; failures come back as ApiError with the backend's code and Chinese message.
 * Transport (callFunction on weapp, HTTP on h5) is the platform module's business.
 */
import type { ActionOf, FunctionName, InputOf } from '@shared/contracts/api';
import { ERROR_MESSAGES } from '@shared/errors';
import type { z } from 'zod';
import type { responses } from '@shared/contracts/responses';
import type { FileRef } from '@shared/contracts/common';
import type { SubmitInput } from '@shared/contracts/commands';
import type { ReplyTemplateInput } from '@shared/contracts/templates';
import * as platform from '../platform';
import { contracts } from './contracts';
import type {
  InboxFilter, PageOf, ResidentCommandType, SessionUser, StaffCommandType, TemplateKey, TicketDetail,
  CalendarInfo, KbRecord, OperatorCommandType, OperatorQueueId, QueueItem, TicketListItem, FigureTicket, SceneRecord, StatsPeriod, StoredFile, UnitRecord,
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

/** What `name.action` answers: inferred from its strict schema in shared/contracts/responses. */
export type ResponseOf<F extends FunctionName, A extends ActionOf<F>> = (typeof responses)[F] extends infer R ? (A extends keyof R ? (R[A] extends z.ZodTypeAny ? z.infer<R[A]> : never) : never) : never;

export async function call<F extends FunctionName, A extends ActionOf<F>>(name: F, action: A, args: Args<F, A>): Promise<ResponseOf<F, A>> {
  let api: Awaited<ReturnType<typeof contracts>>['api'];
  try {
    ({ api } = await contracts());
  } catch {
    throw new ApiError('network', '网络不可用，请检查网络后重试');
  }
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
  if (envelope.ok) return envelope.data as ResponseOf<F, A>;
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
      const reg = await call('media', 'register', {
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
  const { url } = await call('media', 'url', { fileId, ...(ticketId ? { ticketId } : {}) });
  urlCache.set(fileId, { url, at: Date.now() });
  return url;
}

// ---- typed actions ----------------------------------------------------------------------------

export const authApi = {
  demoUsers: () => call('auth', 'demoUsers', {}),
  login: (userId: string) => call('auth', 'login', { userId }),
  whoami: () => call('auth', 'whoami', {}),
  passwordLogin: (login: string, password: string, totp?: string) =>
    call('auth', 'passwordLogin', { login, password, ...(totp ? { totp } : {}) }),
  totpBegin: () => call('auth', 'totpBegin', {}),
  totpConfirm: (code: string) => call('auth', 'totpConfirm', { code }),
  smsSend: (phone: string) => call('auth', 'smsSend', { phone }),
  smsLogin: (phone: string, code: string) => call('auth', 'smsLogin', { phone, code }),
  registerWithInvite: (input: { code: string; name: string; login: string; password: string; phone?: string }) =>
    call('auth', 'registerWithInvite', input),
  resetPassword: (login: string, code: string, password: string) =>
    call('auth', 'resetPassword', { login, code, password }),
  wxLogin: (code: string) => call('auth', 'wxLogin', { code }),
  logout: () => call('auth', 'logout', {}),
};

/** A sign-in's answer: the session token, who, and whether the second factor must be set up first. */
export interface SignedIn {
  token: string;
  user: SessionUser;
  totpEnrolment?: boolean;
}

export const residentApi = {
  profile: () => call('resident', 'profile', {}),
  scene: (id: string) => call('resident', 'scene', { id }),
  kbSearch: (text: string, category?: string) =>
    call('resident', 'kbSearch', { text, ...(category ? { category } : {}) }),
  submit: (input: SubmitInput | Record<string, unknown>) => call('resident', 'submit', { input: input as SubmitInput }),
  get: async (ticketId: string) => detailOf(await call('resident', 'get', { ticketId })),
  listMine: async (cursor?: string | null, limit = 20) =>
    pageOf<TicketListItem>(await call('resident', 'listMine', { cursor: cursor ?? null, limit })),
  lookup: async (number: string, phoneTail: string) => detailOf(await call('resident', 'lookup', { number, phoneTail })),
  command: (command: { type: ResidentCommandType; ticketId: string; expectedVersion?: number } & Record<string, unknown>) =>
    call('resident', 'command', { command } as never),
  subscribe: (accepted: TemplateKey[]) => call('resident', 'subscribe', { accepted }),
  /** 附近已有人反映: open requests of the same category at the same place. */
  nearby: (q: NearbyQuery) => call('resident', 'nearby', q),
  /** 我也遇到: join one of them as a co-requester. */
  join: (ticketId: string, q: NearbyQuery, confidential: boolean) => call('resident', 'join', { ticketId, ...q, confidential }),
};

/** What 附近已有人反映 is asked about: the category and the place of the form. */
export interface NearbyQuery {
  category: string;
  location: { area?: string; address?: string };
  scene?: string;
}

// ---- platform operators -------------------------------------------------------------------------

export type OperatorCommand = { type: OperatorCommandType; ticketId: string; expectedVersion?: number } & Record<string, unknown>;

export const operatorApi = {
  queue: async (queue: OperatorQueueId, cursor?: string | null, limit = 50) =>
    pageOf<QueueItem>(await call('operator', 'queue', { queue, cursor: cursor ?? null, limit })),
  get: (ticketId: string) => call('operator', 'get', { ticketId }),
  /** Open tickets of a category (and area): the candidates of 关联 / 合并. */
  sameMatter: async (category: string, area?: string) =>
    pageOf<QueueItem>(await call('operator', 'queue', { queue: 'all', filters: { category, ...(area ? { area } : {}) }, cursor: null, limit: 20 })),
  /** From 1 November while next year's holidays are not loaded (operator.queue's calendarWarning), else null. */
  calendarWarning: async () =>
    ((await call('operator', 'queue', { queue: 'all', cursor: null, limit: 1 })) as { calendarWarning?: CalendarInfo['warning'] }).calendarWarning ?? null,
  command: (command: OperatorCommand) =>
    call('operator', 'command', { command } as never),
  suggestUnits: (ticketId: string) => call('operator', 'suggestUnits', { ticketId }),
  submit: (input: SubmitInput | Record<string, unknown>) => call('operator', 'submit', { input: input as SubmitInput }),
  messages: (limit = 50) => call('operator', 'messages', { limit }),
};

export const statsApi = {
  figures: (p: StatsPeriod) => call('stats', 'figures', p),
  trend: (p: StatsPeriod) => call('stats', 'trend', p),
  hotspots: (p: StatsPeriod) => call('stats', 'hotspots', { from: p.from, to: p.to }),
  repeated: (p: StatsPeriod) => call('stats', 'repeated', { from: p.from, to: p.to }),
  collective: (p: StatsPeriod) => call('stats', 'collective', { from: p.from, to: p.to }),
  frequentRequesters: (p: StatsPeriod, min = 3) =>
    call('stats', 'frequentRequesters', { from: p.from, to: p.to, min }),
  exportCsv: (kind: 'tickets' | 'figures', p: StatsPeriod) =>
    call('stats', 'exportCsv', { kind, from: p.from, to: p.to }),
  /** The weekly or monthly 简报 (the last complete week or month when `at` is left out). */
  briefing: (kind: 'week' | 'month', at?: number) => call('stats', 'briefing', at === undefined ? { kind } : { kind, at }),
  briefingXlsx: (kind: 'week' | 'month', at?: number) =>
    call('stats', 'briefingXlsx', at === undefined ? { kind } : { kind, at }),
  warnings: (at?: number) => call('stats', 'warnings', at === undefined ? {} : { at }),
  /** The tickets behind a figure: `part` counted (the numerator), rest (the others of the denominator) or all. */
  figureTickets: async (q: { from: number; to: number; metric: 'response' | 'resolution' | 'satisfaction' | 'onTime'; by: 'all' | 'unit'; key: string; part: 'counted' | 'rest' | 'all'; cursor?: string | null; limit?: number }) =>
    pageOf<FigureTicket>(await call('stats', 'figureTickets', { ...q, cursor: q.cursor ?? null, limit: q.limit ?? 20 })),
};

/** Public disclosure: no account needed. */
export const publicApi = {
  monthly: (month: string) => call('public', 'monthly', { month }),
};

export const adminApi = {
  units: () => call('admin', 'units', {}),
  putUnit: (unit: UnitRecord) => call('admin', 'putUnit', { unit }),
  invite: (role: 'staff' | 'operator' | 'grid', unitId: string | undefined, days = 7) =>
    call('admin', 'invite', { role, days, ...(unitId ? { unitId } : {}) }),
  users: (unitId?: string) => call('admin', 'users', unitId ? { unitId } : {}),
  accounts: (after?: string, limit = 100) => call('admin', 'accounts', { limit, ...(after ? { after } : {}) }),
  removeUser: (userId: string) => call('admin', 'removeUser', { userId }),
  resetCode: (userId: string) => call('admin', 'resetCode', { userId }),
  sessions: (userId: string) => call('admin', 'sessions', { userId }),
  revokeSession: (sessionId: string) => call('admin', 'revokeSession', { sessionId }),
  audit: (opts: { userId?: string; before?: number; limit?: number } = {}) =>
    call('admin', 'audit', { limit: opts.limit ?? 50, ...(opts.userId ? { userId: opts.userId } : {}), ...(opts.before ? { before: opts.before } : {}) }),
  scenes: () => call('admin', 'scenes', {}),
  putScene: (scene: Omit<SceneRecord, 'createdAt'>) => call('admin', 'putScene', { scene }),
  poster: (sceneId: string) => call('admin', 'poster', { sceneId }),
  kb: () => call('admin', 'kb', {}),
  putKb: (article: Pick<KbRecord, 'title' | 'answer' | 'keywords' | 'category' | 'unitId'> & { id?: string; reviewDate?: string }) => call('admin', 'putKb', { article }),
  deleteKb: (id: string) => call('admin', 'deleteKb', { id }),
  calendar: () => call('admin', 'calendar', {}),
  putCalendar: (year: { year: number; holidays: string[]; makeUpWorkdays: string[] }) =>
    call('admin', 'putCalendar', { year }),
  parseNotice: (text: string) => call('admin', 'parseNotice', { text }),
  importNotice: (text: string, year: number) =>
    call('admin', 'importNotice', { text, year }),
  profile: () => call('admin', 'profile', {}),
  setProfile: (profileId: string, overrides: { path: string; value: number | string | number[] | Record<string, unknown> }[] = []) =>
    call('admin', 'setProfile', { profileId, overrides }),
  previewProfile: (profileId: string, overrides: { path: string; value: number }[] = []) =>
    call('admin', 'previewProfile', { profileId, overrides }),
  templates: () => call('admin', 'templates', {}),
  putTemplate: (template: ReplyTemplateInput) => call('admin', 'putTemplate', { template }),
  deleteTemplate: (id: string) => call('admin', 'deleteTemplate', { id }),
};

/** A staff command: the fields of one of the shared staff command schemas. */
export type StaffCommand = { type: StaffCommandType; ticketId: string; expectedVersion?: number } & Record<string, unknown>;

export const staffApi = {
  /** Binds the signed-in user to a unit with an operator's invite code. */
  redeemInvite: (code: string, name: string) => call('auth', 'redeemInvite', { code, name }),
  inbox: (filter: InboxFilter, cursor?: string | null, limit = 20) => call('staff', 'inbox', { filter, cursor: cursor ?? null, limit }),
  counts: () => call('staff', 'counts', {}),
  get: (ticketId: string) => call('staff', 'get', { ticketId }),
  command: (command: StaffCommand) => call('staff', 'command', { command } as never),
  /** The full number of a non-confidential requester; the server logs the reveal. */
  revealPhone: (ticketId: string, expectedVersion?: number) => call('staff', 'revealPhone', { ticketId, ...(expectedVersion ? { expectedVersion } : {}) }),
  /** Asks the platform to connect a call (privacy-number port); the number never comes back. */
  relayCall: (ticketId: string, note: string, expectedVersion?: number) =>
    call('staff', 'relayCall', { ticketId, note, ...(expectedVersion ? { expectedVersion } : {}) }),
  credits: () => call('staff', 'credits', {}),
  subscribe: (accepted: TemplateKey[]) => call('staff', 'subscribe', { accepted }),
  messages: (limit = 50) => call('staff', 'messages', { limit }),
  templates: () => call('staff', 'templates', {}),
};
