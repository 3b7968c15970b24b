/**
 * Audit: the event history is append-only, and every operator action on a ticket is in it with
 * who and when.
 *
 * - The database refuses to change an event, however the SQL is written (UPDATE, DELETE, an
 *   upsert, INSERT OR REPLACE / REPLACE), on the runtime's own connection and on a second one.
 * - No code under cloudfunctions/ contains SQL or CloudBase calls that change an event (a scanner,
 *   checked first against planted examples so it cannot pass by matching nothing).
 * - Each operator command leaves one event carrying the operator's user id, the role
 *   and the instant of the call.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createRig, dispatched, MIN, REPO, type Rig } from '../support/reliabilityHarness';
import type { TicketEvent } from '../../shared/contracts/ticket';
import { recordFigure } from './figures';
import { commandsAcceptedBy } from '../../shared/workflow/transitions';

const started = Date.now();
/** Attempts to change an event that the database refused (counted as they pass). */
let refusedAttempts = 0;
let rig: Rig;
beforeAll(async () => {
  rig = await createRig();
});
afterAll(async () => {
  await rig.close();
});

const historyOf = (id: string) => rig.deps.db.prepare('SELECT ticket_id, seq, at, type, actor_id, doc FROM events WHERE ticket_id = ? ORDER BY seq').all(id);

describe('the database refuses to change an event', () => {
  const attempts: [string, string][] = [
    ['UPDATE of one column', "UPDATE events SET type = 'forged' WHERE ticket_id = @id AND seq = 1"],
    ['UPDATE of the document', "UPDATE events SET doc = json_set(doc, '$.actor.userId', 'someone-else') WHERE ticket_id = @id"],
    ['UPDATE of every row', 'UPDATE events SET at = 0'],
    ['DELETE of one event', 'DELETE FROM events WHERE ticket_id = @id AND seq = 2'],
    ['DELETE of every event', 'DELETE FROM events'],
    ['upsert that updates on conflict', "INSERT INTO events (ticket_id, seq, at, type, actor_id, doc) VALUES (@id, 1, 0, 'forged', 'x', '{}') ON CONFLICT (ticket_id, seq) DO UPDATE SET type = 'forged'"],
    ['INSERT OR REPLACE over an existing event', "INSERT OR REPLACE INTO events (ticket_id, seq, at, type, actor_id, doc) VALUES (@id, 1, 0, 'forged', 'x', '{}')"],
    ['REPLACE INTO over an existing event', "REPLACE INTO events (ticket_id, seq, at, type, actor_id, doc) VALUES (@id, 2, 0, 'forged', 'x', '{}')"],
  ];

  /** A fresh ticket per attempt, so one attempt that gets through cannot spoil the next. */
  async function tryOn(db: Database.Database, sql: string) {
    const id = (await dispatched(rig)).id;
    const before = historyOf(id);
    expect(before).toHaveLength(3);
    expect(() => db.prepare(sql).run(sql.includes('@id') ? { id } : {})).toThrow(/append-only|constraint/i);
    // Whatever was tried, the history is as it was.
    expect(historyOf(id)).toEqual(before);
    refusedAttempts++;
  }

  it.each(attempts)('%s on the runtime connection', async (_name, sql) => {
    await tryOn(rig.deps.db, sql);
  });

  it.each(attempts)('%s on a second connection to the same file', async (_name, sql) => {
    const other = new Database(path.join(rig.dir, 'mashang.db'));
    try {
      await tryOn(other, sql);
    } finally {
      other.close();
    }
  });

  it('deleting a ticket that has events is refused too (the events would lose their ticket)', async () => {
    const id = (await dispatched(rig)).id;
    expect(() => rig.deps.db.prepare('DELETE FROM tickets WHERE id = ?').run(id)).toThrow(/FOREIGN KEY|append-only/i);
    expect(historyOf(id)).toHaveLength(3);
  });
});

// ---------------------------------------------------------------------------------------------
// No code changes an event
// ---------------------------------------------------------------------------------------------

