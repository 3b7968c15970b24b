/**
 * Every (state × command × actor) under the pingli profile, against an expectation table written
 * here from the workflow's specification (rules.md §1, issue 2) — not derived from `authorise`.
 */
import type { Role } from '../../shared/contracts/common';
import { commandTypes, type CommandType } from '../../shared/contracts/commands';
import { ERROR_MESSAGES, type ErrorCode } from '../../shared/errors';
import { canOffer, decide } from '../../shared/workflow/transition';
import { STATES, stateIds, type StateId } from '../../shared/workflow/states';
import { actors, actorNames, command, ctxAt, MINUTE, pingli, ticketIn, type ActorName, type Story } from '../support/domainFixtures';

type Outcome = StateId | ErrorCode;
/** The outcome for an admitted actor, or one per actor where they differ. */
type Cell = Outcome | Partial<Record<ActorName, Outcome>>;

interface Expectation {
  /** Roles the command admits; any other role is 'forbidden'. */
  roles: Role[];
  /**
   * Capacity the actor must hold on this ticket (operators and the system are exempt):
   * requester → 'not-requester'; lead unit → 'not-assignee' / 'not-lead-unit' for an assisting unit;
   * assignee → 'not-assignee'; assisting unit → 'not-assignee'.
   */
  capacity?: 'requester' | 'lead' | 'assignee' | 'assist';
  /** From-states and what happens there; any other state is refused by state. */
  from: Partial<Record<StateId, Cell>>;
}

/** The states in the 'closed' category: a command that does not apply there is 'ticket-closed'. */
const CLOSED: StateId[] = ['resolved', 'answered', 'closed', 'rejected', 'withdrawn', 'terminated', 'split', 'handedOff', 'merged'];
/** 'dissatisfied' (不满意 after the rework) is open: the platform still has to revisit and conclude (pingli 20). */
const OPEN: StateId[] = ['submitted', 'accepted', 'dispatched', 'handling', 'returnRequested', 'coordinationRequested', 'extensionRequested', 'replied', 'dissatisfied'];
/** States in which units A (lead) and B (assist) hold the driven ticket. */
const WITH_UNITS: StateId[] = ['dispatched', 'handling', 'returnRequested', 'coordinationRequested', 'extensionRequested', 'replied', 'resolved', 'closed', 'terminated', 'dissatisfied'];

/** Open and not yet at the result stage: a ticket may be merged into another, or joined, here. */
const JOINABLE: StateId[] = ['submitted', 'accepted', 'dispatched', 'handling', 'returnRequested', 'coordinationRequested', 'extensionRequested'];
const same = (states: StateId[]) => Object.fromEntries(states.map((s) => [s, s])) as Partial<Record<StateId, Cell>>;
const all = (states: StateId[], outcome: Outcome) => Object.fromEntries(states.map((s) => [s, outcome])) as Partial<Record<StateId, Cell>>;
const strangers = { otherResident: 'not-requester', grid: 'not-requester' } as const;

