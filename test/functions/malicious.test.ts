/**
 * Issue 18 §5: improper (malicious) requests. An operator records one on a ground of the profile
 * with its article; the requester is told and may object; the operator decides; units never see
 * the record; and the record stops nothing: the request is handled, the next one is taken in.
 * Held over HTTP on fresh local runtimes, one per profile.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { startLiveRuntime, sh, type LiveRuntime } from '../support/runtime';

jest.setTimeout(180_000);

interface TimelineItem {
  type: string;
  label: string;
  note?: string;
  data?: Record<string, unknown>;
}
interface Detail {
  ticket: { id: string; state: string; malicious?: { groundCode: string; article: string; note: string; by: string; status: string; objection?: { reason: string; decided: boolean; upheld?: boolean; note?: string } } };
  timeline: TimelineItem[];
  actions: string[];
}

const NOTE = '来电中多次辱骂话务员，录音编号LY-0042已存档';

let n = 0;
function input() {
  n += 1;
  return {
    clientRequestId: `malicious-${String(n).padStart(4, '0')}-${Date.now()}`,
    type: 'help',
    category: '市容环境',
    content: `第${n}件：小区门口的路灯坏了很久，晚上出行不便。`,
    location: { address: '滨河公园南门', area: '东区街道' },
    contact: { name: '张明', phone: '13800001234' },
  };
}

async function dispatched(rt: LiveRuntime): Promise<string> {
  const s = await rt.ok<{ ticket: { id: string } }>('demo-resident', 'resident', { action: 'submit', input: input() });
  const id = s.ticket.id;
  await rt.ok('demo-operator', 'operator', { action: 'command', command: { type: 'accept', ticketId: id } });
  await rt.ok('demo-operator', 'operator', { action: 'command', command: { type: 'dispatch', ticketId: id, mode: 'single', unitIds: ['u-chengguan'], assistUnitIds: [] } });
  return id;
}

const op = (rt: LiveRuntime, id: string, command: Record<string, unknown>) => rt.call('demo-operator', 'operator', { action: 'command', command: { ticketId: id, ...command } });
const resident = (rt: LiveRuntime, id: string, command: Record<string, unknown>) => rt.call('demo-resident', 'resident', { action: 'command', command: { ticketId: id, ...command } });
const residentGet = (rt: LiveRuntime, id: string) => rt.ok<Detail>('demo-resident', 'resident', { action: 'get', ticketId: id });
const opGet = (rt: LiveRuntime, id: string) => rt.ok<Detail>('demo-operator', 'operator', { action: 'get', ticketId: id });

/** The summaries of the notices the ticket's requester was sent (the outbox of the runtime's store). */
function requesterNotices(rt: LiveRuntime, ticketId: string): string[] {
  const db = new Database(path.join(rt.dataDir, 'mashang.db'), { readonly: true, fileMustExist: true });
  try {
    const docs = db.prepare('SELECT doc FROM effects WHERE ticket_id = ?').pluck().all(ticketId) as string[];
    return docs
      .map((d) => JSON.parse(d) as { audience: { kind: string }; notice: { summary: string } })
      .filter((e) => e.audience.kind === 'requester')
      .map((e) => e.notice.summary);
  } finally {
    db.close();
  }
}

