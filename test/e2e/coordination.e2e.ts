/**
 * Issue 15 §3 in the browser (h5 build, local runtime, linyi profile): a unit asks for coordination
 * instead of returning; the operator decides the unit with the basis; the decided unit sees that it
 * cannot return the ticket, and its return button is gone.
 */
import type { Browser } from 'playwright-core';
import { launchBrowser, startRuntime, type Runtime } from './harness';
import { onTop, signedInContext } from './fixtures/app';

let rt: Runtime;
let browser: Browser;

beforeAll(async () => {
  rt = await startRuntime({ profile: 'linyi' });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

async function expectText(p: import('playwright-core').Page, sel: string, text: string | RegExp, timeout = 15_000) {
  await onTop(p, sel).filter({ hasText: text }).first().waitFor({ timeout });
}

test('coordination asked by the unit, decided by the operator with its basis; the decided unit cannot return it', async () => {
  const sub = await rt.call<{ ticket: { id: string; number: string } }>('demo-resident', 'resident', {
    action: 'submit',
    input: { clientRequestId: `coord-e2e-${Date.now()}`, type: 'complaint', category: '市容环境', content: '滨河路桥下长期堆放建筑垃圾，无人清理', location: { address: '滨河路桥下', area: '东区街道' }, contact: { name: '张明', phone: '13800001234' } },
  });
  const id = sub.ticket.id;
  await rt.call('demo-operator', 'operator', { action: 'command', command: { type: 'accept', ticketId: id } });
  await rt.call('demo-operator', 'operator', { action: 'command', command: { type: 'dispatch', ticketId: id, mode: 'single', unitIds: ['u-chengguan'], assistUnitIds: [] } });

  const cg = await (await signedInContext(browser, rt, 'demo-staff-cg')).newPage();
  await cg.goto(`${rt.url}/packageStaff/pages/ticket/index?id=${id}`);
  await onTop(cg, '#action-requestCoordination').click();
  await expectText(cg, '#coordination-rule', '不能再申请退回');
  await onTop(cg, '#coordination-reason textarea').fill('桥下空间管养职责在城管局与住建局之间不明确');
  await onTop(cg, '#action-submit').click();
  await expectText(cg, '#staff-coordination-pending', '桥下空间管养职责');

  const op = await (await signedInContext(browser, rt, 'demo-operator')).newPage();
  await op.goto(`${rt.url}/packageOperator/pages/ticket/index?id=${id}`);
  await onTop(op, '#action-coordinate').click();
  await expectText(op, '#coordinate-request', '申请协调');
  await expectText(op, '#coordinate-citation', '第十五条第（三）项');
  await onTop(op, '#coordinate-submit').click();
  await expectText(op, '#coordinate-problem', '请选择');
  await onTop(op, '#coordinate-unit-u-zhujian').click();
  await onTop(op, '#coordinate-basis textarea').fill('联席会议纪要：桥下空间由住建局负责管养');
  await onTop(op, '#coordinate-submit').click();
  await onTop(op, '#action-coordinate').waitFor({ state: 'detached' });

  const zj = await (await signedInContext(browser, rt, 'demo-staff-zj')).newPage();
  await zj.goto(`${rt.url}/packageStaff/pages/ticket/index?id=${id}`);
  await expectText(zj, '#staff-coordinated', '联席会议纪要：桥下空间由住建局负责管养');
  await onTop(zj, '#action-sign').waitFor();
  expect(await onTop(zj, '#action-requestReturn').count()).toBe(0);
  expect(await onTop(zj, '#action-requestCoordination').count()).toBe(0);
  const r = await fetch(`${rt.url}/api/staff`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await rt.token('demo-staff-zj')}` },
    body: JSON.stringify({ action: 'command', command: { type: 'requestReturn', ticketId: id, reason: '不属于本单位' } }),
  });
  expect(((await r.json()) as { code: string }).code).toBe('return-after-coordination');
});
