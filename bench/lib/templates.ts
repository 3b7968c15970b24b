/**
 * Template tickets: a few hundred tickets driven through the real domain (openTicket, decide,
 * alarmsFor) and saved by the real SqliteTicketStore in memory. Their stored rows (tickets,
 * ticket_units, events, alarms) are then compiled into recipes the generator fills with new ids,
 * people, units, texts and a time shift: 1M realistic tickets without running the domain 1M times.
 */
import type { Database } from 'better-sqlite3';
import { openDatabase } from '../../cloudfunctions/adapters/sqlite/db';
import { SqliteTicketStore } from '../../cloudfunctions/adapters/sqlite/ticketStore';
import { commandSchemas, submitInputSchema, type Command } from '../../shared/contracts/commands';
import type { Actor } from '../../shared/contracts/common';
import type { Ticket } from '../../shared/contracts/ticket';
import { WorkingCalendar } from '../../shared/calendar';
import { getProfile, type PolicyProfile, type RequestType } from '../../shared/profiles';
import { alarmsFor, decide, openTicket } from '../../shared/workflow';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
/** Monday 2025-03-03 09:30 in Shanghai: templates start on this day of their weekday's week. */
export const TEMPLATE_MONDAY = Date.UTC(2025, 2, 3, 1, 30);

/** Placeholders the template rows carry; the generator replaces each by the clone's value. */
export const SLOTS = {
  id: 'tTPLID0000000',
  number: 'MTPLNUM00000',
  user: 'TPLUSER000',
  name: 'TPLNAME000',
  phone: '13900000000',
  content: 'TPLCONTENT000',
  category: 'TPLCATEGORY0',
  area: 'TPLAREA000',
  unitA: 'TPLUNITA00',
  unitB: 'TPLUNITB00',
  staffA: 'TPLSTAFFA0',
  staffB: 'TPLSTAFFB0',
  clientId: 'TPLCLIENT0',
} as const;
export type SlotName = keyof typeof SLOTS;

type Who = 'operator' | 'lead' | 'assist' | 'requester' | 'system';
interface Step {
  /** Time since the previous step; a function for steps that wait for a deadline. */
  after: number | ((t: Ticket, now: number) => number);
  who: Who;
  cmd: Record<string, unknown> & { type: Command['type'] };
}

const OP: Actor = { userId: 'demo-operator', role: 'operator' };
const actors: Record<Who, Actor> = {
  operator: OP,
  lead: { userId: SLOTS.staffA, role: 'staff', unitId: SLOTS.unitA },
  assist: { userId: SLOTS.staffB, role: 'staff', unitId: SLOTS.unitB },
  requester: { userId: SLOTS.user, role: 'resident' },
  system: { userId: 'system', role: 'system' },
};

const s = (after: Step['after'], who: Who, cmd: Step['cmd']): Step => ({ after, who, cmd });
const accept = s(1 * HOUR, 'operator', { type: 'accept' });
const dispatchA = s(2 * HOUR, 'operator', { type: 'dispatch', mode: 'single', unitIds: [SLOTS.unitA] });
const signA = s(3 * HOUR, 'lead', { type: 'sign' });
const contactA = s(1 * HOUR, 'lead', { type: 'contact', method: 'phone', note: '已电话联系诉求人，约定上门查看' });
const replyA = s(3 * DAY, 'lead', { type: 'reply', result: '经现场核查，已责令整改并完成处理，诉求人已知悉。', handler: '王科长', notifiedBy: '电话' });
const review = s(4 * HOUR, 'operator', { type: 'reviewResult', approve: true });
const rateOk = s(1 * DAY, 'requester', { type: 'rate', value: 'satisfied' });
const rateBad = s(1 * DAY, 'requester', { type: 'rate', value: 'dissatisfied', reason: '问题没有彻底解决，过几天又出现了' });
const handled = [accept, dispatchA, signA, contactA, replyA, review];
/** Waits until an hour after the ticket's active handling deadline. */
const pastHandleDue = (t: Ticket, now: number) => Math.max(HOUR, (t.deadlines.find((d) => d.kind === 'handle' && d.status === 'active')?.dueAt ?? now) - now + HOUR);

