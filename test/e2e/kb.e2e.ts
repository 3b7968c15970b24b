/**
 * Knowledge-base upkeep and typical cases in the h5 build (linyi):
 * - 我的知识条目: a unit's staff member edits the unit's article; it waits for review;
 * - 知识库维护: the operator sees the edit under 待审核 and approves it; the live answer changes;
 *   an article past its review date is listed under 过期条目 as a supervision item (linyi 30(5));
 * - 典型案例: the operator picks a resolved ticket, is refused a summary with a phone number, saves
 *   an anonymised one and publishes it; the public page, opened without an account, shows it.
 * Screenshots: test-output/e2e/kb-*.png.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, startRuntime, type Runtime } from './harness';
import { fillField, onTop, shotPage, signedInContext } from './fixtures/app';

jest.setTimeout(240_000);

let rt: Runtime;
let browser: Browser;

async function post<T>(path: string, body: unknown, token?: string): Promise<{ ok: boolean; data?: T; code?: string; message?: string }> {
  const res = await fetch(`${rt.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  return (await res.json()) as { ok: boolean; data?: T; code?: string; message?: string };
}

async function call<T = unknown>(userId: string, fn: string, event: Record<string, unknown>): Promise<T> {
  const login = await post<{ token: string }>('/api/auth', { action: 'login', userId });
  const r = await post<T>(`/api/${fn}`, event, login.data?.token);
  if (!r.ok) throw new Error(`${fn}.${String(event.action)} as ${userId}: ${r.code} ${r.message}`);
  return r.data as T;
}

async function expectText(p: Page, selector: string, text: string | RegExp, timeout = 20_000) {
  await onTop(p, selector).filter({ hasText: text }).first().waitFor({ timeout });
}

async function pcContext(userId: string): Promise<{ context: BrowserContext; page: Page }> {
  const pc = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await pc.newPage();
  await page.goto(`${rt.url}/`);
  await onTop(page, `#login-user-${userId}`).click();
  await onTop(page, '#operator-entries').waitFor();
  return { context: pc, page };
}

beforeAll(async () => {
  [rt, browser] = await Promise.all([startRuntime({ profile: 'linyi' }), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

const NEW_ANSWER = '夜间（22时至次日6时）禁止产生噪声的施工，经批准的连续作业须提前公告；可拍摄视频提交诉求，城管执法夜间值班处理。';

test('a unit edits its article on 我的知识条目 and the operator approves it on 知识库维护', async () => {
  const staff = await signedInContext(browser, rt, 'demo-staff-cg');
  const sp = await staff.newPage();
  await sp.goto(`${rt.url}/packageStaff/pages/kb/index`);
  await expectText(sp, '#kb-kb-zaoyin-meta', '已用于答复 0 次');
  await onTop(sp, '#kb-kb-zaoyin-edit').click();
  await fillField(sp, 'kb-form-answer', NEW_ANSWER);
  await onTop(sp, '#kb-form-submit').click();
  await expectText(sp, '#kb-kb-zaoyin-pending', '修改待平台审核');
  await shotPage(sp, 'kb-01-staff');
  await staff.close();

  const { context, page } = await pcContext('demo-operator');
  // 管理 → 知识库: the operator sets one of the water company's articles a review date long past.
  await page.goto(`${rt.url}/packageOperator/pages/admin/index?tab=kb`);
  await onTop(page, '#admin-kb-kb-tingshui-upkeep').filter({ hasText: '已用于答复 0 次' }).waitFor();
  await onTop(page, '#admin-kb-kb-tingshui-edit').click();
  await onTop(page, '#kb-review-date input[type="date"]').fill('2025-01-01');
  await onTop(page, '#kb-save').click();
  await expectText(page, '#admin-kb-kb-tingshui-upkeep', '复核日期 2025-01-01');
  await page.goto(`${rt.url}/packageOperator/pages/kb/index`);
  await expectText(page, '#kb-pending-kb-zaoyin-new', NEW_ANSWER.slice(0, 10));
  await expectText(page, '#kb-stale-supervision', '第三十条');
  await onTop(page, '#kb-stale-kb-tingshui').waitFor();
  await shotPage(page, 'kb-02-operator');
  // Under linyi the 督办看板 lists it as a supervision item.
  await page.goto(`${rt.url}/packageOperator/pages/board/index`);
  await expectText(page, '#board-kb-stale', '1条知识库条目已过复核日期');
  await page.goto(`${rt.url}/packageOperator/pages/kb/index`);
  await onTop(page, '#kb-pending-kb-zaoyin-approve').click();
  await onTop(page, '#kb-pending-empty').waitFor();
  await context.close();

  const live = (await call<{ id: string; answer: string }[]>('demo-resident', 'resident', { action: 'kbSearch', text: '夜间施工噪声扰民怎么办' })).find((a) => a.id === 'kb-zaoyin');
  expect(live?.answer).toBe(NEW_ANSWER);
});

test('the operator publishes a typical case from a resolved ticket; the public page shows it, without personal data', async () => {
  const s = await call<{ ticket: { id: string; number: string } }>('demo-resident', 'resident', {
    action: 'submit',
    input: { clientRequestId: 'e2e-case-0001', type: 'complaint', category: '市容环境', content: '小区门口垃圾堆放多日无人清运，气味很大。', location: { address: '滨河路12号', area: '东区街道' }, contact: { name: '张明', phone: '13800001234' } },
  });
  const id = s.ticket.id;
  const cmd = (who: string, fn: string, command: Record<string, unknown>) => call(who, fn, { action: 'command', command: { ticketId: id, ...command } });
  await cmd('demo-operator', 'operator', { type: 'accept' });
  await cmd('demo-operator', 'operator', { type: 'dispatch', mode: 'single', unitIds: ['u-chengguan'] });
  await cmd('demo-staff-cg', 'staff', { type: 'sign' });
  await cmd('demo-staff-cg', 'staff', { type: 'contact', method: 'phone', note: '已电话联系诉求人' });
  await cmd('demo-staff-cg', 'staff', { type: 'reply', result: '已安排环卫车辆当日清运，并调整清运频次。', handler: '刘洋', noCaseReason: '现场整改完毕，无需立案。' });
  await cmd('demo-operator', 'operator', { type: 'reviewResult', approve: true });

  const { context, page } = await pcContext('demo-operator');
  await page.goto(`${rt.url}/packageOperator/pages/cases/index`);
  await onTop(page, `#cases-ticket-${s.ticket.number}`).click();
  await fillField(page, 'case-title', '小区门口垃圾长期堆放');
  await fillField(page, 'case-summary', '居民（电话13800001234）反映小区门口垃圾堆放多日无人清运。');
  await fillField(page, 'case-result', '承办单位当日安排清运，并将清运频次调整为每日两次。');
  await onTop(page, '#case-save').click();
  await expectText(page, '#form-error', '电话号码');
  await fillField(page, 'case-summary', '居民反映某小区门口垃圾堆放多日无人清运，气味较大。');
  await onTop(page, '#case-save').click();
  await expectText(page, '#cases-list', '小区门口垃圾长期堆放');
  const list = await call<{ id: string }[]>('demo-operator', 'operator', { action: 'cases' });
  expect(list).toHaveLength(1);
  await onTop(page, `#case-${list[0]!.id}-publish`).click();
  await expectText(page, `#case-${list[0]!.id}`, '已公开');
  await shotPage(page, 'kb-03-cases');
  await context.close();

  const visitor = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const p = await visitor.newPage();
  await p.goto(`${rt.url}/pages/public/index`);
  await expectText(p, '#public-case-0', '小区门口垃圾长期堆放');
  const text = await p.evaluate(() => document.body.innerText);
  expect(text).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/);
  for (const f of ['张明', s.ticket.number, '滨河路12号']) expect(text).not.toContain(f);
  await shotPage(p, 'kb-04-public');
  await visitor.close();
});
