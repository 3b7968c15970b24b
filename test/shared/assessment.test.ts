/**
 * The assessment figures (baiyin 28, hohhot 33, pingli 30) on a seeded set of tickets driven through
 * the domain, against numerators and denominators counted by hand below.
 */
import { assess, type Period, type UnitFigures } from '../../shared/metrics/assessment';
import { getProfile } from '../../shared/profiles';
import type { TicketEvent } from '../../shared/contracts/ticket';
import { Story, UNIT_A, UNIT_B, UNIT_C, actors, pingli, sh } from '../support/domainFixtures';

const MARCH: Period = { from: sh('2026-03-01 00:00'), to: sh('2026-04-01 00:00') };
const STAFF = { [UNIT_A]: actors.leadStaff, [UNIT_B]: actors.assistStaff, [UNIT_C]: actors.otherStaff } as const;
type Unit = keyof typeof STAFF;

/** Opened at `at`, accepted ten minutes later, dispatched to `unit` alone ten minutes after that. */
function dispatched(unit: Unit, at = sh('2026-03-02 10:00'), profile = pingli): Story {
  const s = Story.open(profile, { at });
  s.wait(10 * 60_000).do('accept', 'operator');
  s.wait(10 * 60_000).do('dispatch', 'operator', { mode: 'single', unitIds: [unit], assistUnitIds: [] });
  return s;
}

/** Reply, approval an hour later, and (optionally) a rating an hour after that. */
function finish(s: Story, unit: Unit, replyAt: string, rating?: { value: string; reason?: string }): Story {
  // pingli 10(1): a contact record before the reply, a minute earlier.
  s.at(sh(replyAt) - 60_000).do('contact', STAFF[unit]);
  s.at(sh(replyAt)).do('reply', STAFF[unit]);
  s.wait(60 * 60_000).do('reviewResult', 'operator', { approve: true });
  if (rating) s.wait(60 * 60_000).do('rate', 'resident', rating);
  return s;
}

const SATISFIED = { value: 'satisfied' };
const BASICALLY = { value: 'basically-satisfied' };
const DISSATISFIED = { value: 'dissatisfied', reason: '问题没有解决' };

