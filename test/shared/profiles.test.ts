import {
  DEFAULT_PROFILE_ID,
  applyOverrides,
  deadlineFor,
  getProfile,
  parseProfile,
  profileIds,
  profileInputs,
  profiles,
  type ProfileId,
} from '../../shared/profiles';
import { profileSchema, type Citation, type PolicyProfile, type RequestType } from '../../shared/profiles/schema';
import { DomainError } from '../../shared/errors';

// ---------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------

function at(profile: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], profile);
}

/** The citation on the node at `path` or on its nearest ancestor that has one. */
function citationAt(profile: unknown, path: string): Citation | undefined {
  const segments = path.split('.');
  for (let n = segments.length; n >= 0; n--) {
    const node = n === 0 ? profile : at(profile, segments.slice(0, n).join('.'));
    const c = (node as { citation?: Citation } | null | undefined)?.citation;
    if (c && typeof c === 'object') return c;
  }
  return undefined;
}

/** Every path in the profile that ends in a number (except `year`). */
function numberPaths(node: unknown, prefix = ''): string[] {
  if (typeof node === 'number') return [prefix];
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) =>
    numberPaths(v, prefix ? `${prefix}.${k}` : k),
  );
}

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return e as DomainError;
  }
  throw new Error('expected a DomainError');
}

const ALL_TYPES: RequestType[] = ['consultation', 'help', 'complaint', 'report', 'suggestion'];
const NON_CONSULTATION: RequestType[] = ['help', 'complaint', 'report', 'suggestion'];
const WD = (amount: number) => ({ amount, unit: 'workingDays' });
const H = (amount: number) => ({ amount, unit: 'hours' });
const CD = (amount: number) => ({ amount, unit: 'calendarDays' });

/**
 * One pinned number: test title (citing the article), the path(s), the expected value, and whether
 * the regulation leaves it to the platform (`platformSet`). `null` = schema-level platform-set
 * numbers with no citation (reminders, supervision thresholds).
 */
interface Pin {
  title: string;
  paths: string[];
  expected: unknown;
  platformSet: boolean | null;
}
const pin = (title: string, paths: string | string[], expected: unknown, platformSet: boolean | null): Pin => ({
  title,
  paths: Array.isArray(paths) ? paths : [paths],
  expected,
  platformSet,
});
const deadlinePaths = (types: RequestType[], urgency: string) => types.map((t) => `handling.deadlines.${t}.${urgency}`);

/** Platform-set numbers every profile carries with the same defaults. */
const commonPins = (id: string): Pin[] => [
  pin(`${id} (平台设定): due-soon reminders at 50% and 80% of the time`, 'reminders.dueSoonAt', [0.5, 0.8], null),
  pin(`${id} (平台设定): amber one working day before the deadline`, 'reminders.warningWindow', WD(1), null),
  pin(`${id} (平台设定): a reply's result has at least 10 characters`, 'reply.minResultLength', 10, null),
  pin(`${id} (平台设定): same requester 3 times in 30 days triggers 督办`, 'supervision.repeatedRequester', { count: 3, withinDays: 30 }, null),
  pin(`${id} (平台设定): 5 requesters in 7 days triggers 督办`, 'supervision.manyRequesters', { count: 5, withinDays: 7 }, null),
];

