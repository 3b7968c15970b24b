/**
 * Handling-unit staff in the browser (h5 build against the local runtime, pingli profile):
 * inbox with counts and colours, an assisting unit's feedback, the lead unit's sign → contact →
 * reply (a complaint: case number, pingli 15), a return and an extension through the forms, a
 * confidential request, binding with an invite, amber and red as the clock moves, the overdue
 * reminder on the 消息 page, and the subscription credits.
 */
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { launchBrowser, phoneContext, shot as viewportShot, startRuntime, type Runtime } from './harness';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

interface TicketRef {
  id: string;
  number: string;
}
type View = { ticket: { id: string; number: string; version: number; state: string } };

let rt: Runtime;
let browser: Browser;
let lead: BrowserContext;
let leadPage: Page;
const t: Record<'A' | 'B' | 'C' | 'D' | 'E' | 'F', TicketRef> = {} as never;
let seq = 0;

/**
 * A screenshot of the whole page. Taro's h5 page scrolls inside `.taro_page` (100% of the viewport),
 * so a full-page shot would stop at the viewport: the viewport is made as tall as the page for the
 * shot. (Restyling the page instead made mobile Chromium change its zoom and miss later taps.)
 */
async function shot(page: Page, name: string) {
  await page.waitForTimeout(400); // Taro's page slide (300 ms) widens the document while it runs.
  const size = page.viewportSize()!;
  const height = await page.evaluate(() => Math.max(...Array.from(document.querySelectorAll('.taro_page'), (p) => (p as HTMLElement).scrollHeight)));
  await page.setViewportSize({ width: size.width, height: Math.max(size.height, Math.min(height, 6000)) });
  try {
    await viewportShot(page, name);
  } finally {
    await page.setViewportSize(size);
  }
}

