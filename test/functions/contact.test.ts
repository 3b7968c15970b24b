/**
 * Issue 15 §1 through the functions the app calls (baiyin profile, SQLite): a unit reveals the full
 * number of a non-confidential requester and each reveal is on the ticket's log that operators read;
 * a confidential ticket and the unit complained about go through the platform (relayed call,
 * message) and never receive the number; a reply waits for a contact record (baiyin 14(1)).
 */
import { createHarness, submitAndDispatch, type Detail, type Harness } from '../support/functionHarness';

const PHONE = '13800001234';
const MOBILE = /(?<!\d)1[3-9]\d{9}(?!\d)/;

describe('contacting the requester (baiyin 14(1))', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ profile: 'baiyin' });
  });
  afterAll(() => h.close());

  const signed = async (submit: Record<string, unknown> = {}, dispatch: { lead?: string; assist?: string[] } = {}, complainedUnitId?: string) => {
    const s = await h.submit('demo-resident', { contact: { name: '张明', phone: PHONE }, ...submit });
    const id = s.ticket.id;
    await h.command('demo-operator', 'operator', { type: 'accept', ticketId: id });
    const assist = dispatch.assist ?? [];
    await h.command('demo-operator', 'operator', { type: 'dispatch', ticketId: id, mode: assist.length ? 'lead' : 'single', unitIds: [dispatch.lead ?? 'u-chengguan'], assistUnitIds: assist, ...(complainedUnitId ? { complainedUnitId } : {}) });
    await h.command('demo-staff-cg', 'staff', { type: 'sign', ticketId: id });
    return id;
  };
  const reply = (id: string) => ({ action: 'command', command: { type: 'reply', ticketId: id, result: '已清理占道摊点，经现场核实已办结', handler: '刘洋', notifiedBy: '电话告知' } });

  it('reveals the full number to the lead unit, logs who and when, and the operator sees the log; the staff view stays masked', async () => {
    const id = await signed();
    const before = await h.ok<Detail>('demo-staff-cg', 'staff', { action: 'get', ticketId: id });
    expect(before.actions).toContain('revealPhone');
    expect(JSON.stringify(before)).not.toContain(PHONE);
    h.clock.advance(60_000);
    const at = h.clock.now();
    const shown = await h.ok<{ phone: string; revealedAt: number }>('demo-staff-cg', 'staff', { action: 'revealPhone', ticketId: id });
    expect(shown).toMatchObject({ phone: PHONE, revealedAt: at });
    const log = (await h.events(id)).filter((e) => e.type === 'revealPhone');
    expect(log).toEqual([expect.objectContaining({ actor: { userId: 'demo-staff-cg', role: 'staff', unitId: 'u-chengguan' }, at, public: false })]);
    expect(JSON.stringify(log)).not.toContain(PHONE);
    const op = await h.ok<Detail>('demo-operator', 'operator', { action: 'get', ticketId: id });
    expect(op.timeline.filter((e) => e.type === 'revealPhone').map((e) => [e.label, e.at, (e.actor as { userId: string }).userId])).toEqual([['承办单位查看诉求人完整号码', at, 'demo-staff-cg']]);
    const mine = await h.ok<Detail>('demo-resident', 'resident', { action: 'get', ticketId: id });
    expect(mine.timeline.some((e) => e.type === 'revealPhone')).toBe(false);
    const after = await h.ok<Detail>('demo-staff-cg', 'staff', { action: 'get', ticketId: id });
    expect(JSON.stringify(after)).not.toMatch(MOBILE);
  });

  it('a confidential ticket: no reveal, a relayed call the operator records, and no number in any answer to the unit', async () => {
    const id = await signed({ confidential: true });
    const r = await h.refused('demo-staff-cg', 'staff', { action: 'revealPhone', ticketId: id });
    expect(r.code).toBe('reveal-not-allowed');
    expect((await h.events(id)).some((e) => e.type === 'revealPhone')).toBe(false);
    const relay = await h.ok<{ binding: { port: string } }>('demo-staff-cg', 'staff', { action: 'relayCall', ticketId: id, note: '需核实摊点具体位置' });
    expect(relay.binding).toEqual({ port: 'operator' });
    expect(JSON.stringify(relay)).not.toContain(PHONE);
    expect((await h.refused('demo-staff-cg', 'staff', { action: 'relayCall', ticketId: id, note: '再次申请' })).code).toBe('relay-pending');
    // The operator sees the request and the full number, connects the call and records it.
    const op = await h.ok<Detail>('demo-operator', 'operator', { action: 'get', ticketId: id });
    expect(op.actions).toContain('relayDone');
    expect(op.ticket.requester.phone).toBe(PHONE);
    expect(op.ticket.relay).toMatchObject({ unitId: 'u-chengguan', note: '需核实摊点具体位置', port: 'operator' });
    await h.command('demo-operator', 'operator', { type: 'relayDone', ticketId: id, result: 'reached', note: '已三方通话，约定明早上门' });
    const t = await h.ticket(id);
    expect(t.relay).toBeUndefined();
    expect(t.contactLog).toEqual([expect.objectContaining({ unitId: 'u-chengguan', method: 'relay', result: 'reached' })]);
    const staffMessages = await h.ok<{ notice: { summary: string } }[]>('demo-staff-cg', 'staff', { action: 'messages', limit: 50 });
    expect(staffMessages.map((m) => m.notice.summary)).toContain('平台已转接联系诉求人：已联系上');
    // The relayed call is the contact record; the reply goes through.
    await h.ok('demo-staff-cg', 'staff', reply(id));
    for (const view of [await h.ok('demo-staff-cg', 'staff', { action: 'get', ticketId: id }), await h.ok('demo-staff-cg', 'staff', { action: 'inbox', limit: 100 })]) {
      expect(JSON.stringify(view)).not.toContain(PHONE);
    }
  });

  it('the unit complained about, as an assisting unit: no reveal and a platform message instead; the lead unit may reveal', async () => {
    const id = await signed({}, { assist: ['u-dongqu'] }, 'u-dongqu');
    await h.command('demo-staff-dq', 'staff', { type: 'sign', ticketId: id });
    expect((await h.refused('demo-staff-dq', 'staff', { action: 'revealPhone', ticketId: id })).code).toBe('reveal-not-allowed');
    await h.command('demo-staff-dq', 'staff', { type: 'messageRequester', ticketId: id, message: '东区街道将配合城管局处理，如有新情况请在小程序中补充' });
    const mine = await h.ok<Detail>('demo-resident', 'resident', { action: 'get', ticketId: id });
    expect(mine.timeline.find((e) => e.type === 'messageRequester')).toMatchObject({ label: '承办单位通过平台给您留言', note: '东区街道将配合城管局处理，如有新情况请在小程序中补充' });
    expect(JSON.stringify(await h.ok('demo-staff-dq', 'staff', { action: 'get', ticketId: id }))).not.toContain(PHONE);
    expect((await h.ok<{ phone: string }>('demo-staff-cg', 'staff', { action: 'revealPhone', ticketId: id })).phone).toBe(PHONE);
    // The complained unit's message is not the lead unit's contact record.
    expect((await h.refused('demo-staff-cg', 'staff', reply(id))).code).toBe('contact-required');
  });

  it('baiyin 14(1): the reply is refused before a contact record, with the article, and writes nothing; accepted after one', async () => {
    const id = await signed();
    const d = await h.ok<{ contactRequired: boolean; actions: string[] }>('demo-staff-cg', 'staff', { action: 'get', ticketId: id });
    expect(d.contactRequired).toBe(true);
    expect(d.actions).not.toContain('reply');
    const version = (await h.ticket(id)).version;
    const r = await h.refused('demo-staff-cg', 'staff', reply(id));
    expect(r.code).toBe('contact-required');
    expect(r.message).toContain('第十四条第（一）项');
    expect((await h.ticket(id)).version).toBe(version);
    await h.command('demo-staff-cg', 'staff', { type: 'contact', ticketId: id, method: 'phone', result: 'unreachable', note: '电话未接通，已发短信' });
    const after = await h.ok<{ contactRequired: boolean; actions: string[] }>('demo-staff-cg', 'staff', { action: 'get', ticketId: id });
    expect(after).toMatchObject({ contactRequired: false });
    expect(after.actions).toContain('reply');
    await h.ok('demo-staff-cg', 'staff', reply(id));
  });

  it('a unit not on the ticket cannot reveal or ask for a relay', async () => {
    const { id } = await submitAndDispatch(h);
    expect((await h.refused('demo-staff-zj', 'staff', { action: 'revealPhone', ticketId: id })).code).toBe('not-found');
    expect((await h.refused('demo-staff-zj', 'staff', { action: 'relayCall', ticketId: id, note: '转接' })).code).toBe('not-found');
  });
});
