/**
 * Forms keep a draft on the device (issue 16): the resident's request and a unit's reply come back
 * after a reload with their text and their uploaded files; leaving a filled form asks first
 * (the browser's prompt for a reload or a closed tab, a modal for the title bar's arrows and the page's
 * own 返回); a sent form leaves no draft behind.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, startRuntime, type Runtime } from './harness';
import { eventually, fieldValue, fillField, onTop, signedInContext } from './fixtures/app';
import { photoPng } from './fixtures/media';

jest.setTimeout(240_000);

let rt: Runtime;
let browser: Browser;

type View = { ticket: { id: string; number: string; version: number; state: string } };

beforeAll(async () => {
  rt = await startRuntime({ profile: 'pingli' });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

/** Reloads the page, answering the browser's "leave site?" prompt; returns whether it was asked. */
async function reloadAnswering(page: Page): Promise<boolean> {
  let asked = false;
  const onDialog = (d: { type(): string; accept(): Promise<void> }) => {
    if (d.type() === 'beforeunload') asked = true;
    void d.accept();
  };
  page.on('dialog', onDialog);
  try {
    await page.reload();
  } finally {
    page.off('dialog', onDialog);
  }
  return asked;
}

/**
 * Waits until the form's draft on the device holds the uploaded file (its device copy and its
 * file id). "已上传" can show before the device copy is written: a reload in between brings the
 * text back without the photo (a CI run reloaded in that gap).
 */
async function draftKeepsUpload(page: Page, form: 'resident' | 'staff'): Promise<void> {
  await page.waitForFunction(
    (prefix) => Object.keys(localStorage).some((k) => k.startsWith(prefix) && (localStorage.getItem(k) ?? '').includes('fileRef')),
    `form-draft:${form}:`,
    { timeout: 15_000 },
  );
}

