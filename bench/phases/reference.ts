/**
 * (3) the physical reference: the rows one submission stores (ticket, its first event, its
 * alarms), inserted with raw prepared statements, one IMMEDIATE transaction per submission, on a
 * database opened by the product's openDatabase (same schema, WAL, synchronous NORMAL). Rows are
 * built before the clock starts, so only SQLite is timed.
 */
import path from 'node:path';
import { openDatabase } from '../../cloudfunctions/adapters/sqlite/db';
import { contentHash } from '../../cloudfunctions/lib/contentHash';
import { WorkingCalendar } from '../../shared/calendar';
import { submitInputSchema } from '../../shared/contracts/commands';
import { getProfile } from '../../shared/profiles';
import { alarmsFor, openTicket } from '../../shared/workflow';
import { QUICK, removeDir, tempDir } from '../lib/env';
import { AREAS, CATEGORIES, TYPE_MIX, prng, requestContent } from '../lib/prng';

export interface ReferenceResult {
  rows: number;
  alarmsPerTicket: number;
  ms: number;
  cpuMs: number;
  perSecond: number;
  /** The same plus the rate-limit hit and the operator's delivery row: everything a submission writes, in one transaction. */
  allRowsPerSecond: number;
}

const TICKET_COLS = ['id', 'number', 'version', 'state', 'profile_id', 'type', 'category', 'area', 'requester_id', 'reporter_id', 'lead_unit', 'client_request_id', 'content_hash', 'created_at', 'updated_at', 'next_due_at', 'resolved_at', 'closed_at', 'overdue', 'supervision_level', 'reworks', 'doc'];

export function runReference(log: (s: string) => void): ReferenceResult {
  const n = QUICK ? 5_000 : 20_000;
  const profile = getProfile('baiyin');
  const calendar = new WorkingCalendar([]);
  const r = prng(777);
  const now = Date.now();
  // The rows of n real submissions, from the domain, as SqliteTicketStore would write them.
  const rows = Array.from({ length: n }, (_, i) => {
    const user = `bench-r${String(i % 20_000).padStart(6, '0')}`;
    const input = submitInputSchema.parse({
      clientRequestId: `ref-${i}-abcdefgh`,
      type: r.weighted(TYPE_MIX),
      category: r.pick(CATEGORIES),
      content: requestContent(r, i),
      location: { area: r.pick(AREAS) },
      contact: { name: `居民${i}`, phone: `138${String(i).padStart(8, '0')}` },
    });
    const at = now + i;
    const o = openTicket(input, { userId: user, role: 'resident' }, { now: at, profile, calendar }, { ticketId: `t${at.toString(36)}${r.chars(10)}`, number: `MREF${String(i).padStart(9, '0')}` });
    const t = o.ticket;
    return {
      ticket: [t.id, t.number, 1, t.state, t.profileId, t.type, t.category, t.location.area ?? null, user, user, null, t.clientRequestId, contentHash(t.content), t.createdAt, t.updatedAt, t.nextDueAt, null, null, 0, 0, 0, JSON.stringify(t)],
      event: [t.id, 1, at, 'submit', user, JSON.stringify(o.event)],
      alarms: alarmsFor(t, profile).map((a) => [a.key, a.ticketId, a.deadline, a.kind, a.threshold, a.fireAt, a.dueAt, a.owner]),
      hit: [`submit:${user}`, at, at + 3_600_000],
      delivery: [`${o.event.id}:review:demo-operator`, 'demo-operator', 'review', t.id, at, JSON.stringify({ template: 'review', ticketId: t.id, title: t.title, summary: '有新的诉求待受理', at })],
    };
  });

  const measure = (all: boolean) => {
    const dir = tempDir('reference');
    const db = openDatabase(path.join(dir, 'mashang.db'));
    try {
      const ins = {
        ticket: db.prepare(`INSERT INTO tickets (${TICKET_COLS.join(', ')}) VALUES (${TICKET_COLS.map(() => '?').join(', ')})`),
        event: db.prepare('INSERT INTO events (ticket_id, seq, at, type, actor_id, doc) VALUES (?, ?, ?, ?, ?, ?)'),
        alarm: db.prepare("INSERT INTO alarms (key, ticket_id, deadline, kind, threshold, fire_at, due_at, owner, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending')"),
        hit: db.prepare('INSERT INTO rate_hits (key, at, expires_at) VALUES (?, ?, ?)'),
        delivery: db.prepare("INSERT INTO deliveries (id, dedupe_key, user_id, template, ticket_id, status, attempts, created_at, updated_at, notice) VALUES (?, ?, ?, ?, ?, 'delivered', 1, ?, ?, ?)"),
      };
      const tx = db.transaction((row: (typeof rows)[number]) => {
        ins.ticket.run(row.ticket);
        ins.event.run(row.event);
        for (const a of row.alarms) ins.alarm.run(a);
        if (all) {
          ins.hit.run(row.hit);
          const [id, user, template, ticketId, at, notice] = row.delivery;
          ins.delivery.run(id, id, user, template, ticketId, at, at, notice);
        }
      });
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      for (const row of rows) tx.immediate(row);
      const ms = performance.now() - t0;
      const c = process.cpuUsage(c0);
      return { ms, cpuMs: (c.user + c.system) / 1000 };
    } finally {
      db.close();
      removeDir(dir);
    }
  };
  const base = measure(false);
  const all = measure(true);
  const res: ReferenceResult = {
    rows: n,
    alarmsPerTicket: rows.reduce((s, x) => s + x.alarms.length, 0) / n,
    ms: base.ms,
    cpuMs: base.cpuMs,
    perSecond: (n / base.ms) * 1000,
    allRowsPerSecond: (n / all.ms) * 1000,
  };
  log(`  raw inserts (ticket + event + ${res.alarmsPerTicket.toFixed(1)} alarms per transaction): ${res.perSecond.toFixed(0)}/s (cpu ${((base.cpuMs / n) * 1000).toFixed(0)} µs each); with the rate hit and delivery row too: ${res.allRowsPerSecond.toFixed(0)}/s`);
  return res;
}
