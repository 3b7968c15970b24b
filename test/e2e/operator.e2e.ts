/**
 * The platform operator's unhappy paths in the h5 build (pingli profile), at PC width: a return
 * approved and the ticket dispatched again; one extension approved and one rejected; a ticket
 * overdue after a timer run → the reminder in the outboxes → on the supervision board → 督办;
 * termination with a reason; refusal with a ground and its article; an answer from the knowledge
 * base; the dashboard's figures and CSV export; a QR poster with a real image; staff invites and a
 * new year's calendar. The residents' and units' steps around them go through the API.
 * Screenshots: test-output/e2e/operator-*.png.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, phoneContext, startRuntime, type Runtime } from './harness';
import { eventually, fieldValue, fillField, onTop, shotPage } from './fixtures/app';

jest.setTimeout(180_000);

const DAY = 86_400_000;

interface Ticket {
  id: string;
  number: string;
  state: string;
  version: number;
  counters: { extensions: number; returns: number };
  deadlines: { kind: string; dueAt: number; status: string }[];
  supervision: { level: number; triggers: string[] };
  rejection?: { groundCode: string; article: string };
  termination?: { reason: string };
  answer?: { text: string; articleId?: string };
  assignments: { unitId: string; role: string }[];
}

let rt: Runtime;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let seq = 0;

async function post<T>(path: string, body: unknown, token?: string): Promise<{ ok: boolean; data?: T; code?: string; message?: string }> {
  const res = await fetch(`${rt.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  return (await res.json()) as { ok: boolean; data?: T; code?: string; message?: string };
}

/**
 * A call as a demo user with a token signed now. The harness keeps the first token per user, and
 * tokens last 7 days on the runtime's clock, which the overdue case moves past.
 */
async function call<T = unknown>(userId: string, fn: string, event: Record<string, unknown>): Promise<T> {
  const login = await post<{ token: string }>('/api/auth', { action: 'login', userId });
  const r = await post<T>(`/api/${fn}`, event, login.data?.token);
  if (!r.ok) throw new Error(`${fn}.${String(event.action)} as ${userId}: ${r.code} ${r.message}`);
  return r.data as T;
}

const serverNow = async () => (await post<{ now: number }>('/api/_dev/clock', { advanceMs: 0 })).data!.now;
const opCommand = (command: Record<string, unknown>) => call('demo-operator', 'operator', { action: 'command', command });
const staffCommand = (who: string, command: Record<string, unknown>) => call(who, 'staff', { action: 'command', command });
const get = async (id: string) => (await call<{ ticket: Ticket }>('demo-operator', 'operator', { action: 'get', ticketId: id })).ticket;

/**
 * Signs the page in as the operator (again, after the runtime's clock left the session behind).
 * With a session the clock has left behind, the app signs itself out as the page settles: 切换用户
 * can go between being seen and being clicked (a CI run waited 30 s on it). So wait for either
 * control, and click 切换用户 only while it is still there.
 */
async function signInOperator(p: Page) {
  await p.goto(`${rt.url}/`);
  const pick = onTop(p, '#login-user-demo-operator');
  const logout = onTop(p, '#logout-button');
  await pick.or(logout).first().waitFor();
  if (await logout.isVisible()) await logout.click({ timeout: 5_000 }).catch(() => undefined);
  await pick.click();
  await onTop(p, '#operator-entries').waitFor();
}

async function submit(type = 'complaint', content?: string, who = 'demo-resident'): Promise<Ticket> {
  seq += 1;
  const r = await call<{ ticket: Ticket }>(who, 'resident', {
    action: 'submit',
    input: {
      clientRequestId: `e2e-op-${Date.now()}-${seq}`,
      type,
      category: type === 'consultation' ? '社会保障' : '市容环境',
      content: content ?? `东区街道第${seq}号路口的垃圾桶三天没有清运，气味很大，影响居民生活。`,
      location: { address: `东区街道第${seq}号路口`, area: '东区街道' },
      contact: { name: '张明', phone: '13800001234' },
    },
  });
  return r.ticket;
}