/** The paths a ticket takes, each ending in the state it is stored in; `open` paths are only for recent tickets. */
export const PATHS: Record<string, { steps: Step[]; open: boolean; consultationOnly?: boolean; trigger?: boolean; maxAgeDays?: number }> = {
  submitted: { steps: [], open: true, maxAgeDays: 1 },
  submittedRepeat: { steps: [], open: true, trigger: true, maxAgeDays: 1 },
  accepted: { steps: [accept], open: true, maxAgeDays: 2 },
  dispatched: { steps: [accept, dispatchA], open: true, maxAgeDays: 3 },
  handling: { steps: [accept, dispatchA, signA, contactA], open: true, maxAgeDays: 14 },
  extensionRequested: { steps: [accept, dispatchA, signA, contactA, s(1 * DAY, 'lead', { type: 'requestExtension', reason: '涉及多个部门协调，需要延长办理期限' })], open: true, maxAgeDays: 14 },
  returnRequested: { steps: [accept, dispatchA, s(5 * HOUR, 'lead', { type: 'requestReturn', reason: '该事项不属于本单位职责范围', basis: '《城市管理职责清单》' })], open: true, maxAgeDays: 3 },
  replied: { steps: [accept, dispatchA, signA, contactA, replyA], open: true, maxAgeDays: 10 },
  resolved: { steps: handled, open: true, maxAgeDays: 20 },
  overdueSupervised: {
    steps: [accept, dispatchA, signA, s(pastHandleDue, 'system', { type: 'markOverdue', kinds: ['handle'] }), s(5 * 60_000, 'system', { type: 'supervise', level: 1, method: 'system', trigger: 'overdue' })],
    open: true,
    maxAgeDays: 40,
  },
  closedSatisfied: { steps: [...handled, rateOk], open: false },
  closedRevisit: { steps: [...handled, s(3 * DAY, 'operator', { type: 'revisit', value: 'satisfied', method: 'phone' })], open: false },
  closedReworkSatisfied: {
    steps: [...handled, rateBad, s(2 * HOUR, 'requester', { type: 'requestRework', reason: '问题没有彻底解决' }), contactA, replyA, review, rateOk],
    open: false,
  },
  closedDissatisfiedFinal: {
    steps: [...handled, rateBad, s(2 * HOUR, 'requester', { type: 'requestRework', reason: '问题没有彻底解决' }), replyA, review, rateBad],
    open: false,
  },
  closedExtended: {
    steps: [accept, dispatchA, signA, s(1 * DAY, 'lead', { type: 'requestExtension', reason: '需协调相关部门' }), s(4 * HOUR, 'operator', { type: 'reviewExtension', approve: true }), contactA, s(8 * DAY, 'lead', replyA.cmd), review, rateOk],
    open: false,
  },
  closedReturned: {
    steps: [
      accept, dispatchA, s(5 * HOUR, 'lead', { type: 'requestReturn', reason: '不属于本单位职责', basis: '职责清单' }), s(3 * HOUR, 'operator', { type: 'reviewReturn', approve: true }),
      s(2 * HOUR, 'operator', { type: 'dispatch', mode: 'single', unitIds: [SLOTS.unitB] }), s(3 * HOUR, 'assist', { type: 'sign' }),
      s(1 * HOUR, 'assist', contactA.cmd), s(3 * DAY, 'assist', replyA.cmd), review, rateOk,
    ],
    open: false,
  },
  closedLeadAssist: {
    steps: [
      accept, s(2 * HOUR, 'operator', { type: 'dispatch', mode: 'lead', unitIds: [SLOTS.unitA], assistUnitIds: [SLOTS.unitB] }), signA, s(1 * HOUR, 'assist', { type: 'sign' }),
      s(1 * DAY, 'assist', { type: 'assistFeedback', note: '协办单位已完成现场清理' }), contactA, s(2 * DAY, 'lead', replyA.cmd), review, rateOk,
    ],
    open: false,
  },
  closedOverdue: { steps: [accept, dispatchA, signA, s(pastHandleDue, 'system', { type: 'markOverdue', kinds: ['handle'] }), contactA, s(1 * DAY, 'lead', replyA.cmd), review, rateOk], open: false },
  answered: { steps: [s(2 * HOUR, 'operator', { type: 'answer', answer: '您好，该事项可携带身份证到就近政务服务中心办理。' })], open: false, consultationOnly: true },
  answeredClosed: { steps: [s(2 * HOUR, 'operator', { type: 'answer', answer: '您好，该事项可携带身份证到就近政务服务中心办理。' }), rateOk], open: false, consultationOnly: true },
  rejected: { steps: [s(3 * HOUR, 'operator', { type: 'refuse', groundCode: 'out-of-jurisdiction' })], open: false },
  withdrawn: { steps: [s(2 * HOUR, 'requester', { type: 'withdraw', note: '问题已自行解决' })], open: false },
  terminated: { steps: [accept, dispatchA, signA, s(2 * DAY, 'operator', { type: 'terminate', reason: '诉求人拒不配合核实，经审核终止办理', groundCode: 'uncooperative' })], open: false },
};
export type PathName = keyof typeof PATHS;

