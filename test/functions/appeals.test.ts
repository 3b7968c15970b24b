/**
 * Issue 18 §3: a unit appeals how a ticket is counted against it (pingli 31), the operator decides
 * with a reason, and the figures recompute from the facts. Held over HTTP on a fresh local runtime.
 */
import { startLiveRuntime, sh, type LiveRuntime } from '../support/runtime';

jest.setTimeout(180_000);

interface Ratio {
  numerator: number;
  denominator: number;
  rate: number | null;
}
interface UnitFigures {
  unitId: string;
  satisfaction: Ratio;
  response: Ratio;
  appeals: number;
}
interface Detail {
  ticket: {
    id: string;
    ratings: { value: string; at: number }[];
    assignments: { unitId: string; role: string }[];
    pendingAppeal?: { unitId: string; groundCode: string; metrics: string[] };
    appeals?: { unitId: string; metrics: string[]; upheld: boolean; note: string }[];
  };
  timeline: { type: string; note?: string }[];
  actions: string[];
}

/** pingli 17: 满意 and 基本满意 count as satisfied. */
const SATISFIED = new Set(['satisfied', 'basically-satisfied']);

let n = 0;
function input() {
  n += 1;
  return {
    clientRequestId: `appeal-${String(n).padStart(4, '0')}-${Date.now()}`,
    type: 'help',
    category: '市容环境',
    content: `第${n}件：小区门口的路灯坏了很久，晚上出行不便。`,
    location: { address: '滨河公园南门', area: '东区街道' },
    contact: { name: '张明', phone: '13800001234' },
  };
}

