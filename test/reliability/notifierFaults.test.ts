/**
 * Notifier faults: the subscription-message sender fails by timeout, by error 43101 (the user has
 * no subscription left) and by a generic error. Timeouts and generic errors are retried with
 * exponential backoff, a bounded number of times, and end 'failed'; 43101 is recorded
 * 'undeliverable' after one attempt. Through the whole stack, a state change succeeds and is
 * saved even though every notice fails.
 *
 * The sender is a fake (FakeFailingSender); the sleep is injected and records the delays, so the
 * backoff is checked exactly and the test does not wait.
 */
import { DeliveringNotifier, DEFAULT_RETRY, type RetryPolicy, type Sender } from '../../cloudfunctions/lib/delivery';
import type { Notice, Recipient } from '../../shared/ports';
import { createRig, dispatched, type Rig } from '../support/reliabilityHarness';
import { recordFigure } from './figures';

const started = Date.now();
let scenarios = 0;

type Failure = 'timeout' | '43101' | 'generic' | 'none';

/** A fake sender: fails as told for the first `failures` calls (Infinity: always), then succeeds. */
class FakeFailingSender implements Sender {
  calls: { to: Recipient; notice: Notice; at: number }[] = [];
  constructor(
    private readonly how: Failure,
    private readonly failures = Infinity,
    private readonly now: () => number = () => 0,
  ) {}

  async send(to: Recipient, notice: Notice): Promise<void> {
    this.calls.push({ to, notice, at: this.now() });
    if (this.calls.length > this.failures || this.how === 'none') return;
    switch (this.how) {
      case 'timeout':
        throw Object.assign(new Error('ESOCKETTIMEDOUT: openapi.subscribeMessage.send'), { kind: 'timeout', code: 'ETIMEDOUT' });
      case '43101':
        throw Object.assign(new Error('errCode: 43101 | errMsg: user refuse to accept the msg'), { errCode: 43101 });
      case 'generic':
        throw new Error('system error (-1)');
    }
  }
}

/** An injected sleep that records each delay and advances the rig's clock by it. */
function recordingSleep(rig: Rig) {
  const delays: number[] = [];
  return {
    delays,
    sleep: async (ms: number) => {
      delays.push(ms);
      rig.clock.advance(ms);
    },
  };
}

const notice = (ticketId = 't-notice'): Notice => ({
  template: 'progress',
  ticketId,
  ticketNumber: 'M2603020000001',
  title: '垃圾桶未清运',
  status: '办理中',
  summary: '承办单位已签收',
  at: 0,
  page: 'pages/detail/index?id=t-notice',
});

let rig: Rig;
beforeEach(async () => {
  rig = await createRig();
});
afterEach(async () => {
  await rig.close();
});

/** The delivery row as stored. */
function record(id: string) {
  return rig.deps.db.prepare('SELECT status, attempts, error_code AS errorCode FROM deliveries WHERE id = ?').get(id) as { status: string; attempts: number; errorCode: string | null };
}

describe('DeliveringNotifier over a failing sender', () => {
  it.each([
    ['timeout', 'ETIMEDOUT'],
    ['generic', 'error'],
  ] as const)('%s: retried with exponential backoff, bounded, ends failed', async (how, code) => {
    const sender = new FakeFailingSender(how, Infinity, () => rig.clock.now());
    const { delays, sleep } = recordingSleep(rig);
    const n = new DeliveringNotifier(rig.deps.directory, sender, () => rig.clock.now(), DEFAULT_RETRY, sleep);
    const result = await n.send({ userId: 'demo-resident' }, notice(), `k-${how}`);

    expect(result).toEqual({ status: 'failed', attempts: DEFAULT_RETRY.attempts, errorCode: code });
    expect(sender.calls).toHaveLength(DEFAULT_RETRY.attempts);
    // 200, 400, 800: doubling from the base, no sleep after the last attempt.
    expect(delays).toEqual([200, 400, 800]);
    // The attempts are spaced by those delays.
    expect(sender.calls.map((c, i) => (i ? c.at - sender.calls[i - 1]!.at : 0))).toEqual([0, 200, 400, 800]);
    expect(record(`k-${how}`)).toEqual({ status: 'failed', attempts: 4, errorCode: code });
    scenarios++;
  });

  it('the backoff is capped by maxDelayMs and the attempts by the policy', async () => {
    const policy: RetryPolicy = { attempts: 7, baseDelayMs: 100, maxDelayMs: 1_000 };
    const sender = new FakeFailingSender('timeout');
    const { delays, sleep } = recordingSleep(rig);
    const result = await new DeliveringNotifier(rig.deps.directory, sender, () => rig.clock.now(), policy, sleep).send({ userId: 'demo-resident' }, notice(), 'k-cap');
    expect(result.status).toBe('failed');
    expect(sender.calls).toHaveLength(7);
    expect(delays).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    scenarios++;
  });

  it('43101: recorded undeliverable after one attempt, never retried', async () => {
    const sender = new FakeFailingSender('43101');
    const { delays, sleep } = recordingSleep(rig);
    const n = new DeliveringNotifier(rig.deps.directory, sender, () => rig.clock.now(), DEFAULT_RETRY, sleep);
    const result = await n.send({ userId: 'demo-resident', openid: 'o-1' }, notice(), 'k-43101');
    expect(result).toEqual({ status: 'undeliverable', attempts: 1, errorCode: '43101' });
    expect(sender.calls).toHaveLength(1);
    expect(delays).toEqual([]);
    expect(record('k-43101')).toEqual({ status: 'undeliverable', attempts: 1, errorCode: '43101' });
    // A later send under the same key (a re-run) does not try again.
    expect((await n.send({ userId: 'demo-resident' }, notice(), 'k-43101')).attempts).toBe(0);
    expect(sender.calls).toHaveLength(1);
    scenarios++;
  });

  it("43101 given as a kind ('no-subscription') or as a string code is the same", async () => {
    for (const err of [Object.assign(new Error('x'), { kind: 'no-subscription' }), Object.assign(new Error('x'), { errCode: '43101' }), Object.assign(new Error('x'), { code: 43101 })]) {
      let calls = 0;
      const sender: Sender = {
        async send() {
          calls++;
          throw err;
        },
      };
      const key = `k-43101-${Math.random()}`;
      const r = await new DeliveringNotifier(rig.deps.directory, sender, () => rig.clock.now(), DEFAULT_RETRY, async () => {}).send({ userId: 'demo-resident' }, notice(), key);
      expect([r.status, calls]).toEqual(['undeliverable', 1]);
    }
    scenarios++;
  });

  it('a transient failure that clears is delivered, with the attempts it took', async () => {
    const sender = new FakeFailingSender('timeout', 2);
    const { delays, sleep } = recordingSleep(rig);
    const r = await new DeliveringNotifier(rig.deps.directory, sender, () => rig.clock.now(), DEFAULT_RETRY, sleep).send({ userId: 'demo-resident' }, notice(), 'k-clears');
    expect(r).toEqual({ status: 'delivered', attempts: 3 });
    expect(delays).toEqual([200, 400]);
    expect(record('k-clears')).toMatchObject({ status: 'delivered', attempts: 3 });
    scenarios++;
  });

  it('odd throwables (a string, null, an object without a code) are retried as generic errors and never escape', async () => {
    for (const thrown of ['boom', null, undefined, { message: 'no code' }, 42]) {
      let calls = 0;
      const sender: Sender = {
        async send() {
          calls++;
          throw thrown;
        },
      };
      const r = await new DeliveringNotifier(rig.deps.directory, sender, () => rig.clock.now(), { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 }, async () => {}).send({ userId: 'demo-resident' }, notice(), `k-odd-${calls}-${Math.random()}`);
      expect([r.status, calls]).toEqual(['failed', 3]);
    }
    scenarios++;
  });
});