describe('baiyin 29: an improper request is recorded, told, and still handled', () => {
  let rt: LiveRuntime;
  beforeAll(async () => {
    rt = await startLiveRuntime('baiyin');
  });
  afterAll(() => rt.stop());

  it('baiyin 29(4): the operator records it on the ground with its article; the requester is told with the legal consequences; the request is still handled', async () => {
    await rt.at(sh('2026-03-02 10:00'));
    const id = await dispatched(rt);
    expect(await op(rt, id, { type: 'recordMalicious', groundCode: 'no-such-ground', note: NOTE })).toMatchObject({ ok: false, code: 'unknown-malicious-ground' });
    expect(await op(rt, id, { type: 'recordMalicious', groundCode: 'harassment', note: NOTE })).toMatchObject({ ok: true });
    expect(await op(rt, id, { type: 'recordMalicious', groundCode: 'fabrication', note: '再次记录' })).toMatchObject({ ok: false, code: 'malicious-recorded' });

    // The operator sees the whole record.
    expect((await opGet(rt, id)).ticket.malicious).toMatchObject({ groundCode: 'harassment', article: '第二十九条第（四）项', note: NOTE, by: 'demo-operator', status: 'standing' });

    // The requester: a timeline line with the ground, the article and the consequences, and a notice; never the operator's note.
    const mine = await residentGet(rt, id);
    const line = mine.timeline.find((e) => e.type === 'recordMalicious')!;
    expect(line.label).toBe('平台记录不当诉求行为');
    expect(line.note).toContain('第二十九条第（四）项');
    expect(line.note).toContain('劝阻、教育和批评，并告知法律后果');
    expect(JSON.stringify(mine)).not.toContain(NOTE);
    expect(mine.ticket.malicious).toMatchObject({ groundCode: 'harassment', status: 'standing', note: '', by: '平台' });
    expect(mine.actions).toContain('objectMalicious');
    expect(requesterNotices(rt, id).some((s) => s.includes('对工作人员骚扰、侮辱、威胁') && s.includes('第二十九条'))).toBe(true);

    // The unit sees nothing of it, and handles the request as before.
    const staff = await rt.ok<Detail>('demo-staff-cg', 'staff', { action: 'get', ticketId: id });
    expect(staff.ticket.malicious).toBeUndefined();
    expect(staff.timeline.map((e) => e.type)).not.toContain('recordMalicious');
    expect(JSON.stringify(staff)).not.toMatch(/不当诉求|malicious|LY-0042/);
    const staffCmd = (command: Record<string, unknown>) => rt.ok('demo-staff-cg', 'staff', { action: 'command', command: { ticketId: id, ...command } });
    await staffCmd({ type: 'sign' });
    await staffCmd({ type: 'contact', method: 'phone', note: '已电话联系诉求人' });
    await staffCmd({ type: 'reply', result: '已更换路灯灯泡，现场恢复照明。', handler: '刘洋' });
    expect(await op(rt, id, { type: 'reviewResult', approve: true })).toMatchObject({ ok: true });
    expect((await opGet(rt, id)).ticket.state).toBe('resolved');
  });

  it('baiyin 29: the record refuses no further intake (the article allows dissuasion, not refusal)', async () => {
    await rt.at(sh('2026-03-03 10:00'));
    const id = await dispatched(rt);
    expect(await op(rt, id, { type: 'recordMalicious', groundCode: 'abuse-resources', note: '一天内来电二十余次' })).toMatchObject({ ok: true });
    const next = await rt.call<{ ticket: { id: string; state: string } }>('demo-resident', 'resident', { action: 'submit', input: input() });
    expect(next).toMatchObject({ ok: true, data: { ticket: { state: 'submitted' } } });
  });
});

