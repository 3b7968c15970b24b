import { handle } from './router';
import { callerFromOpenid } from './identity';
import { createCloudDeps, callerOpenid } from './cloudDeps';

let deps: ReturnType<typeof createCloudDeps> | null = null;

/** A CloudBase function: the caller is the OPENID CloudBase vouches for; timers have none. */
export function cloudMain(name: string) {
  return async (event: unknown) => {
    const d = (deps ??= createCloudDeps());
    const caller = await callerFromOpenid(d.directory, callerOpenid(d.app as unknown as Parameters<typeof callerOpenid>[0]), d.clock.now(), () => d.ids.id('u'));
    return handle(name, event, caller, d);
  };
}
