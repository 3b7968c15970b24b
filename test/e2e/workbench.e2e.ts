/**
 * The 12345 operator's workbench at 1440×900 under hohhot: a phone call about a water outage
 * registered with the keyboard alone (utilities → 24 hours, 第十六条第（二）项), the unit seeing that
 * deadline, a repeat call showing the caller's open ticket, and the queue searched by the last four
 * digits of the caller's phone (the search kept in the URL), an extension review whose rejection
 * without a reason is refused, and a reclassification that moves the deadline with its article.
 * Then (issue 14's remaining parts): the queue page split at 1440 px with 来电登记 reached by Tab,
 * reply and refusal templates, the policy switch and the overrides confirmed with what changes,
 * termination on the profile's grounds (linyi 18/19 proposed by a unit with proof, baiyin 19 by the
 * platform), the resident's 紧急 hint beside 110/119/120 and the grid worker's urgency screen.
 * Screenshots: test-output/e2e/workbench-*.png.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, startRuntime, type Runtime } from './harness';
import { fieldValue, fillField, onTop, shotPage } from './fixtures/app';

jest.setTimeout(180_000);

interface Ticket {
  id: string;
  urgency: string;
  urgentHint?: boolean;
  termination?: { reason: string; groundCode?: string; article?: string; proposedByUnitId?: string };
  rejection?: { note?: string };
  pendingExtension?: { reason: string };
  number: string;
  state: string;
  version: number;
  channel: string;
  utilities: boolean;
  reporter: { userId: string; role: string };
  requester: { phone?: string; smsUpdates?: boolean };
  deadlines: { kind: string; span: string; citation: { article: string; platformSet?: boolean }; status: string }[];
}

let rt: Runtime;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const CALLER = '13911112222';

const desktop = (b: Browser) => b.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });

async function signIn(p: Page, userId: string) {
  await p.goto(`${rt.url}/`);
  await onTop(p, `#login-user-${userId}`).click();
  await onTop(p, '#current-user, #operator-entries').first().waitFor();
}

/** The id of the element holding the keyboard focus, or of its nearest ancestor with an id. */
const focusedId = (p: Page) =>
  p.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el && !el.id) el = el.parentElement;
    return el?.id ?? '';
  });

