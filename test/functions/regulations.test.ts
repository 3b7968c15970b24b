/**
 * Issue 11: the regulations' rules, each pinned by a test named after its article and held over
 * HTTP on a fresh local runtime under that profile (test/support/runtime.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { startLiveRuntime, sh, type LiveRuntime } from '../support/runtime';

jest.setTimeout(120_000);

const NOTICES = path.join(__dirname, '..', 'shared', 'fixtures', 'notices');
const notice = (name: string) => fs.readFileSync(path.join(NOTICES, `${name}.txt`), 'utf8');

interface DeadlineView {
  kind: string;
  dueAt: number;
  status: string;
  basis: string;
  provisional: boolean;
}
interface DetailView {
  ticket: { id: string; state: string; version: number; labels: { deadline?: string }; deadlines: { kind: string; startedAt: number; dueAt: number; status: string; provisional?: boolean }[]; overdue: boolean };
  timeline: { type: string; label: string; note?: string }[];
  deadline: DeadlineView | null;
  actions: string[];
}

let n = 0;
function input(over: Record<string, unknown> = {}) {
  n += 1;
  return {
    clientRequestId: `regulation-${String(n).padStart(4, '0')}-${Date.now()}`,
    type: 'complaint',
    category: '市容环境',
    content: `第${n}件：小区门口的路灯坏了很久，晚上出行不便。`,
    location: { address: '滨河公园南门', area: '东区街道' },
    contact: { name: '张明', phone: '13800001234' },
    ...over,
  };
}

async function submitted(rt: LiveRuntime, over: Record<string, unknown> = {}, whoGiven?: string) {
  // A resident's 紧急 is only a hint the operator confirms; a grid worker's report keeps its urgency.
  const who = whoGiven ?? (over.urgency !== undefined && over.urgency !== 'normal' ? 'demo-grid' : 'demo-resident');
  return rt.ok<{ ticket: { id: string }; expected: { basis: string; provisional: boolean } }>(who, 'resident', { action: 'submit', input: input(over) });
}

async function dispatched(rt: LiveRuntime, over: Record<string, unknown> = {}, unit = 'u-chengguan') {
  const s = await submitted(rt, over);
  const id = s.ticket.id;
  await rt.ok('demo-operator', 'operator', { action: 'command', command: { type: 'accept', ticketId: id } });
  await rt.ok('demo-operator', 'operator', { action: 'command', command: { type: 'dispatch', ticketId: id, mode: 'single', unitIds: [unit], assistUnitIds: [] } });
  return id;
}

/** Dispatched to 城管局, handled (contact, reply), approved and rated by the resident. */
async function rated(rt: LiveRuntime, value: string, reason?: string) {
  const id = await dispatched(rt);
  const staff = (command: Record<string, unknown>) => rt.ok('demo-staff-cg', 'staff', { action: 'command', command: { ticketId: id, ...command } });
  await staff({ type: 'sign' });
  await staff({ type: 'contact', method: 'phone', note: '已电话联系诉求人' });
  await staff({ type: 'reply', result: '已更换路灯灯泡，现场恢复照明。', handler: '刘洋', noCaseReason: '现场整改完毕，无需立案。' });
  await rt.ok('demo-operator', 'operator', { action: 'command', command: { type: 'reviewResult', ticketId: id, approve: true } });
  await rt.ok('demo-resident', 'resident', { action: 'command', command: { type: 'rate', ticketId: id, value, ...(reason ? { reason } : {}) } });
  return id;
}

const opGet = (rt: LiveRuntime, id: string) => rt.ok<DetailView>('demo-operator', 'operator', { action: 'get', ticketId: id });

