/** Reviews (return, extension, result): approving needs no reason, rejecting does, and the unit is told why. */
import { ticketIn } from '../support/domainFixtures';

describe.each([
  ['reviewReturn', 'returnRequested'],
  ['reviewExtension', 'extensionRequested'],
  ['reviewResult', 'replied'],
] as const)('%s', (type, state) => {
  it('a rejection without a reason is refused with reason-required and changes nothing', () => {
    const s = ticketIn(state);
    const d = s.try(type, 'operator', { approve: false, note: undefined });
    expect(d).toEqual({ ok: false, code: 'reason-required', message: '不同意时请填写理由，理由将告知承办单位' });
  });

  it('a rejection with a reason keeps it on the event and in the unit notice', () => {
    const s = ticketIn(state);
    const d = s.do(type, 'operator', { approve: false, note: '请先联系诉求人核实情况' });
    expect(d.event.note).toBe('请先联系诉求人核实情况');
    const unitNotice = d.effects.find((e) => e.kind === 'notify' && e.audience.kind === 'units');
    expect(unitNotice).toMatchObject({ summary: expect.stringContaining('请先联系诉求人核实情况') });
  });

  it('an approval needs no reason', () => {
    const s = ticketIn(state);
    expect(s.try(type, 'operator', { approve: true, note: undefined }).ok).toBe(true);
  });
});