/** Presses Tab until the focus is inside `#id`: the way a keyboard user gets there. */
async function tabTo(p: Page, id: string, max = 60) {
  for (let i = 0; i < max; i++) {
    const inside = await p.evaluate((target) => !!document.activeElement?.closest(`#${target}`), id);
    if (inside) return;
    await p.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached #${id} (focus on #${await focusedId(p)})`);
}

const get = async (id: string) => (await rt.call<{ ticket: Ticket }>('demo-operator', 'operator', { action: 'get', ticketId: id })).ticket;

beforeAll(async () => {
  [rt, browser] = await Promise.all([startRuntime({ profile: 'hohhot' }), launchBrowser()]);
  context = await desktop(browser);
  page = await context.newPage();
  await signIn(page, 'demo-operator');
});

afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

let water: { id: string; number: string };

test('a water outage taken by phone, with the keyboard alone: utilities gives 24 hours (hohhot 16(2)), the unit sees it', async () => {
  await page.goto(`${rt.url}/packageOperator/pages/intake/index`);
  await onTop(page, '#intake-form').waitFor();
  // The number comes first: the page opens with the focus in it.
  await page.waitForFunction(() => !!document.activeElement?.closest('#intake-phone'));
  await page.keyboard.type(CALLER);
  await onTop(page, '#intake-history-none').waitFor();
  await page.keyboard.press('Tab');
  await page.keyboard.type('王大爷');
  await tabTo(page, 'intake-type-help');
  await page.keyboard.press('Enter');
  await tabTo(page, 'intake-category');
  await page.keyboard.type('供水');
  await tabTo(page, 'intake-utilities');
  await page.keyboard.press('Space');
  await onTop(page, '#intake-deadline').filter({ hasText: '24小时' }).waitFor();
  await tabTo(page, 'intake-area');
  await page.keyboard.type('东区街道');
  await page.keyboard.press('Tab');
  await page.keyboard.type('新华小区3号楼');
  await page.keyboard.press('Tab');
  await page.keyboard.type('新华小区3号楼从早上六点开始停水，家里有老人，一直没有通知什么时候恢复。');
  await shotPage(page, 'workbench-01-intake-filled');
  expect(await onTop(page, '#intake-deadline').textContent()).toContain('第十六条第（二）项');
  await page.keyboard.press('Control+Enter');
  await onTop(page, '#intake-done').waitFor();
  expect(await onTop(page, '#intake-done-deadline').textContent()).toMatch(/第十六条第（二）项，24小时/);
  await shotPage(page, 'workbench-02-intake-done');
  const number = (await onTop(page, '#intake-done-number').textContent())!.trim();

  const found = await rt.call<{ items: { id: string; number: string }[] }>('demo-operator', 'operator', { action: 'queue', queue: 'all', filters: { number }, limit: 5 });
  water = found.items[0]!;
  const t = await get(water.id);
  expect(t).toMatchObject({ channel: 'phone', utilities: true, reporter: { userId: 'demo-operator', role: 'operator' }, requester: { phone: CALLER, smsUpdates: true } });

  await rt.call('demo-operator', 'operator', { action: 'command', command: { type: 'accept', ticketId: water.id } });
  await rt.call('demo-operator', 'operator', { action: 'command', command: { type: 'dispatch', ticketId: water.id, mode: 'single', unitIds: ['u-shuiwu'] } });
  // 16(2): the 24 hours are a response window; the finish after it is platform-set.
  const deadlines = (await get(water.id)).deadlines;
  expect(deadlines.find((d) => d.kind === 'response' && d.status === 'active')).toMatchObject({ span: '24小时', citation: { article: '第十六条第（二）项' } });
  expect(deadlines.find((d) => d.kind === 'handle' && d.status === 'active')).toMatchObject({ span: '2个工作日', citation: { article: '第十六条第（二）项', platformSet: true } });

  const unit = await desktop(browser);
  const staffPage = await unit.newPage();
  await signIn(staffPage, 'demo-staff-sw');
  await staffPage.goto(`${rt.url}/packageStaff/pages/ticket/index?id=${water.id}`);
  await onTop(staffPage, '#page-staff-ticket').filter({ hasText: '第十六条第（二）项' }).waitFor();
  expect(await onTop(staffPage, '#page-staff-ticket').textContent()).toContain('24小时');
  await shotPage(staffPage, 'workbench-03-unit-sees-24h');
  await unit.close();
});

test('a repeat call: the caller’s open ticket shows as soon as the number is typed', async () => {
  await onTop(page, '#intake-next').click();
  await page.waitForFunction(() => !!document.activeElement?.closest('#intake-phone'));
  await page.keyboard.type(CALLER);
  await onTop(page, `#intake-history-${water.number}`).waitFor();
  expect(await onTop(page, '#intake-repeat').textContent()).toContain('1件未办结');
  await shotPage(page, 'workbench-04-repeat-call');
});

test('a search by the last four digits finds the caller’s tickets, and the search lives in the URL', async () => {
  await rt.call('demo-operator', 'operator', {
    action: 'submit',
    input: { clientRequestId: `e2e-wb-${Date.now()}`, type: 'complaint', category: '噪声扰民', content: '人民路工地夜间施工噪声很大，影响休息。', contact: { name: '王大爷', phone: CALLER } },
  });
  await rt.call('demo-resident', 'resident', {
    action: 'submit',
    input: { clientRequestId: `e2e-wb-r-${Date.now()}`, type: 'complaint', category: '市容环境', content: '公园门口的垃圾桶满了一直没人清理。', contact: { name: '张明', phone: '13800001234' } },
  });
  await page.goto(`${rt.url}/packageOperator/pages/queue/index?queue=all`);
  await onTop(page, '#queue-table').waitFor();
  await onTop(page, '#filter-q input').fill('2222');
  await onTop(page, '#filter-q input').press('Enter');
  await page.waitForURL(/phone=2222/);
  await onTop(page, `#op-ticket-${water.number}`).waitFor();
  const rows = onTop(page, '#queue-table [data-state]');
  await expect(rows.count()).resolves.toBe(2);
  for (const text of await rows.allTextContents()) expect(text).toContain('139****2222');
  await shotPage(page, 'workbench-05-search-last-four');
  // The URL alone brings the same search back.
  const url = page.url();
  await page.goto(`${rt.url}/`);
  await page.goto(url);
  await onTop(page, `#op-ticket-${water.number}`).waitFor();
  await expect(onTop(page, '#queue-table [data-state]').count()).resolves.toBe(2);
});

test('an extension rejected without a reason is refused with a message; with one it reaches the unit', async () => {
  const staff = (command: Record<string, unknown>) => rt.call('demo-staff-sw', 'staff', { action: 'command', command });
  await staff({ type: 'sign', ticketId: water.id, expectedVersion: (await get(water.id)).version });
  await staff({ type: 'requestExtension', ticketId: water.id, expectedVersion: (await get(water.id)).version, reason: '主管道破裂，需要开挖更换管段。' });
  const before = await get(water.id);
  expect(before.pendingExtension?.reason).toContain('主管道');

  await page.goto(`${rt.url}/packageOperator/pages/ticket/index?id=${water.id}`);
  await onTop(page, '#action-reviewExtension').click();
  // The new deadline, by the server's calendar, before anything is decided.
  await onTop(page, '#pending-extension-new-due').filter({ hasText: '同意后为' }).waitFor();
  await onTop(page, '#reviewExtension-reject').click();
  await onTop(page, '#reviewExtension-problem').filter({ hasText: '驳回须填写理由' }).waitFor();
  expect(await onTop(page, '#reviewExtension-consequence').count()).toBe(0);
  await shotPage(page, 'workbench-06-reject-without-reason');
  expect((await get(water.id)).version).toBe(before.version);
  // The server refuses it too, with its own code and message.
  await expect(rt.call('demo-operator', 'operator', { action: 'command', command: { type: 'reviewExtension', ticketId: water.id, expectedVersion: before.version, approve: false } })).rejects.toThrow(/reason-required 不同意时请填写理由/);

  await onTop(page, '#reviewExtension-note textarea').fill('抢修队伍已到位，请按原时限恢复供水。');
  await onTop(page, '#reviewExtension-reject').click();
  expect(await onTop(page, '#reviewExtension-consequence').textContent()).toContain('办理期限不变');
  await onTop(page, '#reviewExtension-confirm').click();
  await onTop(page, '#action-done').filter({ hasText: '已驳回延期申请' }).waitFor();
  const after = await get(water.id);
  expect(after.pendingExtension).toBeUndefined();
  const events = (await rt.call<{ timeline: { type: string; note?: string }[] }>('demo-staff-sw', 'staff', { action: 'get', ticketId: water.id })).timeline;
  expect(events.filter((e) => e.type === 'reviewExtension').pop()?.note).toBe('抢修队伍已到位，请按原时限恢复供水。');
});

test('reclassified as urgent: the form shows the new limit with its article (hohhot 16(3)), the event keeps the reason', async () => {
  const noise = (await rt.call<{ items: { id: string; category: string }[] }>('demo-operator', 'operator', { action: 'queue', queue: 'all', filters: { text: '工地夜间施工' }, limit: 5 })).items[0]!;
  await page.goto(`${rt.url}/packageOperator/pages/ticket/index?id=${noise.id}`);
  await onTop(page, '#action-classify').click();
  await onTop(page, '#classify-urgency-urgent').click();
  await onTop(page, '#classify-deadline').filter({ hasText: '第十六条第（三）项' }).waitFor();
  expect(await onTop(page, '#classify-deadline').textContent()).toContain('5个工作日');
  await onTop(page, '#classify-submit').click();
  await onTop(page, '#classify-problem').filter({ hasText: '调整理由' }).waitFor();
  await onTop(page, '#classify-reason textarea').fill('工地紧邻医院，夜间噪声影响病人休息。');
  await shotPage(page, 'workbench-07-classify');
  await onTop(page, '#classify-submit').click();
  await onTop(page, '#action-done').filter({ hasText: '已调整分类' }).waitFor();
  const t = await get(noise.id);
  expect(t.urgency).toBe('urgent');
  const events = (await rt.call<{ timeline: { type: string; note?: string }[] }>('demo-operator', 'operator', { action: 'get', ticketId: noise.id })).timeline;
  expect(events.filter((e) => e.type === 'classify').pop()?.note).toBe('工地紧邻医院，夜间噪声影响病人休息。');
});

test('dispatching shows the knowledge base with the unit an entry names; an empty termination reason is refused with a message', async () => {
  const r = await rt.call<{ ticket: { id: string } }>('demo-operator', 'operator', {
    action: 'submit',
    input: { clientRequestId: `e2e-wb-kb-${Date.now()}`, type: 'help', category: '供水', content: '幸福路一带停水了，想知道什么时候恢复供水。', contact: { name: '李女士', phone: '13922223333' } },
  });
  const id = r.ticket.id;
  await rt.call('demo-operator', 'operator', { action: 'command', command: { type: 'accept', ticketId: id, expectedVersion: (await get(id)).version } });
  await page.goto(`${rt.url}/packageOperator/pages/ticket/index?id=${id}`);
  await onTop(page, '#action-dispatch').click();
  await onTop(page, '#dispatch-kb').filter({ hasText: '停水' }).waitFor();
  expect(await onTop(page, '#dispatch-kb').textContent()).toContain('相关单位：市水务集团');
  await shotPage(page, 'workbench-08-dispatch-kb');

  const version = (await get(id)).version;
  await onTop(page, '#action-terminate').click();
  await onTop(page, '#terminate-submit').click();
  await onTop(page, '#terminate-problem').filter({ hasText: '请填写理由' }).waitFor();
  expect(await onTop(page, '#terminate-consequence').count()).toBe(0);
  expect((await get(id)).version).toBe(version);
});

test('on a phone the operator nav is one horizontal scroller under the brand, not a stack', async () => {
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const p = await phone.newPage();
  try {
    await signIn(p, 'demo-operator');
    await p.goto(`${rt.url}/packageOperator/pages/queue/index`);
    await onTop(p, '#op-nav').waitFor();
    const nav = await onTop(p, '#op-nav').evaluate((el) => {
      const tabs = el.querySelector('.op-nav__tabs') as HTMLElement;
      const tops = new Set(Array.from(tabs.children).map((c) => (c as HTMLElement).offsetTop));
      return { height: el.getBoundingClientRect().height, rows: tops.size, overflow: getComputedStyle(tabs).overflowX };
    });
    expect(nav).toMatchObject({ rows: 1, overflow: 'auto' });
    expect(nav.height).toBeLessThan(110);
    await shotPage(p, 'workbench-09-phone-nav');
  } finally {
    await phone.close();
  }
});

test('at 1440 px the queue stays beside the ticket, and a row opens its ticket in place', async () => {
  await page.goto(`${rt.url}/packageOperator/pages/ticket/index?id=${water.id}`);
  await onTop(page, '#side-queue [aria-current="true"]').waitFor();
  expect(await onTop(page, '#detail-number').textContent()).toContain(water.number);
  const side = (await onTop(page, '#side-queue').boundingBox())!;
  const ticket = (await onTop(page, '#detail-number').boundingBox())!;
  // Side by side: the list on the left, the ticket to its right, both on the first screen.
  expect(side.x + side.width).toBeLessThanOrEqual(ticket.x);
  expect(ticket.y).toBeLessThan(side.y + side.height);
  const other = onTop(page, '#side-queue .wb-side__row:not([aria-current])').first();
  const number = (await other.locator('.wb-side__number').textContent())!.trim();
  await other.click();
  await onTop(page, '#detail-number').filter({ hasText: number }).waitFor();
  expect(await onTop(page, '#side-queue [aria-current="true"] .wb-side__number').textContent()).toBe(number);
  await shotPage(page, 'workbench-10-desktop-split');
});

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
let serial = 0;
/** A resident's complaint accepted, dispatched to 城管局 and signed, under the profile in force now. */
async function signedComplaint(content: string): Promise<string> {
  serial += 1;
  const r = await rt.call<{ ticket: { id: string } }>('demo-resident', 'resident', {
    action: 'submit',
    input: { clientRequestId: `e2e-wb-t-${serial}-${Date.now()}`, type: 'complaint', category: '占道经营', content, location: { address: '人民路夜市', area: '东区街道' }, contact: { name: '张明', phone: '13800001234' } },
  });
  const id = r.ticket.id;
  await rt.call('demo-operator', 'operator', { action: 'command', command: { type: 'accept', ticketId: id } });
  await rt.call('demo-operator', 'operator', { action: 'command', command: { type: 'dispatch', ticketId: id, mode: 'single', unitIds: ['u-chengguan'] } });
  await rt.call('demo-staff-cg', 'staff', { action: 'command', command: { type: 'sign', ticketId: id } });
  return id;
}
const profileId = async () => (await rt.call<{ current: { id: string; supervision: { manyRequesters: { count: number } } } }>('demo-operator', 'admin', { action: 'profile' })).current;

test('at 1440 px the queue page is the table on the left and the chosen ticket on the right; 来电登记 is reached with Tab', async () => {
  await page.goto(`${rt.url}/packageOperator/pages/queue/index?queue=all`);
  await onTop(page, '#queue-split #queue-table [aria-current="true"]').waitFor();
  const table = (await onTop(page, '#queue-table').boundingBox())!;
  const pane = (await onTop(page, '#ticket-pane').boundingBox())!;
  expect(table.x + table.width).toBeLessThanOrEqual(pane.x);
  expect(pane.y).toBeLessThan(table.y + table.height);
  const first = (await onTop(page, '#queue-table [aria-current="true"]').getAttribute('id'))!.replace('op-ticket-', '');
  await onTop(page, '#detail-number').filter({ hasText: first }).waitFor();
  // Another row opens in the pane, without leaving the queue.
  const other = onTop(page, '#queue-table [data-state]:not([aria-current])').first();
  const number = (await other.getAttribute('id'))!.replace('op-ticket-', '');
  await other.click();
  await onTop(page, '#detail-number').filter({ hasText: number }).waitFor();
  expect(page.url()).toContain('/packageOperator/pages/queue/index');
  await shotPage(page, 'workbench-11-queue-split');

  // Keyboard only: from the top of the page, Tab reaches 来电登记 in the nav and Enter opens it.
  await page.goto(`${rt.url}/packageOperator/pages/queue/index`);
  await onTop(page, '#op-nav-intake').waitFor();
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await tabTo(page, 'op-nav-intake', 20);
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/packageOperator\/pages\/intake\/index/);
  await onTop(page, '#intake-form').waitFor();
});

