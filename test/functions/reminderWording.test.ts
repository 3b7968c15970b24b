/**
 * A "due soon" reminder names the limit it is about (issue 16): one for the 24-hour signing limit
 * must not read as if the handling time were 80 % gone.
 */
import { runTimer } from '../../cloudfunctions/lib/timer';
import { createHarness, submitAndDispatch } from '../support/functionHarness';

describe('due-soon reminders name their deadline', () => {
  it('an unsigned ticket: the reminder is about 签收, not 办理; once signed, about 办理', async () => {
    const h = await createHarness();
    try {
      const t = await submitAndDispatch(h, { viaOperator: true });
      const sign = (await h.ticket(t.id)).deadlines.find((d) => d.kind === 'sign' && d.status === 'active')!;
      h.clock.set(sign.startedAt + Math.floor((sign.dueAt - sign.startedAt) * 0.9));
      await runTimer(h.deps, 'run-sign');
      const aboutSign = h.deliveries().filter((d) => d.template === 'dueSoon' && d.ticketId === t.id).map((d) => d.notice.summary);
      expect(aboutSign.length).toBeGreaterThan(0);
      for (const s of aboutSign) expect(s).toMatch(/^签收时限已过(50|80)%，请尽快签收$/);

      await h.command('demo-staff-cg', 'staff', { type: 'sign', ticketId: t.id });
      const handle = (await h.ticket(t.id)).deadlines.find((d) => d.kind === 'handle' && d.status === 'active')!;
      h.clock.set(handle.startedAt + Math.floor((handle.dueAt - handle.startedAt) * 0.9));
      await runTimer(h.deps, 'run-handle');
      const aboutHandling = h.deliveries().filter((d) => d.template === 'dueSoon' && d.ticketId === t.id).map((d) => d.notice.summary).slice(aboutSign.length);
      expect(aboutHandling.length).toBeGreaterThan(0);
      for (const s of aboutHandling) expect(s).toMatch(/^办理时限已过(50|80)%，请尽快办理$/);
    } finally {
      await h.close();
    }
  });
});
