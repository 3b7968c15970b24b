/**
 * Issue 16 §1: a unit's reply is refused when its result is shorter than the minimum the operator
 * sets in the profile settings (`reply.minResultLength`, default 10, bounds 1..500), through the
 * functions the app calls (baiyin profile, SQLite).
 */
import { createHarness, type Detail, type Harness } from '../support/functionHarness';

describe('reply minimum length (reply-too-short)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ profile: 'baiyin' });
  });
  afterAll(() => h.close());

  const contacted = async () => {
    const s = await h.submit('demo-resident', { contact: { name: '张明', phone: '13800001234' } });
    const id = s.ticket.id;
    await h.command('demo-operator', 'operator', { type: 'accept', ticketId: id });
    await h.command('demo-operator', 'operator', { type: 'dispatch', ticketId: id, mode: 'single', unitIds: ['u-chengguan'], assistUnitIds: [] });
    await h.command('demo-staff-cg', 'staff', { type: 'sign', ticketId: id });
    await h.command('demo-staff-cg', 'staff', { type: 'contact', ticketId: id, method: 'phone', result: 'reached', note: '已电话联系诉求人' });
    return id;
  };
  const reply = (id: string, result: string) => ({ action: 'command', command: { type: 'reply', ticketId: id, result, handler: '刘洋', notifiedBy: '电话告知' } });

  it('refuses a result under 10 characters by default, naming the minimum; 10 characters pass', async () => {
    const id = await contacted();
    const r = await h.refused('demo-staff-cg', 'staff', reply(id, '  已处理完毕  '));
    expect(r.code).toBe('reply-too-short');
    expect(r.message).toContain('不少于10个字');
    const staff = await h.ok<Detail & { rules: { replyMinChars: number } }>('demo-staff-cg', 'staff', { action: 'get', ticketId: id });
    expect(staff.rules.replyMinChars).toBe(10);
    await h.ok('demo-staff-cg', 'staff', reply(id, '已清理占道摊点恢复通行'));
  });

  it('the operator raises the minimum in the profile settings; bounds 1..500 are enforced', async () => {
    for (const value of [0, 501, 2.5]) {
      const bad = await h.refused('demo-operator', 'admin', { action: 'setProfile', profileId: 'baiyin', overrides: [{ path: 'reply.minResultLength', value }] });
      expect(bad.code).toBe('profile-invalid');
    }
    await h.ok('demo-operator', 'admin', { action: 'setProfile', profileId: 'baiyin', overrides: [{ path: 'reply.minResultLength', value: 20 }] });
    const id = await contacted();
    const r = await h.refused('demo-staff-cg', 'staff', reply(id, '已清理占道摊点恢复通行'));
    expect(r).toMatchObject({ code: 'reply-too-short', message: expect.stringContaining('不少于20个字') });
    await h.ok('demo-staff-cg', 'staff', reply(id, '已清理占道摊点恢复通行，并与诉求人电话确认结果满意'));
  });
});
