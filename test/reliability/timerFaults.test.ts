/**
 * Timer faults: a deadline run is killed part-way; the clock passes the lease; the next run
 * finishes the work. No reminder is lost and none is sent twice. Overlapping runs likewise.
 *
 * Kill points:
 *  - between alarms: `maxAlarms` (the run stops) and a throw from `afterAlarm` (the run dies);
 *  - inside one alarm, between two recipients of a reminder (the run hangs there forever, which
 *    is what a killed process looks like to everybody else);
 *  - after an overdue mark is saved but before its notices go out (same).
 * Overlaps: several runs started at once, and a slow run whose lease runs out while it still works.
 *
 * Counting: every notice goes through the real DeliveringNotifier (its dedupe records in SQLite)
 * over a fake sender that counts its calls per dedupe key, so "sent" means "the sender was called".
 * The oracle is the alarms table and the history: every due reminder alarm → one send per staff
 * member of its unit; every overdue alarm → one markOverdue event; every system event (markOverdue,
 * supervise) → one send per recipient of its notices.
 */
import { DeliveringNotifier, type Sender } from '../../cloudfunctions/lib/delivery';
import fs from 'node:fs';
import path from 'node:path';
import { SEND_CONCURRENCY } from '../../cloudfunctions/lib/effects';
import { TIMER_BUDGET_MS, runTimer, type TimerReport } from '../../cloudfunctions/lib/timer';
import type { Notice, Notifier, Recipient } from '../../shared/ports';
import { createRig, dispatched, DAY, type Rig } from '../support/reliabilityHarness';
import { recordFigure } from './figures';
import { summaryOf } from '../../shared/workflow/summary';

const started = Date.now();
const LEASE = 60_000;
const totals = { scenarios: 0, remindersChecked: 0, systemNoticesChecked: 0, runs: 0 };

/** A notifier that counts real sender calls per dedupe key; `hook` runs first (fault injection). */
class CountingNotifier implements Notifier {
  readonly sends = new Map<string, number>();
  hook?: (to: Recipient, notice: Notice, key: string) => Promise<void> | void;
  constructor(private readonly rig: Rig) {}

  async send(to: Recipient, notice: Notice, key: string) {
    await this.hook?.(to, notice, key);
    const sender: Sender = {
      send: async () => {
        this.sends.set(key, (this.sends.get(key) ?? 0) + 1);
      },
    };
    return new DeliveringNotifier(this.rig.deps.directory, sender, () => this.rig.clock.now(), { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 }, async () => {}).send(to, notice, key);
  }
}

/** A promise that never settles: a run awaiting it is as good as killed. */
const forever = () => new Promise<void>(() => {});

interface World {
  rig: Rig;
  notifier: CountingNotifier;
  tickets: string[];
}

/** Ten tickets at two units (three staff at u-chengguan, two at u-dongqu), then the clock 8 days on. */
async function world(): Promise<World> {
  const rig = await createRig();
  await rig.deps.directory.putUser({ id: 'timer-staff-cg-2', name: '城管二', roles: ['staff'], unitId: 'u-chengguan' });
  await rig.deps.directory.putUser({ id: 'timer-staff-cg-3', name: '城管三', roles: ['staff'], unitId: 'u-chengguan' });
  await rig.deps.directory.putUser({ id: 'timer-staff-dq-2', name: '东区二', roles: ['staff'], unitId: 'u-dongqu' });
  const tickets: string[] = [];
  for (let i = 0; i < 10; i++) tickets.push((await dispatched(rig, { lead: i % 2 ? 'u-dongqu' : 'u-chengguan' })).id);
  const notifier = new CountingNotifier(rig);
  rig.deps.notifier = notifier;
  // Sign deadline (24 h): both reminders and the overdue check are due; handling (10 working days): the 50% reminder.
  rig.clock.advance(8 * DAY);
  return { rig, notifier, tickets };
}

async function run(w: World, id: string, opts: Parameters<typeof runTimer>[2] = {}): Promise<TimerReport> {
  totals.runs++;
  return runTimer(w.rig.deps, id, { leaseMs: LEASE, ...opts });
}

