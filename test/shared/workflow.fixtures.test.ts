import { profileIds, getProfile } from '../../shared/profiles';
import { stateIds } from '../../shared/workflow/states';
import { ticketSchema } from '../../shared/contracts/ticket';
import { ticketIn } from '../support/domainFixtures';

describe('ticketIn drives a real ticket to every state', () => {
  it.each(profileIds.flatMap((p) => stateIds.map((s) => [p, s] as const)))('%s: %s', (p, s) => {
    const story = ticketIn(s, getProfile(p));
    expect(story.ticket.state).toBe(s);
    expect(ticketSchema.safeParse(story.ticket).success).toBe(true);
    expect(story.events.map((e) => e.seq)).toEqual(story.events.map((_, i) => i + 1));
  });
});