/** Submitted, accepted and dispatched to one unit, through the API. */
async function dispatchedTo(unitId: string): Promise<Ticket> {
  const t = await submit();
  await opCommand({ type: 'accept', ticketId: t.id });
  await opCommand({ type: 'dispatch', ticketId: t.id, mode: 'single', unitIds: [unitId], assistUnitIds: [] });
  return get(t.id);
}

async function expectText(p: Page, selector: string, text: string | RegExp, timeout = 20_000) {
  await onTop(p, selector).filter({ hasText: text }).first().waitFor({ timeout });
}

async function openTicket(t: Ticket) {
  await page.goto(`${rt.url}/packageOperator/pages/ticket/index?id=${t.id}`);
  await onTop(page, '#op-actions').waitFor();
}

beforeAll(async () => {
  [rt, browser] = await Promise.all([startRuntime({ profile: 'pingli' }), launchBrowser()]);
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
  page = await context.newPage();
  await signInOperator(page);
});

afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

test('a return approved sends the ticket back to dispatch; it is dispatched again to another unit', async () => {
  const t = await dispatchedTo('u-shuiwu');
  await staffCommand('demo-staff-sw', { type: 'requestReturn', ticketId: t.id, reason: '反映的是垃圾清运，不属于供水排水职责。', basis: '本单位三定方案' });

  await page.goto(`${rt.url}/packageOperator/pages/queue/index?queue=returns`);
  await expectText(page, '#queue-count-returns', '1');
  await onTop(page, `#op-ticket-${t.number}`).click();
  await onTop(page, '#action-reviewReturn').click();
  await expectText(page, '#pending-return', '不属于供水排水职责');
  await shotPage(page, 'operator-01-review-return');
  await onTop(page, '#reviewReturn-approve').click();
  await onTop(page, '#reviewReturn-confirm').click();
  await expectText(page, '#detail-state', '待派单');

  await onTop(page, '#action-dispatch').click();
  // The unit whose return was just approved is not recommended again: last, no 推荐, saying why.
  await expectText(page, '#unit-u-shuiwu', '退回本件');
  await expect(onTop(page, '#unit-u-shuiwu-suggested').count()).resolves.toBe(0);
  const rows = await onTop(page, '#unit-picker [id^="unit-u-"][class*="unit-picker__row"]').evaluateAll((els) => els.map((e) => e.id));
  expect(rows[rows.length - 1]).toBe('unit-u-shuiwu');
  await onTop(page, '#unit-u-chengguan-lead').click();
  // Two notes, each saying who reads it.
  await fillField(page, 'dispatch-note', '供水集团已退回，请城管局按垃圾清运处理');
  await fillField(page, 'dispatch-public-note', '已改由城市管理部门处理');
  await onTop(page, '#dispatch-submit').click();
  await onTop(page, '#assignment-u-chengguan').waitFor();
  const dispatched = onTop(page, '#timeline .timeline-item[data-type="dispatch"]').first();
  await expect(dispatched.innerText()).resolves.toContain('内部说明（诉求人看不到）：供水集团已退回');
  await expect(dispatched.innerText()).resolves.toContain('告知诉求人：已改由城市管理部门处理');
  // The resident reads the public note only.
  const mine = await call<{ timeline: { type: string; note?: string }[] }>('demo-resident', 'resident', { action: 'get', ticketId: t.id });
  expect(mine.timeline.filter((e) => e.type === 'dispatch').map((e) => e.note)).toEqual([undefined, '已改由城市管理部门处理']);
  expect(JSON.stringify(mine)).not.toContain('供水集团已退回');
  const after = await get(t.id);
  expect(after).toMatchObject({ state: 'dispatched', counters: { returns: 1 } });
  expect(after.assignments.map((a) => a.unitId)).toEqual(['u-chengguan']);
});