describe('hohhot (接诉即办 7×24): intake never stops for a missing calendar year', () => {
  let rt: LiveRuntime;
  let christmasEve = '';
  beforeAll(async () => {
    rt = await startLiveRuntime('hohhot');
  });
  afterAll(() => rt.stop());

  it('hohhot 2: a request whose deadline reaches 2027 (not in chinese-days) is recorded with a provisional deadline, shown as 暂定 everywhere', async () => {
    // Thursday 2026-12-24: ten working days reach January 2027.
    await rt.at(sh('2026-12-24 10:00'));
    const s = await submitted(rt);
    expect(s.expected.provisional).toBe(true);
    expect(s.expected.basis).toContain('暂定');
    const id = s.ticket.id;
    christmasEve = id;
    await rt.ok('demo-operator', 'operator', { action: 'command', command: { type: 'accept', ticketId: id } });
    await rt.ok('demo-operator', 'operator', { action: 'command', command: { type: 'dispatch', ticketId: id, mode: 'single', unitIds: ['u-chengguan'], assistUnitIds: [] } });
    await rt.ok('demo-staff-cg', 'staff', { action: 'command', command: { type: 'sign', ticketId: id } });

    const op = await opGet(rt, id);
    // The 16(3) response window, shown first (the platform-set finish runs after it).
    expect(op.deadline).toMatchObject({ kind: 'response', provisional: true });
    // Weekends only: 12-25, 28, 29, 30, 31, 1-1, 4, 5, 6, 7 → end of Thursday 2027-01-07.
    expect(op.deadline!.dueAt).toBe(sh('2027-01-07 23:59:59') + 999);
    expect(op.deadline!.basis).toContain('2027年节假日安排尚未导入');

    const unit = await rt.ok<DetailView>('demo-staff-cg', 'staff', { action: 'get', ticketId: id });
    expect(unit.deadline).toMatchObject({ provisional: true });
    const mine = await rt.ok<DetailView>('demo-resident', 'resident', { action: 'get', ticketId: id });
    expect(mine.deadline).toMatchObject({ provisional: true });
    expect(mine.ticket.labels.deadline).toContain('暂定');

    const queue = await rt.ok<{ items: { id: string; dueProvisional: boolean }[] }>('demo-operator', 'operator', { action: 'queue', queue: 'all', limit: 50 });
    expect(queue.items.find((i) => i.id === id)).toMatchObject({ dueProvisional: true });
    // The unit's inbox row carries it too (its card shows 暂定).
    const inbox = await rt.ok<{ items: { id: string; dueProvisional: boolean }[] }>('demo-staff-cg', 'staff', { action: 'inbox', filter: 'all', limit: 50 });
    expect(inbox.items.find((i) => i.id === id)).toMatchObject({ dueProvisional: true });
    const csv = await rt.ok<{ csv: string }>('demo-operator', 'stats', { action: 'exportCsv', kind: 'tickets', from: sh('2026-12-01 00:00'), to: sh('2027-01-01 00:00') });
    expect(csv.csv.split('\r\n')[0]).toContain('期限是否暂定');
    expect(csv.csv).toContain('暂定（该年度节假日安排未导入）');
  });

  it('hohhot 2: no command is refused for a missing year (grid and phone intake, extension into 2027)', async () => {
    await rt.at(sh('2026-12-28 09:00'));
    const grid = await rt.call('demo-grid', 'resident', { action: 'submit', input: input({ onBehalf: true }) });
    expect(grid).toMatchObject({ ok: true });
    const phone = await rt.call('demo-operator', 'operator', { action: 'submit', input: input() });
    expect(phone).toMatchObject({ ok: true });
    const id = await dispatched(rt);
    await rt.ok('demo-staff-cg', 'staff', { action: 'command', command: { type: 'sign', ticketId: id } });
    await rt.ok('demo-staff-cg', 'staff', { action: 'command', command: { type: 'requestExtension', ticketId: id, reason: '需要协调多个部门现场核查' } });
    await rt.ok('demo-operator', 'operator', { action: 'command', command: { type: 'reviewExtension', ticketId: id, approve: true } });
    const op = await opGet(rt, id);
    expect(op.deadline).toMatchObject({ provisional: true });
  });

  it('hohhot 2: operators are warned from 1 November while next year is not loaded', async () => {
    await rt.at(sh('2026-10-31 23:00'));
    const before = await rt.ok<{ calendarWarning: unknown }>('demo-operator', 'operator', { action: 'queue', queue: 'all', limit: 1 });
    expect(before.calendarWarning).toBeNull();
    await rt.at(sh('2026-11-01 00:00'));
    const after = await rt.ok<{ calendarWarning: { year: number; message: string } }>('demo-operator', 'operator', { action: 'queue', queue: 'all', limit: 1 });
    expect(after.calendarWarning).toMatchObject({ year: 2027 });
    expect(after.calendarWarning.message).toContain('国务院办公厅关于2027年部分节假日安排的通知');
    const cal = await rt.ok<{ warning: { year: number } | null }>('demo-operator', 'admin', { action: 'calendar' });
    expect(cal.warning).toMatchObject({ year: 2027 });
  });

  it('hohhot 2: a partial year is refused and writes nothing; the notice is previewed, confirmed, and every provisional deadline is recomputed with an event', async () => {
    await rt.at(sh('2026-12-30 10:00'));
    const partial = await rt.call('demo-operator', 'admin', { action: 'putCalendar', year: { year: 2027, holidays: ['2027-01-01'], makeUpWorkdays: [] } });
    expect(partial).toMatchObject({ ok: false, code: 'calendar-incomplete' });
    const onlyNewYear = notice('synthetic-2027').split('\n').filter((l) => !/^[二三四五六七]、/.test(l)).join('\n');
    expect(await rt.call('demo-operator', 'admin', { action: 'parseNotice', text: onlyNewYear })).toMatchObject({ ok: false, code: 'calendar-incomplete' });
    expect(await rt.call('demo-operator', 'admin', { action: 'parseNotice', text: '这不是通知' })).toMatchObject({ ok: false, code: 'calendar-notice-unparsed' });
    expect((await rt.ok<{ loaded: unknown[] }>('demo-operator', 'admin', { action: 'calendar' })).loaded).toEqual([]);

    const queue = await rt.ok<{ items: { id: string; dueProvisional: boolean }[] }>('demo-operator', 'operator', { action: 'queue', queue: 'all', limit: 100 });
    const provisional = queue.items.filter((i) => i.dueProvisional).map((i) => i.id);
    expect(provisional.length).toBeGreaterThanOrEqual(2);
    const first = christmasEve;
    expect(provisional).toContain(first);

    const preview = await rt.ok<{ year: number; holidays: string[]; festivals: { names: string[] }[] }>('demo-operator', 'admin', { action: 'parseNotice', text: notice('synthetic-2027') });
    expect(preview.year).toBe(2027);
    expect(preview.festivals).toHaveLength(7);
    // Preview writes nothing.
    expect((await opGet(rt, first)).deadline).toMatchObject({ provisional: true });
    expect(await rt.call('demo-operator', 'admin', { action: 'importNotice', text: notice('synthetic-2027'), year: 2026 })).toMatchObject({ ok: false, code: 'invalid-input' });

    const imported = await rt.ok<{ year: number; recomputed: number }>('demo-operator', 'admin', { action: 'importNotice', text: notice('synthetic-2027'), year: 2027 });
    expect(imported.year).toBe(2027);
    expect(imported.recomputed).toBe(provisional.length);

    for (const id of provisional) {
      const d = await opGet(rt, id);
      expect(d.deadline!.provisional).toBe(false);
      expect(d.deadline!.basis).not.toContain('暂定');
      expect(d.timeline.filter((e) => e.type === 'recomputeDeadlines')).toHaveLength(1);
    }
    const after = await opGet(rt, first);
    // 2027-01-01 is a holiday now: the tenth working day is Friday 2027-01-08.
    expect(after.deadline!.dueAt).toBe(sh('2027-01-08 23:59:59') + 999);
    const event = after.timeline.find((e) => e.type === 'recomputeDeadlines')!;
    expect(event.label).toBe('办理期限已按节假日安排重新计算');
    expect(event.note).toContain('2027年');
    const resident = await rt.ok<DetailView>('demo-resident', 'resident', { action: 'get', ticketId: first });
    expect(resident.timeline.map((e) => e.type)).toContain('recomputeDeadlines');
    const warned = await rt.ok<{ calendarWarning: unknown }>('demo-operator', 'operator', { action: 'queue', queue: 'all', limit: 1 });
    expect(warned.calendarWarning).toBeNull();
  });
});

