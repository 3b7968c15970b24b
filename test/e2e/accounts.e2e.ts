/**
 * Real accounts in the browser, on the PRODUCTION server (`MODE=production` as `npm run serve` runs
 * it, fresh data dir, the real clock): the first operator made with `npm run admin -- create-operator`
 * (the CLI as a child process), who signs in with a password and sets up the authenticator; a unit
 * and a staff invite made on the admin pages; the staff member registers with the invite, adds the
 * second factor, signs in elsewhere with password + TOTP and signs a ticket; the operator's 账号
 * page lists their sessions and ends one; wrong passwords lock the account with the Chinese
 * message; the lock and the failures are in the audit log; a reset code is issued; the removed
 * staff member's token is refused. No demo user and no 演示 anywhere. TOTP codes come from the
 * server's own implementation (cloudfunctions/lib/passwords.ts).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { totpCode, TOTP_STEP_MS } from '../../cloudfunctions/lib/passwords';
import { ERROR_MESSAGES } from '../../shared/errors';
import { launchBrowser, startRuntime, type Runtime } from './harness';
import { fillField, onTop, shotPage } from './fixtures/app';

const root = path.join(__dirname, '..', '..');
const OPERATOR_PASSWORD = 'Yellow-river-bridge-19';
const STAFF_PASSWORD = 'Qingshui-harbour-light-42';

let rt: Runtime & { output(): string };
let browser: Browser;
const contexts: BrowserContext[] = [];
let operatorPage: Page;
let operatorSecret = '';
let staffSecret = '';
/** The staff member's first browser (where they registered) and the second (where they signed in with TOTP). */
let staffFirst: Page;
let staffSecond: Page;

