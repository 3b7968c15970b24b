/**
 * The dashboard's figures (stats.figures) on a small data set made through the real functions
 * (pingli profile, SQLite in a temporary directory), against numbers counted by hand below.
 *
 * Period: March 2026 in Shanghai. Tickets (complaints; pingli: sign within 24 h (10(1)),
 * handle within 5 working days (12(2)), extension as long as the original (13)):
 *   G  城管局  dispatched, signed, replied, approved in FEBRUARY; rated 基本满意 in March
 *   A  城管局  signed after 1 h, replied, approved, rated 满意
 *   B  城管局  signed after 30 h (sign window missed), replied, approved, rated 不满意
 *   E  城管局  never signed, terminated 5 h after dispatch: its sign window never closed, so it is in
 *      no response figure (a ticket counts against a rate only once its window has closed)
 *   C  住建局  signed after 1 h, extension approved, never replied: overdue by the timer on 03-17
 *   F  水务集团 asked to return it; the return approved (no unit holds it any more)
 *   D  refused (not accepted): no unit, in no figure but the number submitted
 * Each figure counts the tickets DECIDED in the period (facts records, shared/metrics/facts.ts):
 * G, dispatched and signed in February, counts for response in February, its March rating in March.
 */
import { runTimer } from '../../cloudfunctions/lib/timer';
import { DAY, HOUR, MIN, createHarness, type CommandResult, type Harness } from '../support/functionHarness';

interface Ratio {
  numerator: number;
  denominator: number;
  rate: number | null;
}
interface Figures {
  unitId: string;
  unitName: string;
  submitted: number;
  response: Ratio;
  resolution: Ratio;
  satisfaction: Ratio;
  onTime: Ratio;
  extensions: number;
  returns: number;
}

const SH = 8 * HOUR;
/** Wednesday 2026-02-25 10:00 Shanghai. */
const FEB_25 = Date.UTC(2026, 1, 25, 10) - SH;
/** Monday 2026-03-02 10:00 Shanghai. */
const MAR_2 = Date.UTC(2026, 2, 2, 10) - SH;
const MARCH = { from: Date.UTC(2026, 2, 1) - SH, to: Date.UTC(2026, 3, 1) - SH };

const ratio = (numerator: number, denominator: number): Ratio => ({ numerator, denominator, rate: denominator ? numerator / denominator : null });