/** The seeded tickets; each comment gives what it adds to its lead unit's figures in March. */
function seed(): Record<string, Story> {
  const t: Record<string, Story> = {};

  // T1 (A): signed in 2 h, replied in time, 满意 → response ✓, resolution ✓, satisfaction ✓, on time ✓.
  t.T1 = dispatched(UNIT_A);
  t.T1.at(sh('2026-03-02 12:00')).do('sign', STAFF[UNIT_A]);
  finish(t.T1, UNIT_A, '2026-03-04 10:00', SATISFIED);

  // T2 (A): signed after the 24 h window, replied in time, 基本满意 → response ✗, resolution ✓, satisfaction ✓ (pingli 17), on time ✓.
  t.T2 = dispatched(UNIT_A);
  t.T2.at(sh('2026-03-04 09:00')).do('sign', STAFF[UNIT_A]);
  finish(t.T2, UNIT_A, '2026-03-05 10:00', BASICALLY);

  // T3 (A, assisted by B): one approved extension (due 03-16), replied 03-12, 不满意 (sent back by
  // itself), replied again 03-13, 不满意 → response ✓, resolution ✗, satisfaction ✗, on time ✓✓
  // (the handling and the rework deadline), extensions +1.
  t.T3 = Story.open(pingli, { at: sh('2026-03-02 10:00') });
  t.T3.wait(10 * 60_000).do('accept', 'operator');
  t.T3.wait(10 * 60_000).do('dispatch', 'operator', { mode: 'lead', unitIds: [UNIT_A], assistUnitIds: [UNIT_B] });
  t.T3.at(sh('2026-03-02 11:00')).do('sign', STAFF[UNIT_A]);
  t.T3.at(sh('2026-03-02 11:30')).do('sign', STAFF[UNIT_B]);
  t.T3.at(sh('2026-03-06 10:00')).do('requestExtension', STAFF[UNIT_A]);
  t.T3.at(sh('2026-03-06 11:00')).do('reviewExtension', 'operator', { approve: true });
  // pingli 18: sent back at once; after the rework, 不满意 again is final (pingli 20).
  finish(t.T3, UNIT_A, '2026-03-12 10:00', DISSATISFIED);
  finish(t.T3, UNIT_A, '2026-03-13 10:00', DISSATISFIED);

  // T4 (A): replied after the deadline (end of 03-09), not rated → response ✓, resolution ✓, on time ✗.
  t.T4 = dispatched(UNIT_A);
  t.T4.at(sh('2026-03-02 11:00')).do('sign', STAFF[UNIT_A]);
  finish(t.T4, UNIT_A, '2026-03-10 09:00');

  // T5 (B, then C): B signs and asks to return it; approved; C handles it, 满意 →
  // B: returns +1; C: response ✓, resolution ✓, satisfaction ✓, on time ✓.
  t.T5 = dispatched(UNIT_B);
  t.T5.at(sh('2026-03-02 11:00')).do('sign', STAFF[UNIT_B]);
  t.T5.at(sh('2026-03-03 09:00')).do('requestReturn', STAFF[UNIT_B]);
  t.T5.at(sh('2026-03-03 10:00')).do('reviewReturn', 'operator', { approve: true });
  t.T5.at(sh('2026-03-03 11:00')).do('dispatch', 'operator', { mode: 'single', unitIds: [UNIT_C], assistUnitIds: [] });
  t.T5.at(sh('2026-03-03 12:00')).do('sign', STAFF[UNIT_C]);
  finish(t.T5, UNIT_C, '2026-03-05 10:00', SATISFIED);

  // T6 (C): never signed → response ✗.
  t.T6 = dispatched(UNIT_C);

  // T7 (A): signed, then terminated → response ✓; no resolution; its deadline is cancelled, not missed.
  t.T7 = dispatched(UNIT_A);
  t.T7.at(sh('2026-03-02 11:00')).do('sign', STAFF[UNIT_A]);
  t.T7.at(sh('2026-03-03 10:00')).do('terminate', 'operator');

  // T8 (A): withdrawn before signing → not counted at all.
  t.T8 = dispatched(UNIT_A);
  t.T8.at(sh('2026-03-02 11:00')).do('withdraw', 'resident');

  // T9: refused at intake → no unit, not counted.
  t.T9 = Story.open(pingli, { at: sh('2026-03-02 10:00') });
  t.T9.wait(10 * 60_000).do('refuse', 'operator');

  // T10: a consultation answered at once and rated 满意 → no unit, not counted.
  t.T10 = Story.open(pingli, { at: sh('2026-03-02 10:00'), input: { type: 'consultation' } });
  t.T10.wait(10 * 60_000).do('answer', 'operator');
  t.T10.wait(10 * 60_000).do('rate', 'resident', SATISFIED);

  // T11 (A): 不满意, one rework, then 满意 → response ✓, resolution ✓, satisfaction ✓ (last rating),
  // on time ✓✓ (the handling deadline and the rework deadline).
  t.T11 = dispatched(UNIT_A);
  t.T11.at(sh('2026-03-02 11:00')).do('sign', STAFF[UNIT_A]);
  // pingli 18: the 不满意 sends it back by itself.
  finish(t.T11, UNIT_A, '2026-03-03 10:00', DISSATISFIED);
  finish(t.T11, UNIT_A, '2026-03-05 10:00', SATISFIED);

  // T12 (C): dispatched in February (Thu 02-26; due the end of 03-04 across the make-up Saturday
  // 02-28), resolved in March → response not counted; resolution ✓, satisfaction ✓, on time ✓.
  t.T12 = dispatched(UNIT_C, sh('2026-02-26 10:00'));
  t.T12.at(sh('2026-02-26 11:00')).do('sign', STAFF[UNIT_C]);
  finish(t.T12, UNIT_C, '2026-03-03 10:00', SATISFIED);

  // T13 (A): dispatched in March, resolved in April → response ✓ only.
  t.T13 = dispatched(UNIT_A, sh('2026-03-30 10:00'));
  t.T13.at(sh('2026-03-30 11:00')).do('sign', STAFF[UNIT_A]);
  finish(t.T13, UNIT_A, '2026-04-02 10:00', SATISFIED);

  return t;
}

const ratio = (numerator: number, denominator: number) => ({ numerator, denominator, rate: denominator ? numerator / denominator : null });

/** Counted by hand from the comments in `seed`. */
const EXPECTED: Record<string, Omit<UnitFigures, 'unitId'>> = {
  [UNIT_A]: { response: ratio(6, 7), resolution: ratio(4, 5), satisfaction: ratio(3, 4), onTime: ratio(6, 7), extensions: 1, returns: 0 },
  [UNIT_B]: { response: ratio(0, 0), resolution: ratio(0, 0), satisfaction: ratio(0, 0), onTime: ratio(0, 0), extensions: 0, returns: 1 },
  [UNIT_C]: { response: ratio(1, 2), resolution: ratio(2, 2), satisfaction: ratio(2, 2), onTime: ratio(2, 2), extensions: 0, returns: 0 },
  '*': { response: ratio(7, 9), resolution: ratio(6, 7), satisfaction: ratio(5, 6), onTime: ratio(8, 9), extensions: 1, returns: 1 },
};

const byUnit = (figures: UnitFigures[]) => Object.fromEntries(figures.map(({ unitId, ...f }) => [unitId, f]));
const gather = (stories: Story[]) => ({ tickets: stories.map((s) => s.ticket), events: stories.flatMap((s) => s.events) as TicketEvent[] });

