/**
 * `npm run admin -- <command>`: account chores on the server's own machine, against the same
 * DATA_DIR as `npm run serve` (SQLite allows both at once).
 *
 *   create-operator --login <account> --name <姓名> [--phone <手机号>] [--with-totp]
 *       a platform operator with a password (asked twice, or ADMIN_PASSWORD, or one line on stdin);
 *       the authenticator is set up at the first sign-in, or now with --with-totp (prints the secret)
 *   reset-password --login <account>
 *       a one-time reset code (24 h), as an operator issues it in 管理 → 账号
 *   list-operators
 */
import path from 'node:path';
import readline from 'node:readline';
import { createLocalDeps } from '../cloudfunctions/local/localDeps';
import { audit, createAccount, issueResetCode, normalizeLogin } from '../cloudfunctions/lib/accounts';
import { newTotpSecret, otpauthUri } from '../cloudfunctions/lib/passwords';
import { DomainError } from '../shared/errors';

function args(argv: string[]): { command: string; flags: Record<string, string | true> } {
  const [command = 'help', ...rest] = argv;
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const next = rest[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      flags[a.slice(2)] = next;
      i++;
    } else flags[a.slice(2)] = true;
  }
  return { command, flags };
}

async function readPassword(prompt: string): Promise<string> {
  if (process.env.ADMIN_PASSWORD) return process.env.ADMIN_PASSWORD;
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  if (!process.stdin.isTTY) {
    for await (const line of rl) {
      rl.close();
      return line;
    }
    throw new Error('no password on stdin');
  }
  const ask = (q: string) =>
    new Promise<string>((resolve) => {
      const out = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WriteStream };
      out._writeToOutput = (s: string) => out.output.write(s.startsWith(q) ? s : '');
      rl.question(q, (answer) => {
        out.output.write('\n');
        resolve(answer);
      });
    });
  const first = await ask(prompt);
  const second = await ask('Repeat the password: ');
  rl.close();
  if (first !== second) throw new Error('the two passwords differ');
  return first;
}

const text = (v: string | true | undefined, name: string): string => {
  if (typeof v !== 'string' || !v.trim()) throw new Error(`--${name} is required`);
  return v.trim();
};

async function main() {
  const { command, flags } = args(process.argv.slice(2));
  const dataDir = path.resolve(process.env.DATA_DIR ?? path.join(process.cwd(), 'data'));
  const deps = createLocalDeps({ dataDir, secret: 'admin-cli-signs-nothing' });
  try {
    if (command === 'create-operator') {
      const login = normalizeLogin(text(flags.login, 'login'));
      const name = text(flags.name, 'name');
      const phone = typeof flags.phone === 'string' ? flags.phone : undefined;
      const password = await readPassword(`Password for ${login} (at least 10 characters): `);
      const { user, credential } = await createAccount(deps, { name, login, password, roles: ['operator'], ...(phone ? { phone } : {}) });
      console.log(`operator created: ${user.id} (${login}, ${name})`);
      if (flags['with-totp']) {
        const secret = newTotpSecret();
        await deps.directory.patchCredential(credential.userId, { set: { totpSecret: secret, updatedAt: deps.clock.now() } });
        await audit(deps, 'totp-enabled', { userId: user.id, login, detail: 'npm run admin' });
        console.log(`TOTP secret: ${secret}`);
        console.log(`otpauth URI: ${otpauthUri(secret, login)}`);
      } else {
        console.log('At the first sign-in the server asks to set up an authenticator app (TOTP).');
      }
    } else if (command === 'reset-password') {
      const login = normalizeLogin(text(flags.login, 'login'));
      const userId = await deps.directory.userIdByLogin(`account:${login}`);
      if (!userId) throw new DomainError('not-found', `no account ${login}`);
      const r = await issueResetCode(deps, 'npm-run-admin', userId);
      console.log(`reset code for ${r.login}: ${r.code} (valid until ${new Date(r.expiresAt).toISOString()})`);
      console.log('Sign-in page → 使用重置码设置新密码. The authenticator is set up again after the reset.');
    } else if (command === 'list-operators') {
      for (const u of await deps.directory.listUsers({ role: 'operator' })) {
        const cred = await deps.directory.getCredential(u.id);
        console.log(`${u.id}\t${cred?.login ?? '(WeChat)'}\t${u.name}\t${cred?.totpSecret ? 'TOTP on' : 'TOTP not set up'}`);
      }
    } else {
      console.log('usage: npm run admin -- create-operator --login <account> --name <姓名> [--phone <手机号>] [--with-totp]');
      console.log('       npm run admin -- reset-password --login <account>');
      console.log('       npm run admin -- list-operators');
      process.exitCode = command === 'help' ? 0 : 2;
    }
  } finally {
    deps.db.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof DomainError ? `refused: ${e.code} — ${e.message}` : e instanceof Error ? e.message : String(e));
  process.exit(1);
});
