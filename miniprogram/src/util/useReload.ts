import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { useEffect, useRef } from 'react';

/**
 * A page's data: loaded once `enabled` (signed in, id known) and again whenever `load` changes
 * (keep it in useCallback), again each time the page is shown after the first (back from a form
 * or another page), and on pull-down refresh. `again` runs before each of the two reloads.
 */
export function useReload(load: () => Promise<unknown>, enabled: boolean, again?: () => void): void {
  const latest = useRef({ load, enabled, again });
  latest.current = { load, enabled, again };
  useEffect(() => {
    if (enabled) void load();
  }, [enabled, load]);
  // The first show is the mount, which the effect above covers.
  const shown = useRef(false);
  useDidShow(() => {
    const { load: run, enabled: on, again: before } = latest.current;
    if (shown.current && on) {
      before?.();
      void run();
    }
    shown.current = true;
  });
  usePullDownRefresh(() => {
    const { load: run, again: before } = latest.current;
    before?.();
    void run().finally(() => Taro.stopPullDownRefresh());
  });
}
