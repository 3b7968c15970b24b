/**
 * Abuse protection and input limits, enforced by the server whatever the client checks:
 * submission rate limit, duplicate detection, look-up rate limit, text limits, file ownership.
 */
import { DomainError } from '../../shared/errors';
import { LIMITS } from '../../shared/contracts/common';
import type { ApiResult } from '../../shared/contracts/api';
import { MIN, createHarness, submitAndDispatch, type Harness, type SubmitResult } from '../support/functionHarness';

const CHINESE = /[\u4e00-\u9fa5]/;

describe('submission rate limit', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ limits: { submissionsPerHour: 3 } });
  });
  afterAll(() => h.close());

  it('refuses the submission over the hourly limit with a Chinese message, and creates nothing', async () => {
    const inputs = [h.submitInput(), h.submitInput(), h.submitInput()];
    for (const input of inputs) await h.ok('demo-resident', 'resident', { action: 'submit', input });
    const tickets = h.count('tickets');
    const r = await h.refused('demo-resident', 'resident', { action: 'submit', input: h.submitInput() });
    expect(r).toEqual({ code: 'rate-limited', message: '每小时最多提交3件诉求，请稍后再试' });
    expect(h.count('tickets')).toBe(tickets);

    // A retry of a request already made is not a new submission: it still gets its ticket.
    const again = await h.ok<SubmitResult>('demo-resident', 'resident', { action: 'submit', input: inputs[0] });
    expect(again.created).toBe(false);
    // The limit is per user.
    await h.ok('demo-resident2', 'resident', { action: 'submit', input: h.submitInput() });
    // The operator taking phone calls is not limited.
    for (let i = 0; i < 5; i++) await h.ok('demo-operator', 'operator', { action: 'submit', input: h.submitInput() });
  });

  it('allows submissions again once the hour has passed', async () => {
    h.clock.advance(61 * MIN);
    await h.ok('demo-resident', 'resident', { action: 'submit', input: h.submitInput() });
  });

  it('a refused submission writes nothing and does not use up the hourly allowance', async () => {
    const a = await createHarness({ limits: { submissionsPerHour: 2 } });
    try {
      const theirs = await a.upload('demo-resident2');
      const before = a.snapshot();
      for (let i = 0; i < 2; i++) {
        const r = await a.refused('demo-resident', 'resident', { action: 'submit', input: a.submitInput({ attachments: [theirs] }) });
        expect(r.code).toBe('file-not-owned');
      }
      // "Bad input gets a structured error … and writes nothing" (design.md, invariants).
      expect(a.snapshot()).toBe(before);
      // The resident fixes the form and submits twice: both are within the allowance of two.
      await a.ok('demo-resident', 'resident', { action: 'submit', input: a.submitInput() });
      await a.ok('demo-resident', 'resident', { action: 'submit', input: a.submitInput() });
    } finally {
      await a.close();
    }
  });
});

describe('duplicate detection', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ limits: { duplicateWindowMs: 10 * MIN } });
  });
  afterAll(() => h.close());

  const content = '人民路公交站的候车亭玻璃破损 存在安全隐患 请尽快维修。';

  it('refuses the same content from the same user within the window', async () => {
    const first = await h.ok<{ ticket: { id: string; number: string } }>('demo-resident', 'resident', { action: 'submit', input: h.submitInput({ content }) });
    const tickets = h.count('tickets');
    const r = await h.refused('demo-resident', 'resident', { action: 'submit', input: h.submitInput({ content }) });
    // The refusal names the earlier request, so the app can link to it.
    expect(r).toEqual({ code: 'duplicate-submission', message: '您已提交过相同内容的诉求，请勿重复提交', data: { ticketId: first.ticket.id, number: first.ticket.number } });
    // Other whitespace does not make it new.
    const spaced = await h.refused('demo-resident', 'resident', { action: 'submit', input: h.submitInput({ content: `  ${content.replace(/ /g, '\n\t  ')}\n` }) });
    expect(spaced.code).toBe('duplicate-submission');
    expect(h.count('tickets')).toBe(tickets);
  });

  it('lets another user report the same thing, and the operator log it again', async () => {
    await h.ok('demo-resident2', 'resident', { action: 'submit', input: h.submitInput({ content }) });
    await h.ok('demo-operator', 'operator', { action: 'submit', input: h.submitInput({ content }) });
    await h.ok('demo-operator', 'operator', { action: 'submit', input: h.submitInput({ content }) });
  });

  it('accepts the same content again after the window', async () => {
    h.clock.advance(11 * MIN);
    await h.ok('demo-resident', 'resident', { action: 'submit', input: h.submitInput({ content }) });
  });
});

