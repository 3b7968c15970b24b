import { randomBytes } from 'node:crypto';
import QRCode from 'qrcode';
import { DomainError } from '../../../shared/errors';
import { applyOverrides, getProfile, profileIds, profiles } from '../../../shared/profiles';
import { builtInCalendarYears, calendarWarning, parseHolidayNotice } from '../../../shared/calendar';
import { PROFILE_SETTING, forgetPolicy, loadPolicy, profileRevKey, type ProfileSetting } from '../policy';
import { loadedYears, saveCalendarYear } from '../calendarAdmin';
import { MAX_WORDS, WORDS_SETTING, normalizeForMatch, type WordList } from '../contentCheck';
import { issueResetCode, maskPhone, removeUser, sessionView, audit as auditLog } from '../accounts';
import { ruleChanges, ruleLines } from '../../../shared/profiles/summary';
import { deleteTemplate, listTemplates, putTemplate } from '../templates';
import { allArticles, nextReviewBy, reviewDateMs } from '../kb';
import type { Handlers } from './types';

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
function inviteCode(): string {
  const bytes = randomBytes(8);
  return [...bytes].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
}

/**
 * The invite as a code to scan: a mini-program code of the bind page (its scene is the invite
 * code), or a QR code of the h5 bind page's link with `?code=`.
 */
async function inviteCodeImage(deps: Parameters<Handlers<'admin'>['invite']>[0]['deps'], code: string): Promise<{ qr: string; link?: string }> {
  if (deps.miniProgramCode) {
    const png = await deps.miniProgramCode(code, 'packageStaff/pages/bind/index');
    return { qr: `data:image/png;base64,${Buffer.from(png).toString('base64')}` };
  }
  const link = `${deps.publicUrl ?? ''}/packageStaff/pages/bind/index?code=${code}`;
  return { link, qr: await QRCode.toDataURL(link, { errorCorrectionLevel: 'M', margin: 2, width: 320 }) };
}

/** A poster's QR code must open on a phone: not without PUBLIC_URL, not on this machine's own address. */
export function publicUrlWarning(publicUrl: string | undefined): string | undefined {
  if (!publicUrl) return '未设置 PUBLIC_URL：二维码里没有网址，扫码打不开。请把 PUBLIC_URL 设为群众能访问的地址后重新生成。';
  const host = /^https?:\/\/([^/:]+)/i.exec(publicUrl)?.[1] ?? '';
  if (/^(localhost|127\.|0\.0\.0\.0|\[::1\])/i.test(host)) return `PUBLIC_URL 不是群众能访问的地址（现为 ${publicUrl}），手机扫码打不开。请设置后重新生成。`;
  return undefined;
}