describe('pingli 31: appeals of how a ticket is counted', () => {
  let rt: LiveRuntime;
  beforeAll(async () => {
    rt = await startLiveRuntime('pingli');
  });
  afterAll(() => rt.stop());

  const staffCmd = (who: string, id: string, command: Record<string, unknown>) => rt.call(who, 'staff', { action: 'command', command: { ticketId: id, ...command } });
  const opCmd = (id: string, command: Record<string, unknown>) => rt.call('demo-operator', 'operator', { action: 'command', command: { ticketId: id, ...command } });
  const opGet = (id: string) => rt.ok<Detail>('demo-operator', 'operator', { action: 'get', ticketId: id });

  /** Dispatched to 城管局 (with 住建局 assisting), handled, approved and rated `value`. */
  async function rated(value: string): Promise<string> {
    const s = await rt.ok<{ ticket: { id: string } }>('demo-resident', 'resident', { action: 'submit', input: input() });
    const id = s.ticket.id;
    await rt.ok('demo-operator', 'operator', { action: 'command', command: { type: 'accept', ticketId: id } });
    await rt.ok('demo-operator', 'operator', { action: 'command', command: { type: 'dispatch', ticketId: id, mode: 'lead', unitIds: ['u-chengguan'], assistUnitIds: ['u-zhujian'] } });
    const staff = (command: Record<string, unknown>) => rt.ok('demo-staff-cg', 'staff', { action: 'command', command: { ticketId: id, ...command } });
    await staff({ type: 'sign' });
    await staff({ type: 'contact', method: 'phone', note: '已电话联系诉求人' });
    await staff({ type: 'reply', result: '已更换路灯灯泡，现场恢复照明。', handler: '刘洋', noCaseReason: '现场整改完毕，无需立案。' });
    await rt.ok('demo-operator', 'operator', { action: 'command', command: { type: 'reviewResult', ticketId: id, approve: true } });
    await rt.ok('demo-resident', 'resident', { action: 'command', command: { type: 'rate', ticketId: id, value, ...(value === 'dissatisfied' ? { reason: '路灯又坏了' } : {}) } });
    return id;
  }

  const unitFigures = async (from: number, to: number, unitId: string) =>
    (await rt.ok<UnitFigures[]>('demo-operator', 'stats', { action: 'figures', from, to })).find((f) => f.unitId === unitId)!;

  /** 满意率 of a unit counted by hand from the tickets: the last rating, unless an upheld appeal of the unit names the rate. */
  async function handCount(ids: string[], unitId: string): Promise<{ numerator: number; denominator: number; appeals: number }> {
    let numerator = 0;
    let denominator = 0;
    let appeals = 0;
    for (const id of ids) {
      const { ticket } = await opGet(id);
      if (ticket.assignments.find((a) => a.role === 'lead')?.unitId !== unitId) continue;
      const upheld = (ticket.appeals ?? []).filter((a) => a.upheld && a.unitId === unitId);
      appeals += upheld.length;
      const last = ticket.ratings[ticket.ratings.length - 1];
      if (!last || upheld.some((a) => a.metrics.includes('satisfaction'))) continue;
      denominator += 1;
      if (SATISFIED.has(last.value)) numerator += 1;
    }
    return { numerator, denominator, appeals };
  }

  it('pingli 31: an upheld appeal takes the ticket out of the unit\'s named rate; the figures equal a hand count before and after', async () => {
    const from = sh('2026-03-01 00:00');
    const to = sh('2026-04-01 00:00');
    await rt.at(sh('2026-03-02 10:00'));
    const ids = [await rated('satisfied'), await rated('basically-satisfied'), await rated('dissatisfied')];
    const disputed = ids[2]!;

    const before = await unitFigures(from, to, 'u-chengguan');
    const handBefore = await handCount(ids, 'u-chengguan');
    expect(handBefore).toEqual({ numerator: 2, denominator: 3, appeals: 0 });
    expect(before.satisfaction).toMatchObject({ numerator: handBefore.numerator, denominator: handBefore.denominator });
    expect(before.appeals).toBe(0);

    // The lead unit is offered the appeal and makes it on a ground of the profile, naming the rate.
    expect((await rt.ok<Detail>('demo-staff-cg', 'staff', { action: 'get', ticketId: disputed })).actions).toContain('appealCounting');
    expect(await staffCmd('demo-staff-cg', disputed, { type: 'appealCounting', groundCode: 'no-such-ground', metrics: ['satisfaction'], reason: '诉求人对政策不满' })).toMatchObject({ ok: false, code: 'unknown-appeal-ground' });
    expect(await staffCmd('demo-staff-cg', disputed, { type: 'appealCounting', groundCode: 'rating-unrelated', metrics: ['satisfaction'], reason: '诉求人不满意的是收费政策，与路灯维修无关' })).toMatchObject({ ok: true });
    expect((await opGet(disputed)).ticket.pendingAppeal).toMatchObject({ unitId: 'u-chengguan', groundCode: 'rating-unrelated', metrics: ['satisfaction'] });
    // Until the operator decides, the figures stand.
    expect((await unitFigures(from, to, 'u-chengguan')).satisfaction).toMatchObject({ numerator: 2, denominator: 3 });

    expect(await opCmd(disputed, { type: 'reviewAppeal', upheld: true, note: '经回访核实，不满意针对收费政策' })).toMatchObject({ ok: true });
    const after = await unitFigures(from, to, 'u-chengguan');
    const handAfter = await handCount(ids, 'u-chengguan');
    expect(handAfter).toEqual({ numerator: 2, denominator: 2, appeals: 1 });
    expect(after.satisfaction).toMatchObject({ numerator: handAfter.numerator, denominator: handAfter.denominator, rate: 1 });
    expect(after.appeals).toBe(handAfter.appeals);
    // A rate the appeal did not name is unchanged.
    expect(after.response).toEqual(before.response);

    // The ticket behind the figure is still listed, marked as appealed; it is neither counted nor uncounted.
    const behind = (part: string) => rt.ok<{ items: { ticketId: string; outcome: string }[] }>('demo-operator', 'stats', { action: 'figureTickets', metric: 'satisfaction', by: 'unit', key: 'u-chengguan', part, from, to, limit: 50 });
    expect((await behind('all')).items.find((i) => i.ticketId === disputed)?.outcome).toBe('appealed:dissatisfied');
    expect((await behind('counted')).items.map((i) => i.ticketId).sort()).toEqual(ids.slice(0, 2).sort());
    expect((await behind('rest')).items).toEqual([]);
    const upheldAppeals = await rt.ok<{ items: { ticketId: string }[] }>('demo-operator', 'stats', { action: 'figureTickets', metric: 'appeal', by: 'unit', key: 'u-chengguan', part: 'all', from, to, limit: 50 });
    expect(upheldAppeals.items.map((i) => i.ticketId)).toEqual([disputed]);

    // The unit is told the decision and its reason; the ticket keeps the decided appeal.
    const detail = await opGet(disputed);
    expect(detail.ticket.pendingAppeal).toBeUndefined();
    expect(detail.ticket.appeals).toEqual([expect.objectContaining({ unitId: 'u-chengguan', upheld: true, note: '经回访核实，不满意针对收费政策' })]);
    const staffView = await rt.ok<Detail>('demo-staff-cg', 'staff', { action: 'get', ticketId: disputed });
    expect(staffView.timeline.map((e) => e.type)).toEqual(expect.arrayContaining(['appealCounting', 'reviewAppeal']));
    expect(staffView.ticket.appeals?.[0]).toMatchObject({ upheld: true });
  });

  it('pingli 31: a rejected appeal changes nothing in the figures', async () => {
    const from = sh('2026-05-01 00:00');
    const to = sh('2026-06-01 00:00');
    await rt.at(sh('2026-05-06 10:00'));
    const ids = [await rated('satisfied'), await rated('dissatisfied')];
    const before = await unitFigures(from, to, 'u-chengguan');
    expect(before.satisfaction).toMatchObject({ numerator: 1, denominator: 2 });
    expect(await staffCmd('demo-staff-cg', ids[1]!, { type: 'appealCounting', groundCode: 'requester-unreachable', metrics: ['satisfaction', 'response'], reason: '诉求人电话多次无人接听' })).toMatchObject({ ok: true });
    expect(await opCmd(ids[1]!, { type: 'reviewAppeal', upheld: false, note: '通话记录显示已接通，申诉不成立' })).toMatchObject({ ok: true });
    const after = await unitFigures(from, to, 'u-chengguan');
    expect(after).toEqual(before);
    expect(await handCount(ids, 'u-chengguan')).toEqual({ numerator: 1, denominator: 2, appeals: 0 });
    expect((await opGet(ids[1]!)).ticket.appeals).toEqual([expect.objectContaining({ upheld: false, note: '通话记录显示已接通，申诉不成立' })]);
    // Decided: nothing is pending any more.
    expect(await opCmd(ids[1]!, { type: 'reviewAppeal', upheld: true, note: '再次审核' })).toMatchObject({ ok: false, code: 'illegal-transition' });
  });

  it('pingli 31: an appeal by another unit is refused (an assisting unit, a unit not on the ticket)', async () => {
    await rt.at(sh('2026-07-06 10:00'));
    const id = await rated('dissatisfied');
    const appeal = { type: 'appealCounting', groundCode: 'not-duty', metrics: ['satisfaction'], reason: '不属于本单位职责' };
    expect(await staffCmd('demo-staff-zj', id, appeal)).toMatchObject({ ok: false, code: 'not-lead-unit' });
    expect(await staffCmd('demo-staff-sw', id, appeal)).toMatchObject({ ok: false, code: 'not-found' });
    const d = await opGet(id);
    expect(d.ticket.pendingAppeal).toBeUndefined();
    expect(d.timeline.map((e) => e.type)).not.toContain('appealCounting');
  });

  it('pingli 31: a second open appeal on the same ticket is refused', async () => {
    await rt.at(sh('2026-08-03 10:00'));
    const id = await rated('dissatisfied');
    expect(await staffCmd('demo-staff-cg', id, { type: 'appealCounting', groundCode: 'not-duty', metrics: ['satisfaction'], reason: '不属于本单位职责' })).toMatchObject({ ok: true });
    const before = await opGet(id);
    expect(await staffCmd('demo-staff-cg', id, { type: 'appealCounting', groundCode: 'other', metrics: ['onTime'], reason: '再次申诉' })).toMatchObject({ ok: false, code: 'appeal-pending', message: '该工单已有待审核的统计申诉' });
    const after = await opGet(id);
    expect(after.timeline).toHaveLength(before.timeline.length);
    expect(after.ticket.pendingAppeal).toEqual(before.ticket.pendingAppeal);
    // Once decided, the unit may appeal again.
    await opCmd(id, { type: 'reviewAppeal', upheld: false, note: '属于本单位职责' });
    expect(await staffCmd('demo-staff-cg', id, { type: 'appealCounting', groundCode: 'other', metrics: ['onTime'], reason: '超期系停电所致' })).toMatchObject({ ok: true });
  });
});

