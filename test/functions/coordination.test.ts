/**
 * Issue 15 §3 through the functions (linyi and hohhot profiles, SQLite): coordination asked by a
 * unit, started by a second return, decided by the operator with its basis; afterwards that unit's
 * return is refused; hohhot's fallback is the first lead unit.
 */
import { createHarness, submitAndDispatch, type Harness } from '../support/functionHarness';

interface OpView {
  ticket: { state: string; coordination?: { unitId: string; basis: string; fallback: boolean }; assignments: { unitId: string; role: string }[] };
  actions: string[];
  coordination: { citation: { article: string }; fallback: { label: string } | null };
}

describe.each(['linyi', 'hohhot'] as const)('unclear duties under %s', (profileId) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ profile: profileId });
  });
  afterAll(() => h.close());
  const op = (id: string) => h.ok<OpView>('demo-operator', 'operator', { action: 'get', ticketId: id });
  const proof = async () => [await h.upload('demo-staff-cg')];

  it('a unit asks for coordination; the operator decides another unit with the basis; that unit cannot return it', async () => {
    const { id } = await submitAndDispatch(h);
    await h.command('demo-staff-cg', 'staff', { type: 'sign', ticketId: id });
    await h.command('demo-staff-cg', 'staff', { type: 'requestCoordination', ticketId: id, reason: '占道经营与违建交叉，职责不清' });
    const queued = await h.ok<{ items: { id: string }[] }>('demo-operator', 'operator', { action: 'queue', queue: 'returns', limit: 100 });
    expect(queued.items.map((i) => i.id)).toContain(id);
    const before = await op(id);
    expect(before.actions).toContain('coordinate');
    expect(before.coordination.citation.article).toBe(profileId === 'linyi' ? '第十五条第（三）项' : '第十五条第（三）项、第二十条');
    await h.command('demo-operator', 'operator', { type: 'coordinate', ticketId: id, unitId: 'u-zhujian', basis: '联席会议纪要：违建拆除由住建局负责' });
    const after = await op(id);
    expect(after.ticket.state).toBe('dispatched');
    expect(after.ticket.coordination).toMatchObject({ unitId: 'u-zhujian', basis: '联席会议纪要：违建拆除由住建局负责', fallback: false });
    expect(after.ticket.assignments).toEqual([expect.objectContaining({ unitId: 'u-zhujian', role: 'lead' })]);
    const inbox = await h.ok<{ items: { id: string }[] }>('demo-staff-zj', 'staff', { action: 'inbox', limit: 100 });
    expect(inbox.items.map((i) => i.id)).toContain(id);
    const zj = await h.ok<{ actions: string[] }>('demo-staff-zj', 'staff', { action: 'get', ticketId: id });
    expect(zj.actions).not.toContain('requestReturn');
    const r = await h.refused('demo-staff-zj', 'staff', { action: 'command', command: { type: 'requestReturn', ticketId: id, reason: '不属于本单位', attachments: await (async () => [await h.upload('demo-staff-zj')])() } });
    expect(r.code).toBe('return-after-coordination');
    // The unit that asked is told, and no longer holds it.
    expect((await h.refused('demo-staff-cg', 'staff', { action: 'get', ticketId: id })).code).toBe('not-found');
  });

  it('a second return of the same ticket goes to coordination by itself', async () => {
    const { id } = await submitAndDispatch(h);
    await h.command('demo-staff-cg', 'staff', { type: 'requestReturn', ticketId: id, reason: '不属于城管职责', attachments: await proof() });
    await h.command('demo-operator', 'operator', { type: 'reviewReturn', ticketId: id, approve: true });
    await h.command('demo-operator', 'operator', { type: 'dispatch', ticketId: id, mode: 'single', unitIds: ['u-dongqu'], assistUnitIds: [] });
    const again = await h.command('demo-staff-dq', 'staff', { type: 'requestReturn', ticketId: id, reason: '也不属于街道职责', attachments: [await h.upload('demo-staff-dq')] });
    expect(again.ticket.state).toBe('coordinationRequested');
    const t = await h.ticket(id);
    expect(t.pendingCoordination).toMatchObject({ unitId: 'u-dongqu', auto: true });
    if (profileId === 'hohhot') {
      // hohhot 12/21: without a unit, the first lead unit (首接负责制) handles it.
      await h.command('demo-operator', 'operator', { type: 'coordinate', ticketId: id, basis: '职责争议，按首接负责制' });
      expect((await h.ticket(id)).coordination).toMatchObject({ unitId: 'u-chengguan', fallback: true });
    } else {
      const r = await h.refused('demo-operator', 'operator', { action: 'command', command: { type: 'coordinate', ticketId: id, basis: '会议协调' } });
      expect(r.code).toBe('coordination-unit-required');
      await h.command('demo-operator', 'operator', { type: 'coordinate', ticketId: id, unitId: 'u-dongqu', basis: '属地管理，由东区街道办理' });
      expect((await h.ticket(id)).state).toBe('dispatched');
    }
  });
});
