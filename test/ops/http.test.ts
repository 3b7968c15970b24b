/**
 * The local server as a county would run it behind a proxy: TRUST_PROXY decides whose
 * X-Forwarded-For counts (and so whose look-up budget a request spends), text is compressed,
 * hashed assets are cached for a year, every response carries the security headers (HSTS only
 * over TLS), each request gets an id and one JSON log line, and /metrics answers in Prometheus
 * text to the monitoring host only. Real SQLite, the real server on 127.0.0.1.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { createServer, type LocalServer } from '../../cloudfunctions/local/server';
import { jsonLogger } from '../../cloudfunctions/local/ops/log';
import { APP_CSP, FILE_CSP, HSTS, appCsp, inlineScriptHashes } from '../../cloudfunctions/local/ops/headers';
import { CACHE_HTML, CACHE_IMMUTABLE, CACHE_SHORT } from '../../cloudfunctions/local/ops/static';
import type { LocalConfig } from '../../cloudfunctions/local/config';
import { createRig, dispatched, localConfig, request, type HttpReply, type Rig } from '../support/reliabilityHarness';

let rig: Rig;
let number: string;
const logs: Record<string, unknown>[] = [];
const servers: LocalServer[] = [];
const INLINE = 'document.documentElement.style.fontSize="20px"';
const INDEX_HTML = `<!doctype html><html><head><script>${INLINE}</script><script src="/js/app.0123abcd.js"></script></head><body>${'<div>码上反映</div>'.repeat(200)}</body></html>`;

async function serve(overrides: Partial<LocalConfig>): Promise<string> {
  const server = createServer(rig.deps, localConfig(rig.dir, { h5Dir: path.join(rig.dir, 'h5'), ...overrides }), { logger: jsonLogger((line) => void logs.push(JSON.parse(line) as Record<string, unknown>)) });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const lookup = (base: string, tail: string, headers: Record<string, string>) => request<{ ok: boolean; code?: string }>(base, 'POST', '/api/resident', { action: 'lookup', number, phoneTail: tail }, headers);
const codeOf = (r: HttpReply<{ ok: boolean; code?: string }>) => (r.body.ok ? 'ok' : r.body.code);

beforeAll(async () => {
  rig = await createRig();
  number = (await dispatched(rig)).number;
  const h5 = path.join(rig.dir, 'h5');
  fs.mkdirSync(path.join(h5, 'js'), { recursive: true });
  fs.writeFileSync(path.join(h5, 'index.html'), INDEX_HTML);
  fs.writeFileSync(path.join(h5, 'js', 'app.0123abcd.js'), `console.log(${JSON.stringify('码上反映 '.repeat(5000))});`);
  fs.writeFileSync(path.join(h5, 'logo.svg'), `<svg xmlns="http://www.w3.org/2000/svg">${'<g/>'.repeat(400)}</svg>`);
});

afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
  await rig.close();
});

describe('TRUST_PROXY', () => {
  it('behind a trusted proxy, each citizen has their own look-up budget (keyed on X-Forwarded-For)', async () => {
    rig.clock.advance(11 * 60_000);
    const base = await serve({ trustProxy: 'loopback' });
    for (let i = 0; i < 10; i++) expect(codeOf(await lookup(base, '0000', { 'x-forwarded-for': '203.0.113.5' }))).toBe('not-found');
    expect(codeOf(await lookup(base, '1234', { 'x-forwarded-for': '203.0.113.5' }))).toBe('lookup-rate-limited');
    // Another citizen behind the same proxy is not affected: the shared bucket is gone.
    expect(codeOf(await lookup(base, '1234', { 'x-forwarded-for': '203.0.113.6' }))).toBe('ok');
    // A client that prepends its own X-Forwarded-For cannot pick a bucket: the proxy appends the real address last.
    expect(codeOf(await lookup(base, '1234', { 'x-forwarded-for': '198.51.100.9, 203.0.113.5' }))).toBe('lookup-rate-limited');
  });

  it('without TRUST_PROXY, X-Forwarded-For is ignored: spoofing it does not buy fresh look-ups', async () => {
    rig.clock.advance(11 * 60_000);
    const base = await serve({ trustProxy: '' });
    for (let i = 0; i < 10; i++) expect(codeOf(await lookup(base, '0000', { 'x-forwarded-for': `198.51.100.${i}` }))).toBe('not-found');
    expect(codeOf(await lookup(base, '1234', { 'x-forwarded-for': '198.51.100.77' }))).toBe('lookup-rate-limited');
  });

  it('a proxy not on the list is not believed either', async () => {
    rig.clock.advance(11 * 60_000);
    const base = await serve({ trustProxy: '10.0.0.0/8' });
    for (let i = 0; i < 10; i++) await lookup(base, '0000', { 'x-forwarded-for': `198.51.100.${i}` });
    expect(codeOf(await lookup(base, '1234', { 'x-forwarded-for': '198.51.100.78' }))).toBe('lookup-rate-limited');
  });

  it('public.monthly (no account) is limited per address: the 61st read in a minute is refused, another citizen is not', async () => {
    rig.clock.advance(2 * 60_000);
    const base = await serve({ trustProxy: 'loopback' });
    const month = new Date(rig.clock.now() + 8 * 3_600_000).toISOString().slice(0, 7);
    const monthly = (xff: string) => request<{ ok: boolean; code?: string; message?: string }>(base, 'POST', '/api/public', { action: 'monthly', month }, { 'x-forwarded-for': xff });
    for (let i = 0; i < 60; i++) expect(codeOf(await monthly('203.0.113.40'))).toBe('ok');
    const refused = await monthly('203.0.113.40');
    expect(refused.body).toMatchObject({ ok: false, code: 'public-rate-limited', message: '访问过于频繁，请稍后再试' });
    expect(codeOf(await monthly('203.0.113.41'))).toBe('ok');
    // The window passes: the first citizen reads again.
    rig.clock.advance(61_000);
    expect(codeOf(await monthly('203.0.113.40'))).toBe('ok');
  });

  it('refuses a malformed TRUST_PROXY at start-up', async () => {
    expect(() => createServer(rig.deps, localConfig(rig.dir, { trustProxy: 'not-an-address' }))).toThrow();
  });
});

describe('compression and caching', () => {
  let base: string;
  beforeAll(async () => {
    base = await serve({});
  });

  it('compresses a hashed script with brotli or gzip as the client asks, and caches it for a year', async () => {
    const plain = await request(base, 'GET', '/js/app.0123abcd.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['cache-control']).toBe(CACHE_IMMUTABLE);
    const br = await request(base, 'GET', '/js/app.0123abcd.js', undefined, { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toBe('accept-encoding');
    expect(zlib.brotliDecompressSync(br.raw).equals(plain.raw)).toBe(true);
    expect(br.raw.length).toBeLessThan(plain.raw.length / 10);
    const gz = await request(base, 'GET', '/js/app.0123abcd.js', undefined, { 'accept-encoding': 'gzip;q=1, br;q=0' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gz.raw).equals(plain.raw)).toBe(true);
    const svg = await request(base, 'GET', '/logo.svg', undefined, { 'accept-encoding': 'gzip' });
    expect(svg.headers['content-encoding']).toBe('gzip');
    expect(svg.headers['cache-control']).toBe(CACHE_SHORT);
  });

  it('serves index.html (and app routes) with no-cache and answers a repeat visit with 304', async () => {
    const first = await request(base, 'GET', '/pages/index/index', undefined, { 'accept-encoding': 'br' });
    expect(first.headers['cache-control']).toBe(CACHE_HTML);
    expect(zlib.brotliDecompressSync(first.raw).toString('utf8')).toContain('码上反映');
    const again = await request(base, 'GET', '/', undefined, { 'if-none-match': String(first.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.raw.length).toBe(0);
  });

  it('compresses large API answers and leaves small ones alone', async () => {
    for (let i = 0; i < 6; i++) await rig.submit('demo-resident2');
    const small = await request(base, 'POST', '/api/auth', { action: 'nope' }, { 'accept-encoding': 'br' });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(small.raw.toString('utf8'))).toMatchObject({ ok: false });
    const login = await request<{ ok: boolean; data: { token: string } }>(base, 'POST', '/api/auth', { action: 'login', userId: 'demo-operator' });
    const auth = { authorization: `Bearer ${login.body.data.token}` };
    const plain = await request(base, 'POST', '/api/operator', { action: 'queue', queue: 'all' }, auth);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.raw.length).toBeGreaterThan(2048);
    const gz = await request(base, 'POST', '/api/operator', { action: 'queue', queue: 'all' }, { ...auth, 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    const br = await request(base, 'POST', '/api/operator', { action: 'queue', queue: 'all' }, { ...auth, 'accept-encoding': 'br, gzip' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.raw.length).toBeLessThan(plain.raw.length / 2);
    expect(JSON.parse(zlib.brotliDecompressSync(br.raw).toString('utf8'))).toEqual(JSON.parse(plain.raw.toString('utf8')));
    expect(JSON.parse(zlib.gunzipSync(gz.raw).toString('utf8'))).toEqual(JSON.parse(plain.raw.toString('utf8')));
  });
});

describe('security headers', () => {
  it('carries the CSP and the other headers on every response; HSTS only over TLS', async () => {
    const base = await serve({ trustProxy: 'loopback' });
    const page = await request(base, 'GET', '/');
    // The page's own inline script is allowed by its hash, and nothing else inline.
    const hash = `sha256-${createHash('sha256').update(INLINE).digest('base64')}`;
    expect(inlineScriptHashes(INDEX_HTML)).toEqual([hash]);
    expect(page.headers['content-security-policy']).toBe(appCsp([hash]));
    expect(page.headers['content-security-policy']).toContain(`script-src 'self' '${hash}';`);
    expect((await request(base, 'POST', '/api/auth', { action: 'nope' })).headers['content-security-policy']).toBe(APP_CSP);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['referrer-policy']).toBe('same-origin');
    expect(page.headers['strict-transport-security']).toBeUndefined();
    const tls = await request(base, 'GET', '/', undefined, { 'x-forwarded-proto': 'https' });
    expect(tls.headers['strict-transport-security']).toBe(HSTS);
    const api = await request(base, 'POST', '/api/auth', { action: 'nope' }, { 'x-forwarded-proto': 'https' });
    expect(api.headers['strict-transport-security']).toBe(HSTS);
    const file = await request(base, 'GET', '/files/x/y.png?exp=1&sig=bad');
    expect(file.status).toBe(403);
    expect(file.headers['content-security-policy']).toBe(FILE_CSP);
  });

  it('does not believe X-Forwarded-Proto from a peer that is not a trusted proxy', async () => {
    const base = await serve({ trustProxy: '' });
    const r = await request(base, 'GET', '/', undefined, { 'x-forwarded-proto': 'https' });
    expect(r.headers['strict-transport-security']).toBeUndefined();
  });
});

describe('request ids and JSON logs', () => {
  it('gives every request an id, echoes it, and logs one JSON line with the real client address', async () => {
    const base = await serve({ trustProxy: 'loopback' });
    const r = await request(base, 'POST', '/api/auth', { action: 'nope' }, { 'x-forwarded-for': '203.0.113.44' });
    const id = String(r.headers['x-request-id']);
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    await new Promise((res) => setTimeout(res, 20));
    const line = logs.find((l) => l.reqId === id);
    expect(line).toMatchObject({ level: 'info', msg: 'request', method: 'POST', path: '/api/auth', status: 200, ip: '203.0.113.44', peer: '127.0.0.1' });
    expect(typeof line!.ms).toBe('number');
    expect(new Date(String(line!.time)).getTime()).toBeGreaterThan(0);
    // A trusted proxy's id is kept, so both logs share it; a malformed one is replaced.
    expect((await request(base, 'GET', '/healthz', undefined, { 'x-request-id': 'nginx-abc.123' })).headers['x-request-id']).toBe('nginx-abc.123');
    expect((await request(base, 'GET', '/healthz', undefined, { 'x-request-id': 'bad id with spaces' })).headers['x-request-id']).toMatch(/^[0-9a-f]{16}$/);
  });

  it('never logs the signature of a file URL', async () => {
    const base = await serve({});
    const r = await request(base, 'GET', '/files/a/b.png?exp=1&sig=secret-signature');
    await new Promise((res) => setTimeout(res, 20));
    const line = logs.find((l) => l.reqId === r.headers['x-request-id']);
    expect(line).toMatchObject({ path: '/files/a/b.png', status: 403 });
    expect(JSON.stringify(line)).not.toContain('secret-signature');
  });
});

describe('/metrics', () => {
  it('counts requests by route and status, times them, and reports deliveries by status', async () => {
    const base = await serve({ trustProxy: 'loopback' });
    for (let i = 0; i < 3; i++) await request(base, 'POST', '/api/auth', { action: 'nope' });
    await request(base, 'GET', '/healthz');
    const m = await request(base, 'GET', '/metrics');
    expect(m.status).toBe(200);
    expect(m.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = m.raw.toString('utf8');
    const auth = Number(/mashang_http_requests_total\{route="\/api\/auth",method="POST",status="200"\} (\d+)/.exec(text)?.[1]);
    expect(auth).toBeGreaterThanOrEqual(3);
    expect(text).toMatch(/mashang_http_request_duration_seconds_bucket\{le="0\.005",route="\/api\/auth"\} \d+/);
    expect(text).toMatch(/mashang_http_request_duration_seconds_count\{route="\/healthz"\} 1/);
    const delivered = rig.deps.db.prepare("SELECT count(*) FROM deliveries WHERE status = 'delivered'").pluck().get() as number;
    expect(delivered).toBeGreaterThan(0);
    expect(text).toContain(`mashang_deliveries{status="delivered"} ${delivered}`);
    expect(text).toMatch(/mashang_deliveries\{status="pending"\} \d+/);
    expect(text).toMatch(/mashang_process_resident_memory_bytes \d+/);
  });

  it('is refused to a client that came through the public proxy', async () => {
    const base = await serve({ trustProxy: 'loopback' });
    const r = await request(base, 'GET', '/metrics', undefined, { 'x-forwarded-for': '203.0.113.8' });
    expect(r.status).toBe(403);
    expect(r.raw.toString('utf8')).not.toContain('mashang_http');
  });
});
