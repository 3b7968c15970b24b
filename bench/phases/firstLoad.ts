/**
 * Phase 8 (issue 17): the resident entry page (`/?scene=park-binhe`, what a QR code opens) on a
 * phone over a throttled link — 400 kbit/s down and up, 400 ms added latency per request, the
 * browser cache empty — in Debian's chromium (playwright-core; throttling through CDP
 * Network.emulateNetworkConditions). Timed from navigation to the submission page showing its
 * sign-in prompt (`#login-required`, the page is usable), and to the `load` event. Then the
 * same visit with the cache kept (a returning resident), and once more cold with
 * `Accept-Encoding: identity` to show what compression saves.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { ROOT, removeDir, tempDir } from '../lib/env';
import { startServer } from '../lib/server';

export const LINK = { kbitPerSecond: 400, latencyMs: 400 };

export interface Visit {
  /** Navigation start → the entry page's sign-in prompt is visible. */
  usableMs: number;
  /** Navigation start → the window's load event. */
  loadMs: number;
  /** Bytes on the wire (encoded), and after decoding. */
  wireBytes: number;
  bodyBytes: number;
  requests: number;
}

export interface FirstLoadResult {
  built: boolean;
  error?: string;
  cold?: Visit;
  warm?: Visit;
  uncompressed?: Visit;
}

async function visit(context: BrowserContext, url: string, opts: { cache: boolean; identity?: boolean }): Promise<Visit> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: !opts.cache });
  const bytes = LINK.kbitPerSecond * 125;
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: LINK.latencyMs, downloadThroughput: bytes, uploadThroughput: bytes });
  if (opts.identity) await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'Accept-Encoding': 'identity' } });
  let wireBytes = 0;
  let bodyBytes = 0;
  let requests = 0;
  cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => {
    wireBytes += e.encodedDataLength;
    requests++;
  });
  cdp.on('Network.dataReceived', (e: { dataLength: number }) => {
    bodyBytes += e.dataLength;
  });
  const t0 = Date.now();
  let loadMs = NaN;
  page.once('load', () => (loadMs = Date.now() - t0));
  await page.goto(url, { waitUntil: 'commit', timeout: 120_000 });
  await page.locator('.taro_page:not(.taro_page_shade) #login-required').last().waitFor({ state: 'visible', timeout: 120_000 });
  const usableMs = Date.now() - t0;
  if (Number.isNaN(loadMs)) await page.waitForLoadState('load', { timeout: 120_000 });
  await page.close();
  return { usableMs, loadMs: Number.isNaN(loadMs) ? Date.now() - t0 : loadMs, wireBytes, bodyBytes, requests };
}

export async function runFirstLoad(log: (s: string) => void): Promise<FirstLoadResult> {
  const h5 = path.join(ROOT, 'miniprogram', 'dist', 'h5');
  if (!fs.existsSync(path.join(h5, 'index.html'))) {
    log('  H5 app not built (npm run build:h5): skipped');
    return { built: false };
  }
  const executablePath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && fs.existsSync(p));
  if (!executablePath) return { built: true, error: 'no chromium (apt-get install chromium)' };
  const dataDir = tempDir('firstload');
  const server = await startServer({ dataDir, secret: 'bench-firstload-secret-0123456789', env: { H5_DIR: h5, LOG_REQUESTS: '0' } });
  const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'] });
  try {
    const url = `${server.url}/?scene=park-binhe`;
    // Let the server finish compressing the app once (it does so at start-up, off the event loop).
    await new Promise((r) => setTimeout(r, 3000));
    const phone = () => browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
    const fmt = (v: Visit) => `usable ${(v.usableMs / 1000).toFixed(1)} s, load event ${(v.loadMs / 1000).toFixed(1)} s, ${(v.wireBytes / 1024).toFixed(0)} KB on the wire (${(v.bodyBytes / 1024).toFixed(0)} KB decoded), ${v.requests} requests`;
    const ctx = await phone();
    const cold = await visit(ctx, url, { cache: false });
    log(`  cold, ${LINK.kbitPerSecond} kbit/s + ${LINK.latencyMs} ms: ${fmt(cold)}`);
    await visit(ctx, url, { cache: true }); // fills the cache
    const warm = await visit(ctx, url, { cache: true });
    log(`  warm (returning visitor, cache kept): ${fmt(warm)}`);
    await ctx.close();
    const ctx2 = await phone();
    const uncompressed = await visit(ctx2, url, { cache: false, identity: true });
    log(`  cold without compression (Accept-Encoding: identity): ${fmt(uncompressed)}`);
    await ctx2.close();
    return { built: true, cold, warm, uncompressed };
  } finally {
    await browser.close();
    await server.stop();
    removeDir(dataDir);
  }
}
