/**
 * The whole loop, under each of the five profiles, through the functions the mini-program calls,
 * against SQLite in a temporary directory: submission with a photo to closure after one rework,
 * and the side roads (return, extension, refusal, withdrawal, instant answer, look-up, split).
 */
import { getProfile } from '../../shared/profiles';
import { staffLabel } from '../../shared/workflow/states';
import { formatSpan, toldRules } from '../../shared/workflow/deadlineRules';
import type { DeliveryRecord } from '../../shared/ports';
import {
  MIN,
  PROFILE_IDS,
  createHarness,
  submitAndDispatch,
  type Detail,
  type Harness,
  type Page,
} from '../support/functionHarness';

type Role = 'resident' | 'staff' | 'operator';

describe.each(PROFILE_IDS)('the loop under the %s profile', (profileId) => {
  const profile = getProfile(profileId);
  const dissatisfied = profile.rating.options.find((o) => o.dissatisfied)!.value;
  const satisfied = profile.rating.options.find((o) => o.countsAsSatisfied && !o.dissatisfied)!.value;
  const regulation = `《${profile.regulation}》`;
  let h: Harness;

  const get = (who: string, fn: Role, ticketId: string) => h.ok<Detail & { rating?: unknown }>(who, fn, { action: 'get', ticketId });
  const messages = (who: string, fn: 'staff' | 'operator') => h.ok<DeliveryRecord[]>(who, fn, { action: 'messages', limit: 100 });
  const version = async (id: string) => (await h.ticket(id)).version;

  beforeAll(async () => {
    h = await createHarness({ profile: profileId });
  });
  afterAll(() => h.close());

  it('runs from a submission with a photo to closure after one rework', async () => {
    // The profile in force is the one seeded.
    const shown = await h.ok<{ id: string; regulation: string }>('demo-resident', 'resident', { action: 'profile' });
    expect(shown).toMatchObject({ id: profileId, regulation: profile.regulation });

    // 1. The resident submits a complaint with a photo.
    const photo = await h.upload('demo-resident');
    const submitted = await h.submit('demo-resident', { attachments: [photo] });
    expect(submitted.created).toBe(true);
    expect(submitted.ticket.state).toBe('submitted');
    expect(submitted.ticket.attachments).toEqual([{ fileId: photo.fileId, kind: 'image' }]);
    // The handling deadline, or the article's response window where it has one (hohhot 16(3)).
    const { kind, rule } = toldRules(profile, { type: 'complaint', urgency: 'normal', utilities: false })[0]!;
    const verb = kind === 'response' ? '内办结或者反馈办理情况' : '内办结';
    expect(submitted.expected.basis).toContain(regulation);
    expect(submitted.expected).toMatchObject({ span: formatSpan(rule), article: rule.citation.article });
    const id = submitted.ticket.id;

    // 2. The operator accepts and dispatches: lead 城管, assisting 东区街道.
    h.clock.advance(10 * MIN);
    const intake = await h.ok<Page>('demo-operator', 'operator', { action: 'queue', queue: 'intake', limit: 50 });
    expect(intake.items.map((i) => i.id)).toContain(id);
    await h.command('demo-operator', 'operator', { type: 'accept', ticketId: id });
    h.clock.advance(10 * MIN);
    const suggested = await h.ok<{ id: string }[]>('demo-operator', 'operator', { action: 'suggestUnits', ticketId: id });
    expect(suggested.map((u) => u.id)).toEqual(expect.arrayContaining(['u-chengguan', 'u-dongqu']));
    await h.command('demo-operator', 'operator', { type: 'dispatch', ticketId: id, mode: 'lead', unitIds: ['u-chengguan'], assistUnitIds: ['u-dongqu'] });

    // The resident now sees the handling deadline and the article behind it.
    let mine = await get('demo-resident', 'resident', id);
    expect(mine.ticket.state).toBe('dispatched');
    expect(mine.deadline).toMatchObject({ kind, article: rule.citation.article });
    // A platform-set number reads as 平台设定, never as the article's own (issue 11 §5).
    expect(mine.deadline!.basis).toBe(rule.citation.platformSet ? `平台设定：${formatSpan(rule)}${verb}（相关条文：${regulation}${rule.citation.article}）` : `依据${regulation}${rule.citation.article}，${formatSpan(rule)}${verb}`);
    expect(mine.ticket.labels.deadline).toBe(mine.deadline!.basis);

    // 3. The assisting unit signs and feeds back; the lead sees the feedback.
    const toSign = await h.ok<Page>('demo-staff-dq', 'staff', { action: 'inbox', filter: 'toSign', limit: 50 });
    expect(toSign.items.map((i) => i.id)).toContain(id);
    h.clock.advance(10 * MIN);
    await h.command('demo-staff-dq', 'staff', { type: 'sign', ticketId: id });
    const assistFile = await h.upload('demo-staff-dq');
    await h.command('demo-staff-dq', 'staff', { type: 'assistFeedback', ticketId: id, note: '东区街道已安排环卫人员配合清运', attachments: [assistFile] });
    const leadView = await get('demo-staff-cg', 'staff', id);
    expect(leadView.ticket.assignments.find((a) => a.unitId === 'u-dongqu')!.feedback).toEqual([
      expect.objectContaining({ note: '东区街道已安排环卫人员配合清运', attachments: [assistFile] }),
    ]);
    expect((leadView as Detail & { myRole?: string }).myRole).toBe('lead');

    // 4. The lead signs, contacts the requester and replies.
    h.clock.advance(10 * MIN);
    await h.command('demo-staff-cg', 'staff', { type: 'sign', ticketId: id });
    await h.command('demo-staff-cg', 'staff', { type: 'contact', ticketId: id, method: 'phone', note: '已电话联系诉求人，约定今日处理' });
    const reply = { type: 'reply', ticketId: id, result: '已安排清运并增加清运频次，现场已清理干净。', handler: '刘洋' };
    if (profile.handling.complaintNeedsCaseNumber) {
      const before = await version(id);
      const r = await h.refused('demo-staff-cg', 'staff', { action: 'command', command: reply });
      expect(r.code).toBe('case-number-required');
      expect(await version(id)).toBe(before);
      await h.command('demo-staff-cg', 'staff', { ...reply, caseNumber: 'PL-2026-0301', caseDate: '2026-03-02' });
    } else {
      await h.command('demo-staff-cg', 'staff', reply);
    }
    expect((await h.ticket(id)).state).toBe('replied');

    // 5. The operator approves the result; the resident rates dissatisfied with a reason.
    h.clock.advance(10 * MIN);
    await h.command('demo-operator', 'operator', { type: 'reviewResult', ticketId: id, approve: true });
    mine = await get('demo-resident', 'resident', id);
    expect(mine.ticket.state).toBe('resolved');
    expect(mine.actions).toContain('rate');
    const noReason = await h.refused('demo-resident', 'resident', { action: 'command', command: { type: 'rate', ticketId: id, value: dissatisfied } });
    expect(noReason.code).toBe('rating-reason-required');
    await h.command('demo-resident', 'resident', { type: 'rate', ticketId: id, value: dissatisfied, reason: '第二天又堆满了，问题没有根本解决' });
    mine = await get('demo-resident', 'resident', id);
    // pingli 18 sends a first 不满意 back by itself; elsewhere the requester asks (or an operator decides).
    const sentBack = profile.rework.onDissatisfied === 'rework';
    if (!sentBack) {
      expect(mine.ticket.state).toBe('resolved');
      expect(mine.actions).toContain('requestRework');
      // 6. Rework: the unit replies again, the operator approves, the resident is satisfied.
      await h.command('demo-resident', 'resident', { type: 'requestRework', ticketId: id, reason: '请增加垃圾桶数量' });
      mine = await get('demo-resident', 'resident', id);
    }
    expect(mine.ticket.state).toBe('handling');
    expect(mine.ticket.counters.reworks).toBe(1);
    expect(mine.deadline).toMatchObject({ kind: 'rework', article: profile.rework.deadline.citation.article });
    expect(mine.deadline!.basis).toContain(regulation);
    const rework = await h.ok<Page>('demo-staff-cg', 'staff', { action: 'inbox', filter: 'rework', limit: 50 });
    expect(rework.items.map((i) => i.id)).toContain(id);
    h.clock.advance(10 * MIN);
    await h.command('demo-staff-cg', 'staff', { ...reply, result: '已新增两个垃圾桶并每日清运两次。', ...(profile.handling.complaintNeedsCaseNumber ? { caseNumber: 'PL-2026-0301', caseDate: '2026-03-02' } : {}) });
    await h.command('demo-operator', 'operator', { type: 'reviewResult', ticketId: id, approve: true });
    await h.command('demo-resident', 'resident', { type: 'rate', ticketId: id, value: satisfied });

    const closed = await h.ticket(id);
    expect(closed.state).toBe('closed');
    expect(closed.closedAt).toBe(h.clock.now());
    expect(closed.ratings.map((r) => [r.value, r.round])).toEqual([[dissatisfied, 0], [satisfied, 1]]);

    // The history: one event per state change, versions in step.
    const events = await h.events(id);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(closed.version).toBe(events.length);
    expect(events.map((e) => e.type)).toEqual([
      'submit', 'accept', 'dispatch', 'sign', 'assistFeedback', 'sign', 'contact', 'reply', 'reviewResult', 'rate', ...(sentBack ? [] : ['requestRework']), 'reply', 'reviewResult', 'rate',
    ]);

    // The resident's timeline holds the public events only, and names no internal actor.
    mine = await get('demo-resident', 'resident', id);
    expect(mine.timeline.map((e) => e.seq)).toEqual(events.filter((e) => e.public).map((e) => e.seq));
    expect(mine.timeline.map((e) => e.type)).not.toContain('assistFeedback');
    expect(mine.timeline.filter((e) => e.type === 'sign')).toHaveLength(1);
    for (const e of mine.timeline) expect(e.actor).not.toHaveProperty('userId');
    const opView = await get('demo-operator', 'operator', id);
    expect(opView.timeline).toHaveLength(events.length);

    // The outbox: units were told of the assignment, the rework and the feedback; operators of
    // the new request and of each reply; the resident of every public step.
    const cg = (await messages('demo-staff-cg', 'staff')).filter((m) => m.ticketId === id);
    expect(cg.map((m) => [m.template, m.notice.summary])).toEqual(
      expect.arrayContaining([
        ['assigned', '有新的诉求待签收'],
        ['progress', '协办单位已反馈'],
        ['assigned', '诉求人不满意，请重新办理'],
      ]),
    );
    // A rework is not 待签收 (the unit signed long ago); each message says where the ticket is now.
    expect(cg.filter((m) => m.template === 'assigned').map((m) => m.notice.status)).toEqual(['重新办理', '待签收']);
    const now = (await h.ticket(id)).state;
    for (const m of cg) expect((m as DeliveryRecord & { current?: unknown }).current).toEqual({ state: now, label: staffLabel(now), open: false });
    const dq = (await messages('demo-staff-dq', 'staff')).filter((m) => m.ticketId === id);
    expect(dq.map((m) => m.template)).toEqual(['assigned']);
    const ops = (await messages('demo-operator', 'operator')).filter((m) => m.ticketId === id);
    expect(ops.map((m) => m.notice.summary).sort()).toEqual(['办理结果待审核', '办理结果待审核', '有新的诉求待受理', ...(sentBack ? [] : ['诉求人不满意，请决定重办或予以说明'])].sort());
    expect(ops.every((m) => m.template === 'review' && m.status === 'delivered')).toBe(true);
    const toResident = h.deliveries().filter((d) => d.userId === 'demo-resident' && d.ticketId === id);
    expect(toResident.map((d) => d.notice.summary)).toEqual([
      '您的诉求已受理', '已转交承办单位办理', '承办单位已签收', '承办单位已答复', '您的诉求已办结，请评价', `已发回承办单位重新办理（${profile.rework.deadline.citation.article}，${formatSpan(profile.rework.deadline)}）`, '承办单位已答复', '您的诉求已办结，请评价',
    ]);
    expect(toResident.every((d) => d.notice.page === `pages/detail/index?id=${id}`)).toBe(true);
    // Nobody but the parties heard of it.
    expect(h.deliveries().filter((d) => d.ticketId === id).map((d) => d.userId).sort()).toEqual(
      expect.not.arrayContaining(['demo-staff-zj', 'demo-staff-sw', 'demo-resident2', 'demo-grid']),
    );
  });

  it('returns a ticket: the unit asks, the operator approves, then re-dispatches', async () => {
    const t = await submitAndDispatch(h, { lead: 'u-zhujian' });
    const proof = await h.upload('demo-staff-zj');
    await h.command('demo-staff-zj', 'staff', { type: 'requestReturn', ticketId: t.id, reason: '垃圾清运不属于住建局职责', basis: '三定方案', attachments: [proof] });
    const returns = await h.ok<Page>('demo-operator', 'operator', { action: 'queue', queue: 'returns', limit: 50 });
    expect(returns.items.map((i) => i.id)).toContain(t.id);
    const ops = (await messages('demo-operator', 'operator')).filter((m) => m.ticketId === t.id);
    expect(ops.map((m) => m.notice.summary)).toContain('承办单位申请退回，请审核');

    await h.command('demo-operator', 'operator', { type: 'reviewReturn', ticketId: t.id, approve: true, note: '同意退回，改派城管局' });
    // The unit that just returned it is not recommended again: last, unscored, with when it returned.
    const again = await h.ok<{ id: string; score: number; returnedAt?: number }[]>('demo-operator', 'operator', { action: 'suggestUnits', ticketId: t.id });
    expect(again[again.length - 1]).toMatchObject({ id: 'u-zhujian', score: 0, returnedAt: expect.any(Number) });
    expect(again.filter((u) => u.returnedAt !== undefined).map((u) => u.id)).toEqual(['u-zhujian']);
    const back = await h.ticket(t.id);
    expect(back.state).toBe('accepted');
    expect(back.assignments).toEqual([]);
    expect(back.counters.returns).toBe(1);
    // The unit that returned it no longer holds it.
    expect((await h.refused('demo-staff-zj', 'staff', { action: 'get', ticketId: t.id })).code).toBe('not-found');

    await h.command('demo-operator', 'operator', { type: 'dispatch', ticketId: t.id, mode: 'single', unitIds: ['u-chengguan'], assistUnitIds: [] });
    const inbox = await h.ok<Page>('demo-staff-cg', 'staff', { action: 'inbox', filter: 'toSign', limit: 50 });
    expect(inbox.items.map((i) => i.id)).toContain(t.id);
    const mine = await get('demo-resident', 'resident', t.id);
    expect(mine.ticket.state).toBe('dispatched');
    expect(mine.timeline.map((e) => e.type)).toEqual(['submit', 'accept', 'dispatch', 'reviewReturn', 'dispatch']);
  });

  it('extends the handling deadline when the operator approves an extension', async () => {
    const t = await submitAndDispatch(h);
    await h.command('demo-staff-cg', 'staff', { type: 'sign', ticketId: t.id });
    const before = (await h.ticket(t.id)).deadlines.find((d) => d.kind === 'handle' && d.status === 'active')!;
    // Ask for a span the profile allows (anshan's cap is two months in total).
    const span = profile.extension.length === 'original' ? undefined : { amount: Math.min(5, profile.extension.length.amount), unit: profile.extension.length.unit };
    await h.command('demo-staff-cg', 'staff', { type: 'requestExtension', ticketId: t.id, reason: '需协调多个部门现场勘查', ...(span ? { span } : {}) });
    expect((await h.ticket(t.id)).state).toBe('extensionRequested');
    const queue = await h.ok<Page>('demo-operator', 'operator', { action: 'queue', queue: 'extensions', limit: 50 });
    expect(queue.items.map((i) => i.id)).toContain(t.id);

    await h.command('demo-operator', 'operator', { type: 'reviewExtension', ticketId: t.id, approve: true });
    const after = await h.ticket(t.id);
    expect(after.state).toBe('handling');
    expect(after.counters.extensions).toBe(1);
    const handle = after.deadlines.find((d) => d.kind === 'handle' && d.status === 'active')!;
    expect(handle.dueAt).toBeGreaterThan(before.dueAt);
    expect(handle.citation.article).toBe(profile.extension.citation.article);
    const mine = await get('demo-resident', 'resident', t.id);
    expect(mine.deadline!.dueAt).toBe(handle.dueAt);
    expect(mine.deadline!.basis).toContain(regulation);
    expect(mine.deadline!.basis).toContain('延期');
    // The request is internal; the approval is told to the resident.
    expect(mine.timeline.map((e) => e.type)).toEqual(['submit', 'accept', 'dispatch', 'sign', 'reviewExtension']);
    const told = h.deliveries().filter((d) => d.userId === 'demo-resident' && d.ticketId === t.id).map((d) => d.notice.summary);
    expect(told.some((s) => s.startsWith('办理期限延长'))).toBe(true);
  });

  it('refuses a request only on one of the profile’s grounds, citing the article', async () => {
    const { ticket } = await h.submit('demo-resident');
    const unknown = await h.refused('demo-operator', 'operator', { action: 'command', command: { type: 'refuse', ticketId: ticket.id, groundCode: 'no-such-ground' } });
    expect(unknown.code).toBe('unknown-ground');
    expect(unknown.message).toMatch(/[\u4e00-\u9fa5]/);

    const opView = await h.ok<Detail & { grounds: { code: string; label: string; article: string }[] }>('demo-operator', 'operator', { action: 'get', ticketId: ticket.id });
    expect(opView.grounds.map((g) => g.code)).toEqual(profile.intake.nonAcceptanceGrounds.map((g) => g.code));
    const ground = profile.intake.nonAcceptanceGrounds[0]!;
    await h.command('demo-operator', 'operator', { type: 'refuse', ticketId: ticket.id, groundCode: ground.code, note: '请向有关部门反映' });

    const mine = await get('demo-resident', 'resident', ticket.id);
    expect(mine.ticket.state).toBe('rejected');
    expect(mine.ticket.rejection).toMatchObject({ groundCode: ground.code, article: ground.citation.article });
    const last = mine.timeline[mine.timeline.length - 1]!;
    expect(last.type).toBe('refuse');
    expect(last.note).toContain(`依据${regulation}${ground.citation.article}`);
    expect(mine.actions).toEqual([]);
    const told = h.deliveries().filter((d) => d.userId === 'demo-resident' && d.ticketId === ticket.id).map((d) => d.notice.summary);
    expect(told).toContain(`不予受理：${ground.label}`);
  });

  it('lets the requester withdraw before signing, not after', async () => {
    const early = await h.submit('demo-resident');
    // Someone else cannot.
    expect((await h.refused('demo-resident2', 'resident', { action: 'command', command: { type: 'withdraw', ticketId: early.ticket.id } })).code).toBe('not-found');
    await h.command('demo-resident', 'resident', { type: 'withdraw', ticketId: early.ticket.id, note: '问题已自行解决' });
    expect((await h.ticket(early.ticket.id)).state).toBe('withdrawn');
    expect((await h.ticket(early.ticket.id)).deadlines.every((d) => d.status !== 'active')).toBe(true);

    const late = await submitAndDispatch(h);
    await h.command('demo-staff-cg', 'staff', { type: 'sign', ticketId: late.id });
    const before = await version(late.id);
    const r = await h.refused('demo-resident', 'resident', { action: 'command', command: { type: 'withdraw', ticketId: late.id } });
    expect(r.code).toBe('withdraw-not-allowed');
    expect(await version(late.id)).toBe(before);
  });

  it('answers a consultation at once from the knowledge base', async () => {
    const hits = await h.ok<{ id: string; title: string; answer: string }[]>('demo-resident', 'resident', { action: 'kbSearch', text: '我的社保卡丢了，怎么补办？' });
    expect(hits[0]).toMatchObject({ id: 'kb-shebaoka' });
    const { ticket } = await h.submit('demo-resident', { type: 'consultation', category: '社会保障', content: '我的社保卡丢了，怎么补办？' });

    const bad = await h.refused('demo-resident', 'resident', { action: 'command', command: { type: 'answer', ticketId: ticket.id, answer: 'x', articleId: 'kb-nope' } });
    expect(bad.code).toBe('not-found');
    await h.command('demo-resident', 'resident', { type: 'answer', ticketId: ticket.id, answer: hits[0]!.answer, articleId: hits[0]!.id });
    const mine = await get('demo-resident', 'resident', ticket.id);
    expect(mine.ticket.state).toBe('answered');
    expect(mine.ticket.answer).toMatchObject({ articleId: 'kb-shebaoka', text: hits[0]!.answer });
    expect(mine.actions).toEqual(['rate']);
    await h.command('demo-resident', 'resident', { type: 'rate', ticketId: ticket.id, value: satisfied });
    expect((await h.ticket(ticket.id)).state).toBe('closed');

    // A complaint cannot be closed by the resident picking an article.
    const complaint = await h.submit('demo-resident');
    const r = await h.refused('demo-resident', 'resident', { action: 'command', command: { type: 'answer', ticketId: complaint.ticket.id, answer: hits[0]!.answer, articleId: hits[0]!.id } });
    expect(r.code).toBe('illegal-transition');
  });

  it('looks a ticket up by its number and the phone’s last four digits', async () => {
    const t = await submitAndDispatch(h);
    const found = await h.ok<{ ticket: { id: string; number: string; state: string }; timeline: Record<string, unknown>[]; deadline: { basis: string } | null }>(
      'demo-resident2',
      'resident',
      { action: 'lookup', number: t.number, phoneTail: '1234' },
    );
    expect(found.ticket).toMatchObject({ id: t.id, number: t.number, state: 'dispatched' });
    expect(found.deadline!.basis).toContain(regulation);
    expect(found.timeline.map((e) => e.type)).toEqual(['submit', 'accept', 'dispatch']);
    for (const e of found.timeline) {
      expect(e).not.toHaveProperty('note');
      expect(e).not.toHaveProperty('data');
    }
    expect(JSON.stringify(found)).not.toContain('13800001234');

    const wrong = await h.refused('demo-resident2', 'resident', { action: 'lookup', number: t.number, phoneTail: '0000' });
    expect(wrong).toEqual({ code: 'not-found', message: '未找到该诉求，请核对诉求编号和手机号后四位' });
    const missing = await h.refused('demo-resident2', 'resident', { action: 'lookup', number: 'M260302ZZZZZZZ', phoneTail: '1234' });
    expect(missing.code).toBe('not-found');
  });

  it('splits a request between units: each gets a child ticket of its own', async () => {
    const { ticket } = await h.submit('demo-resident', { category: '物业管理' });
    await h.command('demo-operator', 'operator', { type: 'accept', ticketId: ticket.id });
    await h.command('demo-operator', 'operator', { type: 'dispatch', ticketId: ticket.id, mode: 'separate', unitIds: ['u-chengguan', 'u-zhujian'], assistUnitIds: [] });
    expect((await h.ticket(ticket.id)).state).toBe('split');

    const childOf = async (staffId: string) => {
      const inbox = await h.ok<Page>(staffId, 'staff', { action: 'inbox', filter: 'toSign', limit: 100 });
      const children = [];
      for (const item of inbox.items) {
        const d = await get(staffId, 'staff', item.id);
        if (d.ticket.parentId === ticket.id) children.push(d);
      }
      expect(children).toHaveLength(1);
      return children[0]!;
    };
    const cg = await childOf('demo-staff-cg');
    const zj = await childOf('demo-staff-zj');
    expect(cg.ticket.id).not.toBe(zj.ticket.id);
    expect(cg.ticket.assignments.map((a) => [a.unitId, a.role])).toEqual([['u-chengguan', 'lead']]);
    expect(zj.ticket.assignments.map((a) => [a.unitId, a.role])).toEqual([['u-zhujian', 'lead']]);
    expect(cg.deadline!.basis).toContain(regulation);
    // Each unit sees its own child only.
    expect((await h.refused('demo-staff-zj', 'staff', { action: 'get', ticketId: cg.ticket.id })).code).toBe('not-found');
    expect((await h.refused('demo-staff-cg', 'staff', { action: 'get', ticketId: zj.ticket.id })).code).toBe('not-found');
    // Each unit was told, and can act on its child.
    for (const [staffId, child] of [['demo-staff-cg', cg], ['demo-staff-zj', zj]] as const) {
      const told = (await messages(staffId, 'staff')).filter((m) => m.ticketId === child.ticket.id);
      expect(told.map((m) => m.template)).toEqual(['assigned']);
      await h.command(staffId, 'staff', { type: 'sign', ticketId: child.ticket.id });
    }
    // The resident follows all three.
    const list = await h.ok<Page>('demo-resident', 'resident', { action: 'listMine', limit: 100 });
    expect(list.items.map((i) => i.id)).toEqual(expect.arrayContaining([ticket.id, cg.ticket.id, zj.ticket.id]));
  });
});

