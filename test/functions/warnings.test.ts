/**
 * stats.warnings over the local runtime's HTTP API (pingli): a planted surge of one category in one
 * area fires a warning against its 8-week median; ordinary weekly noise in another does not.
 *
 * Weeks (Shanghai, Monday 10:00 onwards, one submission an hour): the 8 weeks from 2026-02-02 to
 * 2026-03-23 are the baseline, the week of 2026-03-30 the current week.
 *   市容环境 in 东区街道: 1 3 2 2 3 1 2 2 (median 2), then 9 → 9 > 3 × 2 and ≥ 5: a warning
 *   噪音扰民 in 西区街道: 2 4 1 3 3 2 4 2 (median 2.5), then 6 → 6 ≤ 3 × 2.5: none
 * A surge of one category inside one area that neither total shows (category within area):
 *   供水 in 北区街道: 4 every week; 供水 in 南区街道: 1 every week, then 6;
 *   道路交通 in 南区街道: 5 every week.
 *   供水 as a whole 5 → 10 ≤ 3 × 5, 南区街道 as a whole 6 → 11 ≤ 3 × 6: no warning; 供水 within 南区街道
 *   1 → 6 > 3 × 1 and ≥ 5: a warning of its own.
 */
import { startLiveRuntime, type LiveRuntime } from '../support/runtime';

const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;
const SH = 8 * HOUR;
/** Monday 2026-02-02 00:00 Shanghai. */
const FIRST_MONDAY = Date.UTC(2026, 1, 2) - SH;
const CURRENT = FIRST_MONDAY + 8 * WEEK;

const PLAN = [
  { category: '市容环境', area: '东区街道', weeks: [1, 3, 2, 2, 3, 1, 2, 2, 9] },
  { category: '噪音扰民', area: '西区街道', weeks: [2, 4, 1, 3, 3, 2, 4, 2, 6] },
  { category: '供水', area: '北区街道', weeks: [4, 4, 4, 4, 4, 4, 4, 4, 4] },
  { category: '供水', area: '南区街道', weeks: [1, 1, 1, 1, 1, 1, 1, 1, 6] },
  { category: '道路交通', area: '南区街道', weeks: [5, 5, 5, 5, 5, 5, 5, 5, 5] },
];

interface Warning {
  dimension: string;
  key: string;
  area?: string;
  category?: string;
  label: string;
  weekStart: number;
  count: number;
  median: number;
  baseline: number[];
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

describe('stats.warnings (pingli, over HTTP)', () => {
  let rt: LiveRuntime;
  beforeAll(async () => {
    rt = await startLiveRuntime('pingli');
    let n = 0;
    for (let w = 0; w <= 8; w++) {
      let hour = 10;
      for (const p of PLAN) {
        for (let i = 0; i < p.weeks[w]!; i++) {
          await rt.at(FIRST_MONDAY + w * WEEK + hour++ * HOUR);
          n += 1;
          await rt.ok('demo-resident', 'resident', {
            action: 'submit',
            input: { clientRequestId: `warning-${String(n).padStart(4, '0')}`, type: 'complaint', category: p.category, content: `第${n}件：${p.category}的问题反复出现，请尽快处理。`, location: { address: '滨河公园南门', area: p.area }, contact: { name: '张明', phone: '13800001234' } },
          });
        }
      }
    }
    await rt.at(CURRENT + 4 * 24 * HOUR);
  }, 300_000);
  afterAll(() => rt?.stop());

  it('fires for the planted surge, by category and by area, and not for the ordinary noise', async () => {
    const got = await rt.ok<Warning[]>('demo-operator', 'stats', { action: 'warnings' });
    const surge = PLAN[0]!;
    const base = surge.weeks.slice(0, 8);
    const hidden = PLAN[3]!;
    expect(got.map((w) => [w.dimension, w.key]).sort()).toEqual(
      [
        ['area', surge.area],
        ['category', surge.category],
        ['areaCategory', `${surge.area}/${surge.category}`],
        ['areaCategory', `${hidden.area}/${hidden.category}`],
      ].sort(),
    );
    for (const w of got.filter((x) => x.key.includes(surge.area) || x.key === surge.category)) {
      expect(w).toMatchObject({ weekStart: CURRENT, count: 9, median: median(base), baseline: base });
      expect(w.label).toContain('本周9件');
    }
    // The category within the area: neither 供水 nor 南区街道 warns as a whole.
    const inArea = got.find((w) => w.dimension === 'areaCategory' && w.area === hidden.area)!;
    expect(inArea).toMatchObject({ category: hidden.category, count: 6, median: 1, baseline: hidden.weeks.slice(0, 8) });
    expect(inArea.label).toBe('区域「南区街道」分类「供水」本周6件，为前8周中位数（1件）的6.0倍');
    expect(got.some((w) => w.key === hidden.area || w.key === hidden.category)).toBe(false);
    // The quiet category is under its threshold: 6 ≤ 3 × 2.5.
    expect(got.some((w) => w.key === PLAN[1]!.category || w.key === PLAN[1]!.area)).toBe(false);
  });

  it('follows the factor and the minimum asked, and an explicit week', async () => {
    // 9 ≤ 5 × 2 for the first surge; 6 > 5 × 1 for the category within its area. 6 ≤ 7 × 1: none.
    expect((await rt.ok<Warning[]>('demo-operator', 'stats', { action: 'warnings', factor: 5 })).map((w) => w.key)).toEqual(['南区街道/供水']);
    expect(await rt.ok<Warning[]>('demo-operator', 'stats', { action: 'warnings', factor: 7 })).toEqual([]);
    expect(await rt.ok<Warning[]>('demo-operator', 'stats', { action: 'warnings', min: 10 })).toEqual([]);
    // With a factor of 2 the noise week (6 > 2 × 2.5) also fires.
    const loose = await rt.ok<Warning[]>('demo-operator', 'stats', { action: 'warnings', factor: 2 });
    expect(loose.map((w) => w.key).sort()).toEqual(['东区街道', '西区街道', '噪音扰民', '市容环境', '东区街道/市容环境', '西区街道/噪音扰民', '南区街道/供水'].sort());
    // The week before the surge: 2 against a median of 2 (weeks 0-6 with an empty week before them).
    expect(await rt.ok<Warning[]>('demo-operator', 'stats', { action: 'warnings', at: CURRENT - WEEK + HOUR })).toEqual([]);
  });

  it('refuses a factor out of range and a caller who is not an operator, with stable codes', async () => {
    const bad = await rt.call('demo-operator', 'stats', { action: 'warnings', factor: 0.5 });
    expect(bad).toMatchObject({ ok: false, code: 'invalid-input' });
    expect(bad.message).toMatch(/[\u4e00-\u9fa5]/);
    const resident = await rt.call('demo-resident', 'stats', { action: 'warnings' });
    expect(resident).toMatchObject({ ok: false, code: 'forbidden' });
  });
});
