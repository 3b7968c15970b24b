/**
 * A resident on the h5 build, in Debian's chromium against the real local runtime (白银 profile):
 * scan-scene entry, submission with a photo and a held voice clip, the knowledge-base instant
 * answer, the timeline after staff actions (driven through the API), rating dissatisfied → rework
 * → satisfied, withdrawal while allowed, and look-up by number + phone tail (signed in or not).
 * Screenshots of the key screens go to test-output/e2e/resident-*.png.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, phoneContext, startRuntime, type Runtime } from './harness';
import { eventually, fieldValue, fillField, holdToRecord, onTop, plays, recordPlayback, shotPage } from './fixtures/app';
import { photoPng, toneWav } from './fixtures/media';

jest.setTimeout(120_000);

const PHONE = '13800001234';

interface TicketRef {
  id: string;
  number: string;
}
interface Detail {
  ticket: TicketRef & { state: string; attachments: { fileId: string; kind: string; durationSec?: number }[]; answer?: { text: string } };
  timeline: { seq: number; type: string }[];
}

let rt: Runtime;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let audioDir: string;
/** The ticket the resident submits in the UI; later cases follow it. */
let submitted: TicketRef | null = null;

const op = (command: Record<string, unknown>) => rt.call('demo-operator', 'operator', { action: 'command', command });
const staff = (command: Record<string, unknown>) => rt.call('demo-staff-cg', 'staff', { action: 'command', command });
const residentGet = (ticketId: string) => rt.call<Detail>('demo-resident', 'resident', { action: 'get', ticketId });

let seq = 0;
async function apiSubmit(content: string): Promise<TicketRef> {
  seq += 1;
  const r = await rt.call<{ ticket: TicketRef }>('demo-resident', 'resident', {
    action: 'submit',
    input: {
      clientRequestId: `e2e-resident-${Date.now()}-${seq}`,
      type: 'help',
      category: '市容环境',
      content,
      location: { address: '滨河公园南门' },
      contact: { name: '张明', phone: PHONE },
    },
  });
  return { id: r.ticket.id, number: r.ticket.number };
}

/** The ticket to follow: the one submitted in the UI, or (if that case failed) one made over the API. */
async function followed(): Promise<TicketRef> {
  if (!submitted) submitted = await apiSubmit('滨河公园南门的垃圾桶满了好几天没人清理，气味很大。');
  return submitted;
}

async function openDetail(p: Page, ticketId: string) {
  await p.goto(`${rt.url}/pages/detail/index?id=${ticketId}`);
  await onTop(p, '#detail-number').waitFor();
}

async function refreshDetail(p: Page, state: string) {
  await onTop(p, '#detail-refresh').click();
  await expectText(p, '#detail-state', state);
}

async function expectText(p: Page, selector: string, text: string | RegExp, timeout = 15_000) {
  await onTop(p, selector).filter({ hasText: text }).first().waitFor({ timeout });
}

async function timelineTypes(p: Page): Promise<string[]> {
  return onTop(p, '#timeline .timeline-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-type') ?? ''));
}

beforeAll(async () => {
  audioDir = fs.mkdtempSync(path.join(os.tmpdir(), 'msfy-e2e-audio-'));
  const wav = path.join(audioDir, 'voice.wav');
  fs.writeFileSync(wav, toneWav(3));
  [rt, browser] = await Promise.all([startRuntime(), launchBrowser({ fakeMedia: true, fakeAudioFile: wav })]);
  // The resident starts signed out: the scan-scene case signs in through the picker.
  context = await phoneContext(browser);
  await context.grantPermissions(['microphone'], { origin: rt.url });
  await recordPlayback(context);
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await rt?.stop();
  if (audioDir) fs.rmSync(audioDir, { recursive: true, force: true });
});

test('scan-scene entry: /?scene=park-binhe opens the form pre-filled with 滨河公园南门 and its category', async () => {
  await page.goto(`${rt.url}/?scene=park-binhe`);
  // Not signed in on h5: the form asks for a demo user in place, and keeps the scene.
  await page.waitForURL(/\/pages\/submit\/index\?scene=park-binhe/);
  await onTop(page, '#login-required').waitFor();
  await shotPage(page, 'resident-01-scan-sign-in');
  await onTop(page, '#login-user-demo-resident').click();

  await expectText(page, '#scene-banner', '滨河公园南门');
  await expect(onTop(page, '#scene-banner').innerText()).resolves.toContain('市容环境');
  expect(await eventually(() => fieldValue(page, 'field-address'), (v) => v === '滨河公园南门')).toBe('滨河公园南门');
  expect(await eventually(() => fieldValue(page, 'field-category-input'), (v) => v === '市容环境')).toBe('市容环境');
  await expect(onTop(page, '#field-category .chip--active').innerText()).resolves.toBe('市容环境');
  await expect(onTop(page, '#location-grid').innerText()).resolves.toContain('东区街道');
  await shotPage(page, 'resident-02-scan-form');
});

