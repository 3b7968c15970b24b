/**
 * Issue 15 §1 in the browser (h5 build, local runtime, baiyin profile): a unit reveals the full
 * number of a non-confidential requester (logged, seen by the operator) and calls it; a reply waits
 * for a contact record (baiyin 14(1)); on a confidential ticket the unit asks the platform to relay
 * a call, which an operator connects and records, and leaves a message the requester reads in the
 * app — the number never reaches the unit's pages.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, startRuntime, type Runtime } from './harness';
import { onTop, signedInContext } from './fixtures/app';

const PHONE = '13800001234';
let rt: Runtime;
let browser: Browser;
let staff: BrowserContext;
let page: Page;
let seq = 0;

interface Ref {
  id: string;
  number: string;
}

async function dispatched(opts: { confidential?: boolean; content: string }): Promise<Ref> {
  const sub = await rt.call<{ ticket: Ref }>('demo-resident', 'resident', {
    action: 'submit',
    input: {
      clientRequestId: `contact-e2e-${++seq}-${Date.now()}`,
      type: 'complaint',
      category: '市容环境',
      content: opts.content,
      location: { address: '东区人民路12号', area: '东区街道' },
      contact: { name: '张明', phone: PHONE },
      confidential: !!opts.confidential,
    },
  });
  const id = sub.ticket.id;
  await rt.call('demo-operator', 'operator', { action: 'command', command: { type: 'accept', ticketId: id } });
  await rt.call('demo-operator', 'operator', { action: 'command', command: { type: 'dispatch', ticketId: id, mode: 'single', unitIds: ['u-chengguan'], assistUnitIds: [] } });
  await rt.call('demo-staff-cg', 'staff', { action: 'command', command: { type: 'sign', ticketId: id } });
  return { id, number: sub.ticket.number };
}

const $ = (p: Page, sel: string) => onTop(p, sel).first();

async function expectText(p: Page, sel: string, text: string | RegExp, timeout = 15_000) {
  await onTop(p, sel).filter({ hasText: text }).first().waitFor({ timeout });
}

async function openStaffTicket(ref: Ref) {
  await page.goto(`${rt.url}/packageStaff/pages/ticket/index?id=${ref.id}`);
  await expectText(page, '#detail-number', ref.number);
}

/** Submits a staff action form and waits for the ticket page. */
async function submitAction() {
  await $(page, '#action-submit').click();
  await $(page, '#page-staff-ticket #staff-contacts').waitFor();
}

/** The text of every page Taro keeps in the DOM, and what the app stored: none may hold the number. */
async function unitPagesHoldNoNumber(p: Page) {
  const all = await p.evaluate(() => document.body.innerText + JSON.stringify(Object.fromEntries(Object.entries(localStorage))));
  expect(all).not.toContain(PHONE);
}

beforeAll(async () => {
  rt = await startRuntime({ profile: 'baiyin' });
  browser = await launchBrowser();
  staff = await signedInContext(browser, rt, 'demo-staff-cg');
  // Record each tel: link the app clicks instead of leaving the page for a dialler.
  await staff.addInitScript(() => {
    const w = window as unknown as { __dialled: string[] };
    w.__dialled = [];
    document.addEventListener('click', (e) => {
      const a = (e.target as HTMLElement | null)?.closest?.('a[href^="tel:"]') as HTMLAnchorElement | null;
      if (a) {
        w.__dialled.push(a.getAttribute('href')!);
        e.preventDefault();
      }
    }, true);
  });
  page = await staff.newPage();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

test('a non-confidential requester: reveal the full number (logged for the operator), call it, then contact before the reply', async () => {
  const ref = await dispatched({ content: '人民路夜市占道经营，油烟和噪声影响居民休息' });
  await openStaffTicket(ref);
  await expectText(page, '#staff-requester-phone', '138****1234');
  await expectText(page, '#staff-contact-required', '第十四条第（一）项');
  expect(await onTop(page, '#action-reply').count()).toBe(0);
  await unitPagesHoldNoNumber(page);

  await $(page, '#staff-reveal').click();
  await expectText(page, '#staff-requester-full-number', PHONE);
  await $(page, '#staff-call').click();
  await expect(page.evaluate(() => (window as unknown as { __dialled: string[] }).__dialled)).resolves.toEqual([`tel:${PHONE}`]);
  const op = await rt.call<{ timeline: { type: string; label: string; actor: { userId: string } }[] }>('demo-operator', 'operator', { action: 'get', ticketId: ref.id });
  expect(op.timeline.filter((e) => e.type === 'revealPhone').map((e) => [e.label, e.actor.userId])).toEqual([['承办单位查看诉求人完整号码', 'demo-staff-cg']]);

  // A contact record (method, result) opens the reply.
  await $(page, '#action-contact').click();
  await $(page, '#contact-result-unreachable').click();
  await $(page, '#contact-note textarea').fill('电话未接通，已发短信告知办理程序和期限');
  await submitAction();
  await expectText(page, '#staff-contacts', '未能联系上');
  expect(await onTop(page, '#staff-contact-required').count()).toBe(0);
  await $(page, '#action-reply').waitFor();
});

test('a confidential requester: no reveal; a relayed call the operator connects and records; a message the requester reads', async () => {
  const ref = await dispatched({ confidential: true, content: '楼下餐馆长期把垃圾堆在绿化带里，要求保密处理' });
  await openStaffTicket(ref);
  await expectText(page, '#staff-requester-shown', '通过平台联系');
  expect(await onTop(page, '#staff-reveal').count()).toBe(0);

  await $(page, '#action-requestRelay').click();
  await expectText(page, '#relay-rule', '不会显示给本单位');
  await $(page, '#relay-note textarea').fill('需核实垃圾堆放的具体位置和时段');
  await submitAction();
  await expectText(page, '#staff-relay-pending', '需核实垃圾堆放的具体位置和时段');
  await unitPagesHoldNoNumber(page);

  // The operator sees the request with the number, connects the call and records how it went.
  const opContext = await signedInContext(browser, rt, 'demo-operator');
  const op = await opContext.newPage();
  await op.goto(`${rt.url}/packageOperator/pages/ticket/index?id=${ref.id}`);
  await onTop(op, '#action-relayDone').click();
  await expectText(op, '#relay-requester-phone', PHONE);
  await expectText(op, '#relay-request', '需核实垃圾堆放的具体位置和时段');
  await onTop(op, '#relay-result-reached').click();
  await onTop(op, '#relay-note textarea').fill('已三方通话：每晚九点后堆放，诉求人同意上门核实');
  await onTop(op, '#relayDone-submit').click();
  await onTop(op, '#action-relayDone').waitFor({ state: 'detached' });
  await opContext.close();

  await $(page, '#staff-refresh').click();
  await expectText(page, '#staff-contacts', '平台转接（已联系上）');
  expect(await onTop(page, '#staff-relay-pending').count()).toBe(0);
  await expectText(page, '#timeline', '已三方通话');
  await unitPagesHoldNoNumber(page);

  // A message through the platform, read by the requester on the ticket's timeline.
  await $(page, '#action-messageRequester').click();
  await $(page, '#message-text textarea').fill('明晚九点我们到现场蹲守核查，请您放心');
  await submitAction();
  await unitPagesHoldNoNumber(page);
  const resident = await signedInContext(browser, rt, 'demo-resident');
  const rp = await resident.newPage();
  await rp.goto(`${rt.url}/pages/detail/index?id=${ref.id}`);
  await expectText(rp, '#timeline', '承办单位通过平台给您留言');
  await expectText(rp, '#timeline', '明晚九点我们到现场蹲守核查，请您放心');
  await resident.close();
});