/** The server's clock (the dev clock endpoint answers with it). */
async function serverNow(): Promise<number> {
  const res = await fetch(`${rt.url}/api/_dev/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs: 0 }) });
  return ((await res.json()) as { data: { now: number } }).data.now;
}

/** A new token after the clock moved (tokens last 7 days on the server's clock), put where the app keeps it. */
async function freshSession(page: Page, userId: string) {
  const res = await fetch(`${rt.url}/api/auth`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'login', userId }) });
  const { data } = (await res.json()) as { data: { token: string; user: unknown } };
  await page.evaluate(([token, user]) => {
    localStorage.setItem('session-token', JSON.stringify({ data: token }));
    localStorage.setItem('session-user', JSON.stringify({ data: JSON.stringify(user) }));
  }, [data.token, data.user] as const);
}

/** The visible element: Taro keeps earlier pages of the stack in the DOM, hidden. */
const $ = (page: Page, sel: string): Locator => page.locator(`${sel} >> visible=true`).first();

async function uploadAs(userId: string): Promise<string> {
  const res = await fetch(`${rt.url}/api/upload?name=photo.png`, { method: 'POST', headers: { authorization: `Bearer ${await rt.token(userId)}`, 'content-type': 'image/png' }, body: PNG });
  const body = (await res.json()) as { ok: boolean; data: { fileId: string } };
  if (!body.ok) throw new Error(`upload: ${JSON.stringify(body)}`);
  return body.data.fileId;
}

async function operator(command: Record<string, unknown>): Promise<View> {
  const current = await rt.call<View>('demo-operator', 'operator', { action: 'get', ticketId: command.ticketId });
  return rt.call<View>('demo-operator', 'operator', { action: 'command', command: { ...command, expectedVersion: current.ticket.version } });
}

/** A resident's request, accepted and dispatched by the operator. */
async function dispatched(opts: { type: string; content: string; confidential?: boolean; assist?: boolean; photo?: boolean; by?: string }): Promise<TicketRef> {
  const by = opts.by ?? 'demo-resident';
  const attachments = opts.photo ? [{ fileId: await uploadAs(by), kind: 'image' }] : [];
  const sub = await rt.call<View>(by, 'resident', {
    action: 'submit',
    input: {
      clientRequestId: `staff-e2e-${++seq}-${Date.now()}`,
      type: opts.type,
      category: '市容环境',
      content: opts.content,
      location: { address: '东区人民路12号', area: '东区街道' },
      contact: { name: by === 'demo-resident' ? '张明' : '李芳', phone: by === 'demo-resident' ? '13800001234' : '13900005678' },
      confidential: !!opts.confidential,
      attachments,
    },
  });
  const ticketId = sub.ticket.id;
  await operator({ type: 'accept', ticketId });
  await operator({ type: 'dispatch', ticketId, mode: opts.assist ? 'lead' : 'single', unitIds: ['u-chengguan'], assistUnitIds: opts.assist ? ['u-dongqu'] : [] });
  return { id: ticketId, number: sub.ticket.number };
}

async function staffCommand(userId: string, command: Record<string, unknown>) {
  const d = await rt.call<View>(userId, 'staff', { action: 'get', ticketId: command.ticketId });
  return rt.call<View>(userId, 'staff', { action: 'command', command: { ...command, expectedVersion: d.ticket.version } });
}

async function signIn(page: Page, userId: string) {
  await page.goto(rt.url);
  await $(page, `#login-user-${userId}`).click();
  await $(page, '#current-user').waitFor();
}

async function openInbox(page: Page) {
  await page.goto(`${rt.url}/packageStaff/pages/inbox/index`);
  await $(page, '#inbox-list').waitFor();
}

async function openTicket(page: Page, ref: TicketRef) {
  await $(page, `#inbox-ticket-${ref.number}`).click();
  await $(page, '#page-staff-ticket #detail-number').waitFor();
  await expectText($(page, '#detail-number'), ref.number);
}

async function expectText(l: Locator, text: string | RegExp) {
  await l.waitFor();
  for (let i = 0; i < 50; i++) {
    const s = (await l.textContent()) ?? '';
    if (typeof text === 'string' ? s.includes(text) : text.test(s)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect((await l.textContent()) ?? '').toMatch(text);
}

/** Waits until the inbox lists exactly these tickets (in any order). */
async function expectIds(page: Page, refs: TicketRef[]) {
  const want = refs.map((r) => `inbox-ticket-${r.number}`).sort();
  let got: string[] = [];
  for (let i = 0; i < 50; i++) {
    got = (await $(page, '#inbox-list').locator('.inbox-item').evaluateAll((els) => els.map((e) => e.id))).sort();
    if (JSON.stringify(got) === JSON.stringify(want)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(got).toEqual(want);
}

async function fill(page: Page, sel: string, value: string) {
  await $(page, sel).fill(value);
}

async function addPhoto(page: Page, name: string) {
  const chooser = page.waitForEvent('filechooser');
  await $(page, '#add-photo').click();
  await (await chooser).setFiles({ name, mimeType: 'image/png', buffer: PNG });
  await $(page, '#media-item-0.media-item--done').waitFor({ timeout: 20_000 });
}

/** Submits the action form and waits for the ticket page to come back with the new state. */
async function submitAction(page: Page, stateLabel?: string) {
  await $(page, '#action-submit').click();
  await $(page, '#page-staff-ticket').waitFor();
  if (stateLabel) await expectText($(page, '#detail-state'), stateLabel);
}

async function urgencyOf(page: Page, ref: TicketRef) {
  return $(page, `#inbox-ticket-${ref.number}`).getAttribute('data-urgency');
}

beforeAll(async () => {
  rt = await startRuntime({ profile: 'pingli' });
  browser = await launchBrowser();
  t.A = await dispatched({ type: 'complaint', content: '人民路夜市占道经营，油烟和噪声影响居民休息', assist: true, photo: true });
  t.B = await dispatched({ type: 'help', content: '小区门口路灯不亮，晚上出行不便，请协调修复', by: 'demo-resident2' });
  t.C = await dispatched({ type: 'help', content: '人民路人行道多处地砖松动翘起，雨天容易绊倒' });
  t.D = await dispatched({ type: 'consultation', content: '请问在自家门口搭建遮阳棚需要办理什么审批手续', by: 'demo-resident2' });
  t.E = await dispatched({ type: 'complaint', content: '楼下餐馆长期把垃圾堆在绿化带里，要求保密处理', confidential: true });
  // C and D are already signed: they sit under 办理中.
  await staffCommand('demo-staff-cg', { type: 'sign', ticketId: t.C.id });
  await staffCommand('demo-staff-cg', { type: 'sign', ticketId: t.D.id });
  // F is finished (replied, approved): history, not work.
  t.F = await dispatched({ type: 'help', content: '滨河路垃圾桶破损，已经影响周边卫生' });
  await staffCommand('demo-staff-cg', { type: 'sign', ticketId: t.F.id });
  await staffCommand('demo-staff-cg', { type: 'contact', ticketId: t.F.id, method: 'phone', note: '已电话联系诉求人' });
  await staffCommand('demo-staff-cg', { type: 'reply', ticketId: t.F.id, result: '已更换新的垃圾桶，经现场核实已办结', handler: '刘洋' });
  await operator({ type: 'reviewResult', ticketId: t.F.id, approve: true });
  lead = await phoneContext(browser);
  leadPage = await lead.newPage();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

test('home and inbox: badge, filter counts, nearest deadline first, masked phones', async () => {
  const page = leadPage;
  await signIn(page, 'demo-staff-cg');
  await $(page, '#staff-entries').waitFor();
  await expectText($(page, '#entry-staff-inbox-badge'), '3');
  await expectText($(page, '#entry-staff-summary'), '待签收3件');
  await shot(page, 'staff-01-home');

  await $(page, '#entry-staff-inbox').click();
  await $(page, '#page-staff-inbox').waitFor();
  await $(page, `#inbox-ticket-${t.A.number}`).waitFor();
  await expectText($(page, '#inbox-count-toSign'), '3');
  await expectText($(page, '#inbox-count-inProgress'), '2');
  // The server sorts by the nearest deadline: the unsigned ones (24 h to sign, pingli 10(1)) in
  // dispatch order, then the consultation (2 working days), then the request for help (5).
  const order = await $(page, '#inbox-list').locator('.inbox-item').evaluateAll((els) => els.map((e) => e.id));
  expect(order).toEqual([t.A, t.B, t.E, t.D, t.C].map((r) => `inbox-ticket-${r.number}`));
  await expectText($(page, `#inbox-ticket-${t.A.number} .inbox-item__requester-shown`), '138****1234');
  expect(await $(page, '#inbox-list').textContent()).not.toContain('13800001234');
  await expectText($(page, `#inbox-ticket-${t.E.number} .inbox-item__requester-shown`), '通过平台联系');
  expect(await $(page, `#inbox-ticket-${t.E.number}`).textContent()).not.toMatch(/\d{3}\*{4}\d{4}/);
  await $(page, '#reminders-low').waitFor();
  await shot(page, 'staff-02-inbox');

  await $(page, '#inbox-tab-toSign').click();
  await expectIds(page, [t.A, t.B, t.E]);
  // 全部 holds the open work only (F is not in the order above); the finished one is under 已办结.
  await $(page, '#inbox-tab-done').click();
  await expectIds(page, [t.F]);
  expect(await page.locator('#inbox-count-done').count()).toBe(0);
  await $(page, '#inbox-tab-all').click();
});

test('assisting unit signs and feeds back to the lead unit through the UI', async () => {
  const ctx = await phoneContext(browser);
  const page = await ctx.newPage();
  await signIn(page, 'demo-staff-dq');
  await openInbox(page);
  await openTicket(page, t.A);
  await expectText($(page, '#staff-my-role'), '本单位协办');
  expect(await $(page, '#staff-actions').locator('[id^="action-"]').evaluateAll((els) => els.map((e) => e.id))).toEqual(['action-sign', 'action-assistFeedback']);

  await $(page, '#action-sign').click();
  await expectText($(page, '#action-title'), '签收');
  await submitAction(page);
  await $(page, '#action-assistFeedback').waitFor();
  await page.waitForFunction(() => !document.querySelector('#action-sign'));

  await $(page, '#action-assistFeedback').click();
  await $(page, '#action-deadline').waitFor();
  await $(page, '#action-submit').click();
  await $(page, '#error-note').waitFor();
  await fill(page, '#feedback-note textarea', '东区街道已到现场核实，夜市摊位在人民路东段，已通知社区配合整治');
  await addPhoto(page, 'scene.png');
  await shot(page, 'staff-03-assist-feedback');
  await submitAction(page);
  await expectText($(page, '#timeline'), '协办单位反馈');
  await ctx.close();
});

test('lead unit: sees the feedback, signs, logs a contact and replies to a complaint with a case number', async () => {
  const page = leadPage;
  await openInbox(page);
  await openTicket(page, t.A);
  await expectText($(page, '#staff-my-role'), '本单位主办');
  await expectText($(page, '#staff-assist'), '东区街道已到现场核实');
  // The assisting unit is named, in its feedback and on the timeline.
  await expectText($(page, '#staff-assist .staff-feedback .muted'), '东区街道办事处');
  await expectText($(page, '#timeline .timeline-item[data-type="assistFeedback"]'), '东区街道办事处');
  // Files someone else attached load through media.url with the ticket id.
  await $(page, '#staff-assist .attachments__img').waitFor();
  await $(page, '#detail-attachments-image-0 .attachments__img').waitFor();
  await expectText($(page, '#staff-requester-phone'), '138****1234');
  await expectText($(page, '#deadline-basis'), '平利县');
  await shot(page, 'staff-04-ticket');

  await $(page, '#action-sign').click();
  await expectText($(page, '#sign-deadline'), '第十条第（一）项');
  await submitAction(page, '办理中');

  await $(page, '#action-contact').click();
  await $(page, '#contact-method-visit').click();
  await fill(page, '#contact-note textarea', '已上门与诉求人沟通，告知整治安排');
  await submitAction(page);
  await expectText($(page, '#staff-contacts'), '已联系1次');
  // Staff read wording meant for them, not the resident's 已与您联系.
  await expectText($(page, '#timeline .timeline-item[data-type="contact"] .timeline-item__label'), '承办单位已联系诉求人');

  await $(page, '#action-reply').click();
  await $(page, '#reply-case').waitFor();
  await fill(page, '#reply-result textarea', '已依法取缔人民路东段占道夜市摊位，并建立每日巡查机制');
  await fill(page, '#reply-legal-basis textarea', '《城市市容和环境卫生管理条例》第十四条');
  await fill(page, '#reply-notified-by input', '电话告知');
  await $(page, '#action-submit').click();
  await $(page, '#error-caseNumber').waitFor();
  await fill(page, '#reply-case-number input', 'CG-2026-1121');
  await page.locator('#reply-case-date input[type="date"] >> visible=true').fill('2026-11-21');
  await shot(page, 'staff-05-reply');
  await submitAction(page, '结果待审核');
  await $(page, '#detail-reply').waitFor();
  // Replied: nothing is left to handle; what remains is the unit's appeal of how the ticket is counted (pingli 31).
  await $(page, '#action-appealCounting').waitFor();
  expect(await page.locator('.taro_page:not(.taro_page_shade) [id^="action-"]').evaluateAll((els) => els.map((e) => e.id))).toEqual(['action-appealCounting']);
  const view = await rt.call<{ ticket: { state: string; reply: { caseNumber: string; handler: string } } }>('demo-operator', 'operator', { action: 'get', ticketId: t.A.id });
  expect(view.ticket.state).toBe('replied');
  expect(view.ticket.reply).toMatchObject({ caseNumber: 'CG-2026-1121', handler: '刘洋（城管局）' });
});

test('return request with its window and a proof photo', async () => {
  const page = leadPage;
  await openInbox(page);
  await openTicket(page, t.B);
  await $(page, '#action-requestReturn').click();
  await expectText($(page, '#return-window'), '2个工作日');
  await expectText($(page, '#return-window'), '第十条第（二）项');
  await $(page, '#return-window-end').waitFor();
  expect(await page.locator('#return-proof-required >> visible=true').count()).toBe(0);
  await fill(page, '#return-reason textarea', '路灯属于供电公司维护范围，不属于城管局职责');
  await fill(page, '#return-basis textarea', '市政府办公室关于城市照明设施管理职责分工的通知');
  await addPhoto(page, 'proof.png');
  await shot(page, 'staff-06-return');
  await submitAction(page, '退回待审核');
  await expectText($(page, '#staff-pending'), '退回申请待平台审核');
  const view = await rt.call<{ ticket: { state: string; pendingReturn: { reason: string } } }>('demo-operator', 'operator', { action: 'get', ticketId: t.B.id });
  expect(view.ticket.state).toBe('returnRequested');
});

test('extension request: what pingli 13 allows, a too-long ask refused, then approved', async () => {
  const page = leadPage;
  await openInbox(page);
  await openTicket(page, t.C);
  await $(page, '#action-requestExtension').click();
  await expectText($(page, '#extension-count'), '最多延期2次');
  await expectText($(page, '#extension-used'), '0');
  await expectText($(page, '#extension-length'), '原办理期限（5个工作日）');
  await expectText($(page, '#extension-citation'), '第十三条');
  await $(page, '#action-deadline-countdown').waitFor();
  await fill(page, '#extension-reason textarea', '地砖需统一采购，供货周期较长');
  await $(page, '#extension-mode-custom').click();
  await fill(page, '#extension-amount input', '6');
  await $(page, '#action-submit').click();
  await expectText($(page, '#error-span'), '每次延期不超过5个工作日');
  await fill(page, '#extension-amount input', '3');
  await shot(page, 'staff-07-extension');
  await submitAction(page, '延期待审核');
  await expectText($(page, '#staff-pending'), '延期申请待平台审核');

  await operator({ type: 'reviewExtension', ticketId: t.C.id, approve: true });
  await $(page, '#staff-refresh').click();
  await expectText($(page, '#deadline-basis'), '延期3个工作日');
  await $(page, '#action-requestExtension').click();
  await expectText($(page, '#extension-used'), '1');
  await $(page, '#action-cancel').click();
});

test('a confidential request shows 通过平台联系 and no phone', async () => {
  const page = leadPage;
  await openInbox(page);
  await openTicket(page, t.E);
  await expectText($(page, '#staff-requester-shown'), '通过平台联系');
  await $(page, '#staff-requester-confidential').waitFor();
  expect(await page.locator('#staff-requester-phone >> visible=true').count()).toBe(0);
  const text = (await $(page, '#page-staff-ticket').textContent()) ?? '';
  expect(text).not.toMatch(/1[3-9]\d\*{4}\d{4}|13800001234|张明/);
  await shot(page, 'staff-08-confidential');
});

test('binding: a resident redeems an operator invite and becomes staff of the unit', async () => {
  const { code } = await rt.call<{ code: string }>('demo-operator', 'admin', { action: 'invite', unitId: 'u-dongqu' });
  const ctx = await phoneContext(browser);
  const page = await ctx.newPage();
  await signIn(page, 'demo-resident2');
  await $(page, '#entry-staff-join').click();
  await $(page, '#page-staff-bind').waitFor();
  await fill(page, '#bind-code input', 'BAD');
  await $(page, '#bind-submit').click();
  await $(page, '#error-code').waitFor();
  await fill(page, '#bind-code input', code);
  await fill(page, '#bind-name input', '李芳');
  await $(page, '#bind-submit').click();
  await expectText($(page, '#bind-unit'), '东区街道办事处');
  await shot(page, 'staff-09-bound');
  await $(page, '#bind-go-inbox').click();
  await $(page, '#page-staff-inbox #inbox-list').waitFor();
  await ctx.close();
});

test('reminders: subscribe from a tap, credits shown; amber within the warning window; red when overdue, with its reminder in 消息', async () => {
  const page = leadPage;
  await page.goto(`${rt.url}/packageStaff/pages/messages/index`);
  await $(page, '#reminders').waitFor();
  await expectText($(page, '#credit-overdue'), '已用完');
  await $(page, '#subscribe-deadline').click();
  await expectText($(page, '#subscribe-result'), '已续订');
  await expectText($(page, '#credit-overdue'), '剩1次');
  expect(await $(page, '#credit-supervised').getAttribute('data-count')).toBe('0');

  // Moved to the afternoon of D's due day (a consultation: 2 working days, pingli 12(1)): within
  // the warning window (1 working day) whatever weekday the test runs on.
  const due = (await rt.call<{ deadline: { dueAt: number } }>('demo-operator', 'operator', { action: 'get', ticketId: t.D.id })).deadline.dueAt;
  await rt.advance(due - 6 * 3_600_000 - (await serverNow()));
  await freshSession(page, 'demo-staff-cg');
  await openInbox(page);
  await expect(urgencyOf(page, t.D)).resolves.toBe('warning');
  await expect(urgencyOf(page, t.C)).resolves.toBe('normal');
  await shot(page, 'staff-10-inbox-amber');

  // An hour past D's deadline: the timer marks it overdue and sends the reminder.
  await rt.advance(due + 3_600_000 - (await serverNow()));
  await rt.runTimer();
  await freshSession(page, 'demo-staff-cg');
  await openInbox(page);
  await expect(urgencyOf(page, t.D)).resolves.toBe('overdue');
  await expectText($(page, `#inbox-ticket-${t.D.number} .inbox-item__flag`), '已超期');
  await $(page, '#inbox-count-supervised').waitFor();
  await shot(page, 'staff-11-inbox-overdue');

  await openTicket(page, t.D);
  expect(await $(page, '#staff-urgency').getAttribute('data-urgency')).toBe('overdue');
  await expectText($(page, '#staff-urgency-basis'), '第十二条');
  await shot(page, 'staff-12-ticket-overdue');

  await page.goto(`${rt.url}/packageStaff/pages/messages/index`);
  const reminder = $(page, `.staff-message--overdue[data-ticket="${t.D.number}"]`);
  await reminder.waitFor();
  await expectText(reminder, '诉求已超期');
  // The one-time subscription was used by the reminder.
  await expectText($(page, '#credit-overdue'), '已用完');
  await shot(page, 'staff-13-messages');
  // The 待签收 notice of a ticket replied to since says where that ticket is now.
  const assigned = $(page, `.staff-message--assigned[data-ticket="${t.A.number}"]`).first();
  await expectText(assigned, '待签收');
  await expectText(assigned, '现在：结果待审核');
  await reminder.click();
  await expectText($(page, '#detail-number'), t.D.number);
});

test('关怀模式: the staff pages take the larger text', async () => {
  const page = leadPage;
  await page.evaluate(() => localStorage.setItem('care-mode', JSON.stringify({ data: '1' })));
  await openInbox(page);
  await $(page, '#page-staff-inbox.care').waitFor();
  await shot(page, 'staff-14-inbox-care');
  await openTicket(page, t.C);
  await $(page, '#action-contact').click();
  await $(page, '#page-staff-action.care').waitFor();
  const size = (sel: string) => $(page, sel).evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(await size('#contact-note textarea')).toBeGreaterThanOrEqual(19);
  await shot(page, 'staff-15-contact-care');
  await page.evaluate(() => localStorage.removeItem('care-mode'));
  await page.reload();
  await $(page, '#page-staff-action:not(.care) #contact-note').waitFor();
  // Without 关怀模式 still 16 px: a smaller field makes a phone's browser zoom in on focus.
  expect(await size('#contact-note textarea')).toBeGreaterThanOrEqual(16);
});
