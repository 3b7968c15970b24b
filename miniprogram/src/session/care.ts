/** 关怀模式: larger text for older residents, remembered on this device. */
import { useEffect, useState } from 'react';
import * as platform from '../platform';

const KEY = 'care-mode';
const listeners = new Set<(on: boolean) => void>();

export function isCareMode(): boolean {
  return platform.storage.getItem(KEY) === '1';
}

export function setCareMode(on: boolean): void {
  if (on) platform.storage.setItem(KEY, '1');
  else platform.storage.removeItem(KEY);
  listeners.forEach((l) => l(on));
}

export function useCareMode(): boolean {
  const [on, setOn] = useState(isCareMode);
  useEffect(() => {
    listeners.add(setOn);
    setOn(isCareMode());
    return () => {
      listeners.delete(setOn);
    };
  }, []);
  return on;
}