test('templates: an operator keeps a refusal template and sends it; a unit fills its reply from one', async () => {
  await page.goto(`${rt.url}/packageOperator/pages/admin/index?tab=templates`);
  await onTop(page, '#template-form').waitFor();
  await onTop(page, '#template-kind-refusal').click();
  await fillField(page, 'template-title', '已进入诉讼程序');
  await fillField(page, 'template-text', '您反映的事项已进入诉讼程序，请依照法定程序处理。');
  await onTop(page, '#template-save').click();
  await onTop(page, '#templates-of-refusal').filter({ hasText: '已进入诉讼程序' }).waitFor();
  await onTop(page, '#template-kind-reply').click();
  await fillField(page, 'template-title', '占道经营已清理');
  await fillField(page, 'template-text', '经现场核查，占道摊点已清理，我局将加强巡查。');
  await onTop(page, '#template-save').click();
  await onTop(page, '#templates-of-reply').filter({ hasText: '占道经营已清理' }).waitFor();
  await shotPage(page, 'workbench-12-templates');

  const r = await rt.call<{ ticket: { id: string } }>('demo-resident', 'resident', {
    action: 'submit',
    input: { clientRequestId: `e2e-wb-refuse-${Date.now()}`, type: 'complaint', category: '市容环境', content: '邻居和我的房屋买卖合同纠纷，法院已经立案了。', contact: { name: '张明', phone: '13800001234' } },
  });
  await page.goto(`${rt.url}/packageOperator/pages/ticket/index?id=${r.ticket.id}`);
  await onTop(page, '#action-refuse').click();
  const chip = onTop(page, '#templates-refusal .chip').filter({ hasText: '已进入诉讼程序' });
  await chip.click();
  await expect(fieldValue(page, 'refuse-note')).resolves.toBe('您反映的事项已进入诉讼程序，请依照法定程序处理。');
  await onTop(page, '#form-refuse .op-ground').first().click();
  await onTop(page, '#refuse-submit').click();
  await onTop(page, '#fact-rejection').waitFor();
  expect((await get(r.ticket.id)).rejection?.note).toBe('您反映的事项已进入诉讼程序，请依照法定程序处理。');

  const id = await signedComplaint('人民路夜市摊点占用人行道，行人只能走机动车道。');
  const unit = await desktop(browser);
  const staffPage = await unit.newPage();
  try {
    await signIn(staffPage, 'demo-staff-cg');
    await staffPage.goto(`${rt.url}/packageStaff/pages/action/index?id=${id}&type=reply`);
    await onTop(staffPage, '#templates-reply .chip').filter({ hasText: '占道经营已清理' }).click();
    await expect(fieldValue(staffPage, 'reply-result')).resolves.toBe('经现场核查，占道摊点已清理，我局将加强巡查。');
    await shotPage(staffPage, 'workbench-13-unit-reply-template');
  } finally {
    await unit.close();
  }
});

