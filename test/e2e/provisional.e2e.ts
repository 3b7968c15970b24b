/**
 * Issue 11 §1 and 15 items 4–5 in the operator's h5 pages (hohhot, then the runtime's clock put on
 * 2026-12-24 10:00 Shanghai, with 2027 not loaded): the calendar warning on every operator page,
 * 暂定 on the queue row and in the ticket's deadlines, the emergency hand-off and the revisit record.
 * Screenshots: test-output/e2e/provisional-*.png.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, phoneContext, startRuntime, type Runtime } from './harness';
import { eventually, fillField, onTop, shotPage } from './fixtures/app';

jest.setTimeout(180_000);

let rt: Runtime;
let browser: Browser;
let context: BrowserContext;
let page: Page;

const sh = (wall: string) => {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/.exec(wall)!;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]) - 8, Number(m[5]));
};

async function post<T>(path: string, body: unknown, token?: string): Promise<{ ok: boolean; data?: T }> {
  const res = await fetch(`${rt.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  return (await res.json()) as { ok: boolean; data?: T };
}

/** Puts the runtime's clock at `ms`. */
async function at(ms: number) {
  const now = (await post<{ now: number }>('/api/_dev/clock', { advanceMs: 0 })).data!.now;
  await post('/api/_dev/clock', { advanceMs: ms - now });
}

async function call<T = unknown>(userId: string, fn: string, event: Record<string, unknown>): Promise<T> {
  const login = await post<{ token: string }>('/api/auth', { action: 'login', userId });
  const r = await post<T>(`/api/${fn}`, event, login.data?.token);
  if (!r.ok) throw new Error(`${fn}.${String(event.action)} as ${userId}: ${JSON.stringify(r)}`);
  return r.data as T;
}

let n = 0;
async function submitted(content: string): Promise<{ id: string; number: string }> {
  n += 1;
  const r = await call<{ ticket: { id: string; number: string } }>('demo-resident', 'resident', {
    action: 'submit',
    input: { clientRequestId: `e2e-prov-${Date.now()}-${n}`, type: 'complaint', category: '市容环境', content, location: { address: '新华大街1号', area: '新城区' }, contact: { name: '张明', phone: '13800001234' } },
  });
  return r.ticket;
}
const op = (command: Record<string, unknown>) => call('demo-operator', 'operator', { action: 'command', command });

beforeAll(async () => {
  [rt, browser] = await Promise.all([startRuntime({ profile: 'hohhot' }), launchBrowser()]);
  // Thursday 2026-12-24: ten working days reach January 2027, which chinese-days does not hold.
  await at(sh('2026-12-24 10:00'));
  context = await phoneContext(browser);
  page = await context.newPage();
  await page.goto(`${rt.url}/`);
  await onTop(page, '#login-user-demo-operator').click();
  await onTop(page, '#operator-entries').waitFor();
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await rt?.stop();
});

test('the calendar warning is on every operator page; a deadline in 2027 reads 暂定 on the queue row and on the ticket', async () => {
  const t = await submitted('路口的井盖松动，车辆经过时声音很大，存在安全隐患。');
  await op({ type: 'accept', ticketId: t.id });
  await op({ type: 'dispatch', ticketId: t.id, mode: 'single', unitIds: ['u-chengguan'], assistUnitIds: [] });

  await page.goto(`${rt.url}/packageOperator/pages/queue/index?queue=all`);
  const banner = onTop(page, '#op-calendar-warning');
  await banner.waitFor();
  expect(await banner.textContent()).toContain('2027');
  const row = onTop(page, `#op-ticket-${t.number} .op-deadline`);
  await row.waitFor();
  expect(await row.textContent()).toContain('暂定');
  expect(await row.getAttribute('data-provisional')).toBe('true');
  await shotPage(page, 'provisional-1-queue');

  for (const p of ['board', 'dashboard', 'intake']) {
    await page.goto(`${rt.url}/packageOperator/pages/${p}/index`);
    await onTop(page, '#op-calendar-warning').waitFor();
  }

  await page.goto(`${rt.url}/packageOperator/pages/ticket/index?id=${t.id}`);
  await onTop(page, '#op-actions').waitFor();
  await onTop(page, '#op-deadlines .op-facts__provisional').first().waitFor();
  await shotPage(page, 'provisional-2-ticket');
});

test('hohhot 12: the operator hands an emergency to 110 from the ticket page; the ticket stays open with the hand-off recorded', async () => {
  const t = await submitted('小区门口有人持刀争执，情况紧急，请尽快处置！');
  await page.goto(`${rt.url}/packageOperator/pages/ticket/index?id=${t.id}`);
  await onTop(page, '#action-handOffEmergency').click();
  await onTop(page, '#handoff-line-110').click();
  expect(await onTop(page, '#handoff-after').textContent()).toContain('继续跟踪');
  await onTop(page, '#handOffEmergency-submit').click();
  await onTop(page, '#action-accept').waitFor();
  const d = await call<{ ticket: { state: string; handOffs?: { line: string; by: string }[] } }>('demo-operator', 'operator', { action: 'get', ticketId: t.id });
  expect(d.ticket.state).toBe('submitted');
  expect(d.ticket.handOffs).toMatchObject([{ line: '110', by: 'demo-operator' }]);
  await shotPage(page, 'provisional-3-handoff');
});

test('issue 15: after the reply the operator records a revisit (method, result, the requester\'s words) from the ticket page', async () => {
  const t = await submitted('人行道上的树枝折断挂在半空，行人经过很危险。');
  await op({ type: 'accept', ticketId: t.id });
  await op({ type: 'dispatch', ticketId: t.id, mode: 'single', unitIds: ['u-chengguan'], assistUnitIds: [] });
  await call('demo-staff-cg', 'staff', { action: 'command', command: { type: 'sign', ticketId: t.id } });
  // hohhot 19(1): the contact with the requester is recorded before the reply.
  await call('demo-staff-cg', 'staff', { action: 'command', command: { type: 'contact', ticketId: t.id, method: 'phone', result: 'reached', note: '已电话联系诉求人' } });
  await call('demo-staff-cg', 'staff', { action: 'command', command: { type: 'reply', ticketId: t.id, result: '已清理折断树枝，经现场核实已办结', handler: '刘洋' } });
  await page.goto(`${rt.url}/packageOperator/pages/ticket/index?id=${t.id}`);
  await onTop(page, '#action-recordRevisit').click();
  await onTop(page, '#record-method-sms').click();
  await fillField(page, 'record-result', '短信回访，诉求人确认已清理');
  await fillField(page, 'record-words', '谢谢，处理得很快');
  await onTop(page, '#recordRevisit-submit').click();
  const revisits = await eventually(
    async () => (await call<{ ticket: { revisits?: { method: string; words?: string }[] } }>('demo-operator', 'operator', { action: 'get', ticketId: t.id })).ticket.revisits ?? [],
    (v) => v.length > 0,
  );
  expect(revisits).toMatchObject([{ method: 'sms', words: '谢谢，处理得很快' }]);
  await shotPage(page, 'provisional-4-revisit');
});
