/**
 * Duplicates and collective requests (issue 15 item 2; baiyin 23(4)(5), anshan 25(2), hohhot 25,
 * linyi 30), through the functions on the real SQLite store: an operator links two tickets (both
 * show it) and merges a duplicate into the ticket that is handled; the merged requester becomes a
 * co-requester who sees the primary (without the other requester's name or phone), is told of its
 * progress and is counted; the count feeds the many-requesters trigger. Split parents and children
 * link both ways.
 */
import { createHarness, submitAndDispatch, type Detail, type Harness, DAY, MIN, type Page } from '../support/functionHarness';

type Links = { kind: string; ticketId: string; number: string; stateLabel: string }[];
type View = Detail & { links: Links; requesterCount: number };

const LIFANG = { name: '李芳', phone: '13900005678' };
const ZHANGMING = { name: '张明', phone: '13800001234' };

const get = (h: Harness, who: string, fn: 'resident' | 'staff' | 'operator', ticketId: string) => h.ok<View>(who, fn, { action: 'get', ticketId });

describe('duplicates and collective requests (baiyin)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ profile: 'baiyin' });
  });
  afterAll(() => h.close());

  const op = (command: Record<string, unknown>) => h.call('demo-operator', 'operator', { action: 'command', command });
  const get = (who: string, fn: 'resident' | 'staff' | 'operator', ticketId: string) => h.ok<View>(who, fn, { action: 'get', ticketId });

  it('links two tickets as related: both show the link; refusals name the reason and write nothing', async () => {
    const a = await submitAndDispatch(h);
    const b = await submitAndDispatch(h, { residentId: 'demo-resident2', submit: { contact: LIFANG } });
    const before = h.snapshot();
    expect(await op({ type: 'link', ticketId: a.id, otherNumber: 'M000000NOPE', kind: 'related' })).toMatchObject({ ok: false, code: 'link-target-not-found', message: '没有找到该编号的诉求' });
    expect(await op({ type: 'link', ticketId: a.id, otherNumber: a.number, kind: 'related' })).toMatchObject({ ok: false, code: 'link-self', message: '不能关联或合并诉求本身' });
    expect(await op({ type: 'link', ticketId: a.id, otherNumber: b.number, kind: 'sibling' })).toMatchObject({ ok: false, code: 'invalid-input' });
    expect(await h.refused('demo-staff-cg', 'staff', { action: 'command', command: { type: 'link', ticketId: a.id, otherNumber: b.number, kind: 'related' } })).toMatchObject({ code: 'invalid-input' });
    expect(h.snapshot()).toBe(before);

    await h.command('demo-operator', 'operator', { type: 'link', ticketId: a.id, otherNumber: b.number, kind: 'related', note: '同一路段' });
    const da = await get('demo-operator', 'operator', a.id);
    const db = await get('demo-operator', 'operator', b.id);
    expect(da.links).toEqual([expect.objectContaining({ kind: 'related', ticketId: b.id, number: b.number })]);
    expect(db.links).toEqual([expect.objectContaining({ kind: 'related', ticketId: a.id, number: a.number })]);
    expect(db.timeline.at(-1)).toMatchObject({ type: 'linked', data: { kind: 'related', otherNumber: a.number } });
    expect(await op({ type: 'link', ticketId: b.id, otherNumber: a.number, kind: 'duplicate' })).toMatchObject({ ok: false, code: 'already-linked' });
    // Another resident's ticket is not linked for a requester: they see no link to it.
    expect((await get('demo-resident', 'resident', a.id)).links).toEqual([]);
  });

  it('merges a duplicate: it closes as merged with a link; its requester is a co-requester who sees the primary, is told and counted', async () => {
    const primary = await submitAndDispatch(h, { submit: { contact: ZHANGMING } });
    const dup = await h.submit('demo-resident2', { contact: LIFANG });
    h.clock.advance(MIN);
    await h.command('demo-operator', 'operator', { type: 'merge', ticketId: dup.ticket.id, intoNumber: primary.number, note: '同一垃圾桶' });

    const merged = await get('demo-resident2', 'resident', dup.ticket.id);
    expect(merged.ticket).toMatchObject({ state: 'merged', mergedInto: { ticketId: primary.id, number: primary.number } });
    expect(merged.links).toEqual([expect.objectContaining({ kind: 'mergedInto', ticketId: primary.id, number: primary.number })]);
    expect(merged.actions).toEqual([]);

    // The operator sees the primary with both requesters and the link back.
    const opView = await get('demo-operator', 'operator', primary.id);
    expect(opView.requesterCount).toBe(2);
    expect(opView.ticket.coRequesters).toEqual([expect.objectContaining({ userId: 'demo-resident2', name: '李芳', phone: '13900005678', via: 'merge', number: dup.ticket.number })]);
    expect(opView.links).toEqual([expect.objectContaining({ kind: 'mergedFrom', ticketId: dup.ticket.id })]);
    expect(opView.timeline.at(-1)).toMatchObject({ type: 'absorbed', data: { fromNumber: dup.ticket.number, requesterCount: 2 } });

    // The co-requester sees the primary, but not who else asked.
    const co = await get('demo-resident2', 'resident', primary.id);
    expect(co.requesterCount).toBe(2);
    expect(co.ticket.requesterShown).toBe('同一问题的其他诉求人');
    const coJson = JSON.stringify(co);
    expect(coJson).not.toContain('张明');
    expect(coJson).not.toContain('13800001234');
    expect(coJson).not.toContain('demo-resident"');
    // ... and may not act as its requester.
    expect(await h.refused('demo-resident2', 'resident', { action: 'command', command: { type: 'withdraw', ticketId: primary.id } })).toMatchObject({ code: 'not-requester' });
    // The primary's requester sees the count, not the co-requester.
    const own = await get('demo-resident', 'resident', primary.id);
    expect(own.requesterCount).toBe(2);
    expect(JSON.stringify(own)).not.toContain('李芳');
    expect(JSON.stringify(own)).not.toContain('13900005678');
    // The unit reads the co-requester masked.
    const unitView = await get('demo-staff-cg', 'staff', primary.id);
    expect(unitView.ticket.coRequesters).toEqual([{ confidential: false, via: 'merge', at: expect.any(Number), name: '李芳', phone: '139****5678' }]);
    // A stranger still cannot open it.
    expect(await h.refused('demo-grid', 'resident', { action: 'get', ticketId: primary.id })).toMatchObject({ code: 'not-found' });

    // Told of the merge, then of the primary's progress, like its own requester.
    const told = (userId: string, ticketId: string) => h.deliveries().filter((d) => d.userId === userId && d.ticketId === ticketId).map((d) => d.notice.summary);
    expect(told('demo-resident2', dup.ticket.id)).toContainEqual(expect.stringContaining(`与诉求${primary.number}相同，已合并办理`));
    expect(told('demo-resident2', primary.id)).toEqual([]);
    h.clock.advance(MIN);
    await h.command('demo-staff-cg', 'staff', { type: 'sign', ticketId: primary.id });
    expect(told('demo-resident2', primary.id)).toEqual(told('demo-resident', primary.id).slice(-1));
    expect(told('demo-resident2', primary.id)).toHaveLength(1);
    // The unit was told the merged ticket was added.
    expect(h.deliveries().some((d) => d.ticketId === primary.id && d.notice.summary.includes(`${dup.ticket.number}已并入本件，现有2位诉求人`))).toBe(true);
  });

  it('refuses a merge into a closed or merged ticket, and of a merged one; nothing is written', async () => {
    const primary = await submitAndDispatch(h);
    const a = await h.submit('demo-resident2', { contact: LIFANG });
    const b = await h.submit('demo-resident2', { contact: LIFANG });
    await h.command('demo-operator', 'operator', { type: 'merge', ticketId: a.ticket.id, intoNumber: primary.number });
    const withdrawn = await h.submit('demo-resident');
    await h.command('demo-resident', 'resident', { type: 'withdraw', ticketId: withdrawn.ticket.id });
    const before = h.snapshot();
    expect(await op({ type: 'merge', ticketId: b.ticket.id, intoNumber: a.ticket.number })).toMatchObject({ ok: false, code: 'already-merged' });
    expect(await op({ type: 'merge', ticketId: a.ticket.id, intoNumber: primary.number })).toMatchObject({ ok: false, code: 'ticket-closed' });
    expect(await op({ type: 'merge', ticketId: b.ticket.id, intoNumber: b.ticket.number })).toMatchObject({ ok: false, code: 'link-self' });
    expect(await op({ type: 'merge', ticketId: b.ticket.id, intoNumber: withdrawn.ticket.number })).toMatchObject({ ok: false, code: 'merge-target-closed', message: '只能合并到仍在办理中的诉求' });
    expect(await op({ type: 'merge', ticketId: b.ticket.id })).toMatchObject({ ok: false, code: 'invalid-input' });
    expect(h.snapshot()).toBe(before);
    // The same requester merged twice is counted once.
    await h.command('demo-operator', 'operator', { type: 'merge', ticketId: b.ticket.id, intoNumber: primary.number });
    expect((await get('demo-operator', 'operator', primary.id)).requesterCount).toBe(2);
  });

  it('counts every distinct requester and raises the many-requesters trigger once the count is reached (baiyin 23(5))', async () => {
    // Five callers about one matter, at five places named differently: no trigger at submission.
    const primary = await submitAndDispatch(h, { viaOperator: true, submit: { category: '供水', location: { area: '甲区' }, contact: { name: '赵一', phone: '13700000001' } } });
    for (let i = 2; i <= 5; i++) {
      const dup = await h.ok<{ ticket: { id: string } }>('demo-operator', 'operator', { action: 'submit', input: h.submitInput({ category: '供水', location: { area: `第${i}区` }, contact: { name: `钱${i}`, phone: `1370000000${i}` } }) });
      const before = await get('demo-operator', 'operator', primary.id);
      expect(before.ticket.supervision.triggers).not.toContain('many-requesters');
      await h.command('demo-operator', 'operator', { type: 'merge', ticketId: dup.ticket.id, intoNumber: primary.number });
    }
    const d = await get('demo-operator', 'operator', primary.id);
    expect(d.requesterCount).toBe(5);
    expect(d.ticket.supervision.triggers).toContain('many-requesters');
    // The queue row carries the count.
    const q = await h.ok<Page & { items: { id: string; requesterCount: number }[] }>('demo-operator', 'operator', { action: 'queue', queue: 'all', limit: 100 });
    expect(q.items.find((i) => i.id === primary.id)?.requesterCount).toBe(5);
    // The dashboard's collective requests: the primary with its count, no one's name or phone.
    const period = { from: h.clock.now() - DAY, to: h.clock.now() + DAY };
    const collective = await h.ok<{ ticketId: string; requesterCount: number; manyRequesters: boolean; place: string }[]>('demo-operator', 'stats', { action: 'collective', ...period });
    expect(collective[0]).toMatchObject({ ticketId: primary.id, requesterCount: 5, manyRequesters: true, place: '甲区', category: '供水' });
    expect(collective.some((c) => c.requesterCount < 2)).toBe(false);
    expect(JSON.stringify(collective)).not.toMatch(/1370000000\d|赵一|钱\d/);
    // The merged duplicates are not rows of their own.
    expect(collective.filter((c) => c.ticketId === primary.id)).toHaveLength(1);
    // A new request at the primary's place counts the merged requesters too: the trigger fires at submission.
    const next = await h.ok<{ ticket: { supervision: { triggers: string[] } } }>('demo-operator', 'operator', { action: 'submit', input: h.submitInput({ category: '供水', location: { area: '甲区' }, contact: { name: '孙六', phone: '13700000006' } }) });
    expect(next.ticket.supervision.triggers).toContain('many-requesters');
  });

  it('links a split parent and its children both ways', async () => {
    const s = await h.submit('demo-resident');
    await h.command('demo-operator', 'operator', { type: 'accept', ticketId: s.ticket.id });
    await h.command('demo-operator', 'operator', { type: 'dispatch', ticketId: s.ticket.id, mode: 'separate', unitIds: ['u-chengguan', 'u-zhujian'], assistUnitIds: [] });
    const parent = await get('demo-resident', 'resident', s.ticket.id);
    const children = parent.links.filter((l) => l.kind === 'child');
    expect(children).toHaveLength(2);
    for (const c of children) {
      const child = await get('demo-resident', 'resident', c.ticketId);
      expect(child.links).toEqual([expect.objectContaining({ kind: 'parent', ticketId: s.ticket.id, number: s.ticket.number })]);
    }
    // A unit sees its own child, not the parent it is not assigned to.
    const units = await Promise.all(children.map(async (c) => (await h.ticket(c.ticketId)).assignments[0]?.unitId));
    const mine = children[units.indexOf('u-chengguan')]!;
    expect((await get('demo-staff-cg', 'staff', mine.ticketId)).links).toEqual([]);
  });
});

