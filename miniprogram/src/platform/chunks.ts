/** Pages that cannot be opened because their code did not arrive (h5 only). */
import { IS_H5 } from './env';

/**
 * Calls `onFail` when a page's code chunk fails to load; returns the function that stops watching.
 * 背景: the h5 build loads each page's code when the page is first opened. Offline, webpack's
 * chunk loader rejects with a ChunkLoadError that nothing catches, so the tap looks dead. weapp
 * ships every page inside the package: nothing to watch there.
 * 复现路径: h5, DevTools → Network: Offline, tap 草稿箱与我的上报 → "Loading chunk … failed" in the console, nothing on screen.
 */
export function onPageCodeMissing(onFail: () => void): () => void {
  if (!IS_H5 || typeof window === 'undefined') return () => undefined;
  const isChunkError = (e: unknown) => {
    const err = e as { name?: string; message?: string } | null;
    return !!err && (err.name === 'ChunkLoadError' || /Loading (CSS )?chunk [\w-]+ failed/i.test(String(err.message ?? '')));
  };
  const onRejection = (ev: PromiseRejectionEvent) => {
    if (isChunkError(ev.reason)) {
      ev.preventDefault();
      onFail();
    }
  };
  const onError = (ev: ErrorEvent) => {
    if (isChunkError(ev.error)) onFail();
  };
  window.addEventListener('unhandledrejection', onRejection);
  window.addEventListener('error', onError);
  return () => {
    window.removeEventListener('unhandledrejection', onRejection);
    window.removeEventListener('error', onError);
  };
}
