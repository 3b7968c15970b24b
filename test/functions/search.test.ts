/**
 * The operator's and the units' search through the functions, on SQLite in a temporary directory:
 * every filter of `operator.queue` / `staff.inbox`, the refusals, and what a unit may not learn.
 */
import { runTimer } from '../../cloudfunctions/lib/timer';
import { HOUR, MIN, createHarness, requestId, type Harness, type ListItem } from '../support/functionHarness';

type Row = ListItem & { urgency: string; utilities: boolean; channel: string };
interface QueuePage {
  items: Row[];
  next: string | null;
}

describe('search in the operator queue and the unit inbox', () => {
  let h: Harness;
  const ids: Record<string, string> = {};

  const phoneCall = (o: Record<string, unknown>) =>
    h.ok<{ ticket: { id: string; number: string } }>('demo-operator', 'operator', { action: 'submit', input: h.submitInput({ clientRequestId: requestId('call'), ...o }) });
  const queue = (filters: Record<string, unknown>, queueName = 'all') => h.ok<QueuePage>('demo-operator', 'operator', { action: 'queue', queue: queueName, filters, limit: 50 });
  const found = async (filters: Record<string, unknown>, queueName = 'all') => (await queue(filters, queueName)).items.map((i) => i.id).sort();

  beforeAll(async () => {
    h = await createHarness({ profile: 'hohhot' });
    ids.water = (await phoneCall({ type: 'help', category: '供水', utilities: true, content: '新华小区3号楼从早上开始停水，家里有老人', location: { address: '新华小区3号楼', area: '东区街道' }, contact: { name: '王大爷', phone: '13911112222' } })).ticket.id;
    h.clock.advance(MIN);
    ids.noise = (await phoneCall({ type: 'complaint', category: '噪声扰民', urgency: 'urgent', content: '工地夜间施工噪声很大，影响休息', location: { address: '人民路工地', area: '西区街道' }, contact: { name: '王大爷', phone: '13911112222' } })).ticket.id;
    h.clock.advance(MIN);
    ids.other = (await phoneCall({ type: 'help', category: '供水', content: '小区水压太低，高层用水困难', contact: { name: '李女士', phone: '13800002222' }, confidential: true })).ticket.id;
    h.clock.advance(MIN);
    ids.resident = (await h.submit('demo-resident', { category: '市容环境', content: '公园门口垃圾桶满了没人清理' })).ticket.id;
  });
  afterAll(() => h.close());

  it('a caller is found by the last four digits or the whole number, not by a wrong one', async () => {
    expect(await found({ phone: '2222' })).toEqual([ids.water, ids.noise, ids.other].sort());
    expect(await found({ phone: '13911112222' })).toEqual([ids.water, ids.noise].sort());
    expect(await found({ phone: '13911113333' })).toEqual([]);
  });

  it('words in title, content or address, a number, and the classification filters', async () => {
    expect(await found({ text: '停水' })).toEqual([ids.water]);
    expect(await found({ text: '新华小区 老人' })).toEqual([ids.water]);
    expect(await found({ text: '人民路' })).toEqual([ids.noise]);
    const number = (await h.ticket(ids.noise)).number;
    expect(await found({ number: number.toLowerCase() })).toEqual([ids.noise]);
    expect(await found({ category: '供水' })).toEqual([ids.water, ids.other].sort());
    expect(await found({ utilities: true })).toEqual([ids.water]);
    expect(await found({ urgency: 'urgent' })).toEqual([ids.noise]);
    expect(await found({ area: '西区街道' })).toEqual([ids.noise]);
    expect(await found({ channel: 'phone' })).toEqual([ids.water, ids.noise, ids.other].sort());
    expect(await found({ channel: 'miniprogram' })).toEqual([ids.resident]);
    expect(await found({ state: 'submitted', category: '供水' })).toEqual([ids.water, ids.other].sort());
    expect(await found({ category: '供水' }, 'dispatch')).toEqual([]);
    const t0 = (await h.ticket(ids.water)).createdAt;
    expect(await found({ from: t0 + MIN, to: t0 + 2 * MIN + 1 })).toEqual([ids.noise, ids.other].sort());
  });

  it('list rows carry urgency, utilities and channel, and mask the phone', async () => {
    const row = (await queue({ text: '停水' })).items[0]!;
    expect(row).toMatchObject({ id: ids.water, urgency: 'normal', utilities: true, channel: 'phone', requesterShown: '王大爷 139****2222' });
  });

  it('overdue and at risk: the deadline of a utilities ticket (24 h, hohhot 16(2)) is at risk within the warning window', async () => {
    for (const id of [ids.water, ids.other]) {
      await h.command('demo-operator', 'operator', { type: 'accept', ticketId: id });
      await h.command('demo-operator', 'operator', { type: 'dispatch', ticketId: id, mode: 'single', unitIds: ['u-shuiwu'] });
    }
    const water = await h.ticket(ids.water);
    // 16(2): the 24 hours are a response window (办结或者反馈办理情况); the finish after it is platform-set.
    const handle = water.deadlines.find((d) => d.kind === 'response')!;
    expect(handle).toMatchObject({ span: '24小时', citation: { article: expect.stringContaining('第十六条') } });
    expect(await found({ due: 'overdue' })).toEqual([]);
    expect(await found({ due: 'atRisk', unitId: 'u-shuiwu' })).toContain(ids.water);
    expect(await found({ unitId: 'u-shuiwu' })).toEqual([ids.water, ids.other].sort());
    h.clock.set(handle.dueAt + HOUR);
    await runTimer(h.deps, 'run-search');
    expect(await found({ due: 'overdue', utilities: true })).toEqual([ids.water]);
    expect(await found({ due: 'overdue' })).not.toContain(ids.noise);
    // The missed response is no longer at risk; the platform-set finish (2 working days) is next, and near.
    const next = (await h.ticket(ids.water)).deadlines.filter((d) => d.status === 'active').map((d) => d.kind);
    expect(next).toEqual(['handle']);
    expect(await found({ due: 'atRisk' })).toContain(ids.water);
  });

  it('a unit searches its own inbox; by phone it never finds a confidential request', async () => {
    const inbox = (filters: Record<string, unknown>) => h.ok<QueuePage>('demo-staff-sw', 'staff', { action: 'inbox', filters, limit: 50 });
    expect((await inbox({ text: '水压' })).items.map((i) => i.id)).toEqual([ids.other]);
    expect((await inbox({ phone: '2222' })).items.map((i) => i.id)).toEqual([ids.water]);
    expect((await inbox({ text: '噪声' })).items).toEqual([]);
    // The unit filter of a unit is its own inbox: another unit's id changes nothing.
    expect((await inbox({ unitId: 'u-chengguan', text: '水压' })).items.map((i) => i.id)).toEqual([ids.other]);
  });

  it('bad filters are refused with a code and a Chinese message', async () => {
    const refused = (filters: Record<string, unknown>) => h.refused('demo-operator', 'operator', { action: 'queue', queue: 'all', filters, limit: 10 });
    expect(await refused({ text: '水' })).toMatchObject({ code: 'invalid-input', message: '搜索词至少两个字' });
    expect(await refused({ phone: '22' })).toMatchObject({ code: 'invalid-input' });
    expect(await refused({ state: 'nonsense' })).toMatchObject({ code: 'invalid-input', message: expect.stringContaining('未知的状态') });
    expect(await refused({ from: 10, to: 5 })).toMatchObject({ code: 'invalid-input' });
    expect(await refused({ shoeSize: 42 })).toMatchObject({ code: 'invalid-input' });
  });
});
