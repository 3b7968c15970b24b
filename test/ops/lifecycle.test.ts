/**
 * A service's life: the timer's lag as /metrics reports it, and a graceful stop that lets the
 * request being answered and the timer run in progress finish. In-process with a real server and
 * a real croner schedule, then the real runtime in a child process stopped with SIGTERM.
 */
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { TimerWatch } from '../../cloudfunctions/local/ops/metrics';
import { gracefulStop } from '../../cloudfunctions/local/ops/shutdown';
import { createServer } from '../../cloudfunctions/local/server';
import { createRig, localConfig, login, PNG_1X1, startRuntime, tempDir, type Rig } from '../support/reliabilityHarness';

const EVERY_MINUTE = '0 * * * * * *';
const T = Date.UTC(2026, 0, 5, 2, 0, 0);

describe('timer lag', () => {
  it('is 0 until a tick is due, then grows until a run for it succeeds', async () => {
    const w = new TimerWatch(EVERY_MINUTE, T);
    expect(w.lagSeconds(T + 30_000)).toBe(0);
    expect(w.lagSeconds(T + 90_000)).toBe(30);
    await w.run(async () => undefined, T + 60_000);
    expect(w.runsOk).toBe(1);
    expect(w.lagSeconds(T + 90_000)).toBe(0);
  });

  it('keeps growing while runs fail', async () => {
    const w = new TimerWatch(EVERY_MINUTE, T);
    await expect(w.run(async () => Promise.reject(new Error('disk full')), T + 60_000)).rejects.toThrow('disk full');
    expect(w.runsFailed).toBe(1);
    expect(w.lagSeconds(T + 150_000)).toBe(90);
  });
});

/** Resolves once `cond` holds (polled); a loaded machine may take a while to accept a connection. */
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 20));
  if (!cond()) throw new Error(`never happened: ${what}`);
}

/** A deferred promise the test resolves. */
function later<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('graceful stop (in process)', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await createRig();
  });
  afterAll(() => rig.close());

  it('waits for the request being answered and the timer run, refuses new connections, then stops', async () => {
    const server = createServer(rig.deps, localConfig(rig.dir));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const token = await login(`http://127.0.0.1:${port}`, 'demo-resident');
    const watch = new TimerWatch(EVERY_MINUTE);
    const run = later();
    const timerRun = watch.run(() => run.promise);

    // An upload whose body is half sent when the stop begins.
    let uploadReq!: http.ClientRequest;
    const body = Buffer.concat([PNG_1X1, Buffer.alloc(20_000, 1)]);
    const upload = new Promise<{ status: number; body: string; connection: string | undefined }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/api/upload?name=a.png', headers: { 'content-length': String(body.length), authorization: `Bearer ${token}` } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, connection: res.headers.connection }));
      });
      req.on('error', reject);
      req.write(body.subarray(0, 100));
      uploadReq = req;
    });
    await until(() => server.draining.inFlight === 1, 'the upload is in flight');
    expect(server.draining.inFlight).toBe(1);

    let stopped = false;
    const stop = gracefulStop(server, server.draining, { timer: watch, graceMs: 10_000 }).then((r) => {
      stopped = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 150));
    expect(stopped).toBe(false);
    // No new connections once the stop has begun.
    await expect(new Promise((resolve, reject) => http.get({ host: '127.0.0.1', port, path: '/healthz' }, resolve).on('error', reject))).rejects.toThrow(/ECONNREFUSED/);

    uploadReq.end(body.subarray(100));
    const answered = await upload;
    expect(answered.status).toBe(200);
    expect(JSON.parse(answered.body)).toMatchObject({ ok: true, data: { kind: 'image' } });
    expect(answered.connection).toBe('close');
    await new Promise((r) => setTimeout(r, 100));
    expect(stopped).toBe(false); // the timer run is still going
    run.resolve();
    await timerRun;
    const report = await stop;
    expect(report).toMatchObject({ inFlight: 1, timerRunning: true, forced: false });
  });

  it('cuts what is left after the grace period', async () => {
    const server = createServer(rig.deps, localConfig(rig.dir));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const token = await login(`http://127.0.0.1:${port}`, 'demo-resident');
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/api/upload?name=a.png', headers: { 'content-length': '5000', authorization: `Bearer ${token}` } });
    const closed = new Promise<string>((resolve) => {
      req.on('error', (e) => resolve(String((e as NodeJS.ErrnoException).code)));
      req.on('response', () => resolve('answered'));
    });
    req.write(PNG_1X1);
    await until(() => server.draining.inFlight === 1, 'the upload is in flight');
    const report = await gracefulStop(server, server.draining, { graceMs: 200 });
    expect(report).toMatchObject({ inFlight: 1, forced: true });
    expect(await closed).toBe('ECONNRESET');
  });
});

describe('SIGTERM on the real runtime', () => {
  it('answers the request in progress, logs what it waited for as JSON, and exits 0', async () => {
    const root = tempDir('mashang-stop-');
    const rt = await startRuntime(path.join(root, 'data'));
    const base = new URL(rt.base);
    const token = await login(rt.base, 'demo-resident');
    const body = Buffer.concat([PNG_1X1, Buffer.alloc(10_000, 2)]);
    let req!: http.ClientRequest;
    const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
      req = http.request({ host: base.hostname, port: base.port, method: 'POST', path: '/api/upload?name=b.png', headers: { 'content-length': String(body.length), authorization: `Bearer ${token}` } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.write(body.subarray(0, 50));
    });
    await new Promise((r) => setTimeout(r, 200));
    const exit = new Promise<number | null>((resolve) => rt.proc.once('exit', (code) => resolve(code)));
    rt.proc.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    req.end(body.subarray(50));
    const reply = await answered;
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.text)).toMatchObject({ ok: true });
    expect(await exit).toBe(0);
    const lines = rt.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => l.msg === 'stopping')).toMatchObject({ signal: 'SIGTERM', inFlight: 1 });
    expect(lines.find((l) => l.msg === 'stopped')).toMatchObject({ inFlight: 1, forced: false });
    expect(lines.find((l) => l.msg === 'request' && l.path === '/api/upload')).toMatchObject({ status: 200 });
  });
});
