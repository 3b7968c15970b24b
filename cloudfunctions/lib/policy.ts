import { DEFAULT_PROFILE_ID, applyOverrides, getProfile, isProfileId, type ProfileOverride } from '../../shared/profiles';
import type { PolicyProfile } from '../../shared/profiles/schema';
import { WorkingCalendar, type CalendarYear } from '../../shared/calendar';
import type { DirectoryStore } from '../../shared/ports';

export const PROFILE_SETTING = 'profile';
export const CALENDAR_SETTING = 'calendarYears';

export interface ProfileSetting {
  profileId: string;
  overrides: ProfileOverride[];
  /** The revision of this choice; each `admin.setProfile` saves a new one, kept forever under `profileRevKey`. */
  rev?: number;
}

export interface Policy {
  profile: PolicyProfile;
  calendar: WorkingCalendar;
  /** The profile revision in force (0: none saved yet, the profile as configured without overrides history). */
  rev: number;
}

/** The setting that keeps one saved profile revision, so tickets opened under it keep its rules. */
export const profileRevKey = (rev: number) => `${PROFILE_SETTING}@${rev}`;

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
  const policy = { profile, calendar: new WorkingCalendar(years, { missingYears: 'weekends' }), rev: setting?.rev ?? 0 };
  cache.set(directory, { at: now, policy });
  return policy;
}

/** Saved revisions never change, so a warm function keeps them. */
const revisions = new WeakMap<DirectoryStore, Map<number, PolicyProfile>>();

/**
 * The rules a ticket is handled under: the profile revision it was opened under (issue 10 §3),
 * with today's working calendar. A change of profile applies to new tickets only. A ticket from
 * before revisions were saved keeps its own profile id; it takes today's overrides only when that
 * id is still the one in force.
 */
export async function policyFor(directory: DirectoryStore, now: number, ticket: { profileId: string; profileRev?: number | undefined }): Promise<Policy> {
  const current = await loadPolicy(directory, now);
  if (ticket.profileRev === undefined) {
    if (ticket.profileId === current.profile.id || !isProfileId(ticket.profileId)) return current;
    return { ...current, profile: getProfile(ticket.profileId), rev: 0 };
  }
  if (ticket.profileRev === current.rev) return current;
  let known = revisions.get(directory);
  if (!known) revisions.set(directory, (known = new Map()));
  let profile = known.get(ticket.profileRev);
  if (!profile) {
    const saved = await directory.getSetting<ProfileSetting>(profileRevKey(ticket.profileRev));
    if (!saved) throw new Error(`profile revision ${ticket.profileRev} is missing from the settings`);
    profile = applyOverrides(getProfile(saved.profileId), saved.overrides);
    known.set(ticket.profileRev, profile);
  }
  return { ...current, profile, rev: ticket.profileRev };
}

export function forgetPolicy(directory: DirectoryStore): void {
  cache.delete(directory);
}