describe('look-up rate limit', () => {
  let h: Harness;
  let number: string;
  beforeAll(async () => {
    h = await createHarness({ limits: { lookupsPerWindow: 3, lookupWindowMs: 10 * MIN } });
    number = (await submitAndDispatch(h)).number;
  });
  afterAll(() => h.close());

  const lookup = (userId: string, phoneTail: string, ip?: string) => h.call(userId, 'resident', { action: 'lookup', number, phoneTail }, ip ? { ip } : {});
  const code = (r: ApiResult<unknown>) => (r.ok ? 'ok' : r.code);

  it('refuses a caller who guesses too often, even with the right tail', async () => {
    for (const tail of ['0000', '1111', '2222']) expect(code(await lookup('demo-resident2', tail))).toBe('not-found');
    const r = await lookup('demo-resident2', '1234');
    expect(r).toEqual({ ok: false, code: 'lookup-rate-limited', message: '查询次数过多，请稍后再试' });
    // Others are not affected.
    expect(code(await lookup('demo-grid', '1234'))).toBe('ok');
  });

  it('lets the caller try again after the window', async () => {
    h.clock.advance(11 * MIN);
    expect(code(await lookup('demo-resident2', '1234'))).toBe('ok');
  });

  it('lets a caller without an account look up by address, with the per-user budget for the whole address', async () => {
    h.clock.advance(11 * MIN);
    const anonymous = (tail: string, ip?: string) => h.call(null, 'resident', { action: 'lookup', number, phoneTail: tail }, ip ? { ip } : {});
    expect(code(await anonymous('1234', '10.7.7.7'))).toBe('ok');
    for (let i = 0; i < 2; i++) expect(code(await anonymous('0000', '10.7.7.7'))).toBe('not-found');
    expect(code(await anonymous('1234', '10.7.7.7'))).toBe('lookup-rate-limited');
    // Without an address to count against, an anonymous look-up is never allowed.
    expect(code(await anonymous('1234'))).toBe('lookup-rate-limited');
  });

  it('limits one address across accounts (three times the per-user limit)', async () => {
    h.clock.advance(11 * MIN);
    const ip = '10.1.2.3';
    for (let i = 0; i < 4; i++) await h.deps.directory.putUser({ id: `guesser-${i}`, name: `查询者${i}`, roles: ['resident'] });
    for (let i = 0; i < 3; i++) for (let k = 0; k < 3; k++) expect(code(await lookup(`guesser-${i}`, '9999', ip))).toBe('not-found');
    expect(code(await lookup('guesser-3', '1234', ip))).toBe('lookup-rate-limited');
    expect(code(await lookup('guesser-3', '1234', '10.9.9.9'))).toBe('ok');
  });
});

describe('text limits are enforced by the server', () => {
  let h: Harness;
  let ticketId: string;
  beforeAll(async () => {
    h = await createHarness();
    const t = await submitAndDispatch(h);
    ticketId = t.id;
    await h.command('demo-staff-cg', 'staff', { type: 'sign', ticketId });
  });
  afterAll(() => h.close());

  const refusedInput = async (userId: string, fn: string, event: Record<string, unknown>, path: string, message?: RegExp) => {
    const before = h.snapshot();
    const r = await h.call(userId, fn, event);
    expect(r).toMatchObject({ ok: false, code: 'invalid-input' });
    if (r.ok) return;
    expect(r.message).toMatch(CHINESE);
    expect(r.issues?.map((i) => i.path)).toContain(path);
    if (message) expect(r.message).toMatch(message);
    expect(h.snapshot()).toBe(before);
  };

  it(`content over ${LIMITS.content} characters is refused; exactly ${LIMITS.content} is accepted`, async () => {
    await refusedInput('demo-resident', 'resident', { action: 'submit', input: h.submitInput({ content: '长'.repeat(LIMITS.content + 1) }) }, 'input.content', /不能超过2000个字/);
    const ok = await h.ok<SubmitResult>('demo-resident', 'resident', { action: 'submit', input: h.submitInput({ content: '长'.repeat(LIMITS.content - 4) + '四个字尾' }) });
    expect(ok.ticket.content).toHaveLength(LIMITS.content);
  });

  it('the same limits hold on the operator’s phone intake', async () => {
    await refusedInput('demo-operator', 'operator', { action: 'submit', input: h.submitInput({ content: 'x'.repeat(LIMITS.content + 1) }) }, 'input.content');
  });

  it.each([
    ['content under 5 characters', { content: '太吵了' }, 'input.content'],
    ['a title over 60 characters', { title: '标'.repeat(LIMITS.title + 1) }, 'input.title'],
    ['an address over 200 characters', { location: { address: '地'.repeat(LIMITS.address + 1) } }, 'input.location.address'],
    ['a control character in the content', { content: '正常的文字\u0007加上响铃字符' }, 'input.content'],
    ['a malformed phone number', { contact: { phone: '12345' } }, 'input.contact.phone'],
    ['ten images', { attachments: Array.from({ length: 10 }, (_, i) => ({ fileId: `local:202603/img${i}.png`, kind: 'image' })) }, 'input.attachments'],
  ])('%s is refused', async (_what, override, path) => {
    await refusedInput('demo-resident', 'resident', { action: 'submit', input: h.submitInput(override as Record<string, unknown>) }, path);
  });

  it('notes, reasons and results of commands are limited too', async () => {
    await refusedInput('demo-staff-cg', 'staff', { action: 'command', command: { type: 'contact', ticketId, method: 'phone', note: '记'.repeat(LIMITS.note + 1) } }, 'command.note');
    await refusedInput('demo-staff-cg', 'staff', { action: 'command', command: { type: 'requestExtension', ticketId, reason: '因'.repeat(LIMITS.reason + 1) } }, 'command.reason');
    await refusedInput('demo-staff-cg', 'staff', { action: 'command', command: { type: 'reply', ticketId, result: '果，经现场核实已办结'.repeat(LIMITS.content + 1), handler: '刘洋' } }, 'command.result');
    await refusedInput('demo-staff-cg', 'staff', { action: 'command', command: { type: 'reply', ticketId, result: '已处理，经现场核实已办结', handler: '名'.repeat(LIMITS.name + 1) } }, 'command.handler');
    await refusedInput('demo-resident', 'resident', { action: 'kbSearch', text: '问'.repeat(LIMITS.content + 1) }, 'text');
  });
});

