/**
 * Contacting the requester (baiyin 14(1), hohhot 19(1), pingli 10(1), linyi 17(1) and 17(4), anshan 26):
 * the full number only for a non-confidential requester and never to the unit complained about,
 * each reveal an event; otherwise the platform relays the call or carries a message; and a contact
 * record before the reply where the profile asks for one.
 */
import { getProfile, profileIds } from '../../shared/profiles';
import { ticketFor, timelineFor } from '../../shared/workflow/visibility';
import { PHONE, Story, UNIT_A, UNIT_B, actors, pingli, ticketIn } from '../support/domainFixtures';

const codeOf = (d: { ok: boolean; code?: string }) => (d.ok ? 'ok' : d.code);

/** Handling, lead unit A with assisting unit B, the complaint about `complained`. */
function complainedAbout(complained: string, profile = pingli): Story {
  const s = Story.open(profile, { input: { type: 'complaint' } });
  s.wait(60_000).do('accept', 'operator');
  s.wait(60_000).do('dispatch', 'operator', { mode: 'lead', unitIds: [UNIT_A], assistUnitIds: [UNIT_B], complainedUnitId: complained });
  s.wait(60_000).do('sign', 'leadStaff');
  return s;
}

describe('revealing the full number', () => {
  it('the lead and the assisting unit may reveal a non-confidential requester’s number; the event is the log and holds no number', () => {
    const s = ticketIn('handling');
    for (const who of ['leadStaff', 'assistStaff'] as const) {
      const d = s.wait(60_000).do('revealPhone', who);
      expect(d.event).toMatchObject({ type: 'revealPhone', actor: { userId: actors[who].userId, unitId: actors[who].unitId }, public: false, at: s.now });
      expect(JSON.stringify(d.event)).not.toContain(PHONE);
      expect(d.effects).toEqual([]);
    }
    // Operators see who revealed and when; the resident's timeline does not show it.
    const ops = timelineFor(s.events, actors.operator, s.ticket).filter((e) => e.type === 'revealPhone');
    expect(ops.map((e) => e.actor)).toEqual([expect.objectContaining({ userId: 'u-staff-a' }), expect.objectContaining({ userId: 'u-staff-b' })]);
    expect(timelineFor(s.events, actors.resident, s.ticket).some((e) => e.type === 'revealPhone')).toBe(false);
    // The staff view itself stays masked after a reveal.
    expect(JSON.stringify(ticketFor(s.ticket, actors.leadStaff, 'detail'))).not.toContain(PHONE);
  });

  it('a confidential requester: reveal-not-allowed, for every unit', () => {
    const s = ticketIn('handling', pingli, { input: { confidential: true } });
    expect(codeOf(s.try('revealPhone', 'leadStaff'))).toBe('reveal-not-allowed');
    expect(codeOf(s.try('revealPhone', 'assistStaff'))).toBe('reveal-not-allowed');
  });

  it('anshan 26: the unit complained about may not reveal; the other unit on the ticket may', () => {
    const s = complainedAbout(UNIT_B);
    expect(codeOf(s.try('revealPhone', 'assistStaff'))).toBe('reveal-not-allowed');
    expect(codeOf(s.try('revealPhone', 'leadStaff'))).toBe('ok');
    const lead = complainedAbout(UNIT_A);
    expect(codeOf(lead.try('revealPhone', 'leadStaff'))).toBe('reveal-not-allowed');
  });

  it('a unit not on the ticket cannot reveal; nor can anyone where the profile forbids it', () => {
    expect(codeOf(ticketIn('handling').try('revealPhone', 'otherStaff'))).toBe('not-assignee');
    const closed = { ...pingli, handling: { ...pingli.handling, contact: { ...pingli.handling.contact, revealToUnit: false } } };
    expect(codeOf(ticketIn('handling', closed).try('revealPhone', 'leadStaff'))).toBe('reveal-not-allowed');
  });
});

