/**
 * Issue 18 §7: the weekly and monthly 简报 (baiyin 20 and 21, hohhot 29, linyi 36 to 41). On a
 * store made through the real functions (pingli, SQLite): each figure equals a hand count of what
 * was submitted in the period, the period before and the same period a year earlier, and the XLSX
 * file holds the same numbers (read back from the workbook's XML).
 */
import { unzipSync, strFromU8 } from 'fflate';
import { briefing } from '../../cloudfunctions/lib/functions/briefing';
import { HOUR, createHarness, type Harness } from '../support/functionHarness';

const SH = 8 * HOUR;
const at = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d, 10) - SH;

let h: Harness;
const submit = async (who: string, when: number, category: string, area: string, i: number) => {
  h.clock.set(when);
  return h.submit(who, { category, location: { area, address: `人民路${i}号` }, contact: { name: '张明', phone: '13800001234' }, content: `第${i}件：${area}${category}问题，请尽快处理。` });
};

beforeAll(async () => {
  h = await createHarness({ profile: 'pingli', now: at(2025, 3, 3), limits: { submissionsPerHour: 1000 } });
  let i = 0;
  // March 2025 (a year earlier): 2 × 市容环境.
  for (let k = 0; k < 2; k++) await submit('demo-resident', at(2025, 3, 3 + k), '市容环境', '东区街道', ++i);
  // February 2026 (the month before): 1 × 供水.
  await submit('demo-resident', at(2026, 2, 10), '供水', '西区街道', ++i);
  // March 2026: 3 × 市容环境 in 东区, 1 × 供水 in 西区.
  for (let k = 0; k < 3; k++) await submit(k % 2 ? 'demo-resident2' : 'demo-resident', at(2026, 3, 2 + k), '市容环境', '东区街道', ++i);
  await submit('demo-resident2', at(2026, 3, 9), '供水', '西区街道', ++i);
  h.clock.set(at(2026, 4, 2));
});
afterAll(async () => {
  await h.close();
});

describe('stats.briefing', () => {
  it('a month: figures beside the month before and the same month a year earlier, each a hand count', async () => {
    const b = await h.ok<Awaited<ReturnType<typeof briefing>>>('demo-operator', 'stats', { action: 'briefing', kind: 'month' });
    // Without `at`: the last complete month before now (2 April 2026) is March 2026.
    expect(b.title).toBe('2026年3月诉求办理简报');
    expect(b.period).toEqual({ from: Date.UTC(2026, 2, 1) - SH, to: Date.UTC(2026, 3, 1) - SH });
    expect(b.lastYearPeriod).toEqual({ from: Date.UTC(2025, 2, 1) - SH, to: Date.UTC(2025, 3, 1) - SH });
    expect(b.partial).toBe(false);
    expect([b.figures.current.submitted, b.figures.previous.submitted, b.figures.lastYear.submitted]).toEqual([4, 1, 2]);
    expect(b.categories).toEqual([
      { key: '市容环境', count: 3, previous: 0, lastYear: 2 },
      { key: '供水', count: 1, previous: 1, lastYear: 0 },
    ]);
    expect(b.areas).toEqual([
      { key: '东区街道', count: 3, previous: 0, lastYear: 2 },
      { key: '西区街道', count: 1, previous: 1, lastYear: 0 },
    ]);
  });

  it('a week: Monday to Sunday, the week before, and 52 weeks earlier', async () => {
    const b = await h.ok<Awaited<ReturnType<typeof briefing>>>('demo-operator', 'stats', { action: 'briefing', kind: 'week', at: at(2026, 3, 4) });
    // 2 March 2026 is a Monday: the week holds the submissions of 2, 3 and 4 March.
    expect(b.period).toEqual({ from: Date.UTC(2026, 2, 2) - SH, to: Date.UTC(2026, 2, 9) - SH });
    expect(b.title).toBe('2026年3月2日至3月8日诉求办理周报');
    expect(b.lastYearPeriod.from).toBe(b.period.from - 52 * 7 * 24 * HOUR);
    // 52 weeks before 2 March 2026 is 3 March 2025: that week holds last year's two.
    expect([b.figures.current.submitted, b.figures.previous.submitted, b.figures.lastYear.submitted]).toEqual([3, 0, 2]);
  });

  it('the XLSX holds the same numbers under Chinese headers, with a file name that says the period', async () => {
    const x = await h.ok<{ filename: string; base64: string }>('demo-operator', 'stats', { action: 'briefingXlsx', kind: 'month', at: at(2026, 3, 15) });
    expect(x.filename).toBe('briefing-month-20260301-20260331.xlsx');
    const files = unzipSync(Buffer.from(x.base64, 'base64'));
    const workbook = strFromU8(files['xl/workbook.xml']!);
    for (const sheet of ['总体情况', '热点分类', '热点区域', '承办单位', '重复诉求']) expect(workbook).toContain(`name="${sheet}"`);
    const strings = strFromU8(files['xl/sharedStrings.xml'] ?? new Uint8Array());
    const sheet1 = strFromU8(files['xl/worksheets/sheet1.xml']!);
    const all = strings + sheet1;
    expect(all).toContain('2026年3月诉求办理简报');
    expect(all).toContain('受理诉求（件）');
    // The submitted row: 4 this month, 1 the month before, 2 a year earlier.
    const values = [...sheet1.matchAll(/<c [^>]*r="([BCD]5)"[^>]*>(?:<v>([^<]*)<\/v>|<is><t>([^<]*)<\/t><\/is>)/g)].map((m) => m[2] ?? m[3]);
    expect(values).toEqual(['4', '1', '2']);
  });

  it('stats.figures over a period with nothing in it answers the 全部单位 row with zeros (it failed before)', async () => {
    const rows = await h.ok<{ unitId: string; submitted: number }[]>('demo-operator', 'stats', { action: 'figures', from: Date.UTC(2024, 0, 1) - SH, to: Date.UTC(2024, 0, 8) - SH });
    expect(rows).toEqual([expect.objectContaining({ unitId: '*', unitName: '全部单位', submitted: 0 })]);
  });

  it('refuses a unit member and bad input, writing nothing', async () => {
    const staff = await h.call('demo-staff-cg', 'stats', { action: 'briefing', kind: 'month' });
    expect(staff.ok ? 'ok' : staff.code).not.toBe('ok');
    const bad = await h.call('demo-operator', 'stats', { action: 'briefing', kind: 'year' });
    expect(bad.ok ? 'ok' : bad.code).toBe('invalid-input');
  });
});