const EXPECT: Record<CommandType, Expectation> = {
  accept: { roles: ['operator'], from: { submitted: 'accepted' } },
  // Operators answer from the knowledge base; the requester only answers their own consultation at once.
  answer: {
    roles: ['operator', 'resident', 'grid'],
    from: {
      submitted: { operator: 'answered', resident: 'answered', ...strangers },
      accepted: { operator: 'answered', resident: 'illegal-transition', ...strangers },
    },
  },
  refuse: { roles: ['operator'], from: { submitted: 'rejected' } },
  // pingli: withdrawal until dispatch, before the unit signs.
  withdraw: { roles: ['resident', 'grid'], capacity: 'requester', from: { submitted: 'withdrawn', accepted: 'withdrawn', dispatched: 'withdrawn', handling: 'withdraw-not-allowed' } },
  dispatch: { roles: ['operator'], from: { accepted: 'dispatched' } },
  sign: {
    roles: ['staff'],
    capacity: 'assignee',
    from: {
      dispatched: { leadStaff: 'handling', assistStaff: 'dispatched' },
      handling: { leadStaff: 'illegal-transition', assistStaff: 'handling' },
      extensionRequested: { leadStaff: 'illegal-transition', assistStaff: 'extensionRequested' },
    },
  },
  contact: { roles: ['staff'], capacity: 'lead', from: same(['handling', 'extensionRequested']) },
  // The driven requester is not confidential and complained about nobody: the full number may be read, a relay is not needed.
  revealPhone: { roles: ['staff'], capacity: 'assignee', from: same(['handling', 'extensionRequested']) },
  requestRelay: { roles: ['staff'], capacity: 'assignee', from: all(['handling', 'extensionRequested'], 'relay-not-needed') },
  // No relay was asked for on the driven tickets.
  relayDone: { roles: ['operator'], from: all(['dispatched', 'handling', 'extensionRequested', 'returnRequested', 'coordinationRequested', 'replied'], 'no-relay-pending') },
  messageRequester: { roles: ['staff'], capacity: 'assignee', from: same(['handling', 'extensionRequested']) },
  requestReturn: { roles: ['staff'], capacity: 'lead', from: { dispatched: 'returnRequested', handling: 'returnRequested' } },
  reviewReturn: { roles: ['operator'], from: { returnRequested: 'accepted' } },
  // Unclear duties: the lead unit asks; the platform decides another unit (unit C), which gets it afresh.
  requestCoordination: { roles: ['staff'], capacity: 'lead', from: { dispatched: 'coordinationRequested', handling: 'coordinationRequested' } },
  coordinate: { roles: ['operator'], from: { coordinationRequested: 'dispatched', returnRequested: 'dispatched' } },
  requestExtension: { roles: ['staff'], capacity: 'lead', from: { handling: 'extensionRequested' } },
  reviewExtension: { roles: ['operator'], from: { extensionRequested: 'handling' } },
  assistFeedback: { roles: ['staff'], capacity: 'assist', from: same(['dispatched', 'handling', 'extensionRequested']) },
  // pingli 10(1): the driven 'handling' ticket has no contact record yet.
  reply: { roles: ['staff'], capacity: 'lead', from: { handling: 'contact-required' } },
  reviewResult: { roles: ['operator'], from: { replied: 'resolved' } },
  rate: { roles: ['resident', 'grid'], capacity: 'requester', from: { resolved: 'closed', answered: 'closed' } },
  // pingli 20: after the final 不满意 the second rating stands; a revisit records words, not a rating.
  revisit: { roles: ['operator'], from: { resolved: 'closed', answered: 'closed', dissatisfied: 'already-rated' } },
  // Any time after the reply, also after the rating and the archive (issue 15).
  recordRevisit: { roles: ['operator'], from: same(['replied', 'resolved', 'answered', 'dissatisfied', 'closed']) },
  // pingli 7(2): passed to the emergency line, the ticket closes.
  handOffEmergency: { roles: ['operator'], from: all(['submitted', 'accepted', 'dispatched', 'handling'], 'handedOff') },
  // Nobody rated the driven ticket dissatisfied, so there is nothing to rework.
  requestRework: { roles: ['resident', 'grid', 'operator'], capacity: 'requester', from: { resolved: 'rework-not-allowed' } },
  supervise: { roles: ['operator', 'system'], from: same(OPEN) },
  // Escalation needs a 督办 first; the driven tickets have none.
  escalate: { roles: ['operator'], from: all(OPEN, 'illegal-transition') },
  terminate: { roles: ['operator'], from: all(OPEN, 'terminated') },
  // pingli names no termination grounds, so a unit has none to propose and nothing is pending.
  proposeTermination: { roles: ['staff'], capacity: 'lead', from: { handling: 'termination-not-provided' } },
  reviewTermination: { roles: ['operator'], from: all(OPEN, 'illegal-transition') },
  // pingli has no dispute of a rating (anshan 23 has); nothing is pending.
  disputeRating: { roles: ['staff'], capacity: 'lead', from: all(['resolved', 'dissatisfied', 'closed'], 'dispute-not-allowed') },
  reviewDispute: { roles: ['operator'], from: all(['resolved', 'dissatisfied', 'closed'], 'illegal-transition') },
  // pingli 31: the lead unit appeals how the ticket is counted from dispatch on; nothing is pending to review.
  appealCounting: { roles: ['staff'], capacity: 'lead', from: same(['dispatched', 'handling', 'extensionRequested', 'returnRequested', 'coordinationRequested', 'replied', 'resolved', 'dissatisfied', 'closed', 'terminated', 'handedOff']) },
  reviewAppeal: { roles: ['operator'], from: all(['dispatched', 'handling', 'extensionRequested', 'returnRequested', 'coordinationRequested', 'replied', 'resolved', 'dissatisfied', 'closed', 'terminated', 'handedOff'], 'illegal-transition') },
  // pingli 34: an operator records an improper request in any state; nothing is recorded yet, so there is nothing to object to or review.
  recordMalicious: { roles: ['operator'], from: same(stateIds) },
  objectMalicious: { roles: ['resident', 'grid'], capacity: 'requester', from: all(stateIds, 'illegal-transition') },
  reviewObjection: { roles: ['operator'], from: all(stateIds, 'illegal-transition') },
  close: { roles: ['operator', 'system'], from: { resolved: 'closed', answered: 'closed', dissatisfied: 'closed' } },
  // Any ticket but a merged one links to another (ctx.other: an open request of the same matter).
  link: { roles: ['operator'], from: same(stateIds.filter((x) => x !== 'merged')) },
  // 我也遇到: anyone not yet counted joins an open ticket not yet at the result stage; the requester is counted already.
  join: { roles: ['resident', 'grid'], from: Object.fromEntries(JOINABLE.map((s) => [s, { resident: 'already-co-requester', otherResident: s, grid: s }])) as Partial<Record<StateId, Cell>> },
  // An open ticket not yet at the result stage merges into another open one.
  merge: { roles: ['operator'], from: all(JOINABLE, 'merged') },
  // pingli has no clock pause, and nothing is paused.
  pauseClock: { roles: ['operator'], from: { handling: 'illegal-transition' } },
  resumeClock: { roles: ['operator'], from: { handling: 'illegal-transition' } },
  // No deadline has passed ten minutes after the last step.
  markOverdue: { roles: ['system'], from: all(OPEN, 'illegal-transition') },
  // Operators reclassify any open ticket; a grid worker only their own report (here: a stranger).
  classify: { roles: ['operator', 'grid'], capacity: 'requester', from: same(OPEN) },
};

