/**
 * A grid worker on the h5 build, in Debian's chromium against the real local runtime: a field
 * report on behalf of a resident, drafted without a network (`context.setOffline(true)`), that
 * waits (等待网络) and submits itself when the network returns — exactly once, reload or not.
 * Screenshots of the key screens go to test-output/e2e/grid-*.png.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, startRuntime, type Runtime } from './harness';
import { eventually, fieldValue, fillField, onTop, shotPage, signedInContext } from './fixtures/app';
import { photoPng } from './fixtures/media';

jest.setTimeout(120_000);

interface ListItem {
  id: string;
  number: string;
  title: string;
  state: string;
}

let rt: Runtime;
let browser: Browser;

const mine = async () => (await rt.call<{ items: ListItem[] }>('demo-grid', 'resident', { action: 'listMine', limit: 50 })).items;

async function draftStatus(page: Page): Promise<string | null> {
  return onTop(page, '#draft-status').getAttribute('data-status');
}

beforeAll(async () => {
  [rt, browser] = await Promise.all([startRuntime(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

describe('grid worker', () => {
  let context: BrowserContext;
  let page: Page;
  /** The number of the report the offline case submitted. */
  let reported: string | null = null;

  beforeAll(async () => {
    context = await signedInContext(browser, rt, 'demo-grid');
    page = await context.newPage();
  });
  afterAll(async () => {
    await context?.close();
  });

  test('a draft is saved on the device as it is typed and survives a reload', async () => {
    await page.goto(`${rt.url}/`);
    await onTop(page, '#grid-entries').waitFor();
    await onTop(page, '#entry-grid-report').click();
    await page.waitForURL(/\/packageGrid\/pages\/report\/index/);
    await onTop(page, '#page-grid-report #network-status.grid-network--on').waitFor();
    await expect(draftStatus(page)).resolves.toBe('draft');
    await fillField(page, 'field-content', '东区第三网格7号楼前的路灯不亮了，晚上很黑。');
    await onTop(page, '#draft-saved').waitFor();

    await page.reload();
    await page.goto(`${rt.url}/packageGrid/pages/drafts/index`);
    const item = onTop(page, '#draft-list .draft-item').filter({ hasText: '路灯不亮' });
    await item.waitFor();
    await expect(item.getAttribute('data-status')).resolves.toBe('draft');
    await expect(item.locator('.draft-status').innerText()).resolves.toBe('草稿');
    // Not sent: the server has nothing yet.
    await expect(mine()).resolves.toHaveLength(0);
    // Cleared so the next case starts from an empty box.
    await item.locator('.draft-delete').click();
    await onTop(page, '#drafts-empty').waitFor();
  });

  test('the report form still offers the categories it last received when the profile cannot be loaded', async () => {
    await page.goto(`${rt.url}/packageGrid/pages/report/index`);
    await onTop(page, '#category-0').waitFor();
    const first = await onTop(page, '#category-0').innerText();
    // The profile request now fails as it would in a basement; the page is reloaded.
    const refuseProfile = async (route: import('playwright-core').Route) => {
      const body = route.request().postData() ?? '';
      if (body.includes('"profile"')) await route.abort('internetdisconnected');
      else await route.continue();
    };
    await page.route('**/api/resident', refuseProfile);
    let refused = 0;
    page.on('requestfailed', (r) => {
      if (r.url().endsWith('/api/resident') && (r.postData() ?? '').includes('"profile"')) refused += 1;
    });
    try {
      await page.reload();
      await onTop(page, '#page-grid-report #network-status').waitFor();
      await expectText(page, '#category-0', first);
      expect(refused).toBeGreaterThan(0);
    } finally {
      await page.unroute('**/api/resident', refuseProfile);
    }
  });

  test('an on-behalf draft made offline waits for the network, submits itself once when back online, and a reload does not send it again', async () => {
    // Both grid pages are loaded while online: page code is fetched on first visit.
    await page.goto(`${rt.url}/packageGrid/pages/drafts/index`);
    await onTop(page, '#new-report').click();
    await page.waitForURL(/\/packageGrid\/pages\/report\/index/);
    await onTop(page, '#network-status.grid-network--on').waitFor();
    // The form has its categories before the network goes.
    await onTop(page, '#category-0').waitFor();

    await context.setOffline(true);
    await onTop(page, '#network-status.grid-network--off').waitFor();
    await expectText(page, '#network-status', '当前无网络');

    const content = '东区第三网格滨河路12号门前下水道井盖破损，有行人绊倒的危险。';
    await fillField(page, 'field-content', content);
    await fillField(page, 'field-category-input', '排水');
    await fillField(page, 'field-address', '滨河路12号');
    await onTop(page, '#field-on-behalf').click();
    await expectText(page, '#page-grid-report', '群众姓名');
    // On behalf: the resident's name and phone are required before it can be queued.
    await onTop(page, '#draft-submit').click();
    await onTop(page, '#error-contact').waitFor();
    await expect(draftStatus(page)).resolves.toBe('draft');
    await fillField(page, 'field-contact-name', '赵大爷');
    await fillField(page, 'field-contact-phone', '13700007788');
    expect(await eventually(() => fieldValue(page, 'field-contact-phone'), (v) => v === '13700007788')).toBe('13700007788');

    // A photo, kept on the device with the draft (IndexedDB) while offline.
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), onTop(page, '#add-photo').click()]);
    await chooser.setFiles({ name: 'manhole.png', mimeType: 'image/png', buffer: photoPng(1200, 900) });
    await onTop(page, '#media-item-0.media-item--local.media-item--image').waitFor();

    await onTop(page, '#draft-submit').click();
    await expectText(page, '#draft-status', '等待网络');
    await expect(draftStatus(page)).resolves.toBe('waiting');
    await expectText(page, '#draft-waiting', '联网后自动上传并提交');
    await shotPage(page, 'grid-01-offline-waiting');
    // Still offline a moment later: nothing reached the server.
    await page.waitForTimeout(1500);
    await expect(draftStatus(page)).resolves.toBe('waiting');
    await expect(mine()).resolves.toHaveLength(0);

    await context.setOffline(false);
    await onTop(page, '#network-status.grid-network--on').waitFor();
    await expectText(page, '#draft-status', '已提交', 20_000);
    await expect(draftStatus(page)).resolves.toBe('submitted');
    const number = (await onTop(page, '#draft-ticket-number').innerText()).replace(/^编号\s*/, '').trim();
    expect(number).toMatch(/^[A-Z0-9]{6,24}$/);
    await onTop(page, '#media-item-0.media-item--done').waitFor();
    await shotPage(page, 'grid-02-back-online-submitted');

    const once = await mine();
    expect(once).toHaveLength(1);
    expect(once[0]!.number).toBe(number);
    // The operator sees it as the grid worker's report for the named resident, with the photo.
    const seen = await rt.call<{ ticket: { channel: string; content: string; requester: { name?: string; phone?: string }; attachments: { kind: string }[] } }>('demo-operator', 'operator', { action: 'get', ticketId: once[0]!.id });
    expect(seen.ticket.channel).toBe('grid');
    expect(seen.ticket.content).toBe(content);
    expect(seen.ticket.requester.name).toBe('赵大爷');
    expect(seen.ticket.requester.phone).toBe('13700007788');
    expect(seen.ticket.attachments.map((a) => a.kind)).toEqual(['image']);

    // Reloads, a network flap and an explicit flush: still one ticket.
    await page.reload();
    await page.goto(`${rt.url}/packageGrid/pages/drafts/index`);
    const item = onTop(page, '#draft-list .draft-item').filter({ hasText: '井盖破损' });
    await item.waitFor();
    await expect(item.getAttribute('data-status')).resolves.toBe('submitted');
    await expect(item.locator('.draft-status').innerText()).resolves.toBe('已提交');
    await expect(item.innerText()).resolves.toContain(number);
    await context.setOffline(true);
    await context.setOffline(false);
    await page.reload();
    await onTop(page, `#ticket-${number}`).waitFor();
    await page.waitForTimeout(1500);
    await expect(onTop(page, '#drafts-flush').count()).resolves.toBe(0);
    await shotPage(page, 'grid-03-drafts-after-reload');
    const after = await mine();
    expect(after.map((t) => t.number)).toEqual([number]);
    reported = number;
  });

  test('my reports: the submitted report opens the same detail page, and its row shows its state and text', async () => {
    const number = reported ?? (await mine())[0]?.number;
    expect(number).toBeTruthy();
    await page.goto(`${rt.url}/packageGrid/pages/drafts/index`);
    const row = onTop(page, `#ticket-${number}`);
    await row.click();
    await page.waitForURL(/\/pages\/detail\/index/);
    await expectText(page, '#detail-number', number!);
    await expectText(page, '#detail-state', '已提交，待受理');
    await expectText(page, '#detail-content', '井盖破损');
    await onTop(page, '#detail-attachments-image-0 img').waitFor();
    await expect(onTop(page, '#timeline .timeline-item').count()).resolves.toBe(1);
    await shotPage(page, 'grid-04-report-detail');
    await page.goBack();
    await onTop(page, `#ticket-${number}`).waitFor();
    const text = await onTop(page, `#ticket-${number}`).innerText();
    expect(text).toContain('已提交，待受理');
    expect(text).toContain('井盖破损');
  });
});

async function expectText(p: Page, selector: string, text: string | RegExp, timeout = 15_000) {
  await onTop(p, selector).filter({ hasText: text }).first().waitFor({ timeout });
}
