/**
 * The transactional outbox under faults, on the real SQLite stores and the real DeliveringNotifier:
 *  - the store fails in the middle of a separate dispatch: no child is lost, and the caller is not
 *    told ok for work that did not happen;
 *  - a delivery is killed between its record and the send, and after the send before its mark;
 *  - the drain itself fails: stored attempts, exponential backoff, a final failed state, the
 *    operators' list and retry.
 */
import { DeliveringNotifier, type Sender } from '../../cloudfunctions/lib/delivery';
import { EFFECT_RETRY, backoff, drainEffects } from '../../cloudfunctions/lib/effects';
import type { Notice, Recipient } from '../../shared/ports';
import { createRig, MIN, type Rig } from '../support/reliabilityHarness';
import { recordFigure } from './figures';

const LEASE = 60_000;
const figures = { childFaults: 0, killedDeliveries: 0, duplicatesInWindow: 0, drainFailures: 0 };
afterAll(() => recordFigure('outbox', figures));

let rig: Rig;
afterEach(async () => {
  await rig?.close();
});

const never = () => new Promise<void>(() => {});

/** A sender that counts its calls per dedupe key; `before`/`after` run around the count (fault injection). */
function countingSender(counts: Map<string, number>, keyOf: (to: Recipient, n: Notice) => string, hooks: { before?: () => Promise<void> | void; after?: () => Promise<void> | void }): Sender {
  return {
    async send(to, notice) {
      await hooks.before?.();
      const k = keyOf(to, notice);
      counts.set(k, (counts.get(k) ?? 0) + 1);
      await hooks.after?.();
    },
  };
}

async function accepted(r: Rig): Promise<string> {
  const s = await r.submit('demo-resident');
  await r.command('demo-operator', 'operator', { type: 'accept', ticketId: s.ticket.id });
  return s.ticket.id;
}

describe('a separate dispatch whose commit fails part-way', () => {
  it.each([1, 2, 3])('the store fails on the %i. ticket insert of the commit: refused, nothing written; a retry creates every child', async (failAt) => {
    rig = await createRig();
    const id = await accepted(rig);
    const before = rig.counts();
    // Each child is a ticket insert inside the parent's transaction; make the failAt-th one throw.
    const st = (rig.deps.store as unknown as { st: { insertTicket: { run: (...a: unknown[]) => unknown } } }).st;
    const real = st.insertTicket.run.bind(st.insertTicket);
    let n = 0;
    st.insertTicket.run = (...a: unknown[]) => {
      if (++n === failAt) throw new Error('disk I/O error (injected)');
      return real(...a);
    };
    const units = ['u-chengguan', 'u-dongqu', 'u-zhujian'];
    const r = await rig.call('demo-operator', 'operator', { action: 'command', command: { type: 'dispatch', ticketId: id, mode: 'separate', unitIds: units } });
    expect(r.ok).toBe(false);
    expect(rig.counts()).toEqual(before);
    expect((await rig.ticket(id)).state).toBe('accepted');
    st.insertTicket.run = real;

    const ok = await rig.command('demo-operator', 'operator', { type: 'dispatch', ticketId: id, mode: 'separate', unitIds: units });
    expect(ok.ticket.state).toBe('split');
    const children = await Promise.all(ok.ticket.childIds!.map((c) => rig.ticket(c)));
    expect(children.map((c) => [c.parentId, c.state, c.assignments[0]!.unitId])).toEqual(units.map((u) => [id, 'dispatched', u]));
    // Each unit's staff got its child's notice.
    for (const c of children) {
      const unit = c.assignments[0]!.unitId;
      const staff = await rig.deps.directory.listUsers({ unitId: unit, role: 'staff' });
      expect(staff.length).toBeGreaterThan(0);
      for (const u of staff) expect((await rig.deps.directory.listDeliveries(u.id, 50)).some((d) => d.ticketId === c.id && d.template === 'assigned')).toBe(true);
    }
    figures.childFaults++;
  });
});