/** Share of old (> 30 days) tickets per closing path; recent tickets add the open paths. */
export const CLOSED_MIX: [PathName, number][] = [
  ['closedSatisfied', 38], ['closedRevisit', 14], ['closedReworkSatisfied', 5], ['closedDissatisfiedFinal', 4], ['closedExtended', 5],
  ['closedReturned', 3], ['closedLeadAssist', 5], ['closedOverdue', 4], ['answeredClosed', 7], ['answered', 3], ['rejected', 4],
  ['withdrawn', 3], ['terminated', 1], ['resolved', 2],
];
export const OPEN_MIX: [PathName, number][] = [
  ['submitted', 4], ['submittedRepeat', 1], ['accepted', 3], ['dispatched', 5], ['handling', 14], ['extensionRequested', 2], ['returnRequested', 1],
  ['replied', 4], ['resolved', 6], ['overdueSupervised', 2],
];

/** A column value: fixed, a time relative to the ticket's creation, or text with placeholders and times. */
type Part = string | { t: number } | { slot: SlotName };
type Cell = { k: 'const'; v: unknown } | { k: 'time'; off: number } | { k: 'text'; parts: Part[] };

export interface RowRecipe {
  cells: Cell[];
}

export interface AlarmInfo {
  /** Offset of fire_at from the ticket's creation. */
  fireOff: number;
  kind: string;
  status: string;
}

export interface Template {
  path: PathName;
  type: RequestType;
  weekday: number;
  createdAt: number;
  /** Offset of the last event: a clone must be at least this old. */
  span: number;
  state: string;
  open: boolean;
  ticket: RowRecipe;
  units: RowRecipe[];
  events: RowRecipe[];
  alarms: RowRecipe[];
  alarmInfo: AlarmInfo[];
}

export const TABLE_COLUMNS: Record<'tickets' | 'ticket_units' | 'events' | 'alarms', string[]> = {
  tickets: [],
  ticket_units: [],
  events: [],
  alarms: [],
};

const SLOT_RE = new RegExp(`(\\d{13})|(${Object.values(SLOTS).join('|')})`, 'g');
const SLOT_BY_TEXT = new Map<string, SlotName>(Object.entries(SLOTS).map(([k, v]) => [v, k as SlotName]));

function compileCell(v: unknown, base: number, lo: number, hi: number): Cell {
  if (typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi) return { k: 'time', off: v - base };
  if (typeof v !== 'string') return { k: 'const', v };
  const parts: Part[] = [];
  let last = 0;
  let dynamic = false;
  for (const m of v.matchAll(SLOT_RE)) {
    const at = m.index!;
    if (m[1] !== undefined) {
      const n = Number(m[1]);
      if (n < lo || n > hi) continue;
      if (at > last) parts.push(v.slice(last, at));
      parts.push({ t: n - base });
    } else {
      if (at > last) parts.push(v.slice(last, at));
      parts.push({ slot: SLOT_BY_TEXT.get(m[2]!)! });
    }
    dynamic = true;
    last = at + m[0].length;
  }
  if (!dynamic) return { k: 'const', v };
  if (last < v.length) parts.push(v.slice(last));
  return { k: 'text', parts };
}

function compileRow(row: Record<string, unknown>, cols: string[], base: number): RowRecipe {
  return { cells: cols.map((c) => compileCell(row[c], base, base - DAY, base + 400 * DAY)) };
}

/** Fills a recipe: `created` is the clone's creation instant, `slots` its values. */
export function fillRow(r: RowRecipe, created: number, slots: Record<SlotName, string>): unknown[] {
  const out = new Array<unknown>(r.cells.length);
  for (let i = 0; i < r.cells.length; i++) {
    const c = r.cells[i]!;
    if (c.k === 'const') out[i] = c.v;
    else if (c.k === 'time') out[i] = created + c.off;
    else {
      let s = '';
      for (const p of c.parts) s += typeof p === 'string' ? p : 't' in p ? String(created + p.t) : slots[p.slot];
      out[i] = s;
    }
  }
  return out;
}

function submitInput(type: RequestType) {
  return submitInputSchema.parse({
    clientRequestId: SLOTS.clientId,
    type,
    category: SLOTS.category,
    content: SLOTS.content,
    location: { area: SLOTS.area },
    contact: { name: SLOTS.name, phone: SLOTS.phone },
  });
}