describe('linyi 46: the requester objects and the operator decides', () => {
  let rt: LiveRuntime;
  beforeAll(async () => {
    rt = await startLiveRuntime('linyi');
  });
  afterAll(() => rt.stop());

  it('linyi 46: an upheld objection withdraws the record and the requester is told; one objection per record', async () => {
    await rt.at(sh('2026-03-02 10:00'));
    const id = await dispatched(rt);
    expect(await resident(rt, id, { type: 'objectMalicious', reason: '我没有做过' })).toMatchObject({ ok: false, code: 'illegal-transition' });
    expect(await op(rt, id, { type: 'recordMalicious', groundCode: 'fabrication', note: '反映的事项经核实系捏造' })).toMatchObject({ ok: true });
    expect((await opGet(rt, id)).ticket.malicious).toMatchObject({ article: '第四十六条第（一）项' });
    // Someone else cannot object for the requester.
    expect(await rt.call('demo-resident2', 'resident', { action: 'command', command: { ticketId: id, type: 'objectMalicious', reason: '代为申辩' } })).toMatchObject({ ok: false, code: 'not-found' });
    expect(await resident(rt, id, { type: 'objectMalicious', reason: '现场有照片可以证明路灯确实坏了' })).toMatchObject({ ok: true });
    expect(await resident(rt, id, { type: 'objectMalicious', reason: '再说一次' })).toMatchObject({ ok: false, code: 'objection-pending' });
    expect(await op(rt, id, { type: 'reviewObjection', upheld: true, note: '经现场核实，路灯确已损坏，记录撤销' })).toMatchObject({ ok: true });
    const d = await opGet(rt, id);
    expect(d.ticket.malicious).toMatchObject({ status: 'withdrawn', objection: { decided: true, upheld: true, note: '经现场核实，路灯确已损坏，记录撤销' } });
    const mine = await residentGet(rt, id);
    expect(mine.timeline.map((e) => e.type)).toEqual(expect.arrayContaining(['recordMalicious', 'objectMalicious', 'reviewObjection']));
    expect(mine.timeline.find((e) => e.type === 'reviewObjection')?.note).toBe('经现场核实，路灯确已损坏，记录撤销');
    expect(requesterNotices(rt, id).some((s) => s.includes('您的异议已采纳'))).toBe(true);
    expect(await resident(rt, id, { type: 'objectMalicious', reason: '再说一次' })).toMatchObject({ ok: false, code: 'illegal-transition' });
    // The unit's view shows none of the three events.
    const staff = await rt.ok<Detail>('demo-staff-cg', 'staff', { action: 'get', ticketId: id });
    expect(staff.timeline.map((e) => e.type).filter((t) => ['recordMalicious', 'objectMalicious', 'reviewObjection'].includes(t))).toEqual([]);
  });
});

describe('anshan 40 and 23(4): the record goes into the requester\'s credit file', () => {
  let rt: LiveRuntime;
  beforeAll(async () => {
    rt = await startLiveRuntime('anshan');
  });
  afterAll(() => rt.stop());

  it('anshan 40(2), 23(4): recorded with its article and the credit-file article; a rejected objection keeps the record', async () => {
    await rt.at(sh('2026-03-02 10:00'));
    const id = await dispatched(rt);
    expect(await op(rt, id, { type: 'recordMalicious', groundCode: 'fabrication-harassment', note: NOTE })).toMatchObject({ ok: true });
    const line = (await opGet(rt, id)).timeline.find((e) => e.type === 'recordMalicious')!;
    expect(line.data).toMatchObject({ article: '第四十条第（二）项', creditFile: '第二十三条第四款' });
    expect(await resident(rt, id, { type: 'objectMalicious', reason: '我只是着急，并没有威胁' })).toMatchObject({ ok: true });
    expect(await op(rt, id, { type: 'reviewObjection', upheld: false, note: '录音显示有威胁言语，记录维持' })).toMatchObject({ ok: true });
    expect((await opGet(rt, id)).ticket.malicious).toMatchObject({ status: 'standing', objection: { decided: true, upheld: false } });
    expect(requesterNotices(rt, id).some((s) => s.includes('您的异议未被采纳'))).toBe(true);
  });
});

describe('hohhot: the regulation names no improper acts of requesters', () => {
  let rt: LiveRuntime;
  beforeAll(async () => {
    rt = await startLiveRuntime('hohhot');
  });
  afterAll(() => rt.stop());

  it('hohhot: nothing to record, refused with malicious-not-provided', async () => {
    await rt.at(sh('2026-03-02 10:00'));
    const id = await dispatched(rt);
    expect((await opGet(rt, id)).actions).not.toContain('recordMalicious');
    expect(await op(rt, id, { type: 'recordMalicious', groundCode: 'harassment', note: NOTE })).toMatchObject({ ok: false, code: 'malicious-not-provided' });
  });
});
