import type { z } from 'zod';
import type { Actor } from '../../../shared/contracts/common';
import type { Api, FunctionName } from '../../../shared/contracts/api';
import type { Deps } from '../deps';
import type { Caller } from '../identity';

export interface Call {
  deps: Deps;
  actor: Actor | null;
  caller: Caller;
  /** Set by the local runtime: signs the token of a session (lib/accounts.ts startSession). */
  signToken?: (userId: string, sessionId?: string, expiresAt?: number) => string;
  /** The caller's address, for rate limits on anonymous look-ups. */
  ip?: string;
}

/** One handler per action of a function, typed by the action's input schema. */
export type Handlers<F extends FunctionName> = {
  [A in keyof Api[F]]: (call: Call & { actor: Actor }, input: Api[F][A] extends z.ZodTypeAny ? z.infer<Api[F][A]> : never) => Promise<unknown>;
};
