/**
 * Retries and races: a retried submission, two people acting on one ticket at once, overlapping
 * and interrupted timer runs. Everything runs on the real SQLite store in a temporary directory.
 */
import { runTimer, type TimerReport } from '../../cloudfunctions/lib/timer';
import type { ApiResult } from '../../shared/contracts/api';
import { getProfile } from '../../shared/profiles';
import { handlingRule } from '../../shared/workflow/deadlineRules';
import { MIN, createHarness, requestId, submitAndDispatch, type CommandResult, type Harness, type SubmitResult } from '../support/functionHarness';

const STAFF_CG = ['demo-staff-cg', 'staff-cg-2'];

async function withSecondStaff(h: Harness) {
  await h.deps.directory.putUser({ id: 'staff-cg-2', name: '吴刚（城管局）', roles: ['staff'], unitId: 'u-chengguan' });
}

describe('a retried submission', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  it('returns the first ticket: created false, same id, one ticket', async () => {
    const input = h.submitInput();
    const first = await h.ok<SubmitResult>('demo-resident', 'resident', { action: 'submit', input });
    const events = h.count('events');
    const deliveries = h.count('deliveries');
    const again = await h.ok<SubmitResult>('demo-resident', 'resident', { action: 'submit', input });
    expect(first.created).toBe(true);
    expect(again).toMatchObject({ created: false, ticket: { id: first.ticket.id, number: first.ticket.number, version: 1 } });
    expect(again.expected).toEqual(first.expected);
    expect(h.count('tickets', 'client_request_id = ?', String(input.clientRequestId))).toBe(1);
    // No second history, no second notice to the operators.
    expect(h.count('events')).toBe(events);
    expect(h.count('deliveries')).toBe(deliveries);
  });

  it('returns the first ticket even when the retry’s body differs (the id identifies the request)', async () => {
    const input = h.submitInput();
    const first = await h.ok<SubmitResult>('demo-resident', 'resident', { action: 'submit', input });
    const edited = await h.ok<SubmitResult>('demo-resident', 'resident', { action: 'submit', input: { ...input, content: '重新编辑过的内容，补充了更多细节。' } });
    expect(edited).toMatchObject({ created: false, ticket: { id: first.ticket.id, content: input.content } });
  });

  it('returns the first ticket after the ticket has moved on', async () => {
    const input = h.submitInput();
    const first = await h.ok<SubmitResult>('demo-resident', 'resident', { action: 'submit', input });
    await h.command('demo-operator', 'operator', { type: 'accept', ticketId: first.ticket.id });
    const again = await h.ok<SubmitResult>('demo-resident', 'resident', { action: 'submit', input });
    expect(again).toMatchObject({ created: false, ticket: { id: first.ticket.id, state: 'accepted', version: 2 } });
  });

  it('sent twice at once (a network retry while the first is in flight) still makes one ticket', async () => {
    const input = h.submitInput();
    const results = await Promise.all([
      h.call<SubmitResult>('demo-resident', 'resident', { action: 'submit', input }),
      h.call<SubmitResult>('demo-resident', 'resident', { action: 'submit', input }),
    ]);
    expect(h.count('tickets', 'client_request_id = ?', String(input.clientRequestId))).toBe(1);
    // Both answers carry the one ticket; neither is refused as a duplicate of itself.
    expect(results.map((r) => (r.ok ? 'ok' : r.code))).toEqual(['ok', 'ok']);
    const [a, b] = results.map((r) => (r as { data: SubmitResult }).data);
    expect(a!.ticket.id).toBe(b!.ticket.id);
    expect([a!.created, b!.created].sort()).toEqual([false, true]);
  });

  it('is scoped to its reporter: another user’s equal id is a new request', async () => {
    const input = h.submitInput({ clientRequestId: requestId('shared') });
    const mine = await h.ok<SubmitResult>('demo-resident', 'resident', { action: 'submit', input });
    const theirs = await h.ok<SubmitResult>('demo-resident2', 'resident', { action: 'submit', input: { ...input, content: '另一位居民反映的不同内容。' } });
    expect(theirs.created).toBe(true);
    expect(theirs.ticket.id).not.toBe(mine.ticket.id);
  });

  it('by a grid worker and by the operator is idempotent too', async () => {
    for (const [userId, fn] of [['demo-grid', 'resident'], ['demo-operator', 'operator']] as const) {
      const input = h.submitInput({ onBehalf: true, contact: { name: '赵大爷', phone: '13700001111' } });
      const first = await h.ok<SubmitResult>(userId, fn, { action: 'submit', input });
      const again = await h.ok<SubmitResult>(userId, fn, { action: 'submit', input });
      expect(again).toMatchObject({ created: false, ticket: { id: first.ticket.id } });
    }
  });
});

