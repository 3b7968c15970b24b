/**
 * A video attachment must not make a ticket unusable (issue 16's blocker): Taro's h5 player once
 * sat over the top of every page that showed the ticket and swallowed taps. With a real WEBM
 * attached (recorded from a canvas in this browser), every button on the page and the ticket number
 * must be what `document.elementFromPoint` finds at their centre, at 390×844 and 1440×900, for the
 * resident, the grid worker, the handling unit (签收, then 答复) and the operator (受理, then 派单).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, startRuntime, type Runtime } from './harness';
import { loginOverHttp } from './fixtures/app';

jest.setTimeout(300_000);

const SIZES = [
  { width: 390, height: 844, mobile: true },
  { width: 1440, height: 900, mobile: false },
] as const;

let rt: Runtime;
let browser: Browser;
let seq = 0;
let webm: Buffer;

type View = { ticket: { id: string; number: string; version: number; state: string } };

/** One second of a two-colour animation, recorded by the browser's MediaRecorder as WEBM. */
async function recordWebm(page: Page): Promise<Buffer> {
  const bytes = await page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 320;
    canvas.height = 240;
    const g = canvas.getContext('2d')!;
    const stream = (canvas as HTMLCanvasElement & { captureStream(fps: number): MediaStream }).captureStream(10);
    const rec = new MediaRecorder(stream, { mimeType: 'video/webm' });
    const chunks: Blob[] = [];
    rec.ondataavailable = (e) => chunks.push(e.data);
    let frame = 0;
    const tick = setInterval(() => {
      g.fillStyle = frame++ % 2 ? '#c33' : '#36c';
      g.fillRect(0, 0, 320, 240);
    }, 100);
    rec.start();
    await new Promise((r) => setTimeout(r, 1200));
    const stopped = new Promise((r) => (rec.onstop = r));
    rec.stop();
    await stopped;
    clearInterval(tick);
    return Array.from(new Uint8Array(await new Blob(chunks).arrayBuffer()));
  });
  return Buffer.from(bytes);
}

async function uploadVideo(userId: string): Promise<string> {
  const res = await fetch(`${rt.url}/api/upload?name=clip.webm`, { method: 'POST', headers: { authorization: `Bearer ${await rt.token(userId)}`, 'content-type': 'video/webm' }, body: new Uint8Array(webm) });
  const body = (await res.json()) as { ok: boolean; data: { fileId: string; kind: string } };
  if (!body.ok || body.data.kind !== 'video') throw new Error(`upload: ${JSON.stringify(body)}`);
  return body.data.fileId;
}

async function submitWithVideo(by: string): Promise<View['ticket']> {
  const fileId = await uploadVideo(by);
  const input = {
    clientRequestId: `video-e2e-${++seq}-${Date.now()}`,
    type: 'complaint',
    category: '市容环境',
    content: `人行道上堆了很多建筑垃圾，已经一周没人清理，视频是今天拍的（第${seq}处）`,
    location: { address: '东区人民路12号', area: '东区街道' },
    contact: { name: '张明', phone: '13800001234' },
    confidential: false,
    attachments: [{ fileId, kind: 'video' }],
  };
  const sub = await rt.call<View>(by, 'resident', { action: 'submit', input });
  return sub.ticket;
}

async function operator(command: Record<string, unknown>) {
  const current = await rt.call<View>('demo-operator', 'operator', { action: 'get', ticketId: command.ticketId });
  return rt.call<View>('demo-operator', 'operator', { action: 'command', command: { ...command, expectedVersion: current.ticket.version } });
}

async function staff(userId: string, command: Record<string, unknown>) {
  const current = await rt.call<View>(userId, 'staff', { action: 'get', ticketId: command.ticketId });
  return rt.call<View>(userId, 'staff', { action: 'command', command: { ...command, expectedVersion: current.ticket.version } });
}