describe('the resident’s form', () => {
  let context: BrowserContext;
  let page: Page;
  const TEXT = '小区门口的路灯坏了一个星期，晚上很黑，老人出门容易摔倒，请尽快维修。';

  beforeAll(async () => {
    context = await signedInContext(browser, rt, 'demo-resident');
    page = await context.newPage();
  });
  afterAll(() => context.close());

  it('comes back after a reload with its text, choices and uploaded photo', async () => {
    await page.goto(`${rt.url}/`);
    await onTop(page, '#entry-submit').click();
    await onTop(page, '#field-content').waitFor();
    await onTop(page, '#type-complaint').click();
    await fillField(page, 'field-category-input', '市政设施');
    await fillField(page, 'field-content', TEXT);
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), onTop(page, '#add-photo').click()]);
    await chooser.setFiles({ name: 'lamp.png', mimeType: 'image/png', buffer: photoPng(800, 600) });
    await onTop(page, '#media-item-0.media-item--done').waitFor({ timeout: 30_000 });
    await draftKeepsUpload(page, 'resident');
    // Done reads as done: no full red bar left behind.
    await expect(onTop(page, '#media-item-0 .media-item__progress').count()).resolves.toBe(0);

    expect(await reloadAnswering(page)).toBe(true);
    await onTop(page, '#draft-restored').waitFor();
    expect(await eventually(() => fieldValue(page, 'field-content'), (v) => v === TEXT)).toBe(TEXT);
    expect(await fieldValue(page, 'field-category-input')).toBe('市政设施');
    await expect(onTop(page, '#type-complaint').getAttribute('class')).resolves.toContain('chip--active');
    // The photo is back, already stored: it is not uploaded again.
    await onTop(page, '#media-item-0.media-item--image.media-item--done').waitFor({ timeout: 15_000 });
    await expect(onTop(page, '#media-item-0 .media-item__img').count()).resolves.toBe(1);
  });

  it('going back inside the app keeps the draft: the form opened again brings it back', async () => {
    await page.goto(`${rt.url}/`);
    await onTop(page, '#entry-submit').click();
    await onTop(page, '#draft-restored').waitFor();
    await page.goBack();
    await page.waitForURL((u) => !u.pathname.includes('/pages/submit/'));
    await onTop(page, '#entry-submit').click();
    await onTop(page, '#draft-restored').waitFor();
    expect(await eventually(() => fieldValue(page, 'field-content'), (v) => v === TEXT)).toBe(TEXT);
  });

  it("the title bar's back arrow asks before leaving the filled form: 留下 stays, 离开 goes back", async () => {
    await page.goto(`${rt.url}/`);
    await onTop(page, '#entry-submit').click();
    await onTop(page, '#draft-restored').waitFor();
    const back = page.locator('.taro-navigation-bar-back >> visible=true');
    const modal = page.locator('.taro__modal .taro-modal__content >> visible=true');
    await back.click();
    await expect(modal.innerText()).resolves.toContain('填写的内容已保存在本机');
    await page.locator('.taro__modal .taro-model__cancel >> visible=true').click();
    await modal.waitFor({ state: 'hidden' });
    expect(new URL(page.url()).pathname).toContain('/pages/submit/');
    await onTop(page, '#field-content').waitFor();

    await back.click();
    await page.locator('.taro__modal .taro-model__confirm >> visible=true').click();
    await page.waitForURL((u) => !u.pathname.includes('/pages/submit/'));
    // Back on the form, for the next test: the draft is still there.
    await onTop(page, '#entry-submit').click();
    await onTop(page, '#draft-restored').waitFor();
  });

  it('once sent, the draft is gone: the next form starts empty and the ticket carries the photo', async () => {
    await fillField(page, 'field-contact-phone', '13800001234');
    // The page under the h5 title bar ends on the screen: its last 40 px (提交 at the end of the form) are reachable.
    const pageBottom = await page.evaluate(() => Array.from(document.querySelectorAll('.taro_page_show')).pop()!.getBoundingClientRect().bottom);
    expect(pageBottom).toBeLessThanOrEqual(page.viewportSize()!.height);
    await onTop(page, '#submit-button').click();
    await page.waitForURL(/\/pages\/result\/index/);
    const id = new URL(page.url()).searchParams.get('id')!;
    const d = await rt.call<{ ticket: { content: string; attachments: { kind: string }[] } }>('demo-resident', 'resident', { action: 'get', ticketId: id });
    expect(d.ticket.content).toBe(TEXT);
    expect(d.ticket.attachments.map((a) => a.kind)).toEqual(['image']);

    await page.goto(`${rt.url}/pages/submit/index`);
    await onTop(page, '#field-content').waitFor();
    await expect(onTop(page, '#draft-restored').count()).resolves.toBe(0);
    expect(await fieldValue(page, 'field-content')).toBe('');
    await expect(onTop(page, '#media-list').count()).resolves.toBe(0);
    // A form with nothing typed is left without a question.
    let asked = false;
    page.once('dialog', (dlg) => ((asked = true), void dlg.accept()));
    await page.reload();
    await onTop(page, '#field-content').waitFor();
    expect(asked).toBe(false);
  });
});

