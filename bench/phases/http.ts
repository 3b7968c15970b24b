/**
 * (1) submissions and (2) reads through the local runtime over HTTP, (7) its peak RSS.
 * The runtime is a child process; autocannon runs in this process: two processes.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import autocannon from 'autocannon';
import { TokenSigner } from '../../cloudfunctions/lib/identity';
import { DURATION_S, USERS, removeDir, sleep, tempDir } from '../lib/env';
import { preparePopulation, sessionIdOf } from '../lib/population';
import { CATEGORIES, AREAS, TYPE_MIX, prng, requestContent } from '../lib/prng';
import { call, cpuMsOf, memoryOf, startServer, type RunningServer } from '../lib/server';

export interface LoadFigure {
  name: string;
  connections: number;
  durationS: number;
  requests: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  ok: number;
  notOk: number;
  notOkCodes: Record<string, number>;
  errors: number;
  timeouts: number;
  non2xx: number;
  /** CPU the server process used per request (ms): what one core can do, whatever else runs on the machine. */
  serverCpuMsPerReq: number;
  /** CPU autocannon (this process) used per request (ms). */
  clientCpuMsPerReq: number;
}

export interface HttpResults {
  submit: LoadFigure[];
  reads: LoadFigure[];
  verify: { okSubmissions: number; tickets: number; events: number; alarms: number; withDeadline: number; deliveries: number; rateHits: number; consistent: boolean };
  memory: { peakRssAfterSubmit: number; peakRssAfterReads: number };
  serverErrors: string[];
}

const SECRET = 'bench-secret-0123456789abcdef';

interface Counter {
  ok: number;
  notOk: number;
  codes: Record<string, number>;
}

function checker(counter: Counter, okPrefix = '{"ok":true') {
  return (status: number, body: string) => {
    if (status === 200 && body.startsWith(okPrefix)) {
      counter.ok++;
      return;
    }
    counter.notOk++;
    let code = `http-${status}`;
    try {
      code = (JSON.parse(body) as { code?: string }).code ?? code;
    } catch {
      // not JSON: keep the status
    }
    counter.codes[code] = (counter.codes[code] ?? 0) + 1;
  };
}

async function load(server: RunningServer, name: string, connections: number, durationS: number, make: (counter: Counter) => autocannon.RequestSpec): Promise<LoadFigure> {
  const counter: Counter = { ok: 0, notOk: 0, codes: {} };
  const s0 = cpuMsOf(server.pid);
  const c0 = process.cpuUsage();
  const r = await autocannon({ url: server.url, connections, duration: durationS, timeout: 30, requests: [make(counter)] });
  const c = process.cpuUsage(c0);
  const serverCpu = cpuMsOf(server.pid) - s0;
  const total = r.requests.total;
  return {
    name,
    connections,
    durationS: r.duration,
    requests: total,
    rps: total / r.duration,
    p50: r.latency.p50,
    p90: r.latency.p90,
    p99: r.latency.p99,
    max: r.latency.max,
    ok: counter.ok,
    notOk: counter.notOk,
    notOkCodes: counter.codes,
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    serverCpuMsPerReq: serverCpu / Math.max(1, total),
    clientCpuMsPerReq: (c.user + c.system) / 1000 / Math.max(1, total),
  };
}

