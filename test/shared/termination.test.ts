/**
 * Termination grounds as profile data (baiyin 19, linyi 18 and 19), and the platform-set numbers
 * the admin form offers: each one is an override applyOverrides accepts.
 */
import { applyOverrides, getProfile, profileIds } from '../../shared/profiles';
import { overridableNumbers, ruleChanges } from '../../shared/profiles/summary';
import { decide } from '../../shared/workflow/transition';
import { actors, command, ctxAt, PROOF, ticketIn } from '../support/domainFixtures';

const grounds = (id: string) => getProfile(id).termination.grounds.map((g) => ({ code: g.code, article: g.citation.article, by: g.by, proofRequired: g.proofRequired }));

describe('termination grounds per profile', () => {
  it('baiyin 19(1): unlawful or against public order, after explaining, by the platform', () => {
    expect(grounds('baiyin')).toContainEqual({ code: 'unlawful', article: '第十九条第一款', by: ['platform'], proofRequired: false });
  });
  it('baiyin 19(2): the requester does not cooperate; the platform, or a unit proposing it with proof', () => {
    expect(grounds('baiyin')).toContainEqual({ code: 'uncooperative', article: '第十九条第二款', by: ['platform', 'unit'], proofRequired: true });
  });
  it('linyi 18: refusal to cooperate, by the unit with proof to the hotline agency', () => {
    expect(grounds('linyi')).toContainEqual({ code: 'uncooperative', article: '第十八条', by: ['unit'], proofRequired: true });
  });
  it('linyi 19: unlawful and still dissatisfied after explanation, by the unit with proof, after review', () => {
    expect(grounds('linyi')).toContainEqual({ code: 'unlawful-explained', article: '第十九条', by: ['unit'], proofRequired: true });
  });
  it.each(['anshan', 'hohhot', 'pingli'])('%s names no termination grounds', (id) => {
    expect(grounds(id)).toEqual([]);
  });
});

describe('deciding termination', () => {
  const baiyin = getProfile('baiyin');
  const linyi = getProfile('linyi');

  it('baiyin 19: a ground only the platform has cannot be proposed by a unit', () => {
    const s = ticketIn('handling', baiyin);
    const d = decide(s.ticket, command('proposeTermination', s.ticket, baiyin, { groundCode: 'unlawful', attachments: [PROOF] }), actors.leadStaff, ctxAt(s.now + 60_000, baiyin));
    expect(d).toMatchObject({ ok: false, code: 'unknown-termination-ground' });
  });

  it('linyi 19: an approved proposal terminates with the ground, its article and the proposing unit; deadlines are cancelled', () => {
    const s = ticketIn('handling', linyi);
    s.do('proposeTermination', 'leadStaff', { groundCode: 'unlawful-explained', attachments: [PROOF] });
    expect(s.ticket.pendingTermination).toMatchObject({ groundCode: 'unlawful-explained', article: '第十九条' });
    const d = s.do('reviewTermination', 'operator', { approve: true, note: '材料齐全' });
    expect(d.ticket).toMatchObject({ state: 'terminated', termination: { groundCode: 'unlawful-explained', article: '第十九条', reason: '材料齐全' } });
    expect(d.ticket.pendingTermination).toBeUndefined();
    expect(d.ticket.deadlines.every((x) => x.status !== 'active')).toBe(true);
    expect(d.event).toMatchObject({ public: true, data: { approve: true, article: '第十九条' } });
  });

  it('linyi: a refused proposal leaves the ticket with the unit, and the unit may propose again', () => {
    const s = ticketIn('handling', linyi);
    s.do('proposeTermination', 'leadStaff');
    const d = s.do('reviewTermination', 'operator', { approve: false, note: '请补充解释说明记录' });
    expect(d.ticket.state).toBe('handling');
    expect(d.event.public).toBe(false);
    expect(s.try('proposeTermination', 'leadStaff').ok).toBe(true);
  });
});

describe('the admin form’s platform-set numbers', () => {
  it.each(profileIds)('%s: every number the form offers is accepted as an override and shows as one change', (id) => {
    const p = getProfile(id);
    for (const n of overridableNumbers(p)) {
      const next = applyOverrides(p, [{ path: n.path, value: n.value + 1 }]);
      expect(ruleChanges(p, next).length).toBeGreaterThan(0);
    }
  });
});

describe('a proposal leaves with the unit', () => {
  it('baiyin: an approved return drops the unit’s pending termination proposal', () => {
    const baiyin = getProfile('baiyin');
    const s = ticketIn('handling', baiyin);
    s.do('proposeTermination', 'leadStaff');
    s.do('requestReturn', 'leadStaff');
    const d = s.do('reviewReturn', 'operator', { approve: true });
    expect(d.ticket.pendingTermination).toBeUndefined();
    expect(s.try('reviewTermination', 'operator')).toMatchObject({ ok: false, code: 'illegal-transition' });
  });
});