test('one extension approved (the deadline moves by the original length, pingli 13) and one rejected', async () => {
  const ok = await dispatchedTo('u-chengguan');
  const no = await dispatchedTo('u-chengguan');
  for (const t of [ok, no]) {
    await staffCommand('demo-staff-cg', { type: 'sign', ticketId: t.id });
    await staffCommand('demo-staff-cg', { type: 'requestExtension', ticketId: t.id, reason: `需要协调环卫公司调整清运路线（${t.number}）。` });
  }
  const before = (await get(ok.id)).deadlines.find((d) => d.kind === 'handle' && d.status === 'active')!.dueAt;

  await page.goto(`${rt.url}/packageOperator/pages/queue/index?queue=extensions`);
  await expectText(page, '#queue-count-extensions', '2');
  await onTop(page, `#op-ticket-${ok.number}`).click();
  await onTop(page, '#action-reviewExtension').click();
  await expectText(page, '#pending-extension', ok.number);
  await onTop(page, '#reviewExtension-approve').click();
  await onTop(page, '#reviewExtension-confirm').click();
  await expectText(page, '#detail-state', '办理中');
  await shotPage(page, 'operator-02-extension-approved');

  await openTicket(no);
  await onTop(page, '#action-reviewExtension').click();
  await fillField(page, 'reviewExtension-note', '清运路线调整不需要延期，请按期办结。');
  await onTop(page, '#reviewExtension-reject').click();
  await onTop(page, '#reviewExtension-confirm').click();
  await expectText(page, '#detail-state', '办理中');

  const approved = await get(ok.id);
  expect(approved.counters.extensions).toBe(1);
  expect(approved.deadlines.find((d) => d.kind === 'handle' && d.status === 'active')!.dueAt).toBeGreaterThan(before + 4 * DAY);
  const rejected = await get(no.id);
  expect(rejected).toMatchObject({ state: 'handling', counters: { extensions: 0 } });
});

test('refusal with a ground: the article is shown and goes to the requester', async () => {
  const t = await submit('complaint', '有人说要反映点事情，具体什么事情也没有说清楚。');
  await openTicket(t);
  await onTop(page, '#action-refuse').click();
  await onTop(page, '#ground-incomplete').click();
  await expectText(page, '#ground-article', '依据第七条第一款第（九）项');
  await shotPage(page, 'operator-03-refuse');
  await onTop(page, '#refuse-submit').click();
  await onTop(page, '#fact-rejection').waitFor();
  await expectText(page, '#detail-state', '不予受理');
  const mine = await call<{ ticket: Ticket }>('demo-resident', 'resident', { action: 'get', ticketId: t.id });
  expect(mine.ticket.rejection).toMatchObject({ groundCode: 'incomplete', article: '第七条第一款第（九）项' });
});

test('an answer from the knowledge base', async () => {
  const t = await submit('consultation', '我的社保卡丢了，请问去哪里补办？需要带什么材料？');
  await openTicket(t);
  await onTop(page, '#action-answer').click();
  await fillField(page, 'kb-search', '社保卡');
  await onTop(page, '#kb-result-0').click();
  await expect(onTop(page, '#kb-result-0').getAttribute('data-article')).resolves.toBe('kb-shebaoka');
  await onTop(page, '#answer-submit').click();
  await expectText(page, '#detail-state', '即时答复');
  expect((await get(t.id)).answer).toMatchObject({ articleId: 'kb-shebaoka' });
});

test('termination with a reason', async () => {
  const t = await dispatchedTo('u-chengguan');
  await openTicket(t);
  await onTop(page, '#action-terminate').click();
  await fillField(page, 'terminate-reason', '诉求人已就同一事项提起行政诉讼，依法终止办理。');
  await onTop(page, '#terminate-submit').click();
  await onTop(page, '#terminate-consequence').filter({ hasText: '确定终止' }).waitFor();
  await onTop(page, '#terminate-confirm').click();
  await expectText(page, '#fact-termination', '行政诉讼');
  await expectText(page, '#detail-state', '已终止');
  await shotPage(page, 'operator-04-terminated');
  expect(await get(t.id)).toMatchObject({ state: 'terminated', termination: { reason: '诉求人已就同一事项提起行政诉讼，依法终止办理。' } });
});