describe('two people act on one ticket at once', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
    await withSecondStaff(h);
  });
  afterAll(() => h.close());

  const race = async (calls: [string, string, Record<string, unknown>][]) => {
    const results = await Promise.all(calls.map(([userId, fn, command]) => h.call<CommandResult>(userId, fn, { action: 'command', command })));
    return results;
  };
  const outcome = (results: ApiResult<CommandResult>[]) => results.map((r) => (r.ok ? 'ok' : r.code)).sort();

  it('two staff sign with the same expected version: one wins, the other gets stale-version, one event', async () => {
    const t = await submitAndDispatch(h);
    const events = (await h.events(t.id)).length;
    const deliveries = h.count('deliveries', 'ticket_id = ?', t.id);
    const results = await race(STAFF_CG.map((userId) => [userId, 'staff', { type: 'sign', ticketId: t.id, expectedVersion: t.version }]));
    expect(outcome(results)).toEqual(['ok', 'stale-version']);
    const loser = results.find((r) => !r.ok)!;
    expect(loser).toMatchObject({ message: '该诉求已被他人更新，请刷新后重试' });
    const history = await h.events(t.id);
    expect(history).toHaveLength(events + 1);
    expect(history.filter((e) => e.type === 'sign')).toHaveLength(1);
    const stored = await h.ticket(t.id);
    expect(stored.version).toBe(t.version + 1);
    const winner = (results.find((r) => r.ok) as { data: CommandResult }).data;
    expect(history[history.length - 1]!.actor.userId).toBe(
      STAFF_CG[results.indexOf(results.find((r) => r.ok)!)],
    );
    expect(winner.ticket.version).toBe(stored.version);
    // Only the winner's notice went out (the requester hears "签收" once).
    expect(h.count('deliveries', 'ticket_id = ?', t.id) - deliveries).toBe(1);
  });

  it('different commands on the same version: still exactly one event', async () => {
    const t = await submitAndDispatch(h);
    await h.command('demo-staff-cg', 'staff', { type: 'sign', ticketId: t.id });
    const v = (await h.ticket(t.id)).version;
    const results = await race([
      ['demo-staff-cg', 'staff', { type: 'contact', ticketId: t.id, expectedVersion: v, method: 'phone', note: '已电话联系' }],
      ['staff-cg-2', 'staff', { type: 'requestExtension', ticketId: t.id, expectedVersion: v, reason: '需要协调' }],
    ]);
    expect(outcome(results)).toEqual(['ok', 'stale-version']);
    expect((await h.events(t.id)).filter((e) => e.seq > v)).toHaveLength(1);
  });

  it('staff and the operator at once: one wins', async () => {
    const t = await submitAndDispatch(h);
    await h.command('demo-staff-cg', 'staff', { type: 'sign', ticketId: t.id });
    await h.command('demo-staff-cg', 'staff', { type: 'contact', ticketId: t.id, method: 'phone', note: '已电话联系' });
    const v = (await h.ticket(t.id)).version;
    const results = await race([
      ['demo-staff-cg', 'staff', { type: 'reply', ticketId: t.id, expectedVersion: v, result: '已处理完毕，经现场核实已办结', handler: '刘洋' }],
      ['demo-operator', 'operator', { type: 'terminate', ticketId: t.id, expectedVersion: v, reason: '诉求人拒不配合核实', groundCode: 'uncooperative' }],
    ]);
    expect(outcome(results)).toEqual(['ok', 'stale-version']);
    const after = await h.ticket(t.id);
    expect(['replied', 'terminated']).toContain(after.state);
    expect(await h.events(t.id)).toHaveLength(v + 1);
  });

  it('ten staff at once: exactly one wins, every time', async () => {
    for (let i = 0; i < 10; i++) await h.deps.directory.putUser({ id: `staff-cg-x${i}`, name: `城管${i}`, roles: ['staff'], unitId: 'u-chengguan' });
    for (let round = 0; round < 3; round++) {
      const t = await submitAndDispatch(h);
      const results = await race(Array.from({ length: 10 }, (_, i) => [`staff-cg-x${i}`, 'staff', { type: 'sign', ticketId: t.id, expectedVersion: t.version }] as [string, string, Record<string, unknown>]));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.code === 'stale-version')).toBe(true);
      expect(await h.events(t.id)).toHaveLength(t.version + 1);
    }
  });

  it('a stale expected version is refused even without a race, and changes nothing', async () => {
    const t = await submitAndDispatch(h);
    await h.command('demo-staff-cg', 'staff', { type: 'sign', ticketId: t.id });
    const before = h.snapshot();
    const r = await h.refused('staff-cg-2', 'staff', { action: 'command', command: { type: 'contact', ticketId: t.id, expectedVersion: t.version, method: 'phone', note: '联系' } });
    expect(r.code).toBe('stale-version');
    expect(h.snapshot()).toBe(before);
  });
});