export const admin: Handlers<'admin'> = {
  async units({ deps }) {
    return deps.directory.listUnits();
  },
  async putUnit({ deps }, { unit }) {
    await deps.directory.putUnit(unit);
    return unit;
  },
  async invite({ deps, actor }, { unitId, role, days }) {
    if (role === 'staff' && !unitId) throw new DomainError('invalid-input', '承办单位人员的邀请须选择承办单位');
    if (unitId && !(await deps.directory.getUnit(unitId))) throw new DomainError('unit-not-found');
    const now = deps.clock.now();
    const invite = {
      code: inviteCode(), ...(role === 'staff' && unitId ? { unitId } : {}), ...(role !== 'staff' ? { role } : {}),
      createdBy: actor.userId, createdAt: now, expiresAt: now + days * 86_400_000,
    };
    await deps.directory.putInvite(invite);
    return { ...invite, role, ...(await inviteCodeImage(deps, invite.code)) };
  },
  /** Bounded: at most `limit` users per call, ordered by id, from `after` on. */
  async users({ deps }, { unitId, after, limit }) {
    const filter = unitId ? { unitId } : {};
    const users = deps.directory.listUsersPage
      ? await deps.directory.listUsersPage(filter, after, limit)
      : (await deps.directory.listUsers(filter)).filter((u) => after === undefined || u.id > after).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).slice(0, limit);
    return users.filter((u) => u.deletedAt === undefined).map((u) => ({ id: u.id, name: u.name, roles: u.roles, unitId: u.unitId }));
  },
  /** The word list content is checked against (self-hosted: the only check; CloudBase: before WeChat's). */
  async contentWords({ deps }) {
    const list = await deps.directory.getSetting<WordList>(WORDS_SETTING);
    return { words: list?.words ?? [], updatedAt: list?.updatedAt ?? null, max: MAX_WORDS };
  },
  /** Replaces the word list; duplicates (after normalising) and words with no letters or digits are dropped. */
  async putContentWords({ deps, actor }, { words }) {
    const seen = new Set<string>();
    const kept: string[] = [];
    for (const w of words) {
      const n = normalizeForMatch(w);
      if (!n || seen.has(n)) continue;
      seen.add(n);
      kept.push(w);
    }
    const list: WordList = { words: kept, updatedAt: deps.clock.now(), updatedBy: actor.userId };
    await deps.directory.putSetting(WORDS_SETTING, list);
    return { words: list.words, updatedAt: list.updatedAt, max: MAX_WORDS };
  },
  /** Each row reads its credential: at most 200 a call. Removed users are left out; residents only with role 'resident'. */
  async accounts({ deps }, { role, unitId, after, limit }) {
    const filter = { ...(unitId ? { unitId } : {}), ...(role ? { role } : {}) };
    const users = deps.directory.listUsersPage
      ? await deps.directory.listUsersPage(filter, after, limit)
      : (await deps.directory.listUsers(filter)).filter((u) => after === undefined || u.id > after).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).slice(0, limit);
    const now = deps.clock.now();
    const units = new Map((await deps.directory.listUnits()).map((u) => [u.id, u.name]));
    const shown = users.filter((u) => u.deletedAt === undefined && (role === 'resident' || u.roles.some((r) => r !== 'resident')));
    return Promise.all(
      shown.map(async (u) => {
        const cred = await deps.directory.getCredential(u.id);
        return {
          id: u.id, name: u.name, roles: u.roles,
          ...(u.unitId ? { unitId: u.unitId, unitName: units.get(u.unitId) } : {}),
          ...(cred ? { login: cred.login } : {}),
          ...(u.phone ? { phone: maskPhone(u.phone) } : {}),
          signIn: cred ? ('password' as const) : u.openid ? ('wechat' as const) : ('none' as const),
          totp: !!cred?.totpSecret,
          ...(cred?.lockedUntil !== undefined && cred.lockedUntil > now ? { lockedUntil: cred.lockedUntil } : {}),
          ...(cred?.resetExpiresAt !== undefined && cred.resetExpiresAt > now ? { resetPendingUntil: cred.resetExpiresAt } : {}),
        };
      }),
    );
  },
  async removeUser({ deps, actor }, { userId }) {
    return removeUser(deps, actor.userId, userId);
  },
  async resetCode({ deps, actor }, { userId }) {
    return issueResetCode(deps, actor.userId, userId);
  },
  async sessions({ deps }, { userId }) {
    const now = deps.clock.now();
    return (await deps.directory.listSessions(userId)).map((s) => sessionView(s, now));
  },
  async revokeSession({ deps, actor }, { sessionId }) {
    const session = await deps.directory.getSession(sessionId);
    if (!session) throw new DomainError('not-found', '会话不存在');
    const ended = await deps.directory.revokeSession(sessionId, deps.clock.now());
    if (ended) await auditLog(deps, 'session-revoked', { userId: session.userId, actorId: actor.userId });
    return { revoked: ended === 1 };
  },
  async audit({ deps }, { userId, before, limit }) {
    return deps.directory.listAudit({ limit, ...(userId ? { userId } : {}), ...(before ? { before } : {}) });
  },
  async scenes({ deps }) {
    return deps.directory.listScenes();
  },
  async putScene({ deps }, { scene }) {
    const record = { ...scene, createdAt: deps.clock.now() };
    await deps.directory.putScene(record);
    return record;
  },
  async poster({ deps }, { sceneId }) {
    const scene = await deps.directory.getScene(sceneId);
    if (!scene) throw new DomainError('not-found', '二维码场景不存在');
    const { profile } = await loadPolicy(deps.directory, deps.clock.now());
    if (deps.miniProgramCode) {
      const png = await deps.miniProgramCode(scene.id, 'pages/submit/index');
      return { scene, platformName: profile.platformName, image: `data:image/png;base64,${Buffer.from(png).toString('base64')}`, kind: 'wxacode' };
    }
    const url = `${deps.publicUrl ?? ''}/?scene=${encodeURIComponent(scene.id)}`;
    const image = await QRCode.toDataURL(url, { errorCorrectionLevel: 'M', margin: 2, width: 480 });
    const warning = publicUrlWarning(deps.publicUrl);
    return { scene, platformName: profile.platformName, url, image, kind: 'qrcode', ...(warning ? { warning } : {}) };
  },
  async kb({ deps }) {
    return allArticles(deps);
  },
  async putKb({ deps }, { article }) {
    if (article.unitId && !(await deps.directory.getUnit(article.unitId))) throw new DomainError('unit-not-found');
    const now = deps.clock.now();
    const { reviewDate, ...fields } = article;
    const reviewMs = reviewDate !== undefined ? reviewDateMs(reviewDate) : undefined;
    const before = article.id ? await deps.directory.getKb(article.id) : null;
    // An operator's own write is live at once: a new revision, a review date as given (or a fresh
    // one); a unit's pending edit and the last decision stay with the article.
    const record = {
      ...fields,
      id: article.id ?? deps.ids.id('kb'),
      updatedAt: now,
      reviewBy: reviewMs ?? nextReviewBy(now),
      revision: before ? (before.revision ?? 1) + 1 : 1,
      ...(before?.pending ? { pending: before.pending } : {}),
      ...(before?.lastReview ? { lastReview: before.lastReview } : {}),
    };
    await deps.directory.putKb(record);
    return record;
  },
  async deleteKb({ deps }, { id }) {
    if (!(await deps.directory.getKb(id))) throw new DomainError('not-found');
    await deps.directory.deleteKb(id);
    return { id };
  },
  async calendar({ deps }) {
    const loaded = await loadedYears(deps);
    const now = deps.clock.now();
    const { calendar } = await loadPolicy(deps.directory, now);
    return {
      builtIn: builtInCalendarYears(),
      loaded: loaded.map((y) => ({ year: y.year, holidays: y.holidays.length, makeUpWorkdays: y.makeUpWorkdays.length })),
      /** From 1 November while next year is missing (and whenever this year is). */
      warning: calendarWarning(now, calendar),
    };
  },
  async putCalendar({ deps }, { year }) {
    return saveCalendarYear(deps, year);
  },
  async parseNotice({ deps }, { text }) {
    // Nothing is written: the operator confirms the parsed year with importNotice.
    const parsed = parseHolidayNotice(text);
    const { calendar } = await loadPolicy(deps.directory, deps.clock.now());
    return {
      year: parsed.year,
      festivals: parsed.festivals,
      holidays: parsed.calendar.holidays,
      makeUpWorkdays: parsed.calendar.makeUpWorkdays,
      outsideYear: parsed.outsideYear,
      replaces: calendar.hasYear(parsed.year),
    };
  },
  async importNotice({ deps }, { text, year }) {
    const parsed = parseHolidayNotice(text);
    if (parsed.year !== year) throw new DomainError('invalid-input', `确认的年份（${year}）与通知中的年份（${parsed.year}）不一致`);
    return saveCalendarYear(deps, parsed.calendar);
  },
  async profile({ deps }) {
    const { profile } = await loadPolicy(deps.directory, deps.clock.now());
    const setting = await deps.directory.getSetting<ProfileSetting>(PROFILE_SETTING);
    return { current: profile, overrides: setting?.overrides ?? [], available: profileIds.map((id) => ({ id, regulation: profiles[id].regulation, place: profiles[id].place })) };
  },
  async setProfile({ deps }, { profileId, overrides }) {
    const profile = applyOverrides(getProfile(profileId), overrides);
    // A new revision, saved before it is put in force: tickets opened under it find it (issue 10 §3).
    // Created only if free, so two simultaneous calls never take the same number.
    let rev = ((await deps.directory.getSetting<ProfileSetting>(PROFILE_SETTING))?.rev ?? 0) + 1;
    while (!(await deps.directory.addSetting<ProfileSetting>(profileRevKey(rev), { profileId, overrides, rev }))) rev++;
    // In force only if no later revision is: the highest revision wins whichever write lands last.
    await deps.directory.putSettingIfNewer(PROFILE_SETTING, { profileId, overrides, rev });
    forgetPolicy(deps.directory);
    return { id: profile.id, regulation: profile.regulation, rev, appliesTo: 'new-tickets' as const };
  },
  async previewProfile({ deps }, { profileId, overrides }) {
    // Validated as setProfile would; nothing is written.
    const next = applyOverrides(getProfile(profileId), overrides);
    const { profile: current } = await loadPolicy(deps.directory, deps.clock.now());
    return { id: next.id, regulation: next.regulation, switching: next.id !== current.id, changes: ruleChanges(current, next), rules: ruleLines(next), appliesTo: 'new-tickets' as const };
  },
  async templates({ deps }) {
    return listTemplates(deps.directory);
  },
  async putTemplate({ deps }, { template }) {
    return putTemplate(deps.directory, template, deps.ids.id('tpl'), deps.clock.now());
  },
  async deleteTemplate({ deps }, { id }) {
    return deleteTemplate(deps.directory, id);
  },
};
