/**
 * Termination grounds per profile (issue 14 §4, issue 15 §6), over HTTP on a fresh local runtime:
 * the operator picks one of the profile's grounds with its article; a unit proposes termination
 * with proof where the regulation lets it, and the operator decides with a reason.
 */
import { startLiveRuntime, type LiveRuntime } from '../support/runtime';

jest.setTimeout(120_000);

/** The smallest valid PNG (1×1): passes the upload's magic-byte check. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

interface Detail {
  ticket: { id: string; state: string; termination?: { reason: string; groundCode?: string; article?: string; proposedByUnitId?: string }; pendingTermination?: { groundCode: string; article: string; reason: string; unitId: string } };
  timeline: { type: string; note?: string; data?: Record<string, unknown> }[];
  actions: string[];
}

let n = 0;
async function signed(rt: LiveRuntime): Promise<string> {
  n += 1;
  const input = {
    clientRequestId: `termination-${String(n).padStart(4, '0')}-${Date.now()}`,
    type: 'complaint',
    category: '市容环境',
    content: `第${n}件：小区门口占道经营，晚上噪声很大。`,
    location: { address: '滨河公园南门', area: '东区街道' },
    contact: { name: '张明', phone: '13800001234' },
  };
  const s = await rt.ok<{ ticket: { id: string } }>('demo-resident', 'resident', { action: 'submit', input });
  const id = s.ticket.id;
  await rt.ok('demo-operator', 'operator', { action: 'command', command: { type: 'accept', ticketId: id } });
  await rt.ok('demo-operator', 'operator', { action: 'command', command: { type: 'dispatch', ticketId: id, mode: 'single', unitIds: ['u-chengguan'], assistUnitIds: [] } });
  await rt.ok('demo-staff-cg', 'staff', { action: 'command', command: { type: 'sign', ticketId: id } });
  return id;
}

const op = (rt: LiveRuntime, command: Record<string, unknown>) => rt.call('demo-operator', 'operator', { action: 'command', command });
const unit = (rt: LiveRuntime, command: Record<string, unknown>) => rt.call('demo-staff-cg', 'staff', { action: 'command', command });
const opGet = (rt: LiveRuntime, id: string) => rt.ok<Detail>('demo-operator', 'operator', { action: 'get', ticketId: id });

describe('baiyin 19: the platform terminates on a ground of the article; a unit may propose 拒不配合 with proof', () => {
  let rt: LiveRuntime;
  beforeAll(async () => {
    rt = await startLiveRuntime('baiyin');
  });
  afterAll(() => rt.stop());

  it('baiyin 19: without a ground, or with one the profile lacks, termination is refused and nothing changes', async () => {
    const id = await signed(rt);
    expect(await op(rt, { type: 'terminate', ticketId: id, reason: '诉求人拒绝核实' })).toMatchObject({ ok: false, code: 'termination-ground-required', message: '请选择终止办理的情形' });
    expect(await op(rt, { type: 'terminate', ticketId: id, reason: '诉求人拒绝核实', groundCode: 'litigation' })).toMatchObject({ ok: false, code: 'unknown-termination-ground' });
    expect((await opGet(rt, id)).ticket.state).toBe('handling');
  });

  it('baiyin 19(1): the operator terminates citing 第十九条第一款; the ground and article are kept on the ticket and the event', async () => {
    const id = await signed(rt);
    const r = await op(rt, { type: 'terminate', ticketId: id, reason: '已向诉求人说明：所诉要求违反公序良俗。', groundCode: 'unlawful' });
    expect(r.ok).toBe(true);
    const d = await opGet(rt, id);
    expect(d.ticket).toMatchObject({ state: 'terminated', termination: { groundCode: 'unlawful', article: '第十九条第一款', reason: '已向诉求人说明：所诉要求违反公序良俗。' } });
    expect(d.timeline.at(-1)).toMatchObject({ type: 'terminate', data: { groundCode: 'unlawful', article: '第十九条第一款' } });
  });

  it('baiyin 19(2): the unit proposes with proof, the operator refuses with a reason, the unit is told and keeps handling', async () => {
    const id = await signed(rt);
    expect(await unit(rt, { type: 'proposeTermination', ticketId: id, groundCode: 'uncooperative', reason: '诉求人拒绝现场核实' })).toMatchObject({ ok: false, code: 'proof-required', message: expect.stringContaining('第十九条第二款') });
    expect(await unit(rt, { type: 'proposeTermination', ticketId: id, groundCode: 'unlawful', reason: '诉求不合法', attachments: [await rt.upload('demo-staff-cg', PNG)] })).toMatchObject({ ok: false, code: 'unknown-termination-ground' });
    const proof = await rt.upload('demo-staff-cg', PNG);
    expect((await unit(rt, { type: 'proposeTermination', ticketId: id, groundCode: 'uncooperative', reason: '三次上门诉求人均拒绝开门核实', attachments: [proof] })).ok).toBe(true);
    const pending = await opGet(rt, id);
    expect(pending.ticket.pendingTermination).toMatchObject({ groundCode: 'uncooperative', article: '第十九条第二款', unitId: 'u-chengguan' });
    expect(pending.actions).toContain('reviewTermination');
    expect(await unit(rt, { type: 'proposeTermination', ticketId: id, groundCode: 'uncooperative', reason: '再次申请', attachments: [proof] })).toMatchObject({ ok: false, code: 'illegal-transition', message: '终止办理申请正在审核中' });
    expect(await op(rt, { type: 'reviewTermination', ticketId: id, approve: false })).toMatchObject({ ok: false, code: 'invalid-input' });
    expect((await op(rt, { type: 'reviewTermination', ticketId: id, approve: false, note: '请先电话预约再上门核实' })).ok).toBe(true);
    const after = await opGet(rt, id);
    expect(after.ticket.state).toBe('handling');
    expect(after.ticket.pendingTermination).toBeUndefined();
    const notices = await rt.ok<{ ticketId: string; notice: { summary: string } }[]>('demo-staff-cg', 'staff', { action: 'messages', limit: 50 });
    expect(notices.some((m) => m.ticketId === id && m.notice.summary.includes('请先电话预约再上门核实'))).toBe(true);
  });
});

describe('linyi 18, 19: only a unit with proof starts termination; the hotline agency reviews', () => {
  let rt: LiveRuntime;
  beforeAll(async () => {
    rt = await startLiveRuntime('linyi');
  });
  afterAll(() => rt.stop());

  it('linyi 18, 19: the operator cannot terminate on its own, and is not offered it', async () => {
    const id = await signed(rt);
    expect((await opGet(rt, id)).actions).not.toContain('terminate');
    expect(await op(rt, { type: 'terminate', ticketId: id, reason: '诉求人不配合', groundCode: 'uncooperative' })).toMatchObject({ ok: false, code: 'illegal-transition', message: expect.stringContaining('承办单位提供证明材料') });
  });

  it('linyi 19: a unit proposes with proof after explaining; the operator approves with a reason; the ticket is terminated citing 第十九条 and the requester is told', async () => {
    const id = await signed(rt);
    const proof = await rt.upload('demo-staff-cg', PNG);
    expect((await unit(rt, { type: 'proposeTermination', ticketId: id, groundCode: 'unlawful-explained', reason: '已向诉求人书面解释摊位审批规定，诉求人仍不满意', attachments: [proof] })).ok).toBe(true);
    expect((await op(rt, { type: 'reviewTermination', ticketId: id, approve: true, note: '解释说明记录和书面材料齐全，同意终止办理' })).ok).toBe(true);
    const d = await opGet(rt, id);
    expect(d.ticket).toMatchObject({ state: 'terminated', termination: { groundCode: 'unlawful-explained', article: '第十九条', proposedByUnitId: 'u-chengguan', reason: '解释说明记录和书面材料齐全，同意终止办理' } });
    const mine = await rt.ok<{ ticket: { state: string }; timeline: { type: string }[] }>('demo-resident', 'resident', { action: 'get', ticketId: id });
    expect(mine.ticket.state).toBe('terminated');
    expect(mine.timeline.map((e) => e.type)).toContain('reviewTermination');
    expect(mine.timeline.map((e) => e.type)).not.toContain('proposeTermination');
  });
});

describe('hohhot: no termination article, so no ground is asked and no unit may propose', () => {
  let rt: LiveRuntime;
  beforeAll(async () => {
    rt = await startLiveRuntime('hohhot');
  });
  afterAll(() => rt.stop());

  it('hohhot: the operator terminates with an explanation alone; a unit proposal is refused with termination-not-provided', async () => {
    const id = await signed(rt);
    expect(await unit(rt, { type: 'proposeTermination', ticketId: id, groundCode: 'uncooperative', reason: '拒不配合', attachments: [await rt.upload('demo-staff-cg', PNG)] })).toMatchObject({ ok: false, code: 'termination-not-provided' });
    expect((await op(rt, { type: 'terminate', ticketId: id, reason: '诉求人已就同一事项提起行政诉讼' })).ok).toBe(true);
  });
});
