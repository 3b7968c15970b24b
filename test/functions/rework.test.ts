/**
 * Issue 11 §4, §6 and issue 15 items 4–5: rework, revisit, the final 不满意, the emergency hand-off
 * and the recusal pause, each held over HTTP on a fresh local runtime under its profile
 * (test/support/runtime.ts) and named after its article.
 */
import { startLiveRuntime, sh, type LiveRuntime } from '../support/runtime';

jest.setTimeout(120_000);

interface DetailView {
  ticket: {
    id: string;
    state: string;
    labels: { state: string };
    counters: { reworks: number };
    deadlines: { kind: string; startedAt: number; dueAt: number; status: string; span: string; citation: { article: string } }[];
    revisits?: { method: string; result: string; words?: string; by: string }[];
    handOffs?: { line: string; label: string; at: number; by: string }[];
    conclusion?: { note: string };
    pause?: { code: string; limitAt: number };
    supervision: { level: number; triggers: string[] };
  };
  timeline: { type: string; label: string; note?: string; data?: Record<string, unknown> }[];
  actions: string[];
}

let n = 0;
function input(over: Record<string, unknown> = {}) {
  n += 1;
  return {
    clientRequestId: `rework-${String(n).padStart(4, '0')}-${Date.now()}`,
    type: 'help',
    category: '市容环境',
    content: `第${n}件：小区门口的垃圾桶满了没人清运。`,
    location: { address: '滨河公园南门', area: '东区街道' },
    contact: { name: '张明', phone: '13800001234' },
    ...over,
  };
}

const op = (rt: LiveRuntime, id: string, command: Record<string, unknown>) => rt.call('demo-operator', 'operator', { action: 'command', command: { ticketId: id, ...command } });
const staff = (rt: LiveRuntime, id: string, command: Record<string, unknown>) => rt.call('demo-staff-cg', 'staff', { action: 'command', command: { ticketId: id, ...command } });
const rate = (rt: LiveRuntime, id: string, value: string, reason?: string) => rt.call('demo-resident', 'resident', { action: 'command', command: { type: 'rate', ticketId: id, value, ...(reason ? { reason } : {}) } });
const opGet = (rt: LiveRuntime, id: string) => rt.ok<DetailView>('demo-operator', 'operator', { action: 'get', ticketId: id });
const mine = (rt: LiveRuntime, id: string) => rt.ok<DetailView>('demo-resident', 'resident', { action: 'get', ticketId: id });

async function submitted(rt: LiveRuntime, over: Record<string, unknown> = {}) {
  const s = await rt.ok<{ ticket: { id: string } }>('demo-resident', 'resident', { action: 'submit', input: input(over) });
  return s.ticket.id;
}

/** Submitted, accepted, dispatched to 城管局 and signed. */
async function handling(rt: LiveRuntime) {
  const id = await submitted(rt);
  expect(await op(rt, id, { type: 'accept' })).toMatchObject({ ok: true });
  expect(await op(rt, id, { type: 'dispatch', mode: 'single', unitIds: ['u-chengguan'], assistUnitIds: [] })).toMatchObject({ ok: true });
  expect(await staff(rt, id, { type: 'sign' })).toMatchObject({ ok: true });
  return id;
}

/** The unit replies and the platform approves: resolved, waiting for the rating. */
async function resolve(rt: LiveRuntime, id: string) {
  expect(await staff(rt, id, { type: 'contact', method: 'phone', note: '已电话联系诉求人' })).toMatchObject({ ok: true });
  expect(await staff(rt, id, { type: 'reply', result: '已安排清运并增加垃圾桶', handler: '刘洋' })).toMatchObject({ ok: true });
  expect(await op(rt, id, { type: 'reviewResult', approve: true })).toMatchObject({ ok: true });
  expect((await opGet(rt, id)).ticket.state).toBe('resolved');
}

const boardIds = async (rt: LiveRuntime) => (await rt.ok<{ items: { id: string }[] }>('demo-operator', 'operator', { action: 'queue', queue: 'supervision', limit: 100 })).items.map((i) => i.id);

