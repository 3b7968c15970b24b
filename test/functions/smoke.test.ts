/**
 * Smoke test of the real local runtime: `node --import tsx cloudfunctions/local/main.ts` on a free
 * port with a fresh data directory, driven over HTTP the way the H5 app drives it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG_1X1 } from '../support/functionHarness';

const ROOT = path.resolve(__dirname, '..', '..');

interface Running {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  exited: Promise<number | null>;
}

let dataDir: string;
let h5Dir: string;
let app: Running;
let submittedNumber = '';

function start(): Promise<Running> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, H5_DIR: h5Dir, TIMERS: '0' };
  for (const k of ['PROFILE', 'SECRET', 'PUBLIC_URL', 'DEV_CLOCK']) delete env[k];
  const child = spawn(process.execPath, ['--import', 'tsx', 'cloudfunctions/local/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the runtime did not start in 30 s\nstdout:\n${out}\nstderr:\n${err}`)), 30_000);
    const check = () => {
      const m = out.match(/listening on (http:\/\/\S+)/);
      // The banner ends with the QR example: wait for all of it.
      if (!m || !out.includes('QR entry example')) return;
      clearTimeout(timer);
      child.stdout!.off('data', check);
      resolve({ child, url: m[1]!, stdout: () => out, exited });
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the runtime exited with ${code}\nstdout:\n${out}\nstderr:\n${err}`));
    });
  });
}

interface Result<T = Record<string, unknown>> {
  ok: boolean;
  data?: T;
  code?: string;
  message?: string;
}

async function api<T = Record<string, unknown>>(fn: string, event: unknown, token?: string): Promise<Result<T>> {
  const res = await fetch(`${app.url}/api/${fn}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(event),
  });
  expect(res.headers.get('content-type')).toContain('application/json');
  return (await res.json()) as Result<T>;
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mashang-smoke-data-'));
  h5Dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mashang-smoke-h5-'));
  app = await start();
}, 40_000);

afterAll(async () => {
  if (app && app.child.exitCode === null) {
    app.child.kill('SIGTERM');
    await app.exited;
  }
  for (const d of [dataDir, h5Dir]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

describe('the local runtime (npm start) over HTTP', () => {
  it('prints its URL, the seeded data and the demo logins', () => {
    expect(app.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(app.url).not.toMatch(/:0$/);
    const out = app.stdout();
    expect(out).toContain('(demo data seeded)');
    expect(out).toContain('demo-resident');
    expect(out).toContain('demo-operator');
    expect(fs.existsSync(path.join(dataDir, 'mashang.db'))).toBe(true);
  });

  it('logs in as the demo resident, uploads a photo, submits and reads the ticket back', async () => {
    const users = await api<{ id: string }[]>('auth', { action: 'demoUsers' });
    expect(users.ok).toBe(true);
    expect(users.data!.map((u) => u.id)).toContain('demo-resident');

    const login = await api<{ token: string; user: { id: string; roles: string[] } }>('auth', { action: 'login', userId: 'demo-resident' });
    expect(login).toMatchObject({ ok: true, data: { user: { id: 'demo-resident', roles: ['resident'] } } });
    const token = login.data!.token;
    expect((await api('auth', { action: 'whoami' }, token)).data).toMatchObject({ id: 'demo-resident' });

    const up = await fetch(`${app.url}/api/upload?name=photo.png`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: PNG_1X1 });
    const uploaded = (await up.json()) as Result<{ fileId: string; kind: string }>;
    expect(uploaded).toMatchObject({ ok: true, data: { kind: 'image' } });

    const input = {
      clientRequestId: 'smoke-0001',
      type: 'complaint',
      category: '市容环境',
      content: '滨河公园南门的路灯坏了一个多星期，晚上很黑。',
      location: { address: '滨河公园南门', area: '东区街道' },
      contact: { name: '张明', phone: '13800001234' },
      attachments: [{ fileId: uploaded.data!.fileId, kind: 'image' }],
    };
    const submitted = await api<{ created: boolean; ticket: { id: string; number: string; state: string }; expected: { basis: string } }>('resident', { action: 'submit', input }, token);
    expect(submitted).toMatchObject({ ok: true, data: { created: true, ticket: { state: 'submitted' } } });
    expect(submitted.data!.expected.basis).toContain('《');
    const id = submitted.data!.ticket.id;
    submittedNumber = submitted.data!.ticket.number;

    const read = await api<{ ticket: { id: string; number: string; content: string; attachments: unknown[] }; timeline: { type: string }[] }>('resident', { action: 'get', ticketId: id }, token);
    expect(read).toMatchObject({ ok: true, data: { ticket: { id, number: submitted.data!.ticket.number, content: input.content } } });
    expect(read.data!.ticket.attachments).toHaveLength(1);
    expect(read.data!.timeline.map((e) => e.type)).toEqual(['submit']);

    // A retry over HTTP returns the same ticket.
    const again = await api<{ created: boolean; ticket: { id: string } }>('resident', { action: 'submit', input }, token);
    expect(again).toMatchObject({ ok: true, data: { created: false, ticket: { id } } });

    // The photo is served through a signed, short-lived URL.
    const link = await api<{ url: string }>('media', { action: 'url', fileId: uploaded.data!.fileId }, token);
    const photo = await fetch(`${app.url}${link.data!.url}`);
    expect(photo.status).toBe(200);
    expect(photo.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await photo.arrayBuffer()).equals(PNG_1X1)).toBe(true);
  });

  it('looks the ticket up by number and phone tail without an account', async () => {
    expect(submittedNumber).not.toBe('');
    const found = await api<{ ticket: { number: string; state: string } }>('resident', { action: 'lookup', number: submittedNumber, phoneTail: '1234' });
    expect(found).toMatchObject({ ok: true, data: { ticket: { number: submittedNumber, state: 'submitted' } } });
    expect(JSON.stringify(found)).not.toContain('13800001234');
    expect(await api('resident', { action: 'lookup', number: submittedNumber, phoneTail: '9999' })).toMatchObject({ ok: false, code: 'not-found' });
  });

  it('refuses calls without a valid session', async () => {
    expect(await api('resident', { action: 'listMine' })).toMatchObject({ ok: false, code: 'unauthenticated' });
    expect(await api('resident', { action: 'listMine' }, 'forged.token')).toMatchObject({ ok: false, code: 'token-invalid' });
    const upload = await fetch(`${app.url}/api/upload`, { method: 'POST', body: PNG_1X1 });
    expect(await upload.json()).toMatchObject({ ok: false, code: 'unauthenticated' });
  });

  it('does not let an anonymous HTTP caller run the timer as the system', async () => {
    // In CloudBase a caller without OPENID is the timer trigger; over HTTP it is just anyone.
    const r = await api('timer', { action: 'run' });
    expect(r.ok).toBe(false);
    expect(['unauthenticated', 'forbidden', 'not-found']).toContain(r.code);
  });

  it('keeps the developer clock closed unless DEV_CLOCK=1', async () => {
    const res = await fetch(`${app.url}/api/_dev/clock`, { method: 'POST', body: JSON.stringify({ advanceMs: 86_400_000 }) });
    expect(res.status).toBe(404);
  });

  it('GET / answers 503 with the "H5 尚未构建" page when there is no build', async () => {
    const res = await fetch(`${app.url}/`);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('H5 尚未构建');
  });

  it('stops cleanly on SIGTERM', async () => {
    app.child.kill('SIGTERM');
    expect(await app.exited).toBe(0);
  });
});
