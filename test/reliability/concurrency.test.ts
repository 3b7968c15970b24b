/**
 * Concurrency: 50 commands at once on one ticket, from staff of the lead, the assisting and an
 * unrelated unit, operators and residents. Exactly the legal ones can win; the rest get
 * 'stale-version' or the reason code of their refusal. The history stays a valid path through
 * the state machine (each event's `from` is the previous `to`, every command allowed from its
 * `from`, seq contiguous, the ticket's version and state those of the last event).
 *
 * Three rounds:
 *  1. all 50 with the same expectedVersion (in one process, through handle()): exactly one wins;
 *  2. all 50 without expectedVersion, every legal one leaving 'handling' (reply, return, extension,
 *     terminate): exactly one wins, on the version it read; the others are stale or no longer allowed
 *     from the state the winner left (a command without a version is never applied twice over);
 *  3. across two runtime processes on the same SQLite file, over HTTP, with expectedVersion:
 *     exactly one wins (the version check holds between processes, not only inside one).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createLocalDeps } from '../../cloudfunctions/local/localDeps';
import { seedIfEmpty } from '../../cloudfunctions/local/seed';
import type { ApiResult } from '../../shared/contracts/api';
import type { Ticket, TicketEvent } from '../../shared/contracts/ticket';
import { COMMAND_RULES, STATES } from '../../shared/workflow';
import type { CommandType } from '../../shared/contracts/commands';
import { ERROR_MESSAGES } from '../../shared/errors';
import { api, auditDb, createRig, dispatched, login, SECRET, startRuntime, T0, tempDir, type Rig, type Runtime } from '../support/reliabilityHarness';
import { recordFigure } from './figures';

const started = Date.now();
const figures = { commands: 0, winners: 0, staleVersion: 0, reasonCodes: 0, rounds: 0 };

type Fn = 'staff' | 'operator' | 'resident';
interface Planned {
  who: string;
  fn: Fn;
  command: Record<string, unknown>;
  /** 'legal': may win (or lose the race: stale-version); otherwise the refusal code it must get when it reads the current version. */
  expect: 'legal' | string;
  /** The state a win leads to, from 'handling' ('same' = stays). */
  to?: string;
}

const EXTRA_USERS = [
  { id: 'cc-staff-cg-2', name: '城管二', roles: ['staff' as const], unitId: 'u-chengguan', demo: true },
  { id: 'cc-staff-cg-3', name: '城管三', roles: ['staff' as const], unitId: 'u-chengguan', demo: true },
  { id: 'cc-staff-dq-2', name: '东区二', roles: ['staff' as const], unitId: 'u-dongqu', demo: true },
  { id: 'cc-op-2', name: '平台二', roles: ['operator' as const], demo: true },
  { id: 'cc-op-3', name: '平台三', roles: ['operator' as const], demo: true },
];