describe('hohhot: response versus finish', () => {
  let rt: LiveRuntime;
  beforeAll(async () => {
    rt = await startLiveRuntime('hohhot');
  });
  afterAll(() => rt.stop());

  it('hohhot 16(1): the 2-hour window is met by signing and a progress report, not only by the final reply', async () => {
    await rt.at(sh('2026-12-03 09:00'));
    const answered = await dispatched(rt, { urgency: 'emergency' });
    const silent = await dispatched(rt, { urgency: 'emergency' });
    for (const id of [answered, silent]) {
      const d = await opGet(rt, id);
      const response = d.ticket.deadlines.find((x) => x.kind === 'emergencyResponse')!;
      expect(response).toMatchObject({ status: 'active' });
      expect(response.dueAt - response.startedAt).toBe(2 * 3_600_000);
      // The finish deadline is platform-set, after the response.
      expect(d.ticket.deadlines.find((x) => x.kind === 'handle')).toMatchObject({ status: 'active', dueAt: sh('2026-12-07 23:59:59') + 999 });
    }
    await rt.at(sh('2026-12-03 09:30'));
    await rt.ok('demo-staff-cg', 'staff', { action: 'command', command: { type: 'sign', ticketId: answered } });
    await rt.ok('demo-staff-cg', 'staff', { action: 'command', command: { type: 'sign', ticketId: silent } });
    await rt.at(sh('2026-12-03 10:15'));
    await rt.ok('demo-staff-cg', 'staff', { action: 'command', command: { type: 'contact', ticketId: answered, method: 'visit', note: '已到现场处置，正在抢修' } });
    await rt.at(sh('2026-12-03 11:30'));
    await rt.runTimer();
    const met = await opGet(rt, answered);
    expect(met.ticket.deadlines.find((x) => x.kind === 'emergencyResponse')).toMatchObject({ status: 'met' });
    expect(met.ticket.deadlines.find((x) => x.kind === 'handle')).toMatchObject({ status: 'active' });
    expect(met.ticket).toMatchObject({ overdue: false });
    const missed = await opGet(rt, silent);
    expect(missed.ticket.deadlines.find((x) => x.kind === 'emergencyResponse')).toMatchObject({ status: 'missed' });
    expect(missed.ticket).toMatchObject({ overdue: true });
  });

  const REG = '呼和浩特市接诉即办工作条例';
  const staffCmd = (who: string, id: string, command: Record<string, unknown>) => rt.ok(who, 'staff', { action: 'command', command: { ticketId: id, ...command } });
  interface Cited { kind: string; startedAt: number; dueAt: number; status: string; citation: { article: string; platformSet: boolean } }
  const deadlinesOf = async (id: string) => (await opGet(rt, id)).ticket.deadlines as unknown as Cited[];

  it('hohhot 16(2): water, power, gas and heating get a response within 24 hours (办结或者反馈办理情况); a unit that signs and reports progress in time is not overdue, and the finish is platform-set', async () => {
    await rt.at(sh('2026-11-02 09:00'));
    const s = await submitted(rt, { utilities: true, category: '供水', type: 'help' });
    // The resident is told the article's window, not a finish number the article does not set.
    expect(s.expected.basis).toBe(`依据《${REG}》第十六条第（二）项，24小时内办结或者反馈办理情况`);
    await rt.ok('demo-operator', 'operator', { action: 'command', command: { type: 'accept', ticketId: s.ticket.id } });
    await rt.ok('demo-operator', 'operator', { action: 'command', command: { type: 'dispatch', ticketId: s.ticket.id, mode: 'single', unitIds: ['u-shuiwu'], assistUnitIds: [] } });
    const reported = s.ticket.id;
    const silent = await dispatched(rt, { utilities: true, category: '供水', type: 'help' }, 'u-shuiwu');
    for (const id of [reported, silent]) {
      const ds = await deadlinesOf(id);
      const response = ds.find((x) => x.kind === 'response')!;
      expect(response).toMatchObject({ status: 'active', citation: { article: '第十六条第（二）项', platformSet: false } });
      expect(response.dueAt - response.startedAt).toBe(24 * 3_600_000);
      expect(ds.find((x) => x.kind === 'handle')).toMatchObject({ status: 'active', dueAt: sh('2026-11-04 23:59:59') + 999, citation: { article: '第十六条第（二）项', platformSet: true } });
      const d = await opGet(rt, id);
      expect(d.deadline).toMatchObject({ kind: 'response', basis: `依据《${REG}》第十六条第（二）项，24小时内办结或者反馈办理情况` });
    }
    await rt.at(sh('2026-11-02 09:30'));
    await staffCmd('demo-staff-sw', reported, { type: 'sign' });
    await staffCmd('demo-staff-sw', silent, { type: 'sign' });
    await rt.at(sh('2026-11-02 15:00'));
    await staffCmd('demo-staff-sw', reported, { type: 'contact', method: 'phone', note: '已告知抢修进度，预计明日恢复供水' });
    await rt.at(sh('2026-11-03 10:00'));
    await rt.runTimer();
    const met = await opGet(rt, reported);
    expect(met.ticket.deadlines.find((x) => x.kind === 'response')).toMatchObject({ status: 'met' });
    expect(met.ticket).toMatchObject({ overdue: false });
    // What runs now is the finish, shown as 平台设定 with the article that leaves it to the platform.
    expect(met.deadline).toMatchObject({ kind: 'handle', status: 'active', basis: `平台设定：2个工作日内办结（相关条文：《${REG}》第十六条第（二）项）` });
    const unit = await rt.ok<DetailView>('demo-staff-sw', 'staff', { action: 'get', ticketId: reported });
    expect(unit.deadline!.basis).toMatch(/^平台设定：2个工作日内办结/);
    const missed = await opGet(rt, silent);
    expect(missed.ticket.deadlines.find((x) => x.kind === 'response')).toMatchObject({ status: 'missed' });
    expect(missed.ticket).toMatchObject({ overdue: true });
  });

  it('hohhot 16(3): other matters get a response within 10 working days (urgent 5); a unit that signs and reports progress in time is not overdue, and the finish is platform-set', async () => {
    // Monday 2026-11-02: ten working days → end of Monday 11-16; the platform-set twenty → end of 11-30.
    await rt.at(sh('2026-11-02 09:00'));
    const s = await submitted(rt);
    expect(s.expected.basis).toBe(`依据《${REG}》第十六条第（三）项，10个工作日内办结或者反馈办理情况`);
    await rt.ok('demo-operator', 'operator', { action: 'command', command: { type: 'accept', ticketId: s.ticket.id } });
    await rt.ok('demo-operator', 'operator', { action: 'command', command: { type: 'dispatch', ticketId: s.ticket.id, mode: 'single', unitIds: ['u-chengguan'], assistUnitIds: [] } });
    const reported = s.ticket.id;
    const silent = await dispatched(rt);
    const urgent = await dispatched(rt, { urgency: 'urgent' });
    for (const id of [reported, silent]) {
      const ds = await deadlinesOf(id);
      expect(ds.find((x) => x.kind === 'response')).toMatchObject({ status: 'active', dueAt: sh('2026-11-16 23:59:59') + 999, citation: { article: '第十六条第（三）项', platformSet: false } });
      expect(ds.find((x) => x.kind === 'handle')).toMatchObject({ status: 'active', dueAt: sh('2026-11-30 23:59:59') + 999, citation: { article: '第十六条第（三）项', platformSet: true } });
      const resident = await rt.ok<DetailView>('demo-resident', 'resident', { action: 'get', ticketId: id });
      expect(resident.deadline).toMatchObject({ kind: 'response', basis: `依据《${REG}》第十六条第（三）项，10个工作日内办结或者反馈办理情况` });
    }
    // Urgent: five working days → end of Monday 11-09; finish ten → end of 11-16.
    const u = await deadlinesOf(urgent);
    expect(u.find((x) => x.kind === 'response')).toMatchObject({ status: 'active', dueAt: sh('2026-11-09 23:59:59') + 999, citation: { platformSet: false } });
    expect(u.find((x) => x.kind === 'handle')).toMatchObject({ status: 'active', dueAt: sh('2026-11-16 23:59:59') + 999, citation: { platformSet: true } });

    await rt.at(sh('2026-11-03 10:00'));
    await staffCmd('demo-staff-cg', reported, { type: 'sign' });
    await staffCmd('demo-staff-cg', silent, { type: 'sign' });
    await rt.at(sh('2026-11-06 10:00'));
    await staffCmd('demo-staff-cg', reported, { type: 'contact', method: 'visit', note: '已现场查看，路灯线路需更换，已报维修计划' });
    await rt.at(sh('2026-11-17 00:10'));
    await rt.runTimer();
    const met = await opGet(rt, reported);
    expect(met.ticket.deadlines.find((x) => x.kind === 'response')).toMatchObject({ status: 'met' });
    expect(met.ticket.deadlines.find((x) => x.kind === 'handle')).toMatchObject({ status: 'active' });
    expect(met.ticket).toMatchObject({ overdue: false });
    expect(met.deadline).toMatchObject({ kind: 'handle', basis: `平台设定：20个工作日内办结（相关条文：《${REG}》第十六条第（三）项）` });
    const resident = await rt.ok<DetailView>('demo-resident', 'resident', { action: 'get', ticketId: reported });
    expect(resident.deadline!.basis).toMatch(/^平台设定：20个工作日内办结/);
    const missed = await opGet(rt, silent);
    expect(missed.ticket.deadlines.find((x) => x.kind === 'response')).toMatchObject({ status: 'missed' });
    expect(missed.ticket).toMatchObject({ overdue: true });
    // The reply meets the response as well as the finish.
    await staffCmd('demo-staff-cg', reported, { type: 'reply', result: '已更换路灯线路，现场恢复照明。', handler: '刘洋' });
    expect((await deadlinesOf(reported)).filter((x) => x.kind === 'handle' || x.kind === 'response').map((x) => x.status)).toEqual(['met', 'met']);
  });

  it('hohhot 16(2), 16(3): the response numbers are the article\'s (refused as overrides); the finish numbers are platform-set and shown so', async () => {
    const preview = await rt.ok<{ rules: { key: string; value: string }[] }>('demo-operator', 'admin', { action: 'previewProfile', profileId: 'hohhot', overrides: [] });
    const line = (key: string) => preview.rules.find((l) => l.key === key)!.value;
    expect(line('response.normal')).toBe('10个工作日（第十六条第（三）项）');
    expect(line('response.urgent')).toBe('5个工作日（第十六条第（三）项）');
    expect(line('deadline.complaint.normal')).toBe('20个工作日（第十六条第（三）项，平台设定）');
    expect(line('handling.utilities.response')).toBe('24小时（第十六条第（二）项）');
    expect(line('handling.utilities')).toBe('2个工作日（第十六条第（二）项，平台设定）');
    for (const path of ['handling.response.normal.amount', 'handling.utilities.response.amount']) {
      expect(await rt.call('demo-operator', 'admin', { action: 'previewProfile', profileId: 'hohhot', overrides: [{ path, value: 20 }] })).toMatchObject({ ok: false, code: 'profile-invalid' });
    }
    expect(await rt.call('demo-operator', 'admin', { action: 'previewProfile', profileId: 'hohhot', overrides: [{ path: 'handling.deadlines.complaint.normal.amount', value: 15 }] })).toMatchObject({ ok: true });
  });
});

