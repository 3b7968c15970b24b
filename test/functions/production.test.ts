/**
 * `npm run serve` as a county IT person runs it: the real runtime process in production mode
 * (MODE=production), the first operator made with `npm run admin`, the demo refused.
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { totpCode } from '../../cloudfunctions/lib/passwords';
import { REPO, SECRET, api, startRuntime, tempDir, type Runtime } from '../support/reliabilityHarness';

const main = path.join('cloudfunctions', 'local', 'main.ts');
const PASSWORD = 'Yellow-river-bridge-19';

/** `npm run admin -- …` as a child process (asynchronous: the server's idle connections must not go stale meanwhile). */
function admin(dataDir: string, args: string[], input = ''): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('scripts', 'admin.ts'), ...args], { cwd: REPO, env: { ...process.env, DATA_DIR: dataDir } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  child.stdin.end(input);
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

describe('production mode (npm run serve)', () => {
  let rt: Runtime | null = null;
  const dataDir = tempDir('mashang-prod-');
  afterAll(async () => {
    await rt?.stop();
  });

  it('refuses to start without a secret, or with a short one', () => {
    for (const secret of [undefined, 'too-short']) {
      const env: NodeJS.ProcessEnv = { ...process.env, MODE: 'production', PORT: '0', DATA_DIR: tempDir('mashang-nosecret-'), TIMERS: '0' };
      delete env.SECRET;
      if (secret) env.SECRET = secret;
      const r = spawnSync(process.execPath, ['--import', 'tsx', main], { cwd: REPO, env, encoding: 'utf8', timeout: 60_000 });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('SECRET is required in production');
      expect(r.stdout).not.toContain('listening');
    }
  });

  it('starts empty, says how to create the first operator, refuses the demo login and lists no demo users', async () => {
    rt = await startRuntime(dataDir, { MODE: 'production', SECRET });
    // The banner follows the "listening" line.
    for (let i = 0; i < 100 && !rt.output().includes('QR') && !rt.output().includes('It asks for a password'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(rt.output()).toContain('No operator yet');
    expect(rt.output()).toContain('npm run admin -- create-operator');
    expect(rt.output()).not.toContain('demo-operator');
    // The curl of the issue: curl -s localhost:3000/api/auth -d '{"action":"login","userId":"demo-operator"}'
    expect(await api(rt.base, 'auth', { action: 'login', userId: 'demo-operator' })).toMatchObject({ ok: false, code: 'demo-disabled' });
    expect(await api(rt.base, 'auth', { action: 'demoUsers' })).toEqual({ ok: true, data: [] });
    expect(await api(rt.base, 'admin', { action: 'units' })).toMatchObject({ ok: false, code: 'unauthenticated' });
  });

  it('npm run admin -- create-operator makes the first operator, who signs in with password + TOTP', async () => {
    const weak = await admin(dataDir, ['create-operator', '--login', 'it.admin', '--name', '信息中心'], 'password123\n');
    expect(weak.status).toBe(1);
    expect(weak.stderr).toContain('password-weak');
    const made = await admin(dataDir, ['create-operator', '--login', 'it.admin', '--name', '信息中心', '--with-totp'], `${PASSWORD}\n`);
    expect(made.stderr).toBe('');
    expect(made.status).toBe(0);
    const secret = made.stdout.match(/TOTP secret: ([A-Z2-7]+)/)![1]!;
    const list = await admin(dataDir, ['list-operators']);
    expect(list.stdout).toMatch(/it\.admin\t信息中心\tTOTP on/);
    expect(await api(rt!.base, 'auth', { action: 'passwordLogin', login: 'it.admin', password: PASSWORD })).toMatchObject({ ok: false, code: 'totp-required' });
    const r = await api<{ token: string; totpEnrolment: boolean }>(rt!.base, 'auth', { action: 'passwordLogin', login: 'it.admin', password: PASSWORD, totp: totpCode(secret, Date.now()) });
    if (!r.ok) throw new Error(`${r.code} ${r.message}`);
    expect(r.data.totpEnrolment).toBe(false);
    expect(await api(rt!.base, 'admin', { action: 'units' }, r.data.token)).toEqual({ ok: true, data: [] });
    // A reset code from the command line, for an operator locked out of the only account.
    const reset = await admin(dataDir, ['reset-password', '--login', 'it.admin']);
    expect(reset.stdout).toMatch(/reset code for it\.admin: [A-Z2-9]{10}/);
  });
});