/** The delivery a hung drain left pending (polled: the drain runs on the event loop). */
async function hungDelivery(ticketId: string) {
  for (let i = 0; i < 200; i++) {
    const rows = rig.deps.db.prepare("SELECT dedupe_key AS k FROM deliveries WHERE ticket_id = ? AND status = 'pending'").all(ticketId) as { k: string }[];
    if (rows.length) {
      expect(rows).toHaveLength(1);
      return (await rig.deps.directory.deliveryByDedupeKey(rows[0]!.k))!;
    }
    await new Promise((r) => setImmediate(r));
  }
  throw new Error('the drain never reached a send');
}

describe('a delivery killed part-way', () => {
  async function world(hooks: { before?: () => Promise<void> | void; after?: () => Promise<void> | void }) {
    rig = await createRig();
    const counts = new Map<string, number>();
    const sender = countingSender(counts, (to, n) => `${n.ticketId}:${n.summary}:${to.userId}`, hooks);
    rig.deps.notifier = new DeliveringNotifier(rig.deps.directory, sender, () => rig.clock.now(), { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 }, async () => {});
    rig.deps.drain = 'off';
    return counts;
  }

  it('between the record and the send: the record stays pending, the next drain after the lease sends it once', async () => {
    let kill = true;
    const counts = await world({ before: () => (kill ? never() : undefined) });
    const s = await rig.submit('demo-resident');
    await rig.command('demo-operator', 'operator', { type: 'accept', ticketId: s.ticket.id });
    // The drain hangs inside the first send, as a killed process would.
    void drainEffects(rig.deps, { runId: 'killed', leaseMs: LEASE });
    const pending = await hungDelivery(s.ticket.id);
    expect(pending.status).toBe('pending');
    kill = false;
    // Within the lease nobody else takes it; after it, the next drain resumes the pending record.
    expect((await drainEffects(rig.deps, { runId: 'early' })).claimed).toBe(0);
    rig.clock.advance(LEASE + 1);
    await drainEffects(rig.deps, { runId: 'after' });
    expect(counts.get(`${s.ticket.id}:${pending.notice.summary}:${pending.userId}`)).toBe(1);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    const d = (await rig.deps.directory.listDeliveries(pending.userId, 50)).filter((x) => x.ticketId === s.ticket.id);
    expect(d.length).toBeGreaterThan(0);
    expect(d.every((x) => x.status === 'delivered')).toBe(true);
    figures.killedDeliveries++;
  });

  it('after the send, before its mark: the next drain sends it again — exactly the one duplicate the window allows', async () => {
    let kill = true;
    const counts = await world({ after: () => (kill ? never() : undefined) });
    const s = await rig.submit('demo-resident');
    await rig.command('demo-operator', 'operator', { type: 'accept', ticketId: s.ticket.id });
    void drainEffects(rig.deps, { runId: 'killed', leaseMs: LEASE });
    const hung = await hungDelivery(s.ticket.id);
    const key = `${s.ticket.id}:${hung.notice.summary}:${hung.userId}`;
    expect(counts.get(key)).toBe(1);
    kill = false;
    rig.clock.advance(LEASE + 1);
    await drainEffects(rig.deps, { runId: 'after' });
    await drainEffects(rig.deps, { runId: 'again' });
    // Sent before the kill and again after it; every other notice once.
    expect(counts.get(key)).toBe(2);
    expect([...counts].filter(([k]) => k !== key).every(([, n]) => n === 1)).toBe(true);
    figures.duplicatesInWindow++;
  });
});

