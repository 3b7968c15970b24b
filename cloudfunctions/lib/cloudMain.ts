import { handle } from './router';
import { callerFromOpenid } from './identity';
import { createCloudDeps, callerOpenid } from './cloudDeps';

let deps: ReturnType<typeof createCloudDeps> | null = null;

/** The instance's adapters, made on first use and shared by every call (and the media-check push). */
export function sharedCloudDeps(): ReturnType<typeof createCloudDeps> {
  return (deps ??= createCloudDeps());
}

/** A CloudBase function: the caller is the OPENID CloudBase vouches for; timers have none. */
export function cloudMain(name: string) {
  return async (event: unknown) => {
    const d = sharedCloudDeps();
    const caller = await callerFromOpenid(d.directory, callerOpenid(d.app as unknown as Parameters<typeof callerOpenid>[0]), d.clock.now(), () => d.ids.id('u'));
    return handle(name, event, caller, d);
  };
}
