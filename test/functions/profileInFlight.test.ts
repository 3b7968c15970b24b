/**
 * Issue 10 §3: a ticket keeps the rules it was opened under. `admin.setProfile` applies to new
 * tickets only, over HTTP on a fresh local runtime (test/support/runtime.ts).
 */
import { startLiveRuntime, sh, type LiveRuntime } from '../support/runtime';

jest.setTimeout(120_000);

interface DetailView {
  ticket: { id: string };
  deadline: { kind: string; basis: string } | null;
  rework?: { maxCount: number };
}

let n = 0;
function input() {
  n += 1;
  return {
    clientRequestId: `in-flight-${String(n).padStart(4, '0')}-${Date.now()}`,
    type: 'complaint',
    category: '市容环境',
    content: `第${n}件：小区门口的路灯坏了很久，晚上出行不便。`,
    location: { address: '滨河公园南门', area: '东区街道' },
    contact: { name: '张明', phone: '13800001234' },
  };
}

const submit = async (rt: LiveRuntime) => (await rt.ok<{ ticket: { id: string } }>('demo-resident', 'resident', { action: 'submit', input: input() })).ticket.id;
const accept = (rt: LiveRuntime, id: string) => rt.ok('demo-operator', 'operator', { action: 'command', command: { type: 'accept', ticketId: id } });
const opGet = (rt: LiveRuntime, id: string) => rt.ok<DetailView>('demo-operator', 'operator', { action: 'get', ticketId: id });
const residentGet = (rt: LiveRuntime, id: string) => rt.ok<DetailView>('demo-resident', 'resident', { action: 'get', ticketId: id });

describe('a ticket keeps its profile', () => {
  let rt: LiveRuntime;
  beforeAll(async () => {
    rt = await startLiveRuntime('baiyin');
    await rt.at(sh('2026-12-07 10:00'));
  });
  afterAll(() => rt.stop());

  it('a change of profile id applies to tickets opened after it; one opened before is still handled under its own regulation', async () => {
    const before = await submit(rt);
    const changed = await rt.ok<{ id: string; rev: number; appliesTo: string }>('demo-operator', 'admin', { action: 'setProfile', profileId: 'anshan', overrides: [] });
    expect(changed).toMatchObject({ id: 'anshan', appliesTo: 'new-tickets' });
    const after = await submit(rt);
    await accept(rt, before);
    await accept(rt, after);
    // The transfer deadline is set by the accept command, decided after the change.
    const old = await opGet(rt, before);
    expect(old.deadline).toMatchObject({ kind: 'transfer' });
    expect(old.deadline!.basis).toContain('白银市');
    const fresh = await opGet(rt, after);
    expect(fresh.deadline!.basis).not.toContain('白银市');
    expect(fresh.deadline!.basis).toContain('鞍山');
  });

  it('an override saved later (rework.maxCount) does not reach a ticket opened under an earlier revision', async () => {
    await rt.ok('demo-operator', 'admin', { action: 'setProfile', profileId: 'baiyin', overrides: [{ path: 'rework.maxCount', value: 3 }] });
    const three = await submit(rt);
    await rt.ok('demo-operator', 'admin', { action: 'setProfile', profileId: 'baiyin', overrides: [{ path: 'rework.maxCount', value: 1 }] });
    const one = await submit(rt);
    expect((await residentGet(rt, three)).rework!.maxCount).toBe(3);
    expect((await residentGet(rt, one)).rework!.maxCount).toBe(1);
    const current = await rt.ok<{ current: { rework: { maxCount: number } } }>('demo-operator', 'admin', { action: 'profile' });
    expect(current.current.rework.maxCount).toBe(1);
  });
});
