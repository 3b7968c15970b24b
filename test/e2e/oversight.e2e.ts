/**
 * Oversight screens in the h5 build (pingli profile, PC width): the week's risk warnings on the
 * supervision board, and the dashboard's figures opened to the tickets behind them (all, counted,
 * the rest), each row leading to the ticket; the public disclosure page, opened without signing in,
 * with the month's figures and nothing of a person. The planted data go through the API.
 * Screenshots: test-output/e2e/oversight-*.png.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, startRuntime, type Runtime } from './harness';
import { onTop, shotPage } from './fixtures/app';

jest.setTimeout(180_000);

let rt: Runtime;
let browser: Browser;
let context: BrowserContext;
let page: Page;

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

/** This Shanghai month, as the dashboard opens it. */
function thisMonth() {
  const sh = new Date(Date.now() + 8 * 3_600_000);
  return { from: Date.UTC(sh.getUTCFullYear(), sh.getUTCMonth(), 1) - 8 * 3_600_000, to: Date.UTC(sh.getUTCFullYear(), sh.getUTCMonth() + 1, 1) - 8 * 3_600_000 };
}

beforeAll(async () => {
  [rt, browser] = await Promise.all([startRuntime({ profile: 'pingli' }), launchBrowser()]);
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  page = await context.newPage();
  await page.goto(`${rt.url}/`);
  await onTop(page, '#login-user-demo-operator').click();
  await onTop(page, '#operator-entries').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

test('the supervision board shows the week’s risk warning for a planted surge', async () => {
  // Six 燃气安全 requests this week in one area, none in the eight weeks before.
  for (let i = 1; i <= 6; i++) {
    await call('demo-resident', 'resident', {
      action: 'submit',
      input: {
        clientRequestId: `e2e-oversight-${Date.now()}-${i}`,
        type: 'complaint',
        category: '燃气安全',
        content: `北区街道第${i}栋楼道里有燃气味，第${i}次反映，请尽快派人检查。`,
        location: { address: `北区街道第${i}栋`, area: '北区街道' },
        contact: { name: '张明', phone: '13800001234' },
      },
    });
  }
  const warnings = await call<{ dimension: string; key: string; label: string }[]>('demo-operator', 'stats', { action: 'warnings' });
  const gas = warnings.find((w) => w.dimension === 'category' && w.key === '燃气安全')!;
  expect(gas.label).toContain('本周6件');
  expect(warnings.some((w) => w.dimension === 'areaCategory' && w.key === '北区街道/燃气安全')).toBe(true);

  await page.goto(`${rt.url}/packageOperator/pages/board/index`);
  await expectText(page, '#board-warnings', gas.label);
  expect(await onTop(page, '[id^="board-warning-"]').count()).toBe(warnings.length);
  await shotPage(page, 'oversight-01-board-warnings');
});

test('a dashboard figure opens to the tickets behind it: all, counted and the rest, each leading to its ticket', async () => {
  // Two tickets signed in time by 城管局 this month: two response marks, both counted.
  for (let i = 1; i <= 2; i++) {
    const { ticket } = await call<{ ticket: { id: string } }>('demo-resident', 'resident', {
      action: 'submit',
      input: {
        clientRequestId: `e2e-oversight-sign-${Date.now()}-${i}`,
        type: 'complaint',
        category: '市容环境',
        content: `东区街道第${i}号路口的垃圾桶三天没有清运，气味很大。`,
        location: { address: `东区街道第${i}号路口`, area: '东区街道' },
        contact: { name: '张明', phone: '13800001234' },
      },
    });
    await call('demo-operator', 'operator', { action: 'command', command: { type: 'accept', ticketId: ticket.id } });
    await call('demo-operator', 'operator', { action: 'command', command: { type: 'dispatch', ticketId: ticket.id, mode: 'single', unitIds: ['u-chengguan'], assistUnitIds: [] } });
    await call('demo-staff-cg', 'staff', { action: 'command', command: { type: 'sign', ticketId: ticket.id } });
  }
  const month = thisMonth();
  const figures = await call<{ unitId: string; response: { numerator: number; denominator: number } }[]>('demo-operator', 'stats', { action: 'figures', ...month });
  const all = figures.find((f) => f.unitId === '*')!.response;
  expect(all.denominator).toBeGreaterThan(0);
  const behind = await call<{ items: { number: string; outcome: string }[] }>('demo-operator', 'stats', { action: 'figureTickets', ...month, metric: 'response', by: 'all', key: '*', part: 'all', limit: 20 });

  await page.goto(`${rt.url}/packageOperator/pages/dashboard/index`);
  await expectText(page, '#figure-response-ratio', `${all.numerator}/${all.denominator}`);
  await onTop(page, '#figure-response-open').click();
  await expectText(page, '#figure-tickets-title', '响应率');
  const rows = onTop(page, '[id^="figure-ticket-"]');
  await rows.first().waitFor();
  expect(await rows.count()).toBe(Math.min(20, all.denominator));
  expect(await rows.evaluateAll((els) => els.map((e) => e.id.replace('figure-ticket-', '')))).toEqual(behind.items.map((i) => i.number));
  await shotPage(page, 'oversight-02-figure-tickets');

  // The counted part is the numerator, the rest the others.
  await onTop(page, '#figure-tickets-part-counted').click();
  await page.waitForFunction((n) => document.querySelectorAll('[id^="figure-ticket-"]').length === n || (n === 0 && !!document.querySelector('#figure-tickets-empty')), Math.min(20, all.numerator));
  const counted = await rows.evaluateAll((els) => els.map((e) => e.textContent ?? ''));
  for (const text of counted) expect(text).toContain('时限内签收');
  await onTop(page, '#figure-tickets-part-rest').click();
  await page.waitForFunction((n) => document.querySelectorAll('[id^="figure-ticket-"]').length === n || (n === 0 && !!document.querySelector('#figure-tickets-empty')), Math.min(20, all.denominator - all.numerator));

  // A unit's cell in the table opens that unit's tickets; a row opens the ticket.
  const unit = figures.find((f) => f.unitId !== '*' && f.response.denominator > 0)!;
  await onTop(page, `#figures-cell-${unit.unitId}-response`).click();
  await page.waitForFunction((n) => document.querySelectorAll('[id^="figure-ticket-"]').length === n, Math.min(20, unit.response.denominator));
  const first = (await rows.first().getAttribute('id'))!.replace('figure-ticket-', '');
  await rows.first().click();
  await onTop(page, '#op-actions').waitFor();
  await expectText(page, '#page-op-ticket', first);
});

test('the public disclosure page opens without an account: the month’s figures, by unit and by category, and no personal data', async () => {
  const visitor = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const p = await visitor.newPage();
  await p.goto(`${rt.url}/`);
  await onTop(p, '#entry-public').click();
  await onTop(p, '#public-submitted').waitFor();
  const sh = new Date(Date.now() + 8 * 3_600_000);
  const month = `${sh.getUTCFullYear()}-${String(sh.getUTCMonth() + 1).padStart(2, '0')}`;
  const pub = await (await fetch(`${rt.url}/api/public`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'monthly', month }) })).json() as { ok: boolean; data: { all: { submitted: number }; units: { unitName: string }[] } };
  expect(pub.ok).toBe(true);
  await expectText(p, '#public-submitted', `${pub.data.all.submitted}件`);
  if (pub.data.units.length > 0) await expectText(p, '#public-unit-0', pub.data.units[0]!.unitName);
  await onTop(p, '#public-category-0').waitFor();
  // The leak scan over the page: no mobile number, no demo requester's name, no ticket number.
  const text = await p.evaluate(() => document.body.innerText);
  expect(text).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/);
  for (const name of ['张明', '刘芳', '李华']) expect(text).not.toContain(name);
  expect(text).not.toMatch(/[A-Z]{1,3}\d{6}[A-Z0-9]{4,}/);
  await shotPage(p, 'oversight-03-public');
  await visitor.close();
});

