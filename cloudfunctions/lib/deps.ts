import type { AuthSettings } from './accounts';
import type { Clock, ContentChecker, PrivacyRelay, DirectoryStore, FileStore, IdGenerator, Notifier, TicketStore } from '../../shared/ports';

import type { Limits } from '../../shared/policy';
export { DEFAULT_LIMITS, type Limits } from '../../shared/policy';

/** Everything a function needs; chosen once at start-up: `lib/cloudDeps.ts` on CloudBase, `local/localDeps.ts` in the local runtime. */
export interface Deps {
  store: TicketStore;
  directory: DirectoryStore;
  files: FileStore;
  notifier: Notifier;
  clock: Clock;
  ids: IdGenerator;
  limits: Limits;
  /**
   * When the outbox is drained after a commit (lib/effects.ts afterCommit): 'inline' (default, the
   * function tests) before the answer, 'background' after it (the local runtime), 'off' only by
   * the timer (CloudBase: lib/cloudDeps.ts).
   */
  drain?: 'inline' | 'background' | 'off';
  /** Where the app is served, for QR posters of the local runtime. */
  publicUrl?: string;
  /** Production: renders a mini-program code for a scene (wxacode.getUnlimited). */
  miniProgramCode?: (scene: string, page: string) => Promise<Uint8Array>;
  /** Content security; without one, the operator's word list (lib/contentCheck.ts). */
  content?: ContentChecker;
  /** The privacy-number relay for units that may not see the requester; without one, an operator relays (adapters/local/operatorRelay.ts). */
  relay?: PrivacyRelay;
  /** How people sign in (lib/accounts.ts): production or demo, SMS, WeChat code exchange. */
  auth?: AuthSettings;
}
