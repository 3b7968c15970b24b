/**
 * Issue 15 item 2 in the browser (h5 build, local runtime, baiyin): before submitting, a resident
 * sees 附近已有人反映 for the category and address typed, joins with 我也遇到 and lands on the request
 * as a co-requester (counted, no one else's name); an operator merges a duplicate into it with
 * 合并 and the ticket-number picker, and both tickets show the link on every role's page.
 */
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, startRuntime, type Runtime } from './harness';
import { fillField, onTop, signedInContext } from './fixtures/app';

let rt: Runtime;
let browser: Browser;

beforeAll(async () => {
  rt = await startRuntime({ profile: 'baiyin' });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

async function expectText(p: Page, sel: string, text: string | RegExp, timeout = 15_000) {
  await onTop(p, sel).filter({ hasText: text }).first().waitFor({ timeout });
}

const submit = (who: string, crid: string, content: string, contact: { name: string; phone: string }) =>
  rt.call<{ ticket: { id: string; number: string } }>(who, 'resident', {
    action: 'submit',
    input: { clientRequestId: crid, type: 'complaint', category: '噪声扰民', content, location: { address: '幸福路工地', area: '东区街道' }, contact },
  });

test('附近已有人反映 → 我也遇到; 合并 with the number picker; links on every role’s ticket page', async () => {
  const primary = await submit('demo-resident', `dup-e2e-a-${Date.now()}`, '工地每天夜里施工到凌晨，噪声很大影响休息。', { name: '张明', phone: '13800001234' });
  await rt.call('demo-operator', 'operator', { action: 'command', command: { type: 'accept', ticketId: primary.ticket.id } });
  await rt.call('demo-operator', 'operator', { action: 'command', command: { type: 'dispatch', ticketId: primary.ticket.id, mode: 'single', unitIds: ['u-chengguan'], assistUnitIds: [] } });

  // The resident types the same category and address: the open request is shown, without who asked.
  const res = await (await signedInContext(browser, rt, 'demo-resident2')).newPage();
  await res.goto(`${rt.url}/pages/submit/index`);
  await onTop(res, '#field-content').waitFor();
  await fillField(res, 'field-category-input', '噪声扰民');
  await fillField(res, 'field-address', '幸福路工地');
  await expectText(res, '#nearby', '附近已有人反映');
  // The summary is the request's own words (they name no person, phone or address).
  await expectText(res, '#nearby-0', '工地每天夜里施工到凌晨');
  await expectText(res, '#nearby-0-count', '已有1位市民反映');
  expect(await onTop(res, '#nearby').innerText()).not.toMatch(/张明|13800001234|138\*\*\*\*1234/);
  await onTop(res, '#nearby-0-join').click();
  // Joined instead of submitting: the request opens, counted with two requesters.
  await expectText(res, '#detail-requester-count', '共2位市民反映了这个问题');
  await expectText(res, '#detail-number', primary.ticket.number);
  expect(await onTop(res, '.ticket-detail').innerText()).not.toMatch(/张明|13800001234/);

  // A duplicate by phone, merged by the operator through the picker of open requests of the same matter.
  const dup = await rt.call<{ ticket: { id: string; number: string } }>('demo-operator', 'operator', {
    action: 'submit',
    input: { clientRequestId: `dup-e2e-b-${Date.now()}`, type: 'complaint', category: '噪声扰民', content: '幸福路工地夜间施工扰民，来电反映。', location: { address: '幸福路工地', area: '东区街道' }, contact: { name: '赵一', phone: '13700000001' } },
  });
  const op = await (await signedInContext(browser, rt, 'demo-operator')).newPage();
  await op.goto(`${rt.url}/packageOperator/pages/ticket/index?id=${dup.ticket.id}`);
  await onTop(op, '#action-merge').click();
  await onTop(op, `#merge-pick-${primary.ticket.number}`).click();
  await onTop(op, '#merge-submit').click();
  await expectText(op, `#detail-link-mergedInto-${primary.ticket.number}`, '已合并到');
  // The link opens the primary, which links back and counts three requesters.
  await onTop(op, `#detail-link-mergedInto-${primary.ticket.number}`).click();
  await expectText(op, `#detail-link-mergedFrom-${dup.ticket.number}`, '合并进来的诉求');
  await expectText(op, '#detail-requester-count', '共3位市民反映了这个问题');

  // The unit reads the count on its page; the requester too.
  const cg = await (await signedInContext(browser, rt, 'demo-staff-cg')).newPage();
  await cg.goto(`${rt.url}/packageStaff/pages/ticket/index?id=${primary.ticket.id}`);
  await expectText(cg, '#detail-requester-count', '共3位市民反映了这个问题');
  const own = await (await signedInContext(browser, rt, 'demo-resident')).newPage();
  await own.goto(`${rt.url}/pages/detail/index?id=${primary.ticket.id}`);
  await expectText(own, '#detail-requester-count', '共3位市民反映了这个问题');
  expect(await onTop(own, '.ticket-detail').innerText()).not.toMatch(/李芳|13900005678|赵一|13700000001/);
});