describe('a drain that fails', () => {
  it('keeps the effect with stored attempts and exponential backoff, fails it after the last attempt, and an operator retries it', async () => {
    rig = await createRig();
    rig.deps.drain = 'off';
    const s = await rig.submit('demo-resident');
    await rig.command('demo-operator', 'operator', { type: 'accept', ticketId: s.ticket.id });
    // The directory is down while the drain fans out (and only then: the callers still sign in).
    const realListUsers = rig.deps.directory.listUsers.bind(rig.deps.directory);
    const realGetUser = rig.deps.directory.getUser.bind(rig.deps.directory);
    const drainDown = async (runId: string) => {
      rig.deps.directory.getUser = async () => {
        throw new Error('directory down (injected)');
      };
      rig.deps.directory.listUsers = rig.deps.directory.getUser as never;
      try {
        return await drainEffects(rig.deps, { runId });
      } finally {
        rig.deps.directory.getUser = realGetUser;
        rig.deps.directory.listUsers = realListUsers;
      }
    };
    const effectsRow = () => rig.deps.db.prepare("SELECT status, attempts, next_at AS nextAt FROM effects WHERE ticket_id = ? AND doc LIKE '%\"requester\"%' ORDER BY id").all(s.ticket.id) as { status: string; attempts: number; nextAt: number }[];
    const waits: number[] = [];
    for (let i = 1; i <= EFFECT_RETRY.attempts; i++) {
      const before = rig.clock.now();
      const r = await drainDown(`fail-${i}`);
      expect(r.claimed).toBeGreaterThan(0);
      const row = effectsRow().find((x) => x.attempts === i)!;
      expect(row).toBeDefined();
      if (i < EFFECT_RETRY.attempts) {
        expect(row.status).toBe('pending');
        waits.push(row.nextAt - before);
        // Not due before its backoff.
        rig.clock.advance(row.nextAt - before - 1);
        expect((await drainDown(`early-${i}`)).claimed).toBe(0);
        rig.clock.advance(1);
      } else {
        expect(row.status).toBe('failed');
      }
    }
    expect(waits).toEqual(Array.from({ length: EFFECT_RETRY.attempts - 1 }, (_, i) => backoff(i + 1)));
    expect(waits[1]).toBe(2 * waits[0]!);
    figures.drainFailures += EFFECT_RETRY.attempts;

    const failed = await rig.ok<{ id: string; ticketId: string; attempts: number; lastError: string | null }[]>('demo-operator', 'operator', { action: 'failedNotices', limit: 50 });
    const mine = failed.filter((f) => f.ticketId === s.ticket.id);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((f) => f.attempts === EFFECT_RETRY.attempts && /injected/.test(f.lastError ?? ''))).toBe(true);
    rig.deps.drain = 'inline';
    for (const f of mine) await rig.ok('demo-operator', 'operator', { action: 'retryNotice', effectId: f.id });
    expect((await rig.ok<unknown[]>('demo-operator', 'operator', { action: 'failedNotices', limit: 50 })).length).toBe(failed.length - mine.length);
    const told = (await rig.deps.directory.listDeliveries('demo-resident', 20)).filter((d) => d.ticketId === s.ticket.id);
    expect(told.map((d) => d.status)).toEqual(expect.arrayContaining(['delivered']));
    expect((await rig.refused('demo-operator', 'operator', { action: 'retryNotice', effectId: mine[0]!.id })).code).toBe('not-found');
  });

  it('the state change is saved whatever the drain does, and the timer drains what the request left', async () => {
    rig = await createRig();
    rig.deps.drain = 'off';
    const s = await rig.submit('demo-resident');
    await rig.command('demo-operator', 'operator', { type: 'accept', ticketId: s.ticket.id });
    expect((await rig.ticket(s.ticket.id)).state).toBe('accepted');
    expect((await rig.deps.directory.listDeliveries('demo-resident', 20)).filter((d) => d.ticketId === s.ticket.id)).toEqual([]);
    rig.clock.advance(MIN);
    const r = await rig.ok<{ drained: { done: number } }>(null, 'timer', { action: 'run' });
    expect(r.drained.done).toBeGreaterThan(0);
    expect((await rig.deps.directory.listDeliveries('demo-resident', 20)).filter((d) => d.ticketId === s.ticket.id).map((d) => d.status)).toEqual(['delivered']);
  });
});
