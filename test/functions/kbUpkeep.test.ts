/**
 * Knowledge-base upkeep (issue 18 §4) over the local runtime's HTTP API, article by article:
 * - linyi 21, hohhot 26, pingli 21: the owner unit keeps its articles up to date. Staff of the unit
 *   edit their own unit's articles; an edit is a pending revision, live only once an operator
 *   approves it; a rejection carries a reason the unit reads. Another unit's article is refused.
 * - linyi 30(5): 热线知识库更新不及时 is a supervision item: the stale list (articles past their
 *   review date) says so under linyi, and not under hohhot, whose profile has no such trigger.
 * - linyi 39, hohhot 14: operators answer from the knowledge base; every use of an article is
 *   counted and shown to the operators and to the owner unit.
 */
import { startLiveRuntime, sh, type LiveRuntime } from '../support/runtime';

interface Revision {
  id: string;
  title: string;
  answer: string;
  keywords: string[];
  by: string;
  at: number;
}
interface Article {
  id: string;
  title: string;
  answer: string;
  keywords: string[];
  unitId?: string;
  unitName?: string;
  reviewBy: number;
  stale: boolean;
  revision: number;
  uses: number;
  pending: Revision | null;
  lastReview: { revisionId: string; approved: boolean; reason?: string; by: string; at: number } | null;
}
interface Stale {
  supervision: { trigger: string; article: string; text: string } | null;
  items: (Article & { overdueDays: number })[];
}

const NOISE = 'kb-zaoyin'; // 城管局's article in the demo seed
const WATER = 'kb-tingshui'; // 水务集团's

async function article(rt: LiveRuntime, who: string, id: string): Promise<Article> {
  const list = who === 'demo-operator' ? await rt.ok<Article[]>(who, 'admin', { action: 'kb' }) : await rt.ok<Article[]>(who, 'staff', { action: 'kb' });
  const a = list.find((x) => x.id === id);
  if (!a) throw new Error(`${who} does not see ${id}`);
  return a;
}

