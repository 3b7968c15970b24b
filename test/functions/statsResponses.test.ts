/**
 * Issue 10 §4, the `stats` function: every action's answer, on a small March made through the real
 * functions (pingli, SQLite), parses under its schema in shared/contracts/responses (strict: a
 * field the schema lacks, or a missing one, fails). The app's types come from the same schemas.
 */
import { responses } from '../../shared/contracts/responses';
import { HOUR, createHarness, type Harness } from '../support/functionHarness';

const SH = 8 * HOUR;
const MAR_2 = Date.UTC(2026, 2, 2, 10) - SH;
const MARCH = { from: Date.UTC(2026, 2, 1) - SH, to: Date.UTC(2026, 3, 1) - SH };

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ profile: 'pingli', now: MAR_2, limits: { submissionsPerHour: 100 } });
  const op = (command: Record<string, unknown>) => h.command('demo-operator', 'operator', command);
  const contact = { name: '张明', phone: '13800001234' };
  const numbers: string[] = [];
  for (const [i, who] of ['demo-resident', 'demo-resident', 'demo-resident2'].entries()) {
    const s = await h.submit(who, { category: '市容环境', location: { area: '东区街道', address: '人民路1号' }, contact, content: `第${i}次：人民路1号垃圾满溢无人清运，气味很大。` });
    numbers.push(s.ticket.number);
    await op({ type: 'accept', ticketId: s.ticket.id });
    await op({ type: 'dispatch', ticketId: s.ticket.id, mode: 'single', unitIds: ['u-chengguan'], assistUnitIds: [] });
    h.clock.set(MAR_2 + (i + 1) * HOUR);
    await h.command('demo-staff-cg', 'staff', { type: 'sign', ticketId: s.ticket.id });
    if (i === 0) {
      await h.command('demo-staff-cg', 'staff', { type: 'contact', ticketId: s.ticket.id, method: 'phone', note: '已电话联系诉求人' });
      await h.command('demo-staff-cg', 'staff', { type: 'reply', ticketId: s.ticket.id, result: '已现场清运，并调整清运频次。', handler: '刘洋', noCaseReason: '现场整改完毕，无需立案。' });
      await op({ type: 'reviewResult', ticketId: s.ticket.id, approve: true });
      await h.command(who, 'resident', { type: 'rate', ticketId: s.ticket.id, value: 'satisfied' });
    }
  }
  // A duplicate merged into the second: a collective request of two requesters.
  const dup = await h.submit('demo-grid', { category: '市容环境', location: { area: '东区街道', address: '人民路1号' }, contact: { name: '王强', phone: '13600009876' }, content: '人民路1号的垃圾又满了，没人来清运。' });
  await op({ type: 'merge', ticketId: dup.ticket.id, intoNumber: numbers[1]! });
});
afterAll(async () => {
  await h.close();
});

const EVENTS: Record<keyof typeof responses.stats, Record<string, unknown>> = {
  figures: MARCH,
  trend: MARCH,
  hotspots: MARCH,
  rates: { ...MARCH, by: 'unit' },
  figureTickets: { ...MARCH, metric: 'response', by: 'unit', key: 'u-chengguan', part: 'all', limit: 20 },
  warnings: { at: MAR_2 + 5 * HOUR, factor: 1.5, min: 1 },
  repeated: MARCH,
  collective: MARCH,
  frequentRequesters: { ...MARCH, min: 2 },
  exportCsv: { ...MARCH, kind: 'tickets' },
  briefing: { kind: 'month', at: MAR_2 },
  briefingXlsx: { kind: 'week', at: MAR_2 },
};

describe('stats answers match shared/contracts/responses/stats.ts', () => {
  it.each(Object.keys(EVENTS) as (keyof typeof EVENTS)[])('stats.%s', async (action) => {
    const data = await h.ok('demo-operator', 'stats', { action, ...EVENTS[action] });
    const parsed = responses.stats[action].safeParse(data);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    // Not vacuous: each answer carries rows (the warnings of this small March may be none).
    if (Array.isArray(data) && action !== 'warnings') expect(data.length).toBeGreaterThan(0);
  });
});
