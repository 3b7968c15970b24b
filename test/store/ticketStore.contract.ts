/**
 * The store contract: what every TicketStore / DirectoryStore adapter must do, run against each
 * adapter by its own test file (sqlite.test.ts; the CloudBase one when credentials are set).
 * `factory` must return an EMPTY store each call (a fresh file, or fresh collections); tests
 * also use ids of their own, so leftovers would not change their results.
 */
import { randomBytes } from 'node:crypto';
import { WorkingCalendar } from '../../shared/calendar/workingCalendar';
import type { Actor } from '../../shared/contracts/common';
import type { z } from 'zod';
import { commandSchema, submitInputSchema } from '../../shared/contracts/commands';
import type { Ticket, TicketEvent } from '../../shared/contracts/ticket';
import { DomainError } from '../../shared/errors';
import type { DeliveryRecord, DirectoryStore, Notice, OutboxEffect, TicketStore } from '../../shared/ports';
import type { FactCount } from '../../shared/metrics/facts';
import { getProfile } from '../../shared/profiles';
import { alarmsFor, counterpartOf, decide, openTicket, type Alarm, type DecideContext } from '../../shared/workflow';
import { INBOX_FILTERS, OPERATOR_QUEUES, isOpen } from '../../shared/workflow/states';
import { summaryOf } from '../../shared/workflow/summary';
import { contentHash } from '../../cloudfunctions/lib/contentHash';

type CommandInput = z.input<typeof commandSchema>;

export interface StoreUnderTest {
  store: TicketStore;
  directory: DirectoryStore;
  cleanup(): Promise<void>;
}

const profile = getProfile('pingli');
const calendar = new WorkingCalendar();
/** Monday 2026-03-02, 10:00 in Shanghai. */
export const T0 = Date.UTC(2026, 2, 2, 2);
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

const ctx = (now: number): DecideContext => ({ now, profile, calendar });
const operator: Actor = { userId: 'op-1', role: 'operator' };
const system: Actor = { userId: 'system', role: 'system' };
const staff = (unitId: string): Actor => ({ userId: `staff-${unitId}`, role: 'staff', unitId });

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as DomainError).code ?? String(e);
  }
  throw new Error('expected a refusal');
}

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