describe('a unit’s reply', () => {
  let context: BrowserContext;
  let page: Page;
  let id = '';
  const RESULT = '已安排环卫车辆于当天下午清运，并增加了该点位的清运频次。';
  const staffVersion = async () => (await rt.call<View>('demo-staff-cg', 'staff', { action: 'get', ticketId: id })).ticket.version;

  beforeAll(async () => {
    const sub = await rt.call<View>('demo-resident', 'resident', {
      action: 'submit',
      input: {
        clientRequestId: `drafts-e2e-${Date.now()}`,
        type: 'help',
        category: '市容环境',
        content: '楼下的垃圾桶满了三天没有清运，味道很大，请安排清理。',
        location: { address: '东区人民路8号', area: '东区街道' },
        contact: { name: '张明', phone: '13800001234' },
      },
    });
    id = sub.ticket.id;
    const op = async (command: Record<string, unknown>) => {
      const cur = await rt.call<View>('demo-operator', 'operator', { action: 'get', ticketId: id });
      await rt.call('demo-operator', 'operator', { action: 'command', command: { ...command, ticketId: id, expectedVersion: cur.ticket.version } });
    };
    await op({ type: 'accept' });
    await op({ type: 'dispatch', mode: 'single', unitIds: ['u-chengguan'], assistUnitIds: [] });
    await rt.call('demo-staff-cg', 'staff', { action: 'command', command: { type: 'sign', ticketId: id, expectedVersion: await staffVersion() } });
    // pingli 10(1): the unit records its contact with the requester before it replies (the ticket page offers 答复 then).
    await rt.call('demo-staff-cg', 'staff', { action: 'command', command: { type: 'contact', ticketId: id, method: 'phone', note: '已电话联系诉求人，约定当天清运', expectedVersion: await staffVersion() } });
    context = await signedInContext(browser, rt, 'demo-staff-cg');
    page = await context.newPage();
  });
  afterAll(() => context?.close());

  it('comes back after a reload with its text and uploaded photo, for that ticket and that action only', async () => {
    await page.goto(`${rt.url}/packageStaff/pages/action/index?id=${id}&type=reply`);
    await onTop(page, '#reply-result').waitFor();
    await fillField(page, 'reply-result', RESULT);
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), onTop(page, '#action-media #add-photo').click()]);
    await chooser.setFiles({ name: 'cleared.png', mimeType: 'image/png', buffer: photoPng(640, 480) });
    await onTop(page, '#media-item-0.media-item--done').waitFor({ timeout: 30_000 });
    await draftKeepsUpload(page, 'staff');

    expect(await reloadAnswering(page)).toBe(true);
    await onTop(page, '#draft-restored').waitFor();
    expect(await eventually(() => fieldValue(page, 'reply-result'), (v) => v === RESULT)).toBe(RESULT);
    await onTop(page, '#media-item-0.media-item--image.media-item--done').waitFor({ timeout: 15_000 });
    await expect(onTop(page, '#media-item-0 .media-item__img').count()).resolves.toBe(1);

    // Another action on the same ticket starts from nothing.
    await page.goto(`${rt.url}/packageStaff/pages/action/index?id=${id}&type=contact`);
    await onTop(page, '#page-staff-action #action-head').waitFor();
    await expect(onTop(page, '#draft-restored').count()).resolves.toBe(0);
  });

  it('leaving the filled reply asks first, by the title bar and by 返回: 留下 keeps the form', async () => {
    await page.goto(`${rt.url}/packageStaff/pages/ticket/index?id=${id}`);
    await onTop(page, '#action-reply').click();
    await onTop(page, '#draft-restored').waitFor();
    const modal = page.locator('.taro__modal .taro-modal__content >> visible=true');
    const stay = async () => {
      await expect(modal.innerText()).resolves.toContain('填写的内容已保存在本机');
      await page.locator('.taro__modal .taro-model__cancel >> visible=true').click();
      await modal.waitFor({ state: 'hidden' });
      expect(new URL(page.url()).pathname).toContain('/packageStaff/pages/action/');
      expect(await fieldValue(page, 'reply-result')).toBe(RESULT);
    };
    await page.locator('.taro-navigation-bar-back >> visible=true').click();
    await stay();
    await onTop(page, '#action-cancel').click();
    await stay();
    // 离开 goes back to the ticket; the draft stays for the next time.
    await onTop(page, '#action-cancel').click();
    await page.locator('.taro__modal .taro-model__confirm >> visible=true').click();
    await page.waitForURL((u) => u.pathname.includes('/packageStaff/pages/ticket/'));
    await onTop(page, '#action-reply').click();
    await onTop(page, '#draft-restored').waitFor();
    expect(await eventually(() => fieldValue(page, 'reply-result'), (v) => v === RESULT)).toBe(RESULT);
  });

  it('once sent, the draft is gone and the reply carries the photo', async () => {
    await page.reload();
    await onTop(page, '#draft-restored').waitFor();
    await onTop(page, '#media-item-0.media-item--done').waitFor({ timeout: 15_000 });
    await onTop(page, '#action-submit').click();
    await page.waitForURL((u) => u.pathname.includes('/packageStaff/pages/ticket/'));
    const d = await rt.call<{ ticket: { state: string; reply?: { result: string; attachments: { kind: string }[] } } }>('demo-operator', 'operator', { action: 'get', ticketId: id });
    expect(d.ticket.state).toBe('replied');
    expect(d.ticket.reply?.result).toBe(RESULT);
    expect(d.ticket.reply?.attachments.map((a) => a.kind)).toEqual(['image']);

    await page.goto(`${rt.url}/packageStaff/pages/action/index?id=${id}&type=reply`);
    await onTop(page, '#page-staff-action #action-head').waitFor();
    await expect(onTop(page, '#draft-restored').count()).resolves.toBe(0);
    expect(await fieldValue(page, 'reply-result')).toBe('');
  });
});
