/**
 * The one API client. Inputs are checked with the shared zod contracts before they leave the
 * device; failures come back as ApiError with the backend's code and Chinese message.
 * Transport (callFunction on weapp, HTTP on h5) is the platform module's business.
 */
import { api, type ActionOf, type FunctionName, type InputOf } from '@shared/contracts/api';
import { ERROR_MESSAGES } from '@shared/errors';
import type { FileRef } from '@shared/contracts/common';
import type { SubmitInput } from '@shared/contracts/commands';
import * as platform from '../platform';
import type {
  DemoUser, KbArticle, PageOf, PublicProfile, ResidentCommandType, SceneInfo, SessionUser, StoredFile, SubmitResult, TemplateKey, TicketDetail, TicketView,
} from './types';

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly issues: { path: string; message: string }[] = [],
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
  throw new ApiError(code, message, issues);
}

/** resident.get / lookup: the server's `actions` become `allowed`. */
function detailOf(data: unknown): TicketDetail {
  const d = data as TicketDetail & { actions?: ResidentCommandType[] };
  return { ...d, allowed: d.allowed ?? d.actions };
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

/** A URL to show a stored file (temporary on CloudBase, so cached briefly). */
export async function fileUrl(fileId: string): Promise<string> {
  const hit = urlCache.get(fileId);
  if (hit && Date.now() - hit.at < URL_TTL) return hit.url;
  const { url } = await call<{ url: string }, 'media', 'url'>('media', 'url', { fileId });
  urlCache.set(fileId, { url, at: Date.now() });
  return url;
}

// ---- typed actions ----------------------------------------------------------------------------

export const authApi = {
  demoUsers: () => call<DemoUser[], 'auth', 'demoUsers'>('auth', 'demoUsers', {}),
  login: (userId: string) => call<{ token: string; user: SessionUser }, 'auth', 'login'>('auth', 'login', { userId }),
  whoami: () => call<SessionUser, 'auth', 'whoami'>('auth', 'whoami', {}),
};

export const residentApi = {
  profile: () => call<PublicProfile, 'resident', 'profile'>('resident', 'profile', {}),
  scene: (id: string) => call<SceneInfo, 'resident', 'scene'>('resident', 'scene', { id }),
  kbSearch: (text: string, category?: string) =>
    call<KbArticle[], 'resident', 'kbSearch'>('resident', 'kbSearch', { text, ...(category ? { category } : {}) }),
  submit: (input: SubmitInput | Record<string, unknown>) => call<SubmitResult, 'resident', 'submit'>('resident', 'submit', { input: input as SubmitInput }),
  get: async (ticketId: string) => detailOf(await call<unknown, 'resident', 'get'>('resident', 'get', { ticketId })),
  listMine: async (cursor?: string | null, limit = 20) =>
    pageOf<TicketView>(await call<unknown, 'resident', 'listMine'>('resident', 'listMine', { cursor: cursor ?? null, limit })),
  lookup: async (number: string, phoneTail: string) => detailOf(await call<unknown, 'resident', 'lookup'>('resident', 'lookup', { number, phoneTail })),
  command: (command: { type: ResidentCommandType; ticketId: string; expectedVersion?: number } & Record<string, unknown>) =>
    call<TicketDetail | { ticket: TicketView }, 'resident', 'command'>('resident', 'command', { command } as never),
  subscribe: (accepted: TemplateKey[]) => call<unknown, 'resident', 'subscribe'>('resident', 'subscribe', { accepted }),
};