test('switching the regulation shows what changes before it is confirmed; the platform-set numbers have a form', async () => {
  await page.goto(`${rt.url}/packageOperator/pages/admin/index?tab=profile`);
  await onTop(page, '#profile-option-linyi').click();
  await onTop(page, '#profile-apply').click();
  await onTop(page, '#profile-confirm').filter({ hasText: '临沂市12345政务服务便民热线条例' }).waitFor();
  expect(await onTop(page, '#profile-change-termination').textContent()).toContain('第十九条');
  expect(await onTop(page, '#profile-changes .op-kv').count()).toBeGreaterThan(5);
  await shotPage(page, 'workbench-14-switch-confirm');
  // Cancelled: nothing changes.
  await onTop(page, '#profile-confirm-cancel').click();
  expect((await profileId()).id).toBe('hohhot');
  await onTop(page, '#profile-apply').click();
  await onTop(page, '#profile-confirm-apply').click();
  await onTop(page, '#profile-done').filter({ hasText: '临沂' }).waitFor();
  expect((await profileId()).id).toBe('linyi');

  // An override of a platform-set number, previewed and confirmed.
  await fillField(page, 'override-input-supervision-manyRequesters-count', '8');
  await onTop(page, '#overrides-preview').click();
  await onTop(page, '#profile-change-supervision-many').filter({ hasText: '8人' }).waitFor();
  await shotPage(page, 'workbench-15-override-confirm');
  await onTop(page, '#profile-confirm-apply').click();
  await onTop(page, '#profile-done').filter({ hasText: '已调整' }).waitFor();
  expect((await profileId()).supervision.manyRequesters.count).toBe(8);
});

