import { DomainError } from '../../../shared/errors';
import type { Ratio } from '../../../shared/metrics/facts';
import { loadPolicy } from '../policy';
import { figuresBy, unitFigures } from './stats';
import { publicCases } from '../cases';
import type { Handlers } from './types';

const HOUR = 3_600_000;

/** The instants a Shanghai calendar month "YYYY-MM" starts and ends. */
function shanghaiMonth(month: string): { from: number; to: number } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return { from: Date.UTC(y, m - 1, 1) - 8 * HOUR, to: Date.UTC(y, m, 1) - 8 * HOUR };
}

const figure = (f: { submitted: number; response: Ratio; resolution: Ratio; satisfaction: Ratio; onTime: Ratio }) => ({
  submitted: f.submitted,
  response: f.response,
  resolution: f.resolution,
  satisfaction: f.satisfaction,
  onTime: f.onTime,
});

/**
 * Public disclosure (linyi 22: 每月公开诉求办理情况; anshan 17): a month's figures for all units, the
 * completion by unit, and the number of requests by category. Built from the facts counts only,
 * so nothing about a ticket or a person can appear: no numbers, names, phones, addresses or text.
 */
export const publicFigures: Handlers<'public'> = {
  async monthly({ deps, ip }, p) {
    const now = deps.clock.now();
    // Per address; callers whose address the runtime does not know share one budget.
    if ((await deps.directory.hit(`public-ip:${ip ?? 'unknown'}`, deps.limits.publicWindowMs, now)) > deps.limits.publicReadsPerWindow) throw new DomainError('public-rate-limited');
    const { from, to } = shanghaiMonth(p.month);
    if (from > now) throw new DomainError('invalid-input', '该月份尚未开始，没有可公开的数据');
    const { profile } = await loadPolicy(deps.directory, now);
    const period = { from, to };
    const [all, ...units] = await unitFigures(deps, profile, period);
    const byCategory = (await figuresBy(deps, profile, period, 'category'))
      .filter((f) => f.key !== '' && f.submitted > 0)
      .map((f) => ({ category: f.key, count: f.submitted }))
      .sort((a, b) => b.count - a.count || a.category.localeCompare(b.category, 'zh-CN'));
    return {
      month: p.month,
      from,
      to,
      /** The current month is shown up to now. */
      asOf: Math.min(to, now),
      partial: to > now,
      all: figure(all!),
      units: units
        .filter((u) => u.unitId !== '')
        .map((u) => ({ unitName: u.unitName, ...figure(u) }))
        .sort((a, b) => a.unitName.localeCompare(b.unitName, 'zh-CN')),
      byCategory,
    };
  },
  /** Typical cases the operators published (linyi 22(3)), anonymised when they were written. */
  async cases({ deps, ip }) {
    if ((await deps.directory.hit(`public-ip:${ip ?? 'unknown'}`, deps.limits.publicWindowMs, deps.clock.now())) > deps.limits.publicReadsPerWindow) throw new DomainError('public-rate-limited');
    return publicCases(deps);
  },
};