describe('附近已有人反映 and 我也遇到 (resident side)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ profile: 'baiyin' });
  });
  afterAll(() => h.close());

  type Nearby = { ticketId: string; category: string; summary: string; area?: string; stateLabel: string; requesterCount: number; joined: boolean }[];
  const near = (who: string, q: Record<string, unknown>) => h.ok<Nearby>(who, 'resident', { action: 'nearby', ...q });

  it('shows open requests of the same category at the same area, address or QR scene, and nothing of who asked', async () => {
    const open = await submitAndDispatch(h, { submit: { category: '噪声扰民', location: { address: '人民路1号', area: '东区街道' }, content: '人民路工地夜间施工噪声很大，张明13800001234', contact: ZHANGMING } });
    const plain = await h.submit('demo-resident', { category: '噪声扰民', location: { area: '东区街道' }, content: '东区街道广场舞音响声音太大，晚上十点还没停。' });
    const scene = await h.submit('demo-resident', { category: '噪声扰民', location: {}, scene: 'park-binhe', content: '公园里半夜有人唱歌，很吵。' });
    const elsewhere = await h.submit('demo-resident', { category: '噪声扰民', location: { area: '西区街道' } });
    const otherCategory = await h.submit('demo-resident', { category: '市容环境', location: { area: '东区街道' } });
    const secret = await h.submit('demo-resident', { category: '噪声扰民', location: { area: '东区街道' }, confidential: true });
    const closed = await h.submit('demo-resident', { category: '噪声扰民', location: { area: '东区街道' } });
    await h.command('demo-resident', 'resident', { type: 'withdraw', ticketId: closed.ticket.id });

    const list = await near('demo-resident2', { category: '噪声扰民', location: { area: '东区街道' } });
    const ids = list.map((x) => x.ticketId);
    expect(ids).toEqual(expect.arrayContaining([open.id, plain.ticket.id]));
    for (const hidden of [scene.ticket.id, elsewhere.ticket.id, otherCategory.ticket.id, secret.ticket.id, closed.ticket.id]) expect(ids).not.toContain(hidden);
    expect(list.find((x) => x.ticketId === plain.ticket.id)).toEqual({ ticketId: plain.ticket.id, category: '噪声扰民', summary: '东区街道广场舞音响声音太大，晚上十点还没停。', area: '东区街道', stateLabel: '已提交，待受理', createdAt: expect.any(Number), requesterCount: 1, joined: false });
    // A text naming a person or a number is shown only as its category.
    expect(list.find((x) => x.ticketId === open.id)?.summary).toBe('有市民反映噪声扰民问题');
    const json = JSON.stringify(list);
    for (const leak of ['张明', '13800001234', '人民路1号', open.number, plain.ticket.number, 'demo-resident"']) expect(json).not.toContain(leak);
    // The same QR scene finds the scene's request; the same address the address's.
    expect((await near('demo-resident2', { category: '噪声扰民', scene: 'park-binhe' })).map((x) => x.ticketId)).toEqual([scene.ticket.id]);
    expect((await near('demo-resident2', { category: '噪声扰民', location: { address: '人民路1号' } })).map((x) => x.ticketId)).toEqual([open.id]);
    // The requester sees their own marked as joined.
    expect((await near('demo-resident', { category: '噪声扰民', location: { area: '东区街道' } })).every((x) => x.joined)).toBe(true);
    expect(await h.refused('demo-resident2', 'resident', { action: 'nearby', location: { area: '东区街道' } })).toMatchObject({ code: 'invalid-input' });
  });

  it('我也遇到 makes the resident a co-requester: counted, shown the ticket, told of its progress; refusals write nothing', async () => {
    const t = await submitAndDispatch(h, { submit: { category: '占道经营', location: { area: '东区街道' }, contact: ZHANGMING } });
    const q = { category: '占道经营', location: { area: '东区街道' } };
    const before = h.snapshot();
    expect(await h.refused('demo-resident2', 'resident', { action: 'join', ticketId: t.id, category: '占道经营', location: { area: '西区街道' } })).toMatchObject({ code: 'not-found', message: '没有找到附近的这条诉求' });
    expect(await h.refused('demo-resident2', 'resident', { action: 'join', ticketId: 'no-such-ticket', ...q })).toMatchObject({ code: 'not-found' });
    expect(await h.refused('demo-resident', 'resident', { action: 'join', ticketId: t.id, ...q })).toMatchObject({ code: 'already-co-requester', message: '您已是该诉求的诉求人' });
    expect(await h.refused('demo-resident2', 'resident', { action: 'join', ticketId: t.id, ...q, confidential: 'yes' })).toMatchObject({ code: 'invalid-input' });
    expect(await h.refused('demo-resident2', 'resident', { action: 'command', command: { type: 'join', ticketId: t.id } })).toMatchObject({ code: 'not-found' });
    expect(h.snapshot()).toBe(before);

    const joined = await h.ok<{ ticket: { id: string; requesterShown: string } }>('demo-resident2', 'resident', { action: 'join', ticketId: t.id, ...q });
    expect(joined.ticket).toMatchObject({ id: t.id, requesterShown: '同一问题的其他诉求人' });
    expect(JSON.stringify(joined)).not.toContain('13800001234');
    expect(await h.refused('demo-resident2', 'resident', { action: 'join', ticketId: t.id, ...q })).toMatchObject({ code: 'already-co-requester' });
    const seen = await get(h, 'demo-resident2', 'resident', t.id);
    expect(seen.requesterCount).toBe(2);
    expect(seen.ticket.coRequesters).toEqual([expect.objectContaining({ userId: 'demo-resident2', via: 'join', confidential: false })]);
    expect((await near('demo-resident2', q)).find((x) => x.ticketId === t.id)).toMatchObject({ joined: true, requesterCount: 2 });
    // The requester sees the count and a 又有市民反映 entry, not who joined.
    const own = await get(h, 'demo-resident', 'resident', t.id);
    expect(own.requesterCount).toBe(2);
    expect(own.timeline.at(-1)).toMatchObject({ type: 'join', label: '又有市民反映同一问题', data: { requesterCount: 2 } });
    expect(JSON.stringify(own)).not.toMatch(/李芳|13900005678|demo-resident2/);
    // The unit sees the joiner masked, and no account in the timeline.
    const unit = await get(h, 'demo-staff-cg', 'staff', t.id);
    expect(unit.ticket.coRequesters).toEqual([expect.objectContaining({ via: 'join', phone: '139****5678' })]);
    expect(JSON.stringify(unit)).not.toContain('demo-resident2');
    // Told of progress like the requester.
    h.clock.advance(MIN);
    await h.command('demo-staff-cg', 'staff', { type: 'sign', ticketId: t.id });
    const told = h.deliveries().filter((d) => d.ticketId === t.id && d.userId === 'demo-resident2').map((d) => d.notice.summary);
    expect(told).toHaveLength(1);
    expect(told).toEqual(h.deliveries().filter((d) => d.ticketId === t.id && d.userId === 'demo-resident').map((d) => d.notice.summary).slice(-1));
  });

  it('a confidential join hides the joiner from the unit; joins count towards the many-requesters trigger', async () => {
    const t = await submitAndDispatch(h, { submit: { category: '违章建筑', location: { area: '西区街道' }, contact: ZHANGMING } });
    const q = { category: '违章建筑', location: { area: '西区街道' } };
    await h.ok('demo-resident2', 'resident', { action: 'join', ticketId: t.id, ...q, confidential: true });
    const unit = await get(h, 'demo-staff-cg', 'staff', t.id);
    expect(unit.ticket.coRequesters).toEqual([{ confidential: true, via: 'join', at: expect.any(Number) }]);
    expect(JSON.stringify(unit)).not.toMatch(/李芳|李\*|5678/);
    for (let i = 1; i <= 3; i++) {
      await h.deps.directory.putUser({ id: `joiner-${i}`, name: `居民${i}`, roles: ['resident'], phone: `1350000000${i}` });
      await h.ok(`joiner-${i}`, 'resident', { action: 'join', ticketId: t.id, ...q });
    }
    const d = await get(h, 'demo-operator', 'operator', t.id);
    expect(d.requesterCount).toBe(5);
    expect(d.ticket.supervision.triggers).toContain('many-requesters');
  });
});

