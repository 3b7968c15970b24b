import { handle } from './router';
import { callerFromOpenid } from './identity';
import { createCloudDeps, callerOpenid } from './cloudDeps';
import type { Deps } from './deps';

let deps: Deps | null = null;

/** A CloudBase function: the caller is the OPENID CloudBase vouches for; timers have none. */
export function cloudMain(name: string) {
  return async (event: unknown, context: unknown) => {
    const d = (deps ??= createCloudDeps());
    const caller = await callerFromOpenid(d.directory, callerOpenid(context), d.clock.now(), () => d.ids.id('u'));
    return handle(name, event, caller, d);
  };
}
