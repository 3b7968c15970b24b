/**
 * The public profile, loaded once per app run and kept on the device.
 *
 * 背景: a grid worker opens the report form and walks into a basement: the profile request is
 * still in flight, fails, and the form has no categories or request types to offer.
 * 复现路径: open 网格上报 and go offline before the profile answers → no category chips.
 * So the last profile the server sent is kept in storage and shown at once; the server's answer
 * replaces it, and a failed load is tried again when the device is back on line.
 */
import { useEffect, useState } from 'react';
import { onNetworkChange } from '../platform/network';
import { storage } from '../platform/storage';
import { residentApi } from './client';
import type { PublicProfile } from './types';

const KEY = 'public-profile';
let cached: Promise<PublicProfile> | null = null;

/** The profile last received from the server on this device, if any. */
export function keptProfile(): PublicProfile | null {
  const raw = storage.getItem(KEY);
  if (!raw) return null;
  try {
    const p = JSON.parse(raw) as PublicProfile;
    return p && typeof p === 'object' && Array.isArray(p.categories) ? p : null;
  } catch {
    return null;
  }
}

export function loadProfile(): Promise<PublicProfile> {
  if (!cached) {
    const request = residentApi.profile();
    cached = request;
    request.then(
      (p) => {
        try {
          storage.setItem(KEY, JSON.stringify(p));
        } catch {
          // Storage full: the profile is still used for this run.
        }
      },
      () => {
        cached = null;
      },
    );
  }
  return cached;
}

export function useProfile(enabled = true): PublicProfile | null {
  const [profile, setProfile] = useState<PublicProfile | null>(() => (enabled ? keptProfile() : null));
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    let loaded = false;
    const load = () =>
      loadProfile().then(
        (p) => {
          loaded = true;
          if (live) setProfile(p);
        },
        () => {
          if (live) setProfile((current) => current ?? keptProfile());
        },
      );
    load();
    const stop = onNetworkChange((online) => {
      if (online && !loaded) load();
    });
    return () => {
      live = false;
      stop();
    };
  }, [enabled]);
  return profile;
}