test('overdue after a timer run → the reminder in the outboxes → on the supervision board → 督办 issued', async () => {
  const t = await dispatchedTo('u-zhujian');
  await staffCommand('demo-staff-zj', { type: 'sign', ticketId: t.id });
  // Past the 5 working days of pingli 12(2) (however many calendar days that is from today), then one run of the deadline timer.
  const due = (await get(t.id)).deadlines.find((d) => d.kind === 'handle' && d.status === 'active')!.dueAt;
  await rt.advance(due - (await serverNow()) + 2 * 3_600_000);
  await rt.runTimer();
  // The page's session was signed before the clock moved on.
  await signInOperator(page);
  const overdue = await get(t.id);
  expect(overdue.deadlines.find((d) => d.kind === 'handle')).toMatchObject({ status: 'missed' });

  // The operator's 消息 page lists the overdue notice the outbox delivered.
  await page.goto(`${rt.url}/packageOperator/pages/queue/index`);
  await onTop(page, '#op-nav-messages').click();
  const notice = onTop(page, `#message-list [data-template="overdue"][data-ticket="${t.number}"]`).first();
  await notice.waitFor();
  // Each message says where its ticket is now, not only what it was when sent.
  await expect(notice.innerText()).resolves.toContain('现在：办理中');
  await shotPage(page, 'operator-05-messages');

  // The unit's staff get it too, on their 消息 page.
  const staffContext = await phoneContext(browser);
  try {
    const staffPage = await staffContext.newPage();
    await staffPage.goto(`${rt.url}/`);
    await onTop(staffPage, '#login-user-demo-staff-zj').click();
    // The demo name already says who it is: no second bracket with the role.
    await expect(onTop(staffPage, '#current-user').innerText()).resolves.toBe('当前用户：陈静（住建局）');
    await staffPage.goto(`${rt.url}/packageStaff/pages/messages/index`);
    await expectText(staffPage, '#message-list', t.number);
    await expectText(staffPage, '#message-list', '超期');
    await shotPage(staffPage, 'operator-06-staff-messages');
  } finally {
    await staffContext.close();
  }

  // On the board, with its level and its trigger; then a written 督办 one level up.
  await onTop(page, '#op-nav-board').click();
  await onTop(page, `#board-${t.number}`).waitFor();
  await expectText(page, `#board-${t.number}-triggers`, '无正当理由逾期');
  await expect(onTop(page, `#op-ticket-${t.number}`).getAttribute('data-tone')).resolves.toBe('overdue');
  const level = (await get(t.id)).supervision.level;
  await shotPage(page, 'operator-07-board');
  await onTop(page, `#board-supervise-${t.number}`).click();
  await onTop(page, '#form-supervise').waitFor();
  await onTop(page, '#supervise-method-written').click();
  await fillField(page, 'supervise-note', '请于两个工作日内办结并书面说明逾期原因。');
  await onTop(page, '#supervise-submit').click();
  const levels = ['电话督办', '催办通知', '督办通知书', '督办协调会'];
  await expectText(page, '#fact-supervision-level', levels[level]!);
  await shotPage(page, 'operator-08-supervised');
  expect((await get(t.id)).supervision.level).toBe(level + 1);

  await page.goto(`${rt.url}/packageOperator/pages/board/index`);
  await expectText(page, `#board-${t.number}-level`, levels[level]!);
});

