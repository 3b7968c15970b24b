/**
 * What each viewer sees (anshan 26, hohhot 32, linyi 17(4)/23, pingli 33, baiyin 14(4)):
 * masked phones for staff, no identity on confidential requests or for the unit complained about,
 * and only public events on a resident's timeline.
 */
import { getProfile } from '../../shared/profiles';
import { childTicket } from '../../shared/workflow/openTicket';
import { currentDeadline, deadlineBasis } from '../../shared/workflow/deadlineRules';
import { publicLabel, staffLabel } from '../../shared/workflow/states';
import { CONFIDENTIAL_CONTACT, maskPhone, ticketFor, timelineFor } from '../../shared/workflow/visibility';
import { NAME, PHONE, Story, UNIT_A, UNIT_B, actors, pingli, ticketIn } from '../support/domainFixtures';

const RESIDENT_ID = actors.resident.userId;
const identityOf = (json: string) => ({ phone: json.includes(PHONE), name: json.includes(NAME), userId: json.includes(RESIDENT_ID) });
const NONE = { phone: false, name: false, userId: false };

describe('maskPhone', () => {
  it.each([
    ['13812341234', '138****1234'],
    ['0915-8123456', '091****3456'],
    ['12345', '****'],
    [undefined, undefined],
    ['', ''],
  ])('%s → %s', (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });
});

describe('staff see a masked phone', () => {
  const { ticket } = ticketIn('handling');

  it('in a list: masked name and phone', () => {
    const v = ticketFor(ticket, actors.leadStaff, 'list');
    expect(v.requester).toEqual({ confidential: false, name: '张*', phone: '138****1234' });
    expect(v.requesterShown).toBe('张* 138****1234');
    expect(v.reporter).toEqual({ userId: 'hidden', role: 'resident' });
    expect(v).not.toHaveProperty('clientRequestId');
  });

  it('in the detail: the name to address the requester, the phone still masked', () => {
    const v = ticketFor(ticket, actors.leadStaff, 'detail');
    expect(v.requester).toEqual({ confidential: false, name: NAME, phone: '138****1234' });
  });

  it.each(['list', 'detail'] as const)('JSON of the staff %s view holds no full phone number', (view) => {
    for (const staff of [actors.leadStaff, actors.assistStaff]) {
      const json = JSON.stringify(ticketFor(ticket, staff, view));
      expect(json).not.toContain(PHONE);
      expect(json).toContain('138****1234');
      expect(json).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/);
    }
  });

  it('operators: masked in lists, in full in the detail; labels for staff and residents differ', () => {
    expect(ticketFor(ticket, actors.operator, 'list').requester.phone).toBe('138****1234');
    expect(ticketFor(ticket, actors.operator, 'detail').requester.phone).toBe(PHONE);
    expect(ticketFor(ticket, actors.operator, 'detail').labels.state).toBe(staffLabel('handling'));
    expect(ticketFor(ticket, actors.resident, 'detail').labels.state).toBe(publicLabel('handling'));
  });

  it('an open ticket shows its current deadline with the article', () => {
    const v = ticketFor(ticket, actors.resident, 'detail');
    expect(v.labels.deadline).toBe(deadlineBasis(currentDeadline(ticket)!));
    expect(v.labels.deadline).toBe('依据《平利县12345便民服务平台管理办法(试行)》第十二条第（二）项，5个工作日内办结');
    expect(ticketFor(ticketIn('closed').ticket, actors.resident, 'detail').labels.deadline).toBeUndefined();
  });
});

describe('a confidential request shows staff no name and no phone', () => {
  const story = ticketIn('handling', pingli, { input: { confidential: true, scene: 'gate-12' } });
  const { ticket } = story;

  it.each(['list', 'detail'] as const)('%s: 通过平台联系, and no reporter or scene', (view) => {
    for (const staff of [actors.leadStaff, actors.assistStaff]) {
      const v = ticketFor(ticket, staff, view);
      expect(v.requester).toEqual({ confidential: true });
      expect(v.requesterShown).toBe(CONFIDENTIAL_CONTACT);
      expect(v.requesterShown).toBe('通过平台联系');
      expect(v.reporter.userId).toBe('hidden');
      expect(v).not.toHaveProperty('scene');
      expect(identityOf(JSON.stringify(v))).toEqual(NONE);
    }
  });

  it('the staff timeline hides who acted for the requester', () => {
    const timeline = timelineFor(story.events, actors.leadStaff, ticket);
    expect(timeline.find((e) => e.type === 'submit')!.actor).toEqual({ role: 'resident', userId: 'hidden' });
    expect(identityOf(JSON.stringify(timeline))).toEqual(NONE);
  });

  it('the platform still sees who it is, to contact them', () => {
    expect(ticketFor(ticket, actors.operator, 'detail').requester).toMatchObject({ name: NAME, phone: PHONE, confidential: true });
  });
});

