/**
 * shared/policy: the rules the handlers used to restate (abuse limits, duplicates, the
 * repeated-requester trigger, who may see a ticket, the 督办 lists, masking, unit suggestions).
 */
import { getProfile } from '../../shared/profiles';
import {
  DEFAULT_LIMITS, abuseLimitsApply, canSee, checkDuplicate, checkSubmissionRate, duplicateWindowStart, isRepeatedRequester, isSupervised,
  maskName, maskPhone, normalizeContent, repeatedRequesterSince, suggestUnits,
} from '../../shared/policy';
import { DAY, T0, actors, ticketIn } from '../support/domainFixtures';

const codeOf = (f: () => void) => {
  try {
    f();
    return null;
  } catch (e) {
    return (e as { code?: string }).code;
  }
};

describe('abuse limits (baiyin 29, linyi 12/46)', () => {
  it('apply to everyone but the operators registering calls', () => {
    expect(abuseLimitsApply(actors.resident)).toBe(true);
    expect(abuseLimitsApply(actors.grid)).toBe(true);
    expect(abuseLimitsApply(actors.operator)).toBe(false);
  });
  it('the 20th submission of the hour passes, the 21st is refused with the limit in the message', () => {
    expect(codeOf(() => checkSubmissionRate(20, DEFAULT_LIMITS))).toBeNull();
    expect(codeOf(() => checkSubmissionRate(21, DEFAULT_LIMITS))).toBe('rate-limited');
    expect(() => checkSubmissionRate(21, DEFAULT_LIMITS)).toThrow('每小时最多提交20件诉求');
  });
});

describe('duplicates', () => {
  it('same text up to surrounding and repeated whitespace', () => {
    expect(normalizeContent('  路灯 不亮\n\n已经三天  ')).toBe('路灯 不亮 已经三天');
  });
  it('counted over the configured window, refused as duplicate-submission', () => {
    expect(duplicateWindowStart(T0, DEFAULT_LIMITS)).toBe(T0 - DAY);
    expect(codeOf(() => checkDuplicate({ duplicate: true }))).toBe('duplicate-submission');
    expect(codeOf(() => checkDuplicate({ duplicate: false }))).toBeNull();
  });
});

describe('repeated-requester trigger (supervision.repeatedRequester, platform-set)', () => {
  const baiyin = getProfile('baiyin');
  const pingli = getProfile('pingli');
  it('counts a resident over the profile window; not for grid workers or operators, not where the profile lacks it', () => {
    const rr = baiyin.supervision.repeatedRequester;
    expect(repeatedRequesterSince(baiyin, actors.resident, T0)).toBe(T0 - rr.withinDays * DAY);
    expect(repeatedRequesterSince(baiyin, actors.grid, T0)).toBeNull();
    expect(repeatedRequesterSince(baiyin, actors.operator, T0)).toBeNull();
    expect(pingli.supervision.triggers).not.toContain('repeated-requester');
    expect(repeatedRequesterSince(pingli, actors.resident, T0)).toBeNull();
  });
  it('fires when this request reaches the count', () => {
    const { count } = baiyin.supervision.repeatedRequester;
    expect(isRepeatedRequester(baiyin, count - 2)).toBe(false);
    expect(isRepeatedRequester(baiyin, count - 1)).toBe(true);
  });
});

describe('who may load a ticket', () => {
  const { ticket } = ticketIn('handling');
  it.each([
    ['resident', true], ['otherResident', false], ['grid', false], ['leadStaff', true], ['assistStaff', true], ['otherStaff', false], ['operator', true], ['system', true],
  ] as const)('%s: %s', (who, seen) => {
    expect(canSee(ticket, actors[who])).toBe(seen);
  });
  it('the reporter who filed for someone else sees it too', () => {
    expect(canSee({ ...ticket, reporter: { userId: actors.grid.userId, role: 'grid' } }, actors.grid)).toBe(true);
  });
});

describe('the 督办 lists', () => {
  const { ticket } = ticketIn('handling');
  it('hold a ticket under supervision at any level, or overdue', () => {
    expect(isSupervised(ticket)).toBe(false);
    expect(isSupervised({ ...ticket, overdue: true })).toBe(true);
    expect(isSupervised({ ...ticket, supervision: { ...ticket.supervision, level: 1 } })).toBe(true);
  });
});

describe('masking', () => {
  it('keeps the first character of a name and the ends of a phone', () => {
    expect(maskName('张三丰')).toBe('张**');
    expect(maskName('张三')).toBe('张*');
    expect(maskName(undefined)).toBeUndefined();
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskPhone('12345')).toBe('****');
  });
});

describe('unit suggestions', () => {
  const units = [
    { id: 'water', name: '水务集团', categories: ['供水'], areas: [], active: true },
    { id: 'east', name: '东区街道', categories: [], areas: ['东区'], active: true },
    { id: 'old', name: '已撤销单位', categories: ['供水'], areas: ['东区'], active: false },
    { id: 'power', name: '供电公司', categories: [], areas: [], active: true },
  ];
  const led = (unitId: string, category: string) => ({ category, assignments: [{ unitId, role: 'lead' as const }] });
  it('past dispatches of the category weigh 2 each, a declared category 3, a declared area 2; inactive units left out', () => {
    const out = suggestUnits({ category: '供水', location: { area: '东区' } }, units, [led('power', '供水'), led('power', '供水'), led('east', '噪音')]);
    expect(out.map((u) => [u.id, u.score, u.pastDispatches])).toEqual([['power', 4, 2], ['water', 3, 0], ['east', 2, 0]]);
  });
});