/** Drives one template through the domain and the store, and compiles its rows. */
async function buildOne(db: Database, store: SqliteTicketStore, profile: PolicyProfile, calendar: WorkingCalendar, path: PathName, type: RequestType, weekday: number): Promise<Template> {
  const spec = PATHS[path]!;
  const created = TEMPLATE_MONDAY + weekday * DAY;
  const requester = actors.requester;
  const opened = openTicket(submitInput(type), requester, { now: created, profile, calendar }, { ticketId: SLOTS.id, number: SLOTS.number });
  if (spec.trigger) opened.ticket.supervision.triggers.push('repeated-requester');
  await store.create(opened.ticket, opened.event, alarmsFor(opened.ticket, profile));
  let t: Ticket = opened.ticket;
  let now = created;
  for (const step of spec.steps) {
    now += typeof step.after === 'number' ? step.after : step.after(t, now);
    const command = commandSchemas[step.cmd.type as keyof typeof commandSchemas].parse({ ...step.cmd, ticketId: SLOTS.id }) as Command;
    const d = decide(t, command, actors[step.who], { now, profile, calendar });
    if (!d.ok) throw new Error(`template ${path}/${type}: ${step.cmd.type} refused: ${d.code} ${d.message}`);
    await store.update(d.ticket, t.version, d.event, alarmsFor(d.ticket, profile));
    t = d.ticket;
  }
  const rows = {
    tickets: db.prepare('SELECT * FROM tickets WHERE id = ?').all(SLOTS.id) as Record<string, unknown>[],
    ticket_units: db.prepare('SELECT * FROM ticket_units WHERE ticket_id = ?').all(SLOTS.id) as Record<string, unknown>[],
    events: db.prepare('SELECT * FROM events WHERE ticket_id = ? ORDER BY seq').all(SLOTS.id) as Record<string, unknown>[],
    alarms: db.prepare('SELECT * FROM alarms WHERE ticket_id = ? ORDER BY fire_at, key').all(SLOTS.id) as Record<string, unknown>[],
  };
  for (const table of Object.keys(rows) as (keyof typeof rows)[]) {
    if (!TABLE_COLUMNS[table].length) TABLE_COLUMNS[table] = (db.prepare(`SELECT name FROM pragma_table_info('${table}')`).pluck().all() as string[]).filter((c) => c !== 'rowid');
  }
  const recipe = (table: keyof typeof rows) => rows[table].map((r) => compileRow(r, TABLE_COLUMNS[table], created));
  const template: Template = {
    path,
    type,
    weekday,
    createdAt: created,
    span: now - created,
    state: t.state,
    open: spec.open,
    ticket: recipe('tickets')[0]!,
    units: recipe('ticket_units'),
    events: recipe('events'),
    alarms: recipe('alarms'),
    alarmInfo: rows.alarms.map((a) => ({ fireOff: (a.fire_at as number) - created, kind: a.kind as string, status: a.status as string })),
  };
  // One in-memory store holds one template at a time (the facts too: the next template reuses the
  // ticket id, and its event marks would collide with this one's). The generated store gets its
  // facts from the store itself (StoreGenerator.close).
  db.exec(`PRAGMA foreign_keys = OFF; DELETE FROM alarms; DELETE FROM ticket_units; DROP TRIGGER events_no_delete; DELETE FROM events;
    CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
    DELETE FROM fact_marks; DELETE FROM fact_days; DELETE FROM ticket_facts; DELETE FROM fact_pending; DELETE FROM tickets; PRAGMA foreign_keys = ON;`);
  return template;
}

export const TYPES: RequestType[] = ['consultation', 'help', 'complaint', 'report', 'suggestion'];

/** Every (path, type, weekday) template, driven through the baiyin profile. */
export async function buildTemplates(): Promise<{ templates: Template[]; profile: PolicyProfile }> {
  const profile = getProfile('baiyin');
  const calendar = new WorkingCalendar([]);
  const db = openDatabase(':memory:');
  const store = new SqliteTicketStore(db);
  const templates: Template[] = [];
  for (const path of Object.keys(PATHS) as PathName[]) {
    for (const type of TYPES) {
      if (PATHS[path]!.consultationOnly && type !== 'consultation') continue;
      for (let w = 0; w < 7; w++) templates.push(await buildOne(db, store, profile, calendar, path, type, w));
    }
  }
  db.close();
  return { templates, profile };
}