describe('the unit complained about never sees who complained (anshan 26, linyi 23)', () => {
  /** A complaint against unit A, which leads its handling (first-handler duty); B assists. */
  const story = Story.open(pingli, { input: { type: 'complaint' } });
  story.wait(60_000).do('accept', 'operator');
  story.wait(60_000).do('dispatch', 'operator', { mode: 'lead', unitIds: [UNIT_A], assistUnitIds: [UNIT_B], complainedUnitId: UNIT_A });
  story.wait(60_000).do('sign', 'leadStaff');
  story.wait(60_000).do('contact', 'leadStaff');
  const { ticket } = story;

  it('the dispatch records the unit complained about', () => {
    expect(ticket.complainedUnitId).toBe(UNIT_A);
    expect(ticket.requester.confidential).toBe(false);
  });

  it.each(['list', 'detail'] as const)('%s view of unit A: no name, no phone, no reporter', (view) => {
    const v = ticketFor(ticket, actors.leadStaff, view);
    expect(v.requester).toEqual({ confidential: false });
    expect(v.requesterShown).toBe(CONFIDENTIAL_CONTACT);
    expect(identityOf(JSON.stringify(v))).toEqual(NONE);
  });

  it('unit A’s timeline names nobody for the requester’s own events', () => {
    const timeline = timelineFor(story.events, actors.leadStaff, ticket);
    expect(timeline.find((e) => e.type === 'submit')!.actor).toEqual({ role: 'resident', userId: 'hidden' });
    expect(identityOf(JSON.stringify(timeline))).toEqual(NONE);
  });

  it('unit B, not complained about, sees the masked contact as usual', () => {
    expect(ticketFor(ticket, actors.assistStaff, 'detail').requester).toEqual({ confidential: false, name: NAME, phone: '138****1234' });
  });

  it('a child ticket of a separate dispatch keeps the unit complained about', () => {
    const s = Story.open(pingli, { input: { type: 'complaint' } });
    s.wait(60_000).do('accept', 'operator');
    const d = s.wait(60_000).do('dispatch', 'operator', { mode: 'separate', unitIds: [UNIT_A, UNIT_B], assistUnitIds: [], complainedUnitId: UNIT_A });
    const child = childTicket(d.ticket, UNIT_A, { ticketId: 'child-a', number: 'C1' }, s.ctx()).ticket;
    expect(identityOf(JSON.stringify(ticketFor(child, actors.leadStaff, 'detail')))).toEqual(NONE);
  });
});

describe('a resident’s timeline holds only public events', () => {
  const story = ticketIn('dispatched');
  story.wait(60_000).do('sign', 'assistStaff'); // private
  story.wait(60_000).do('sign', 'leadStaff');
  story.wait(60_000).do('assistFeedback', 'assistStaff'); // private
  story.wait(60_000).do('requestExtension', 'leadStaff'); // private
  story.wait(60_000).do('reviewExtension', 'operator', { approve: false, note: '理由不充分，不予延期' }); // private
  story.wait(60_000).do('requestReturn', 'leadStaff'); // private
  story.wait(60_000).do('reviewReturn', 'operator', { approve: false, note: '职责明确，不同意退回' }); // private
  story.wait(60_000).do('contact', 'leadStaff');
  story.wait(60_000).do('reply', 'leadStaff');
  story.wait(60_000).do('reviewResult', 'operator', { approve: true, note: '内部核查：现场照片与答复一致' });
  const { ticket, events } = story;

  it('the story has private events to hide', () => {
    expect(events.filter((e) => !e.public).map((e) => e.type)).toEqual(['sign', 'assistFeedback', 'requestExtension', 'reviewExtension', 'requestReturn', 'reviewReturn']);
  });

  it.each(['resident', 'grid'] as const)('for a %s: exactly the public events, in order, with public labels', (who) => {
    const timeline = timelineFor(events, actors[who], ticket);
    expect(timeline.map((e) => e.seq)).toEqual(events.filter((e) => e.public).map((e) => e.seq));
    for (const e of timeline) expect(e.stateLabel).toBe(publicLabel(e.to));
  });

  it('actors are shown by role, never by user', () => {
    const timeline = timelineFor(events, actors.resident, ticket);
    expect(new Set(timeline.map((e) => JSON.stringify(e.actor)))).toEqual(
      new Set([{ role: 'resident', shown: '诉求人' }, { role: 'operator', shown: '平台' }, { role: 'staff', shown: '承办单位' }].map((a) => JSON.stringify(a))),
    );
    const json = JSON.stringify(timeline);
    for (const a of [actors.operator, actors.leadStaff, actors.assistStaff]) expect(json).not.toContain(a.userId);
  });

  it('staff and operators see every event', () => {
    expect(timelineFor(events, actors.operator, ticket)).toHaveLength(events.length);
    expect(timelineFor(events, actors.leadStaff, ticket)).toHaveLength(events.length);
  });

  it('residents see no notes of the platform’s reviews', () => {
    const timeline = timelineFor(events, actors.resident, ticket);
    const reviews = timeline.filter((e) => e.type.startsWith('review'));
    expect(reviews.length).toBeGreaterThan(0);
    for (const e of reviews) expect(e.note).toBeUndefined();
  });
});