const ROLE_OF: Record<ActorName, Role> = Object.fromEntries(actorNames.map((a) => [a, actors[a].role])) as Record<ActorName, Role>;

/** The expected outcome of `type` by `who` on the driven ticket in `state`. */
function expected(state: StateId, type: CommandType, who: ActorName): Outcome {
  const spec = EXPECT[type];
  if (!spec.roles.includes(ROLE_OF[who])) return 'forbidden';
  const exempt = who === 'operator' || who === 'system';
  const units = WITH_UNITS.includes(state);
  if (spec.capacity && !exempt) {
    switch (spec.capacity) {
      case 'requester':
        if (who !== 'resident') return 'not-requester';
        break;
      case 'lead':
        if (!units || who === 'otherStaff') return 'not-assignee';
        if (who === 'assistStaff') return 'not-lead-unit';
        break;
      case 'assignee':
        if (!units || who === 'otherStaff') return 'not-assignee';
        break;
      case 'assist':
        if (!units || who !== 'assistStaff') return 'not-assignee';
        break;
    }
  }
  const cell = spec.from[state];
  if (cell === undefined) return CLOSED.includes(state) ? 'ticket-closed' : 'illegal-transition';
  if (typeof cell === 'string') return cell;
  const outcome = cell[who];
  if (!outcome) throw new Error(`table gap: ${type} in ${state} by ${who}`);
  return outcome;
}

const isState = (o: Outcome): o is StateId => o in STATES;
/** Refusals that depend only on the actor and the state, which the views can know in advance. */
const GATE_CODES: Outcome[] = ['forbidden', 'not-requester', 'not-assignee', 'not-lead-unit', 'ticket-closed', 'withdraw-not-allowed'];

// The table runs on consultations, so that the requester's instant answer is reachable.
const fixtures = Object.fromEntries(stateIds.map((s) => [s, ticketIn(s, pingli, { type: 'consultation' })])) as Record<StateId, Story>;
const nowIn = (s: StateId) => fixtures[s].now + MINUTE;

describe('the expectation table', () => {
  it('covers every command and names only real states and codes', () => {
    expect(Object.keys(EXPECT).sort()).toEqual([...commandTypes].sort());
    for (const spec of Object.values(EXPECT)) {
      for (const [state, cell] of Object.entries(spec.from)) {
        expect(stateIds).toContain(state);
        for (const o of typeof cell === 'string' ? [cell] : Object.values(cell!)) {
          expect(isState(o!) || o! in ERROR_MESSAGES).toBe(true);
        }
      }
    }
  });

  it('agrees with the state table on categories', () => {
    expect([...CLOSED].sort()).toEqual(stateIds.filter((s) => STATES[s].category === 'closed').sort());
    expect([...OPEN].sort()).toEqual(stateIds.filter((s) => STATES[s].category === 'open').sort());
  });

  it('drives fixtures whose units match WITH_UNITS', () => {
    for (const s of stateIds) expect(fixtures[s].ticket.assignments.map((a) => `${a.unitId}:${a.role}`)).toEqual(WITH_UNITS.includes(s) ? ['unit-a:lead', 'unit-b:assist'] : []);
  });
});