/** 50 commands on a ticket in 'handling' (lead u-chengguan signed, assist u-dongqu not yet). */
function plan(ticketId: string, expectedVersion: number | undefined): Planned[] {
  const v = expectedVersion === undefined ? {} : { expectedVersion };
  const c = (type: string, extra: Record<string, unknown> = {}) => ({ type, ticketId, ...v, ...extra });
  const lead = ['demo-staff-cg', 'cc-staff-cg-2', 'cc-staff-cg-3'];
  const assist = ['demo-staff-dq', 'cc-staff-dq-2'];
  const ops = ['demo-operator', 'cc-op-2', 'cc-op-3'];
  const out: Planned[] = [];
  const add = (n: number, who: string[], fn: Fn, command: (i: number) => Record<string, unknown>, expect: string, to?: string) => {
    for (let i = 0; i < n; i++) out.push({ who: who[i % who.length]!, fn, command: command(i), expect, to });
  };
  // The lead unit: legal moves, and a second sign.
  add(5, lead, 'staff', (i) => c('contact', { method: 'phone', note: `第${i + 1}次电话联系诉求人` }), 'legal', 'handling');
  add(3, lead, 'staff', (i) => c('requestReturn', { reason: `不属于本单位职责${i}` }), 'legal', 'returnRequested');
  add(3, lead, 'staff', (i) => c('requestExtension', { reason: `需协调多个部门${i}` }), 'legal', 'extensionRequested');
  add(5, lead, 'staff', (i) => c('reply', { result: `已清运处理完毕并复核现场${i}`, handler: '刘洋' }), 'legal', 'replied');
  add(2, lead, 'staff', () => c('sign'), 'illegal-transition');
  add(1, lead, 'staff', () => c('requestExtension', { reason: '延期过长', span: { amount: 30, unit: 'workingDays' } }), 'extension-too-long');
  // The assisting unit: its own sign and feedback are legal, the lead's moves are not.
  add(2, assist, 'staff', () => c('sign', { note: '协办签收' }), 'legal', 'handling');
  add(3, assist, 'staff', (i) => c('assistFeedback', { note: `协办意见${i}` }), 'legal', 'handling');
  add(2, assist, 'staff', () => c('contact', { method: 'visit', note: '上门' }), 'not-lead-unit');
  add(2, assist, 'staff', () => c('reply', { result: '越权答复，经现场核实已办结', handler: '孙磊' }), 'not-lead-unit');
  add(1, assist, 'staff', () => c('requestReturn', { reason: '越权退回' }), 'not-lead-unit');
  // A unit the ticket is not assigned to does not even see it.
  add(2, ['demo-staff-zj'], 'staff', () => c('sign'), 'not-found');
  add(1, ['demo-staff-zj'], 'staff', () => c('reply', { result: '无关单位，经现场核实已办结', handler: '陈静' }), 'not-found');
  // Operators: supervise and terminate are legal now; the rest belong to other states.
  add(3, ops, 'operator', () => c('supervise', { level: 1, method: 'system' }), 'legal', 'handling');
  add(2, ops, 'operator', () => c('terminate', { reason: '诉求人拒不配合核实', groundCode: 'uncooperative' }), 'legal', 'terminated');
  add(2, ops, 'operator', () => c('escalate'), 'illegal-transition');
  add(2, ops, 'operator', () => c('accept'), 'illegal-transition');
  add(1, ops, 'operator', () => c('dispatch', { mode: 'single', unitIds: ['u-zhujian'] }), 'illegal-transition');
  add(1, ops, 'operator', () => c('reviewResult', { approve: true }), 'illegal-transition');
  add(1, ops, 'operator', () => c('reviewReturn', { approve: true }), 'illegal-transition');
  add(1, ops, 'operator', () => c('pauseClock', { code: 'recusal' }), 'illegal-transition');
  add(1, ops, 'operator', () => c('revisit', { value: 'satisfied', method: 'phone' }), 'illegal-transition');
  // Residents: the requester cannot withdraw or rate now; another resident sees nothing.
  add(1, ['demo-resident'], 'resident', () => c('withdraw'), 'withdraw-not-allowed');
  add(1, ['demo-resident'], 'resident', () => c('rate', { value: 'satisfied' }), 'illegal-transition');
  add(2, ['demo-resident2'], 'resident', (i) => (i ? c('rate', { value: 'satisfied' }) : c('withdraw')), 'not-found');
  expect(out).toHaveLength(50);
  return out;
}

/**
 * Round 2's plan: the legal commands that keep the ticket in 'handling' (contact, the assisting
 * unit's sign and feedback, supervise) replaced by commands that leave it, so one win shuts out the rest.
 */
function leavingPlan(ticketId: string): Planned[] {
  const leaving = plan(ticketId, undefined).filter((p) => p.expect === 'legal' && p.to !== 'handling');
  return plan(ticketId, undefined).map((p, i) => (p.expect === 'legal' && p.to === 'handling' ? { ...leaving[i % leaving.length]! } : p));
}