describe('baiyin: days, not hours; platform-set numbers', () => {
  let rt: LiveRuntime;
  beforeAll(async () => {
    rt = await startLiveRuntime('baiyin');
  });
  afterAll(() => rt.stop());

  it('baiyin 10: 受理当日转办 — an accepted request is due for transfer by the end of that day in Asia/Shanghai, shown as 当日', async () => {
    await rt.at(sh('2026-12-03 22:30'));
    const s = await submitted(rt);
    const id = s.ticket.id;
    const atSubmit = await opGet(rt, id);
    expect(atSubmit.deadline).toMatchObject({ kind: 'accept', dueAt: sh('2026-12-03 23:59:59') + 999 });
    await rt.at(sh('2026-12-03 23:00'));
    await rt.ok('demo-operator', 'operator', { action: 'command', command: { type: 'accept', ticketId: id } });
    const d = await opGet(rt, id);
    // 24 hours would run to 23:00 the next day; 当日 ends at midnight Shanghai time.
    expect(d.deadline).toMatchObject({ kind: 'transfer', dueAt: sh('2026-12-03 23:59:59') + 999 });
    expect(d.deadline!.basis).toBe('依据《白银市民情直通平台诉求办理条例》第十条第二款、第三款，当日转交承办单位');
    await rt.at(sh('2026-12-04 00:05'));
    await rt.runTimer();
    expect((await opGet(rt, id)).ticket.deadlines.find((x) => x.kind === 'transfer')).toMatchObject({ status: 'missed' });
  });

  it('baiyin 10: a platform-set handling deadline is told to the resident as 平台设定, never as the article\'s number', async () => {
    await rt.at(sh('2026-12-07 10:00'));
    const s = await submitted(rt, { urgency: 'urgent' });
    expect(s.expected.basis).toMatch(/^平台设定：3个工作日内办结（相关条文：《白银市民情直通平台诉求办理条例》第十条第三款）$/);
    expect(s.expected.basis).not.toMatch(/^依据/);
  });

  it('baiyin 17: the rework count is platform-set (再次办理 sets no number), so the operator may change it', async () => {
    const r = await rt.call('demo-operator', 'admin', { action: 'setProfile', profileId: 'baiyin', overrides: [{ path: 'rework.maxCount', value: 2 }] });
    expect(r).toMatchObject({ ok: true });
    const current = await rt.ok<{ current: { rework: { maxCount: number } } }>('demo-operator', 'admin', { action: 'profile' });
    expect(current.current.rework.maxCount).toBe(2);
    await rt.ok('demo-operator', 'admin', { action: 'setProfile', profileId: 'baiyin', overrides: [] });
  });

  it('baiyin 17, linyi 20: the rework count is shown as 平台设定 (the texts say only 再次办理), never as the article\'s number', async () => {
    for (const profileId of ['baiyin', 'linyi']) {
      const r = await rt.ok<{ rules: { key: string; value: string }[] }>('demo-operator', 'admin', { action: 'previewProfile', profileId, overrides: [] });
      expect(r.rules.find((l) => l.key === 'rework')!.value).toMatch(/^最多1次（第(十七|二十)条，平台设定），5个工作日（第(十七|二十)条，平台设定）$/);
    }
    // pingli 18 sets the number itself: statutory, not 平台设定.
    const pingli = await rt.ok<{ rules: { key: string; value: string }[] }>('demo-operator', 'admin', { action: 'previewProfile', profileId: 'pingli', overrides: [] });
    expect(pingli.rules.find((l) => l.key === 'rework')!.value).toMatch(/^最多\d次（第[^，]+条[^，]*），/);
    expect(pingli.rules.find((l) => l.key === 'rework')!.value.split('，')[0]).not.toContain('平台设定');
    const linyi = await rt.call('demo-operator', 'admin', { action: 'previewProfile', profileId: 'linyi', overrides: [{ path: 'rework.maxCount', value: 2 }] });
    expect(linyi).toMatchObject({ ok: true });
  });

  it('baiyin 17: a unit cannot dispute the resident\'s rating (the regulation has no 复评; anshan 23 has)', async () => {
    await rt.at(sh('2026-12-14 10:00'));
    const id = await rated(rt, 'dissatisfied', '路灯还是不亮');
    const d = await rt.ok<DetailView>('demo-staff-cg', 'staff', { action: 'get', ticketId: id });
    expect(d.actions).not.toContain('disputeRating');
    const r = await rt.call('demo-staff-cg', 'staff', { action: 'command', command: { type: 'disputeRating', ticketId: id, reason: '已修好，评价不属实' } });
    expect(r).toMatchObject({ ok: false, code: 'dispute-not-allowed', message: '本平台的规定中没有承办单位对评价提出异议的程序' });
  });
});