test('the 简报: from 统计 to 周报/月报, this week’s figures beside last week and a year earlier, and the Excel file', async () => {
  // The requests planted above are all of this week: the weekly 简报 of this week counts them.
  const week = await call<{ title: string; figures: { current: { submitted: number }; previous: { submitted: number }; lastYear: { submitted: number } } }>('demo-operator', 'stats', { action: 'briefing', kind: 'week', at: Date.now() });
  expect(week.figures.current.submitted).toBeGreaterThanOrEqual(8);
  const lastMonth = await call<{ title: string; figures: { current: { submitted: number } } }>('demo-operator', 'stats', { action: 'briefing', kind: 'month' });

  await page.goto(`${rt.url}/packageOperator/pages/dashboard/index`);
  await onTop(page, '#open-briefing').click();
  // The monthly one first: the last complete month.
  await expectText(page, '#briefing-title', lastMonth.title);
  await expectText(page, '#briefing-submitted', `${lastMonth.figures.current.submitted}件`);
  await onTop(page, '#briefing-kind-week').click();
  await expectText(page, '#briefing-title', '周报');
  expect(await onTop(page, '#briefing-kind-week').getAttribute('aria-pressed')).toBe('true');
  await shotPage(page, 'oversight-04-briefing');

  const [download] = await Promise.all([page.waitForEvent('download'), onTop(page, '#briefing-export').click()]);
  expect(download.suggestedFilename()).toMatch(/^briefing-week-\d{8}-\d{8}\.xlsx$/);
  const chunks: Buffer[] = [];
  for await (const c of await download.createReadStream()) chunks.push(c as Buffer);
  // An .xlsx is a zip: "PK" first.
  expect(Buffer.concat(chunks).subarray(0, 2).toString()).toBe('PK');
});