const rows = stateIds.flatMap((s) => commandTypes.flatMap((c) => actorNames.map((a) => [s, c, a, expected(s, c, a)] as const)));

describe('decide: every (state, command, actor)', () => {
  it.each(rows)('%s · %s by %s → %s', (state, type, who, outcome) => {
    const { ticket, profile } = fixtures[state];
    const before = JSON.stringify(ticket);
    const d = decide(ticket, command(type, ticket, profile), actors[who], ctxAt(nowIn(state), profile));
    expect(JSON.stringify(ticket)).toBe(before);
    if (isState(outcome)) {
      if (!d.ok) throw new Error(`refused with ${d.code}: ${d.message}`);
      expect(d.ticket.state).toBe(outcome);
      expect(d.ticket.version).toBe(ticket.version + 1);
      expect(d.event).toMatchObject({ seq: d.ticket.version, ticketId: ticket.id, type, from: state, to: outcome, at: nowIn(state) });
      expect(d.event.id).toBe(`${ticket.id}:${d.ticket.version}`);
      // What succeeds is offered to the user.
      expect(canOffer(ticket, type, actors[who], profile)).toBe(true);
    } else {
      expect(d).toEqual({ ok: false, code: outcome, message: expect.any(String) });
      expect('ticket' in d || 'event' in d).toBe(false);
      // Refused by who or where: never offered.
      if (GATE_CODES.includes(outcome)) expect(canOffer(ticket, type, actors[who], profile)).toBe(false);
    }
  });
});

// The natural actor of each command, for the version checks.
const natural = (s: StateId, c: CommandType): ActorName => actorNames.find((a) => isState(expected(s, c, a))) ?? 'operator';
const accepted = rows.filter(([, , , o]) => isState(o));

describe('decide: expectedVersion', () => {
  it.each(stateIds.flatMap((s) => commandTypes.map((c) => [s, c] as const)))('%s · %s with a stale expectedVersion → stale-version', (state, type) => {
    const { ticket, profile } = fixtures[state];
    const stale = ticket.version > 1 ? ticket.version - 1 : ticket.version + 1;
    const d = decide(ticket, command(type, ticket, profile, { expectedVersion: stale }), actors[natural(state, type)], ctxAt(nowIn(state), profile));
    expect(d).toEqual({ ok: false, code: 'stale-version', message: expect.any(String) });
  });

  it.each(accepted)('%s · %s by %s with the current expectedVersion → %s', (state, type, who, outcome) => {
    const { ticket, profile } = fixtures[state];
    const d = decide(ticket, command(type, ticket, profile, { expectedVersion: ticket.version }), actors[who], ctxAt(nowIn(state), profile));
    expect(d.ok && d.ticket.state).toBe(outcome);
  });
});

describe('the headline refusals', () => {
  it.each(['resident', 'grid', 'leadStaff', 'system'] as const)('%s cannot dispatch: forbidden', (who) => {
    const { ticket } = fixtures.accepted;
    const d = decide(ticket, command('dispatch', ticket), actors[who], ctxAt(nowIn('accepted')));
    expect(!d.ok && d.code).toBe('forbidden');
  });

  it.each(['sign', 'contact', 'reply', 'requestReturn', 'requestExtension', 'assistFeedback'] as const)('a unit cannot %s on another unit’s ticket', (type) => {
    const { ticket } = fixtures.handling;
    const d = decide(ticket, command(type, ticket), actors.otherStaff, ctxAt(nowIn('handling')));
    expect(!d.ok && d.code).toBe('not-assignee');
  });

  it.each(['reply', 'requestReturn', 'requestExtension', 'contact'] as const)('an assisting unit cannot %s', (type) => {
    const { ticket } = fixtures.handling;
    const d = decide(ticket, command(type, ticket), actors.assistStaff, ctxAt(nowIn('handling')));
    expect(!d.ok && d.code).toBe('not-lead-unit');
  });

  it.each(CLOSED.flatMap((s) => (['accept', 'dispatch', 'reviewResult', 'supervise', 'escalate', 'terminate'] as const).map((c) => [s, c] as const)))('%s refuses %s with ticket-closed', (state, type) => {
    const { ticket } = fixtures[state];
    const d = decide(ticket, command(type, ticket), actors.operator, ctxAt(nowIn(state)));
    expect(!d.ok && d.code).toBe('ticket-closed');
  });

  it('the lead unit signs once; a second sign is an illegal transition', () => {
    const { ticket } = fixtures.handling;
    const d = decide(ticket, command('sign', ticket), actors.leadStaff, ctxAt(nowIn('handling')));
    expect(!d.ok && d.code).toBe('illegal-transition');
  });
});