describe('timeline wording (issue 16)', () => {
  it('staff read 承办单位已联系诉求人 where the resident reads 承办单位已与您联系', () => {
    const story = ticketIn('handling');
    story.wait(60_000).do('contact', 'leadStaff', { method: 'phone', note: '已电话联系' });
    const { ticket, events } = story;
    const label = (who: 'resident' | 'leadStaff' | 'operator') => timelineFor(events, actors[who], ticket).find((e) => e.type === 'contact')!.label;
    expect(label('resident')).toBe('承办单位已与您联系');
    expect(label('leadStaff')).toBe('承办单位已联系诉求人');
    expect(label('operator')).toBe('承办单位已联系诉求人');
  });

  // baiyin 17: the 不满意 waits for rework or the operator's explanation (pingli 18 would send it back at once).
  it('baiyin 17: a rating says what was chosen; after 不满意 the state no longer asks for a rating', () => {
    const story = ticketIn('resolved', getProfile('baiyin'));
    story.wait(60_000).do('rate', 'resident', { value: 'dissatisfied', reason: '路灯还是不亮' });
    const { ticket, events } = story;
    expect(ticket.state).toBe('resolved');
    const rate = timelineFor(events, actors.resident, ticket).find((e) => e.type === 'rate')!;
    expect(rate.label).toBe('诉求人评价：不满意');
    expect(rate.stateLabel).toBe('已评价，可申请重新办理');
    expect(rate.stateChanged).toBe(false);
    expect(ticketFor(ticket, actors.resident, 'detail').labels.state).toBe('已评价，可申请重新办理');
    expect(ticketFor(ticket, actors.operator, 'detail').labels.state).toBe('已评价（不满意）');
    expect(timelineFor(events, actors.operator, ticket).find((e) => e.type === 'rate')!.label).toBe('诉求人评价：不满意');
  });

  it('pingli 17: a satisfied rating closes the ticket and says 满意', () => {
    const story = ticketIn('resolved');
    story.wait(60_000).do('rate', 'resident', { value: 'satisfied' });
    const rate = timelineFor(story.events, actors.resident, story.ticket).find((e) => e.type === 'rate')!;
    expect(rate.label).toBe('诉求人评价：满意');
    expect(rate).toMatchObject({ stateChanged: true, stateLabel: publicLabel('closed') });
  });

  it('stateChanged marks the events that moved the ticket, and only those', () => {
    const { ticket, events } = ticketIn('handling');
    for (const e of timelineFor(events, actors.operator, ticket)) expect(e.stateChanged).toBe(events.find((x) => x.seq === e.seq)!.from !== e.to);
  });

  it('units and operators see each unit by its name; residents see 承办单位', () => {
    const story = ticketIn('dispatched');
    story.wait(60_000).do('sign', 'assistStaff');
    story.wait(60_000).do('assistFeedback', 'assistStaff');
    const { ticket, events } = story;
    const names = { [UNIT_A]: '市城管局', [UNIT_B]: '市供电公司' };
    const feedback = timelineFor(events, actors.leadStaff, ticket, names).find((e) => e.type === 'assistFeedback')!;
    expect(feedback.actor).toMatchObject({ unitId: UNIT_B, shown: '市供电公司' });
    const signs = timelineFor(events, actors.operator, ticket, names).filter((e) => e.type === 'sign');
    expect(signs.map((e) => (e.actor as { shown?: string }).shown)).toEqual(['市供电公司']);
    const resident = timelineFor(events, actors.resident, ticket, names);
    expect(JSON.stringify(resident)).not.toContain('市供电公司');
  });
});

describe('internal and public notes (issue 16)', () => {
  const story = ticketIn('accepted');
  story.wait(60_000).do('dispatch', 'operator', { mode: 'single', unitIds: [UNIT_A], assistUnitIds: [], note: '该点位上月已处理过两次，请核实是否复发', publicNote: '已交由城管部门处理' });
  story.wait(60_000).do('supervise', 'operator', { level: 1, method: 'system', note: '请今天内到现场' });
  const { ticket, events } = story;

  it('the resident reads the public note of a dispatch, never the note for the units', () => {
    const timeline = timelineFor(events, actors.resident, ticket);
    const dispatch = timeline.find((e) => e.type === 'dispatch')!;
    expect(dispatch.note).toBe('已交由城管部门处理');
    expect(JSON.stringify(timeline)).not.toContain('上月已处理过两次');
    // A supervision's instruction is for the unit.
    expect(timeline.find((e) => e.type === 'supervise')!.note).toBeUndefined();
    expect(JSON.stringify(timeline)).not.toContain('请今天内到现场');
  });

  it('units and operators read the internal note, marked as such, and the public one in data', () => {
    for (const who of ['leadStaff', 'operator'] as const) {
      const dispatch = timelineFor(events, actors[who], ticket).find((e) => e.type === 'dispatch')!;
      expect(dispatch).toMatchObject({ note: '该点位上月已处理过两次，请核实是否复发', internalNote: true, data: { publicNote: '已交由城管部门处理' } });
    }
  });
});