/** After the faults: past the lease, then runs until nothing is due (bounded). */
async function finish(w: World): Promise<void> {
  w.notifier.hook = undefined;
  w.rig.clock.advance(LEASE + 1_000);
  for (let i = 0; i < 10; i++) {
    const r = await run(w, `finish-${i}`);
    if (r.claimed === 0) return;
  }
  throw new Error('the timer still had work after 10 runs');
}

const staffOf = async (w: World, unitId: string) => (await w.rig.deps.directory.listUsers({ unitId, role: 'staff' })).map((u) => u.id);
const operators = async (w: World) => (await w.rig.deps.directory.listUsers({ role: 'operator' })).map((u) => u.id);

/** The whole oracle; returns what it counted. */
async function expectExactlyOnce(w: World): Promise<void> {
  const { rig, notifier } = w;
  // 1. Nothing was sent twice.
  const twice = [...notifier.sends].filter(([, n]) => n > 1);
  expect(twice).toEqual([]);

  // 2. Nothing due is left behind.
  const now = rig.clock.now();
  const left = rig.deps.db.prepare("SELECT key, status FROM alarms WHERE fire_at <= ? AND status IN ('pending', 'claimed')").all(now);
  expect(left).toEqual([]);

  // 3. Every due reminder reached every staff member of its unit, once.
  const reminders = rig.deps.db.prepare("SELECT key, owner FROM alarms WHERE kind = 'dueSoon' AND fire_at <= ? AND status != 'cancelled'").all(now) as { key: string; owner: string }[];
  expect(reminders.length).toBeGreaterThanOrEqual(30);
  const missing: string[] = [];
  for (const a of reminders) {
    for (const uid of await staffOf(w, a.owner)) {
      const key = `${a.key}:dueSoon:${uid}`; // deliveryKey of the reminder effect (eventId = the alarm key)
      if (notifier.sends.get(key) !== 1) missing.push(key);
      totals.remindersChecked++;
    }
  }
  expect(missing).toEqual([]);

  // 4. Every due overdue check marked its deadline once.
  const overdue = rig.deps.db.prepare("SELECT ticket_id AS ticketId, deadline FROM alarms WHERE kind = 'overdue' AND fire_at <= ? AND status != 'cancelled'").all(now) as { ticketId: string; deadline: string }[];
  expect(overdue.length).toBeGreaterThanOrEqual(10);
  for (const a of overdue) {
    const marks = (await rig.events(a.ticketId)).filter((e) => e.type === 'markOverdue' && (e.data?.kinds as string[]).includes(a.deadline));
    expect(marks).toHaveLength(1);
  }

  // 5. Every system event's notices reached their recipients, once.
  const lost: string[] = [];
  const ops = await operators(w);
  for (const id of w.tickets) {
    const t = await rig.ticket(id);
    for (const e of await rig.events(id)) {
      if (e.actor.role !== 'system') continue;
      const units = e.type === 'markOverdue' ? [...new Set(t.deadlines.filter((d) => (e.data?.kinds as string[]).includes(d.kind) && d.owner !== 'platform').map((d) => d.owner))] : t.assignments.map((a) => a.unitId);
      const expected: string[] = [];
      for (const u of units) for (const uid of await staffOf(w, u)) expected.push(`${e.id}:${e.type === 'markOverdue' ? 'overdue' : 'supervised'}:${uid}`);
      if (e.type === 'markOverdue') for (const uid of ops) expected.push(`${e.id}:overdue:${uid}`);
      for (const key of expected) {
        if (notifier.sends.get(key) !== 1) lost.push(`${e.type} ${key} sent ${notifier.sends.get(key) ?? 0}×`);
        totals.systemNoticesChecked++;
      }
    }
  }
  expect(lost).toEqual([]);
  totals.scenarios++;
}

let w: World;
afterEach(async () => {
  await w?.rig.close();
});
afterAll(() => recordFigure('timerFaults', { ...totals, ms: Date.now() - started }));