test('linyi 18, 19: the unit proposes termination with proof; the operator decides with a reason and the ticket ends citing the article', async () => {
  const id = await signedComplaint('人民路夜市摊主要求在盲道上长期设摊，诉求人坚持要求批准。');
  const unit = await desktop(browser);
  const staffPage = await unit.newPage();
  try {
    await signIn(staffPage, 'demo-staff-cg');
    await staffPage.goto(`${rt.url}/packageStaff/pages/action/index?id=${id}&type=proposeTermination`);
    await onTop(staffPage, '#termination-ground-unlawful-explained').click();
    await onTop(staffPage, '#termination-article').filter({ hasText: '第十九条' }).waitFor();
    await fillField(staffPage, 'termination-reason', '已两次当面解释盲道不得设摊的规定，诉求人仍坚持，解释记录见附件。');
    await onTop(staffPage, '#action-submit').click();
    await onTop(staffPage, '#error-attachments').filter({ hasText: '证明材料' }).waitFor();
    const chooser = staffPage.waitForEvent('filechooser');
    await onTop(staffPage, '#add-photo').click();
    await (await chooser).setFiles({ name: 'record.png', mimeType: 'image/png', buffer: PNG });
    await onTop(staffPage, '#media-item-0.media-item--done').waitFor({ timeout: 20_000 });
    await shotPage(staffPage, 'workbench-16-unit-proposes-termination');
    await onTop(staffPage, '#action-submit').click();
    await onTop(staffPage, '#staff-pending-termination').filter({ hasText: '第十九条' }).waitFor();
  } finally {
    await unit.close();
  }

  await page.goto(`${rt.url}/packageOperator/pages/ticket/index?id=${id}`);
  await onTop(page, '#action-reviewTermination').click();
  expect(await onTop(page, '#op-action-bar').textContent()).not.toContain('终止办理');
  await onTop(page, '#pending-termination').filter({ hasText: '第十九条' }).waitFor();
  expect(await onTop(page, '#pending-termination-proof').textContent()).toContain('1个附件');
  await onTop(page, '#reviewTermination-approve').click();
  await onTop(page, '#reviewTermination-problem').filter({ hasText: '审核意见' }).waitFor();
  await fillField(page, 'reviewTermination-note', '解释说明记录齐全，同意终止办理。');
  await onTop(page, '#reviewTermination-approve').click();
  expect(await onTop(page, '#reviewTermination-consequence').textContent()).toContain('依据第十九条终止办理');
  await onTop(page, '#reviewTermination-confirm').click();
  await onTop(page, '#fact-termination').filter({ hasText: '依据第十九条' }).waitFor();
  await shotPage(page, 'workbench-17-termination-approved');
  expect(await get(id)).toMatchObject({ state: 'terminated', termination: { groundCode: 'unlawful-explained', article: '第十九条', proposedByUnitId: 'u-chengguan', reason: '解释说明记录齐全，同意终止办理。' } });
});

