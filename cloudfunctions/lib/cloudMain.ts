import { handle } from './router';
import { bootstrapOpenids, callerFromOpenid } from './identity';
import { audit } from './accounts';
import { createCloudDeps, callerOpenid } from './cloudDeps';

let deps: ReturnType<typeof createCloudDeps> | null = null;
let boot: Set<string> | null = null;

/** The instance's adapters, made on first use and shared by every call (and the media-check push). */
export function sharedCloudDeps(): ReturnType<typeof createCloudDeps> {
  return (deps ??= createCloudDeps());
}

/** A CloudBase function: the caller is the OPENID CloudBase vouches for; timers have none. */
export function cloudMain(name: string) {
  return async (event: unknown) => {
    const d = sharedCloudDeps();
    // BOOTSTRAP_OPERATOR_OPENIDS: the first operators of a CloudBase environment (README "Running it for real").
    const caller = await callerFromOpenid(d.directory, callerOpenid(d.app as unknown as Parameters<typeof callerOpenid>[0]), d.clock.now(), () => d.ids.id('u'), {
      bootstrap: (boot ??= bootstrapOpenids()),
      audit: (kind, userId) => audit(d, kind, { userId }),
    });
    return handle(name, event, caller, d);
  };
}
