/**
 * One function call in a process of its own, for inputs that might block the event loop (a test
 * that hangs in-process cannot even fail). Run as:
 *   node --import tsx test/reliability/isolatedCall.ts <function> <event JSON> <caller user id | "">
 * It prints the result as one JSON line. The caller (see runIsolated in fuzz.test.ts) kills it
 * after a timeout and reports the input as hanging.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { handle } from '../../cloudfunctions/lib/router';
import { createLocalDeps } from '../../cloudfunctions/local/localDeps';
import { seedIfEmpty } from '../../cloudfunctions/local/seed';

async function main() {
  const [fn = '', eventJson = 'null', callerId = ''] = process.argv.slice(2);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mashang-isolated-'));
  try {
    const deps = createLocalDeps({ dataDir: dir, secret: 'isolated-secret-0123456789' });
    const now = Date.UTC(2026, 2, 2, 2);
    deps.clock.now = () => now;
    await seedIfEmpty(deps.directory, now, 'baiyin');
    const user = callerId ? await deps.directory.getUser(callerId) : null;
    const result = await handle(fn, JSON.parse(eventJson), { user }, deps);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    deps.db.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stdout.write(`${JSON.stringify({ thrown: String(e) })}\n`);
    process.exit(1);
  },
);