const PINS: Record<ProfileId, Pin[]> = {
  baiyin: [
    pin('baiyin 10 (平台设定): acceptance decided the same day (当日: 0 calendar days, the end of that Shanghai day)', 'intake.acceptWithin', CD(0), true),
    pin('baiyin 10: transferred to the unit on the day of acceptance (当日: the end of that Shanghai day, not 24 hours)', 'intake.transferWithin', CD(0), false),
    pin('baiyin 14(1) (平台设定): unit signs within 24 hours', 'handling.signWithin', H(24), true),
    pin('baiyin 12 (平台设定): "及时" return window is 2 working days', 'handling.returnWithin', WD(2), true),
    pin('baiyin 10 (平台设定): consultation due in 2 working days', deadlinePaths(['consultation'], 'normal'), WD(2), true),
    pin('baiyin 10 (平台设定): urgent consultation due in 1 working day', deadlinePaths(['consultation'], 'urgent'), WD(1), true),
    pin('baiyin 10 (平台设定): help/complaint/report/suggestion due in 10 working days', deadlinePaths(NON_CONSULTATION, 'normal'), WD(10), true),
    pin('baiyin 10 (平台设定): urgent help/complaint/report/suggestion due in 3 working days', deadlinePaths(NON_CONSULTATION, 'urgent'), WD(3), true),
    pin('baiyin 20 (平台设定): emergencies due in 24 hours', deadlinePaths(ALL_TYPES, 'emergency'), H(24), true),
    pin('baiyin 20 (平台设定): emergencies answered within 2 hours', 'handling.emergencyResponse', H(2), true),
    pin('baiyin 16 (平台设定): water/power/gas/heat/network handled within 24 hours', 'handling.utilities.rule', H(24), true),
    pin('baiyin 15 (平台设定): at most two extensions', 'extension.maxCount', 2, true),
    pin('baiyin 15 (平台设定): each extension up to 10 working days', 'extension.length', WD(10), true),
    pin('baiyin 17 (平台设定): one rework when dissatisfied (再次办理 sets no number)', 'rework.maxCount', 1, true),
    pin('baiyin 17 (平台设定): rework due in 5 working days', 'rework.deadline', WD(5), true),
    ...commonPins('baiyin'),
  ],
  anshan: [
    pin('anshan 20(2): acceptance decided within 3 working days', 'intake.acceptWithin', WD(3), false),
    pin('anshan 20(2): transferred within 2 working days of acceptance', 'intake.transferWithin', WD(2), false),
    pin('anshan 21 (平台设定): unit signs within 24 hours', 'handling.signWithin', H(24), true),
    pin('anshan 24 (平台设定): return applied for within 2 working days', 'handling.returnWithin', WD(2), true),
    pin('anshan 22: every request type due in 5 working days', deadlinePaths(ALL_TYPES, 'normal'), WD(5), false),
    pin('anshan 22 (平台设定): urgent requests due in 3 working days', deadlinePaths(ALL_TYPES, 'urgent'), WD(3), true),
    pin('anshan 20(3) (平台设定): emergencies due in 24 hours', deadlinePaths(ALL_TYPES, 'emergency'), H(24), true),
    pin('anshan 20(3) (平台设定): emergencies answered within 2 hours', 'handling.emergencyResponse', H(2), true),
    pin('anshan 22: extensions together at most two calendar months past the original deadline', ['extension.totalCap', 'extension.length'], { amount: 2, unit: 'calendarMonths' }, false),
    pin('anshan 23 (平台设定): one rework after a low rating', 'rework.maxCount', 1, true),
    pin('anshan 22 (平台设定): rework due in 5 working days', 'rework.deadline', WD(5), true),
    pin('anshan 27: recusal decision (3 working days) does not count', 'clockPauses.0.maxSpan', WD(3), false),
    ...commonPins('anshan'),
  ],
  hohhot: [
    pin('hohhot 14 (平台设定): acceptance within one day', 'intake.acceptWithin', CD(1), true),
    pin('hohhot 14 (平台设定): dispatch within one day', 'intake.transferWithin', CD(1), true),
    pin('hohhot 19(1) (平台设定): unit signs within 24 hours', 'handling.signWithin', H(24), true),
    pin('hohhot 15(4) (平台设定): return applied for within 2 working days', 'handling.returnWithin', WD(2), true),
    pin('hohhot 16(3): other matters get a response (办结或者反馈办理情况) within 10 working days', 'handling.response.normal', WD(10), false),
    pin('hohhot 16(3): urgent matters get a response within 5 working days', 'handling.response.urgent', WD(5), false),
    pin('hohhot 16(3) (平台设定): other matters finished within 20 working days after the response', deadlinePaths(ALL_TYPES, 'normal'), WD(20), true),
    pin('hohhot 16(3) (平台设定): urgent matters finished within 10 working days after the response', deadlinePaths(ALL_TYPES, 'urgent'), WD(10), true),
    pin('hohhot 16(1): emergencies get a response (办结或者反馈办理情况) within 2 hours', 'handling.emergencyResponse', H(2), false),
    pin('hohhot 16(1) (平台设定): emergencies finished within 2 working days after the response', deadlinePaths(ALL_TYPES, 'emergency'), WD(2), true),
    pin('hohhot 16(2): water/power/gas/heat get a response (办结或者反馈办理情况) within 24 hours', 'handling.utilities.response', H(24), false),
    pin('hohhot 16(2) (平台设定): water/power/gas/heat finished within 2 working days after the response', 'handling.utilities.rule', WD(2), true),
    pin('hohhot 19(3) (平台设定): at most two extensions', 'extension.maxCount', 2, true),
    pin('hohhot 19(3) (平台设定): each extension up to 10 working days', 'extension.length', WD(10), true),
    pin('hohhot 24 (平台设定): one rework when dissatisfied', 'rework.maxCount', 1, true),
    pin('hohhot 16(3) (平台设定): rework due in 5 working days', 'rework.deadline', WD(5), true),
    ...commonPins('hohhot'),
  ],
  pingli: [
    pin('pingli 8 (平台设定): acceptance within one day', 'intake.acceptWithin', CD(1), true),
    pin('pingli 8 (平台设定): transfer within one day', 'intake.transferWithin', CD(1), true),
    pin('pingli 10(1): unit signs within 24 hours', 'handling.signWithin', H(24), false),
    pin('pingli 10(2): return applied for within 2 working days', 'handling.returnWithin', WD(2), false),
    pin('pingli 12(1): consultation due in 2 working days, urgent or not', [...deadlinePaths(['consultation'], 'normal'), ...deadlinePaths(['consultation'], 'urgent')], WD(2), false),
    pin('pingli 12(2): complaint/report/help/suggestion due in 5 working days', deadlinePaths(NON_CONSULTATION, 'normal'), WD(5), false),
    pin('pingli 12(2) (平台设定): urgent complaint/report/help/suggestion due in 3 working days', deadlinePaths(NON_CONSULTATION, 'urgent'), WD(3), true),
    pin('pingli 22: emergencies finished within 2 working days', deadlinePaths(ALL_TYPES, 'emergency'), WD(2), false),
    pin('pingli 22: emergencies handled within 2 hours', 'handling.emergencyResponse', H(2), false),
    pin('pingli 22(1): region-wide water/power/gas/network problems are finished within 2 working days (22 para. 2)', 'handling.utilities.rule', WD(2), false),
    pin('pingli 22(1): region-wide water/power/gas/network problems are handled (a response) within 2 hours', 'handling.utilities.response', H(2), false),
    pin('pingli 13: at most two extensions, each as long as the original deadline', 'extension.maxCount', 2, false),
    pin('pingli 28: escalation to the 县监委 after 6 months of continuous non-resolution', 'supervision.escalation.afterMonths', 6, false),
    pin('pingli 18: rework once', 'rework.maxCount', 1, false),
    pin('pingli 18: rework due in 5 working days', 'rework.deadline', WD(5), false),
    ...commonPins('pingli'),
  ],
  linyi: [
    pin('linyi 14 (平台设定): acceptance within one day', 'intake.acceptWithin', CD(1), true),
    pin('linyi 14 (平台设定): dispatch within one day', 'intake.transferWithin', CD(1), true),
    pin('linyi 17(1) (平台设定): unit signs within 24 hours', 'handling.signWithin', H(24), true),
    pin('linyi 16 (平台设定): return with proof within 2 working days', 'handling.returnWithin', WD(2), true),
    pin('linyi 17(2) (平台设定): consultation due in 2 working days', deadlinePaths(['consultation'], 'normal'), WD(2), true),
    pin('linyi 17(2) (平台设定): urgent consultation due in 1 working day', deadlinePaths(['consultation'], 'urgent'), WD(1), true),
    pin('linyi 17(2) (平台设定): help/complaint/report/suggestion due in 10 working days', deadlinePaths(NON_CONSULTATION, 'normal'), WD(10), true),
    pin('linyi 17(2) (平台设定): urgent help/complaint/report/suggestion due in 3 working days', deadlinePaths(NON_CONSULTATION, 'urgent'), WD(3), true),
    pin('linyi 41 (平台设定): emergencies due in 24 hours', deadlinePaths(ALL_TYPES, 'emergency'), H(24), true),
    pin('linyi 41 (平台设定): emergencies answered within 2 hours', 'handling.emergencyResponse', H(2), true),
    pin('linyi 28 (平台设定): water/power/gas/heat/network handled within 24 hours', 'handling.utilities.rule', H(24), true),
    pin('linyi 18 (平台设定): at most two extensions', 'extension.maxCount', 2, true),
    pin('linyi 18 (平台设定): each extension up to 10 working days', 'extension.length', WD(10), true),
    pin('linyi 20 (平台设定): one rework when dissatisfied (再次办理 sets no number)', 'rework.maxCount', 1, true),
    pin('linyi 20 (平台设定): rework due in 5 working days', 'rework.deadline', WD(5), true),
    ...commonPins('linyi'),
  ],
};