describe('contact through the platform', () => {
  it('linyi 17(4): on a confidential ticket the unit asks for a relayed call; an operator records it as the unit’s contact', () => {
    const linyi = getProfile('linyi');
    const s = ticketIn('handling', linyi, { input: { confidential: true } });
    const asked = s.wait(60_000).do('requestRelay', 'leadStaff', { note: '需核实具体门牌号' });
    expect(asked.ticket.relay).toEqual({ unitId: UNIT_A, note: '需核实具体门牌号', at: s.now, port: 'operator' });
    expect(asked.effects).toEqual([expect.objectContaining({ audience: { kind: 'operators' }, template: 'review' })]);
    expect(codeOf(s.try('requestRelay', 'leadStaff'))).toBe('relay-pending');
    const done = s.wait(60_000).do('relayDone', 'operator', { result: 'reached', note: '已三方通话' });
    expect(done.ticket.relay).toBeUndefined();
    expect(done.ticket.contactLog).toEqual([{ at: s.now, unitId: UNIT_A, method: 'relay', result: 'reached' }]);
    expect(done.effects).toEqual([expect.objectContaining({ audience: { kind: 'units', unitIds: [UNIT_A] }, summary: '平台已转接联系诉求人：已联系上' })]);
    // The relay is the contact record the reply needs (linyi 17(1)).
    expect(codeOf(s.wait(60_000).try('reply', 'leadStaff'))).toBe('ok');
    expect(JSON.stringify(ticketFor(s.ticket, actors.leadStaff, 'detail'))).not.toContain(PHONE);
  });

  it('the unit complained about asks for a relay; a unit that may see the requester is told to call directly', () => {
    expect(codeOf(complainedAbout(UNIT_A).try('requestRelay', 'leadStaff'))).toBe('ok');
    expect(codeOf(ticketIn('handling').try('requestRelay', 'leadStaff'))).toBe('relay-not-needed');
    expect(codeOf(ticketIn('handling').try('relayDone', 'operator', { result: 'reached' }))).toBe('no-relay-pending');
  });

  it('a platform message is public on the requester’s timeline, notifies them, and counts as a contact', () => {
    const s = ticketIn('handling', pingli, { input: { confidential: true } });
    const d = s.wait(60_000).do('messageRequester', 'leadStaff', { message: '明天上午十点到现场查看，请保持电话畅通' });
    expect(d.effects).toEqual([expect.objectContaining({ audience: { kind: 'requester' }, template: 'progress' })]);
    const mine = timelineFor(s.events, actors.resident, s.ticket).find((e) => e.type === 'messageRequester');
    expect(mine).toMatchObject({ note: '明天上午十点到现场查看，请保持电话畅通', actor: { shown: '承办单位' } });
    expect(d.ticket.contactLog).toEqual([{ at: s.now, unitId: UNIT_A, method: 'message', result: 'sent' }]);
  });
});

describe('a contact record before the reply', () => {
  const required = { baiyin: '第十四条第（一）项', hohhot: '第十九条第（一）项', pingli: '第十条第（一）项', linyi: '第十七条第（一）项' } as const;

  it.each(Object.entries(required))('%s %s: no reply before a contact record; after one, the reply goes through', (id, article) => {
    const s = ticketIn('handling', getProfile(id as keyof typeof required));
    const refused = s.wait(60_000).try('reply', 'leadStaff');
    expect(refused).toMatchObject({ ok: false, code: 'contact-required' });
    expect(!refused.ok && refused.message).toContain(article);
    s.wait(60_000).do('contact', 'leadStaff', { method: 'phone', result: 'unreachable', note: '电话无人接听，已发短信' });
    expect(s.ticket.contactLog).toEqual([{ at: s.now, unitId: UNIT_A, method: 'phone', result: 'unreachable' }]);
    expect(codeOf(s.wait(60_000).try('reply', 'leadStaff'))).toBe('ok');
  });

  it('anshan sets no such rule: it replies without a contact record', () => {
    expect(codeOf(ticketIn('handling', getProfile('anshan')).wait(60_000).try('reply', 'leadStaff'))).toBe('ok');
    expect(profileIds.filter((p) => getProfile(p).handling.contact.recordBeforeReply).sort()).toEqual(Object.keys(required).sort());
  });

  it('the assisting unit’s contact does not count for the lead unit', () => {
    const s = ticketIn('handling');
    s.wait(60_000).do('messageRequester', 'assistStaff', { message: '协办单位已了解情况' });
    expect(s.try('reply', 'leadStaff')).toMatchObject({ ok: false, code: 'contact-required' });
  });
});