/**
 * Defects found while walking the loop; each test states what the product should do.
 * See the report for the fix of each.
 */
describe('what the views promise matches what the commands do', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ profile: 'baiyin' });
  });
  afterAll(() => h.close());

  it("a supervision notice carries the operator's words to the unit", async () => {
    const t = await submitAndDispatch(h);
    await h.command('demo-operator', 'operator', { type: 'supervise', ticketId: t.id, level: 1, method: 'system', note: '请于明日中午前到现场处理' });
    const told = (await h.ok<DeliveryRecord[]>('demo-staff-cg', 'staff', { action: 'messages', limit: 100 })).filter((m) => m.ticketId === t.id && m.template === 'supervised');
    expect(told.map((m) => m.notice.summary)).toEqual([expect.stringMatching(/：请于明日中午前到现场处理$/)]);
  });

  it('look-up: no outcome while the request is open; once it is closed, the reply without the handler', async () => {
    const t = await submitAndDispatch(h);
    const lookup = () => h.ok<{ ticket: Record<string, unknown> }>('demo-resident2', 'resident', { action: 'lookup', number: t.number, phoneTail: '1234' });
    await h.command('demo-staff-cg', 'staff', { type: 'sign', ticketId: t.id });
    await h.command('demo-staff-cg', 'staff', { type: 'contact', ticketId: t.id, method: 'phone', note: '已电话联系诉求人' });
    await h.command('demo-staff-cg', 'staff', { type: 'reply', ticketId: t.id, result: '已清运完毕。，经现场核实已办结', handler: '刘洋' });
    expect((await lookup()).ticket).not.toHaveProperty('reply');
    await h.command('demo-operator', 'operator', { type: 'reviewResult', ticketId: t.id, approve: true });
    const closed = await lookup();
    expect(closed.ticket.reply).toEqual({ result: '已清运完毕。，经现场核实已办结', at: expect.any(Number) });
    expect(JSON.stringify(closed)).not.toContain('刘洋');
    // The unit's 全部 holds what is still open there; the finished ticket is under 已办结.
    const inbox = async (filter: string) => (await h.ok<{ items: { id: string }[] }>('demo-staff-cg', 'staff', { action: 'inbox', filter, limit: 100 })).items.map((i) => i.id);
    expect(await inbox('all')).not.toContain(t.id);
    expect(await inbox('done')).toContain(t.id);
    const counts = await h.ok<Record<string, number>>('demo-staff-cg', 'staff', { action: 'counts' });
    expect(counts).not.toHaveProperty('done');
  });

  it('offers the resident rework only after a dissatisfied rating, and rating only once per round', async () => {
    const t = await submitAndDispatch(h);
    await h.command('demo-staff-cg', 'staff', { type: 'sign', ticketId: t.id });
    await h.command('demo-staff-cg', 'staff', { type: 'contact', ticketId: t.id, method: 'phone', note: '已电话联系诉求人' });
    await h.command('demo-staff-cg', 'staff', { type: 'reply', ticketId: t.id, result: '已清运完毕。，经现场核实已办结', handler: '刘洋' });
    await h.command('demo-operator', 'operator', { type: 'reviewResult', ticketId: t.id, approve: true });

    const actions = async () => (await h.ok<Detail>('demo-resident', 'resident', { action: 'get', ticketId: t.id })).actions;
    // Not yet rated: "申请重办" would be refused with rework-not-allowed.
    expect((await h.refused('demo-resident', 'resident', { action: 'command', command: { type: 'requestRework', ticketId: t.id, reason: '不满意' } })).code).toBe('rework-not-allowed');
    expect(await actions()).toEqual(['rate']);
    await h.command('demo-resident', 'resident', { type: 'rate', ticketId: t.id, value: 'dissatisfied', reason: '没有解决' });
    // Rated this round: "评价" would be refused with already-rated.
    expect((await h.refused('demo-resident', 'resident', { action: 'command', command: { type: 'rate', ticketId: t.id, value: 'satisfied' } })).code).toBe('already-rated');
    expect(await actions()).toEqual(['requestRework']);
  });

  it('records the child tickets of a split on the parent', async () => {
    const { ticket } = await h.submit('demo-resident');
    await h.command('demo-operator', 'operator', { type: 'accept', ticketId: ticket.id });
    await h.command('demo-operator', 'operator', { type: 'dispatch', ticketId: ticket.id, mode: 'separate', unitIds: ['u-chengguan', 'u-zhujian'], assistUnitIds: [] });
    const children = [];
    for (const i of (await h.ok<Page>('demo-resident', 'resident', { action: 'listMine', limit: 100 })).items) {
      if ((await h.ticket(i.id)).parentId === ticket.id) children.push(i);
    }
    expect(children).toHaveLength(2);
    const parent = await h.ok<Detail>('demo-resident', 'resident', { action: 'get', ticketId: ticket.id });
    expect(parent.ticket.state).toBe('split');
    expect([...(parent.ticket.childIds ?? [])].sort()).toEqual(children.map((c) => c.id).sort());
  });

  it('grants an anshan extension asked without a span (the profile’s own default)', async () => {
    const a = await createHarness({ profile: 'anshan' });
    try {
      const t = await submitAndDispatch(a);
      await a.command('demo-staff-cg', 'staff', { type: 'sign', ticketId: t.id });
      // `span` is optional in the contract: without it the profile's extension length applies.
      const r = await a.call('demo-staff-cg', 'staff', { action: 'command', command: { type: 'requestExtension', ticketId: t.id, reason: '需协调多个部门' } });
      expect(r).toMatchObject({ ok: true });
    } finally {
      await a.close();
    }
  });
});
