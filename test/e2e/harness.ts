import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const root = path.join(__dirname, '..', '..');
export const SHOTS_DIR = path.join(root, 'test-output', 'e2e');

export interface Runtime {
  url: string;
  dataDir: string;
  process: ChildProcess;
  /** Calls a function as a demo user, like the app does. */
  call<T = unknown>(userId: string, fn: string, event: Record<string, unknown>): Promise<T>;
  token(userId: string): Promise<string>;
  /** Moves the runtime's clock forward and runs the deadline timer once. */
  advance(ms: number): Promise<void>;
  runTimer(): Promise<unknown>;
  stop(): Promise<void>;
}

/**
 * Starts `cloudfunctions/local/main.ts` on a free port with a fresh data dir and the given profile.
 * `production`: as `npm run serve` runs it (MODE=production, a secret, the real clock, no demo data);
 * then `call`, `token`, `advance` and `runTimer` are refused by the server like any demo call.
 */
export async function startRuntime(opts: { profile?: string; production?: boolean } = {}): Promise<Runtime & { output(): string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'msfy-e2e-'));
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', DATA_DIR: dataDir, TIMERS: '0', ...(opts.profile ? { PROFILE: opts.profile } : {}) };
  if (opts.production) {
    Object.assign(env, { MODE: 'production', SECRET: 'e2e-production-secret-of-at-least-32-characters' });
    delete env.DEV_CLOCK;
  } else {
    env.DEV_CLOCK = '1';
  }
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'cloudfunctions', 'local', 'main.ts')], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`runtime did not start:\n${log}`)), 60_000);
    child.stdout!.on('data', (b: Buffer) => {
      log += b.toString();
      const m = log.match(/listening on (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.stderr!.on('data', (b: Buffer) => (log += b.toString()));
    child.on('exit', (code) => reject(new Error(`runtime exited ${code}:\n${log}`)));
  });
  const tokens = new Map<string, string>();
  const post = async (fn: string, body: unknown, token?: string) => {
    const res = await fetch(`${url}/api/${fn}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
    return (await res.json()) as { ok: boolean; data?: unknown; code?: string; message?: string };
  };
  const token = async (userId: string) => {
    if (!tokens.has(userId)) {
      const r = await post('auth', { action: 'login', userId });
      if (!r.ok) throw new Error(`login ${userId}: ${r.code} ${r.message}`);
      tokens.set(userId, (r.data as { token: string }).token);
    }
    return tokens.get(userId)!;
  };
  return {
    url,
    dataDir,
    process: child,
    output: () => log,
    token,
    async call<T>(userId: string, fn: string, event: Record<string, unknown>) {
      const r = await post(fn, event, await token(userId));
      if (!r.ok) throw new Error(`${fn}.${String(event.action)} as ${userId}: ${r.code} ${r.message}`);
      return r.data as T;
    },
    async advance(ms: number) {
      await post('_dev/clock', { advanceMs: ms });
    },
    async runTimer() {
      const r = await post('_dev/timer', {});
      return r.data;
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface LaunchOptions {
  /**
   * Chromium's fake microphone/camera (a beep and a test pattern) with the permission prompt
   * answered yes, for the h5 recorder (MediaRecorder). Also lets media play without a gesture.
   */
  fakeMedia?: boolean;
  /** With `fakeMedia`: a WAV file the fake microphone plays (looped) instead of its beep. */
  fakeAudioFile?: string;
}

export async function launchBrowser(opts: LaunchOptions = {}): Promise<Browser> {
  const media = opts.fakeMedia
    ? ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--autoplay-policy=no-user-gesture-required', ...(opts.fakeAudioFile ? [`--use-file-for-fake-audio-capture=${opts.fakeAudioFile}`] : [])]
    : [];
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...media],
  });
}

/** A phone-sized context, as a resident holds it. */
export async function phoneContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
}

/** Saves a screenshot of a key screen under test-output/e2e/ (git-ignored). */
export async function shot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SHOTS_DIR, { recursive: true });
  const file = path.join(SHOTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * Runs axe-core (the pinned package's own build, injected into the page) over the page Taro shows
 * now, against WCAG 2.1 A and AA, and returns the violations with a few of their elements each.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const injected = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object');
  if (!injected) await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const top = Array.from(document.querySelectorAll('.taro_page:not(.taro_page_shade)')).pop();
    const context = top ? { include: [top, ...Array.from(document.querySelectorAll('#taro-navigation-bar'))] } : document;
    const r = await axe.run(context, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  });
}