// ---------------------------------------------------------------------------------------------
// loading
// ---------------------------------------------------------------------------------------------

describe('policy profiles: loading', () => {
  it('has the five regulations, baiyin by default', () => {
    expect(profileIds).toEqual(['baiyin', 'anshan', 'hohhot', 'pingli', 'linyi']);
    expect(DEFAULT_PROFILE_ID).toBe('baiyin');
    expect(getProfile(DEFAULT_PROFILE_ID).platformName).toContain('码上反映·马上办理');
  });

  it.each(profileIds)('%s parses with profileSchema and parseProfile', (id) => {
    expect(() => profileSchema.parse(profileInputs[id])).not.toThrow();
    const p = parseProfile(profileInputs[id]);
    expect(p.id).toBe(id);
    expect(profiles[id]).toEqual(p);
    expect(getProfile(id)).toBe(profiles[id]);
  });

  it.each(profileIds)('%s accepts all five request types with a deadline for every urgency', (id) => {
    const p = profiles[id];
    expect([...p.requestTypes].sort()).toEqual([...ALL_TYPES].sort());
    for (const t of ALL_TYPES) {
      for (const u of ['normal', 'urgent', 'emergency'] as const) {
        expect(p.handling.deadlines[t]?.[u]?.amount).toBeGreaterThan(0);
      }
    }
  });

  it.each(profileIds)('%s: every citation names an article in the Chinese form and says what it means', (id) => {
    const citations: Citation[] = [];
    const walk = (n: unknown) => {
      if (n && typeof n === 'object') {
        const c = (n as { citation?: Citation }).citation;
        if (c) citations.push(c);
        Object.values(n).forEach(walk);
      }
    };
    walk(profiles[id]);
    expect(citations.length).toBeGreaterThan(10);
    for (const c of citations) {
      expect(c.article).toMatch(/^第[一二三四五六七八九十]+条/);
      expect(c.article).not.toMatch(/[()]/); // full-width （一）, as the regulations number items
      expect(c.text.length).toBeGreaterThan(4);
      if (c.platformSet) expect(c.text).toContain('平台设定');
    }
  });

  it('deadlineFor returns the rule for a type and urgency, and refuses an unknown type', () => {
    expect(deadlineFor(profiles.pingli, 'consultation', 'normal')).toMatchObject({ amount: 2, unit: 'workingDays' });
    expect(deadlineFor(profiles.hohhot, 'help', 'emergency').citation.article).toBe('第十六条第（一）项');
    expect(refusal(() => deadlineFor(profiles.pingli, 'petition' as RequestType, 'normal')).code).toBe('profile-invalid');
  });

  it('profiles are frozen', () => {
    expect(Object.isFrozen(profiles.pingli.handling.deadlines.complaint)).toBe(true);
    expect(() => {
      (profiles.pingli.handling.deadlines.complaint!.normal! as { amount: number }).amount = 99;
    }).toThrow(TypeError);
  });

  it('an unknown profile id is refused with profile-invalid', () => {
    expect(refusal(() => getProfile('beijing')).code).toBe('profile-invalid');
    expect(refusal(() => getProfile('__proto__')).code).toBe('profile-invalid');
  });
});

