/**
 * stats.repeated and stats.frequentRequesters over the local runtime's HTTP API (pingli), against
 * a hand count of a planted week. Both are counted from the submission marks of the facts
 * (category, place, requester), not from the tickets.
 *
 * The week of Monday 2026-03-02 (Shanghai); one submission before it is counted nowhere.
 *   demo-resident (张明 13800001234): 3 × 市容环境 at 东区街道
 *   demo-resident2 (刘芳 13700002222): 1 × 市容环境 at 东区街道, 1 × 噪音扰民 at 西区街道
 *   phone intake for 李华 13900005678 (no account): 2 × 噪音扰民 at 西区街道, 1 × 供水 at 南区街道
 * Hand count: 市容环境/东区街道 4 tickets from 2 requesters; 噪音扰民/西区街道 3 from 2; 供水 alone.
 * Requesters with at least 2: 张明 3, 李华 3, 刘芳 2.
 */
import { startLiveRuntime, sh, type LiveRuntime } from '../support/runtime';

interface Repeated {
  category: string;
  place: string;
  count: number;
  requesters: number;
  numbers: string[];
}
interface Frequent {
  requester: string;
  phone: string;
  count: number;
  categories: string[];
}

const PEOPLE = {
  zhang: { caller: 'demo-resident', fn: 'resident', name: '张明', phone: '13800001234' },
  liu: { caller: 'demo-resident2', fn: 'resident', name: '刘芳', phone: '13700002222' },
  li: { caller: 'demo-operator', fn: 'operator', name: '李华', phone: '13900005678' },
} as const;
type Who = keyof typeof PEOPLE;

const PLAN: Array<{ who: Who; category: string; area: string; at: string }> = [
  { who: 'zhang', category: '市容环境', area: '东区街道', at: '2026-03-02 09:00' },
  { who: 'li', category: '噪音扰民', area: '西区街道', at: '2026-03-02 11:00' },
  { who: 'zhang', category: '市容环境', area: '东区街道', at: '2026-03-03 09:00' },
  { who: 'liu', category: '市容环境', area: '东区街道', at: '2026-03-03 10:00' },
  { who: 'liu', category: '噪音扰民', area: '西区街道', at: '2026-03-04 10:00' },
  { who: 'li', category: '噪音扰民', area: '西区街道', at: '2026-03-05 11:00' },
  { who: 'zhang', category: '市容环境', area: '东区街道', at: '2026-03-06 09:00' },
  { who: 'li', category: '供水', area: '南区街道', at: '2026-03-07 11:00' },
];
const PERIOD = { from: sh('2026-03-02 00:00'), to: sh('2026-03-09 00:00') };