describe('through the whole stack, a failing sender never blocks the state change', () => {
  it.each(['timeout', '43101', 'generic'] as const)('%s on every notice: the commands succeed and are saved', async (how) => {
    const sender = new FakeFailingSender(how);
    const { delays, sleep } = recordingSleep(rig);
    rig.deps.notifier = new DeliveringNotifier(rig.deps.directory, sender, () => rig.clock.now(), DEFAULT_RETRY, sleep);

    // submit (notifies operators) → accept (requester) → dispatch (unit + requester) → sign (requester).
    const s = await rig.submit('demo-resident');
    const accepted = await rig.command('demo-operator', 'operator', { type: 'accept', ticketId: s.ticket.id, expectedVersion: 1 });
    expect(accepted.ticket.state).toBe('accepted');
    await rig.command('demo-operator', 'operator', { type: 'dispatch', ticketId: s.ticket.id, mode: 'single', unitIds: ['u-chengguan'] });
    await rig.command('demo-staff-cg', 'staff', { type: 'sign', ticketId: s.ticket.id });

    const stored = await rig.ticket(s.ticket.id);
    expect([stored.state, stored.version]).toEqual(['handling', 4]);
    expect((await rig.events(s.ticket.id)).map((e) => e.type)).toEqual(['submit', 'accept', 'dispatch', 'sign']);

    // Every notice was tried, and recorded with the outcome the failure calls for.
    const rows = rig.deps.db.prepare('SELECT status, attempts, error_code AS errorCode FROM deliveries').all() as { status: string; attempts: number; errorCode: string }[];
    expect(rows.length).toBeGreaterThanOrEqual(4);
    const want = how === '43101' ? { status: 'undeliverable', attempts: 1, errorCode: '43101' } : { status: 'failed', attempts: 4, errorCode: how === 'timeout' ? 'ETIMEDOUT' : 'error' };
    for (const r of rows) expect(r).toEqual(want);
    expect(sender.calls).toHaveLength(rows.length * want.attempts);
    expect(delays).toHaveLength(how === '43101' ? 0 : rows.length * 3);
    scenarios++;
  });

  it('a notifier that throws outright (its store down) does not undo or block the change either', async () => {
    rig.deps.notifier = {
      async send() {
        throw new Error('deliveries table is locked');
      },
    };
    const t = await dispatched(rig);
    const r = await rig.command('demo-staff-cg', 'staff', { type: 'sign', ticketId: t.id, expectedVersion: t.version });
    expect(r.ticket.state).toBe('handling');
    expect((await rig.ticket(t.id)).version).toBe(t.version + 1);
    scenarios++;
  });

  it('a timer run goes on past failing reminders: every alarm is completed, none left claimed', async () => {
    const sender = new FakeFailingSender('timeout');
    rig.deps.notifier = new DeliveringNotifier(rig.deps.directory, sender, () => rig.clock.now(), { attempts: 2, baseDelayMs: 10, maxDelayMs: 10 }, async () => {});
    await dispatched(rig);
    await dispatched(rig);
    rig.clock.advance(30 * 24 * 3_600_000);
    const { runTimer } = await import('../../cloudfunctions/lib/timer');
    const report = await runTimer(rig.deps, 'run-fail');
    expect(report.claimed).toBeGreaterThan(0);
    expect(report.failed).toBe(0);
    expect(rig.deps.db.prepare('SELECT count(*) FROM alarm_leases').pluck().get()).toBe(0);
    expect(sender.calls.length).toBeGreaterThan(0);
    scenarios++;
    recordFigure('notifierFaults', { scenarios, ms: Date.now() - started });
  });
});
