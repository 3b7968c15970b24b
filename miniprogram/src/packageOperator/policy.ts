/** The profile in force as operators see it (admin.profile), loaded once per app run. */
import { useEffect, useState } from 'react';
import { adminApi } from '../api/client';
import type { ProfileInfo } from '../api/types';

let cached: Promise<ProfileInfo> | null = null;

export function loadPolicy(force = false): Promise<ProfileInfo> {
  if (!cached || force) {
    cached = adminApi.profile();
    cached.catch(() => {
      cached = null;
    });
  }
  return cached;
}

export function usePolicy(enabled = true): ProfileInfo | null {
  const [info, setInfo] = useState<ProfileInfo | null>(null);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    loadPolicy().then((p) => live && setInfo(p), () => undefined);
    return () => {
      live = false;
    };
  }, [enabled]);
  return info;
}