describe('pingli: rework and the final 不满意', () => {
  let rt: LiveRuntime;
  beforeAll(async () => {
    rt = await startLiveRuntime('pingli');
  });
  afterAll(() => rt.stop());
  let id = '';

  it('pingli 18: a first 不满意 sends the ticket back for rework at once; it never stays resolved and archivable', async () => {
    await rt.at(sh('2026-12-01 09:00'));
    id = await handling(rt);
    await resolve(rt, id);
    await rt.at(sh('2026-12-01 15:00'));
    expect(await rate(rt, id, 'dissatisfied', '垃圾桶还是满的')).toMatchObject({ ok: true });
    const d = await opGet(rt, id);
    expect(d.ticket).toMatchObject({ state: 'handling', counters: { reworks: 1 } });
    // Five working days from Tuesday 12-01: the end of Tuesday 12-08.
    expect(d.ticket.deadlines.find((x) => x.kind === 'rework')).toMatchObject({ status: 'active', span: '5个工作日', dueAt: sh('2026-12-08 23:59:59') + 999, citation: { article: '第十八条' } });
    expect(d.actions).not.toContain('close');
    expect(await op(rt, id, { type: 'close', note: '归档' })).toMatchObject({ ok: false, code: 'illegal-transition' });
    const inbox = await rt.ok<{ items: { id: string }[] }>('demo-staff-cg', 'staff', { action: 'inbox', filter: 'rework', limit: 50 });
    expect(inbox.items.map((i) => i.id)).toContain(id);
    const r = await mine(rt, id);
    expect(r.actions).not.toContain('requestRework');
    expect(r.timeline.map((e) => e.type)).not.toContain('requestRework');
  });

  it('pingli 20: the final 不满意 is not archived — it reaches the supervision board, the revisit can still be recorded, the resident sees what happens next', async () => {
    await rt.at(sh('2026-12-02 10:00'));
    await resolve(rt, id);
    expect(await rate(rt, id, 'dissatisfied', '还是没人清运')).toMatchObject({ ok: true });
    const d = await opGet(rt, id);
    expect(d.ticket).toMatchObject({ state: 'dissatisfied', supervision: { triggers: ['dissatisfied-after-rework'] } });
    expect(d.actions).toEqual(expect.arrayContaining(['recordRevisit', 'supervise', 'close']));
    const revisitQueue = await rt.ok<{ items: { id: string }[] }>('demo-operator', 'operator', { action: 'queue', queue: 'revisit', limit: 100 });
    expect(revisitQueue.items.map((i) => i.id)).toContain(id);

    const r = await mine(rt, id);
    expect(r.ticket.labels.state).toBe('仍不满意，平台回访核实中');
    const last = r.timeline[r.timeline.length - 1]!;
    expect(last).toMatchObject({ type: 'rate' });
    expect(String(last.data!.next)).toContain('回访');

    // The timer raises 督办 on the trigger: the ticket is on the supervision board.
    await rt.at(sh('2026-12-02 10:05'));
    await rt.runTimer();
    expect((await opGet(rt, id)).ticket.supervision.level).toBe(1);
    expect(await boardIds(rt)).toContain(id);

    // The second rating stands (第二十条): a revisit records the reason, it does not re-rate.
    const reRate = await op(rt, id, { type: 'revisit', value: 'satisfied', method: 'phone' });
    expect(reRate).toMatchObject({ ok: false, code: 'already-rated' });
    expect(reRate.message).toContain('第十八条至第二十条');
    expect(await op(rt, id, { type: 'recordRevisit', method: 'phone', result: '已电话回访，了解不满意原因', words: '清运车一周才来一次' })).toMatchObject({ ok: true });
    const after = await opGet(rt, id);
    expect(after.ticket.revisits).toMatchObject([{ method: 'phone', words: '清运车一周才来一次', by: 'demo-operator' }]);
    expect((await mine(rt, id)).ticket.revisits).toMatchObject([{ by: '平台' }]);

    // Archived only with the platform's conclusion; a revisit may be recorded after that too.
    expect(await op(rt, id, { type: 'close' })).toMatchObject({ ok: false, code: 'reason-required' });
    expect(await op(rt, id, { type: 'close', note: '已协调环卫所每日清运，向诉求人说明' })).toMatchObject({ ok: true });
    expect((await opGet(rt, id)).ticket).toMatchObject({ state: 'closed', conclusion: { note: '已协调环卫所每日清运，向诉求人说明' } });
    expect(await op(rt, id, { type: 'recordRevisit', method: 'sms', result: '短信回访，诉求人表示已清运' })).toMatchObject({ ok: true });
  });

  it('issue 15: a revisit can be recorded any time after the reply — before the review and after a satisfied rating', async () => {
    await rt.at(sh('2026-12-03 09:00'));
    const other = await handling(rt);
    expect(await op(rt, other, { type: 'recordRevisit', method: 'phone', result: '尚未答复' })).toMatchObject({ ok: false, code: 'illegal-transition' });
    expect(await staff(rt, other, { type: 'contact', method: 'phone', note: '已电话联系诉求人' })).toMatchObject({ ok: true });
    expect(await staff(rt, other, { type: 'reply', result: '已清运，经现场核实已办结', handler: '刘洋' })).toMatchObject({ ok: true });
    expect(await op(rt, other, { type: 'recordRevisit', method: 'online', result: '网上回访', words: '看到已经清运了' })).toMatchObject({ ok: true });
    expect(await op(rt, other, { type: 'reviewResult', approve: true })).toMatchObject({ ok: true });
    expect(await rate(rt, other, 'satisfied')).toMatchObject({ ok: true });
    expect(await op(rt, other, { type: 'recordRevisit', method: 'phone', result: '电话回访，满意' })).toMatchObject({ ok: true });
    expect((await opGet(rt, other)).ticket.revisits!.map((v) => v.method)).toEqual(['online', 'phone']);
    expect(await op(rt, other, { type: 'recordRevisit', method: 'fax', result: '传真' })).toMatchObject({ ok: false, code: 'invalid-input' });
  });

  it('pingli 7(2): a matter for an emergency line (96333 too) is handed to it with line, time and operator recorded, the requester told, and the ticket closed', async () => {
    await rt.at(sh('2026-12-04 20:15'));
    const id2 = await submitted(rt, { content: '电梯困人，已经十分钟了，请尽快处理！' });
    expect(await op(rt, id2, { type: 'handOffEmergency', line: '999' })).toMatchObject({ ok: false, code: 'invalid-input' });
    expect(await op(rt, id2, { type: 'handOffEmergency', line: '96333', note: '已电话转接' })).toMatchObject({ ok: true });
    const d = await opGet(rt, id2);
    expect(d.ticket.state).toBe('handedOff');
    expect(d.ticket.handOffs).toMatchObject([{ line: '96333', label: '96333电梯应急处置', by: 'demo-operator' }]);
    expect(d.ticket.handOffs![0]!.at - sh('2026-12-04 20:15')).toBeLessThan(60_000);
    const r = await mine(rt, id2);
    expect(r.ticket.labels.state).toBe('已转交应急部门处置');
    expect(r.timeline[r.timeline.length - 1]).toMatchObject({ type: 'handOffEmergency', label: '已转交应急专线' });
    expect(r.timeline[r.timeline.length - 1]!.note).toContain('96333');
  });
});