test('a finger that lands on 按住 说话 and moves scrolls the form instead of being caught by the recorder', async () => {
  const band = onTop(page, '#voice-record');
  await band.waitFor();
  // The band in the middle of the screen, with form above it to scroll back to.
  await band.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  const scrollTop = () => page.evaluate(() => document.querySelector('.taro_page:not(.taro_page_shade)')?.scrollTop ?? -1);
  const before = await scrollTop();
  expect(before).toBeGreaterThan(150);
  const box = (await band.boundingBox())!;
  const cdp = await context.newCDPSession(page);
  try {
    // A finger lands on the band and moves 200 px down, as when scrolling back up the form.
    const x = Math.round(box.x + box.width / 2);
    const y = Math.round(box.y + box.height / 2);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
    for (let i = 1; i <= 10; i++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y: y + i * 20 }] });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  } finally {
    await cdp.detach();
  }
  expect(await eventually(scrollTop, (v) => v < before - 100)).toBeLessThan(before - 100);
  // Nothing was recorded by the drag.
  await expect(onTop(page, '#voice-preview').count()).resolves.toBe(0);
});

test('submission with a compressed photo and a held voice clip (played back first): the result shows the number and the deadline with its article', async () => {
  await onTop(page, '#field-content').waitFor();
  await fillField(page, 'field-content', '滨河公园南门的垃圾桶满了好几天没人清理，气味很大，请尽快处理。');
  await fillField(page, 'field-contact-name', '张明');
  await fillField(page, 'field-contact-phone', PHONE);

  // A 2000×1500 photo through the app's picker: it is downscaled and re-encoded as JPEG before upload.
  const png = photoPng();
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), onTop(page, '#add-photo').click()]);
  await chooser.setFiles({ name: 'park.png', mimeType: 'image/png', buffer: png });
  const photo = onTop(page, '#media-item-0');
  await photo.and(page.locator('.media-item--image.media-item--done')).waitFor({ timeout: 30_000 });
  // Done reads as done: the progress bar is gone once the photo is stored.
  await expect(photo.locator('.media-item__progress').count()).resolves.toBe(0);

  // Hold to record with chromium's fake microphone, then the playback check before using the clip.
  await holdToRecord(page, 2);
  await onTop(page, '#voice-preview').waitFor();
  const seconds = Number((await onTop(page, '#voice-preview-duration').innerText()).replace(/\D+/g, ''));
  expect(seconds).toBeGreaterThanOrEqual(2);
  await shotPage(page, 'resident-03-voice-preview');
  await onTop(page, '#voice-play').click();
  const played = await eventually(() => plays(page), (list) => list.some((p) => p.src.startsWith('blob:') && p.playing));
  expect(played.filter((p) => p.src.startsWith('blob:') && p.playing)).toHaveLength(1);
  expect(await onTop(page, '#voice-play').innerText()).toMatch(/停止|再听一遍/);
  await onTop(page, '#voice-use').click();
  const voice = onTop(page, '#media-item-1');
  await voice.and(page.locator('.media-item--audio.media-item--done')).waitFor({ timeout: 30_000 });
  await onTop(page, '#voice-full').waitFor();
  await shotPage(page, 'resident-04-form-with-media');

  await onTop(page, '#submit-button').click();
  await page.waitForURL(/\/pages\/result\/index/);
  await onTop(page, '#result-number').filter({ hasText: /\S/ }).waitFor();
  const number = (await onTop(page, '#result-number').innerText()).trim();
  expect(number).toMatch(/^[A-Z0-9]{6,24}$/);
  await expect(onTop(page, '#result-title').innerText()).resolves.toBe('提交成功');
  await expect(onTop(page, '#result-state').innerText()).resolves.toContain('已提交');
  await expect(onTop(page, '#result-span').innerText()).resolves.toMatch(/\d+个?(工作日|日|天|小时)/);
  // The deadline's basis names the regulation and its article.
  await expect(onTop(page, '#result-basis').innerText()).resolves.toMatch(/^(依据《.+》第.+条.*内办结|平台设定：.+内办结（相关条文：《.+》第.+条.*）)$/);
  await shotPage(page, 'resident-05-result');

  const id = new URL(page.url()).searchParams.get('id')!;
  submitted = { id, number };
  const d = await residentGet(id);
  expect(d.ticket.number).toBe(number);
  expect(d.ticket.attachments.map((a) => a.kind)).toEqual(['image', 'audio']);
  // Compressed before upload: the stored photo is a JPEG, not the PNG that was picked.
  expect(d.ticket.attachments[0]!.fileId).toMatch(/\.jpg$/);
  expect(d.ticket.attachments[1]!.fileId).toMatch(/\.webm$|\.ogg$|\.m4a$/);
  expect(d.ticket.attachments[1]!.durationSec).toBeGreaterThanOrEqual(1.5);

  // The subscription consent is asked from the tap (h5 reports it accepted).
  await onTop(page, '#subscribe-button').click();
  await expectText(page, '#subscribe-status', '已开启');
});