async function contextAs(userId: string, size: (typeof SIZES)[number]): Promise<BrowserContext> {
  const { token, user } = await loginOverHttp(rt, userId);
  const context = await browser.newContext({
    viewport: { width: size.width, height: size.height },
    deviceScaleFactor: size.mobile ? 2 : 1,
    isMobile: size.mobile,
    hasTouch: size.mobile,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  await context.addInitScript(
    ([t, u]) => {
      localStorage.setItem('session-token', JSON.stringify({ data: t }));
      localStorage.setItem('session-user', JSON.stringify({ data: JSON.stringify(u) }));
    },
    [token, user] as const,
  );
  return context;
}

interface Miss {
  what: string;
  hit: string;
}

/**
 * Every button of the page on top and the ticket number, each scrolled into view: the element
 * `elementFromPoint` finds at its centre must be it or inside it. Returns what was checked and what
 * was covered.
 */
async function unhittable(page: Page): Promise<{ checked: string[]; misses: Miss[] }> {
  return page.evaluate(async () => {
    const top = Array.from(document.querySelectorAll('.taro_page:not(.taro_page_shade)')).pop() ?? document.body;
    const visible = (el: Element) => (el as HTMLElement).getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
    const describe = (el: Element | null) => (el ? `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${String((el as HTMLElement).className).split(' ').join('.')}` : 'nothing');
    const targets = [
      ...Array.from(top.querySelectorAll('#detail-number')),
      ...Array.from(top.querySelectorAll('.nut-button, taro-button-core')).filter((b) => !b.parentElement?.closest('.nut-button, taro-button-core')),
    ].filter(visible);
    const checked: string[] = [];
    const misses: { what: string; hit: string }[] = [];
    for (const el of targets) {
      el.scrollIntoView({ block: 'center', inline: 'center' });
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const b = el.getBoundingClientRect();
      const hit = document.elementFromPoint(b.x + b.width / 2, b.y + b.height / 2);
      const what = `${describe(el)} "${(el.textContent ?? '').trim().slice(0, 12)}"`;
      checked.push(what);
      if (!hit || !(hit === el || el.contains(hit))) misses.push({ what, hit: describe(hit) });
    }
    return { checked, misses };
  });
}

async function expectUsable(userId: string, path: string, mustHave: string[]) {
  for (const size of SIZES) {
    const context = await contextAs(userId, size);
    const page = await context.newPage();
    try {
      await page.goto(`${rt.url}${path}`);
      const top = page.locator('.taro_page:not(.taro_page_shade)').last();
      await top.locator('#detail-number').waitFor();
      // The player is on the page (its URL is signed after the ticket loads).
      await top.locator('taro-video-core video, video').first().waitFor({ state: 'attached' });
      for (const text of mustHave) await top.locator('.nut-button, taro-button-core', { hasText: text }).first().waitFor();
      // Everything the page asks for has answered: a late answer moves buttons between the scroll and
      // the hit test (a 返回 at the foot of the staff page once measured outside the page).
      await page.waitForLoadState('networkidle');
      const { checked, misses } = await unhittable(page);
      expect({ size: `${size.width}×${size.height}`, path, misses }).toEqual({ size: `${size.width}×${size.height}`, path, misses: [] });
      expect(checked.some((c) => c.includes('#detail-number'))).toBe(true);
      for (const text of mustHave) expect(checked.some((c) => c.includes(text))).toBe(true);
    } finally {
      await context.close();
    }
  }
}

beforeAll(async () => {
  rt = await startRuntime({ profile: 'pingli' });
  browser = await launchBrowser();
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${rt.url}/`);
  webm = await recordWebm(page);
  await context.close();
});

afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

describe('a ticket with a video attached stays usable on h5', () => {
  it('resident: the number, state and every button of the detail page', async () => {
    const t = await submitWithVideo('demo-resident');
    await expectUsable('demo-resident', `/pages/detail/index?id=${t.id}`, ['刷新进度']);
  });

  it('grid worker: the detail page of an own report', async () => {
    const t = await submitWithVideo('demo-grid');
    await expectUsable('demo-grid', `/pages/detail/index?id=${t.id}`, ['刷新进度']);
  });

  it('operator: 受理 on a new ticket, 派单 on an accepted one', async () => {
    const fresh = await submitWithVideo('demo-resident');
    await expectUsable('demo-operator', `/packageOperator/pages/ticket/index?id=${fresh.id}`, ['受理']);
    const accepted = await submitWithVideo('demo-resident');
    await operator({ type: 'accept', ticketId: accepted.id });
    await expectUsable('demo-operator', `/packageOperator/pages/ticket/index?id=${accepted.id}`, ['派单']);
  });

  it('handling unit: 签收 on a dispatched ticket, 答复 on a signed one', async () => {
    const t = await submitWithVideo('demo-resident');
    await operator({ type: 'accept', ticketId: t.id });
    await operator({ type: 'dispatch', ticketId: t.id, mode: 'single', unitIds: ['u-chengguan'], assistUnitIds: [] });
    await expectUsable('demo-staff-cg', `/packageStaff/pages/ticket/index?id=${t.id}`, ['签收']);
    await staff('demo-staff-cg', { type: 'sign', ticketId: t.id });
    // baiyin 14(1): 答复 is offered once the contact with the requester is recorded.
    await staff('demo-staff-cg', { type: 'contact', ticketId: t.id, method: 'phone', result: 'reached', note: '已电话联系诉求人' });
    await expectUsable('demo-staff-cg', `/packageStaff/pages/ticket/index?id=${t.id}`, ['答复']);
  });
});