// ---------------------------------------------------------------------------------------------
// every number, pinned
// ---------------------------------------------------------------------------------------------

describe.each(profileIds)('%s: numbers', (id) => {
  const p = profiles[id];

  it.each(PINS[id].map((x) => [x.title, x] as const))('%s', (_title, x) => {
    for (const path of x.paths) {
      const value = at(p, path);
      if (x.expected !== undefined) {
        if (typeof x.expected === 'object') expect(value).toMatchObject(x.expected as object);
        else expect(value).toBe(x.expected);
      } else {
        expect(value).not.toBeUndefined();
      }
      if (x.platformSet !== null) {
        const c = citationAt(p, path);
        expect(c).toBeDefined();
        expect(c!.platformSet).toBe(x.platformSet);
      }
      // Each number under the path can be overridden exactly when it is platform-set.
      for (const leaf of numberPaths(at(p, path), path)) {
        const attempt = () => applyOverrides(p, [{ path: leaf, value: at(p, leaf) }]);
        if (x.platformSet === false) expect(refusal(attempt).message).toContain('由条例规定，不能修改');
        else expect(() => attempt()).not.toThrow();
      }
    }
  });

  it('every number in the profile is pinned above', () => {
    const pinned = PINS[id].flatMap((x) => x.paths);
    const unpinned = numberPaths(p)
      .filter((path) => path !== 'year')
      .filter((path) => !pinned.some((q) => path === q || path.startsWith(`${q}.`)));
    expect(unpinned).toEqual([]);
  });
});