describe('anshan: two calendar months', () => {
  let rt: LiveRuntime;
  beforeAll(async () => {
    rt = await startLiveRuntime('anshan');
  });
  afterAll(() => rt.stop());

  it('anshan 22: extensions together reach at most two calendar months past the original deadline, not 60 days from dispatch', async () => {
    // Monday 2026-03-02: five working days → end of Monday 03-09; two months later → end of 05-09.
    await rt.at(sh('2026-03-02 10:00'));
    const id = await dispatched(rt);
    await rt.ok('demo-staff-cg', 'staff', { action: 'command', command: { type: 'sign', ticketId: id } });
    expect((await opGet(rt, id)).deadline).toMatchObject({ kind: 'handle', dueAt: sh('2026-03-09 23:59:59') + 999 });
    const tooLong = await rt.call('demo-staff-cg', 'staff', { action: 'command', command: { type: 'requestExtension', ticketId: id, reason: '需要等待第三方检测结果', span: { amount: 62, unit: 'calendarDays' } } });
    expect(tooLong).toMatchObject({ ok: false, code: 'extension-too-long' });
    await rt.ok('demo-staff-cg', 'staff', { action: 'command', command: { type: 'requestExtension', ticketId: id, reason: '需要等待第三方检测结果' } });
    await rt.ok('demo-operator', 'operator', { action: 'command', command: { type: 'reviewExtension', ticketId: id, approve: true } });
    const d = await opGet(rt, id);
    expect(d.deadline).toMatchObject({ kind: 'handle', dueAt: sh('2026-05-09 23:59:59') + 999 });
    const again = await rt.call('demo-staff-cg', 'staff', { action: 'command', command: { type: 'requestExtension', ticketId: id, reason: '仍需时间' } });
    expect(again).toMatchObject({ ok: false, code: 'extension-too-long' });
  });

  interface Ratio { numerator: number; denominator: number }
  const satisfaction = async (from: number, to: number) =>
    (await rt.ok<{ unitId: string; satisfaction: Ratio }[]>('demo-operator', 'stats', { action: 'figures', from, to })).find((f) => f.unitId === '*')!.satisfaction;
  interface RatedView { ticket: { state: string; ratings: { value: string; by: string; article?: string; reason?: string }[] }; actions: string[] }
  const staffCmd = (id: string, command: Record<string, unknown>) => rt.call('demo-staff-cg', 'staff', { action: 'command', command: { ticketId: id, ...command } });
  const opCmd = (id: string, command: Record<string, unknown>) => rt.call('demo-operator', 'operator', { action: 'command', command: { ticketId: id, ...command } });

  it('anshan 23: the unit disputes a rating, the platform re-rates, and the figures use the platform\'s rating', async () => {
    const from = sh('2026-06-01 00:00');
    const to = sh('2026-07-01 00:00');
    await rt.at(sh('2026-06-01 10:00'));
    const id = await rated(rt, '1', '路灯还是不亮');
    expect(await satisfaction(from, to)).toMatchObject({ numerator: 0, denominator: 1 });
    const staffView = await rt.ok<RatedView>('demo-staff-cg', 'staff', { action: 'get', ticketId: id });
    expect(staffView.actions).toContain('disputeRating');
    expect(await staffCmd(id, { type: 'disputeRating', reason: '现场照片显示路灯已修复，评价与事实不符' })).toMatchObject({ ok: true });
    // One dispute at a time; the operator decides it, with a reason.
    expect(await staffCmd(id, { type: 'disputeRating', reason: '再次申诉' })).toMatchObject({ ok: false, code: 'illegal-transition', message: '评价申诉正在复评中' });
    expect(await opCmd(id, { type: 'reviewDispute', upheld: true, note: '复核' })).toMatchObject({ ok: false, code: 'rating-invalid' });
    expect(await opCmd(id, { type: 'reviewDispute', upheld: true, value: '4', note: '复核现场照片，路灯已修复' })).toMatchObject({ ok: true });
    const d = await rt.ok<RatedView>('demo-operator', 'operator', { action: 'get', ticketId: id });
    expect(d.ticket.ratings.map((r) => [r.value, r.by])).toEqual([['1', 'requester'], ['4', 'platform']]);
    expect(d.ticket.ratings[1]).toMatchObject({ article: '第二十三条第三款', reason: '复核现场照片，路灯已修复' });
    // The platform's re-rating stands: the figures count it, and it opens no rework.
    expect(await satisfaction(from, to)).toMatchObject({ numerator: 1, denominator: 1 });
    expect(await opCmd(id, { type: 'requestRework', reason: '诉求人不满意' })).toMatchObject({ ok: false, code: 'rework-not-allowed' });
    // A round's rating is disputed once.
    expect(await staffCmd(id, { type: 'disputeRating', reason: '再次申诉' })).toMatchObject({ ok: false, code: 'illegal-transition', message: '本轮评价已申诉过，复评结果为最终评价结果' });
  });

  it('anshan 23: a rejected dispute leaves the resident\'s rating standing', async () => {
    const from = sh('2026-08-01 00:00');
    const to = sh('2026-09-01 00:00');
    await rt.at(sh('2026-08-03 10:00'));
    const id = await rated(rt, '2', '处理太慢');
    expect(await staffCmd(id, { type: 'disputeRating', reason: '已按时办结' })).toMatchObject({ ok: true });
    expect(await opCmd(id, { type: 'reviewDispute', upheld: false, note: '诉求人所述属实，维持原评价' })).toMatchObject({ ok: true });
    const d = await rt.ok<RatedView>('demo-operator', 'operator', { action: 'get', ticketId: id });
    expect(d.ticket.ratings.map((r) => [r.value, r.by])).toEqual([['2', 'requester']]);
    expect(await satisfaction(from, to)).toMatchObject({ numerator: 0, denominator: 1 });
    expect(await opCmd(id, { type: 'reviewDispute', upheld: false, note: '重复' })).toMatchObject({ ok: false, code: 'illegal-transition', message: '没有待复评的评价申诉' });
  });
});

