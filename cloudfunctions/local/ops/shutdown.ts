import type http from 'node:http';
import type { TimerWatch } from './metrics';

export interface StopReport {
  /** Requests still being answered when the stop began. */
  inFlight: number;
  /** Whether a timer run was in progress when the stop began. */
  timerRunning: boolean;
  /** Connections cut because the grace period ran out. */
  forced: boolean;
  ms: number;
}

export interface Draining {
  /** Set when the stop begins: responses then carry `Connection: close`. */
  closing: boolean;
  inFlight: number;
  /** Responses not yet finished: told to close their connection when the stop begins. */
  responses: Set<http.ServerResponse>;
}

/**
 * A graceful stop: no new connections, no new timer runs; requests being answered finish (their
 * connections close after the response), the timer run in progress finishes; after `graceMs` the
 * remaining connections are cut. The database is the caller's to close afterwards.
 */
export async function gracefulStop(server: http.Server, draining: Draining, opts: { stopSchedule?: () => void; timer?: TimerWatch | null; graceMs: number }): Promise<StopReport> {
  const t0 = Date.now();
  draining.closing = true;
  for (const res of draining.responses) if (!res.headersSent) res.setHeader('connection', 'close');
  const report: StopReport = { inFlight: draining.inFlight, timerRunning: opts.timer?.running ?? false, forced: false, ms: 0 };
  opts.stopSchedule?.();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Keep-alive connections that fall idle after their last response are closed as they appear.
  const sweep = setInterval(() => server.closeIdleConnections(), 50);
  server.closeIdleConnections();
  let timeout: NodeJS.Timeout | undefined;
  const grace = new Promise<'late'>((resolve) => {
    timeout = setTimeout(() => resolve('late'), opts.graceMs);
  });
  const outcome = await Promise.race([Promise.all([closed, opts.timer?.idle()]).then(() => 'done' as const), grace]);
  clearInterval(sweep);
  clearTimeout(timeout);
  if (outcome === 'late') {
    report.forced = true;
    server.closeAllConnections();
    await closed;
  }
  report.ms = Date.now() - t0;
  return report;
}
