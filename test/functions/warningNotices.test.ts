/**
 * Risk warnings sent to the operators (issue 18 §7; baiyin 20, hohhot 29: 风险预警) by the timer
 * run, through the real router, SQLite store and outbox (pingli):
 * - a planted surge of one category within one area gives exactly one warning notice to each
 *   operator (removed operators and unit staff get none), shown in their 消息 list;
 * - a second run, at once and hours later in the same week, sends nothing more (the notice's id is
 *   the warning's key);
 * - ordinary weekly noise sends nothing.
 *
 * Weeks (Shanghai, Monday 10:00 onwards, one submission an hour): 8 baseline weeks from 2026-02-02,
 * then the week of 2026-03-30. The surge, as in warnings.test.ts: 供水 in 北区街道 4 every week;
 * 供水 in 南区街道 1 every week, then 6; 道路交通 in 南区街道 5 every week. 供水 as a whole (5 → 10)
 * and 南区街道 as a whole (6 → 11) stay under 3 × their median: the one warning is 南区街道/供水
 * (6 > 3 × 1, ≥ 5). The noise: 噪音扰民 in 西区街道 2 4 1 3 3 2 4 2, then 6 (≤ 3 × 2.5).
 */
import { createHarness, type Harness } from '../support/functionHarness';

const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;
const FIRST_MONDAY = Date.UTC(2026, 1, 2) - 8 * HOUR;
const CURRENT = FIRST_MONDAY + 8 * WEEK;

type Plan = { category: string; area: string; weeks: number[] }[];
const SURGE: Plan = [
  { category: '供水', area: '北区街道', weeks: [4, 4, 4, 4, 4, 4, 4, 4, 4] },
  { category: '供水', area: '南区街道', weeks: [1, 1, 1, 1, 1, 1, 1, 1, 6] },
  { category: '道路交通', area: '南区街道', weeks: [5, 5, 5, 5, 5, 5, 5, 5, 5] },
];
const NOISE: Plan = [{ category: '噪音扰民', area: '西区街道', weeks: [2, 4, 1, 3, 3, 2, 4, 2, 6] }];

interface Report {
  warnings: number;
}
interface Message {
  userId: string;
  template: string;
  ticketId: string;
  notice: { title: string; status: string; summary: string; page: string };
}

async function plant(h: Harness, plan: Plan): Promise<void> {
  let n = 0;
  for (let w = 0; w <= 8; w++) {
    let hour = 10;
    for (const p of plan) {
      for (let i = 0; i < p.weeks[w]!; i++) {
        h.clock.set(FIRST_MONDAY + w * WEEK + hour++ * HOUR);
        n += 1;
        await h.submit('demo-resident', { category: p.category, content: `第${n}件：${p.category}的问题反复出现，请尽快处理。`, location: { address: '滨河公园南门', area: p.area } });
      }
    }
  }
}

const warningDeliveries = (h: Harness) => h.deliveries().filter((d) => d.template === 'warning');
const run = (h: Harness) => h.ok<Report>(null, 'timer', { action: 'run' });

describe('risk warnings sent to the operators by the timer (pingli)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ profile: 'pingli', now: FIRST_MONDAY, limits: { submissionsPerHour: 1000 } });
    await h.deps.directory.putUser({ id: 'op-second', name: '钱琳（12345平台）', roles: ['operator'] });
    await h.deps.directory.putUser({ id: 'op-gone', name: '已调离', roles: ['operator'], deletedAt: FIRST_MONDAY });
    await plant(h, SURGE);
    h.clock.set(CURRENT + 4 * 24 * HOUR);
  }, 120_000);
  afterAll(() => h.close());

  it('the board shows the one planted warning (the control)', async () => {
    const shown = await h.ok<{ key: string }[]>('demo-operator', 'stats', { action: 'warnings' });
    expect(shown.map((w) => w.key)).toEqual(['南区街道/供水']);
  });

  it('a timer run records exactly one warning notice per operator, about no ticket, with Chinese text', async () => {
    expect(warningDeliveries(h)).toEqual([]);
    const report = await run(h);
    expect(report.warnings).toBe(1);
    const sent = warningDeliveries(h);
    expect(sent.map((d) => d.userId).sort()).toEqual(['demo-operator', 'op-second']);
    for (const d of sent) {
      expect(d.ticketId).toBe('');
      expect(d.notice).toMatchObject({ template: 'warning', title: '诉求量异常升高', status: '风险预警', summary: '区域「南区街道」分类「供水」本周6件，为前8周中位数（1件）的6.0倍', page: 'packageOperator/pages/board/index' });
    }
    // Shown in the operator's 消息 list.
    const mine = await h.ok<Message[]>('demo-operator', 'operator', { action: 'messages', limit: 50 });
    expect(mine.filter((m) => m.template === 'warning').map((m) => m.notice.summary)).toEqual([sent[0]!.notice.summary]);
  });

  it('a second run sends none: at once, and hours later in the same week', async () => {
    expect((await run(h)).warnings).toBe(0);
    h.clock.advance(3 * HOUR);
    expect((await run(h)).warnings).toBe(0);
    expect(warningDeliveries(h)).toHaveLength(2);
    // The warning still stands on the board; it was sent once.
    expect((await h.ok<{ key: string }[]>('demo-operator', 'stats', { action: 'warnings' })).map((w) => w.key)).toEqual(['南区街道/供水']);
  });
});

describe('ordinary weekly noise (pingli)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ profile: 'pingli', now: FIRST_MONDAY, limits: { submissionsPerHour: 1000 } });
    await plant(h, NOISE);
    h.clock.set(CURRENT + 4 * 24 * HOUR);
  }, 120_000);
  afterAll(() => h.close());

  it('sends nothing', async () => {
    expect(await h.ok('demo-operator', 'stats', { action: 'warnings' })).toEqual([]);
    expect((await run(h)).warnings).toBe(0);
    h.clock.advance(2 * HOUR);
    expect((await run(h)).warnings).toBe(0);
    expect(warningDeliveries(h)).toEqual([]);
  });
});