describe('baiyin: 再次办理或者予以说明', () => {
  let rt: LiveRuntime;
  beforeAll(async () => {
    rt = await startLiveRuntime('baiyin');
  });
  afterAll(() => rt.stop());

  it('baiyin 17: a first 不满意 waits for rework or the operator\'s explanation; the final 不满意 reaches the supervision board (23(4))', async () => {
    await rt.at(sh('2026-12-01 09:00'));
    const id = await handling(rt);
    await resolve(rt, id);
    expect(await rate(rt, id, 'dissatisfied', '垃圾桶还是满的')).toMatchObject({ ok: true });
    expect((await opGet(rt, id)).ticket.state).toBe('resolved');
    // Not archived silently: the operator either sends it back or archives with the explanation given.
    expect(await op(rt, id, { type: 'close' })).toMatchObject({ ok: false, code: 'reason-required' });
    expect(await op(rt, id, { type: 'requestRework', reason: '诉求合理，交承办单位再次办理' })).toMatchObject({ ok: true });
    await resolve(rt, id);
    expect(await rate(rt, id, 'dissatisfied', '还是没人清运')).toMatchObject({ ok: true });
    const d = await opGet(rt, id);
    expect(d.ticket).toMatchObject({ state: 'dissatisfied', supervision: { triggers: ['dissatisfied-after-rework'] } });
    await rt.runTimer();
    expect(await boardIds(rt)).toContain(id);
    expect(await op(rt, id, { type: 'recordRevisit', method: 'phone', result: '回访了解原因', words: '希望每天清运' })).toMatchObject({ ok: true });
  });
});

