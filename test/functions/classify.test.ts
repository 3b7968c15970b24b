/**
 * Classification and reviews with reasons, through the functions on SQLite (hohhot profile):
 * the deadline recomputed with its article when an operator reclassifies, grid workers flagging
 * urgency on their own reports only, and a rejected review refused without a reason.
 */
import type { DeliveryRecord } from '../../shared/ports';
import { getProfile } from '../../shared/profiles';
import { formatSpan, handlingRule } from '../../shared/workflow/deadlineRules';
import { createHarness, requestId, submitAndDispatch, type Detail, type Harness } from '../support/functionHarness';

describe('classification and reviews with reasons (hohhot)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ profile: 'hohhot' });
  });
  afterAll(() => h.close());

  const classify = (who: string, fn: string, ticketId: string, fields: Record<string, unknown>) => h.call(who, fn, { action: 'command', command: { type: 'classify', ticketId, ...fields } });
  const active = async (id: string, kind = 'handle') => (await h.ticket(id)).deadlines.find((d) => d.kind === kind && d.status === 'active');

  it('hohhot 16(2): marking a dispatched water outage as utilities recomputes the response window to 24 hours and the platform-set finish, with the reason on the event and a notice to the unit', async () => {
    const t = await submitAndDispatch(h, { viaOperator: true, lead: 'u-shuiwu', submit: { type: 'help', category: '供水', content: '新华小区3号楼停水一天了，没有任何通知。' } });
    const before = await active(t.id, 'response');
    expect(before).toMatchObject({ span: '10个工作日', citation: { article: '第十六条第（三）项', platformSet: false } });
    expect(await active(t.id)).toMatchObject({ span: '20个工作日', citation: { article: '第十六条第（三）项', platformSet: true } });
    const r = await classify('demo-operator', 'operator', t.id, { utilities: true, reason: '整栋楼停水，属于水电气热诉求' });
    expect(r.ok).toBe(true);
    const after = await active(t.id, 'response');
    expect(after).toMatchObject({ span: '24小时', citation: { article: '第十六条第（二）项', platformSet: false }, startedAt: before!.startedAt, owner: 'u-shuiwu' });
    expect(after!.dueAt).toBe(before!.startedAt + 24 * 3_600_000);
    expect(await active(t.id)).toMatchObject({ span: '2个工作日', citation: { article: '第十六条第（二）项', platformSet: true }, startedAt: before!.startedAt });
    const ticket = await h.ticket(t.id);
    expect(ticket.utilities).toBe(true);
    expect(ticket.deadlines.filter((d) => d.kind === 'handle').map((d) => d.status)).toEqual(['cancelled', 'active']);
    expect(ticket.deadlines.filter((d) => d.kind === 'response').map((d) => d.status)).toEqual(['cancelled', 'active']);
    const event = (await h.events(t.id)).at(-1)!;
    expect(event).toMatchObject({ type: 'classify', note: '整栋楼停水，属于水电气热诉求', public: true, data: { changes: { utilities: { from: false, to: true } }, response: { span: '24小时', article: '第十六条第（二）项' }, deadline: { span: '2个工作日', article: '第十六条第（二）项' } } });
    const unitView = await h.ok<Detail>('demo-staff-sw', 'staff', { action: 'get', ticketId: t.id });
    expect(unitView.deadline).toMatchObject({ article: '第十六条第（二）项', basis: expect.stringContaining('24小时内办结或者反馈办理情况') });
    const notices = await h.ok<DeliveryRecord[]>('demo-staff-sw', 'staff', { action: 'messages', limit: 50 });
    expect(notices.some((n) => n.ticketId === t.id && n.notice.summary.includes('响应时限改为24小时'))).toBe(true);
  });

  it('hohhot 16(1): an emergency gets the profile\'s emergency deadline and the emergency response deadline', async () => {
    const t = await submitAndDispatch(h, { viaOperator: true, lead: 'u-chengguan' });
    await classify('demo-operator', 'operator', t.id, { urgency: 'emergency', reason: '广告牌松动随时可能坠落' });
    const rule = handlingRule(getProfile('hohhot'), { type: 'complaint', urgency: 'emergency', utilities: false });
    expect(await active(t.id)).toMatchObject({ span: formatSpan(rule), citation: { article: rule.citation.article } });
    expect(await active(t.id, 'emergencyResponse')).toMatchObject({ owner: 'u-chengguan' });
  });

  it('at acceptance: type, category and area change before dispatch; the deadline then follows at dispatch', async () => {
    const s = await h.submit('demo-resident', { type: 'complaint', category: '市容环境' });
    const r = await classify('demo-operator', 'operator', s.ticket.id, { requestType: 'help', category: '供水', area: '西区街道', utilities: true, reason: '实为停水求助' });
    expect(r.ok).toBe(true);
    const t = await h.ticket(s.ticket.id);
    expect(t).toMatchObject({ type: 'help', category: '供水', utilities: true, location: { area: '西区街道' } });
    await h.command('demo-operator', 'operator', { type: 'accept', ticketId: t.id });
    await h.command('demo-operator', 'operator', { type: 'dispatch', ticketId: t.id, mode: 'single', unitIds: ['u-shuiwu'] });
    expect(await active(t.id, 'response')).toMatchObject({ span: '24小时', citation: { article: '第十六条第（二）项' } });
    expect(await active(t.id)).toMatchObject({ span: '2个工作日', citation: { article: '第十六条第（二）项', platformSet: true } });
  });

  it('refusals: no reason, nothing changed, a type the profile lacks', async () => {
    const s = await h.submit('demo-resident');
    expect(await h.refused('demo-operator', 'operator', { action: 'command', command: { type: 'classify', ticketId: s.ticket.id, urgency: 'urgent' } })).toMatchObject({ code: 'invalid-input' });
    expect(await h.refused('demo-operator', 'operator', { action: 'command', command: { type: 'classify', ticketId: s.ticket.id, category: '市容环境', reason: '核对' } })).toMatchObject({ code: 'nothing-changed', message: '分类没有变化' });
    expect((await h.ticket(s.ticket.id)).version).toBe(1);
  });

  it('a grid worker flags urgency on their own report, nothing else and nobody else’s; a unit cannot classify', async () => {
    const own = await h.ok<{ ticket: { id: string } }>('demo-grid', 'resident', { action: 'submit', input: h.submitInput({ clientRequestId: requestId('grid'), onBehalf: true }) });
    expect((await classify('demo-grid', 'resident', own.ticket.id, { urgency: 'urgent', reason: '现场看到积水已进入楼道' })).ok).toBe(true);
    expect((await h.ticket(own.ticket.id)).urgency).toBe('urgent');
    expect(await h.refused('demo-grid', 'resident', { action: 'command', command: { type: 'classify', ticketId: own.ticket.id, category: '供水', reason: '改类别' } })).toMatchObject({ code: 'forbidden', message: '网格员只能标记紧急程度' });
    const other = await h.submit('demo-resident');
    expect(await h.refused('demo-grid', 'resident', { action: 'command', command: { type: 'classify', ticketId: other.ticket.id, urgency: 'urgent', reason: '紧急' } })).toMatchObject({ code: 'not-found' });
    expect(await h.refused('demo-resident', 'resident', { action: 'command', command: { type: 'classify', ticketId: other.ticket.id, urgency: 'urgent', reason: '紧急' } })).toMatchObject({ code: 'forbidden' });
    const t = await submitAndDispatch(h, { lead: 'u-chengguan' });
    expect(await h.refused('demo-staff-cg', 'staff', { action: 'command', command: { type: 'classify', ticketId: t.id, urgency: 'urgent', reason: '紧急' } })).toMatchObject({ code: 'invalid-input' });
  });

  it('a review is not rejected without a reason; the reason reaches the unit', async () => {
    const t = await submitAndDispatch(h, { lead: 'u-chengguan' });
    await h.command('demo-staff-cg', 'staff', { type: 'sign', ticketId: t.id });
    await h.command('demo-staff-cg', 'staff', { type: 'requestExtension', ticketId: t.id, reason: '需要协调环卫公司' });
    // Before confirming, the operator sees the deadline an approval would give (nothing saved).
    const before = (await h.ticket(t.id)).version;
    const view = await h.ok<Detail & { extensionPreview: { from: number; dueAt: number; span: string } }>('demo-operator', 'operator', { action: 'get', ticketId: t.id });
    expect(view.extensionPreview.dueAt).toBeGreaterThan(view.extensionPreview.from);
    expect(view.extensionPreview.span).toContain('延期');
    expect((await h.ticket(t.id)).version).toBe(before);
    const refused = await h.refused('demo-operator', 'operator', { action: 'command', command: { type: 'reviewExtension', ticketId: t.id, approve: false } });
    expect(refused).toEqual({ code: 'reason-required', message: '不同意时请填写理由，理由将告知承办单位' });
    expect((await h.ticket(t.id)).state).toBe('extensionRequested');
    await h.command('demo-operator', 'operator', { type: 'reviewExtension', ticketId: t.id, approve: false, note: '协调不需要延期，请按期办结' });
    const timeline = (await h.ok<Detail>('demo-staff-cg', 'staff', { action: 'get', ticketId: t.id })).timeline;
    expect(timeline.at(-1)).toMatchObject({ type: 'reviewExtension', note: '协调不需要延期，请按期办结' });
    const notices = await h.ok<DeliveryRecord[]>('demo-staff-cg', 'staff', { action: 'messages', limit: 50 });
    expect(notices.some((n) => n.ticketId === t.id && n.notice.summary.includes('协调不需要延期'))).toBe(true);
  });
});
