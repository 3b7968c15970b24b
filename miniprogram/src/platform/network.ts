/** Network status: whether the device is on line, and when that changes. */
import Taro from '@tarojs/taro';
import { IS_WEAPP } from './env';

export async function isOnline(): Promise<boolean> {
  if (IS_WEAPP) {
    try {
      const res = await Taro.getNetworkType();
      return res.networkType !== 'none';
    } catch {
      return true;
    }
  }
  return typeof navigator === 'undefined' ? true : navigator.onLine !== false;
}

/**
 * Calls back when the device goes on or off line. Returns an unsubscribe function.
 * 背景: weapp's onNetworkStatusChange has no per-listener removal before base library 2.9.3
 * (offNetworkStatusChange); h5 uses the window's online/offline events, which Playwright's
 * context.setOffline() fires too.
 * 复现路径: DevTools → Network: Offline, then Online → the callback gets isConnected false, true.
 */
export function onNetworkChange(cb: (online: boolean) => void): () => void {
  if (IS_WEAPP) {
    const handler = (res: { isConnected: boolean }) => cb(res.isConnected);
    Taro.onNetworkStatusChange(handler);
    return () => {
      const off = (Taro as unknown as { offNetworkStatusChange?: (h: typeof handler) => void }).offNetworkStatusChange;
      off?.(handler);
    };
  }
  const on = () => cb(true);
  const off = () => cb(false);
  window.addEventListener('online', on);
  window.addEventListener('offline', off);
  return () => {
    window.removeEventListener('online', on);
    window.removeEventListener('offline', off);
  };
}