describe('anshan: emergencies passed on; the recusal pause', () => {
  let rt: LiveRuntime;
  beforeAll(async () => {
    rt = await startLiveRuntime('anshan');
  });
  afterAll(() => rt.stop());

  it('anshan 20(3): an emergency is passed to the emergency departments and recorded as such, not refused; the ticket stays open for follow-up', async () => {
    await rt.at(sh('2026-12-01 09:00'));
    const id = await submitted(rt, { type: 'help', content: '小区燃气管道泄漏，味道很大' });
    const grounds = (await opGet(rt, id)) as unknown as { grounds: { code: string }[] };
    expect(grounds.grounds.map((g) => g.code)).not.toContain('emergency-line');
    expect(await op(rt, id, { type: 'handOffEmergency', line: '119', note: '已通报消防' })).toMatchObject({ ok: true });
    const d = await opGet(rt, id);
    expect(d.ticket.state).toBe('submitted');
    expect(d.ticket.handOffs).toMatchObject([{ line: '119', by: 'demo-operator' }]);
    expect(d.actions).toContain('accept');
    const r = await mine(rt, id);
    expect(r.timeline.find((e) => e.type === 'handOffEmergency')!.note).toContain('平台将跟踪办理情况');
  });

  it('anshan 27: the recusal pause applies to the acceptance deadline too, and a decision later than 3 working days is shown as exceeded', async () => {
    // Tuesday 2026-12-01: 三个工作日内确定是否受理 → the end of Friday 12-04.
    await rt.at(sh('2026-12-01 10:00'));
    const id = await submitted(rt, { type: 'complaint', content: '投诉街道办工作人员，申请其回避' });
    expect((await opGet(rt, id)).ticket.deadlines.find((x) => x.kind === 'accept')).toMatchObject({ status: 'active', dueAt: sh('2026-12-04 23:59:59') + 999 });
    expect(await op(rt, id, { type: 'pauseClock', code: 'recusal', note: '诉求人申请回避' })).toMatchObject({ ok: true });
    const paused = await opGet(rt, id);
    // The decision is due within three working days: the end of Friday 12-04.
    expect(paused.ticket.pause).toEqual({ code: 'recusal', limitAt: sh('2026-12-04 23:59:59') + 999 });
    // Decided on Tuesday 12-08: Tue 12-01 to Mon 12-07, five working days stood still, two more than allowed.
    await rt.at(sh('2026-12-08 10:00'));
    expect(await op(rt, id, { type: 'resumeClock', note: '回避决定已书面答复' })).toMatchObject({ ok: true });
    const d = await opGet(rt, id);
    expect(d.ticket.pause).toBeUndefined();
    expect(d.ticket.deadlines.find((x) => x.kind === 'accept')).toMatchObject({ status: 'active', dueAt: sh('2026-12-11 23:59:59') + 999 });
    expect(d.timeline[d.timeline.length - 1]).toMatchObject({ type: 'resumeClock', data: { pausedWorkingDays: 5, exceeded: true } });
  });
});

