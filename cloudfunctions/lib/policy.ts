import { DEFAULT_PROFILE_ID, applyOverrides, getProfile, type ProfileOverride } from '../../shared/profiles';
import type { PolicyProfile } from '../../shared/profiles/schema';
import { WorkingCalendar, type CalendarYear } from '../../shared/calendar';
import type { DirectoryStore } from '../../shared/ports';

export const PROFILE_SETTING = 'profile';
export const CALENDAR_SETTING = 'calendarYears';

export interface ProfileSetting {
  profileId: string;
  overrides: ProfileOverride[];
}

export interface Policy {
  profile: PolicyProfile;
  calendar: WorkingCalendar;
}

const cache = new WeakMap<DirectoryStore, { at: number; policy: Policy }>();
/** Settings change rarely; a warm function re-reads them at most this often. */
const TTL_MS = 5_000;

/**
 * The profile in force and the working calendar, from settings. The profile id comes from
 * the settings, else from the PROFILE environment variable, else the default (baiyin).
 */
export async function loadPolicy(directory: DirectoryStore, now: number): Promise<Policy> {
  const hit = cache.get(directory);
  if (hit && now - hit.at < TTL_MS && now >= hit.at) return hit.policy;
  const setting = await directory.getSetting<ProfileSetting>(PROFILE_SETTING);
  const id = setting?.profileId ?? process.env.PROFILE ?? DEFAULT_PROFILE_ID;
  const profile = applyOverrides(getProfile(id), setting?.overrides ?? []);
  const years = (await directory.getSetting<CalendarYear[]>(CALENDAR_SETTING)) ?? [];
  // Lenient: a year without data is counted on weekends only and the deadline marked provisional,
  // so no request or command is ever refused for a missing year (issue 11 §1).
  const policy = { profile, calendar: new WorkingCalendar(years, { missingYears: 'weekends' }) };
  cache.set(directory, { at: now, policy });
  return policy;
}

export function forgetPolicy(directory: DirectoryStore): void {
  cache.delete(directory);
}