/** The history is a path through the state machine; returns it. */
function expectValidPath(ticket: Ticket, events: TicketEvent[]): void {
  expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  let state: string | null = null;
  for (const e of events) {
    expect({ seq: e.seq, from: e.from }).toEqual({ seq: e.seq, from: state });
    expect(Object.keys(STATES)).toContain(e.to);
    if (e.type !== 'submit' && e.type !== 'split') expect({ seq: e.seq, type: e.type, allowedFrom: COMMAND_RULES[e.type as CommandType].from.includes(e.from as never) }).toEqual({ seq: e.seq, type: e.type, allowedFrom: true });
    state = e.to;
  }
  expect([ticket.version, ticket.state]).toEqual([events.length, state]);
}

/** Tallies one round: every result is a win, a stale-version, or the planned refusal. */
function tally(planned: Planned[], results: ApiResult<{ event: { seq: number; type: string; to: string } }>[], opts: { sameVersion: boolean }) {
  const wins: number[] = [];
  results.forEach((r, i) => {
    const p = planned[i]!;
    const label = `${p.who} ${String(p.command.type)}`;
    if (r.ok) {
      expect({ label, legal: p.expect === 'legal' }).toEqual({ label, legal: true });
      wins.push(i);
      return;
    }
    expect(Object.keys(ERROR_MESSAGES)).toContain(r.code);
    if (r.code === 'stale-version') {
      // Only a command that reached the version check can be stale: one the unit cannot even see cannot.
      expect({ label, code: r.code, visible: p.expect !== 'not-found' }).toEqual({ label, code: r.code, visible: true });
      figures.staleVersion++;
    } else if (opts.sameVersion || p.expect !== 'legal') {
      expect({ label, code: r.code }).toEqual({ label, code: p.expect });
      figures.reasonCodes++;
    } else {
      // Without a version a legal command may run after others changed the state: any reason code then.
      figures.reasonCodes++;
    }
  });
  figures.commands += results.length;
  figures.winners += wins.length;
  figures.rounds++;
  return wins;
}

describe('50 concurrent commands on one ticket, in one process', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await createRig();
    for (const u of EXTRA_USERS) await rig.deps.directory.putUser(u);
  });
  afterAll(async () => {
    await rig.close();
  });

  async function handlingTicket() {
    const t = await dispatched(rig, { lead: 'u-chengguan', assist: ['u-dongqu'] });
    await rig.command('demo-staff-cg', 'staff', { type: 'sign', ticketId: t.id });
    // A contact record first, so that the reply is one of the legal moves (baiyin 14(1)).
    const contacted = await rig.command('demo-staff-cg', 'staff', { type: 'contact', ticketId: t.id, method: 'phone', note: '已电话联系诉求人' });
    expect(contacted.ticket.state).toBe('handling');
    return contacted.ticket;
  }

  it('with the same expectedVersion: exactly one legal command wins, the others are stale or refused with their reason', async () => {
    const t = await handlingTicket();
    const planned = plan(t.id, t.version);
    const results = await Promise.all(planned.map((p) => rig.call<{ event: { seq: number; type: string; to: string } }>(p.who, p.fn, { action: 'command', command: p.command })));
    const wins = tally(planned, results, { sameVersion: true });
    expect(wins).toHaveLength(1);
    const winner = planned[wins[0]!]!;

    const after = await rig.ticket(t.id);
    const events = await rig.events(t.id);
    expectValidPath(after, events);
    expect(events).toHaveLength(t.version + 1);
    const last = events[events.length - 1]!;
    expect({ type: last.type, by: last.actor.userId, to: last.to }).toEqual({ type: winner.command.type, by: winner.who, to: winner.to });
  });

  it('without expectedVersion, every legal command leaving the state: exactly one wins, on the version it read; the history stays a valid path', async () => {
    const t = await handlingTicket();
    const planned = leavingPlan(t.id);
    expect(planned.filter((p) => p.expect === 'legal' && p.to === 'handling')).toEqual([]);
    const results = await Promise.all(planned.map((p) => rig.call<{ event: { seq: number; type: string; to: string } }>(p.who, p.fn, { action: 'command', command: p.command })));
    const wins = tally(planned, results, { sameVersion: false });
    expect(wins).toHaveLength(1);
    // A loser either read the old version (stale) or the winner's state, from which its command is not allowed.
    results.forEach((r, i) => {
      if (!r.ok && planned[i]!.expect === 'legal') expect(['stale-version', 'illegal-transition']).toContain(r.code);
    });

    const after = await rig.ticket(t.id);
    const events = await rig.events(t.id);
    expectValidPath(after, events);
    // One event per win, and each win's event is the one in the history under its seq.
    expect(events.length - t.version).toBe(wins.length);
    for (const i of wins) {
      const r = results[i] as { ok: true; data: { event: { seq: number; type: string } } };
      const e = events[r.data.event.seq - 1]!;
      expect({ type: e.type, by: e.actor.userId }).toEqual({ type: planned[i]!.command.type, by: planned[i]!.who });
    }
  });
});