describe('extension', () => {
  it('pingli 13: at most two extensions, each as long as the original deadline', () => {
    const e = profiles.pingli.extension;
    expect(e).toMatchObject({ allowed: true, maxCount: 2, length: 'original', totalCap: null, mustApplyBeforeDeadline: true });
    expect(e.citation).toMatchObject({ article: '第十三条', platformSet: false });
  });

  it('pingli 14: extensions need the 便民中心 approval (cited)', () => {
    expect(profiles.pingli.extension.citation.text).toContain('审核');
  });

  it('anshan 22: extensions capped at two months in total, applied for within the 5 working days', () => {
    const e = profiles.anshan.extension;
    expect(e).toMatchObject({ allowed: true, maxCount: null, mustApplyBeforeDeadline: true });
    expect(e.totalCap).toEqual({ amount: 2, unit: 'calendarMonths' });
    expect(e.citation).toMatchObject({ article: '第二十二条第二款', platformSet: false });
    expect(e.citation.text).toContain('两个月');
  });

  it('hohhot 19(3): extensions by approval; count and length platform-set', () => {
    const e = profiles.hohhot.extension;
    expect(e).toMatchObject({ allowed: true, maxCount: 2, length: WD(10), totalCap: null });
    expect(e.citation).toMatchObject({ article: '第十九条第一款第（三）项', platformSet: true });
  });

  it('baiyin 15: a late unit explains and tells the requester; count and length platform-set', () => {
    expect(profiles.baiyin.extension).toMatchObject({ allowed: true, maxCount: 2, length: WD(10) });
    expect(profiles.baiyin.extension.citation).toMatchObject({ article: '第十五条', platformSet: true });
  });

  it('linyi (silent, 平台设定): two extensions of 10 working days', () => {
    expect(profiles.linyi.extension).toMatchObject({ allowed: true, maxCount: 2, length: WD(10) });
    expect(profiles.linyi.extension.citation.platformSet).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// ratings, rework, flags
// ---------------------------------------------------------------------------------------------

describe('rating and rework', () => {
  const labels = (p: PolicyProfile) => p.rating.options.map((o) => o.label);
  const satisfied = (p: PolicyProfile) => p.rating.options.filter((o) => o.countsAsSatisfied).map((o) => o.label);
  const dissatisfied = (p: PolicyProfile) => p.rating.options.filter((o) => o.dissatisfied).map((o) => o.label);

  it('pingli 17: 满意 / 基本满意 / 不满意; 基本满意 counts as satisfied, only 不满意 opens rework (18)', () => {
    const p = profiles.pingli;
    expect(labels(p)).toEqual(['满意', '基本满意', '不满意']);
    expect(satisfied(p)).toEqual(['满意', '基本满意']);
    expect(dissatisfied(p)).toEqual(['不满意']);
    expect(p.rating.citation.article).toBe('第十七条第二款');
  });

  it('pingli 18-20: rework once in 5 working days; the second rating is final', () => {
    expect(profiles.pingli.rework).toMatchObject({ maxCount: 1, deadline: WD(5), lastRatingFinal: true });
    expect(profiles.pingli.rework.citation.article).toBe('第十八条至第二十条');
  });

  it('anshan 23: five stars; 1-2 dissatisfied, 3 neither, 4-5 satisfied; the unit may dispute', () => {
    const p = profiles.anshan;
    expect(p.rating.options.map((o) => o.value)).toEqual(['1', '2', '3', '4', '5']);
    expect(labels(p)).toEqual(['一星', '二星', '三星', '四星', '五星']);
    expect(dissatisfied(p)).toEqual(['一星', '二星']);
    expect(satisfied(p)).toEqual(['四星', '五星']);
    expect(p.rating.unitMayDispute).toBe(true);
    expect(p.rating.citation).toMatchObject({ article: '第二十三条第二款', platformSet: true });
  });

  it.each(['baiyin', 'linyi'] as const)('%s: satisfied / not satisfied', (id) => {
    expect(labels(profiles[id])).toEqual(['满意', '不满意']);
    expect(dissatisfied(profiles[id])).toEqual(['不满意']);
  });

  it('baiyin 17: one rework when dissatisfied; the count is platform-set (再次办理)', () => {
    expect(profiles.baiyin.rework).toMatchObject({ maxCount: 1 });
    expect(profiles.baiyin.rework.citation).toMatchObject({ article: '第十七条', platformSet: true });
  });

  it('linyi 20: rework on dissatisfaction; the count is platform-set (再次办理)', () => {
    expect(profiles.linyi.rework.citation).toMatchObject({ article: '第二十条', platformSet: true });
  });

  it('only anshan lets the unit dispute a rating (anshan 23)', () => {
    expect(profileIds.filter((id) => profiles[id].rating.unitMayDispute)).toEqual(['anshan']);
  });

  it('pingli 15: only pingli requires a case number on complaint replies', () => {
    expect(profileIds.filter((id) => profiles[id].handling.complaintNeedsCaseNumber)).toEqual(['pingli']);
  });

  it('linyi 16: only linyi requires proof with a return request', () => {
    expect(profileIds.filter((id) => profiles[id].handling.returnNeedsProof)).toEqual(['linyi']);
  });

  it('anshan 27: only anshan pauses the clock (recusal)', () => {
    expect(profileIds.filter((id) => profiles[id].clockPauses.length > 0)).toEqual(['anshan']);
    expect(profiles.anshan.clockPauses[0]).toMatchObject({ code: 'recusal', citation: { article: '第二十七条第二款、第三款' } });
  });

  it('anshan 7: no special utilities window', () => {
    expect(profiles.anshan.handling.utilities).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// non-acceptance grounds
// ---------------------------------------------------------------------------------------------

describe('non-acceptance grounds', () => {
  const codes = (id: ProfileId) => profiles[id].intake.nonAcceptanceGrounds.map((g) => g.code);
  const articles = (id: ProfileId) => profiles[id].intake.nonAcceptanceGrounds.map((g) => g.citation.article);

  it('hohhot 11: the seven grounds, in order', () => {
    expect(codes('hohhot')).toEqual([
      'out-of-jurisdiction',
      'emergency-line',
      'litigation-or-petition',
      'duplicate-no-new-facts',
      'historical-issue-in-progress',
      'beyond-duty-or-time-limit',
      'unlawful',
    ]);
    expect(articles('hohhot')).toEqual(['一', '二', '三', '四', '五', '六', '七'].map((n) => `第十一条第一款第（${n}）项`));
  });

  it('pingli 7: the eleven grounds, in order (96333 and corruption included)', () => {
    expect(codes('pingli')).toEqual([
      'out-of-jurisdiction',
      'emergency-line',
      'other-organs',
      'litigation-or-petition',
      'secrets-or-privacy',
      'official-corruption',
      'duplicate-no-new-facts',
      'unlawful',
      'incomplete',
      'no-real-name-self-interest',
      'other-unsuitable',
    ]);
    expect(profiles.pingli.intake.nonAcceptanceGrounds[1].label).toContain('96333');
    expect(articles('pingli')[10]).toBe('第七条第一款第（十一）项');
  });

  it('anshan 20: reconsideration/litigation/arbitration, real-name reports to 12388; emergencies (20(3)) are passed on, not refused', () => {
    expect(codes('anshan')).toEqual(expect.arrayContaining(['litigation-or-petition', 'real-name-report-12388']));
    expect(codes('anshan')).not.toContain('emergency-line');
    expect(profiles.anshan.emergencyHandOff).toMatchObject({ after: 'keepOpen', citation: { article: '第二十条第（三）项' } });
    const report = profiles.anshan.intake.nonAcceptanceGrounds.find((g) => g.code === 'real-name-report-12388')!;
    expect(report.label).toContain('12388');
    expect(report.citation.article).toBe('第二十条第（六）项');
  });

  it('baiyin 10: matters for reconsideration, arbitration, litigation, discipline or petitions', () => {
    const g = profiles.baiyin.intake.nonAcceptanceGrounds.find((x) => x.code === 'litigation-or-petition')!;
    expect(g.citation).toMatchObject({ article: '第十条第四款', platformSet: false });
  });

  it('linyi 13: grounds beyond scope (2) and termination (19) are platform-set', () => {
    const grounds = profiles.linyi.intake.nonAcceptanceGrounds;
    expect(grounds.find((g) => g.code === 'out-of-jurisdiction')!.citation.platformSet).toBe(false);
    expect(grounds.find((g) => g.code === 'emergency-line')!.citation).toMatchObject({ article: '第十三条', platformSet: true });
  });

  it('the same ground carries the same code everywhere', () => {
    for (const id of profileIds) expect(codes(id)).toContain('out-of-jurisdiction');
    for (const id of ['hohhot', 'pingli', 'baiyin', 'anshan', 'linyi'] as const) {
      expect(codes(id)).toContain('litigation-or-petition');
      expect(codes(id)).toContain('unlawful');
    }
    for (const id of profileIds) expect(new Set(codes(id)).size).toBe(codes(id).length);
  });
});

// ---------------------------------------------------------------------------------------------
// supervision, assessment, withdrawal
// ---------------------------------------------------------------------------------------------

describe('supervision', () => {
  it('baiyin 23: the five listed triggers, (4) covering 不满意 after the 再次办理 of 17; 24: escalation to 政务督查', () => {
    const s = profiles.baiyin.supervision;
    expect(s.triggers).toEqual(['refused-to-accept', 'overdue', 'false-report', 'repeated-requester', 'many-requesters', 'dissatisfied-after-rework']);
    expect(s.levels).toEqual(['系统催办', '限期书面反馈', '会议协商', '现场办理']);
    expect(s.escalation).toMatchObject({ label: '政务督查', citation: { article: '第二十四条' } });
  });

  it('linyi 30: triggers include a stale knowledge base; 31-32: media, then 政务督查', () => {
    const s = profiles.linyi.supervision;
    expect(s.triggers).toContain('knowledge-base-stale');
    expect(s.triggers).toContain('refused-to-accept');
    expect(s.escalation.label).toContain('政务督查');
    expect(s.escalation.citation.article).toBe('第三十一条、第三十二条');
  });

  it('pingli 24: leader instruction, overdue, dissatisfied after rework; 28: 县监委', () => {
    const s = profiles.pingli.supervision;
    expect(s.triggers).toEqual(expect.arrayContaining(['leader-instruction', 'overdue', 'dissatisfied-after-rework', 'many-requesters']));
    expect(s.escalation.citation.article).toBe('第二十八条');
  });

  it('anshan 25: overdue, repeated and collective requests, shirking/falsification, superior decision', () => {
    expect(profiles.anshan.supervision.triggers).toEqual(
      expect.arrayContaining(['overdue', 'repeated-requester', 'many-requesters', 'false-report', 'leader-instruction']),
    );
  });

  it('hohhot 6: triggers are platform-set', () => {
    expect(profiles.hohhot.supervision.citation.platformSet).toBe(true);
  });
});

describe('assessment and withdrawal', () => {
  it('baiyin 28 and hohhot 33: response, resolution, satisfaction', () => {
    for (const id of ['baiyin', 'hohhot'] as const) {
      expect(profiles[id].assessment.figures).toEqual(['response', 'resolution', 'satisfaction']);
      expect(profiles[id].assessment.citation.platformSet).toBe(false);
    }
  });

  it('pingli 30: on-time completion and satisfaction', () => {
    expect(profiles.pingli.assessment.figures).toEqual(['onTime', 'satisfaction']);
  });

  it('anshan 35 and linyi 35: figures platform-set', () => {
    expect(profiles.anshan.assessment.citation.platformSet).toBe(true);
    expect(profiles.linyi.assessment.citation.platformSet).toBe(true);
  });

  it.each(profileIds)('%s (平台设定): withdrawal allowed until the unit signs', (id) => {
    expect(profiles[id].withdrawal.allowedUntil).toBe('dispatched');
    expect(profiles[id].withdrawal.citation.platformSet).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// overrides
// ---------------------------------------------------------------------------------------------

describe('applyOverrides', () => {
  it('overrides a platform-set deadline and leaves the original untouched', () => {
    const p = applyOverrides(profiles.baiyin, [{ path: 'handling.deadlines.complaint.normal.amount', value: 7 }]);
    expect(p.handling.deadlines.complaint!.normal!).toMatchObject({ amount: 7, unit: 'workingDays' });
    expect(p.handling.deadlines.complaint!.normal!.citation.platformSet).toBe(true);
    expect(profiles.baiyin.handling.deadlines.complaint!.normal!.amount).toBe(10);
    expect(Object.isFrozen(p)).toBe(true);
  });

  it('overrides a whole platform-set span (amount and unit)', () => {
    const p = applyOverrides(profiles.linyi, [
      { path: 'handling.deadlines.consultation.normal', value: { amount: 48, unit: 'hours' } },
      { path: 'handling.signWithin', value: { amount: 12 } },
    ]);
    expect(p.handling.deadlines.consultation!.normal!).toMatchObject({ amount: 48, unit: 'hours' });
    expect(p.handling.signWithin).toMatchObject({ amount: 12, unit: 'hours' });
  });

  it('overrides platform-set numbers under a platform-set citation (extension, rework deadline)', () => {
    const p = applyOverrides(profiles.hohhot, [
      { path: 'extension.maxCount', value: 1 },
      { path: 'extension.length.amount', value: 5 },
      { path: 'extension.totalCap', value: { amount: 30, unit: 'calendarDays' } },
      { path: 'rework.deadline.amount', value: 3 },
    ]);
    expect(p.extension).toMatchObject({ maxCount: 1, length: WD(5), totalCap: CD(30) });
    expect(p.rework.deadline.amount).toBe(3);
  });

  it('overrides schema-level platform-set numbers (reminders, supervision thresholds)', () => {
    const p = applyOverrides(profiles.pingli, [
      { path: 'reminders.dueSoonAt', value: [0.75] },
      { path: 'reminders.warningWindow', value: { amount: 4, unit: 'hours' } },
      { path: 'supervision.repeatedRequester.count', value: 2 },
      { path: 'supervision.manyRequesters.count', value: 10 },
    ]);
    expect(p.reminders.dueSoonAt).toEqual([0.75]);
    expect(p.reminders.warningWindow).toEqual(H(4));
    expect(p.supervision.repeatedRequester.count).toBe(2);
    expect(p.supervision.manyRequesters.count).toBe(10);
  });

  it.each([
    ['pingli 12(2)', 'pingli', 'handling.deadlines.complaint.normal.amount', 10],
    ['pingli 10(1)', 'pingli', 'handling.signWithin', { amount: 48 }],
    ['pingli 13', 'pingli', 'extension.maxCount', 3],
    ['pingli 18', 'pingli', 'rework.deadline.amount', 10],
    ['anshan 22', 'anshan', 'extension.totalCap.amount', 90],
    ['anshan 20(2)', 'anshan', 'intake.acceptWithin.amount', 5],
    ['anshan 27', 'anshan', 'clockPauses.0.maxSpan.amount', 5],
    ['hohhot 16(1)', 'hohhot', 'handling.emergencyResponse.amount', 4],
    ['hohhot 16(2)', 'hohhot', 'handling.utilities.response.amount', 48],
    ['hohhot 16(3)', 'hohhot', 'handling.response.normal.amount', 8],
    ['baiyin 10', 'baiyin', 'intake.transferWithin.amount', 2],
    ['pingli 18', 'pingli', 'rework.maxCount', 2],
  ] as const)('refuses to override a statutory number (%s)', (_label, id, path, value) => {
    const e = refusal(() => applyOverrides(profiles[id], [{ path, value }]));
    expect(e.code).toBe('profile-invalid');
    expect(e.message).toContain('由条例规定，不能修改');
  });

  it.each([
    ['a citation', 'handling.deadlines.complaint.normal.citation.platformSet', false],
    ['a label', 'intake.nonAcceptanceGrounds.0.label', 'x'],
    ['a flag under a platform-set citation', 'extension.allowed', false],
    ['a unit typo', 'handling.deadlines.complaint.normal', { amount: 3, unit: 'weeks' }],
    ['a non-number', 'handling.deadlines.complaint.normal.amount', '7'],
    ['a negative number', 'handling.deadlines.complaint.normal.amount', -1],
    ['an extra key in a span', 'handling.deadlines.complaint.normal', { amount: 3, citation: {} }],
    ['an unknown path', 'handling.deadlines.complaint.overnight.amount', 1],
    ['a prototype path', '__proto__.polluted', 1],
    ['the id', 'id', 'other'],
    ['a number with no citation above it', 'year', 2030],
  ] as const)('refuses to override %s', (_label, path, value) => {
    const e = refusal(() => applyOverrides(profiles.baiyin, [{ path, value }]));
    expect(e.code).toBe('profile-invalid');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('applies all or nothing', () => {
    expect(() =>
      applyOverrides(profiles.pingli, [
        { path: 'handling.deadlines.complaint.urgent.amount', value: 2 },
        { path: 'handling.deadlines.complaint.normal.amount', value: 9 },
      ]),
    ).toThrow(DomainError);
    expect(profiles.pingli.handling.deadlines.complaint!.urgent!.amount).toBe(3);
  });
});

// ---------------------------------------------------------------------------------------------
// a sixth city
// ---------------------------------------------------------------------------------------------

describe('a sixth profile', () => {
  // A mutable deep copy: the tests below break it on purpose, so its type is deliberately loose.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form edits of profile data
  const copy = (): Record<string, any> => structuredClone(profileInputs.pingli) as Record<string, any>;

  it('a copy of pingli with a new id parses', () => {
    const input = { ...copy(), id: 'ankang', place: '安康市' };
    const p = parseProfile(input);
    expect(p.id).toBe('ankang');
    expect(p.handling.deadlines.consultation!.normal!.amount).toBe(2);
    expect(p.handling.signWithin!.citation.platformSet).toBe(false); // default filled in
  });

  it('a broken profile is refused with the zod issues as details', () => {
    const input = copy();
    input.id = 'Bad Id';
    input.handling.deadlines.complaint.normal.amount = -5;
    delete input.rating;
    const e = refusal(() => parseProfile(input));
    expect(e.code).toBe('profile-invalid');
    const paths = (e.details as { path: (string | number)[] }[]).map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['id', 'handling.deadlines.complaint.normal.amount', 'rating']));
  });

  it('a profile missing a deadline for one of its request types is refused', () => {
    const input = copy();
    delete input.handling.deadlines.suggestion.urgent;
    const e = refusal(() => parseProfile(input));
    expect(e.code).toBe('profile-invalid');
    expect(e.message).toContain('handling.deadlines.suggestion.urgent');
  });

  it('duplicate ground codes and a rating scale without a dissatisfied level are refused', () => {
    const input = copy();
    input.intake.nonAcceptanceGrounds.push(input.intake.nonAcceptanceGrounds[0]);
    input.rating.options = input.rating.options.map((o: Record<string, unknown>) => ({ ...o, dissatisfied: false }));
    const e = refusal(() => parseProfile(input));
    expect(e.code).toBe('profile-invalid');
    expect((e.details as unknown[]).length).toBe(2);
  });

  it('anything that is not an object is refused', () => {
    expect(refusal(() => parseProfile(null)).code).toBe('profile-invalid');
    expect(refusal(() => parseProfile('pingli')).code).toBe('profile-invalid');
  });
});