describe('assess: pingli, March 2026', () => {
  const stories = seed();
  const { tickets, events } = gather(Object.values(stories));

  it('the seeded tickets ended where the story says', () => {
    const states = Object.fromEntries(Object.entries(stories).map(([k, s]) => [k, s.ticket.state]));
    expect(states).toEqual({
      T1: 'closed', T2: 'closed', T3: 'dissatisfied', T4: 'resolved', T5: 'closed', T6: 'dispatched', T7: 'terminated',
      T8: 'withdrawn', T9: 'rejected', T10: 'closed', T11: 'closed', T12: 'closed', T13: 'closed',
    });
    expect(stories.T2!.ticket.deadlines.find((d) => d.kind === 'sign')!.status).toBe('missed');
    expect(stories.T4!.ticket.deadlines.find((d) => d.kind === 'handle')!.status).toBe('missed');
    expect(stories.T12!.ticket.deadlines.find((d) => d.kind === 'handle')!.dueAt).toBe(sh('2026-03-04 23:59') + 59_999);
  });

  it('per unit and for all units (*): numerators and denominators as counted by hand', () => {
    expect(byUnit(assess(tickets, events, pingli, MARCH))).toEqual(EXPECTED);
  });

  it('for one unit: that unit and * carry the same figures', () => {
    const figures = byUnit(assess(tickets, events, pingli, MARCH, UNIT_A));
    expect(figures).toEqual({ [UNIT_A]: EXPECTED[UNIT_A], '*': EXPECTED[UNIT_A] });
  });

  it('pingli 17/30: 基本满意 counts as satisfied; 不满意 does not', () => {
    const one = (s: Story) => byUnit(assess([s.ticket], s.events, pingli, MARCH))[UNIT_A]!.satisfaction;
    expect(one(stories.T2!)).toEqual(ratio(1, 1));
    expect(one(stories.T3!)).toEqual(ratio(0, 1));
  });

  it('an empty period gives * with nothing counted', () => {
    const nothing = assess(tickets, events, pingli, { from: sh('2025-01-01 00:00'), to: sh('2025-02-01 00:00') });
    expect(nothing).toEqual([{ unitId: '*', response: ratio(0, 0), resolution: ratio(0, 0), satisfaction: ratio(0, 0), onTime: ratio(0, 0), extensions: 0, returns: 0 }]);
  });

  it('pingli 10(1): a ticket not yet signed inside its 24 h window is not counted as unresponded; once the window passed it is', () => {
    const s = dispatched(UNIT_A, sh('2026-03-31 20:00'));
    const sign = s.ticket.deadlines.find((d) => d.kind === 'sign')!;
    expect(sign.status).toBe('active');
    const at = (now: number) => byUnit(assess([s.ticket], s.events, pingli, MARCH, undefined, now))[UNIT_A]?.response;
    // Taken an hour after dispatch: the unit still has time.
    expect(at(sh('2026-03-31 21:20'))).toBeUndefined();
    expect(byUnit(assess([...tickets, s.ticket], [...events, ...s.events], pingli, MARCH, undefined, sh('2026-03-31 21:20')))[UNIT_A]!.response).toEqual(EXPECTED[UNIT_A]!.response);
    // Taken after the window closed (the timer may not have marked it yet): not responded.
    expect(at(sign.dueAt + 1)).toEqual(ratio(0, 1));
    // Signed inside the window: responded, whenever the figures are taken.
    s.at(sh('2026-03-31 22:00')).do('sign', STAFF[UNIT_A]);
    expect(at(sh('2026-03-31 22:30'))).toEqual(ratio(1, 1));
  });

  it('a ticket still being handled after its instant answer was rejected is not in the resolution figures', () => {
    const s = Story.open(pingli, { at: sh('2026-03-02 10:00'), input: { type: 'consultation' } });
    s.wait(10 * 60_000).do('answer', 'operator');
    s.wait(10 * 60_000).do('rate', 'resident', DISSATISFIED);
    s.wait(10 * 60_000).do('dispatch', 'operator', { mode: 'single', unitIds: [UNIT_A], assistUnitIds: [] });
    s.wait(10 * 60_000).do('sign', STAFF[UNIT_A]);
    expect(s.ticket.state).toBe('handling');
    const withIt = gather([...Object.values(stories), s]);
    expect(byUnit(assess(withIt.tickets, withIt.events, pingli, MARCH))[UNIT_A]!.resolution).toEqual(EXPECTED[UNIT_A]!.resolution);
  });
});

describe('assess: anshan 23, stars', () => {
  const anshan = getProfile('anshan');
  it.each([
    ['5', ratio(1, 1), ratio(1, 1)],
    ['4', ratio(1, 1), ratio(1, 1)],
    ['3', ratio(0, 1), ratio(1, 1)], // neither: not satisfied, but not a dissatisfied conclusion either
    ['1', ratio(0, 1), ratio(0, 1)],
  ])('%s stars: satisfaction and resolution', (value, satisfaction, resolution) => {
    const s = dispatched(UNIT_A, sh('2026-03-02 10:00'), anshan);
    s.at(sh('2026-03-02 11:00')).do('sign', STAFF[UNIT_A]);
    finish(s, UNIT_A, '2026-03-04 10:00', { value, reason: '办理不彻底' });
    const f = byUnit(assess([s.ticket], s.events, anshan, MARCH))[UNIT_A]!;
    expect(f.satisfaction).toEqual(satisfaction);
    expect(f.resolution).toEqual(resolution);
  });
});
