/**
 * The H5 app under the server's Content-Security-Policy (issue 17): the document carries the
 * policy (script-src 'self' plus the hash of index.html's inline script, no eval), and walking the
 * resident entry, sign-in, the operator workbench and the unit inbox raises no CSP violation and
 * no console error, while the pages render.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, phoneContext, startRuntime, type Runtime } from './harness';
import { onTop } from './fixtures/app';

jest.setTimeout(120_000);

let rt: Runtime;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const violations: string[] = [];
const errors: string[] = [];

beforeAll(async () => {
  rt = await startRuntime();
  browser = await launchBrowser();
  context = await phoneContext(browser);
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP-VIOLATION ${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (m.text().startsWith('CSP-VIOLATION') || /Content Security Policy/i.test(m.text())) violations.push(m.text());
    else errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
});

afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

test('the document is served with the policy, including the inline script hash', async () => {
  const res = await page.goto(`${rt.url}/?scene=park-binhe`);
  const csp = res!.headers()['content-security-policy'] ?? '';
  expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
  expect(csp).not.toContain('unsafe-eval');
  expect(csp).toContain("frame-ancestors 'none'");
  await page.waitForURL(/\/pages\/submit\/index\?scene=park-binhe/);
  await onTop(page, '#login-required').waitFor();
  // The inline script ran (the root font size is set by it): a hash that did not match would leave it unset.
  expect(await page.evaluate(() => document.documentElement.style.fontSize)).toMatch(/px$/);
});

test('sign-in, the operator workbench and a unit inbox render without a violation', async () => {
  await page.goto(`${rt.url}/`);
  await onTop(page, '#login-user-demo-operator').click();
  await onTop(page, '#operator-entries').waitFor();
  await page.goto(`${rt.url}/`);
  const logout = onTop(page, '#logout-button');
  if (await logout.count()) await logout.click();
  await onTop(page, '#login-user-demo-staff-cg').click();
  await page.waitForLoadState('networkidle');
  expect(violations).toEqual([]);
  expect(errors).toEqual([]);
});
