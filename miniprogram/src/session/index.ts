/**
 * Who is using the app. weapp: the server knows the caller by OPENID, `auth.whoami` names them.
 * h5 (local runtime): a demo user picked on the home page; the token lives in storage.
 */
import { useEffect, useState } from 'react';
import type { Role } from '@shared/contracts/common';
import { authApi, onAuthLost } from '../api/client';
import type { SessionUser } from '../api/types';
import * as platform from '../platform';

const USER_KEY = 'session-user';
const listeners = new Set<(u: SessionUser | null) => void>();

function read(): SessionUser | null {
  const raw = platform.storage.getItem(USER_KEY);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as SessionUser;
  } catch {
    return null;
  }
}

let current: SessionUser | null = read();

function set(user: SessionUser | null) {
  current = user;
  if (user) platform.storage.setItem(USER_KEY, JSON.stringify(user));
  else platform.storage.removeItem(USER_KEY);
  listeners.forEach((l) => l(user));
}

onAuthLost(() => {
  if (platform.NEEDS_SIGN_IN) {
    platform.setToken(null);
    set(null);
  }
});

export function currentUser(): SessionUser | null {
  return current;
}

export function hasRole(user: SessionUser | null, role: Role): boolean {
  return !!user && user.roles.includes(role);
}

/** True when calls can be made: weapp always (cloud identity), h5 once a demo user is picked. */
export function canCall(): boolean {
  return !platform.NEEDS_SIGN_IN || !!platform.getToken();
}

export async function loginAs(userId: string): Promise<SessionUser> {
  const { token, user } = await authApi.login(userId);
  platform.setToken(token);
  set(user);
  return user;
}

/** After a password, SMS or WeChat sign-in: keeps the session token and the user. */
export function signedIn(token: string, user: SessionUser): SessionUser {
  platform.setToken(token);
  set(user);
  return user;
}

/** Forgets the session here and ends it on the server (best effort: offline, it expires by itself). */
export function logout(): void {
  if (platform.getToken()) authApi.logout().catch(() => undefined);
  platform.setToken(null);
  set(null);
}

/** Refreshes the user from the server; keeps the stored one when offline. */
export async function refreshUser(): Promise<SessionUser | null> {
  if (!canCall()) return null;
  try {
    const user = await authApi.whoami();
    set(user);
    return user;
  } catch (err) {
    if ((err as { code?: string }).code === 'network') return current;
    return current;
  }
}

export function useSession(): SessionUser | null {
  const [user, setUser] = useState(current);
  useEffect(() => {
    listeners.add(setUser);
    setUser(current);
    return () => {
      listeners.delete(setUser);
    };
  }, []);
  return user;
}
