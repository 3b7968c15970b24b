/**
 * Key-value storage on the device, and the session token kept in it.
 *
 * 背景: weapp storage allows 1 MB per key and 10 MB in all; h5 storage is localStorage, which
 * Taro wraps as `{"data": ...}` JSON. Both are synchronous, so drafts are written as typed.
 * 复现路径: write a 2 MB string with setStorageSync on weapp → "exceed storage item max length".
 * So files never go into storage: only their device paths (see keptFiles.ts).
 */
import Taro from '@tarojs/taro';
import type { KeyValueStore } from '../drafts/queue';

export const storage: KeyValueStore = {
  getItem(key) {
    try {
      const v = Taro.getStorageSync(key);
      return typeof v === 'string' && v !== '' ? v : null;
    } catch {
      return null;
    }
  },
  setItem(key, value) {
    Taro.setStorageSync(key, value);
  },
  removeItem(key) {
    try {
      Taro.removeStorageSync(key);
    } catch {
      // Already gone.
    }
  },
};

const TOKEN_KEY = 'session-token';

export function getToken(): string | null {
  return storage.getItem(TOKEN_KEY);
}

export function setToken(token: string | null): void {
  if (token) storage.setItem(TOKEN_KEY, token);
  else storage.removeItem(TOKEN_KEY);
}