describe('knowledge-base upkeep under linyi (over HTTP)', () => {
  let rt: LiveRuntime;
  beforeAll(async () => {
    rt = await startLiveRuntime('linyi');
    await rt.at(sh('2026-06-01 09:00'));
  }, 120_000);
  afterAll(() => rt?.stop());

  it('linyi 21: the owner unit lists its own articles, each with its review date and uses, and no other unit’s', async () => {
    const mine = await rt.ok<Article[]>('demo-staff-cg', 'staff', { action: 'kb' });
    expect(mine.map((a) => a.id)).toEqual([NOISE]);
    expect(mine[0]).toMatchObject({ unitId: 'u-chengguan', unitName: '市城市管理局', stale: false, revision: 1, uses: 0, pending: null, lastReview: null });
    expect(mine[0]!.reviewBy).toBeGreaterThan(sh('2026-06-01 09:00'));
    expect((await rt.ok<Article[]>('demo-staff-sw', 'staff', { action: 'kb' })).map((a) => a.id)).toEqual([WATER]);
  });

  it('linyi 21: a unit’s edit is a pending revision; the live answer residents get is unchanged until an operator approves', async () => {
    const before = await article(rt, 'demo-operator', NOISE);
    const edited = await rt.ok<Article>('demo-staff-cg', 'staff', {
      action: 'proposeKb', articleId: NOISE, title: before.title, answer: '夜间（22时至次日6时）禁止噪声施工；经批准的连续作业须公告。可拍摄视频提交诉求，城管执法大队夜间值班处理。', keywords: ['噪声', '施工', '夜间'],
    });
    expect(edited.pending).toMatchObject({ by: 'demo-staff-cg', keywords: ['噪声', '施工', '夜间'] });
    expect(edited.answer).toBe(before.answer);
    // Residents search the live text only.
    const hits = await rt.ok<{ id: string; answer: string }[]>('demo-resident', 'resident', { action: 'kbSearch', text: '夜间施工噪声扰民怎么办' });
    expect(hits.find((x) => x.id === NOISE)!.answer).toBe(before.answer);
    // Operators see it waiting.
    const pending = await rt.ok<Article[]>('demo-operator', 'operator', { action: 'kbPending' });
    expect(pending.map((a) => [a.id, a.pending!.id])).toEqual([[NOISE, edited.pending!.id]]);
  });

  it('linyi 21: staff of another unit cannot edit the article, and nothing is written', async () => {
    const before = await article(rt, 'demo-operator', NOISE);
    const r = await rt.call('demo-staff-sw', 'staff', { action: 'proposeKb', articleId: NOISE, title: '改别人的条目', answer: '这不是本单位的条目', keywords: [] });
    expect(r).toMatchObject({ ok: false, code: 'kb-not-own-unit' });
    expect(r.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(await article(rt, 'demo-operator', NOISE)).toEqual(before);
    // Operators are not unit staff: the staff function refuses them.
    expect(await rt.call('demo-operator', 'staff', { action: 'proposeKb', articleId: NOISE, title: '标题', answer: '答复内容', keywords: [] })).toMatchObject({ ok: false, code: 'forbidden' });
  });

  it('pingli 21 / linyi 21: a rejection needs a reason, keeps the live text and tells the unit why', async () => {
    const pendingId = (await article(rt, 'demo-operator', NOISE)).pending!.id;
    const noReason = await rt.call('demo-operator', 'operator', { action: 'kbReview', articleId: NOISE, revisionId: pendingId, approve: false });
    expect(noReason).toMatchObject({ ok: false, code: 'reason-required' });
    expect((await article(rt, 'demo-operator', NOISE)).pending!.id).toBe(pendingId);
    const rejected = await rt.ok<Article>('demo-operator', 'operator', { action: 'kbReview', articleId: NOISE, revisionId: pendingId, approve: false, reason: '请注明执法大队的值班电话来源' });
    expect(rejected).toMatchObject({ pending: null, revision: 1, lastReview: { revisionId: pendingId, approved: false, reason: '请注明执法大队的值班电话来源', by: 'demo-operator' } });
    const unitSees = await article(rt, 'demo-staff-cg', NOISE);
    expect(unitSees.lastReview).toMatchObject({ approved: false, reason: '请注明执法大队的值班电话来源' });
    expect(unitSees.answer).not.toContain('执法大队');
    // Nothing is left to review.
    expect(await rt.call('demo-operator', 'operator', { action: 'kbReview', articleId: NOISE, revisionId: pendingId, approve: true })).toMatchObject({ ok: false, code: 'kb-no-pending' });
  });

  it('linyi 21: an approved edit goes live, with a new revision and a new review date; a superseded edit cannot be approved', async () => {
    const first = await rt.ok<Article>('demo-staff-cg', 'staff', { action: 'proposeKb', articleId: NOISE, title: '夜间施工噪声扰民怎么办？', answer: '第一稿：夜间禁止噪声施工。', keywords: ['噪声'] });
    const second = await rt.ok<Article>('demo-staff-cg', 'staff', { action: 'proposeKb', articleId: NOISE, title: '夜间施工噪声扰民怎么办？', answer: '夜间（22时至次日6时）禁止产生噪声的施工，经批准的除外；可拍摄视频提交诉求，城管部门依法处理。', keywords: ['噪声', '施工', '扰民'] });
    const stale = await rt.call('demo-operator', 'operator', { action: 'kbReview', articleId: NOISE, revisionId: first.pending!.id, approve: true });
    expect(stale).toMatchObject({ ok: false, code: 'kb-revision-changed' });
    await rt.at(sh('2026-06-10 10:00'));
    const approved = await rt.ok<Article>('demo-operator', 'operator', { action: 'kbReview', articleId: NOISE, revisionId: second.pending!.id, approve: true });
    expect(approved).toMatchObject({ answer: second.pending!.answer, keywords: ['噪声', '施工', '扰民'], revision: 2, pending: null, lastReview: { approved: true, revisionId: second.pending!.id } });
    // 180 days after the approval, from the start of that Shanghai day.
    expect(approved.reviewBy).toBe(sh('2026-12-07 00:00'));
    const hits = await rt.ok<{ id: string; answer: string }[]>('demo-resident', 'resident', { action: 'kbSearch', text: '夜间施工噪声扰民怎么办' });
    expect(hits.find((x) => x.id === NOISE)!.answer).toBe(second.pending!.answer);
    expect(await rt.ok<Article[]>('demo-operator', 'operator', { action: 'kbPending' })).toEqual([]);
  });

  it('linyi 30(5): articles past their review date are listed for operators as a supervision item, and leave the list once reviewed', async () => {
    const water = await article(rt, 'demo-operator', WATER);
    await rt.ok('demo-operator', 'admin', { action: 'putKb', article: { id: WATER, title: water.title, answer: water.answer, keywords: water.keywords, unitId: water.unitId, category: '供水', reviewDate: '2026-06-05' } });
    // The review day itself is still in time.
    await rt.at(sh('2026-06-05 23:00'));
    expect((await rt.ok<Stale>('demo-operator', 'operator', { action: 'kbStale' })).items).toEqual([]);
    await rt.at(sh('2026-06-12 09:00'));
    const stale = await rt.ok<Stale>('demo-operator', 'operator', { action: 'kbStale' });
    expect(stale.supervision).toEqual({ trigger: 'knowledge-base-stale', article: '第三十条', text: expect.stringContaining('知识库更新不及时') });
    expect(stale.items.map((a) => [a.id, a.unitName, a.overdueDays])).toEqual([[WATER, '市水务集团', 7]]);
    // The owner unit sees it marked stale in its own list.
    expect((await article(rt, 'demo-staff-sw', WATER)).stale).toBe(true);
    // The unit updates it, the operator approves: fresh again.
    const edit = await rt.ok<Article>('demo-staff-sw', 'staff', { action: 'proposeKb', articleId: WATER, title: water.title, answer: '计划停水提前24小时在水务集团公众号、小区公告栏和本平台发布；突发停水可拨打水务集团服务热线查询抢修进度。', keywords: water.keywords, category: '供水' });
    await rt.ok('demo-operator', 'operator', { action: 'kbReview', articleId: WATER, revisionId: edit.pending!.id, approve: true });
    expect((await rt.ok<Stale>('demo-operator', 'operator', { action: 'kbStale' })).items).toEqual([]);
  });

  it('linyi 39 / hohhot 14: every answer from an article is counted and shown to the operators and the owner unit', async () => {
    const before = (await article(rt, 'demo-operator', NOISE)).uses;
    let last = '';
    for (let i = 0; i < 2; i++) {
      const t = await rt.ok<{ ticket: { id: string } }>('demo-operator', 'operator', {
        action: 'submit',
        input: { clientRequestId: `kb-use-${i}`, type: 'consultation', category: '噪声扰民', content: `第${i + 1}位来电：夜间施工噪声扰民怎么办？`, location: { address: '滨河路', area: '东区街道' }, contact: { name: '王磊', phone: '13800002222' }, channel: 'phone' },
      });
      const a = await article(rt, 'demo-operator', NOISE);
      await rt.ok('demo-operator', 'operator', { action: 'command', command: { type: 'answer', ticketId: t.ticket.id, answer: a.answer, articleId: NOISE } });
      last = t.ticket.id;
    }
    // A refused answer (the ticket is answered already) counts nothing.
    expect(await rt.call('demo-operator', 'operator', { action: 'command', command: { type: 'answer', ticketId: last, answer: '再答一次', articleId: NOISE } })).toMatchObject({ ok: false });
    expect((await article(rt, 'demo-operator', NOISE)).uses).toBe(before + 2);
    expect((await article(rt, 'demo-staff-cg', NOISE)).uses).toBe(before + 2);
  });

  it('refuses bad input with stable codes and writes nothing', async () => {
    const before = await article(rt, 'demo-operator', NOISE);
    for (const event of [
      { action: 'proposeKb', articleId: NOISE, title: '', answer: '答复', keywords: [] },
      { action: 'proposeKb', articleId: 'kb-nope', title: '标题', answer: '答复', keywords: [] },
      { action: 'proposeKb', articleId: NOISE, title: '标题', answer: 'x'.repeat(2001), keywords: [] },
    ]) {
      const r = await rt.call('demo-staff-cg', 'staff', event);
      expect(r.ok).toBe(false);
      expect(['invalid-input', 'not-found']).toContain(r.code);
    }
    expect(await rt.call('demo-operator', 'admin', { action: 'putKb', article: { title: '标题', answer: '答复', keywords: [], reviewDate: '2026-02-30' } })).toMatchObject({ ok: false, code: 'invalid-input' });
    expect(await article(rt, 'demo-operator', NOISE)).toEqual(before);
  });
});

describe('knowledge-base upkeep under hohhot (over HTTP)', () => {
  let rt: LiveRuntime;
  beforeAll(async () => {
    rt = await startLiveRuntime('hohhot');
    await rt.at(sh('2026-06-01 09:00'));
  }, 120_000);
  afterAll(() => rt?.stop());

  it('hohhot 26: stale articles are listed for the operators, without a supervision item (no such trigger in its profile)', async () => {
    const noise = await article(rt, 'demo-operator', NOISE);
    await rt.ok('demo-operator', 'admin', { action: 'putKb', article: { id: NOISE, title: noise.title, answer: noise.answer, keywords: noise.keywords, unitId: noise.unitId, reviewDate: '2026-05-01' } });
    const stale = await rt.ok<Stale>('demo-operator', 'operator', { action: 'kbStale' });
    expect(stale.supervision).toBeNull();
    expect(stale.items.map((a) => [a.id, a.overdueDays])).toEqual([[NOISE, 31]]);
  });
});