test('the same text again is refused with 请勿重复提交 and a link that opens the earlier request', async () => {
  const t = await followed();
  await page.goto(`${rt.url}/pages/submit/index?scene=park-binhe`);
  await onTop(page, '#scene-banner').waitFor();
  await fillField(page, 'field-content', '滨河公园南门的垃圾桶满了好几天没人清理，气味很大，请尽快处理。');
  await fillField(page, 'field-contact-name', '张明');
  await fillField(page, 'field-contact-phone', PHONE);
  await onTop(page, '#submit-button').click();
  await expectText(page, '#form-error', '请勿重复提交');
  await expectText(page, '#duplicate-earlier', t.number);
  await shotPage(page, 'resident-05b-duplicate-link');
  await onTop(page, '#duplicate-earlier').click();
  await page.waitForURL(new RegExp(`/pages/detail/index\\?id=${t.id}`));
  await expectText(page, '#detail-number', t.number);
});

test('my requests lists the ticket with its state and text; its detail shows the photo and the voice clip', async () => {
  const t = await followed();
  await page.goto(`${rt.url}/pages/mine/index`);
  const item = onTop(page, `#ticket-${t.number}`);
  await item.waitFor();
  await shotPage(page, 'resident-06-mine');
  await item.click();
  await page.waitForURL(/\/pages\/detail\/index/);
  await expectText(page, '#detail-number', t.number);
  await onTop(page, '#detail-attachments-image-0 img').waitFor({ timeout: 15_000 });
  await onTop(page, '#detail-attachments-audio-0').waitFor({ timeout: 15_000 });
  // Tapping the photo opens it full screen (h5's own overlay) with the same picture, loaded; a tap closes it.
  const thumbSrc = await onTop(page, '#detail-attachments-image-0 img').getAttribute('src');
  await onTop(page, '#detail-attachments-image-0').click();
  const preview = onTop(page, '.image-preview[role="dialog"]');
  await preview.waitFor();
  await expect(preview.locator('img').getAttribute('src')).resolves.toBe(thumbSrc);
  expect(await eventually(() => preview.locator('img').evaluate((img) => (img as HTMLImageElement).naturalWidth), (w) => w > 0)).toBeGreaterThan(0);
  await expect(preview.locator('.image-preview__count').innerText()).resolves.toBe('1/1');
  await preview.click();
  await expect(onTop(page, '.image-preview').count()).resolves.toBe(0);
  await expect(onTop(page, '#deadline-basis').innerText()).resolves.toMatch(/(依据|相关条文：)《.+》第.+条/);
  await expect(onTop(page, '#deadline-countdown').innerText()).resolves.toMatch(/还剩/);
  await shotPage(page, 'resident-07-detail');
  // The list row carries the state label and the text, as the detail does.
  await page.goBack();
  await onTop(page, `#ticket-${t.number}`).waitFor();
  const row = await onTop(page, `#ticket-${t.number}`).innerText();
  expect(row).toContain('已提交，待受理');
  expect(row).toContain('垃圾桶');
});

