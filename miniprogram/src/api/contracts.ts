/**
 * The shared zod contracts, loaded on demand. zod and the schemas are about a tenth of the H5 entry
 * page's weight, and nothing on the first screen needs them: the app starts without them, asks for
 * this chunk after the page has loaded (`prefetchContracts`, so it is at hand before anyone has
 * typed anything, also when the network drops later), and every check awaits it. On weapp the
 * import is a plain require inside the main package (Taro's babel preset turns `import()` into
 * one), so nothing changes there.
 */
import { whenIdle } from '../util/idle';

type Contracts = typeof import('./contractModules');

let loading: Promise<Contracts> | undefined;

export function contracts(): Promise<Contracts> {
  loading ??= import(/* webpackChunkName: "contracts" */ './contractModules').catch((err: unknown) => {
    loading = undefined; // a failed chunk load (offline) is retried by the next check
    throw err;
  });
  return loading;
}

/** Starts loading the contracts once the page is idle; errors wait for the first real use. */
export function prefetchContracts(): void {
  whenIdle(() => void contracts().catch(() => undefined));
}