/** Each pattern names one way to change or remove a stored event. */
const EVENT_WRITES: [string, RegExp][] = [
  ['SQL UPDATE of events', /\bUPDATE\s+(?:OR\s+\w+\s+)?["'`]?events["'`]?\s+SET\b/i],
  ['SQL DELETE from events', /\bDELETE\s+FROM\s+["'`]?events["'`]?(?:\s|;|$|`|'|")/i],
  ['SQL REPLACE into events', /\b(?:INSERT\s+OR\s+REPLACE|REPLACE)\s+INTO\s+["'`]?events\b/i],
  ['SQL upsert that updates events', /\bINTO\s+["'`]?events\b[^;]*?\bON\s+CONFLICT\b[^;]*?\bDO\s+UPDATE\b/i],
  ['SQL that drops the append-only triggers or the table', /\bDROP\s+(?:TRIGGER|TABLE)\s+(?:IF\s+EXISTS\s+)?["'`]?(?:events\b|events_no_)/i],
  ['recursive triggers switched off', /recursive_triggers\s*=\s*(?:OFF|0|false)/i],
  ['CloudBase: an event document updated, set or removed', /(?:eventsColl|collection\(\s*(?:EVENTS|["'`]events["'`])\s*\))(?:\s*\.\s*(?:doc|where)\((?:[^()]|\([^()]*\))*\))*\s*\.\s*(?:update|set|remove)\s*\(/],
];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(?:ts|js|mjs|cjs|sql)$/.test(entry.name)) out.push(full);
  }
  return out;
}

function eventWrites(source: string): string[] {
  return EVENT_WRITES.filter(([, re]) => re.test(source)).map(([name]) => name);
}

describe('no code under cloudfunctions/ changes an event', () => {
  it('the scanner finds each planted way of changing an event (positive controls)', () => {
    const planted: [string, string][] = [
      ['SQL UPDATE of events', "db.prepare('UPDATE events SET doc = ? WHERE ticket_id = ?')"],
      ['SQL DELETE from events', 'db.exec(`DELETE FROM events WHERE ticket_id = ${id}`)'],
      ['SQL REPLACE into events', "db.prepare('INSERT OR REPLACE INTO events (ticket_id, seq) VALUES (?, ?)')"],
      ['SQL REPLACE into events', "db.prepare('REPLACE INTO events VALUES (?)')"],
      ['SQL upsert that updates events', "'INSERT INTO events (a) VALUES (1) ON CONFLICT (a) DO UPDATE SET a = 2'"],
      ['SQL that drops the append-only triggers or the table', "db.exec('DROP TRIGGER IF EXISTS events_no_update')"],
      ['recursive triggers switched off', "db.pragma('recursive_triggers = OFF')"],
      ['CloudBase: an event document updated, set or removed', 'await this.eventsColl.doc(eventDocId(t, s)).update({ event })'],
      ['CloudBase: an event document updated, set or removed', "await tx.collection(EVENTS).doc(id).remove()"],
      ['CloudBase: an event document updated, set or removed', "await db.collection('events').where({ ticketId }).remove()"],
    ];
    for (const [name, snippet] of planted) expect(eventWrites(snippet)).toContain(name);
    // ...and stays quiet on the lines the schema and the adapters really contain.
    for (const harmless of [
      'CREATE TRIGGER events_no_update BEFORE UPDATE ON events',
      "INSERT INTO events (ticket_id, seq, at, type, actor_id, doc) VALUES (@ticket_id, @seq, @at, @type, @actor_id, @doc)",
      'await this.eventsColl.add(eventDoc(e))',
      "UPDATE alarms SET status = 'cancelled' WHERE ticket_id = ?",
    ]) {
      expect(eventWrites(harmless)).toEqual([]);
    }
  });

  it('finds none in the code', () => {
    const files = sourceFiles(path.join(REPO, 'cloudfunctions'));
    expect(files.length).toBeGreaterThan(20);
    const found = files.flatMap((f) => eventWrites(fs.readFileSync(f, 'utf8')).map((what) => `${path.relative(REPO, f)}: ${what}`));
    expect(found).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Operator actions: who and when
// ---------------------------------------------------------------------------------------------

describe('every operator action is in the history with who and when', () => {
  const OPERATORS = ['audit-op-1', 'audit-op-2'];
  /** (ticket id, command type) → the instant and the operator of the call. */
  const acted: { ticketId: string; type: string; at: number; by: string; seq: number }[] = [];
  let turn = 0;

  beforeAll(async () => {
    for (const id of OPERATORS) await rig.deps.directory.putUser({ id, name: `审计${id}`, roles: ['operator'] });
  });

  /** One operator command at a fresh instant, by the next operator in turn. */
  async function op(command: Record<string, unknown>) {
    rig.clock.advance(MIN);
    const by = OPERATORS[turn++ % OPERATORS.length]!;
    const r = await rig.command(by, 'operator', command);
    acted.push({ ticketId: String(command.ticketId), type: String(command.type), at: rig.clock.now(), by, seq: r.event.seq });
    return r;
  }

  it('covers all operator commands', async () => {
    // accept → dispatch → return (rejected, then approved) → dispatch again → extension (both ways)
    // → result (sent back, then approved) → revisit → requestRework → supervise → escalate → terminate.
    const a = await rig.submit('demo-resident');
    const id = a.ticket.id;
    await op({ type: 'accept', ticketId: id, note: '受理' });
    await op({ type: 'dispatch', ticketId: id, mode: 'single', unitIds: ['u-chengguan'] });
    await rig.command('demo-staff-cg', 'staff', { type: 'requestReturn', ticketId: id, reason: '不属于本单位职责' });
    await op({ type: 'reviewReturn', ticketId: id, approve: false, note: '属于职责范围' });
    await rig.command('demo-staff-cg', 'staff', { type: 'requestReturn', ticketId: id, reason: '确不属于本单位职责' });
    await op({ type: 'reviewReturn', ticketId: id, approve: true });
    await op({ type: 'dispatch', ticketId: id, mode: 'lead', unitIds: ['u-dongqu'], assistUnitIds: ['u-chengguan'] });
    await rig.command('demo-staff-dq', 'staff', { type: 'sign', ticketId: id });
    await rig.command('demo-staff-dq', 'staff', { type: 'requestExtension', ticketId: id, reason: '需协调多个部门' });
    await op({ type: 'reviewExtension', ticketId: id, approve: false, note: '理由不充分' });
    await rig.command('demo-staff-dq', 'staff', { type: 'requestExtension', ticketId: id, reason: '需协调多个部门，确需延期' });
    await op({ type: 'reviewExtension', ticketId: id, approve: true });
    await rig.command('demo-staff-dq', 'staff', { type: 'contact', ticketId: id, method: 'phone', note: '已电话联系诉求人' });
    await rig.command('demo-staff-dq', 'staff', { type: 'reply', ticketId: id, result: '已清运，经现场核实已办结', handler: '孙磊' });
    await op({ type: 'reviewResult', ticketId: id, approve: false, note: '请补充现场照片' });
    await rig.command('demo-staff-dq', 'staff', { type: 'reply', ticketId: id, result: '已清运并加派车辆，经现场核实已办结', handler: '孙磊' });
    await op({ type: 'reviewResult', ticketId: id, approve: true });
    await op({ type: 'recordRevisit', ticketId: id, method: 'phone', result: '电话回访，诉求人反映仍有异味', words: '垃圾是运走了，味道还在' });
    await op({ type: 'revisit', ticketId: id, value: 'dissatisfied', reason: '仍有异味', method: 'phone' });
    await op({ type: 'requestRework', ticketId: id, reason: '回访不满意，重新办理' });
    await op({ type: 'classify', ticketId: id, urgency: 'urgent', reason: '涉及老人出行安全' });
    await op({ type: 'supervise', ticketId: id, level: 1, method: 'written', trigger: 'leader-instruction' });
    await op({ type: 'escalate', ticketId: id, note: '提请政务督查' });
    await op({ type: 'terminate', ticketId: id, reason: '诉求人失联，无法继续办理', groundCode: 'uncooperative' });

    // baiyin 19(2): a unit proposes termination with proof; the operator decides it.
    const p = await rig.submit('demo-resident');
    await op({ type: 'accept', ticketId: p.ticket.id });
    await op({ type: 'dispatch', ticketId: p.ticket.id, mode: 'single', unitIds: ['u-chengguan'] });
    await rig.command('demo-staff-cg', 'staff', { type: 'sign', ticketId: p.ticket.id });
    await rig.command('demo-staff-cg', 'staff', { type: 'proposeTermination', ticketId: p.ticket.id, groundCode: 'uncooperative', reason: '诉求人拒绝核实', attachments: [await rig.upload('demo-staff-cg')] });
    await op({ type: 'reviewTermination', ticketId: p.ticket.id, approve: false, note: '请再次预约核实' });

    const b = await rig.submit('demo-resident2');
    await op({ type: 'refuse', ticketId: b.ticket.id, groundCode: 'out-of-jurisdiction', note: '不属于本市' });

    // Two requests about one matter: linked as duplicates, then one merged into the other (issue 15 item 2).
    rig.clock.advance(61 * MIN); // past the hourly submission limit the earlier steps used up
    const l1 = await rig.submit('demo-resident', { content: '幸福路口的路灯连续三晚不亮，行人过马路很危险' });
    const l2 = await rig.submit('demo-resident2', { content: '幸福路口路灯坏了好几天了，晚上一片漆黑' });
    await op({ type: 'link', ticketId: l1.ticket.id, otherNumber: l2.ticket.number, kind: 'duplicate', note: '同一路口的路灯' });
    await op({ type: 'merge', ticketId: l2.ticket.id, intoNumber: l1.ticket.number, note: '合并办理' });

    const c = await rig.submit('demo-resident', { type: 'consultation', category: '社会保障', content: '社保卡丢失了怎么补办？需要带什么材料？' });
    await op({ type: 'answer', ticketId: c.ticket.id, answer: '携带身份证到社保卡服务网点补办。', articleId: 'kb-shebaoka' });
    await op({ type: 'close', ticketId: c.ticket.id, note: '已答复归档' });
    // baiyin 29: an improper request is recorded, the requester objects, the operator decides.
    await op({ type: 'recordMalicious', ticketId: c.ticket.id, groundCode: 'abuse-resources', note: '一天内来电二十余次' });
    await rig.command('demo-resident', 'resident', { type: 'objectMalicious', ticketId: c.ticket.id, reason: '确有急事' });
    await op({ type: 'reviewObjection', ticketId: c.ticket.id, upheld: false, note: '通话记录属实' });

    // A matter for an emergency line is handed to it (issue 15 item 4).
    const e = await rig.submit('demo-resident2', { content: '小区门口有人持刀争吵，情况危险，请马上处理！' });
    await op({ type: 'handOffEmergency', ticketId: e.ticket.id, line: '110', note: '已电话转110' });

    // A confidential request: the unit asks for a relayed call, an operator records it (issue 15).
    const d = await rig.submit('demo-resident2', { confidential: true });
    await op({ type: 'accept', ticketId: d.ticket.id });
    await op({ type: 'dispatch', ticketId: d.ticket.id, mode: 'single', unitIds: ['u-chengguan'] });
    await rig.command('demo-staff-cg', 'staff', { type: 'sign', ticketId: d.ticket.id });
    await rig.ok('demo-staff-cg', 'staff', { action: 'relayCall', ticketId: d.ticket.id, note: '请平台转接' });
    await op({ type: 'relayDone', ticketId: d.ticket.id, result: 'reached', note: '已三方通话' });
    // Unclear duties: the unit asks for coordination, the operator decides the unit with its basis.
    await rig.command('demo-staff-cg', 'staff', { type: 'requestCoordination', ticketId: d.ticket.id, reason: '职责边界不清' });
    await op({ type: 'coordinate', ticketId: d.ticket.id, unitId: 'u-chengguan', basis: '联席会议确定由城管局办理' });

    // Clock pauses exist only where a profile has them (anshan: 回避决定期间).
    const anshan = await createRig({ profile: 'anshan', now: rig.clock.now() });
    try {
      await anshan.deps.directory.putUser({ id: 'audit-op-1', name: '审计', roles: ['operator'] });
      const t = await dispatched(anshan, { operatorId: 'audit-op-1' });
      await anshan.command('demo-staff-cg', 'staff', { type: 'sign', ticketId: t.id });
      anshan.clock.advance(MIN);
      const pausedAt = anshan.clock.now();
      await anshan.command('audit-op-1', 'operator', { type: 'pauseClock', ticketId: t.id, code: 'recusal' });
      anshan.clock.advance(MIN);
      const resumedAt = anshan.clock.now();
      await anshan.command('audit-op-1', 'operator', { type: 'resumeClock', ticketId: t.id });
      const events = await anshan.events(t.id);
      const pause = events.find((e) => e.type === 'pauseClock')!;
      const resume = events.find((e) => e.type === 'resumeClock')!;
      expect([pause.actor, pause.at]).toEqual([{ userId: 'audit-op-1', role: 'operator' }, pausedAt]);
      expect([resume.actor, resume.at]).toEqual([{ userId: 'audit-op-1', role: 'operator' }, resumedAt]);
      acted.push({ ticketId: t.id, type: 'pauseClock', at: pausedAt, by: 'audit-op-1', seq: pause.seq }, { ticketId: t.id, type: 'resumeClock', at: resumedAt, by: 'audit-op-1', seq: resume.seq });
      // anshan 23(3): the unit disputes the rating, the operator re-rates.
      await anshan.command('demo-staff-cg', 'staff', { type: 'contact', ticketId: t.id, method: 'phone', note: '已电话联系诉求人' });
      await anshan.command('demo-staff-cg', 'staff', { type: 'reply', ticketId: t.id, result: '已组织清运，现场已清理干净', handler: '孙磊', noCaseReason: '现场整改完毕' });
      await anshan.command('audit-op-1', 'operator', { type: 'reviewResult', ticketId: t.id, approve: true });
      await anshan.command('demo-resident', 'resident', { type: 'rate', ticketId: t.id, value: '1', reason: '没有清运' });
      await anshan.command('demo-staff-cg', 'staff', { type: 'disputeRating', ticketId: t.id, reason: '现场照片显示已清运' });
      anshan.clock.advance(MIN);
      const reratedAt = anshan.clock.now();
      await anshan.command('audit-op-1', 'operator', { type: 'reviewDispute', ticketId: t.id, upheld: true, value: '4', note: '照片属实' });
      const rerate = (await anshan.events(t.id)).find((e) => e.type === 'reviewDispute')!;
      expect([rerate.actor, rerate.at]).toEqual([{ userId: 'audit-op-1', role: 'operator' }, reratedAt]);
      acted.push({ ticketId: t.id, type: 'reviewDispute', at: reratedAt, by: 'audit-op-1', seq: rerate.seq });
    } finally {
      await anshan.close();
    }

    // pingli 31: a unit appeals how the ticket is counted, the operator decides.
    const pingli = await createRig({ profile: 'pingli', now: rig.clock.now() });
    try {
      await pingli.deps.directory.putUser({ id: 'audit-op-1', name: '审计', roles: ['operator'] });
      const t = await dispatched(pingli, { operatorId: 'audit-op-1' });
      await pingli.command('demo-staff-cg', 'staff', { type: 'sign', ticketId: t.id });
      await pingli.command('demo-staff-cg', 'staff', { type: 'appealCounting', ticketId: t.id, groundCode: 'not-duty', metrics: ['response'], reason: '不属于本单位职责' });
      pingli.clock.advance(MIN);
      const decidedAt = pingli.clock.now();
      await pingli.command('audit-op-1', 'operator', { type: 'reviewAppeal', ticketId: t.id, upheld: false, note: '属于本单位职责' });
      const review = (await pingli.events(t.id)).find((e) => e.type === 'reviewAppeal')!;
      expect([review.actor, review.at]).toEqual([{ userId: 'audit-op-1', role: 'operator' }, decidedAt]);
      acted.push({ ticketId: t.id, type: 'reviewAppeal', at: decidedAt, by: 'audit-op-1', seq: review.seq });
    } finally {
      await pingli.close();
    }

    // Every call is one event: same type, same operator, same instant, role operator.
    const checked: string[] = [];
    for (const act of acted.filter((x) => x.type !== 'pauseClock' && x.type !== 'resumeClock' && x.type !== 'reviewDispute' && x.type !== 'reviewAppeal')) {
      const events = await rig.events(act.ticketId);
      const e = events.find((x) => x.seq === act.seq) as TicketEvent;
      expect({ type: e.type, userId: e.actor.userId, role: e.actor.role, at: e.at }).toEqual({ type: act.type, userId: act.by, role: 'operator', at: act.at });
      checked.push(act.type);
    }
    const types = new Set(acted.map((x) => x.type));
    expect([...types].sort()).toEqual([...commandsAcceptedBy('operator')].sort());

    // Both operators appear, so the id is the caller's and not a constant.
    expect(new Set(acted.map((x) => x.by))).toEqual(new Set(OPERATORS));

    // The operator's view shows the same who and when (the history is what the timeline reads).
    const detail = await rig.ok<{ timeline: { seq: number; type: string; at: number; actor: { userId: string; role: string } }[] }>('demo-operator', 'operator', { action: 'get', ticketId: id });
    for (const act of acted.filter((x) => x.ticketId === id)) {
      const item = detail.timeline.find((x) => x.seq === act.seq)!;
      expect({ type: item.type, at: item.at, userId: item.actor.userId }).toEqual({ type: act.type, at: act.at, userId: act.by });
    }
    recordFigure('audit', { operatorActionsChecked: acted.length, operatorCommandTypes: types.size, eventWriteAttemptsRefused: refusedAttempts, ms: Date.now() - started });
  });
});