describe('baiyin: the same matter, from one requester or from many', () => {
  let rt: LiveRuntime;
  beforeAll(async () => {
    rt = await startLiveRuntime('baiyin');
  });
  afterAll(() => rt.stop());

  const phoneCall = (over: Record<string, unknown>) => rt.ok<{ ticket: { id: string } }>('demo-operator', 'operator', { action: 'submit', input: input(over) }).then((s) => s.ticket.id);
  const triggersOf = async (id: string) => (await opGet(rt, id)).ticket.supervision.triggers;

  it('baiyin 23(4): repeated-requester counts the same matter (category and place), phone intake included — not any three requests — and is not shown on the resident\'s own ticket', async () => {
    await rt.at(sh('2026-12-01 09:00'));
    const place = { location: { address: '滨河路12号', area: '北区街道' } };
    const first = await submitted(rt, place);
    await rt.at(sh('2026-12-01 11:00'));
    // Another matter of the same resident: not counted.
    const other = await submitted(rt, { ...place, category: '道路交通' });
    await rt.at(sh('2026-12-02 09:00'));
    // The same person calls 12345 about the same matter: counted by the phone number.
    const call = await phoneCall({ ...place, contact: { name: '张明', phone: '13800001234' } });
    for (const id of [first, other, call]) expect(await triggersOf(id)).not.toContain('repeated-requester');
    await rt.at(sh('2026-12-03 09:00'));
    const third = await submitted(rt, place);
    expect(await triggersOf(third)).toContain('repeated-requester');

    await rt.runTimer();
    const d = await opGet(rt, third);
    expect(d.ticket.supervision.level).toBe(1);
    expect(d.timeline.find((e) => e.type === 'supervise')).toMatchObject({ data: { trigger: 'repeated-requester' } });
    const r = await mine(rt, third);
    expect(r.ticket.supervision.triggers).not.toContain('repeated-requester');
    expect(r.timeline.map((e) => e.type)).not.toContain('supervise');

    // Three requests of three matters in the window: no flag.
    await rt.at(sh('2026-12-04 09:00'));
    const fourth = await submitted(rt, { ...place, category: '供水' });
    expect(await triggersOf(fourth)).not.toContain('repeated-requester');
  });

  it('baiyin 23(4): with no area the address is the place — requests at another address, or in an area, are another matter', async () => {
    await rt.at(sh('2026-11-20 09:00'));
    const place = { category: '路灯', location: { address: '和平路7号' } };
    const first = await submitted(rt, place);
    // Same category and resident, other places: one at another address, one with an area.
    await submitted(rt, { ...place, location: { address: '和平路9号' } });
    await submitted(rt, { ...place, location: { address: '和平路7号', area: '东区街道' } });
    await rt.at(sh('2026-11-21 09:00'));
    const second = await submitted(rt, place);
    for (const id of [first, second]) expect(await triggersOf(id)).not.toContain('repeated-requester');
    await rt.at(sh('2026-11-22 09:00'));
    expect(await triggersOf(await submitted(rt, place))).toContain('repeated-requester');
  });

  it('baiyin 23(4): a resident who gives no phone is counted by the account, even behind newer callers; calls from other numbers are not them', async () => {
    await rt.at(sh('2026-11-10 09:00'));
    const place = { category: '井盖', contact: {}, location: { area: '南区街道' } };
    const first = await submitted(rt, place);
    await rt.at(sh('2026-11-11 09:00'));
    const second = await submitted(rt, place);
    for (const id of [first, second]) expect(await triggersOf(id)).not.toContain('repeated-requester');
    // Four callers newer than the resident's two requests: the many-requesters read stops at them.
    await rt.at(sh('2026-11-12 08:00'));
    for (let i = 1; i <= 4; i++) await phoneCall({ ...place, contact: { name: `李强${i}`, phone: `1390000777${i}` } });
    await rt.at(sh('2026-11-12 09:00'));
    expect(await triggersOf(await submitted(rt, place))).toContain('repeated-requester');
  });

  it('baiyin 23(4) and 23(5) at a busy place: the resident\'s earlier requests count even when other callers are newer than them', async () => {
    await rt.at(sh('2026-10-20 09:00'));
    const place = { category: '广场舞噪音', location: { area: '中心广场' } };
    await submitted(rt, place);
    await rt.at(sh('2026-10-21 09:00'));
    await submitted(rt, place);
    await rt.at(sh('2026-10-22 09:00'));
    for (let i = 1; i <= 4; i++) await phoneCall({ ...place, contact: { name: `邻居${i}`, phone: `1370000000${i}` } });
    await rt.at(sh('2026-10-22 20:00'));
    const third = await triggersOf(await submitted(rt, place));
    expect(third).toContain('many-requesters');
    expect(third).toContain('repeated-requester');
  });

  it('baiyin 23(5): many-requesters fires when five different requesters report the same matter within seven days', async () => {
    await rt.at(sh('2026-12-07 09:00'));
    const place = { category: '噪音扰民', location: { address: '工地南门', area: '西区街道' } };
    const ids = [await submitted(rt, place)];
    for (let i = 1; i <= 4; i++) {
      await rt.at(sh(`2026-12-${String(7 + i).padStart(2, '0')} 09:00`));
      ids.push(await phoneCall({ ...place, contact: { name: `居民${i}`, phone: `1390000000${i}` } }));
    }
    for (const id of ids.slice(0, 4)) expect(await triggersOf(id)).not.toContain('many-requesters');
    expect(await triggersOf(ids[4]!)).toContain('many-requesters');
    // The same matter elsewhere, or the fifth requester after the window, starts no count.
    await rt.at(sh('2026-12-20 09:00'));
    expect(await triggersOf(await phoneCall({ ...place, contact: { name: '居民9', phone: '13900000009' } }))).not.toContain('many-requesters');
  });
});