test('knowledge-base instant answer: 社保卡丢失了怎么补办 → #kb-yes → answered at once', async () => {
  await page.goto(`${rt.url}/pages/submit/index`);
  await onTop(page, '#field-content').waitFor();
  await onTop(page, '#type-consultation').click();
  await expect(onTop(page, '#type-consultation').getAttribute('class')).resolves.toContain('chip--active');
  await fillField(page, 'field-category-input', '社会保障');
  await fillField(page, 'field-content', '社保卡丢失了怎么补办');
  await onTop(page, '#submit-button').click();

  await onTop(page, '#kb-step').waitFor();
  await expect(onTop(page, '#kb-question').innerText()).resolves.toBe('这些回答能解决您的问题吗？');
  await expect(onTop(page, '#kb-article-0').innerText()).resolves.toContain('社保卡丢失了怎么补办');
  await expect(onTop(page, '#kb-article-0').getAttribute('class')).resolves.toContain('kb-article--chosen');
  await shotPage(page, 'resident-08-kb-step');
  await onTop(page, '#kb-yes').click();

  await page.waitForURL(/\/pages\/result\/index\?.*answered=1/);
  await expectText(page, '#result-title', '已为您即时答复');
  await expectText(page, '#result-answer', '社保卡服务网点');
  await expect(onTop(page, '#result-deadline').count()).resolves.toBe(0);
  await shotPage(page, 'resident-09-kb-answered');

  const id = new URL(page.url()).searchParams.get('id')!;
  const d = await residentGet(id);
  expect(d.ticket.state).toBe('answered');
  expect(d.ticket.answer?.text).toContain('社保卡');
  expect(d.timeline.map((e) => e.type)).toEqual(['submit', 'answer']);
});

test('the timeline shows operator accept + dispatch, staff sign + reply and the approval, driven through the API', async () => {
  const t = await followed();
  await openDetail(page, t.id);
  await expect(timelineTypes(page)).resolves.toEqual(['submit']);
  await onTop(page, '#withdraw-button').waitFor();

  await op({ type: 'accept', ticketId: t.id });
  await op({ type: 'dispatch', ticketId: t.id, mode: 'single', unitIds: ['u-chengguan'] });
  await refreshDetail(page, '已转交承办单位');
  await expect(timelineTypes(page)).resolves.toEqual(['dispatch', 'accept', 'submit']);
  // Before the unit signs, the 白银 profile still lets the resident withdraw.
  await onTop(page, '#withdraw-button').waitFor();

  await staff({ type: 'sign', ticketId: t.id });
  await refreshDetail(page, '办理中');
  await expect(onTop(page, '#withdraw-button').count()).resolves.toBe(0);

  // baiyin 14(1): the unit contacts the requester before it replies; the resident sees both.
  await staff({ type: 'contact', ticketId: t.id, method: 'phone', note: '已电话联系诉求人，告知清运安排' });
  await staff({ type: 'reply', ticketId: t.id, result: '已安排环卫人员清运垃圾桶，并增加每日清运频次。', handler: '刘洋' });
  await refreshDetail(page, '已答复，平台审核中');
  await op({ type: 'reviewResult', ticketId: t.id, approve: true, note: '办理结果属实' });
  await refreshDetail(page, '已办结，请评价');

  const types = await timelineTypes(page);
  expect(types).toEqual(['reviewResult', 'reply', 'contact', 'sign', 'dispatch', 'accept', 'submit']);
  await expect(onTop(page, '#timeline-item-6').innerText()).resolves.toContain('承办单位已答复');
  await expect(onTop(page, '#timeline-item-5').innerText()).resolves.toContain('承办单位已与您联系');
  await expect(onTop(page, '#timeline-item-4').innerText()).resolves.toContain('承办单位已签收');
  await expectText(page, '#detail-reply', '已安排环卫人员清运垃圾桶');
  await expect(onTop(page, '#detail-reply').innerText()).resolves.toContain('经办人：刘洋');
  await onTop(page, '#rating').waitFor();
  await shotPage(page, 'resident-10-timeline-resolved');
});

