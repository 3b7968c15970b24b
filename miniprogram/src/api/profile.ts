/** The public profile, loaded once per app run. */
import { useEffect, useState } from 'react';
import { residentApi } from './client';
import type { PublicProfile } from './types';

let cached: Promise<PublicProfile> | null = null;

export function loadProfile(): Promise<PublicProfile> {
  if (!cached) {
    cached = residentApi.profile();
    cached.catch(() => {
      cached = null;
    });
  }
  return cached;
}

export function useProfile(enabled = true): PublicProfile | null {
  const [profile, setProfile] = useState<PublicProfile | null>(null);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    loadProfile().then((p) => live && setProfile(p), () => undefined);
    return () => {
      live = false;
    };
  }, [enabled]);
  return profile;
}