test('baiyin 19: the operator terminates on a ground of the article, chosen with its text', async () => {
  await rt.call('demo-operator', 'admin', { action: 'setProfile', profileId: 'baiyin', overrides: [] });
  const id = await signedComplaint('要求城管局把人民路夜市整条街都划给我一个人经营。');
  await page.goto(`${rt.url}/packageOperator/pages/ticket/index?id=${id}`);
  await onTop(page, '#action-terminate').click();
  await fillField(page, 'terminate-reason', '已向诉求人说明：公共道路不能划归个人经营。');
  await onTop(page, '#terminate-submit').click();
  await onTop(page, '#terminate-problem').filter({ hasText: '请选择终止办理的情形' }).waitFor();
  await onTop(page, '#termination-ground-unlawful').click();
  await onTop(page, '#termination-article').filter({ hasText: '第十九条第一款' }).waitFor();
  await onTop(page, '#terminate-submit').click();
  expect(await onTop(page, '#terminate-consequence').textContent()).toContain('依据第十九条第一款终止办理');
  await shotPage(page, 'workbench-18-baiyin-ground');
  await onTop(page, '#terminate-confirm').click();
  await onTop(page, '#fact-termination').filter({ hasText: '依据第十九条第一款' }).waitFor();
  expect((await get(id)).termination).toMatchObject({ groundCode: 'unlawful', article: '第十九条第一款' });
});

