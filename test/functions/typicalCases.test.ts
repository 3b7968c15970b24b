/**
 * Typical cases (issue 18 §6) over the local runtime's HTTP API, under anshan:
 * - linyi 22(3), anshan 17 and 37, hohhot 34, pingli 23 and 29: the platform publishes typical
 *   cases. An operator picks a resolved ticket, writes an anonymised title, summary and result,
 *   and publishes or unpublishes it; `public.cases` (no account) lists the published ones.
 * - linyi 23, hohhot 32, pingli 33: nothing of the requester is disclosed. A case whose text holds
 *   a phone number, an ID card number, a house-level address or a name is refused, and so is one
 *   holding this ticket's requester in a masked form; a refusal writes nothing.
 */
import { startLiveRuntime, sh, type LiveRuntime } from '../support/runtime';

interface Case {
  id: string;
  ticketId: string;
  ticketNumber: string;
  category?: string;
  unitName?: string;
  title: string;
  summary: string;
  result: string;
  month: string;
  published: boolean;
  publishedAt?: number;
}

const REQUESTER = { name: '韩立新', phone: '13912345678' };
const ADDRESS = '铁东区胜利南路88号3单元';

async function resolvedTicket(rt: LiveRuntime, n: number): Promise<{ id: string; number: string }> {
  const s = await rt.ok<{ ticket: { id: string; number: string } }>('demo-resident', 'resident', {
    action: 'submit',
    input: { clientRequestId: `typical-case-${n}`, type: 'complaint', category: '市容环境', content: `小区门口垃圾堆放多日无人清运，气味很大（第${n}件）。`, location: { address: ADDRESS, area: '东区街道' }, contact: REQUESTER },
  });
  const id = s.ticket.id;
  const cmd = (who: string, fn: string, command: Record<string, unknown>) => rt.ok(who, fn, { action: 'command', command: { ticketId: id, ...command } });
  await cmd('demo-operator', 'operator', { type: 'accept' });
  await cmd('demo-operator', 'operator', { type: 'dispatch', mode: 'single', unitIds: ['u-chengguan'] });
  await cmd('demo-staff-cg', 'staff', { type: 'sign' });
  await cmd('demo-staff-cg', 'staff', { type: 'contact', method: 'phone', note: '已电话联系诉求人' });
  await cmd('demo-staff-cg', 'staff', { type: 'reply', result: '已安排环卫车辆当日清运，并将该点位清运频次调整为每日两次。', handler: '刘洋', noCaseReason: '现场整改完毕，无需立案。' });
  await cmd('demo-operator', 'operator', { type: 'reviewResult', approve: true });
  return { id, number: s.ticket.number };
}

