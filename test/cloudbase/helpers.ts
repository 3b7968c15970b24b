/** Tickets straight from the domain, for the CloudBase adapter tests. */
import { WorkingCalendar } from '../../shared/calendar/workingCalendar';
import type { Actor } from '../../shared/contracts/common';
import { commandSchema, submitInputSchema } from '../../shared/contracts/commands';
import type { Ticket, TicketEvent } from '../../shared/contracts/ticket';
import { getProfile } from '../../shared/profiles';
import { alarmsFor, decide, openTicket, type Alarm } from '../../shared/workflow';
import type { z } from 'zod';

export const profile = getProfile('pingli');
const calendar = new WorkingCalendar();
/** Monday 2026-03-02, 10:00 in Shanghai. */
export const T0 = Date.UTC(2026, 2, 2, 2);
export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;
export const operator: Actor = { userId: 'op-1', role: 'operator' };

export interface Draft {
  ticket: Ticket;
  event: TicketEvent;
  alarms: Alarm[];
}

let n = 0;
export function draft(opts: { reporter?: string; now?: number; crid?: string; content?: string } = {}): Draft {
  n += 1;
  const input = submitInputSchema.parse({
    clientRequestId: opts.crid ?? `crid-test-${n}`,
    type: 'help',
    category: '市政设施',
    content: opts.content ?? `第${n}号：路灯不亮，请尽快修理`,
    location: { area: 'xc' },
  });
  const actor: Actor = { userId: opts.reporter ?? 'r-1', role: 'resident' };
  const { ticket, event } = openTicket(input, actor, { now: opts.now ?? T0, profile, calendar }, { ticketId: `t-${n}`, number: `PL${String(n).padStart(6, '0')}` });
  return { ticket, event, alarms: alarmsFor(ticket, profile) };
}

type CommandInput = z.input<typeof commandSchema>;
export type Cmd = CommandInput extends infer C ? (C extends CommandInput ? Omit<C, 'ticketId'> : never) : never;

/** The next version of `t` after `cmd`, with its event and alarms (not saved). */
export function next(t: Ticket, cmd: Cmd, actor: Actor = operator, now = T0 + MIN): Draft {
  const d = decide(t, commandSchema.parse({ ...cmd, ticketId: t.id }), actor, { now, profile, calendar });
  if (!d.ok) throw new Error(`${cmd.type} refused: ${d.code}`);
  return { ticket: d.ticket, event: d.event, alarms: alarmsFor(d.ticket, profile) };
}
