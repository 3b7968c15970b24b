import type { AuthSettings } from './accounts';
import type { Clock, ContentChecker, DirectoryStore, FileStore, IdGenerator, Notifier, TicketStore } from '../../shared/ports';

/** Abuse protection (baiyin 29, linyi 12/46): configurable, each refusal with a Chinese message. */
export interface Limits {
  /** Submissions one user may make per hour. */
  submissionsPerHour: number;
  /** Identical content from one user within this window is refused as a duplicate. */
  duplicateWindowMs: number;
  /** Look-ups (ticket number + phone tail) one caller may try per window. */
  lookupsPerWindow: number;
  lookupWindowMs: number;
}

export const DEFAULT_LIMITS: Limits = {
  submissionsPerHour: 20,
  duplicateWindowMs: 24 * 3_600_000,
  lookupsPerWindow: 10,
  lookupWindowMs: 10 * 60_000,
};

/** Everything a function needs; chosen once at start-up by `cloudfunctions/lib/adapters.ts`. */
export interface Deps {
  store: TicketStore;
  directory: DirectoryStore;
  files: FileStore;
  notifier: Notifier;
  clock: Clock;
  ids: IdGenerator;
  limits: Limits;
  /** Where the app is served, for QR posters of the local runtime. */
  publicUrl?: string;
  /** Production: renders a mini-program code for a scene (wxacode.getUnlimited). */
  miniProgramCode?: (scene: string, page: string) => Promise<Uint8Array>;
  /** Content security; without one, the operator's word list (lib/contentCheck.ts). */
  content?: ContentChecker;
  /** How people sign in (lib/accounts.ts): production or demo, SMS, WeChat code exchange. */
  auth?: AuthSettings;
}