describe('a run killed between alarms: the next run after the lease finishes, exactly once', () => {
  it.each([1, 7, 23])('maxAlarms = %i', async (k) => {
    w = await world();
    const first = await run(w, 'crashing', { maxAlarms: k });
    expect(first.claimed).toBeGreaterThan(k);
    // Before the lease ends, another run takes nothing the first one holds.
    const early = await run(w, 'too-early');
    expect(early.claimed).toBe(0);
    await finish(w);
    await expectExactlyOnce(w);
  });

  it.each([1, 12])('afterAlarm throws after alarm %i (the run dies)', async (k) => {
    w = await world();
    let n = 0;
    await expect(
      run(w, 'dying', {
        afterAlarm: () => {
          if (++n === k) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    await finish(w);
    await expectExactlyOnce(w);
  });

  it('killed twice in a row at different points', async () => {
    w = await world();
    await run(w, 'first', { maxAlarms: 5 });
    w.rig.clock.advance(LEASE + 1);
    let n = 0;
    await expect(run(w, 'second', { afterAlarm: () => { if (++n === 9) throw new Error('killed again'); } })).rejects.toThrow('killed again');
    await finish(w);
    await expectExactlyOnce(w);
  });
});

describe('the time budget (TIMER_BUDGET_MS, counted on deps.clock)', () => {
  it('a run over a slow channel stops claiming in time, well inside the function timeout; the next runs finish, exactly once', async () => {
    w = await world();
    const timeoutMs = (JSON.parse(fs.readFileSync(path.join(__dirname, '../../cloudfunctions/timer/config.json'), 'utf8')) as { timeout: number }).timeout * 1000;
    const STEP = 2_000;
    let sends = 0;
    // Every message takes 2 s of the run's clock: far more work is due than fits in one run.
    w.notifier.hook = () => {
      sends++;
      w.rig.clock.advance(STEP);
    };
    const t0 = w.rig.clock.now();
    const first = await run(w, 'slow');
    const spent = w.rig.clock.now() - t0;
    expect(first.outOfTime).toBe(true);
    expect(spent).toBeGreaterThanOrEqual(TIMER_BUDGET_MS);
    // Past the budget only the alarm or the effect in hand finishes: one fan-out (at most 5 recipients here).
    expect(spent).toBeLessThanOrEqual(TIMER_BUDGET_MS + 5 * STEP);
    expect(spent).toBeLessThan(timeoutMs);
    await finish(w);
    await expectExactlyOnce(w);
    // What the slow run left was sent by the runs after it.
    expect([...w.notifier.sends.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(sends);
  });
});

describe('a run killed inside an alarm', () => {
  it('between two recipients of one reminder: the rest go out on the next run, none twice', async () => {
    w = await world();
    let reminders = 0;
    // From the second reminder notice on the process is dead: one staff member has it, the others
    // (the sends in flight beside it, SEND_CONCURRENCY at most) never get an answer.
    w.notifier.hook = async (_to, notice) => {
      if (notice.template === 'dueSoon' && ++reminders >= 2) await forever();
    };
    void run(w, 'killed-mid-alarm');
    for (let i = 0; i < 50 && reminders < 2; i++) await new Promise((r) => setImmediate(r));
    expect(reminders).toBeGreaterThanOrEqual(2);
    expect(reminders).toBeLessThanOrEqual(1 + SEND_CONCURRENCY);
    await finish(w);
    await expectExactlyOnce(w);
  });

  /** Dies at the first notice of `template`: the state change that caused it is saved, its notices are not out. */
  async function dieAtFirst(template: Notice['template']) {
    w = await world();
    let dead = false;
    w.notifier.hook = async (_to, notice) => {
      if (notice.template === template && !dead) {
        dead = true;
        await forever();
      }
    };
    void run(w, `killed-after-save-${template}`);
    for (let i = 0; i < 50 && !dead; i++) await new Promise((r) => setImmediate(r));
    expect(dead).toBe(true);
    await finish(w);
    await expectExactlyOnce(w);
  }

  it('after an overdue mark is saved, before its notices: the next run still sends them, once', async () => {
    await dieAtFirst('overdue');
  });

  it('after a 督办 (supervise, raised by a repeated-requester trigger) is saved, before its notices: the next run still sends them, once', async () => {
    await dieAtFirst('supervised');
  });
});

describe('overlapping runs', () => {
  it('four runs at once share the alarms: each claimed by one, every reminder once', async () => {
    w = await world();
    const reports = await Promise.all([run(w, 'a'), run(w, 'b'), run(w, 'c'), run(w, 'd')]);
    const due = w.rig.deps.db.prepare("SELECT count(*) FROM alarms WHERE status = 'done'").pluck().get() as number;
    expect(reports.reduce((s, r) => s + r.claimed, 0)).toBe(due);
    await finish(w);
    await expectExactlyOnce(w);
  });

  it('a slow run whose lease runs out while it still works: the run that takes over and the slow one never both send', async () => {
    w = await world();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let held = false;
    w.notifier.hook = async () => {
      if (!held) {
        held = true;
        await gate;
      }
    };
    const slow = run(w, 'slow');
    // Until the slow run is inside its first send (its claims and writes take a few turns of the loop).
    for (let turn = 0; turn < 1000 && !held; turn++) await new Promise((r) => setImmediate(r));
    expect(held).toBe(true);
    // The lease runs out; a new run takes everything over and finishes it.
    w.rig.clock.advance(LEASE + 1_000);
    const takeover = await run(w, 'takeover');
    expect(takeover.claimed).toBeGreaterThan(0);
    // The slow run wakes up and goes on with the alarms it once held.
    release();
    await slow;
    await finish(w);
    await expectExactlyOnce(w);
  });

  it('the timer entry point run twice at once (as two cron ticks on two instances would)', async () => {
    w = await world();
    const [a, b] = await Promise.all([w.rig.call(null, 'timer', { action: 'run' }), w.rig.call(null, 'timer', { action: 'run' })]);
    expect(a.ok && b.ok).toBe(true);
    totals.runs += 2;
    await finish(w);
    await expectExactlyOnce(w);
  });
});


describe('one ticket fails inside a batch (one SQLite transaction, a savepoint per alarm)', () => {
  it('its step leaves nothing behind, the rest of the batch is saved whole; the next run after the lease finishes it, once', async () => {
    w = await world();
    const db = w.rig.deps.db;
    const victim = w.tickets[3]!;
    const before = await w.rig.ticket(victim);
    // A real write failure in the middle of the victim's change: its event row is refused after
    // the ticket row, its summary and its units were already written in the same step.
    db.exec(`CREATE TRIGGER fail_victim BEFORE INSERT ON events WHEN NEW.ticket_id = '${victim}' BEGIN SELECT RAISE(ABORT, 'disk says no'); END`);
    const first = await run(w, 'batch-with-a-failure', { batch: 500 });
    expect(first.failed).toBeGreaterThan(0);
    // The victim: the same version, no new event, nothing of its change in the side tables, its alarms still held.
    const after = await w.rig.ticket(victim);
    expect(after.version).toBe(before.version);
    expect((await w.rig.events(victim)).length).toBe(before.version);
    expect(db.prepare('SELECT doc FROM ticket_summaries WHERE ticket_id = ?').pluck().get(victim)).toBe(JSON.stringify(summaryOf(before)));
    const held = db.prepare("SELECT count(*) FROM alarms a JOIN alarm_leases l USING (key) WHERE a.ticket_id = ? AND a.status = 'pending' AND l.run_id = 'batch-with-a-failure'").pluck().get(victim) as number;
    expect(held).toBeGreaterThan(0);
    expect(db.prepare("SELECT count(*) FROM effects WHERE ticket_id = ? AND doc LIKE '%\"overdue\"%'").pluck().get(victim)).toBe(0);
    // The others in the same batch: every overdue alarm marked, each with its event, none held.
    const others = w.tickets.filter((id) => id !== victim);
    for (const id of others) {
      expect((await w.rig.events(id)).some((e) => e.type === 'markOverdue')).toBe(true);
      expect(db.prepare('SELECT count(*) FROM alarms a JOIN alarm_leases l USING (key) WHERE a.ticket_id = ?').pluck().get(id)).toBe(0);
    }
    expect(first.overdue).toBe(db.prepare("SELECT count(*) FROM events WHERE type = 'markOverdue'").pluck().get());
    db.exec('DROP TRIGGER fail_victim');
    await finish(w);
    await expectExactlyOnce(w);
  });
});