/** `npm run admin -- …` as a county IT person types it, the password on stdin. */
function npmAdmin(args: string[], input: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn('npm', ['run', '--silent', 'admin', '--', ...args], { cwd: root, env: { ...process.env, DATA_DIR: rt.dataDir } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  child.stdin.end(input);
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

async function post<T>(fn: string, body: unknown, token?: string): Promise<{ ok: boolean; data?: T; code?: string; message?: string }> {
  const res = await fetch(`${rt.url}/api/${fn}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  return (await res.json()) as { ok: boolean; data?: T; code?: string; message?: string };
}

/** The session token the app keeps in the browser (Taro storage format). */
const tokenOf = (page: Page) => page.evaluate(() => (JSON.parse(localStorage.getItem('session-token') ?? '{}') as { data?: string }).data ?? '');

async function desktop(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  contexts.push(context);
  return context.newPage();
}

async function expectText(page: Page, selector: string, text: string | RegExp, timeout = 20_000) {
  await onTop(page, selector).filter({ hasText: text }).first().waitFor({ timeout });
}

/** The page shows the real sign-in and nothing of the demo. */
async function expectNoDemo(page: Page) {
  await onTop(page, '#sign-in').waitFor();
  expect(await page.locator('[id^="login-user-"]').count()).toBe(0);
  expect(await page.locator('body').innerText()).not.toContain('演示');
}

/** Waits for the auth call a tap makes and returns its answer. */
async function authAnswer(page: Page, tap: () => Promise<void>): Promise<{ ok: boolean; code?: string }> {
  const [res] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/auth') && r.request().method() === 'POST'), tap()]);
  return (await res.json()) as { ok: boolean; code?: string };
}

async function passwordSignIn(page: Page, login: string, password: string, totp?: string) {
  await fillField(page, 'signin-login', login);
  await fillField(page, 'signin-password', password);
  if (totp) {
    // The code field appears once the server says the account has a second factor.
    const first = await authAnswer(page, () => onTop(page, '#signin-submit').click());
    expect(first.code).toBe('totp-required');
    await fillField(page, 'signin-totp', totp);
  }
  return authAnswer(page, () => onTop(page, '#signin-submit').click());
}

/** The authenticator app: reads the secret the page shows and types the current code. */
async function enrolAuthenticator(page: Page): Promise<string> {
  await onTop(page, '#totp-enrol').waitFor();
  const secret = ((await onTop(page, '#totp-secret').textContent()) ?? '').trim();
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
  await expect(onTop(page, '#totp-uri').textContent()).resolves.toContain(`secret=${secret}`);
  await fillField(page, 'totp-enrol-code', totpCode(secret, Date.now()));
  await onTop(page, '#totp-enrol-submit').click();
  return secret;
}

/** A code a sign-in may use after the enrolment's: the next 30-second step (one step of drift is accepted). */
const nextCode = (secret: string) => totpCode(secret, Date.now() + TOTP_STEP_MS);

beforeAll(async () => {
  rt = await startRuntime({ production: true });
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await rt?.stop();
});

test('the production server starts empty and refuses the demo; npm run admin creates the first operator', async () => {
  for (let i = 0; i < 100 && !rt.output().includes('create-operator'); i++) await new Promise((r) => setTimeout(r, 100));
  expect(rt.output()).toContain('No operator yet');
  expect(rt.output()).toContain('npm run admin -- create-operator');
  expect(await post('auth', { action: 'login', userId: 'demo-operator' })).toMatchObject({ ok: false, code: 'demo-disabled' });
  expect(await post('auth', { action: 'demoUsers' })).toEqual({ ok: true, data: [] });

  const weak = await npmAdmin(['create-operator', '--login', 'it.admin', '--name', '信息中心'], 'password123\n');
  expect(weak.status).toBe(1);
  expect(weak.stderr).toContain('password-weak');
  const made = await npmAdmin(['create-operator', '--login', 'it.admin', '--name', '信息中心'], `${OPERATOR_PASSWORD}\n`);
  expect(made.stderr).toBe('');
  expect(made.status).toBe(0);
  expect(made.stdout).toMatch(/operator created: \S+ \(it\.admin, 信息中心\)/);
});

test('the operator signs in with the password and must set up the authenticator first', async () => {
  operatorPage = await desktop();
  await operatorPage.goto(`${rt.url}/packageOperator/pages/queue/index`);
  await expectNoDemo(operatorPage);
  expect(await passwordSignIn(operatorPage, 'it.admin', OPERATOR_PASSWORD)).toMatchObject({ ok: true });
  // Production: an operator without a second factor gets an enrolment-only session.
  expect(await post('operator', { action: 'queue', queue: 'all' }, await tokenOf(operatorPage))).toMatchObject({ ok: false, code: 'totp-enrolment-required' });
  operatorSecret = await enrolAuthenticator(operatorPage);
  await expectText(operatorPage, '#op-nav', '信息中心');
  expect(await post('operator', { action: 'queue', queue: 'all' }, await tokenOf(operatorPage))).toMatchObject({ ok: true });
  expect(await operatorPage.locator('body').innerText()).not.toContain('演示');
});

test('the operator adds a unit and a staff invite; the staff member registers with it and adds the second factor', async () => {
  const page = operatorPage;
  await page.goto(`${rt.url}/packageOperator/pages/admin/index`);
  await fillField(page, 'unit-id', 'u-chengguan');
  await fillField(page, 'unit-name', '城市管理局');
  await fillField(page, 'unit-categories', '市容环境、占道经营');
  await onTop(page, '#unit-save').click();
  await onTop(page, '#admin-unit-u-chengguan').waitFor();
  await onTop(page, '#admin-tab-staff').click();
  await onTop(page, '#invite-role-staff').click();
  await onTop(page, '#invite-unit-u-chengguan').click();
  await onTop(page, '#invite-create').click();
  await expectText(page, '#invite-code', /^[A-Z0-9]{6,12}$/);
  const code = ((await onTop(page, '#invite-code').textContent()) ?? '').trim();
  await shotPage(page, 'accounts-01-invite');

  staffFirst = await desktop();
  await staffFirst.goto(`${rt.url}/packageStaff/pages/inbox/index`);
  await expectNoDemo(staffFirst);
  await onTop(staffFirst, '#signin-tab-invite').click();
  await fillField(staffFirst, 'invite-code-input', code);
  await fillField(staffFirst, 'invite-name', '刘洋');
  await fillField(staffFirst, 'invite-login', 'liu.yang');
  // A weak password is refused on the page, and the invite stays unspent.
  await fillField(staffFirst, 'invite-password', '1234567890');
  expect(await authAnswer(staffFirst, () => onTop(staffFirst, '#invite-submit').click())).toMatchObject({ ok: false, code: 'password-weak' });
  await expectText(staffFirst, '#signin-error', /密码/);
  await fillField(staffFirst, 'invite-password', STAFF_PASSWORD);
  expect(await authAnswer(staffFirst, () => onTop(staffFirst, '#invite-submit').click())).toMatchObject({ ok: true });
  await expectText(staffFirst, '#totp-offer', '刘洋');
  await onTop(staffFirst, '#totp-offer-accept').click();
  staffSecret = await enrolAuthenticator(staffFirst);
  // Signed in, bound to the unit: the inbox, empty so far.
  await onTop(staffFirst, '#inbox-empty').waitFor();
  expect(await staffFirst.locator('body').innerText()).not.toContain('演示');
});

test('the staff member signs in at another PC with password + TOTP and signs the ticket dispatched to the unit', async () => {
  // A phone call the operator registered, accepted and dispatched (with the operator's own session).
  const opToken = await tokenOf(operatorPage);
  const sub = await post<{ ticket: { id: string; number: string } }>('operator', {
    action: 'submit',
    input: {
      clientRequestId: `accounts-e2e-${Date.now()}`,
      type: 'complaint',
      category: '市容环境',
      content: '东区人民路12号门前垃圾堆放三天无人清运，气味很大，影响居民出行。',
      location: { address: '东区人民路12号', area: '东区街道' },
      contact: { name: '张明', phone: '13800001234' },
    },
  }, opToken);
  if (!sub.ok || !sub.data) throw new Error(`submit: ${sub.code} ${sub.message}`);
  const ticket = sub.data.ticket;
  for (const command of [{ type: 'accept', ticketId: ticket.id }, { type: 'dispatch', ticketId: ticket.id, mode: 'single', unitIds: ['u-chengguan'], assistUnitIds: [] }]) {
    const r = await post('operator', { action: 'command', command }, opToken);
    if (!r.ok) throw new Error(`${command.type}: ${r.code} ${r.message}`);
  }

  staffSecond = await desktop();
  await staffSecond.goto(`${rt.url}/packageStaff/pages/inbox/index`);
  await expectNoDemo(staffSecond);
  expect(await passwordSignIn(staffSecond, 'liu.yang', STAFF_PASSWORD, nextCode(staffSecret))).toMatchObject({ ok: true });
  await onTop(staffSecond, `#inbox-ticket-${ticket.number}`).click();
  await onTop(staffSecond, '#page-staff-ticket #detail-number').waitFor();
  await onTop(staffSecond, '#action-sign').click();
  await onTop(staffSecond, '#action-submit').click();
  await expectText(staffSecond, '#detail-state', '办理中');
  await shotPage(staffSecond, 'accounts-02-staff-signed');
});

test("the operator's 账号 page lists the staff member's two sessions and ends the first PC's at once", async () => {
  const page = operatorPage;
  await page.goto(`${rt.url}/packageOperator/pages/accounts/index`);
  const row = onTop(page, '[data-login="liu.yang"]');
  await row.waitFor();
  await expect(row.innerText()).resolves.toContain('已绑定身份验证器');
  await row.locator('[id$="-sessions"]').click();
  await onTop(page, '#sessions-panel #session-1').waitFor();
  expect(await onTop(page, '#sessions-panel').locator('[data-active="1"]').count()).toBe(2);
  const firstToken = await tokenOf(staffFirst);
  expect(await post('staff', { action: 'counts' }, firstToken)).toMatchObject({ ok: true });
  // Newest first: session-1 is the one opened by registering on the first PC.
  await onTop(page, '#session-1-revoke').click();
  await expectText(page, '#accounts-done', '会话已结束');
  await expectText(page, '#session-1', '已于');
  expect(await post('staff', { action: 'counts' }, firstToken)).toMatchObject({ ok: false, code: 'token-invalid' });
  expect(await post('staff', { action: 'counts' }, await tokenOf(staffSecond))).toMatchObject({ ok: true });
  await shotPage(page, 'accounts-03-sessions');
});

test('wrong passwords lock the account with the Chinese message, even for the right password and code; the operator sees the lock and the failures', async () => {
  const page = await desktop();
  await page.goto(`${rt.url}/packageStaff/pages/inbox/index`);
  await expectNoDemo(page);
  const codes: (string | undefined)[] = [];
  for (let i = 0; i < 5; i++) codes.push((await passwordSignIn(page, 'liu.yang', `wrong-guess-${i}-harbour`)).code);
  expect(codes).toEqual(['login-failed', 'login-failed', 'login-failed', 'login-failed', 'account-locked']);
  await expectText(page, '#signin-error', ERROR_MESSAGES['account-locked']);
  await expect(onTop(page, '#signin-error').textContent()).resolves.toContain('账号已锁定15分钟');
  expect(await passwordSignIn(page, 'liu.yang', STAFF_PASSWORD)).toMatchObject({ ok: false, code: 'account-locked' });
  await shotPage(page, 'accounts-04-locked');

  await operatorPage.goto(`${rt.url}/packageOperator/pages/accounts/index`);
  const row = onTop(operatorPage, '[data-login="liu.yang"]');
  await row.waitFor();
  await row.locator('[id$="-locked"]').waitFor();
  await expect(row.innerText()).resolves.toContain('已锁定至');
  await row.locator('[id$="-audit"]').click();
  await expectText(operatorPage, '#accounts-audit', '刘洋 的登录日志');
  await onTop(operatorPage, '#accounts-audit [data-kind="locked"]').waitFor();
  const kinds = await onTop(operatorPage, '#accounts-audit').locator('[data-kind]').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
  expect(kinds.filter((k) => k === 'login-failed').length).toBeGreaterThanOrEqual(5);
  expect(kinds).toEqual(expect.arrayContaining(['locked', 'login-ok', 'totp-enabled', 'invite-redeemed', 'session-revoked']));
  const text = await onTop(operatorPage, '#accounts-audit').innerText();
  expect(text).toContain('账号锁定');
  expect(text).toContain('绑定身份验证器');
  await shotPage(operatorPage, 'accounts-05-audit');
});

test('the operator issues a one-time reset code, then removes the staff member: their open session is refused at once', async () => {
  const page = operatorPage;
  await onTop(page, '#accounts-tab-people').click();
  const row = onTop(page, '[data-login="liu.yang"]');
  await row.waitFor();
  await row.locator('[id$="-reset"]').click();
  await expectText(page, '#reset-code-value', /^[A-Z2-9]{10}$/);
  await expectText(page, '#reset-result', '仅显示这一次');

  const secondToken = await tokenOf(staffSecond);
  expect(await post('staff', { action: 'counts' }, secondToken)).toMatchObject({ ok: true });
  await row.locator('[id$="-remove"]').click();
  await expectText(page, '#remove-confirm', '确认移除 刘洋');
  await onTop(page, '#remove-confirm-yes').click();
  await expectText(page, '#accounts-done', '已移除 刘洋，结束 1 个会话');
  await page.waitForFunction(() => !document.querySelector('[data-login="liu.yang"]'));
  expect(await post('staff', { action: 'counts' }, secondToken)).toMatchObject({ ok: false, code: 'token-invalid' });
  expect(await post('auth', { action: 'passwordLogin', login: 'liu.yang', password: STAFF_PASSWORD, totp: nextCode(staffSecret) })).toMatchObject({ ok: false });
  // In the browser, the removed member's page no longer shows the unit's tickets.
  await staffSecond.reload();
  await onTop(staffSecond, '#sign-in').waitFor();
  await shotPage(page, 'accounts-06-removed');
});

test('the operator signs in again at a fresh PC with password + TOTP; the operator cannot remove themselves', async () => {
  const page = await desktop();
  await page.goto(`${rt.url}/packageOperator/pages/accounts/index`);
  await expectNoDemo(page);
  expect(await passwordSignIn(page, 'it.admin', OPERATOR_PASSWORD, nextCode(operatorSecret))).toMatchObject({ ok: true });
  const self = onTop(page, '[data-login="it.admin"]');
  await self.waitFor();
  await expect(self.innerText()).resolves.toContain('本人');
  expect(await self.locator('[id$="-remove"]').count()).toBe(0);
  expect(await page.locator('body').innerText()).not.toContain('演示');
});