describe('stats.figures on a seeded March (pingli)', () => {
  let h: Harness;
  let figures: Figures[];
  const op = (command: Record<string, unknown>) => h.command('demo-operator', 'operator', command);
  const staff = (who: string, command: Record<string, unknown>) => h.command(who, 'staff', command);
  const at = (t: number) => h.clock.set(t);

  async function dispatched(unitId: string, who = 'demo-resident'): Promise<string> {
    const s = await h.submit(who);
    await op({ type: 'accept', ticketId: s.ticket.id });
    const d: CommandResult = await op({ type: 'dispatch', ticketId: s.ticket.id, mode: 'single', unitIds: [unitId], assistUnitIds: [] });
    return d.ticket.id;
  }
  // pingli 10(1): the contact record, then the reply.
  const reply = async (who: string, ticketId: string) => {
    await staff(who, { type: 'contact', ticketId, method: 'phone', note: '已电话联系诉求人' });
    return replyOnly(who, ticketId);
  };
  const replyOnly = (who: string, ticketId: string) =>
    staff(who, { type: 'reply', ticketId, result: '已现场清运，并调整清运频次。', handler: '刘洋', noCaseReason: '现场整改完毕，无需立案。' });
  const rate = (ticketId: string, value: string, reason?: string) =>
    h.command('demo-resident', 'resident', { type: 'rate', ticketId, value, ...(reason ? { reason } : {}) });

  beforeAll(async () => {
    h = await createHarness({ profile: 'pingli', now: FEB_25, limits: { submissionsPerHour: 100 } });

    // February: G from dispatch to 办结.
    const G = await dispatched('u-chengguan');
    at(FEB_25 + 1 * HOUR);
    await staff('demo-staff-cg', { type: 'sign', ticketId: G });
    at(FEB_25 + 2 * HOUR);
    await reply('demo-staff-cg', G);
    at(FEB_25 + 3 * HOUR);
    await op({ type: 'reviewResult', ticketId: G, approve: true });

    // March 2, 10:00: five tickets dispatched, one refused.
    at(MAR_2);
    const A = await dispatched('u-chengguan');
    const B = await dispatched('u-chengguan');
    const E = await dispatched('u-chengguan', 'demo-resident2');
    const C = await dispatched('u-zhujian', 'demo-resident2');
    const F = await dispatched('u-shuiwu', 'demo-resident2');
    const D = (await h.submit('demo-resident2')).ticket.id;
    await op({ type: 'refuse', ticketId: D, groundCode: 'incomplete' });

    at(MAR_2 + 1 * HOUR);
    await staff('demo-staff-cg', { type: 'sign', ticketId: A });
    await staff('demo-staff-zj', { type: 'sign', ticketId: C });
    await staff('demo-staff-sw', { type: 'requestReturn', ticketId: F, reason: '供水管网以外的问题，不属本单位职责。' });
    await op({ type: 'reviewReturn', ticketId: F, approve: true });

    at(MAR_2 + 2 * HOUR);
    await reply('demo-staff-cg', A);
    await staff('demo-staff-zj', { type: 'requestExtension', ticketId: C, reason: '需协调物业和业委会共同处理。' });
    at(MAR_2 + 3 * HOUR);
    await op({ type: 'reviewResult', ticketId: A, approve: true });
    await op({ type: 'reviewExtension', ticketId: C, approve: true });
    at(MAR_2 + 4 * HOUR);
    await rate(A, 'satisfied');
    await rate(G, 'basically-satisfied');
    at(MAR_2 + 5 * HOUR);
    await op({ type: 'terminate', ticketId: E, reason: '诉求人已通过诉讼途径解决。' });

    // B: signed 30 h after dispatch, past the 24-hour sign window.
    at(MAR_2 + 30 * HOUR);
    await staff('demo-staff-cg', { type: 'sign', ticketId: B });
    at(MAR_2 + 31 * HOUR);
    await reply('demo-staff-cg', B);
    at(MAR_2 + 32 * HOUR);
    await op({ type: 'reviewResult', ticketId: B, approve: true });
    at(MAR_2 + 33 * HOUR);
    await rate(B, 'dissatisfied', '第二天垃圾桶又满了。');
    // pingli 18 sends B back by itself; after the rework B is rated 不满意 again, which is final (pingli 20).
    at(MAR_2 + 34 * HOUR);
    await reply('demo-staff-cg', B);
    await op({ type: 'reviewResult', ticketId: B, approve: true });
    await rate(B, 'dissatisfied', '还是满的。');

    // C: 5 + 5 working days from Monday 03-02 end on Monday 03-16; the timer on Tuesday 03-17 marks it overdue.
    at(MAR_2 + 15 * DAY + 10 * MIN);
    await runTimer(h.deps, 'run-dashboard');
    expect((await h.ticket(C)).deadlines.find((d) => d.kind === 'handle')).toMatchObject({ status: 'missed' });

    figures = await h.ok<Figures[]>('demo-operator', 'stats', { action: 'figures', ...MARCH });
  });
  afterAll(() => h.close());

  const row = (unitId: string) => figures.find((f) => f.unitId === unitId)!;

  it('城管局: 3 submitted (A, B, E), response 1/2 (A in time; B late; E never decided), resolution 1/2 (A; B rated 不满意), satisfaction 2/3 (A 满意, G 基本满意 counts (pingli 17), B 不满意), on time 2/2', () => {
    expect(row('u-chengguan')).toEqual({
      unitId: 'u-chengguan',
      unitName: '市城市管理局',
      submitted: 3,
      response: ratio(1, 2),
      resolution: ratio(1, 2),
      satisfaction: ratio(2, 3),
      onTime: ratio(2, 2),
      extensions: 0,
      returns: 0,
      appeals: 0,
    });
  });

  it('住建局: response 1/1, nothing concluded or rated, on time 0/1 (C overdue after its extension), 1 extension', () => {
    expect(row('u-zhujian')).toEqual({
      unitId: 'u-zhujian',
      unitName: '市住房和城乡建设局',
      submitted: 1,
      response: ratio(1, 1),
      resolution: ratio(0, 0),
      satisfaction: ratio(0, 0),
      onTime: ratio(0, 1),
      extensions: 1,
      returns: 0,
      appeals: 0,
    });
  });

  it('水务集团: only its return request counts (the ticket left the unit)', () => {
    expect(row('u-shuiwu')).toMatchObject({ response: ratio(0, 0), resolution: ratio(0, 0), satisfaction: ratio(0, 0), onTime: ratio(0, 0), extensions: 0, returns: 1, appeals: 0 });
  });

  it('all units: 6 submitted, response 2/3, resolution 1/2, satisfaction 2/3, on time 2/3, 1 extension, 1 return; the refused D is nowhere', () => {
    expect(row('*')).toEqual({
      unitId: '*',
      unitName: '全部单位',
      submitted: 6,
      response: ratio(2, 3),
      resolution: ratio(1, 2),
      satisfaction: ratio(2, 3),
      onTime: ratio(2, 3),
      extensions: 1,
      returns: 1,
      appeals: 0,
    });
    expect(figures.map((f) => f.unitId).sort()).toEqual(['*', 'u-chengguan', 'u-shuiwu', 'u-zhujian']);
  });

  it('one unit: all units (*) then equals that unit', async () => {
    const one = await h.ok<Figures[]>('demo-operator', 'stats', { action: 'figures', ...MARCH, unitId: 'u-chengguan' });
    expect(one.find((f) => f.unitId === '*')).toMatchObject({ response: ratio(1, 2), resolution: ratio(1, 2), satisfaction: ratio(2, 3), onTime: ratio(2, 2) });
  });

  it('February holds only G: response 1/1, resolution 1/1, on time 1/1, nothing rated yet in February', async () => {
    const feb = await h.ok<Figures[]>('demo-operator', 'stats', { action: 'figures', from: Date.UTC(2026, 1, 1) - SH, to: MARCH.from });
    expect(feb.find((f) => f.unitId === '*')).toMatchObject({ response: ratio(1, 1), resolution: ratio(1, 1), satisfaction: ratio(0, 0), onTime: ratio(1, 1) });
  });

  it('the figures CSV carries the same rates', async () => {
    const { csv } = await h.ok<{ csv: string }>('demo-operator', 'stats', { action: 'exportCsv', kind: 'figures', ...MARCH });
    const lines = csv.replace(/^\ufeff/, '').split('\r\n');
    expect(lines).toContain('全部单位,66.7%,50.0%,66.7%,66.7%,1,1,0');
    expect(lines).toContain('市城市管理局,50.0%,50.0%,66.7%,100.0%,0,0,0');
    // 全部单位 right under the header, not between two units.
    expect(lines[1]).toMatch(/^全部单位,/);
  });

  it('the tickets CSV: Chinese labels in Chinese columns, the whole content, requester, address, area and reply; a dated file name', async () => {
    const out = await h.ok<{ csv: string; filename: string }>('demo-operator', 'stats', { action: 'exportCsv', kind: 'tickets', ...MARCH });
    expect(out.filename).toBe('tickets-20260301-20260331.csv');
    const lines = out.csv.replace(/^\ufeff/, '').split('\r\n');
    expect(lines[0]).toMatch(/^工单编号,类型,分类,反映内容,诉求人,地址,属地,状态,主办单位,提交时间,办结时间,是否超期,办理结果,评价/);
    const rows = lines.slice(1);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r).not.toMatch(/,(consultation|help|complaint|report|suggestion),/);
      expect(r).not.toMatch(/,(satisfied|dissatisfied|basically-satisfied)(,|$)/);
      expect(r).not.toContain('…');
    }
  });
});