describe('timer runs', () => {
  const profile = getProfile('baiyin');
  const N = 24;

  /** N tickets signed by 城管 at the same instant: each has one active deadline (handle) and its alarms. */
  async function signedTickets(h: Harness, n: number) {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      // Each at its own place: distinct matters, so no same-matter trigger (baiyin 23(4)(5)) adds alarms.
      const t = await submitAndDispatch(h, { viaOperator: true, submit: { location: { address: `滨河路${i + 1}号`, area: `第${i + 1}网格` } } });
      await h.command('demo-staff-cg', 'staff', { type: 'sign', ticketId: t.id });
      ids.push(t.id);
    }
    const handle = (await h.ticket(ids[0]!)).deadlines.find((d) => d.kind === 'handle' && d.status === 'active')!;
    return { ids, handle };
  }

  /** Deliveries of one template, counted per (ticket, user). */
  function perTicketAndUser(h: Harness, template: string) {
    const m = new Map<string, number>();
    for (const d of h.deliveries().filter((x) => x.template === template)) m.set(`${d.ticketId}|${d.userId}`, (m.get(`${d.ticketId}|${d.userId}`) ?? 0) + 1);
    return m;
  }

  const sum = (reports: TimerReport[], k: 'claimed' | 'reminders' | 'overdue' | 'supervised' | 'skipped' | 'failed') => reports.reduce((n, r) => n + r[k], 0);

  it('two overlapping runs send each reminder exactly once', async () => {
    const h = await createHarness({ limits: { submissionsPerHour: 1000 } });
    try {
      await withSecondStaff(h);
      const { ids, handle } = await signedTickets(h, N);
      expect(handle.dueAt - handle.startedAt).toBeGreaterThan(0);
      expect(handlingRule(profile, { type: 'complaint', urgency: 'normal', utilities: false }).amount).toBeGreaterThan(0);

      // Past both "due soon" thresholds (50 %, 80 %), not yet due.
      h.clock.set(handle.startedAt + Math.floor((handle.dueAt - handle.startedAt) * 0.9));
      const soon = await Promise.all([runTimer(h.deps, 'run-a', { batch: 5 }), runTimer(h.deps, 'run-b', { batch: 5 })]);
      // Both runs did part of the work: they really overlapped.
      expect(soon.every((r) => r.claimed > 0)).toBe(true);
      expect(sum(soon, 'claimed')).toBe(N * profile.reminders.dueSoonAt.length);
      expect(sum(soon, 'reminders')).toBe(N * profile.reminders.dueSoonAt.length);
      expect(sum(soon, 'failed')).toBe(0);
      const dueSoon = perTicketAndUser(h, 'dueSoon');
      expect(dueSoon.size).toBe(N * STAFF_CG.length);
      for (const id of ids) for (const u of STAFF_CG) expect(dueSoon.get(`${id}|${u}`)).toBe(profile.reminders.dueSoonAt.length);
      expect(h.count('alarms', "kind = 'dueSoon' AND status = 'done'")).toBe(N * profile.reminders.dueSoonAt.length);

      // Past the deadline: each ticket is marked overdue once, and supervised once (baiyin's trigger).
      h.clock.set(handle.dueAt + MIN);
      const late = await Promise.all([runTimer(h.deps, 'run-c', { batch: 5 }), runTimer(h.deps, 'run-d', { batch: 5 })]);
      expect(late.every((r) => r.claimed > 0)).toBe(true);
      expect(sum(late, 'overdue')).toBe(N);
      expect(sum(late, 'supervised')).toBe(profile.supervision.triggers.includes('overdue') ? N : 0);
      expect(sum(late, 'failed')).toBe(0);
      for (const id of ids) {
        const events = await h.events(id);
        expect(events.filter((e) => e.type === 'markOverdue')).toHaveLength(1);
        expect(events.filter((e) => e.type === 'supervise')).toHaveLength(1);
        const t = await h.ticket(id);
        expect(t.overdue).toBe(true);
        expect(t.version).toBe(events.length);
      }
      const overdue = perTicketAndUser(h, 'overdue');
      const supervised = perTicketAndUser(h, 'supervised');
      for (const id of ids) {
        for (const u of STAFF_CG) {
          expect(overdue.get(`${id}|${u}`)).toBe(1);
          expect(supervised.get(`${id}|${u}`)).toBe(1);
        }
      }
      // The operators heard of each overdue ticket once.
      const ops = h.deliveries().filter((d) => d.userId === 'demo-operator' && d.notice.summary === '诉求已超期');
      expect(new Set(ops.map((d) => d.ticketId)).size).toBe(N);
      expect(ops).toHaveLength(N);

      // A third run finds nothing left to do and sends nothing.
      const deliveries = h.count('deliveries');
      const idle = await runTimer(h.deps, 'run-e');
      expect(idle.claimed).toBe(0);
      expect(h.count('deliveries')).toBe(deliveries);
    } finally {
      await h.close();
    }
  });

  it('a run stopped part-way leaves the rest to the next run: nothing lost, nothing doubled', async () => {
    const h = await createHarness({ limits: { submissionsPerHour: 1000 } });
    try {
      await withSecondStaff(h);
      const n = 10;
      const { ids, handle } = await signedTickets(h, n);
      const alarms = n * profile.reminders.dueSoonAt.length;
      h.clock.set(handle.startedAt + Math.floor((handle.dueAt - handle.startedAt) * 0.9));

      // The first run "crashes" after 7 alarms; the rest of its batch stays leased to it.
      const crashed = await runTimer(h.deps, 'run-crash', { batch: 5, maxAlarms: 7 });
      expect(crashed.reminders).toBe(7);
      expect(h.count('alarms', "status = 'done'")).toBe(7);
      const leased = h.count('alarm_leases', "run_id = 'run-crash'");
      expect(leased).toBeGreaterThan(0);

      // A run during the lease takes everything else but not the leased alarms.
      const during = await runTimer(h.deps, 'run-during', { batch: 5 });
      expect(during.reminders).toBe(alarms - 7 - leased);
      expect(h.count('alarm_leases', "run_id = 'run-crash'")).toBe(leased);

      // After the lease, the next run finishes the crashed run's work.
      h.clock.advance(61_000);
      const after = await runTimer(h.deps, 'run-after', { batch: 5 });
      expect(after.reminders).toBe(leased);
      expect(h.count('alarms', "kind = 'dueSoon' AND status = 'done'")).toBe(alarms);

      const dueSoon = perTicketAndUser(h, 'dueSoon');
      for (const id of ids) for (const u of STAFF_CG) expect(dueSoon.get(`${id}|${u}`)).toBe(profile.reminders.dueSoonAt.length);
      expect(h.count('deliveries', "template = 'dueSoon'")).toBe(alarms * STAFF_CG.length);
    } finally {
      await h.close();
    }
  });

  it('a run whose alarm marks were lost after its reminders went out sends nothing again', async () => {
    const h = await createHarness({ limits: { submissionsPerHour: 1000 } });
    try {
      const { handle } = await signedTickets(h, 3);
      h.clock.set(handle.startedAt + Math.floor((handle.dueAt - handle.startedAt) * 0.9));
      await runTimer(h.deps, 'run-1');
      const sent = h.count('deliveries', "template = 'dueSoon'");
      expect(sent).toBe(3 * profile.reminders.dueSoonAt.length);
      // The completion of every alarm is lost after its reminders were delivered: the re-run marks
      // them again, adds no second reminder effect (same id) and the drain owes nobody a message.
      h.deps.db.prepare("INSERT INTO alarm_leases (key, run_id, lease_until, attempts) SELECT key, 'run-1', ?, 1 FROM alarms WHERE status = 'done'").run(h.clock.now());
      h.deps.db.prepare("UPDATE alarms SET status = 'pending' WHERE status = 'done'").run();
      h.clock.advance(1_000);
      const again = await runTimer(h.deps, 'run-2');
      expect(again.claimed).toBe(sent);
      expect(h.count('deliveries', "template = 'dueSoon'")).toBe(sent);
      expect(h.count('alarms', "status = 'done'")).toBe(sent);
    } finally {
      await h.close();
    }
  });
});