describe('50 concurrent commands across two runtime processes on one SQLite file', () => {
  const dataDir = path.join(tempDir('mashang-cc-'), 'data');
  const runtimes: Runtime[] = [];
  afterAll(async () => {
    for (const r of runtimes) await r.stop();
    fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
  });

  it('exactly one wins; the others are stale or refused; the file and the history are sound', async () => {
    // The directory is prepared before either process starts.
    fs.mkdirSync(dataDir, { recursive: true });
    const deps = createLocalDeps({ dataDir, secret: SECRET });
    await seedIfEmpty(deps.directory, T0, 'baiyin');
    for (const u of EXTRA_USERS) await deps.directory.putUser(u);
    deps.db.close();

    runtimes.push(...(await Promise.all([startRuntime(dataDir), startRuntime(dataDir)])));
    const [a, b] = runtimes as [Runtime, Runtime];
    const users = [...new Set(plan('x', 1).map((p) => p.who))];
    const tokens = new Map<string, string>();
    for (const u of users) tokens.set(u, await login(a.base, u));

    const submitted = await api<{ ticket: Ticket }>(a.base, 'resident', { action: 'submit', input: { clientRequestId: 'cc-two-processes-1', type: 'complaint', category: '市容环境', content: '人民路公交站旁的垃圾桶满了没人清理。', contact: { name: '张明', phone: '13800001234' } } }, tokens.get('demo-resident'));
    if (!submitted.ok) throw new Error(submitted.message);
    const id = submitted.data.ticket.id;
    const step = async (base: string, who: string, fn: Fn, command: Record<string, unknown>) => {
      const r = await api(base, fn, { action: 'command', command: { ticketId: id, ...command } }, tokens.get(who));
      if (!r.ok) throw new Error(`${who} ${String(command.type)}: ${r.code}`);
    };
    await step(a.base, 'demo-operator', 'operator', { type: 'accept' });
    await step(b.base, 'demo-operator', 'operator', { type: 'dispatch', mode: 'lead', unitIds: ['u-chengguan'], assistUnitIds: ['u-dongqu'] });
    await step(a.base, 'demo-staff-cg', 'staff', { type: 'sign' });
    await step(b.base, 'demo-staff-cg', 'staff', { type: 'contact', method: 'phone', note: '已电话联系诉求人' });

    const planned = plan(id, 5);
    const results = await Promise.all(planned.map((p, i) => api<{ event: { seq: number; type: string; to: string } }>(i % 2 ? b.base : a.base, p.fn, { action: 'command', command: p.command }, tokens.get(p.who))));
    const wins = tally(planned, results, { sameVersion: true });
    expect(wins).toHaveLength(1);

    const audit = auditDb(path.join(dataDir, 'mashang.db'));
    expect(audit.integrity).toBe('ok');
    expect(audit.problems).toEqual([]);
    const op = await api<{ ticket: Ticket; timeline: { seq: number; type: string; to: string }[] }>(b.base, 'operator', { action: 'get', ticketId: id }, tokens.get('demo-operator'));
    if (!op.ok) throw new Error(op.message);
    expect(op.data.ticket.version).toBe(6);
    expect(op.data.timeline.map((e) => e.type)).toEqual(['submit', 'accept', 'dispatch', 'sign', 'contact', planned[wins[0]!]!.command.type]);
  });
});

afterAll(() => recordFigure('concurrency', { ...figures, ms: Date.now() - started }));
