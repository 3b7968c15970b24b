/**
 * Unclear duties (baiyin 11(3) and 13, hohhot 15(3), 12, 20 and 21, pingli 9, linyi 15(3)): a unit
 * asks for coordination instead of returning; a second return starts it by itself; the platform
 * decides the unit with its basis, after which that unit cannot return it; hohhot's fallback is the
 * first lead unit (首接负责制).
 */
import { getProfile } from '../../shared/profiles';
import { Story, UNIT_A, UNIT_B, UNIT_C, actors, pingli, ticketIn } from '../support/domainFixtures';

const codeOf = (d: { ok: boolean; code?: string }) => (d.ok ? 'ok' : d.code);
const staffC = { userId: 'u-staff-c', role: 'staff' as const, unitId: UNIT_C };

describe('coordination instead of a return', () => {
  it('linyi 15(3): the lead unit asks; operators are told; the platform decides another unit, which cannot return it', () => {
    const s = ticketIn('handling', getProfile('linyi'));
    const asked = s.wait(60_000).do('requestCoordination', 'leadStaff', { reason: '该路段管养职责在城管与住建之间不明确' });
    expect(asked.ticket.state).toBe('coordinationRequested');
    expect(asked.ticket.pendingCoordination).toEqual({ unitId: UNIT_A, reason: '该路段管养职责在城管与住建之间不明确', at: s.now, auto: false });
    expect(asked.effects).toEqual([expect.objectContaining({ audience: { kind: 'operators' }, template: 'review' })]);
    const d = s.wait(60_000).do('coordinate', 'operator', { unitId: UNIT_C, basis: '联席会议纪要〔2026〕3号：该路段由住建局管养' });
    expect(d.ticket.state).toBe('dispatched');
    expect(d.ticket.assignments.map((a) => `${a.unitId}:${a.role}`)).toEqual([`${UNIT_C}:lead`, `${UNIT_B}:assist`]);
    expect(d.ticket.coordination).toEqual({ unitId: UNIT_C, basis: '联席会议纪要〔2026〕3号：该路段由住建局管养', at: s.now, fallback: false });
    expect(d.ticket.pendingCoordination).toBeUndefined();
    expect(d.event.data).toMatchObject({ unitId: UNIT_C, article: '第十五条第（三）项' });
    expect(d.effects.map((e) => e.kind === 'notify' && [e.audience, e.template])).toEqual([
      [{ kind: 'units', unitIds: [UNIT_C] }, 'assigned'],
      [{ kind: 'units', unitIds: [UNIT_A] }, 'progress'],
      [{ kind: 'requester' }, 'progress'],
    ]);
    expect(d.ticket.deadlines.filter((x) => x.status === 'active').map((x) => [x.kind, x.owner])).toEqual([['sign', UNIT_C], ['handle', UNIT_C]]);
    // The decided unit signs and works; it cannot return it or ask again.
    s.wait(60_000).do('sign', staffC);
    expect(codeOf(s.try('requestReturn', staffC))).toBe('return-after-coordination');
    expect(codeOf(s.try('requestCoordination', staffC))).toBe('return-after-coordination');
    expect(codeOf(s.try('contact', staffC))).toBe('ok');
  });

  it('baiyin 11(3): a second return of the same ticket starts coordination by itself', () => {
    const s = ticketIn('handling', getProfile('baiyin'));
    s.wait(60_000).do('requestReturn', 'leadStaff');
    s.wait(60_000).do('reviewReturn', 'operator', { approve: true });
    expect(s.ticket.counters.returns).toBe(1);
    s.wait(60_000).do('dispatch', 'operator', { mode: 'single', unitIds: [UNIT_C], assistUnitIds: [] });
    const again = s.wait(60_000).do('requestReturn', staffC, { reason: '也不属于本单位职责' });
    expect(again.ticket.state).toBe('coordinationRequested');
    expect(again.ticket.pendingCoordination).toEqual({ unitId: UNIT_C, reason: '也不属于本单位职责', at: s.now, auto: true });
    expect(again.ticket.pendingReturn).toBeUndefined();
    expect(again.effects).toEqual([expect.objectContaining({ audience: { kind: 'operators' }, summary: '该诉求再次被申请退回，已转入协调，请确定承办单位' })]);
    // The first return was an ordinary one.
    expect(ticketIn('handling', getProfile('baiyin')).wait(60_000).do('requestReturn', 'leadStaff').ticket.state).toBe('returnRequested');
  });

  it('the platform keeps the unit that asked: the work resumes with its deadlines, and the unit can no longer return it', () => {
    const s = ticketIn('handling');
    const handle = s.ticket.deadlines.find((d) => d.kind === 'handle' && d.status === 'active')!;
    s.wait(60_000).do('requestCoordination', 'leadStaff', { reason: '职责交叉' });
    const d = s.wait(60_000).do('coordinate', 'operator', { unitId: UNIT_A, basis: '县政府协调会确定由城管局办理' });
    expect(d.ticket.state).toBe('handling');
    expect(d.ticket.deadlines.find((x) => x.kind === 'handle' && x.status === 'active')).toEqual(handle);
    expect(d.event.data).toMatchObject({ article: '第九条' });
    expect(codeOf(s.try('requestReturn', 'leadStaff'))).toBe('return-after-coordination');
  });

  it('a pending return may be decided by coordination at once', () => {
    const s = ticketIn('returnRequested');
    const d = s.wait(60_000).do('coordinate', 'operator', { unitId: UNIT_C, basis: '职责清单：属住建局' });
    expect(d.ticket).toMatchObject({ state: 'dispatched', pendingReturn: undefined, coordination: { unitId: UNIT_C } });
  });

  it('hohhot 12 and 21: without a unit the fallback is the first lead unit; pingli names none, so a unit is required', () => {
    const hohhot = getProfile('hohhot');
    const s = Story.open(hohhot);
    s.wait(60_000).do('accept', 'operator');
    s.wait(60_000).do('dispatch', 'operator', { mode: 'single', unitIds: [UNIT_A], assistUnitIds: [] });
    s.wait(60_000).do('requestReturn', 'leadStaff');
    s.wait(60_000).do('reviewReturn', 'operator', { approve: true });
    s.wait(60_000).do('dispatch', 'operator', { mode: 'single', unitIds: [UNIT_C], assistUnitIds: [] });
    expect(s.ticket.firstLeadUnitId).toBe(UNIT_A);
    s.wait(60_000).do('requestCoordination', staffC, { reason: '职责争议' });
    const d = s.wait(60_000).do('coordinate', 'operator', { unitId: undefined, basis: '按首接负责制由首接单位办理' });
    expect(d.ticket.coordination).toMatchObject({ unitId: UNIT_A, fallback: true });
    expect(d.event.data).toMatchObject({ article: '第十二条、第二十一条', fallback: true });
    const p = ticketIn('coordinationRequested', pingli);
    expect(codeOf(p.wait(60_000).try('coordinate', 'operator', { unitId: undefined, basis: '会议协调' }))).toBe('coordination-unit-required');
  });

  it('only operators decide, and only the lead unit asks', () => {
    const s = ticketIn('coordinationRequested');
    expect(codeOf(s.try('coordinate', 'leadStaff'))).toBe('forbidden');
    expect(codeOf(ticketIn('handling').try('requestCoordination', 'assistStaff'))).toBe('not-lead-unit');
    expect(codeOf(ticketIn('handling').try('requestCoordination', actors.operator))).toBe('forbidden');
  });
});