describe('attachments must be the caller’s own uploads', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  it('attaching someone else’s file is refused with file-not-owned and creates nothing', async () => {
    const theirs = await h.upload('demo-resident2');
    const tickets = h.count('tickets');
    const r = await h.refused('demo-resident', 'resident', { action: 'submit', input: h.submitInput({ attachments: [theirs] }) });
    expect(r).toEqual({ code: 'file-not-owned', message: '不能使用他人上传的文件' });
    expect(h.count('tickets')).toBe(tickets);
    // A file id that exists nowhere is not the caller's either.
    const none = await h.refused('demo-resident', 'resident', { action: 'submit', input: h.submitInput({ attachments: [{ fileId: 'local:202603/doesnotexist.png', kind: 'image' }] }) });
    expect(none.code).toBe('file-not-owned');
  });

  it('staff cannot attach the resident’s photo to a reply or a return as their own', async () => {
    const photo = await h.upload('demo-resident');
    const t = await submitAndDispatch(h, { submit: { attachments: [photo] } });
    await h.command('demo-staff-cg', 'staff', { type: 'sign', ticketId: t.id });
    const before = (await h.ticket(t.id)).version;
    for (const command of [
      { type: 'reply', ticketId: t.id, result: '已处理，经现场核实已办结', handler: '刘洋', attachments: [photo] },
      { type: 'requestReturn', ticketId: t.id, reason: '不属于本单位', attachments: [photo] },
    ]) {
      expect((await h.refused('demo-staff-cg', 'staff', { action: 'command', command })).code).toBe('file-not-owned');
    }
    expect((await h.ticket(t.id)).version).toBe(before);
    // With their own photo it goes through.
    const own = await h.upload('demo-staff-cg');
    await h.command('demo-staff-cg', 'staff', { type: 'contact', ticketId: t.id, method: 'phone', note: '已电话联系诉求人' });
    await h.command('demo-staff-cg', 'staff', { type: 'reply', ticketId: t.id, result: '已处理，经现场核实已办结', handler: '刘洋', attachments: [own] });
  });

  it('the declared kind must match the bytes', async () => {
    const photo = await h.upload('demo-resident');
    const r = await h.refused('demo-resident', 'resident', { action: 'submit', input: h.submitInput({ attachments: [{ ...photo, kind: 'video' }] }) });
    expect(r.code).toBe('file-type-not-allowed');
  });

  it('an upload is typed by its bytes, not its name', async () => {
    await expect(h.deps.files.put('demo-resident', 'photo.png', Buffer.from('<script>alert(1)</script>'), {}, h.clock.now())).rejects.toMatchObject({ code: 'file-type-not-allowed' });
    await expect(h.deps.files.put('demo-resident', 'photo.png', Buffer.from('not an image'), {}, h.clock.now())).rejects.toBeInstanceOf(DomainError);
  });
});
