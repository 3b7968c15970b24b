/**
 * Content security in the self-hosted runtime: the operator's word list (admin.putContentWords)
 * applies to submissions, replies and notes; refused content answers `content-refused` with a
 * Chinese message and writes nothing. Real SQLite, real router.
 */
import { createHarness, submitAndDispatch, type Harness } from '../support/functionHarness';

let h: Harness;

beforeEach(async () => {
  h = await createHarness({ profile: 'pingli' });
  await h.ok('demo-operator', 'admin', { action: 'putContentWords', words: ['违禁词', '违禁词', 'FORBIDDEN', '！！'] });
});

afterEach(() => h.close());

describe('content check (word list)', () => {
  it('the operator edits the list; duplicates and words without letters are dropped', async () => {
    const list = await h.ok<{ words: string[]; updatedAt: number }>('demo-operator', 'admin', { action: 'contentWords' });
    expect(list.words).toEqual(['违禁词', 'FORBIDDEN']);
    expect((await h.refused('demo-resident', 'admin', { action: 'putContentWords', words: [] })).code).toBe('forbidden');
  });

  it('a submission with a listed word is refused, in Chinese, and nothing is written — spaces, case and punctuation do not hide it', async () => {
    for (const content of ['小区门口有人售卖违 禁-词，请处理', '路边广告写着forbidden字样，请清理']) {
      const before = h.snapshot();
      const r = await h.refused('demo-resident', 'resident', { action: 'submit', input: h.submitInput({ content }) });
      expect(r.code).toBe('content-refused');
      expect(r.message).toMatch(/[\u4e00-\u9fa5]/);
      expect(h.snapshot()).toBe(before);
    }
    // The title is checked too.
    expect((await h.refused('demo-resident', 'resident', { action: 'submit', input: h.submitInput({ title: '违禁词标题' }) })).code).toBe('content-refused');
    // Clean text goes through.
    const ok = await h.submit('demo-resident', { content: '小区门口路灯不亮，晚上出行不便' });
    expect(ok.created).toBe(true);
  });

  it('a reply and a note with a listed word are refused before the ticket changes', async () => {
    const t = await submitAndDispatch(h);
    await h.command('demo-staff-cg', 'staff', { type: 'sign', ticketId: t.id });
    const before = h.snapshot();
    const reply = await h.refused('demo-staff-cg', 'staff', { action: 'command', command: { type: 'reply', ticketId: t.id, result: '已处理，违禁词已清除', handler: '刘洋' } });
    expect(reply.code).toBe('content-refused');
    const note = await h.refused('demo-staff-cg', 'staff', { action: 'command', command: { type: 'contact', ticketId: t.id, method: 'phone', note: '电话里对方说了违禁词' } });
    expect(note.code).toBe('content-refused');
    const op = await h.refused('demo-operator', 'operator', { action: 'command', command: { type: 'supervise', ticketId: t.id, level: 1, method: 'system', note: '违禁词' } });
    expect(op.code).toBe('content-refused');
    expect(h.snapshot()).toBe(before);
    await h.command('demo-staff-cg', 'staff', { type: 'contact', ticketId: t.id, method: 'phone', note: '已电话联系诉求人' });
    await h.command('demo-staff-cg', 'staff', { type: 'reply', ticketId: t.id, result: '已安排清运，现场已清理干净。', handler: '刘洋', caseNumber: 'PL-2026-0301', caseDate: '2026-03-02' });
  });

  it('with an empty list nothing is refused', async () => {
    await h.ok('demo-operator', 'admin', { action: 'putContentWords', words: [] });
    expect((await h.submit('demo-resident', { content: '小区门口有人售卖违禁词，请处理' })).created).toBe(true);
  });
});