describe('baiyin: no appeal procedure in the regulation', () => {
  let rt: LiveRuntime;
  beforeAll(async () => {
    rt = await startLiveRuntime('baiyin');
  });
  afterAll(() => rt.stop());

  it('baiyin 28: units are assessed, but the regulation has no appeal: refused with appeal-not-provided', async () => {
    await rt.at(sh('2026-03-02 10:00'));
    const s = await rt.ok<{ ticket: { id: string } }>('demo-resident', 'resident', { action: 'submit', input: input() });
    const id = s.ticket.id;
    await rt.ok('demo-operator', 'operator', { action: 'command', command: { type: 'accept', ticketId: id } });
    await rt.ok('demo-operator', 'operator', { action: 'command', command: { type: 'dispatch', ticketId: id, mode: 'single', unitIds: ['u-chengguan'], assistUnitIds: [] } });
    const d = await rt.ok<Detail>('demo-staff-cg', 'staff', { action: 'get', ticketId: id });
    expect(d.actions).not.toContain('appealCounting');
    expect(await rt.call('demo-staff-cg', 'staff', { action: 'command', command: { ticketId: id, type: 'appealCounting', groundCode: 'not-duty', metrics: ['response'], reason: '不属于本单位职责' } })).toMatchObject({ ok: false, code: 'appeal-not-provided' });
  });
});