describe('pingli: 突发类 response and finish', () => {
  let rt: LiveRuntime;
  beforeAll(async () => {
    rt = await startLiveRuntime('pingli');
  });
  afterAll(() => rt.stop());

  it('pingli 22(1): a region-wide water, power or gas outage is handled within 2 hours and finished within 2 working days', async () => {
    await rt.at(sh('2026-12-03 09:00'));
    const id = await dispatched(rt, { utilities: true, category: '供水' }, 'u-shuiwu');
    const d = await opGet(rt, id);
    const response = d.ticket.deadlines.find((x) => x.kind === 'emergencyResponse')!;
    expect(response).toMatchObject({ status: 'active' });
    expect(response.dueAt - response.startedAt).toBe(2 * 3_600_000);
    expect(d.ticket.deadlines.find((x) => x.kind === 'handle')).toMatchObject({ status: 'active', dueAt: sh('2026-12-07 23:59:59') + 999 });
    await rt.at(sh('2026-12-03 09:40'));
    await rt.ok('demo-staff-sw', 'staff', { action: 'command', command: { type: 'sign', ticketId: id } });
    await rt.ok('demo-staff-sw', 'staff', { action: 'command', command: { type: 'contact', ticketId: id, method: 'phone', note: '已安排抢修队伍' } });
    await rt.at(sh('2026-12-03 12:00'));
    await rt.runTimer();
    const after = await opGet(rt, id);
    expect(after.ticket.deadlines.find((x) => x.kind === 'emergencyResponse')).toMatchObject({ status: 'met' });
    expect(after.ticket).toMatchObject({ overdue: false });
  });

  const staffCmd = (id: string, command: Record<string, unknown>, who = 'demo-staff-cg') => rt.call(who, 'staff', { action: 'command', command: { ticketId: id, ...command } });
  const opCmd = (id: string, command: Record<string, unknown>) => rt.call('demo-operator', 'operator', { action: 'command', command: { ticketId: id, ...command } });

  it('pingli 13: 突发类 matters cannot be extended', async () => {
    await rt.at(sh('2026-12-08 09:00'));
    const emergency = await dispatched(rt, { urgency: 'emergency' });
    const outage = await dispatched(rt, { utilities: true, category: '供水' }, 'u-shuiwu');
    const ordinary = await dispatched(rt);
    await staffCmd(emergency, { type: 'sign' });
    await staffCmd(outage, { type: 'sign' }, 'demo-staff-sw');
    await staffCmd(ordinary, { type: 'sign' });
    expect((await rt.ok<DetailView>('demo-staff-cg', 'staff', { action: 'get', ticketId: emergency })).actions).not.toContain('requestExtension');
    expect((await rt.ok<DetailView>('demo-staff-cg', 'staff', { action: 'get', ticketId: ordinary })).actions).toContain('requestExtension');
    const ask = { type: 'requestExtension', reason: '需要协调相关部门' };
    const refused = await staffCmd(emergency, ask);
    expect(refused).toMatchObject({ ok: false, code: 'extension-not-allowed' });
    expect(refused.message).toContain('第十三条');
    expect(await staffCmd(outage, ask, 'demo-staff-sw')).toMatchObject({ ok: false, code: 'extension-not-allowed' });
    expect(await staffCmd(ordinary, ask)).toMatchObject({ ok: true });
  });

  it('pingli 15(3): the case-number rule covers 举报 as well as 投诉', async () => {
    await rt.at(sh('2026-12-09 09:00'));
    const report = await dispatched(rt, { type: 'report' });
    await staffCmd(report, { type: 'sign' });
    await staffCmd(report, { type: 'contact', method: 'phone', note: '已电话联系举报人' });
    const reply = { type: 'reply', result: '已核查举报内容并依法处理', handler: '刘洋' };
    expect(await staffCmd(report, reply)).toMatchObject({ ok: false, code: 'case-number-required' });
    expect(await staffCmd(report, { ...reply, caseNumber: '平市监立〔2026〕12号', caseDate: '2026-12-09' })).toMatchObject({ ok: true });
  });

  it('pingli 25: the supervision methods have equal force — a second 电话督办 is allowed, not refused as a step down a ladder', async () => {
    await rt.at(sh('2026-12-10 09:00'));
    const id = await dispatched(rt);
    expect(await opCmd(id, { type: 'supervise', level: 2, method: 'written', note: '发出催办通知' })).toMatchObject({ ok: true });
    expect(await opCmd(id, { type: 'supervise', level: 1, method: 'system', note: '电话督办' })).toMatchObject({ ok: true });
    expect(await opCmd(id, { type: 'supervise', level: 1, method: 'system', note: '再次电话督办' })).toMatchObject({ ok: true });
    const d = await opGet(rt, id);
    expect(d.timeline.filter((e) => e.type === 'supervise')).toHaveLength(3);
    expect(d.actions).toContain('supervise');
  });

  it("pingli 28: escalation to the 县监委 only after six months' continuous non-resolution", async () => {
    await rt.at(sh('2026-12-11 09:00'));
    const id = await dispatched(rt);
    await opCmd(id, { type: 'supervise', level: 1, method: 'system', note: '电话督办' });
    await rt.at(sh('2027-03-11 09:00'));
    const early = await opCmd(id, { type: 'escalate', note: '报送县监委' });
    expect(early).toMatchObject({ ok: false, code: 'illegal-transition' });
    expect(early.message).toContain('连续6个月以上');
    await rt.at(sh('2027-06-12 09:00'));
    expect(await opCmd(id, { type: 'escalate', note: '报送县监委' })).toMatchObject({ ok: true });
  });
});