describe('typical cases under anshan (over HTTP)', () => {
  let rt: LiveRuntime;
  let ticket: { id: string; number: string };
  let open: string;
  const good = { title: '小区门口垃圾长期堆放', summary: '居民反映某小区门口垃圾堆放多日无人清运，气味较大，影响出行。', result: '承办单位当日安排清运，并将该点位清运频次调整为每日两次，居民表示满意。' };

  beforeAll(async () => {
    rt = await startLiveRuntime('anshan');
    await rt.at(sh('2026-05-11 09:00'));
    ticket = await resolvedTicket(rt, 1);
    open = (await rt.ok<{ ticket: { id: string } }>('demo-resident', 'resident', { action: 'submit', input: { clientRequestId: 'typical-case-open', type: 'complaint', category: '市容环境', content: '路灯不亮已经一周了，晚上出行不安全。', location: { address: '建设路', area: '东区街道' }, contact: REQUESTER } })).ticket.id;
  }, 120_000);
  afterAll(() => rt?.stop());

  it('anshan 17 / linyi 22(3): an operator writes a case from a resolved ticket; it stays off the public page until published', async () => {
    const c = await rt.ok<Case>('demo-operator', 'operator', { action: 'putCase', case: { ticketId: ticket.id, ...good } });
    expect(c).toMatchObject({ ticketId: ticket.id, ticketNumber: ticket.number, category: '市容环境', unitName: '市城市管理局', month: '2026-05', published: false, ...good });
    expect(await rt.ok<Case[]>(null, 'public', { action: 'cases' })).toEqual([]);
    expect((await rt.ok<Case[]>('demo-operator', 'operator', { action: 'cases' })).map((x) => x.id)).toEqual([c.id]);
  });

  it('anshan 37 / hohhot 34: published, anyone reads it without an account, with none of the ticket’s identifiers', async () => {
    const [c] = await rt.ok<Case[]>('demo-operator', 'operator', { action: 'cases' });
    await rt.at(sh('2026-05-12 10:00'));
    const published = await rt.ok<Case>('demo-operator', 'operator', { action: 'publishCase', id: c!.id, published: true });
    expect(published).toMatchObject({ published: true, publishedAt: expect.any(Number) });
    const r = await rt.call<Case[]>(null, 'public', { action: 'cases' });
    expect(r.ok).toBe(true);
    expect(r.data).toEqual([{ id: c!.id, ...good, category: '市容环境', unitName: '市城市管理局', month: '2026-05', publishedAt: published.publishedAt }]);
    const json = JSON.stringify(r);
    for (const f of [ticket.id, ticket.number, REQUESTER.name, REQUESTER.phone, REQUESTER.phone.slice(-4), ADDRESS, '小区门口垃圾堆放多日无人清运，气味很大']) expect(json).not.toContain(f);
  });

  it('pingli 23 / linyi 23: a case with a phone number in its summary is refused and nothing is written', async () => {
    const before = await rt.ok<Case[]>('demo-operator', 'operator', { action: 'cases' });
    for (const phone of ['13800001234', '138 0000 1234', '138-0000-1234', '0412-5551234']) {
      const r = await rt.call('demo-operator', 'operator', { action: 'putCase', case: { ticketId: ticket.id, ...good, summary: `居民（电话${phone}）反映小区门口垃圾堆放多日无人清运。` } });
      expect(r).toMatchObject({ ok: false, code: 'case-personal-data' });
      expect(r.message).toContain('案情含有电话号码');
    }
    expect(await rt.ok<Case[]>('demo-operator', 'operator', { action: 'cases' })).toEqual(before);
  });

  it('hohhot 32 / pingli 33: names, ID numbers, exact addresses and the requester in masked form are refused too', async () => {
    const before = await rt.ok<Case[]>('demo-operator', 'operator', { action: 'cases' });
    const refusals: [Partial<typeof good>, string][] = [
      [{ summary: '韩立新反映小区门口垃圾堆放多日无人清运，气味较大。' }, '案情含有姓名'],
      [{ summary: '韩**反映小区门口垃圾堆放多日无人清运，气味较大。' }, '案情含有姓名'],
      [{ title: '王先生反映垃圾堆放' }, '标题含有姓名'],
      [{ summary: '诉求人（身份证号210302198807151234）反映垃圾堆放多日。' }, '案情含有身份证号码'],
      [{ summary: '居民反映胜利南路88号3单元门口垃圾堆放多日无人清运。' }, '案情含有详细地址'],
      [{ result: '已清运，并已电话告知139****5678，诉求人表示满意。' }, '办理结果含有电话号码'],
      [{ result: '已清运，并回访尾号12345678的来电人，表示满意。' }, '办理结果含有电话号码'],
    ];
    for (const [change, message] of refusals) {
      const r = await rt.call('demo-operator', 'operator', { action: 'putCase', case: { ticketId: ticket.id, ...good, ...change } });
      expect(r).toMatchObject({ ok: false, code: 'case-personal-data' });
      expect(r.message).toContain(message);
    }
    expect(await rt.ok<Case[]>('demo-operator', 'operator', { action: 'cases' })).toEqual(before);
  });

  it('pingli 29: only a resolved ticket becomes a case; unpublishing takes it off the public page', async () => {
    expect(await rt.call('demo-operator', 'operator', { action: 'putCase', case: { ticketId: open, ...good } })).toMatchObject({ ok: false, code: 'case-not-closed' });
    expect(await rt.call('demo-operator', 'operator', { action: 'putCase', case: { ticketId: 'no-such-ticket', ...good } })).toMatchObject({ ok: false, code: 'not-found' });
    expect(await rt.call('demo-operator', 'operator', { action: 'publishCase', id: 'case-none', published: true })).toMatchObject({ ok: false, code: 'not-found' });
    const [c] = await rt.ok<Case[]>('demo-operator', 'operator', { action: 'cases' });
    // Rewritten while published: still published, with the new text.
    const rewritten = await rt.ok<Case>('demo-operator', 'operator', { action: 'putCase', case: { id: c!.id, ticketId: ticket.id, ...good, title: '小区门口垃圾长期堆放得到整治' } });
    expect(rewritten).toMatchObject({ published: true, title: '小区门口垃圾长期堆放得到整治' });
    expect((await rt.ok<Case[]>(null, 'public', { action: 'cases' })).map((x) => x.title)).toEqual(['小区门口垃圾长期堆放得到整治']);
    await rt.ok('demo-operator', 'operator', { action: 'publishCase', id: c!.id, published: false });
    expect(await rt.ok<Case[]>(null, 'public', { action: 'cases' })).toEqual([]);
    // Residents and unit staff do not write cases.
    expect(await rt.call('demo-staff-cg', 'operator', { action: 'cases' })).toMatchObject({ ok: false, code: 'forbidden' });
  });
});