describe('stats.repeated and stats.frequentRequesters (pingli, over HTTP)', () => {
  let rt: LiveRuntime;
  const numbers: string[] = [];
  beforeAll(async () => {
    rt = await startLiveRuntime('pingli');
    const send = async (who: Who, category: string, area: string, n: number) => {
      const p = PEOPLE[who];
      const input = {
        clientRequestId: `analysis-${String(n).padStart(4, '0')}`,
        type: 'complaint',
        category,
        content: `第${n}件：${area}的${category}问题又出现了，请尽快处理。`,
        location: { address: `${area}第${n}号楼`, area },
        contact: { name: p.name, phone: p.phone },
        ...(p.fn === 'operator' ? { onBehalf: true } : {}),
      };
      const r = await rt.ok<{ ticket: { number: string } }>(p.caller, p.fn, { action: 'submit', input });
      return r.ticket.number;
    };
    await rt.at(sh('2026-02-27 09:00'));
    await send('zhang', '市容环境', '东区街道', 0);
    for (const [i, s] of PLAN.entries()) {
      await rt.at(sh(s.at));
      numbers.push(await send(s.who, s.category, s.area, i + 1));
    }
    await rt.at(sh('2026-03-09 10:00'));
  }, 120_000);
  afterAll(() => rt?.stop());

  /** The hand count: groups of (category, area) with at least two tickets, from the plan. */
  const handGroups = () => {
    const g = new Map<string, { numbers: string[]; who: Set<Who> }>();
    PLAN.forEach((s, i) => {
      const k = `${s.category}|${s.area}`;
      const e = g.get(k) ?? { numbers: [], who: new Set<Who>() };
      e.numbers.push(numbers[i]!);
      e.who.add(s.who);
      g.set(k, e);
    });
    return [...g.entries()].filter(([, e]) => e.numbers.length >= 2);
  };

  it('repeated: each category at each place with two or more tickets, its requesters and first numbers', async () => {
    const got = await rt.ok<Repeated[]>('demo-operator', 'stats', { action: 'repeated', ...PERIOD });
    const want = handGroups()
      .map(([k, e]) => ({ category: k.split('|')[0], place: k.split('|')[1], count: e.numbers.length, requesters: e.who.size, numbers: e.numbers }))
      .sort((a, b) => b.count - a.count);
    expect(want.map((w) => [w.category, w.count, w.requesters])).toEqual([
      ['市容环境', 4, 2],
      ['噪音扰民', 3, 2],
    ]);
    expect(got).toEqual(want);
  });

  it('frequentRequesters: masked names and phones, counts and categories; the threshold is applied', async () => {
    const got = await rt.ok<Frequent[]>('demo-operator', 'stats', { action: 'frequentRequesters', ...PERIOD, min: 2 });
    const count = (w: Who) => PLAN.filter((s) => s.who === w).length;
    const cats = (w: Who) => [...new Set(PLAN.filter((s) => s.who === w).map((s) => s.category))].sort();
    const masked = (w: Who) => ({ requester: PEOPLE[w].name[0] + '*'.repeat(PEOPLE[w].name.length - 1), phone: `${PEOPLE[w].phone.slice(0, 3)}****${PEOPLE[w].phone.slice(-4)}`, count: count(w), categories: cats(w) });
    expect([...got].sort((a, b) => a.phone.localeCompare(b.phone))).toEqual((['zhang', 'liu', 'li'] as Who[]).map(masked).sort((a, b) => a.phone.localeCompare(b.phone)));
    expect(got.map((g) => g.count)).toEqual([3, 3, 2]);
    // No full phone number and no full name leaves the function.
    const text = JSON.stringify(got);
    for (const p of Object.values(PEOPLE)) {
      expect(text).not.toContain(p.phone);
      expect(text).not.toContain(p.name);
    }
    expect((await rt.ok<Frequent[]>('demo-operator', 'stats', { action: 'frequentRequesters', ...PERIOD, min: 3 })).map((g) => g.count)).toEqual([3, 3]);
  });

  it('only operators may ask, and a reversed period is refused with a code', async () => {
    for (const action of ['repeated', 'frequentRequesters']) {
      expect((await rt.call('demo-staff-cg', 'stats', { action, ...PERIOD })).code).toBe('forbidden');
      const bad = await rt.call('demo-operator', 'stats', { action, from: PERIOD.to, to: PERIOD.from });
      expect(bad).toMatchObject({ ok: false, code: 'invalid-input' });
      expect(bad.message).toMatch(/[\u4e00-\u9fa5]/);
    }
  });

  it('public.monthly: anonymous, the same figures as the operators’ for the month, requests by category, and nothing of a person', async () => {
    const march = { from: sh('2026-03-01 00:00'), to: sh('2026-04-01 00:00') };
    const got = await rt.ok<{ month: string; from: number; to: number; asOf: number; partial: boolean; all: Record<string, unknown>; units: Array<Record<string, unknown> & { unitName: string }>; byCategory: { category: string; count: number }[] }>(null, 'public', { action: 'monthly', month: '2026-03' });
    // The runtime's clock stands on 9 March: the month so far.
    expect(got).toMatchObject({ month: '2026-03', ...march, partial: true });
    expect(got.asOf >= sh('2026-03-09 10:00') && got.asOf < sh('2026-03-10 00:00')).toBe(true);
    const figures = await rt.ok<Array<Record<string, unknown> & { unitId: string; unitName: string }>>('demo-operator', 'stats', { action: 'figures', ...march });
    const pick = (f: Record<string, unknown>) => ({ submitted: f.submitted, response: f.response, resolution: f.resolution, satisfaction: f.satisfaction, onTime: f.onTime });
    expect(got.all).toEqual(pick(figures.find((f) => f.unitId === '*')!));
    expect(got.units).toEqual(figures.filter((f) => f.unitId !== '*' && f.unitId !== '').map((f) => ({ unitName: f.unitName, ...pick(f) })).sort((a, b) => a.unitName.localeCompare(b.unitName, 'zh-CN')));
    // By category, counted by hand from the plan (all of it lies in March).
    const hand = new Map<string, number>();
    for (const p of PLAN) hand.set(p.category, (hand.get(p.category) ?? 0) + 1);
    expect(got.byCategory).toEqual([...hand.entries()].map(([category, count]) => ({ category, count })).sort((a, b) => b.count - a.count || a.category.localeCompare(b.category, 'zh-CN')));
    const text = JSON.stringify(got);
    for (const p of Object.values(PEOPLE)) for (const form of [p.name, p.phone, p.phone.slice(-4)]) expect(text).not.toContain(form);
    for (const n of numbers) expect(text).not.toContain(n);
    expect(text).not.toContain('号楼');
  });

  it('public.monthly refuses a month not begun yet and a malformed month, with codes and Chinese messages', async () => {
    for (const month of ['2027-01', '2026-13', '2026-3', '']) {
      const r = await rt.call(null, 'public', { action: 'monthly', month });
      expect(r).toMatchObject({ ok: false, code: 'invalid-input' });
      expect(r.message).toMatch(/[\u4e00-\u9fa5]/);
    }
  });
});
