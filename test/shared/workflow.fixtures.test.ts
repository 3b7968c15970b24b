/** The builders the domain tests stand on: real tickets in every state, valid sample commands. */
import { commandSchema, commandTypes } from '../../shared/contracts/commands';
import { ticketSchema } from '../../shared/contracts/ticket';
import { getProfile, profileIds } from '../../shared/profiles';
import { stateIds } from '../../shared/workflow/states';
import { command, ticketIn } from '../support/domainFixtures';

/** handedOff exists only under a profile that closes a ticket passed to an emergency line. */
const reachable = (p: string, s: string) => s !== 'handedOff' || getProfile(p).emergencyHandOff.after === 'close';

describe('ticketIn drives a real ticket to every state', () => {
  it.each(profileIds.flatMap((p) => stateIds.filter((s) => reachable(p, s)).map((s) => [p, s] as const)))('%s: %s', (p, s) => {
    const profile = getProfile(p);
    const { ticket, events } = ticketIn(s, profile);
    expect(ticket.state).toBe(s);
    expect(ticketSchema.safeParse(ticket).success).toBe(true);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(ticket.version).toBe(events.length);
    events.slice(1).forEach((e, i) => expect(e.from).toBe(events[i]!.to));
    expect(events[events.length - 1]!.to).toBe(s);
    for (const type of commandTypes) expect(commandSchema.safeParse(command(type, ticket, profile)).success).toBe(true);
  });
});

describe('a profile that keeps an emergency open after the hand-off', () => {
  it.each(profileIds.filter((p) => !reachable(p, 'handedOff')))('%s: the ticket stays where it was, with the hand-off recorded', (p) => {
    const s = ticketIn('submitted', getProfile(p));
    s.wait(60_000).do('handOffEmergency', 'operator');
    expect(s.ticket.state).toBe('submitted');
    expect(s.ticket.handOffs).toMatchObject([{ line: '110', by: 'u-operator' }]);
  });
});
