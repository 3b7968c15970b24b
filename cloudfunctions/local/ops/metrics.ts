import { Cron } from 'croner';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { SqliteDb } from '../../adapters/sqlite/db';
import { toCroner } from '../cron';

/**
 * The timer's runs as seen by the process: how many, the last success, and the lag — how far the
 * timer's work is behind its schedule (0 while every due tick has completed). Also what a graceful
 * shutdown waits for.
 */
export class TimerWatch {
  private readonly cron: Cron;
  private lastOkTick: number;
  private current: Promise<unknown> | null = null;
  runsOk = 0;
  runsFailed = 0;
  lastSuccessAt: number | null = null;

  constructor(expr: string, startedAt: number = Date.now()) {
    this.cron = new Cron(toCroner(expr), { paused: true, timezone: 'Asia/Shanghai' });
    this.lastOkTick = startedAt;
  }

  /** Runs one tick of the job (the cron's callback). */
  async run(job: () => Promise<unknown>, tickAt: number = Date.now()): Promise<void> {
    const p = (async () => {
      try {
        await job();
        this.runsOk++;
        this.lastOkTick = Math.max(this.lastOkTick, tickAt);
        this.lastSuccessAt = Date.now();
      } catch (e) {
        this.runsFailed++;
        throw e;
      }
    })();
    this.current = p;
    try {
      await p;
    } finally {
      if (this.current === p) this.current = null;
    }
  }

  /** Seconds since the first tick after the last successful one was due (0 if it is not due yet). */
  lagSeconds(now: number = Date.now()): number {
    const next = this.cron.nextRun(new Date(this.lastOkTick));
    return next ? Math.max(0, (now - next.getTime()) / 1000) : 0;
  }

  get running(): boolean {
    return this.current !== null;
  }

  /** Resolves when no run is in progress (a run's failure is the run's business, not the caller's). */
  async idle(): Promise<void> {
    while (this.current) await this.current.catch(() => undefined);
  }

  stop(): void {
    this.cron.stop();
  }
}

/** Routes as metric labels: a bounded set, never a raw path. */
export function routeOf(pathname: string): string {
  const fn = /^\/api\/([a-z_]+)(?:\/|$)/.exec(pathname)?.[1];
  if (fn) return `/api/${fn}`;
  if (pathname.startsWith('/files/')) return '/files';
  if (pathname === '/healthz' || pathname === '/metrics') return pathname;
  return '/static';
}

/**
 * /metrics in Prometheus text format: requests by route, method and status, latency by route,
 * requests in flight, deliveries by status (pending = notices still to send), the timer's runs
 * and lag, and the process's own figures (prom-client's defaults: CPU, memory, event-loop lag).
 */
export class RuntimeMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'route' | 'method' | 'status'>;
  private readonly latency: Histogram<'route'>;
  readonly inFlight: Gauge;

  constructor(opts: { db?: SqliteDb; timer?: TimerWatch | null; now?: () => number }) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'mashang_' });
    this.requests = new Counter({ name: 'mashang_http_requests_total', help: 'HTTP requests answered, by route, method and status', labelNames: ['route', 'method', 'status'], registers });
    this.latency = new Histogram({ name: 'mashang_http_request_duration_seconds', help: 'Time from the request to the end of the response, by route', labelNames: ['route'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers });
    this.inFlight = new Gauge({ name: 'mashang_http_requests_in_flight', help: 'Requests being answered now', registers });
    const db = opts.db;
    if (db) {
      const byStatus = db.prepare('SELECT status, count(*) AS n FROM deliveries GROUP BY status');
      new Gauge({
        name: 'mashang_deliveries',
        help: 'Notice deliveries by status (pending: not yet sent or waiting for a retry)',
        labelNames: ['status'],
        registers,
        collect() {
          this.reset();
          const seen = new Set<string>();
          for (const r of byStatus.all() as { status: string; n: number }[]) {
            this.set({ status: r.status }, r.n);
            seen.add(r.status);
          }
          if (!seen.has('pending')) this.set({ status: 'pending' }, 0);
        },
      });
    }
    const timer = opts.timer;
    if (timer) {
      const now = opts.now ?? Date.now;
      new Gauge({ name: 'mashang_timer_lag_seconds', help: 'How far the deadline timer is behind its schedule (0 when every due run has completed)', registers, collect() { this.set(timer.lagSeconds(now())); } });
      new Gauge({ name: 'mashang_timer_last_success_timestamp_seconds', help: 'When the last timer run completed (Unix seconds; 0 before the first)', registers, collect() { this.set((timer.lastSuccessAt ?? 0) / 1000); } });
      new Counter({ name: 'mashang_timer_runs_total', help: 'Timer runs by result', labelNames: ['result'], registers, collect() { this.reset(); this.inc({ result: 'ok' }, timer.runsOk); this.inc({ result: 'error' }, timer.runsFailed); } });
    }
  }

  observe(route: string, method: string, status: number, seconds: number): void {
    this.requests.inc({ route, method, status: String(status) });
    this.latency.observe({ route }, seconds);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