export async function runHttp(log: (s: string) => void, opts: { reads: boolean; nodeFlags?: string[] } = { reads: true }): Promise<HttpResults> {
  const dir = tempDir('http');
  let server: RunningServer | null = null;
  try {
    const users = await preparePopulation(dir, USERS, Date.now());
    server = await startServer({ dataDir: dir, secret: SECRET, ...(opts.nodeFlags ? { nodeFlags: opts.nodeFlags } : {}) });
    const url = server.url;
    log(`  local runtime ${url} (pid ${server.pid}), ${users.length} residents`);
    const signer = new TokenSigner(SECRET);
    const now = Date.now();
    const tokens = users.map((u) => signer.sign(u, now, sessionIdOf(u)));

    // One submission per request: the next resident (round-robin), a fresh client id and text.
    const r = prng(20261121);
    const runTag = now.toString(36);
    let n = 0;
    const submission = (counter: Counter): autocannon.RequestSpec => ({
      method: 'POST',
      path: '/api/resident',
      setupRequest: (req) => {
        const k = n++;
        const i = k % tokens.length;
        const input = {
          clientRequestId: `bench-${runTag}-${k}`,
          type: r.weighted(TYPE_MIX),
          category: r.pick(CATEGORIES),
          content: requestContent(r, k),
          location: { area: r.pick(AREAS), address: `${r.pick(AREAS)}${1 + r.int(200)}号` },
          contact: { name: `居民${i}`, phone: `138${String(i).padStart(8, '0')}` },
        };
        return { ...req, headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[i]}` }, body: JSON.stringify({ action: 'submit', input }) };
      },
      onResponse: checker(counter, '{"ok":true,"data":{"ticket"'),
    });

    log('  warm-up: 2 s of submissions at concurrency 16 (not reported)');
    const warm = await load(server, 'warm-up', 16, 2, submission);
    const submit: LoadFigure[] = [];
    for (const c of [1, 16, 64]) {
      await sleep(500);
      const f = await load(server, `submit c=${c}`, c, DURATION_S, submission);
      log(`  submit c=${c}: ${f.rps.toFixed(0)} req/s, p50 ${f.p50} ms, p99 ${f.p99} ms, server cpu ${f.serverCpuMsPerReq.toFixed(2)} ms/req, ok ${f.ok}, not ok ${f.notOk} ${JSON.stringify(f.notOkCodes)}`);
      submit.push(f);
    }
    const peakRssAfterSubmit = memoryOf(server.pid)?.peakRss ?? NaN;

    // Every ok response must be a stored ticket with its event, deadline and alarms. Requests cut
    // off in flight when a load phase ends are still being stored: counting each table while they
    // land gave "12776 tickets … 12777 with alarms, 12779 with a deadline". Wait until the ticket
    // count holds still, then count every table in one statement (one read snapshot).
    const db = new Database(path.join(dir, 'mashang.db'), { readonly: true, fileMustExist: true });
    const count = (sql: string) => (db.prepare(sql).pluck().get() as number) ?? 0;
    for (let last = -1, i = 0; i < 50; i++) {
      const now = count('SELECT count(*) FROM tickets');
      if (now === last) break;
      last = now;
      await sleep(200);
    }
    const snapshot = db
      .prepare(
        `SELECT (SELECT count(*) FROM tickets) AS tickets, (SELECT count(*) FROM events) AS events,
                (SELECT count(DISTINCT ticket_id) FROM alarms) AS alarms,
                (SELECT count(*) FROM tickets WHERE next_due_at IS NOT NULL) AS withDeadline,
                (SELECT count(*) FROM deliveries) AS deliveries,
                (SELECT count(*) FROM rate_hits WHERE key LIKE 'submit:%') AS rateHits`,
      )
      .get() as { tickets: number; events: number; alarms: number; withDeadline: number; deliveries: number; rateHits: number };
    const okSubmissions = warm.ok + submit.reduce((s, f) => s + f.ok, 0);
    const verify = { okSubmissions, ...snapshot, consistent: false };
    // A run stops with up to `connections` requests in flight: the server stores them, nobody counts the answer.
    const inFlight = warm.connections + submit.reduce((s, f) => s + f.connections, 0);
    const t = verify.tickets;
    verify.consistent = t >= okSubmissions && t - okSubmissions <= inFlight && verify.events === t && verify.alarms === t && verify.withDeadline === t;
    log(`  verify: ${okSubmissions} ok responses (+ ≤${inFlight} cut off in flight); ${t} tickets, ${verify.events} events, ${verify.alarms} tickets with alarms, ${verify.withDeadline} with a deadline → ${verify.consistent ? 'consistent' : 'MISMATCH'}`);

    let reads: LoadFigure[] = [];
    let peakRssAfterReads = peakRssAfterSubmit;
    if (opts.reads) {
      reads = await runReads(server, db, signer, log);
      peakRssAfterReads = memoryOf(server.pid)?.peakRss ?? NaN;
    }
    db.close();
    return { submit, reads, verify, memory: { peakRssAfterSubmit, peakRssAfterReads }, serverErrors: server.stderr.slice(0, 20) };
  } finally {
    await server?.stop();
    removeDir(dir);
  }
}

/** Dispatches some tickets to 城管局 through the operator API (so they have a timeline and an inbox), then reads. */
async function runReads(server: RunningServer, db: Database.Database, signer: TokenSigner, log: (s: string) => void): Promise<LoadFigure[]> {
  const url = server.url;
  const now = Date.now();
  const op = signer.sign('demo-operator', now, sessionIdOf('demo-operator'));
  const staff = signer.sign('demo-staff-cg', now, sessionIdOf('demo-staff-cg'));
  const picked = db.prepare('SELECT id, reporter_id AS owner FROM tickets ORDER BY rowid DESC LIMIT 300').all() as { id: string; owner: string }[];
  let failures = 0;
  for (const [i, t] of picked.entries()) {
    const steps: [string, string, unknown][] = [
      ['operator', op, { type: 'accept', ticketId: t.id }],
      ['operator', op, { type: 'dispatch', ticketId: t.id, mode: 'single', unitIds: ['u-chengguan'] }],
      ...(i % 2 === 0 ? [['staff', staff, { type: 'sign', ticketId: t.id }] as [string, string, unknown]] : []),
    ];
    for (const [fn, token, command] of steps) {
      const res = await call(url, fn, { action: 'command', command }, token);
      if (!res.ok) failures++;
    }
  }
  log(`  reads: dispatched ${picked.length} tickets to u-chengguan (${failures} refused)`);
  const owners = picked.map((t) => ({ id: t.id, token: signer.sign(t.owner, now, sessionIdOf(t.owner)) }));
  const listers = (db.prepare('SELECT DISTINCT reporter_id FROM tickets ORDER BY rowid DESC LIMIT 2000').pluck().all() as string[]).map((u) => signer.sign(u, now, sessionIdOf(u)));
  const post = (pathName: string, token: string, body: unknown) => ({ path: pathName, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body), method: 'POST' });

  let d = 0;
  let l = 0;
  const inboxBody = post('/api/staff', staff, { action: 'inbox', filter: 'all' });
  const specs: [string, (c: Counter) => autocannon.RequestSpec][] = [
    ['detail (resident.get)', (c) => ({ setupRequest: () => { const t = owners[d++ % owners.length]!; return post('/api/resident', t.token, { action: 'get', ticketId: t.id }); }, onResponse: checker(c) })],
    ['inbox (staff.inbox all)', (c) => ({ ...inboxBody, onResponse: checker(c) })],
    ['list (resident.listMine)', (c) => ({ setupRequest: () => post('/api/resident', listers[l++ % listers.length]!, { action: 'listMine' }), onResponse: checker(c) })],
  ];
  const out: LoadFigure[] = [];
  for (const [name, make] of specs) {
    await sleep(500);
    const f = await load(server, name, 16, DURATION_S, make);
    log(`  ${name} c=16: ${f.rps.toFixed(0)} req/s, p50 ${f.p50} ms, p99 ${f.p99} ms, server cpu ${f.serverCpuMsPerReq.toFixed(2)} ms/req, not ok ${f.notOk} ${JSON.stringify(f.notOkCodes)}`);
    out.push(f);
  }
  return out;
}
