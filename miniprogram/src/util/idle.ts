/**
 * Runs `fn` once the page has loaded and the browser is idle (h5), so work that is not on the first
 * screen (chunks the app loads on demand) does not share the link with it; elsewhere (weapp, tests)
 * at once. Issue 17: the entry page over a slow link.
 */
export function whenIdle(fn: () => void): void {
  const w = typeof window !== 'undefined' ? (window as Window & { requestIdleCallback?: (cb: () => void) => void }) : undefined;
  if (!w || typeof document === 'undefined' || typeof w.addEventListener !== 'function') return fn();
  const idle = () => (w.requestIdleCallback ? w.requestIdleCallback(fn) : setTimeout(fn, 0));
  if (document.readyState === 'complete') idle();
  else w.addEventListener('load', idle, { once: true });
}