test('the dashboard shows the figures as charts and exports CSV', async () => {
  await page.goto(`${rt.url}/packageOperator/pages/dashboard/index`);
  await onTop(page, '#figure-response-ratio').waitFor();
  const now = Date.now();
  const sh = new Date(now + 8 * 3_600_000);
  const from = Date.UTC(sh.getUTCFullYear(), sh.getUTCMonth(), 1) - 8 * 3_600_000;
  const to = Date.UTC(sh.getUTCFullYear(), sh.getUTCMonth() + 1, 1) - 8 * 3_600_000;
  const figures = await call<{ unitId: string; response: { numerator: number; denominator: number } }[]>('demo-operator', 'stats', { action: 'figures', from, to });
  const all = figures.find((f) => f.unitId === '*')!;
  expect(all.response.denominator).toBeGreaterThan(0);
  await expectText(page, '#figure-response-ratio', `${all.response.numerator}/${all.response.denominator}`);
  for (const key of ['response', 'resolution', 'satisfaction', 'onTime']) await onTop(page, `#chart-${key}-box[data-state="drawn"]`).waitFor();
  await onTop(page, '#chart-units-box[data-state="drawn"]').waitFor();
  await onTop(page, '#chart-trend-volume-box[data-state="drawn"]').waitFor();
  await expectText(page, '#hot-category-0', '市容环境');
  // The canvas holds a drawing, not a blank.
  const painted = await onTop(page, '#chart-units canvas').evaluate((c) => {
    const canvas = c as HTMLCanvasElement;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let colored = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] !== data[i + 1] || data[i + 1] !== data[i + 2]) colored++;
    return colored;
  });
  expect(painted).toBeGreaterThan(100);
  await shotPage(page, 'operator-09-dashboard');

  // A custom period is chosen from date pickers, not typed.
  await onTop(page, '#period-custom').click();
  const day = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
  await expect(onTop(page, '#period-from input').getAttribute('type')).resolves.toBe('date');
  await onTop(page, '#period-from input').fill(day(from));
  await onTop(page, '#period-to input').fill(day(now));
  await onTop(page, '#period-apply').click();
  await expectText(page, '#period-shown', `${day(from)} 至 ${day(now)}`);

  const [download] = await Promise.all([page.waitForEvent('download'), onTop(page, '#export-figures').click()]);
  expect(download.suggestedFilename()).toMatch(/^figures-\d+-\d+\.csv$/);
  const text = await new Promise<string>((resolve, reject) => {
    void download.createReadStream().then((s) => {
      const chunks: Buffer[] = [];
      s.on('data', (c: Buffer) => chunks.push(c));
      s.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      s.on('error', reject);
    }, reject);
  });
  expect(text).toContain('全部单位');
  expect(text.split('\r\n')[0]).toContain('单位,响应率,解决率,满意率,按时办结率');
});