test('a resident sees 110/119/120 beside 情况紧急, which is a hint the operator sees; a grid worker raises the urgency of a report', async () => {
  let phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  let p = await phone.newPage();
  try {
    await signIn(p, 'demo-resident');
    await p.goto(`${rt.url}/pages/submit/index`);
    await onTop(p, '#field-content').waitFor();
    const lines = (await onTop(p, '#emergency-lines').textContent())!;
    for (const n of ['110', '119', '120']) expect(lines).toContain(n);
    await onTop(p, '#type-complaint').click();
    await fillField(p, 'field-category-input', '市容环境');
    await fillField(p, 'field-content', '人民路井盖缺失，晚上看不清，已经有人差点掉进去。');
    await onTop(p, '#field-urgent-hint').click();
    await onTop(p, '#urgent-hint-explained').waitFor();
    await shotPage(p, 'workbench-19-resident-urgent-hint');
    await onTop(p, '#submit-button').click();
    await p.waitForURL(/\/pages\/result\/index\?.*id=/);
    const id = new URL(p.url()).searchParams.get('id')!;
    expect(await get(id)).toMatchObject({ urgency: 'normal', urgentHint: true });
    await page.goto(`${rt.url}/packageOperator/pages/ticket/index?id=${id}`);
    await onTop(page, '#fact-urgent-hint').waitFor();

    // The grid worker's own report, raised to 紧急 from the urgency screen.
    const g = await rt.call<{ ticket: { id: string } }>('demo-grid', 'resident', {
      action: 'submit',
      input: { clientRequestId: `e2e-wb-grid-${Date.now()}`, type: 'help', category: '市政设施', content: '幸福路雨水井堵塞，路面开始积水。', location: { address: '幸福路12号', area: '东区街道' } },
    });
    await phone.close();
    phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    p = await phone.newPage();
    await signIn(p, 'demo-grid');
    await p.goto(`${rt.url}/packageGrid/pages/urgency/index`);
    await onTop(p, `#urgency-item-${g.ticket.id}`).waitFor();
    expect(await onTop(p, `#urgency-current-${g.ticket.id}`).textContent()).toBe('一般');
    await onTop(p, `#urgency-${g.ticket.id}-urgent`).click();
    await onTop(p, '#urgency-confirm').click();
    await onTop(p, '#urgency-problem').filter({ hasText: '现场情况' }).waitFor();
    await fillField(p, 'urgency-reason', '积水已漫进一楼商户，水位还在上涨。');
    await onTop(p, '#urgency-confirm').click();
    await onTop(p, `#urgency-current-${g.ticket.id}`).filter({ hasText: '紧急' }).waitFor();
    await shotPage(p, 'workbench-20-grid-urgency');
    expect((await get(g.ticket.id)).urgency).toBe('urgent');
  } finally {
    await phone.close();
  }
});
