/**
 * The operator's workbench rules over HTTP on a fresh local runtime (hohhot): a resident's 紧急 is
 * a hint, not an urgency; reply and refusal templates and who reads which; the policy switch and
 * overrides previewed with what changes, writing nothing (issue 14 §2, §4, §6).
 */
import { startLiveRuntime, type LiveRuntime } from '../support/runtime';

jest.setTimeout(120_000);

let rt: LiveRuntime;
beforeAll(async () => {
  rt = await startLiveRuntime('hohhot');
});
afterAll(() => rt.stop());

let n = 0;
const input = (over: Record<string, unknown> = {}) => {
  n += 1;
  return { clientRequestId: `workbench-${n}-${Date.now()}`, type: 'help', category: '市政设施', content: `第${n}件：幸福路雨水井堵塞，路面积水。`, location: { address: '幸福路12号', area: '东区街道' }, ...over };
};
const ticket = async (id: string) => (await rt.ok<{ ticket: { urgency: string; urgentHint?: boolean; deadlines: { kind: string; status: string; citation: { article: string } }[] } }>('demo-operator', 'operator', { action: 'get', ticketId: id })).ticket;

describe('a resident’s 紧急 is a hint the operator confirms', () => {
  it('a resident asking for emergency gets a normal ticket marked urgentHint; the operator’s classify sets the urgency', async () => {
    const s = await rt.ok<{ ticket: { id: string } }>('demo-resident', 'resident', { action: 'submit', input: input({ urgency: 'emergency' }) });
    expect(await ticket(s.ticket.id)).toMatchObject({ urgency: 'normal', urgentHint: true });
    const hinted = await rt.ok<{ ticket: { id: string } }>('demo-resident', 'resident', { action: 'submit', input: input({ urgentHint: true }) });
    expect(await ticket(hinted.ticket.id)).toMatchObject({ urgency: 'normal', urgentHint: true });
    const list = await rt.ok<{ items: { id: string; urgentHint?: boolean }[] }>('demo-operator', 'operator', { action: 'queue', queue: 'intake', limit: 50 });
    expect(list.items.find((i) => i.id === hinted.ticket.id)?.urgentHint).toBe(true);
    await rt.ok('demo-operator', 'operator', { action: 'command', command: { type: 'classify', ticketId: hinted.ticket.id, urgency: 'urgent', reason: '电话核实：积水已进入楼道' } });
    expect((await ticket(hinted.ticket.id)).urgency).toBe('urgent');
  });

  it('a grid worker’s own report keeps the urgency they set', async () => {
    const s = await rt.ok<{ ticket: { id: string } }>('demo-grid', 'resident', { action: 'submit', input: input({ urgency: 'urgent' }) });
    const t = await ticket(s.ticket.id);
    expect(t.urgency).toBe('urgent');
    expect(t.urgentHint).toBeUndefined();
  });
});

describe('reply and refusal templates', () => {
  it('operators keep templates of every kind; units read only theirs; residents none', async () => {
    const refusal = await rt.ok<{ id: string }>('demo-operator', 'admin', { action: 'putTemplate', template: { kind: 'refusal', title: '已进入诉讼', text: '您反映的事项已进入诉讼程序，请依法定程序处理。' } });
    const reply = await rt.ok<{ id: string }>('demo-operator', 'admin', { action: 'putTemplate', template: { kind: 'reply', title: '已修复', text: '经现场核查，设施已修复。' } });
    await rt.ok('demo-operator', 'admin', { action: 'putTemplate', template: { id: reply.id, kind: 'reply', title: '已修复', text: '经现场核查，雨水井已疏通。' } });
    const all = await rt.ok<{ id: string; kind: string; text: string }[]>('demo-operator', 'admin', { action: 'templates' });
    expect(all.map((t) => t.kind).sort()).toEqual(['refusal', 'reply']);
    const unit = await rt.ok<{ id: string; kind: string; text: string }[]>('demo-staff-cg', 'staff', { action: 'templates' });
    expect(unit).toEqual([expect.objectContaining({ id: reply.id, kind: 'reply', text: '经现场核查，雨水井已疏通。' })]);
    expect(await rt.call('demo-resident', 'admin', { action: 'templates' })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await rt.call('demo-staff-cg', 'admin', { action: 'putTemplate', template: { kind: 'reply', title: '越权', text: '单位不能改模板' } })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await rt.call('demo-operator', 'admin', { action: 'putTemplate', template: { kind: 'greeting', title: 'x', text: '不存在的用途' } })).toMatchObject({ ok: false, code: 'invalid-input' });
    expect(await rt.call('demo-operator', 'admin', { action: 'putTemplate', template: { id: 'tpl-missing', kind: 'reply', title: 'x', text: '不存在的模板' } })).toMatchObject({ ok: false, code: 'not-found', message: '模板不存在' });
    expect(await rt.ok('demo-operator', 'admin', { action: 'deleteTemplate', id: refusal.id })).toEqual({ id: refusal.id });
    expect(await rt.call('demo-operator', 'admin', { action: 'deleteTemplate', id: refusal.id })).toMatchObject({ ok: false, code: 'not-found' });
  });
});

describe('the policy switch and overrides are previewed with what changes', () => {
  it('hohhot → linyi: the preview lists the changed rules with their articles and writes nothing', async () => {
    const p = await rt.ok<{ switching: boolean; regulation: string; changes: { key: string; from: string | null; to: string | null }[] }>('demo-operator', 'admin', { action: 'previewProfile', profileId: 'linyi', overrides: [] });
    expect(p).toMatchObject({ switching: true, regulation: '临沂市12345政务服务便民热线条例' });
    const termination = p.changes.find((c) => c.key === 'termination')!;
    expect(termination).toMatchObject({ from: '条例未列明情形' });
    expect(termination.to).toContain('第十八条');
    expect(p.changes.find((c) => c.key === 'regulation')).toMatchObject({ to: '《临沂市12345政务服务便民热线条例》' });
    const now = await rt.ok<{ current: { id: string } }>('demo-operator', 'admin', { action: 'profile' });
    expect(now.current.id).toBe('hohhot');
  });

  it('an override is previewed as one change; a statutory number is refused with its article', async () => {
    const p = await rt.ok<{ switching: boolean; changes: { key: string; from: string | null; to: string | null }[] }>('demo-operator', 'admin', { action: 'previewProfile', profileId: 'hohhot', overrides: [{ path: 'supervision.manyRequesters.count', value: 9 }] });
    expect(p.switching).toBe(false);
    expect(p.changes).toEqual([expect.objectContaining({ key: 'supervision.many', to: expect.stringContaining('9人') })]);
    const refused = await rt.call('demo-operator', 'admin', { action: 'previewProfile', profileId: 'hohhot', overrides: [{ path: 'handling.utilities.response.amount', value: 48 }] });
    expect(refused).toMatchObject({ ok: false, code: 'profile-invalid', message: expect.stringContaining('第十六条第（二）项') });
  });
});