test('a new QR scene and its printable poster with a real QR image; a staff invite code; a new year\'s calendar', async () => {
  await page.goto(`${rt.url}/packageOperator/pages/admin/index`);
  await onTop(page, '#admin-tab-scenes').click();
  await fillField(page, 'scene-id', 'bus-dongmen');
  await fillField(page, 'scene-place', '东门公交站');
  await fillField(page, 'scene-area', '东区街道');
  await onTop(page, '#scene-save').click();
  await onTop(page, '#admin-scene-bus-dongmen').waitFor();
  await onTop(page, '#admin-scene-bus-dongmen-poster').click();
  const img = onTop(page, '#poster-image img');
  await img.waitFor();
  await expectText(page, '#poster-place', '东门公交站');
  await expectText(page, '#poster-title', '码上反映');
  await expect(img.getAttribute('src')).resolves.toMatch(/^data:image\/png;base64,/);
  expect(await eventually(() => img.evaluate((e) => (e as HTMLImageElement).naturalWidth), (w) => w > 0)).toBeGreaterThan(100);
  // The hotline and the emergency numbers are on the poster.
  await expectText(page, '#poster-hotline', '12345');
  await expectText(page, '#poster-emergency', '110');
  // The test runtime serves on 127.0.0.1 without PUBLIC_URL: the operator is told a phone cannot open this code.
  await expectText(page, '#poster-warning', 'PUBLIC_URL');
  // Printed, the poster fills an A4 page (190 × 277 mm inside 10 mm margins).
  await page.emulateMedia({ media: 'print' });
  const box = await onTop(page, '#poster').evaluate((e) => ({ w: e.getBoundingClientRect().width, h: e.getBoundingClientRect().height }));
  expect(Math.round(box.w)).toBe(Math.round((190 / 25.4) * 96));
  expect(Math.round(box.h)).toBe(Math.round((277 / 25.4) * 96));
  await page.emulateMedia({ media: 'screen' });
  await shotPage(page, 'operator-10-poster');

  await page.goto(`${rt.url}/packageOperator/pages/admin/index?tab=staff`);
  await onTop(page, '#invite-unit-u-zhujian').click();
  await onTop(page, '#invite-create').click();
  await expectText(page, '#invite-code', /^[A-Z0-9]{6,12}$/);
  // The invite can be shown as a code to scan: a real QR image that opens the bind page with it.
  const code = (await onTop(page, '#invite-code').innerText()).trim();
  const qr = onTop(page, '#invite-qr img');
  await expect(qr.getAttribute('src')).resolves.toMatch(/^data:image\/png;base64,/);
  expect(await eventually(() => qr.evaluate((e) => (e as HTMLImageElement).naturalWidth), (w) => w > 0)).toBeGreaterThan(100);
  // The QR image says what it is to a screen reader.
  await expect(qr.getAttribute('alt')).resolves.toContain(`邀请码 ${code} 的二维码`);
  // 复制 puts the code and the link on the clipboard (the browser's own, read back with permission).
  const link = (await onTop(page, '#invite-link').innerText()).trim();
  expect(link).toMatch(new RegExp(`/packageStaff/pages/bind/index\\?code=${code}$`));
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: rt.url });
  const clipboard = () => page.evaluate(() => navigator.clipboard.readText());
  await page.evaluate(() => navigator.clipboard.writeText(''));
  await onTop(page, '#invite-copy').click();
  const copied = await eventually(clipboard, (v) => v.length > 0);
  expect(copied).toContain(code);
  expect(copied).toContain(link);
  // 分享: this Chromium has no share sheet (no navigator.share on Linux), so the message and link are copied, with a toast.
  expect(await page.evaluate(() => typeof navigator.share)).toBe('undefined');
  await page.evaluate(() => navigator.clipboard.writeText(''));
  await onTop(page, '#invite-share').click();
  // Taro's one toast element (its children are fixed, so the wrapper itself has no box to be "visible").
  const toastText = () => page.evaluate(() => document.querySelector('.taro__toast')?.textContent ?? '');
  expect(await eventually(toastText, (t) => t.includes('已复制邀请信息和链接'))).toContain('已复制邀请信息和链接');
  expect(await eventually(clipboard, (v) => v.length > 0)).toBe(copied);
  const bind = await page.context().newPage();
  try {
    // What the QR code carries: the bind page's link with the code, which opens the form filled in.
    const other = await rt.call<{ code: string; link: string }>('demo-operator', 'admin', { action: 'invite', unitId: 'u-zhujian', days: 1 });
    expect(other.link).toMatch(new RegExp(`/packageStaff/pages/bind/index\\?code=${other.code}$`));
    await bind.goto(other.link.replace(/^https?:\/\/[^/]+/, rt.url));
    expect(await eventually(() => fieldValue(bind, 'bind-code'), (v) => v === other.code)).toBe(other.code);
  } finally {
    await bind.close();
  }
  expect(code).toMatch(/^[A-Z0-9]{6,12}$/);

  // issue 11 §1: the operator pastes the State Council notice, checks the parsed year, confirms it.
  await onTop(page, '#admin-tab-calendar').click();
  // From 1 November, while next year is not loaded, the operator is told (calendarWarning).
  await expectText(page, '#calendar-warning', '尚未导入2027年节假日安排');
  const notice = readFileSync(join(__dirname, '../shared/fixtures/notices/synthetic-2027.txt'), 'utf8');
  await fillField(page, 'calendar-notice', notice.slice(0, notice.indexOf('四、')));
  await onTop(page, '#calendar-parse').click();
  await expectText(page, '#form-error', /缺少劳动节、端午节、中秋节、国庆节的放假安排/);
  await fillField(page, 'calendar-notice', notice);
  await onTop(page, '#calendar-parse').click();
  await expectText(page, '#calendar-preview-year', '2027年：法定节假日 27 天，调休上班 6 天');
  await expectText(page, '#calendar-preview-1', '春节：放假 2027-02-05~2027-02-11；调休上班 2027-02-14、2027-02-20');
  await onTop(page, '#calendar-confirm').click();
  await expectText(page, '#calendar-result', '法定节假日 27 天，调休上班 6 天');
  await expectText(page, '#calendar-loaded', '2027年');
  await onTop(page, '#calendar-warning').waitFor({ state: 'detached' });
  await shotPage(page, 'operator-11-calendar');
});
