import fs from 'node:fs';
import path from 'node:path';
import { Cron } from 'croner';

/** The timer function's trigger expression, read from its config.json so both runtimes agree. */
export function timerCron(functionsDir = path.join(__dirname, '..')): string {
  const config = JSON.parse(fs.readFileSync(path.join(functionsDir, 'timer', 'config.json'), 'utf8')) as { triggers?: { type: string; config: string }[] };
  const trigger = config.triggers?.find((t) => t.type === 'timer');
  if (!trigger) throw new Error('timer/config.json has no timer trigger');
  return trigger.config;
}

/**
 * CloudBase uses 7 fields (second minute hour day month weekday year); croner takes 6.
 * Only a '*' year is supported here, which is what a recurring job uses.
 */
export function toCroner(expr: string): string {
  const parts = expr.trim().split(/\s+/);
  if (parts.length === 7) {
    if (parts[6] !== '*') throw new Error(`unsupported year field in cron "${expr}"`);
    return parts.slice(0, 6).join(' ');
  }
  return expr;
}

/** Runs `job` on the expression; a run still going when the next tick comes is not started twice. */
export function schedule(expr: string, job: () => Promise<unknown>): Cron {
  return new Cron(toCroner(expr), { protect: true, timezone: 'Asia/Shanghai' }, async () => {
    try {
      await job();
    } catch (e) {
      console.error('[timer]', e);
    }
  });
}