export function describeTicketStoreContract(name: string, factory: () => Promise<StoreUnderTest>): void {
  describe(`store contract: ${name}`, () => {
    let s: StoreUnderTest;
    let store: TicketStore;
    let directory: DirectoryStore;
    /** Per-test namespace for ids: tests never see each other's rows. */
    let ns: string;
    let n: number;

    beforeEach(async () => {
      s = await factory();
      store = s.store;
      directory = s.directory;
      ns = randomBytes(4).toString('hex');
      n = 0;
    });
    afterEach(async () => {
      await s.cleanup();
    });

    const resident = (k = 'r'): Actor => ({ userId: `${ns}-${k}`, role: 'resident' });
    const unit = (k: string) => `${ns}-${k}`;

    interface Draft {
      ticket: Ticket;
      event: TicketEvent;
      alarms: Alarm[];
    }

    function draft(opts: { actor?: Actor; now?: number; crid?: string; content?: string; onBehalf?: boolean; category?: string; area?: string } = {}): Draft {
      n += 1;
      const actor = opts.actor ?? resident();
      const input = submitInputSchema.parse({
        clientRequestId: opts.crid ?? `crid-${ns}-${n}`,
        type: 'help',
        category: opts.category ?? '市政设施',
        content: opts.content ?? `第${n}号：路灯不亮，请尽快修理`,
        location: { area: opts.area ?? 'xc' },
        ...(opts.onBehalf ? { onBehalf: true, contact: { name: '张三', phone: '13800000000' } } : {}),
      });
      const { ticket, event } = openTicket(input, actor, ctx(opts.now ?? T0), { ticketId: `t-${ns}-${n}`, number: `PL${ns}${String(n).padStart(4, '0')}` });
      return { ticket, event, alarms: alarmsFor(ticket, profile) };
    }

    async function submit(opts: Parameters<typeof draft>[0] = {}): Promise<Ticket> {
      const d = draft(opts);
      const r = await store.create(d.ticket, d.event, d.alarms);
      expect(r.created).toBe(true);
      return r.ticket;
    }

    /** A command as a client sends it (defaults not filled in), without the ticket id. */
    type Cmd = CommandInput extends infer C ? (C extends CommandInput ? Omit<C, 'ticketId'> : never) : never;

    function decision(t: Ticket, cmd: Cmd, actor: Actor, now: number) {
      const d = decide(t, commandSchema.parse({ ...cmd, ticketId: t.id }), actor, ctx(now));
      if (!d.ok) throw new Error(`${cmd.type} refused: ${d.code} ${d.message}`);
      return d;
    }

    async function act(t: Ticket, cmd: Cmd, actor: Actor, now: number, alarms?: Alarm[]): Promise<Ticket> {
      const d = decision(t, cmd, actor, now);
      await store.update(d.ticket, t.version, d.event, alarms ?? alarmsFor(d.ticket, profile));
      return d.ticket;
    }

    async function dispatched(u: string, now: number, opts: { assist?: string[] } = {}): Promise<Ticket> {
      let t = await submit({ now });
      t = await act(t, { type: 'accept' }, operator, now);
      const assist = opts.assist ?? [];
      return act(t, { type: 'dispatch', mode: assist.length ? 'lead' : 'single', unitIds: [u], assistUnitIds: assist }, operator, now);
    }

    async function pages(q: Parameters<TicketStore['list']>[0]): Promise<{ ids: string[]; count: number }> {
      const ids: string[] = [];
      let cursor: string | null = null;
      let count = 0;
      do {
        const page = await store.list({ ...q, cursor });
        expect(page.items.length).toBeLessThanOrEqual(q.limit);
        ids.push(...page.items.map((t) => t.id));
        cursor = page.next;
        count += 1;
        if (count > 100) throw new Error('pagination does not end');
      } while (cursor);
      return { ids, count };
    }

    const ids = (ts: Ticket[]) => ts.map((t) => t.id);

    describe('create and read', () => {
      it('stores the ticket with its first event; get, getByNumber and findByClientRequestId find it', async () => {
        const d = draft();
        const r = await store.create(d.ticket, d.event, d.alarms);
        expect(r).toEqual({ ticket: d.ticket, created: true });
        expect(await store.get(d.ticket.id)).toEqual(d.ticket);
        expect(await store.getByNumber(d.ticket.number)).toEqual(d.ticket);
        expect(await store.findByClientRequestId(d.ticket.reporter.userId, d.ticket.clientRequestId!)).toEqual(d.ticket);
        expect(await store.events(d.ticket.id)).toEqual([d.event]);
      });

      it('unknown ids read as null and an empty history', async () => {
        expect(await store.get(`${ns}-nope`)).toBeNull();
        expect(await store.getByNumber(`${ns}-nope`)).toBeNull();
        expect(await store.findByClientRequestId(`${ns}-r`, 'crid-nope-0001')).toBeNull();
        expect(await store.events(`${ns}-nope`)).toEqual([]);
      });

      it('a retried submission (same reporter, same client request id) returns the first ticket and writes nothing', async () => {
        const first = draft({ crid: `retry-${ns}` });
        await store.create(first.ticket, first.event, first.alarms);
        const retry = draft({ crid: `retry-${ns}`, now: T0 + MIN });
        const r = await store.create(retry.ticket, retry.event, retry.alarms);
        expect(r.created).toBe(false);
        expect(r.ticket).toEqual(first.ticket);
        expect(await store.get(retry.ticket.id)).toBeNull();
        expect(await store.getByNumber(retry.ticket.number)).toBeNull();
        expect(await store.events(first.ticket.id)).toHaveLength(1);
        expect((await store.list({ reporterId: resident().userId, limit: 10 })).items).toHaveLength(1);
      });

      it('retries arriving together still create one ticket', async () => {
        const drafts = [0, 1, 2, 3].map(() => draft({ crid: `burst-${ns}` }));
        const results = await Promise.all(drafts.map((d) => store.create(d.ticket, d.event, d.alarms)));
        expect(results.filter((r) => r.created)).toHaveLength(1);
        expect(new Set(results.map((r) => r.ticket.id)).size).toBe(1);
      });

      it('the same client request id from another reporter is another ticket', async () => {
        const a = draft({ crid: `same-${ns}`, actor: resident('a') });
        const b = draft({ crid: `same-${ns}`, actor: resident('b') });
        expect((await store.create(a.ticket, a.event, a.alarms)).created).toBe(true);
        expect((await store.create(b.ticket, b.event, b.alarms)).created).toBe(true);
        expect((await store.get(b.ticket.id))?.id).toBe(b.ticket.id);
      });
    });

    describe('update', () => {
      it('saves the next version and appends exactly one event', async () => {
        const t = await submit();
        const accepted = await act(t, { type: 'accept' }, operator, T0 + MIN);
        expect(await store.get(t.id)).toEqual(accepted);
        const events = await store.events(t.id);
        expect(events.map((e) => [e.seq, e.type, e.from, e.to])).toEqual([
          [1, 'submit', null, 'submitted'],
          [2, 'accept', 'submitted', 'accepted'],
        ]);
      });

      it('two writers of the same version: one wins, the other gets stale-version, the history holds one event', async () => {
        const t = await submit();
        const accept = decision(t, { type: 'accept' }, operator, T0 + MIN);
        const refuse = decision(t, { type: 'refuse', groundCode: 'out-of-jurisdiction' }, { userId: 'op-2', role: 'operator' }, T0 + MIN);
        const results = await Promise.allSettled([
          store.update(accept.ticket, 1, accept.event, []),
          store.update(refuse.ticket, 1, refuse.event, []),
        ]);
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect((lost[0]!.reason as DomainError).code).toBe('stale-version');
        const events = await store.events(t.id);
        expect(events).toHaveLength(2);
        const stored = await store.get(t.id);
        expect(stored?.version).toBe(2);
        expect(stored?.state).toBe(events[1]!.to);
      });

      it('an expected version that is not the stored one is refused with stale-version and changes nothing', async () => {
        const t = await submit();
        const v2 = await act(t, { type: 'accept' }, operator, T0 + MIN);
        const late = decision(t, { type: 'refuse', groundCode: 'out-of-jurisdiction' }, operator, T0 + 2 * MIN);
        expect(await codeOf(store.update(late.ticket, 1, late.event, []))).toBe('stale-version');
        expect(await store.get(t.id)).toEqual(v2);
        expect(await store.events(t.id)).toHaveLength(2);
      });

      it('an event whose seq is not the new version is refused and nothing is written', async () => {
        const t = await submit();
        const d = decision(t, { type: 'accept' }, operator, T0 + MIN);
        await expect(store.update(d.ticket, 1, { ...d.event, seq: 3 }, [])).rejects.toThrow();
        await expect(store.update({ ...d.ticket, version: 3 }, 1, { ...d.event, seq: 3 }, [])).rejects.toThrow();
        expect(await store.get(t.id)).toEqual(t);
        expect(await store.events(t.id)).toHaveLength(1);
      });

      it('updating a ticket that does not exist is refused', async () => {
        const d = draft();
        const next = decision(d.ticket, { type: 'accept' }, operator, T0 + MIN);
        expect(['not-found', 'stale-version']).toContain(await codeOf(store.update(next.ticket, 1, next.event, [])));
        expect(await store.get(d.ticket.id)).toBeNull();
      });

      it('the history is append-only: later updates leave earlier events as they were', async () => {
        const t = await submit();
        const first = await store.events(t.id);
        const accepted = await act(t, { type: 'accept' }, operator, T0 + MIN);
        await act(accepted, { type: 'dispatch', mode: 'single', unitIds: [unit('u')] }, operator, T0 + 2 * MIN);
        const events = await store.events(t.id);
        expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
        expect(events[0]).toEqual(first[0]);
        expect(events.every((e) => e.ticketId === t.id)).toBe(true);
      });
    });

    describe('list', () => {
      it("a resident's list holds what they requested or reported, newest first", async () => {
        const me = resident('me');
        const grid: Actor = { userId: `${ns}-grid`, role: 'grid' };
        const mine1 = await submit({ actor: me, now: T0 });
        const mine2 = await submit({ actor: me, now: T0 + 2 * MIN });
        // Reported by a grid worker for me: I am the requester, not the reporter.
        const d = draft({ actor: grid, onBehalf: true, now: T0 + MIN });
        const forMe = { ...d.ticket, requester: { ...d.ticket.requester, userId: me.userId } };
        await store.create(forMe, d.event, []);
        const gridOwn = await submit({ actor: grid, now: T0 + 3 * MIN });
        await submit({ actor: resident('other'), now: T0 + 4 * MIN });

        const q = { requesterId: me.userId, reporterId: me.userId, limit: 10 };
        expect(ids((await store.list(q)).items)).toEqual([mine2.id, forMe.id, mine1.id]);
        expect(ids((await store.list({ reporterId: grid.userId, limit: 10 })).items)).toEqual([gridOwn.id, forMe.id]);
        expect(ids((await store.list({ requesterId: me.userId, limit: 10 })).items)).toEqual([mine2.id, forMe.id, mine1.id]);
        expect((await store.list({ requesterId: `${ns}-nobody`, reporterId: `${ns}-nobody`, limit: 10 })).items).toEqual([]);
      });

      it('pages with an opaque cursor: every ticket once, in order, even across equal creation times', async () => {
        const me = resident('p');
        const made: Ticket[] = [];
        for (let i = 0; i < 7; i++) made.push(await submit({ actor: me, now: T0 + Math.floor(i / 3) * MIN }));
        const full = ids((await store.list({ reporterId: me.userId, requesterId: me.userId, limit: 100 })).items);
        expect(full).toHaveLength(7);
        expect([...full].sort()).toEqual(ids(made).sort());
        const createdAt = new Map(made.map((t) => [t.id, t.createdAt]));
        for (let i = 1; i < full.length; i++) expect(createdAt.get(full[i - 1]!)!).toBeGreaterThanOrEqual(createdAt.get(full[i]!)!);
        const paged = await pages({ reporterId: me.userId, requesterId: me.userId, limit: 3 });
        expect(paged.ids).toEqual(full);
        expect(paged.count).toBe(3);
        const exact = await pages({ reporterId: me.userId, limit: 7 });
        expect(exact.ids).toEqual(full);
      });

      it('a cursor that was not issued by the store is refused with invalid-input', async () => {
        await submit();
        expect(await codeOf(store.list({ reporterId: resident().userId, limit: 5, cursor: 'not-a-cursor' }))).toBe('invalid-input');
      });

      it('operator queues hold the states of OPERATOR_QUEUES, newest first', async () => {
        const a = await submit({ now: T0 });
        const b = await submit({ now: T0 + MIN });
        let c = await submit({ now: T0 + 2 * MIN });
        c = await act(c, { type: 'accept' }, operator, T0 + 3 * MIN);
        const d = await dispatched(unit('u'), T0 + 4 * MIN);

        expect(ids((await store.list({ queue: 'intake', limit: 10 })).items)).toEqual([b.id, a.id]);
        expect(ids((await store.list({ queue: 'dispatch', limit: 10 })).items)).toEqual([c.id]);
        expect((await store.list({ queue: 'results', limit: 10 })).items).toEqual([]);
        expect(ids((await store.list({ states: ['dispatched'], limit: 10 })).items)).toEqual([d.id]);
        for (const q of Object.keys(OPERATOR_QUEUES) as (keyof typeof OPERATOR_QUEUES)[]) {
          for (const t of (await store.list({ queue: q, limit: 50 })).items) expect(OPERATOR_QUEUES[q].states).toContain(t.state);
        }
      });

      it('the supervision queue holds open tickets that are supervised or overdue', async () => {
        const plain = await submit({ now: T0 });
        let supervised = await submit({ now: T0 + MIN });
        supervised = await act(supervised, { type: 'supervise', level: 1, method: 'system' }, operator, T0 + 2 * MIN);
        let overdue = await dispatched(unit('u'), T0 + 3 * MIN);
        overdue = await act(overdue, { type: 'markOverdue', kinds: ['sign'] }, system, T0 + 3 * MIN + 2 * DAY);
        let closed = await submit({ now: T0 + 4 * MIN });
        closed = await act(closed, { type: 'supervise', level: 1, method: 'system' }, operator, T0 + 5 * MIN);
        closed = await act(closed, { type: 'terminate', reason: '诉求人拒不配合' }, operator, T0 + 6 * MIN);
        expect(isOpen(closed.state)).toBe(false);

        const queue = (await store.list({ queue: 'supervision', limit: 10 })).items;
        expect(ids(queue)).toEqual([overdue.id, supervised.id]);
        expect(ids(queue)).not.toContain(plain.id);
        const paged = await pages({ queue: 'supervision', limit: 1 });
        expect(paged.ids).toEqual([overdue.id, supervised.id]);
      });

      it('a unit inbox is ordered by the next deadline, tickets without one last', async () => {
        const u = unit('u');
        const a = await dispatched(u, T0);
        const b = await dispatched(u, T0 + HOUR);
        let c = await dispatched(u, T0 + 2 * HOUR);
        c = await act(c, { type: 'sign' }, staff(u), T0 + 3 * HOUR);
        let d = await dispatched(u, T0 + 4 * HOUR);
        d = await act(d, { type: 'sign' }, staff(u), T0 + 5 * HOUR);
        d = await act(d, { type: 'contact', method: 'phone', result: 'reached', note: '已联系诉求人' }, staff(u), T0 + 5 * HOUR + MIN);
        d = await act(d, { type: 'reply', result: '已修复路灯，经现场核实已办结', handler: '李四' }, staff(u), T0 + 6 * HOUR);
        expect(d.nextDueAt).toBeNull();
        await dispatched(unit('elsewhere'), T0);

        expect(a.nextDueAt!).toBeLessThan(b.nextDueAt!);
        expect(b.nextDueAt!).toBeLessThan(c.nextDueAt!);
        expect(ids((await store.list({ unitId: u, limit: 10 })).items)).toEqual([a.id, b.id, c.id, d.id]);
        expect(ids((await store.list({ unitId: u, inbox: 'toSign', limit: 10 })).items)).toEqual([a.id, b.id]);
        expect(ids((await store.list({ unitId: u, inbox: 'inProgress', limit: 10 })).items)).toEqual([c.id, d.id]);
        expect((await store.list({ unitId: u, inbox: 'returned', limit: 10 })).items).toEqual([]);
        expect((await pages({ unitId: u, limit: 1 })).ids).toEqual([a.id, b.id, c.id, d.id]);
        expect((await pages({ unitId: u, inbox: 'inProgress', limit: 1 })).ids).toEqual([c.id, d.id]);
        for (const f of Object.keys(INBOX_FILTERS) as (keyof typeof INBOX_FILTERS)[]) {
          for (const t of (await store.list({ unitId: u, inbox: f, limit: 50 })).items) expect(INBOX_FILTERS[f].states).toContain(t.state);
        }
      });

      it('assisting units see the ticket too; a ticket returned to the platform leaves the unit inbox', async () => {
        const lead = unit('lead');
        const helper = unit('helper');
        let t = await dispatched(lead, T0, { assist: [helper] });
        expect(ids((await store.list({ unitId: helper, inbox: 'toSign', limit: 10 })).items)).toEqual([t.id]);
        t = await act(t, { type: 'requestReturn', reason: '不属于本单位职责' }, staff(lead), T0 + HOUR);
        expect(ids((await store.list({ unitId: lead, inbox: 'returned', limit: 10 })).items)).toEqual([t.id]);
        expect((await store.list({ unitId: lead, inbox: 'toSign', limit: 10 })).items).toEqual([]);
        t = await act(t, { type: 'reviewReturn', approve: true }, operator, T0 + 2 * HOUR);
        expect((await store.list({ unitId: lead, limit: 10 })).items).toEqual([]);
        expect((await store.list({ unitId: helper, limit: 10 })).items).toEqual([]);
        expect(ids((await store.list({ queue: 'dispatch', limit: 10 })).items)).toEqual([t.id]);
      });

      it('the rework and supervised inbox filters', async () => {
        const u = unit('u');
        let plain = await dispatched(u, T0);
        plain = await act(plain, { type: 'sign' }, staff(u), T0 + MIN);
        let again = await dispatched(u, T0 + HOUR);
        again = await act(again, { type: 'sign' }, staff(u), T0 + HOUR + MIN);
        again = await act(again, { type: 'contact', method: 'phone', result: 'reached', note: '已联系诉求人' }, staff(u), T0 + HOUR + 2 * MIN);
        again = await act(again, { type: 'reply', result: '已处理，经现场核实已办结', handler: '李四' }, staff(u), T0 + 2 * HOUR);
        again = await act(again, { type: 'reviewResult', approve: true }, operator, T0 + 3 * HOUR);
        // pingli 18: a first 不满意 sends the ticket back for rework by itself (no requestRework).
        again = await act(again, { type: 'rate', value: 'dissatisfied', reason: '路灯仍然不亮' }, resident(), T0 + 4 * HOUR);
        expect(again.state).toBe('handling');
        let pushed = await dispatched(u, T0 + 6 * HOUR);
        pushed = await act(pushed, { type: 'supervise', level: 2, method: 'written' }, operator, T0 + 7 * HOUR);

        expect(ids((await store.list({ unitId: u, inbox: 'rework', limit: 10 })).items)).toEqual([again.id]);
        expect(ids((await store.list({ unitId: u, inbox: 'supervised', limit: 10 })).items)).toEqual([pushed.id]);
        expect(new Set(ids((await store.list({ unitId: u, inbox: 'inProgress', limit: 10 })).items))).toEqual(new Set([plain.id, again.id]));
      });

      it('states filter, alone and narrowing a queue', async () => {
        const a = await submit({ now: T0 });
        let b = await submit({ now: T0 + MIN });
        b = await act(b, { type: 'accept' }, operator, T0 + 2 * MIN);
        expect(ids((await store.list({ states: ['submitted', 'accepted'], limit: 10 })).items)).toEqual([b.id, a.id]);
        expect(ids((await store.list({ states: ['accepted'], limit: 10 })).items)).toEqual([b.id]);
        expect((await store.list({ queue: 'intake', states: ['accepted'], limit: 10 })).items).toEqual([]);
        expect(ids((await store.list({ requesterId: resident().userId, states: ['submitted'], limit: 10 })).items)).toEqual([a.id]);
        expect((await pages({ states: ['submitted', 'accepted'], limit: 1 })).ids).toEqual([b.id, a.id]);
      });
    });

    describe('listSummaries', () => {
      /** Every page of `q` from both methods: the same ids in the same order, a summary for each ticket. */
      async function samePages(q: Parameters<TicketStore['list']>[0]): Promise<string[]> {
        const seen: string[] = [];
        let cursor: string | null = null;
        let count = 0;
        do {
          const full = await store.list({ ...q, cursor });
          const rows = await store.listSummaries({ ...q, cursor });
          expect(rows.items).toEqual(full.items.map(summaryOf));
          expect(rows.next).toEqual(full.next);
          seen.push(...rows.items.map((r) => r.id));
          cursor = rows.next;
          if (++count > 100) throw new Error('pagination does not end');
        } while (cursor);
        return seen;
      }

      it('the same pages as list (rows, order, cursors), each row the summary of its ticket', async () => {
        const u = unit('u');
        const me = resident('me');
        await submit({ actor: me, now: T0 });
        await submit({ actor: me, now: T0 + MIN, onBehalf: true });
        const a = await dispatched(u, T0 + 2 * MIN);
        let b = await dispatched(u, T0 + 3 * MIN, { assist: [unit('helper')] });
        b = await act(b, { type: 'sign' }, staff(u), T0 + 4 * MIN);
        expect(await samePages({ requesterId: me.userId, reporterId: me.userId, limit: 1 })).toHaveLength(2);
        expect(await samePages({ unitId: u, limit: 1 })).toEqual([a.id, b.id]);
        expect(await samePages({ unitId: u, inbox: 'inProgress', limit: 5 })).toEqual([b.id]);
        expect(await samePages({ unitId: unit('helper'), limit: 5 })).toEqual([b.id]);
        expect((await samePages({ queue: 'intake', limit: 2 })).length).toBeGreaterThanOrEqual(2);
        expect(await samePages({ unitId: u, search: { words: ['路灯'] }, limit: 1 })).toEqual([a.id, b.id]);
        expect(await samePages({ unitId: u, search: { category: '市政设施', area: 'xc' }, limit: 5 })).toEqual([a.id, b.id]);
      });

      it('a summary follows every committed write and no refused one', async () => {
        const u = unit('u');
        const t = await dispatched(u, T0);
        const row = async () => (await store.listSummaries({ unitId: u, limit: 5 })).items[0]!;
        expect(await row()).toEqual(summaryOf(t));
        const first = decision(t, { type: 'sign' }, staff(u), T0 + MIN);
        const second = decision(t, { type: 'sign' }, staff(u), T0 + 2 * MIN);
        await store.update(first.ticket, t.version, first.event, alarmsFor(first.ticket, profile));
        expect(await row()).toEqual(summaryOf(first.ticket));
        // The losing writer commits nothing: not the ticket, not its summary.
        expect(await codeOf(store.update(second.ticket, t.version, second.event, alarmsFor(second.ticket, profile)))).toBe('stale-version');
        expect(await row()).toEqual(summaryOf(first.ticket));
        expect((await row()).updatedAt).toBe(T0 + MIN);
      });
    });

    describe('search', () => {
      /** A ticket of this test's own category (so a shared real environment cannot interfere). */
      async function filed(o: { content: string; phone?: string; urgency?: string; utilities?: boolean; area?: string; address?: string; title?: string; now?: number; actor?: Actor; channel?: string }) {
        n += 1;
        const actor = o.actor ?? { userId: `${ns}-grid`, role: 'grid' as const };
        const input = submitInputSchema.parse({
          clientRequestId: `crid-${ns}-${n}`,
          type: 'help',
          category: `类-${ns}`,
          content: o.content,
          ...(o.title ? { title: o.title } : {}),
          urgency: o.urgency ?? 'normal',
          utilities: o.utilities ?? false,
          location: { area: o.area ?? 'xc', ...(o.address ? { address: o.address } : {}) },
          onBehalf: true,
          contact: { name: '李四', phone: o.phone ?? '13900001111' },
          ...(o.channel ? { channel: o.channel } : {}),
        });
        const { ticket, event } = openTicket(input, actor, ctx(o.now ?? T0 + n * MIN), { ticketId: `t-${ns}-${n}`, number: `PL${ns}${String(n).padStart(4, '0')}` });
        await store.create(ticket, event, alarmsFor(ticket, profile));
        return ticket;
      }
      const cat = () => `类-${ns}`;
      const found = async (search: Record<string, unknown>, extra: Partial<Parameters<TicketStore['list']>[0]> = {}) =>
        (await pages({ search: { category: cat(), ...search }, limit: 2, ...extra })).ids;

      it('finds by phone (full number or its last four digits) and by number', async () => {
        const a = await filed({ content: '楼道灯坏了两个月', phone: '13812345678' });
        const b = await filed({ content: '门口下水道堵塞', phone: '13812345678' });
        const c = await filed({ content: '噪音扰民问题严重', phone: '13955555678' });
        await filed({ content: '路面坑洼需修补', phone: '13900001111' });
        expect(await found({ phone: '13812345678' })).toEqual([b.id, a.id]);
        expect(await found({ phoneTail: '5678' })).toEqual([c.id, b.id, a.id]);
        expect(await found({ number: c.number })).toEqual([c.id]);
      });

      it('finds words inside title, content or address, Chinese without spaces, every word required', async () => {
        const water = await filed({ content: '小区昨天开始停水，至今没有恢复', address: '新华路3号院' });
        const gas = await filed({ content: '燃气管道有异味', title: '停气异味' });
        const both = await filed({ content: '停水又停电，家里老人生活困难' });
        expect(await found({ words: ['停水'] })).toEqual([both.id, water.id]);
        expect(await found({ words: ['停水', '老人'] })).toEqual([both.id]);
        expect(await found({ words: ['新华路'] })).toEqual([water.id]);
        expect(await found({ words: ['异味'] })).toEqual([gas.id]);
        // Every bigram of 水停 occurs nowhere as one run: not found, although 停水 and 水 are there.
        expect(await found({ words: ['水停'] })).toEqual([]);
        // 停电 and 停水 share a character but not the word.
        expect(await found({ words: ['停水电'] })).toEqual([]);
      });

      it('a changed text is searched by its new words only', async () => {
        const t = await filed({ content: '路灯不亮已经一周' });
        const d = decide(t, commandSchema.parse({ type: 'accept', ticketId: t.id }), operator, ctx(T0 + HOUR));
        if (!d.ok) throw new Error(d.code);
        const changed = { ...d.ticket, title: '垃圾清运', content: '垃圾清运不及时' };
        await store.update(changed, t.version, d.event, alarmsFor(changed, profile));
        expect(await found({ words: ['路灯'] })).toEqual([]);
        expect(await found({ words: ['垃圾'] })).toEqual([t.id]);
      });

      it('filters by urgency, utilities, area, channel, creation period and state', async () => {
        const urgent = await filed({ content: '电梯困人需要救援', urgency: 'urgent', now: T0 + 1 * MIN });
        const water = await filed({ content: '整栋楼停水', utilities: true, area: 'hn', now: T0 + 2 * MIN, channel: 'phone' });
        const later = await filed({ content: '公园长椅损坏', now: T0 + 3 * DAY });
        expect(await found({ urgency: 'urgent' })).toEqual([urgent.id]);
        expect(await found({ utilities: true })).toEqual([water.id]);
        expect(await found({ area: 'hn' })).toEqual([water.id]);
        expect(await found({ channel: 'phone' })).toEqual([water.id]);
        expect(await found({ createdFrom: T0, createdTo: T0 + DAY })).toEqual([water.id, urgent.id]);
        expect(await found({ createdFrom: T0 + DAY })).toEqual([later.id]);
        expect(await found({}, { states: ['submitted'] })).toEqual([later.id, water.id, urgent.id]);
        expect(await found({ urgency: 'urgent' }, { states: ['accepted'] })).toEqual([]);
      });

      it('filters by assigned unit, overdue and due soon; a unit inbox narrows by the same filters', async () => {
        const u = unit('u-search');
        let t = await filed({ content: '小区绿化带被占用' });
        t = await act(t, { type: 'accept' }, operator, T0 + HOUR);
        t = await act(t, { type: 'dispatch', mode: 'single', unitIds: [u] }, operator, T0 + HOUR);
        const other = await filed({ content: '绿化带垃圾堆积' });
        expect(await found({ assignedUnitId: u })).toEqual([t.id]);
        expect(await found({ dueBetween: { from: T0, to: t.nextDueAt! } })).toContain(t.id);
        expect(await found({ dueBetween: { from: t.nextDueAt!, to: t.nextDueAt! + DAY } })).not.toContain(t.id);
        expect(await found({ assignedUnitId: u, dueBetween: { from: t.nextDueAt!, to: t.nextDueAt! + DAY } })).toEqual([]);
        expect(await found({ overdue: true })).toEqual([]);
        const late = await act(t, { type: 'markOverdue', kinds: ['sign', 'handle'] }, system, t.nextDueAt! + HOUR);
        expect(await found({ overdue: true })).toEqual([late.id]);
        expect((await pages({ unitId: u, search: { words: ['绿化'] }, limit: 5 })).ids).toEqual([late.id]);
        expect((await pages({ unitId: u, search: { words: ['垃圾'] }, limit: 5 })).ids).toEqual([]);
        expect(other.id).not.toBe(late.id);
      });
    });

    describe('scan, eventsBetween, recentByReporter', () => {
      it('scan yields the tickets created or updated in [from, to), optionally of one unit', async () => {
        const from = T0 + 10 * DAY;
        const to = T0 + 20 * DAY;
        const u = unit('u');
        await submit({ now: T0 });
        let updatedIn = await submit({ now: T0 + MIN });
        updatedIn = await act(updatedIn, { type: 'accept' }, operator, from + DAY);
        updatedIn = await act(updatedIn, { type: 'dispatch', mode: 'single', unitIds: [u] }, operator, from + DAY);
        const createdIn = await submit({ now: from });
        await submit({ now: to });
        const got = await all(store.scan(from, to));
        expect(new Set(ids(got))).toEqual(new Set([updatedIn.id, createdIn.id]));
        expect(got).toHaveLength(2);
        expect(ids(await all(store.scan(from, to, u)))).toEqual([updatedIn.id]);
        expect(await all(store.scan(from, to, unit('none')))).toEqual([]);
      });

      it('eventsBetween yields the events of [from, to) in time order', async () => {
        const t = await submit({ now: T0 });
        const accepted = await act(t, { type: 'accept' }, operator, T0 + HOUR);
        await act(accepted, { type: 'dispatch', mode: 'single', unitIds: [unit('u')] }, operator, T0 + 2 * HOUR);
        const got = await all(store.eventsBetween(T0 + HOUR, T0 + 2 * HOUR + 1));
        expect(got.map((e) => [e.type, e.at])).toEqual([
          ['accept', T0 + HOUR],
          ['dispatch', T0 + 2 * HOUR],
        ]);
        expect((await all(store.eventsBetween(T0, T0 + 3 * HOUR))).map((e) => e.seq)).toEqual([1, 2, 3]);
      });

      it("recentByReporter counts a reporter's submissions since a time and finds the same content among them", async () => {
        const me = resident('me');
        await submit({ actor: me, now: T0 - DAY, content: '很久以前的诉求内容' });
        await submit({ actor: me, now: T0, content: '  小区门口  路灯不亮\n请修理 ' });
        const rubbish = await submit({ actor: me, now: T0 + MIN, content: '垃圾没有清运，气味很大' });
        await submit({ actor: resident('other'), now: T0, content: '别人的诉求内容' });
        expect((await store.recentByReporter(me.userId, T0)).count).toBe(2);
        expect((await store.recentByReporter(me.userId, T0, contentHash('小区门口 路灯不亮 请修理'))).duplicate).toBe(true);
        expect((await store.recentByReporter(me.userId, T0, contentHash('垃圾没有清运，气味很大'))).duplicate).toBe(true);
        // …and names that earlier ticket.
        expect((await store.recentByReporter(me.userId, T0, contentHash('垃圾没有清运，气味很大'))).duplicateOf).toEqual({ id: rubbish.id, number: rubbish.number });
        expect((await store.recentByReporter(me.userId, T0, contentHash('很久以前的诉求内容'))).duplicate).toBe(false);
        expect((await store.recentByReporter(me.userId, T0, contentHash('别人的诉求内容'))).duplicate).toBe(false);
        expect(await store.recentByReporter(`${ns}-nobody`, T0, contentHash('x'))).toEqual({ count: 0, duplicate: false });
      });
    });

    describe('outbox', () => {
      const notice = (t: Ticket, summary: string): Notice => ({ template: 'progress', ticketId: t.id, ticketNumber: t.number, title: t.title, status: '已受理', summary, at: T0, page: 'pages/detail/index' });
      const effect = (t: Ticket, e: TicketEvent, i: number, at = T0): OutboxEffect => ({
        id: `${e.id}:${i}`, ticketId: t.id, eventId: e.id, audience: { kind: 'requester' }, requesterId: t.requester.userId, notice: notice(t, `通知${i}`), status: 'pending', attempts: 0, nextAt: at, createdAt: at, updatedAt: at,
      });
      const claimAll = async (runId: string, now: number) => (await store.claimEffects(runId, now, 100, MIN)).filter((e) => e.id.startsWith(`t-${ns}-`));

      it('saves the effects of a create and of an update with them, and none of a refused (stale) update', async () => {
        const d = draft();
        await store.create(d.ticket, d.event, d.alarms, { effects: [effect(d.ticket, d.event, 0)] });
        const dec = decision(d.ticket, { type: 'accept' }, operator, T0 + MIN);
        await store.update(dec.ticket, 1, dec.event, alarmsFor(dec.ticket, profile), { effects: [effect(dec.ticket, dec.event, 0), effect(dec.ticket, dec.event, 1)] });
        const again = decision(d.ticket, { type: 'refuse', groundCode: profile.intake.nonAcceptanceGrounds[0]!.code }, operator, T0 + MIN);
        expect(await codeOf(store.update(again.ticket, 1, again.event, [], { effects: [effect(again.ticket, again.event, 0)] }))).toBe('stale-version');
        const claimed = await claimAll('run-a', T0 + 2 * MIN);
        expect(claimed.map((e) => e.id).sort()).toEqual([`${d.event.id}:0`, `${dec.event.id}:0`, `${dec.event.id}:1`].sort());
        expect(claimed.find((e) => e.id === `${dec.event.id}:1`)).toMatchObject({ notice: { summary: '通知1' }, status: 'pending', attempts: 0, audience: { kind: 'requester' } });
      });

      it('effects about no ticket (risk warnings) are added once by id; a second add of the same id changes nothing', async () => {
        const id = `warning:${ns}:1`;
        const warning: OutboxEffect = {
          id, ticketId: '', eventId: id, audience: { kind: 'operators' }, status: 'pending', attempts: 0, nextAt: T0, createdAt: T0, updatedAt: T0,
          notice: { template: 'warning', ticketId: '', ticketNumber: '', title: '诉求量异常升高', status: '风险预警', summary: '区域「东区」本周9件', at: T0, page: 'packageOperator/pages/board/index' },
        };
        const other = { ...warning, id: `warning:${ns}:2`, eventId: `warning:${ns}:2` };
        expect(await store.addEffectsOnce([warning, other])).toEqual([warning.id, other.id]);
        expect(await store.addEffectsOnce([{ ...warning, notice: { ...warning.notice, summary: '改过的' } }])).toEqual([]);
        const claimed = (await store.claimEffects('run-w', T0, 100, MIN)).filter((e) => e.id.startsWith(`warning:${ns}:`));
        expect(claimed.map((e) => e.id).sort()).toEqual([warning.id, other.id]);
        expect(claimed.find((e) => e.id === warning.id)).toMatchObject({ ticketId: '', notice: { summary: '区域「东区」本周9件' }, audience: { kind: 'operators' } });
      });

      it('a repeated client request id saves no second set of effects', async () => {
        const d = draft({ crid: `same-${ns}` });
        await store.create(d.ticket, d.event, d.alarms, { effects: [effect(d.ticket, d.event, 0)] });
        const twin = draft({ crid: `same-${ns}` });
        const r = await store.create(twin.ticket, twin.event, twin.alarms, { effects: [effect(twin.ticket, twin.event, 0)] });
        expect(r.created).toBe(false);
        expect((await claimAll('run-a', T0)).map((e) => e.ticketId)).toEqual([d.ticket.id]);
      });

      it('creates children in the commit of their parent, with their events, alarms and effects', async () => {
        const parent = await submit();
        const accepted = await act(parent, { type: 'accept' }, operator, T0 + MIN);
        const dec = decision(accepted, { type: 'dispatch', mode: 'separate', unitIds: [unit('a'), unit('b')] }, operator, T0 + 2 * MIN);
        const kids = [unit('a'), unit('b')].map((u, i) => {
          const k = draft({ now: T0 + 2 * MIN });
          const ticket = { ...k.ticket, id: `t-${ns}-child-${i}`, parentId: accepted.id };
          const event = { ...k.event, id: `${ticket.id}:1`, ticketId: ticket.id };
          return { ticket, event, alarms: alarmsFor(ticket, profile), effects: [effect(ticket, event, 0, T0 + 2 * MIN)], unit: u };
        });
        await store.update(dec.ticket, accepted.version, dec.event, [], { children: kids.map(({ unit: _u, ...c }) => c) });
        for (const k of kids) {
          expect((await store.get(k.ticket.id))?.parentId).toBe(accepted.id);
          expect((await store.events(k.ticket.id)).map((e) => e.seq)).toEqual([1]);
        }
        expect((await claimAll('run-a', T0 + 3 * MIN)).map((e) => e.ticketId).sort()).toEqual(kids.map((k) => k.ticket.id).sort());
      });

      it('saves a merge with the other ticket in one commit, with both events and effects; a stale other version writes neither', async () => {
        const primary = await act(await submit(), { type: 'accept' }, operator, T0 + MIN);
        const dup = await submit({ actor: resident('dup') });
        const merge = (now: number) => {
          const d = decide(dup, commandSchema.parse({ type: 'merge', ticketId: dup.id, intoNumber: primary.number }), operator, { ...ctx(now), other: primary });
          if (!d.ok) throw new Error(`merge refused: ${d.code}`);
          const side = counterpartOf(commandSchema.parse({ type: 'merge', ticketId: dup.id, intoNumber: primary.number }), dup, primary, operator, now, profile)!;
          return { d, side };
        };
        // The primary moved on meanwhile: the merge is refused as stale and nothing of it is saved.
        const stale = merge(T0 + 2 * MIN);
        const moved = await act(primary, { type: 'dispatch', mode: 'single', unitIds: [unit('a')] }, operator, T0 + 2 * MIN);
        expect(await codeOf(store.update(stale.d.ticket, dup.version, stale.d.event, [], { effects: [effect(stale.d.ticket, stale.d.event, 0)], related: [{ ticket: stale.side.ticket, expectedVersion: primary.version, event: stale.side.event, alarms: [], effects: [] }] }))).toBe('stale-version');
        expect((await store.get(dup.id))?.state).toBe('submitted');
        expect((await store.events(dup.id)).map((e) => e.seq)).toEqual([1]);
        expect((await store.get(primary.id))?.version).toBe(moved.version);
        expect((await claimAll('run-a', T0 + 3 * MIN)).filter((e) => e.ticketId === dup.id)).toEqual([]);

        const d = decide(dup, commandSchema.parse({ type: 'merge', ticketId: dup.id, intoNumber: moved.number }), operator, { ...ctx(T0 + 4 * MIN), other: moved });
        if (!d.ok) throw new Error(`merge refused: ${d.code}`);
        const side = counterpartOf(commandSchema.parse({ type: 'merge', ticketId: dup.id, intoNumber: moved.number }), dup, moved, operator, T0 + 4 * MIN, profile)!;
        await store.update(d.ticket, dup.version, d.event, alarmsFor(d.ticket, profile), { effects: [effect(d.ticket, d.event, 0, T0 + 4 * MIN)], related: [{ ticket: side.ticket, expectedVersion: moved.version, event: side.event, alarms: alarmsFor(side.ticket, profile), effects: [effect(side.ticket, side.event, 0, T0 + 4 * MIN)] }] });
        const merged = await store.get(dup.id);
        const into = await store.get(primary.id);
        expect(merged).toMatchObject({ state: 'merged', mergedInto: { ticketId: primary.id, number: primary.number } });
        expect(into?.coRequesters).toEqual([expect.objectContaining({ userId: resident('dup').userId, via: 'merge', ticketId: dup.id })]);
        expect((await store.events(primary.id)).map((e) => e.type)).toEqual(['submit', 'accept', 'dispatch', 'absorbed']);
        expect((await store.events(dup.id)).map((e) => e.type)).toEqual(['submit', 'merge']);
        expect((await claimAll('run-b', T0 + 5 * MIN)).map((e) => e.ticketId).filter((id) => id === dup.id || id === primary.id).sort()).toEqual([dup.id, primary.id].sort());
      });

      it('claims with a lease, settles with attempts and backoff, lists failed, retries', async () => {
        const d = draft();
        await store.create(d.ticket, d.event, d.alarms, { effects: [effect(d.ticket, d.event, 0), effect(d.ticket, d.event, 1)] });
        const first = await claimAll('run-a', T0);
        expect(first).toHaveLength(2);
        // Held by run-a: another run gets nothing until the lease ends.
        expect(await claimAll('run-b', T0 + 1)).toEqual([]);
        expect(await store.settleEffect(first[0]!.id, 'run-b', { status: 'done', attempts: 1, nextAt: T0, updatedAt: T0 })).toBe(false);
        expect(await store.settleEffect(first[0]!.id, 'run-a', { status: 'done', attempts: 1, nextAt: T0, updatedAt: T0 })).toBe(true);
        expect(await store.settleEffect(first[1]!.id, 'run-a', { status: 'pending', attempts: 1, nextAt: T0 + 10 * MIN, updatedAt: T0, lastError: 'boom' })).toBe(true);
        // Backed off: not due before nextAt; then due, with its attempts and error.
        expect(await claimAll('run-c', T0 + 5 * MIN)).toEqual([]);
        const again = await claimAll('run-c', T0 + 10 * MIN);
        expect(again.map((e) => [e.id, e.attempts, e.lastError])).toEqual([[first[1]!.id, 1, 'boom']]);
        expect(await store.settleEffect(again[0]!.id, 'run-c', { status: 'failed', attempts: 2, nextAt: T0 + 10 * MIN, updatedAt: T0 + 10 * MIN, lastError: 'gave up' })).toBe(true);
        // A lease that ran out: another run takes the effect.
        const d2 = draft();
        await store.create(d2.ticket, d2.event, d2.alarms, { effects: [effect(d2.ticket, d2.event, 0)] });
        expect((await claimAll('run-d', T0 + 11 * MIN)).map((e) => e.id)).toEqual([`${d2.event.id}:0`]);
        expect((await claimAll('run-e', T0 + 11 * MIN + MIN + 1)).map((e) => e.id)).toEqual([`${d2.event.id}:0`]);

        const failed = (await store.listEffects('failed', 50)).filter((e) => e.ticketId === d.ticket.id);
        expect(failed.map((e) => [e.id, e.status, e.attempts, e.lastError])).toEqual([[first[1]!.id, 'failed', 2, 'gave up']]);
        expect((await store.listEffects('done', 50)).filter((e) => e.ticketId === d.ticket.id).map((e) => e.id)).toEqual([first[0]!.id]);
        expect(await store.retryEffect(first[0]!.id, T0 + 20 * MIN)).toBe(false);
        expect(await store.retryEffect(first[1]!.id, T0 + 20 * MIN)).toBe(true);
        expect(await store.retryEffect(first[1]!.id, T0 + 20 * MIN)).toBe(false);
        expect((await claimAll('run-f', T0 + 20 * MIN)).filter((e) => e.ticketId === d.ticket.id).map((e) => [e.id, e.attempts])).toEqual([[first[1]!.id, 0]]);
      });
    });

    describe('alarms', () => {
      const alarm = (t: Ticket, i: number, fireAt: number): Alarm => ({
        key: `${t.id}:handle:${fireAt}:${i}`,
        ticketId: t.id,
        deadline: 'handle',
        kind: 'dueSoon',
        fireAt,
        dueAt: fireAt + HOUR,
        owner: unit('u'),
        threshold: 0.5,
      });
      async function withAlarms(fireAts: number[]): Promise<{ t: Ticket; alarms: Alarm[] }> {
        const d = draft();
        const alarms = fireAts.map((f, i) => alarm(d.ticket, i, f));
        await store.create(d.ticket, d.event, alarms);
        return { t: d.ticket, alarms };
      }

      it('claims the due alarms only, earliest first, up to the limit', async () => {
        const { alarms } = await withAlarms([T0 + 3 * MIN, T0 + MIN, T0 + 2 * MIN, T0 + HOUR]);
        const first = await store.claimAlarms('run-1', T0 + 10 * MIN, 2, MIN);
        expect(first).toEqual([alarms[1], alarms[2]]);
        const rest = await store.claimAlarms('run-1', T0 + 10 * MIN, 10, MIN);
        expect(rest).toEqual([alarms[0]]);
        expect(await store.claimAlarms('run-1', T0 + 10 * MIN, 0, MIN)).toEqual([]);
      });

      it('a claimed alarm is held for its lease; after the lease another run takes it', async () => {
        const { alarms } = await withAlarms([T0]);
        expect(await store.claimAlarms('run-1', T0 + MIN, 10, 5 * MIN)).toEqual(alarms);
        expect(await store.claimAlarms('run-2', T0 + 2 * MIN, 10, 5 * MIN)).toEqual([]);
        expect(await store.claimAlarms('run-2', T0 + 6 * MIN, 10, 5 * MIN)).toEqual([]);
        // The lease ended at T0 + 6 min: the crashed run's alarm comes back.
        expect(await store.claimAlarms('run-2', T0 + 6 * MIN + 1, 10, 5 * MIN)).toEqual(alarms);
        expect(await store.completeAlarm(alarms[0]!.key, 'run-1', 'sent')).toBe(false);
        expect(await store.completeAlarm(alarms[0]!.key, 'run-2', 'sent')).toBe(true);
      });

      it('only the holder completes an alarm, once; a done alarm is never claimed again', async () => {
        const { alarms } = await withAlarms([T0]);
        const key = alarms[0]!.key;
        expect(await store.completeAlarm(key, 'run-1', 'sent')).toBe(false);
        await store.claimAlarms('run-1', T0, 10, MIN);
        expect(await store.completeAlarm(key, 'run-2', 'sent')).toBe(false);
        expect(await store.completeAlarm(key, 'run-1', 'sent')).toBe(true);
        expect(await store.completeAlarm(key, 'run-1', 'sent')).toBe(false);
        expect(await store.claimAlarms('run-3', T0 + DAY, 10, MIN)).toEqual([]);
        expect(await store.completeAlarm(`${ns}-unknown`, 'run-1', 'sent')).toBe(false);
      });

      it("a reminder's effects are saved with the alarm's mark, once, and only by the run holding it", async () => {
        const { t, alarms } = await withAlarms([T0]);
        const key = alarms[0]!.key;
        const reminder = (): OutboxEffect => ({
          id: `${key}:reminder`, ticketId: t.id, eventId: key, audience: { kind: 'units', unitIds: ['u-1'] },
          notice: { template: 'dueSoon', ticketId: t.id, ticketNumber: t.number, title: t.title, status: '待签收', summary: '签收时限已过50%', at: T0, page: 'pages/detail/index' },
          status: 'pending', attempts: 0, nextAt: T0, createdAt: T0, updatedAt: T0,
        });
        const mine = async (runId: string) => (await store.claimEffects(runId, T0 + MIN, 100, MIN)).filter((e) => e.id === `${key}:reminder`);
        await store.claimAlarms('run-1', T0, 10, MIN);
        expect(await store.completeAlarm(key, 'run-1', 'sent', [reminder()])).toBe(true);
        // A second completion (a run that lost its lease, or a retry) owes nothing more.
        expect(await store.completeAlarm(key, 'run-2', 'sent', [reminder()])).toBe(false);
        const claimed = await mine('drain-1');
        expect(claimed).toHaveLength(1);
        expect(claimed[0]).toMatchObject({ eventId: key, audience: { kind: 'units', unitIds: ['u-1'] }, notice: { template: 'dueSoon' } });
        expect(await mine('drain-2')).toEqual([]);
      });

      it('completeAlarms saves a batch in order: a stale change or a lost lease saves nothing of its step, the others are saved', async () => {
        const a = await submit({ now: T0 });
        const b = await submit({ now: T0 });
        const [alarmA] = alarmsFor(a, profile);
        const [alarmB] = alarmsFor(b, profile);
        const late = Math.max(alarmA!.fireAt, alarmB!.fireAt) + MIN;
        const claimed = await store.claimAlarms('run-1', late, 100, HOUR);
        expect(claimed.map((x) => x.key)).toEqual(expect.arrayContaining([alarmA!.key, alarmB!.key]));
        const accept = (t: Ticket) => decision(t, { type: 'accept' }, operator, late);
        const dA = accept(a);
        const dB = accept(b);
        // b moves on meanwhile (a person acted): the batch's change of b is stale.
        await act(b, { type: 'accept' }, operator, late);
        const results = await store.completeAlarms('run-1', [
          { key: alarmA!.key, outcome: 'overdue', change: { ticket: dA.ticket, expectedVersion: a.version, event: dA.event, alarms: alarmsFor(dA.ticket, profile) } },
          { key: alarmB!.key, outcome: 'overdue', change: { ticket: dB.ticket, expectedVersion: b.version, event: dB.event, alarms: alarmsFor(dB.ticket, profile) } },
          { key: `${ns}-never-claimed`, outcome: 'sent' },
        ]);
        expect(results.map((r) => [r.key, r.saved, r.saved ? null : r.code])).toEqual([
          [alarmA!.key, true, null],
          [alarmB!.key, false, 'stale-version'],
          [`${ns}-never-claimed`, false, 'lease-lost'],
        ]);
        expect((await store.get(a.id))!.version).toBe(a.version + 1);
        expect((await store.events(a.id)).map((e) => e.type)).toContain('accept');
        // b's alarm is still this run's: the step rolled back whole, the next claim after the lease retries it.
        expect(await store.completeAlarm(alarmB!.key, 'run-1', 'stale')).toBe(true);
        expect(await store.completeAlarm(alarmA!.key, 'run-1', 'again')).toBe(false);
        expect(await store.completeAlarms('run-1', [])).toEqual([]);
      });

      it('overlapping runs never claim the same alarm', async () => {
        const fireAts = Array.from({ length: 10 }, (_, i) => T0 + i * MIN);
        await withAlarms(fireAts.slice(0, 5));
        await withAlarms(fireAts.slice(5));
        const runs = await Promise.all([1, 2, 3, 4].map((r) => store.claimAlarms(`run-${r}`, T0 + HOUR, 3, MIN)));
        const keys = runs.flat().map((a) => a.key);
        expect(new Set(keys).size).toBe(keys.length);
        expect(keys).toHaveLength(10);
        for (const r of runs) expect(r.length).toBeLessThanOrEqual(3);
      });

      it('an update cancels the pending alarms it no longer lists; done alarms stay done', async () => {
        const t = await submit({ now: T0 });
        const [acceptOverdue] = alarmsFor(t, profile);
        expect(acceptOverdue?.kind).toBe('overdue');
        const late = acceptOverdue!.fireAt + MIN;
        expect(await store.claimAlarms('run-1', late, 10, MIN)).toEqual([acceptOverdue]);
        expect(await store.completeAlarm(acceptOverdue!.key, 'run-1', 'overdue-marked')).toBe(true);

        const other = await submit({ now: T0 });
        const accepted = await act(other, { type: 'accept' }, operator, T0 + MIN);
        const transferAlarms = alarmsFor(accepted, profile);
        expect(transferAlarms.map((a) => a.deadline)).toEqual(['transfer']);
        // The accept alarm of `other` was cancelled by the update; only its transfer alarm is due.
        const claimed = await store.claimAlarms('run-2', T0 + 30 * DAY, 10, MIN);
        expect(claimed).toEqual(transferAlarms);
      });

      it('an alarm dropped by one update and listed again by a later one is due again', async () => {
        const { t, alarms } = await withAlarms([T0 + HOUR]);
        const v2 = await act(t, { type: 'supervise', level: 1, method: 'system' }, operator, T0 + MIN, []);
        await act(v2, { type: 'supervise', level: 2, method: 'system' }, operator, T0 + 2 * MIN, alarms);
        expect(await store.claimAlarms('run-1', T0 + 2 * HOUR, 10, MIN)).toEqual(alarms);
      });
    });

    describe('facts (every figure is counted from them)', () => {
      const total = (counts: FactCount[], metric: string, outcome?: string, key?: string) =>
        counts.filter((c) => c.metric === metric && (outcome === undefined || c.outcome === outcome) && (key === undefined || c.key === key)).reduce((a, c) => a + c.n, 0);

      it('each write keeps the record: a ticket created before a period and decided in it counts in it; an open window counts nowhere', async () => {
        const u = unit('u');
        let t = await dispatched(u, T0 - 10 * MIN);
        const period = { from: T0, to: T0 + DAY };
        // Dispatched, not signed, its 24-hour sign window open: in no response figure.
        expect(total(await store.factCounts({ ...period, by: 'all' }), 'response')).toBe(0);
        expect(total(await store.factCounts({ from: T0 - DAY, to: T0, by: 'all' }), 'submitted')).toBe(1);
        t = await act(t, { type: 'sign' }, staff(u), T0 + HOUR);
        expect((await store.facts(t.id))?.response).toEqual({ at: T0 + HOUR, unit: u, outcome: 'ok' });
        const counts = await store.factCounts({ ...period, by: 'unit' });
        expect(total(counts, 'response', 'ok', u)).toBe(1);
        expect(total(counts, 'submitted')).toBe(0);
        // Periods that do not start or end on a day boundary, and one holding whole days.
        expect(total(await store.factCounts({ from: T0 + 30 * MIN, to: T0 + 2 * HOUR, by: 'all' }), 'response', 'ok', '*')).toBe(1);
        expect(total(await store.factCounts({ from: T0 + HOUR + 1, to: T0 + 2 * DAY, by: 'all' }), 'response')).toBe(0);
        const wide = await store.factCounts({ from: T0 - 3 * DAY + 5 * MIN, to: T0 + 3 * DAY + 7 * MIN, by: 'area' });
        expect(total(wide, 'response', 'ok', 'xc')).toBe(1);
        expect(total(wide, 'submitted', 'submitted', 'xc')).toBe(1);
        // The tickets behind the figure.
        const page = await store.factTickets({ metric: 'response', ...period, by: 'unit', key: u, limit: 10 });
        expect(page.items.map((i) => i.ticketId)).toEqual([t.id]);
        expect(page.items[0]).toMatchObject({ number: t.number, at: T0 + HOUR, outcome: 'ok' });
        expect((await store.factTickets({ metric: 'response', ...period, by: 'unit', key: unit('other'), limit: 10 })).items).toEqual([]);
      });

      it('a refused write changes no facts; a changed ticket moves its marks', async () => {
        const u = unit('u');
        const t = await dispatched(u, T0);
        const before = await store.facts(t.id);
        const d = decision(t, { type: 'sign' }, staff(u), T0 + HOUR);
        await expect(store.update(d.ticket, t.version - 1, d.event, [])).rejects.toBeInstanceOf(DomainError);
        expect(await store.facts(t.id)).toEqual(before);
        expect(total(await store.factCounts({ from: T0 - DAY, to: T0 + 3 * DAY, by: 'all' }), 'response')).toBe(0);
        // A return request is an event mark for the unit that asked; the ticket's lead changes after the return is approved.
        const r = await act(t, { type: 'requestReturn', reason: '不属于本单位职责' }, staff(u), T0 + 2 * HOUR);
        const counts = await store.factCounts({ from: T0 - DAY, to: T0 + 3 * DAY, by: 'unit' });
        expect(total(counts, 'return', 'requested', u)).toBe(1);
        expect(total(counts, 'submitted', 'submitted', u)).toBe(1);
        await act(r, { type: 'reviewReturn', approve: true }, operator, T0 + 3 * HOUR);
        const after = await store.factCounts({ from: T0 - DAY, to: T0 + 3 * DAY, by: 'unit' });
        expect(total(after, 'submitted', 'submitted', u)).toBe(0);
        expect(total(after, 'submitted', 'submitted', '')).toBe(1);
        expect(total(after, 'return', 'requested', u)).toBe(1);
        const rows = await store.factTickets({ metric: 'return', from: T0 - DAY, to: T0 + 3 * DAY, by: 'unit', key: u, limit: 10 });
        expect(rows.items.map((i) => i.ticketId)).toEqual([t.id]);
      });

      it('repeated requests and frequent requesters are grouped from the submission marks of the period', async () => {
        const a = resident('a');
        const b = resident('b');
        await submit({ actor: a, now: T0 - DAY }); // before the period: counted nowhere below
        const t1 = await submit({ actor: a, now: T0 });
        const t2 = await submit({ actor: a, now: T0 + MIN });
        const t3 = await submit({ actor: a, now: T0 + 2 * MIN });
        const t4 = await submit({ actor: b, now: T0 + 3 * MIN });
        const t5 = await submit({ actor: b, now: T0 + 4 * MIN, category: '噪音扰民', area: 'dq' });
        const t6 = await submit({ actor: b, now: T0 + 5 * MIN, category: '噪音扰民', area: 'dq' });
        await submit({ actor: b, now: T0 + 6 * MIN, category: '供水', area: 'nq' }); // alone at its place
        const period = { from: T0, to: T0 + DAY };
        expect(await store.factPlaces({ ...period, min: 2, limit: 50 })).toEqual([
          { category: '市政设施', place: 'xc', count: 4, requesters: 2, numbers: [t1, t2, t3, t4].map((t) => t.number) },
          { category: '噪音扰民', place: 'dq', count: 2, requesters: 1, numbers: [t5, t6].map((t) => t.number) },
        ]);
        expect(await store.factPlaces({ ...period, min: 2, limit: 1 })).toHaveLength(1);
        expect(await store.factPlaces({ ...period, min: 5, limit: 50 })).toEqual([]);
        expect(await store.factRequesters({ ...period, min: 3, limit: 50 })).toEqual([
          { requester: `u:${a.userId}`, count: 3, categories: ['市政设施'], firstTicketId: t1.id },
          { requester: `u:${b.userId}`, count: 4, categories: ['供水', '噪音扰民', '市政设施'].sort(), firstTicketId: t4.id },
        ].sort((x, y) => y.count - x.count));
        expect((await store.factRequesters({ ...period, min: 4, limit: 50 })).map((g) => g.count)).toEqual([4]);
        expect((await store.facts(t5.id))?.place).toBe('dq');
      });

      it('a second dimension counts each category within each area, over whole and partial days', async () => {
        await submit({ now: T0, category: '供水', area: 'nq' });
        await submit({ now: T0 + DAY, category: '供水', area: 'nq' });
        await submit({ now: T0 + DAY + HOUR, category: '供水', area: 'bq' });
        await submit({ now: T0 + 2 * DAY, category: '噪音扰民', area: 'nq' });
        const pairs = (counts: FactCount[]) =>
          counts
            .filter((c) => c.metric === 'submitted')
            .map((c) => `${c.key}/${c.key2}:${c.n}`)
            .sort();
        // Whole days, and a period starting and ending inside a day.
        for (const period of [{ from: T0 - 10 * HOUR, to: T0 + 3 * DAY - 10 * HOUR }, { from: T0 - MIN, to: T0 + 2 * DAY + MIN }]) {
          expect(pairs(await store.factCounts({ ...period, by: 'area', then: 'category' }))).toEqual(['bq/供水:1', 'nq/供水:2', 'nq/噪音扰民:1']);
        }
        expect(pairs(await store.factCounts({ from: T0 + HOUR, to: T0 + 2 * DAY, by: 'area', then: 'category' }))).toEqual(['bq/供水:1', 'nq/供水:1']);
        // A pair the store keeps no daily counts of is counted from the marks, with the same answer.
        expect(pairs(await store.factCounts({ from: T0 - 10 * HOUR, to: T0 + 3 * DAY - 10 * HOUR, by: 'category', then: 'area' }))).toEqual(['供水/bq:1', '供水/nq:2', '噪音扰民/nq:1']);
      });

      it('the tickets behind a figure page by an opaque cursor, each once', async () => {
        const made: string[] = [];
        for (let i = 0; i < 5; i++) made.push((await submit({ now: T0 + Math.floor(i / 2) * MIN })).id);
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const p: Awaited<ReturnType<TicketStore['factTickets']>> = await store.factTickets({ metric: 'submitted', from: T0, to: T0 + DAY, by: 'all', key: '*', limit: 2, cursor });
          seen.push(...p.items.map((i) => i.ticketId));
          cursor = p.next;
        } while (cursor);
        expect(seen.sort()).toEqual([...made].sort());
      });
    });

    describe('directory', () => {
      it('users: put, get by id and by openid, list by unit and role without the deleted ones', async () => {
        const u = unit('u');
        const a = { id: `${ns}-a`, openid: `oid-${ns}-a`, name: '甲', roles: ['staff' as const], unitId: u, phone: '13800000001' };
        const b = { id: `${ns}-b`, name: '乙', roles: ['staff' as const, 'operator' as const], unitId: u };
        const c = { id: `${ns}-c`, name: '丙', roles: ['operator' as const] };
        const gone = { id: `${ns}-d`, name: '丁', roles: ['staff' as const], unitId: u, deletedAt: T0 };
        for (const x of [a, b, c, gone]) await directory.putUser(x);
        expect(await directory.getUser(a.id)).toEqual(a);
        expect(await directory.getUserByOpenid(a.openid)).toEqual(a);
        expect(await directory.getUserByOpenid(`oid-${ns}-none`)).toBeNull();
        expect(await directory.getUser(`${ns}-none`)).toBeNull();
        expect((await directory.listUsers({ unitId: u })).map((x) => x.id).sort()).toEqual([a.id, b.id]);
        expect((await directory.listUsers({ unitId: u, role: 'operator' })).map((x) => x.id)).toEqual([b.id]);
        const operators = (await directory.listUsers({ role: 'operator' })).map((x) => x.id);
        expect(operators).toEqual(expect.arrayContaining([b.id, c.id]));
        expect(operators).not.toContain(gone.id);
        await directory.putUser({ ...a, name: '甲改', unitId: unit('v') });
        expect((await directory.getUser(a.id))?.name).toBe('甲改');
        expect((await directory.listUsers({ unitId: u })).map((x) => x.id)).toEqual([b.id]);
      });

      it('knowledge-base uses: each call counts one, concurrent calls all count, and a rewrite of the article keeps them', async () => {
        const a = `${ns}-kb`;
        const b = `${ns}-kb2`;
        await directory.putKb({ id: a, title: '问', answer: '答', keywords: [], updatedAt: T0 });
        expect(await directory.addKbUse(a, T0)).toBe(1);
        await Promise.all([directory.addKbUse(a, T0 + 1), directory.addKbUse(a, T0 + 2), directory.addKbUse(b, T0)]);
        await directory.putKb({ id: a, title: '问（改）', answer: '答', keywords: [], updatedAt: T0 + 3, revision: 2 });
        const uses = await directory.kbUses();
        expect([uses[a], uses[b], uses[`${ns}-never`]]).toEqual([3, 1, undefined]);
      });

      it('units: put, get, list, overwrite', async () => {
        const u1 = { id: unit('a'), name: '城管局', categories: ['市政设施'], areas: ['xc'], active: true };
        const u2 = { id: unit('b'), name: '住建局', categories: [], areas: [], active: false };
        await directory.putUnit(u1);
        await directory.putUnit(u2);
        expect(await directory.getUnit(u1.id)).toEqual(u1);
        expect(await directory.getUnit(unit('none'))).toBeNull();
        await directory.putUnit({ ...u1, name: '城市管理局' });
        const listed = (await directory.listUnits()).filter((x) => x.id.startsWith(ns));
        expect(listed).toEqual(expect.arrayContaining([{ ...u1, name: '城市管理局' }, u2]));
        expect(listed).toHaveLength(2);
      });

      it('invites are single use and expire', async () => {
        const code = `inv-${ns}`;
        await directory.putInvite({ code, unitId: unit('u'), createdBy: 'op-1', createdAt: T0, expiresAt: T0 + DAY });
        const [x, y] = await Promise.all([directory.redeemInvite(code, `${ns}-x`, T0 + MIN), directory.redeemInvite(code, `${ns}-y`, T0 + MIN)]);
        const winners = [x, y].filter((r) => r !== null);
        expect(winners).toHaveLength(1);
        expect(winners[0]).toMatchObject({ code, unitId: unit('u'), usedAt: T0 + MIN });
        expect([`${ns}-x`, `${ns}-y`]).toContain(winners[0]!.usedBy);
        expect(await directory.redeemInvite(code, `${ns}-z`, T0 + 2 * MIN)).toBeNull();

        const old = `old-${ns}`;
        await directory.putInvite({ code: old, unitId: unit('u'), createdBy: 'op-1', createdAt: T0, expiresAt: T0 + DAY });
        expect(await directory.redeemInvite(old, `${ns}-x`, T0 + DAY)).toBeNull();
        expect(await directory.redeemInvite(`none-${ns}`, `${ns}-x`, T0)).toBeNull();
      });

      it('knowledge base: put, get, list newest first, delete', async () => {
        const a = { id: `${ns}-kb1`, title: '办理居住证', answer: '携带身份证到派出所办理', keywords: ['居住证'], updatedAt: T0 };
        const b = { id: `${ns}-kb2`, title: '公交卡挂失', answer: '到服务网点挂失', keywords: ['公交'], category: '交通', unitId: unit('u'), updatedAt: T0 + MIN };
        await directory.putKb(a);
        await directory.putKb(b);
        expect(await directory.getKb(b.id)).toEqual(b);
        expect((await directory.listKb()).filter((k) => k.id.startsWith(ns))).toEqual([b, a]);
        await directory.putKb({ ...a, answer: '新的答复', updatedAt: T0 + 2 * MIN });
        expect((await directory.listKb()).filter((k) => k.id.startsWith(ns)).map((k) => k.id)).toEqual([a.id, b.id]);
        await directory.deleteKb(a.id);
        expect(await directory.getKb(a.id)).toBeNull();
        await directory.deleteKb(a.id);
        expect((await directory.listKb()).filter((k) => k.id.startsWith(ns))).toEqual([b]);
      });

      it('scenes and settings', async () => {
        const scene = { id: `s${ns}`, place: '人民公园东门', area: 'xc', grid: 'g-01', category: '市政设施', createdAt: T0 };
        await directory.putScene(scene);
        expect(await directory.getScene(scene.id)).toEqual(scene);
        expect(await directory.getScene(`s${ns}x`)).toBeNull();
        expect((await directory.listScenes()).filter((x) => x.id === scene.id)).toEqual([scene]);

        const key = `profile-${ns}`;
        expect(await directory.getSetting(key)).toBeNull();
        await directory.putSetting(key, { id: 'pingli', overrides: [{ path: 'a.b', value: 3 }] });
        expect(await directory.getSetting(key)).toEqual({ id: 'pingli', overrides: [{ path: 'a.b', value: 3 }] });
        await directory.putSetting(key, 'baiyin');
        expect(await directory.getSetting<string>(key)).toBe('baiyin');
      });

      it('deliveries: a dedupe key is recorded once; updates and the newest-first list', async () => {
        const user = `${ns}-staff`;
        const notice = (at: number): Notice => ({ template: 'dueSoon', ticketId: 't-1', ticketNumber: 'PL1', title: '路灯不亮', status: '办理中', summary: '即将超期', at, page: '/pages/ticket/index?id=t-1' });
        const rec = (id: string, key: string, at: number): DeliveryRecord => ({ id, dedupeKey: key, userId: user, template: 'dueSoon', ticketId: 't-1', notice: notice(at), status: 'pending', attempts: 0, createdAt: at, updatedAt: at });
        expect(await directory.beginDelivery(rec(`${ns}-1`, `k-${ns}-1`, T0))).toBe(true);
        expect(await directory.beginDelivery(rec(`${ns}-2`, `k-${ns}-1`, T0 + MIN))).toBe(false);
        expect(await directory.beginDelivery(rec(`${ns}-3`, `k-${ns}-2`, T0 + 2 * MIN))).toBe(true);
        await directory.updateDelivery(`${ns}-1`, { status: 'undeliverable', attempts: 1, errorCode: '43101', updatedAt: T0 + 3 * MIN });
        const list = await directory.listDeliveries(user, 10);
        expect(list.map((d) => d.id)).toEqual([`${ns}-3`, `${ns}-1`]);
        expect(list[1]).toEqual({ ...rec(`${ns}-1`, `k-${ns}-1`, T0), status: 'undeliverable', attempts: 1, errorCode: '43101', updatedAt: T0 + 3 * MIN });
        expect(await directory.listDeliveries(user, 1)).toHaveLength(1);
        expect(await directory.listDeliveries(`${ns}-nobody`, 10)).toEqual([]);
      });

      it('subscription credits per user and template', async () => {
        const user = `${ns}-u`;
        expect(await directory.credits(user)).toEqual({});
        expect(await directory.takeCredit(user, 'dueSoon')).toBe(false);
        expect(await directory.addCredits(user, 'dueSoon', 2)).toBe(2);
        expect(await directory.addCredits(user, 'dueSoon', 1)).toBe(3);
        expect(await directory.addCredits(user, 'progress', 1)).toBe(1);
        expect(await directory.credits(user)).toEqual({ dueSoon: 3, progress: 1 });
        const taken = await Promise.all([1, 2, 3, 4].map(() => directory.takeCredit(user, 'dueSoon')));
        expect(taken.filter(Boolean)).toHaveLength(3);
        expect(await directory.credits(user)).toEqual({ dueSoon: 0, progress: 1 });
        expect(await directory.credits(`${ns}-other`)).toEqual({});
      });

      it('rate hits count within a sliding window, per key', async () => {
        const key = `submit:${ns}`;
        expect(await directory.hit(key, 10 * MIN, T0)).toBe(1);
        expect(await directory.hit(key, 10 * MIN, T0 + MIN)).toBe(2);
        expect(await directory.hit(key, 10 * MIN, T0 + 5 * MIN)).toBe(3);
        expect(await directory.hit(`lookup:${ns}`, 10 * MIN, T0 + 5 * MIN)).toBe(1);
        // T0 has left the window (T0+10min-10min, T0+10min]; T0+1min and T0+5min remain.
        expect(await directory.hit(key, 10 * MIN, T0 + 10 * MIN)).toBe(3);
        expect(await directory.hit(key, 10 * MIN, T0 + 30 * MIN)).toBe(1);
      });
    });
  });
}
