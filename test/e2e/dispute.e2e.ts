/**
 * anshan 23(3) in the browser (h5 build, local runtime, anshan profile): the resident rates 一星
 * (不满意) on the detail page; the lead unit opens 申诉评价 on its action page, is asked for a reason
 * and submits one; the operator opens 复评 and upholds it with a re-rating and a reason, and the
 * operator's ticket page then shows the platform's rating beside the resident's. A rejected dispute
 * leaves the resident's rating as the only one.
 */
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, startRuntime, type Runtime } from './harness';
import { fillField, onTop, shotPage, signedInContext } from './fixtures/app';

let rt: Runtime;
let browser: Browser;
let resident: Page;
let unit: Page;
let operator: Page;
let seq = 0;

interface RatedView {
  ticket: { ratings: { value: string; by: string; article?: string; reason?: string }[]; pendingDispute?: unknown; disputes?: { upheld: boolean }[] };
  actions: string[];
}

beforeAll(async () => {
  rt = await startRuntime({ profile: 'anshan' });
  browser = await launchBrowser();
  resident = await (await signedInContext(browser, rt, 'demo-resident')).newPage();
  unit = await (await signedInContext(browser, rt, 'demo-staff-cg')).newPage();
  operator = await (await signedInContext(browser, rt, 'demo-operator')).newPage();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

async function expectText(p: Page, sel: string, text: string | RegExp, timeout = 15_000) {
  await onTop(p, sel).filter({ hasText: text }).first().waitFor({ timeout });
}

/** Submitted by the resident, handled by 城管局 (contact, reply) and approved: waiting for the rating. */
async function resolved(content: string): Promise<string> {
  const sub = await rt.call<{ ticket: { id: string } }>('demo-resident', 'resident', {
    action: 'submit',
    input: { clientRequestId: `dispute-e2e-${++seq}-${Date.now()}`, type: 'complaint', category: '市容环境', content, location: { address: '铁东区胜利路8号', area: '东区街道' }, contact: { name: '张明', phone: '13800001234' } },
  });
  const id = sub.ticket.id;
  const op = (command: Record<string, unknown>) => rt.call('demo-operator', 'operator', { action: 'command', command: { ticketId: id, ...command } });
  const staff = (command: Record<string, unknown>) => rt.call('demo-staff-cg', 'staff', { action: 'command', command: { ticketId: id, ...command } });
  await op({ type: 'accept' });
  await op({ type: 'dispatch', mode: 'single', unitIds: ['u-chengguan'], assistUnitIds: [] });
  await staff({ type: 'sign' });
  await staff({ type: 'contact', method: 'phone', note: '已电话联系诉求人，约定现场查看' });
  await staff({ type: 'reply', result: '已更换路灯灯泡，现场恢复照明，经复查运行正常。', handler: '刘洋', noCaseReason: '现场整改完毕，无需立案。' });
  await op({ type: 'reviewResult', approve: true });
  return id;
}

/** The resident rates 一星 with a reason on the detail page. */
async function rateOneStar(id: string) {
  await resident.goto(`${rt.url}/pages/detail/index?id=${id}`);
  await onTop(resident, '#rating').waitFor();
  await onTop(resident, '#rating-option-1').click();
  await expectText(resident, '#rating', '不满意的理由（必填）');
  await fillField(resident, 'rating-reason', '路灯晚上还是时亮时不亮');
  await onTop(resident, '#rating-submit').click();
  await expectText(resident, '#rating-done-value', '一星');
}

const operatorView = (id: string) => rt.call<RatedView>('demo-operator', 'operator', { action: 'get', ticketId: id });

test('anshan 23(3): the unit disputes a 一星 rating with a reason, the operator upholds it with 四星 and a reason, and the ticket shows the platform\'s rating', async () => {
  const id = await resolved('胜利路8号门前路灯坏了一个多月，晚上出行不便');
  await rateOneStar(id);

  // The unit: 申诉评价 on the ticket page opens the action page; the reason is required.
  await unit.goto(`${rt.url}/packageStaff/pages/ticket/index?id=${id}`);
  await onTop(unit, '#action-disputeRating').click();
  await expectText(unit, '#dispute-rule', '复评结果为最终评价结果');
  await onTop(unit, '#action-submit').click();
  await expectText(unit, '#error-reason', '请填写申诉理由');
  expect((await operatorView(id)).ticket.pendingDispute).toBeUndefined();
  await onTop(unit, '#dispute-reason textarea').fill('现场照片显示路灯已修复并连续三晚正常亮灯，评价与事实不符');
  await shotPage(unit, 'dispute-01-unit-reason');
  await onTop(unit, '#action-submit').click();
  await expectText(unit, '#staff-dispute-pending', '连续三晚正常亮灯');
  expect(await onTop(unit, '#action-disputeRating').count()).toBe(0);

  // The operator: 复评 shows the dispute; upholding needs a level and a reason.
  await operator.goto(`${rt.url}/packageOperator/pages/ticket/index?id=${id}`);
  await onTop(operator, '#action-reviewDispute').click();
  await expectText(operator, '#pending-dispute', '诉求人的评价：一星');
  await expectText(operator, '#pending-dispute', '连续三晚正常亮灯');
  await onTop(operator, '#reviewDispute-upheld').click();
  await onTop(operator, '#reviewDispute-confirm').click();
  await expectText(operator, '#reviewDispute-problem', '请填写复评意见');
  await onTop(operator, '#reviewDispute-note textarea').fill('复核现场照片和巡查记录，路灯已修复');
  await onTop(operator, '#reviewDispute-confirm').click();
  await expectText(operator, '#reviewDispute-problem', '须选择复评的评价等级');
  await onTop(operator, '#reviewDispute-option-4').click();
  await shotPage(operator, 'dispute-02-operator-rerate');
  await onTop(operator, '#reviewDispute-confirm').click();
  await expectText(operator, '#action-done', '已复评');

  // The operator's page shows both, the platform's marked as its re-rating with the article.
  await operator.reload();
  await expectText(operator, '#fact-ratings', '一星（诉求人评价）');
  await expectText(operator, '#fact-ratings', '四星（平台复评，依据第二十三条第三款）');
  await shotPage(operator, 'dispute-03-operator-ratings');
  const d = await operatorView(id);
  expect(d.ticket.ratings.map((r) => [r.value, r.by])).toEqual([['1', 'requester'], ['4', 'platform']]);
  expect(d.ticket.ratings[1]).toMatchObject({ article: '第二十三条第三款', reason: '复核现场照片和巡查记录，路灯已修复' });

  // The unit reads the outcome; a round's rating is disputed once.
  await unit.goto(`${rt.url}/packageStaff/pages/ticket/index?id=${id}`);
  await expectText(unit, '#staff-dispute-decided', '评价申诉已采纳，平台已复评：复核现场照片和巡查记录');
  expect(await onTop(unit, '#action-disputeRating').count()).toBe(0);
});

test('anshan 23(3): a rejected dispute leaves the resident\'s rating as the only one', async () => {
  const id = await resolved('胜利路口垃圾桶满溢，无人清运');
  await rateOneStar(id);
  await unit.goto(`${rt.url}/packageStaff/pages/ticket/index?id=${id}`);
  await onTop(unit, '#action-disputeRating').click();
  await onTop(unit, '#dispute-reason textarea').fill('已按时清运并拍照留存，评价与事实不符');
  await onTop(unit, '#action-submit').click();
  await expectText(unit, '#staff-dispute-pending', '已按时清运');

  await operator.goto(`${rt.url}/packageOperator/pages/ticket/index?id=${id}`);
  await onTop(operator, '#action-reviewDispute').click();
  await onTop(operator, '#reviewDispute-rejected').click();
  expect(await onTop(operator, '#reviewDispute-options').count()).toBe(0);
  await onTop(operator, '#reviewDispute-note textarea').fill('回访诉求人，垃圾桶仍有满溢，维持原评价');
  await onTop(operator, '#reviewDispute-confirm').click();
  await expectText(operator, '#action-done', '已维持原评价');
  await operator.reload();
  await expectText(operator, '#fact-ratings', '一星（诉求人评价）');
  expect(await onTop(operator, '#fact-ratings').innerText()).not.toContain('平台复评');
  const d = await operatorView(id);
  expect(d.ticket.ratings.map((r) => [r.value, r.by])).toEqual([['1', 'requester']]);
  expect(d.ticket.disputes?.map((x) => x.upheld)).toEqual([false]);

  await unit.goto(`${rt.url}/packageStaff/pages/ticket/index?id=${id}`);
  await expectText(unit, '#staff-dispute-decided', '评价申诉未采纳，维持原评价：回访诉求人');
  await expectText(resident, '#rating-done-value', '一星');
});