test('rating dissatisfied needs a reason → rework → the unit replies again → satisfied', async () => {
  const t = await followed();
  await openDetail(page, t.id);
  await onTop(page, '#rating').waitFor();

  await onTop(page, '#rating-option-dissatisfied').click();
  await expectText(page, '#rating', '不满意的理由（必填）');
  await onTop(page, '#rating-rework-hint').waitFor();
  await onTop(page, '#rating-submit').click();
  await expectText(page, '#form-error', '选择不满意时请填写理由');
  await shotPage(page, 'resident-11-dissatisfied-reason-required');

  await fillField(page, 'rating-reason', '垃圾桶清了一次，第二天又满了，没有根本解决。');
  await onTop(page, '#rating-submit').click();
  await expectText(page, '#rating-done-value', '不满意');
  // The rating says what was chosen, and the state no longer asks for one.
  await expectText(page, '#detail-state', '已评价，可申请重新办理');
  const rated = onTop(page, '#timeline .timeline-item[data-type="rate"]').first();
  await expect(rated.locator('.timeline-item__label').innerText()).resolves.toBe('诉求人评价：不满意');
  // The rating left the state as it was: no state is shown beside it.
  await expect(rated.locator('.timeline-item__state').count()).resolves.toBe(0);
  await onTop(page, '#rework').waitFor();
  await expectText(page, '#rework-limit', '还可申请1次');
  await fillField(page, 'rework-reason', '请增加垃圾桶数量或清运频次。');
  await shotPage(page, 'resident-12-rework');
  await onTop(page, '#rework-submit').click();
  await expectText(page, '#detail-state', '办理中');
  await expect(onTop(page, '#rework').count()).resolves.toBe(0);
  const types = await timelineTypes(page);
  expect(types.slice(0, 2)).toEqual(['requestRework', 'rate']);

  // The unit replies again and the platform approves.
  await staff({ type: 'reply', ticketId: t.id, result: '已在南门增设两个垃圾桶，清运改为每日两次。', handler: '刘洋' });
  await op({ type: 'reviewResult', ticketId: t.id, approve: true });
  await refreshDetail(page, '已办结，请评价');
  await expectText(page, '#detail-reply', '增设两个垃圾桶');
  await onTop(page, '#rating').waitFor();
  await onTop(page, '#rating-option-satisfied').click();
  await onTop(page, '#rating-submit').click();
  await expectText(page, '#rating-done-value', '满意');
  await expect(onTop(page, '#rework').count()).resolves.toBe(0);
  await expect(onTop(page, '#rating').count()).resolves.toBe(0);
  const satisfied = onTop(page, '#timeline .timeline-item[data-type="rate"]').first();
  await expect(satisfied.locator('.timeline-item__label').innerText()).resolves.toBe('诉求人评价：满意');
  // A rating that closed the request shows where it went.
  await expect(satisfied.locator('.timeline-item__state').innerText()).resolves.toBe('→ 已办结');
  await shotPage(page, 'resident-13-satisfied');

  const d = await residentGet(t.id);
  expect(d.timeline.map((e) => e.type).filter((x) => x === 'rate' || x === 'requestRework' || x === 'reply')).toEqual(['reply', 'rate', 'requestRework', 'reply', 'rate']);
});

test('withdrawal while allowed: the resident withdraws a request before any unit signs it', async () => {
  const t = await apiSubmit('人民路公交站的站牌被撞歪了，存在安全隐患。');
  await op({ type: 'accept', ticketId: t.id });
  await openDetail(page, t.id);
  await expectText(page, '#detail-state', '已受理');
  await onTop(page, '#withdraw-button').click();
  await page.locator('#withdraw-dialog:visible').waitFor();
  await shotPage(page, 'resident-14-withdraw-dialog');
  await page.locator('#withdraw-confirm:visible').click();
  await expectText(page, '#detail-state', '已撤回');
  await expect(onTop(page, '#withdraw-button').count()).resolves.toBe(0);
  await expect(timelineTypes(page)).resolves.toEqual(['withdraw', 'accept', 'submit']);
  await shotPage(page, 'resident-15-withdrawn');
  expect((await residentGet(t.id)).ticket.state).toBe('withdrawn');
});

test('look-up by number + the last 4 phone digits, signed in and without signing in', async () => {
  const t = await followed();
  // Signed in.
  await page.goto(`${rt.url}/pages/lookup/index`);
  await fillField(page, 'lookup-number', t.number);
  await fillField(page, 'lookup-phone-tail', '9999');
  await onTop(page, '#lookup-submit').click();
  await expectText(page, '#form-error', '未找到该诉求');
  await fillField(page, 'lookup-phone-tail', PHONE.slice(-4));
  await onTop(page, '#lookup-submit').click();
  await expectText(page, '#lookup-result #detail-number', t.number);
  await onTop(page, '#lookup-result #timeline').waitFor();

  // A phone reporter with no account: a fresh browser context, nobody signed in.
  const anon = await phoneContext(browser);
  try {
    const p = await anon.newPage();
    await p.goto(`${rt.url}/pages/lookup/index`);
    await onTop(p, '#login-picker').waitFor();
    await fillField(p, 'lookup-number', t.number.toLowerCase());
    await fillField(p, 'lookup-phone-tail', PHONE.slice(-4));
    await onTop(p, '#lookup-submit').click();
    await expectText(p, '#lookup-result #detail-number', t.number);
    await onTop(p, '#lookup-result #detail-state').filter({ hasText: /\S/ }).waitFor();
    const items = await onTop(p, '#lookup-result #timeline .timeline-item').count();
    expect(items).toBeGreaterThanOrEqual(1);
    await shotPage(p, 'resident-16-lookup-anonymous');
  } finally {
    await anon.close();
  }
});
