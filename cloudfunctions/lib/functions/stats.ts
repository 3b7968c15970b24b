import { shanghaiWeekStart, type Period } from '../../../shared/metrics/assessment';
import { emptyFigures, figuresFromCounts, outcomesWhere, placeOf, type Dimension, type Figures } from '../../../shared/metrics/facts';
import type { PolicyProfile } from '../../../shared/profiles/schema';
import { formatShanghai, shanghaiDateOf } from '../../../shared/calendar';
import { REQUEST_TYPE_LABELS } from '../../../shared/labels';
import { staffLabel } from '../../../shared/workflow/states';
import { currentDeadline } from '../../../shared/workflow/deadlineRules';
import { DomainError } from '../../../shared/errors';
import type { Deps } from '../deps';
import { loadPolicy } from '../policy';
import { maskName, maskPhone, requesterCount } from '../../../shared/policy';
import type { Handlers } from './types';
import { briefing, briefingXlsx } from './briefing';

const WEEK = 7 * 86_400_000;
const MAX_SPAN = 400 * 86_400_000;
/** The weeks a warning compares the current week with (the 8-week baseline of issue 18). */
const BASELINE_WEEKS = 8;

/** What a warning compares: each category, each area, and each category within each area (DIMENSION_PAIRS). */
const WARNING_DIMENSIONS: ReadonlyArray<{ dimension: 'category' | 'area' | 'areaCategory'; by: Dimension; then?: Dimension }> = [
  { dimension: 'category', by: 'category' },
  { dimension: 'area', by: 'area' },
  { dimension: 'areaCategory', by: 'area', then: 'category' },
];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function checkPeriod(p: Period): void {
  if (p.to <= p.from || p.to - p.from > MAX_SPAN) throw new DomainError('invalid-input', '统计区间不正确（最长400天）');
}

/** Figures of a period under a dimension, counted from the facts (never from the tickets). */
export async function figuresBy(deps: Deps, profile: PolicyProfile, p: Period, by: Dimension, unitId?: string): Promise<Figures[]> {
  checkPeriod(p);
  return figuresFromCounts(await deps.store.factCounts({ from: p.from, to: p.to, by, unitId }), profile);
}

const EMPTY_KEY_LABEL: Record<Dimension, string> = { all: '全部', unit: '未派单', area: '未填写区域', category: '未分类', channel: '未知渠道' };
const CHANNEL_LABEL: Record<string, string> = { miniprogram: '小程序', phone: '电话', grid: '网格员', web: '网页' };

/** The unit figures as the dashboard reads them: unit id and name, '*' for all units. */
export async function unitFigures(deps: Deps, profile: PolicyProfile, p: Period, unitId?: string) {
  const units = new Map((await deps.directory.listUnits()).map((u) => [u.id, u.name]));
  const byUnit = (await figuresBy(deps, profile, p, 'unit', unitId)).filter((f) => f.key !== '');
  // A period with nothing in it still has its 全部单位 row (the zero counts gave none: stats.figures failed on an empty week).
  const all = (await figuresBy(deps, profile, p, 'all', unitId))[0] ?? emptyFigures('*');
  return [all, ...byUnit].map(({ key, ...f }) => ({ unitId: key, unitName: key === '*' ? '全部单位' : units.get(key) ?? key, ...f }));
}

/** The thresholds the board and the operators' notices use: over 3 times the 8-week median, and at least 5. */
export const WARNING_DEFAULTS = { factor: 3, min: 5 } as const;

/**
 * Risk warnings (baiyin 20, hohhot 29): a category, an area, or a category within an area, whose
 * submissions in the Shanghai week holding `at` exceed `factor` times the median of its previous
 * 8 weeks and reach at least `min`. Counted from the facts.
 */
export async function computeWarnings(deps: Deps, at: number, factor: number, min: number) {
  const p = { factor, min };
  const current = shanghaiWeekStart(at);
  const out = [];
  for (const spec of WARNING_DIMENSIONS) {
    // Submissions per key in the current week (i = 0) and each of the 8 before it, from the facts.
    const weeks: Map<string, number>[] = [];
    for (let i = 0; i <= BASELINE_WEEKS; i++) {
      const from = current - i * WEEK;
      const counts = await deps.store.factCounts({ from, to: from + WEEK, by: spec.by, then: spec.then, metric: 'submitted' });
      const week = new Map<string, number>();
      for (const c of counts) {
        if (c.key === '' || c.key2 === '') continue;
        const k = spec.then ? `${c.key}\u0000${c.key2}` : c.key;
        week.set(k, (week.get(k) ?? 0) + c.n);
      }
      weeks.push(week);
    }
    for (const [k, count] of weeks[0]!) {
      const baseline = weeks.slice(1).map((w) => w.get(k) ?? 0).reverse();
      const med = median(baseline);
      if (count >= p.min && count > p.factor * med) {
        const [first, second] = k.split('\u0000') as [string, string | undefined];
        const what = spec.dimension === 'areaCategory' ? `区域「${first}」分类「${second}」` : `${spec.dimension === 'category' ? '分类' : '区域'}「${k}」`;
        out.push({
          dimension: spec.dimension,
          key: spec.dimension === 'areaCategory' ? `${first}/${second}` : k,
          ...(spec.dimension === 'areaCategory' ? { area: first, category: second } : spec.dimension === 'area' ? { area: k } : { category: k }),
          label: `${what}本周${count}件，为前8周中位数（${med}件）的${med ? (count / med).toFixed(1) + '倍' : '多倍'}`,
          weekStart: current,
          count,
          median: med,
          baseline,
        });
      }
    }
  }
  return out.sort((x, y) => y.count - x.count || x.dimension.localeCompare(y.dimension) || x.key.localeCompare(y.key));
}

const csvCell = (v: unknown) => {
  const s = v === undefined || v === null ? '' : String(v);
  // Leading = + - @ would run as formulas in a spreadsheet.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};
const pct = (r: { rate: number | null }) => (r.rate === null ? '' : (r.rate * 100).toFixed(1) + '%');

export const stats: Handlers<'stats'> = {
  async figures({ deps }, p) {
    const { profile } = await loadPolicy(deps.directory, deps.clock.now());
    return unitFigures(deps, profile, p, p.unitId);
  },
  async trend({ deps }, p) {
    const { profile } = await loadPolicy(deps.directory, deps.clock.now());
    checkPeriod(p);
    const out = [];
    for (let w = shanghaiWeekStart(p.from); w < p.to; w += WEEK) {
      const week = { from: Math.max(w, p.from), to: Math.min(w + WEEK, p.to) };
      const all = (await figuresBy(deps, profile, week, 'all', p.unitId))[0];
      const figures = all ? (({ key, ...f }) => ({ unitId: p.unitId ?? key, ...f }))(all) : null;
      out.push({ weekStart: w, submitted: all?.submitted ?? 0, figures });
    }
    return out;
  },
  async hotspots({ deps }, p) {
    const { profile } = await loadPolicy(deps.directory, deps.clock.now());
    const top = (fs: Figures[]) =>
      fs.filter((f) => f.key !== '' && f.submitted > 0).map((f) => ({ key: f.key, count: f.submitted })).sort((a, b) => b.count - a.count).slice(0, 20);
    return { byCategory: top(await figuresBy(deps, profile, p, 'category')), byArea: top(await figuresBy(deps, profile, p, 'area')) };
  },
  async rates({ deps }, p) {
    const { profile } = await loadPolicy(deps.directory, deps.clock.now());
    const units = p.by === 'unit' ? new Map((await deps.directory.listUnits()).map((u) => [u.id, u.name])) : null;
    return (await figuresBy(deps, profile, p, p.by, p.unitId)).map((f) => ({
      ...f,
      label: f.key === '*' ? '全部' : f.key === '' ? EMPTY_KEY_LABEL[p.by] : units ? units.get(f.key) ?? f.key : p.by === 'channel' ? CHANNEL_LABEL[f.key] ?? f.key : f.key,
    }));
  },
  async figureTickets({ deps }, p) {
    const { profile } = await loadPolicy(deps.directory, deps.clock.now());
    checkPeriod(p);
    let outcomes: string[] | undefined;
    if (p.part !== 'all') {
      if (p.metric === 'submitted' || p.metric === 'extension' || p.metric === 'return' || p.metric === 'appeal') throw new DomainError('invalid-input', '该项只有数量，没有分子分母');
      const metric = p.metric;
      // The outcomes seen in the period under this key, split as the profile counts them.
      const seen = (await deps.store.factCounts({ from: p.from, to: p.to, by: p.by })).filter((c) => c.metric === metric && c.key === p.key).map((c) => c.outcome);
      outcomes = outcomesWhere(profile, metric, seen, p.part === 'counted');
      if (outcomes.length === 0) return { items: [], next: null };
    }
    return deps.store.factTickets({ metric: p.metric, from: p.from, to: p.to, by: p.by, key: p.key, outcomes, limit: p.limit, cursor: p.cursor ?? null });
  },
  async warnings({ deps }, p) {
    return computeWarnings(deps, p.at ?? deps.clock.now(), p.factor, p.min);
  },
  async repeated({ deps }, p) {
    checkPeriod(p);
    // Counted from the submission marks: no ticket of the period is loaded.
    return deps.store.factPlaces({ from: p.from, to: p.to, min: 2, limit: 50 });
  },
  async collective({ deps }, p) {
    checkPeriod(p);
    // Tickets created or changed in the period (a merge or a join changes the primary): at most 50 shown.
    const seen = new Set<string>();
    const out: { ticketId: string; number: string; title: string; category: string; place: string; state: string; stateLabel: string; requesterCount: number; manyRequesters: boolean }[] = [];
    for await (const t of deps.store.scan(p.from, p.to)) {
      if (seen.has(t.id)) continue;
      seen.add(t.id);
      if (t.state === 'merged' || !t.coRequesters?.length) continue;
      const n = requesterCount(t);
      if (n < 2) continue;
      out.push({ ticketId: t.id, number: t.number, title: t.title, category: t.category, place: placeOf(t), state: t.state, stateLabel: staffLabel(t.state), requesterCount: n, manyRequesters: t.supervision.triggers.includes('many-requesters') });
    }
    return out.sort((a, b) => b.requesterCount - a.requesterCount || a.number.localeCompare(b.number)).slice(0, 50);
  },
  async frequentRequesters({ deps }, p) {
    checkPeriod(p);
    const groups = await deps.store.factRequesters({ from: p.from, to: p.to, min: p.min, limit: 50 });
    // The masked name and phone come from each requester's first ticket: at most 50 reads.
    return Promise.all(
      groups.map(async (g) => {
        const t = g.firstTicketId ? await deps.store.get(g.firstTicketId) : null;
        return { requester: maskName(t?.requester.name) ?? '匿名', phone: maskPhone(t?.requester.phone) ?? '', count: g.count, categories: g.categories };
      }),
    );
  },
  async briefing({ deps }, p) {
    return briefing(deps, p.kind, p.at);
  },
  async briefingXlsx({ deps }, p) {
    return briefingXlsx(await briefing(deps, p.kind, p.at));
  },
  async exportCsv({ deps }, p) {
    const { profile } = await loadPolicy(deps.directory, deps.clock.now());
    const units = new Map((await deps.directory.listUnits()).map((u) => [u.id, u.name]));
    let rows: unknown[][];
    if (p.kind === 'tickets') {
      checkPeriod(p);
      // Chinese in every cell of a Chinese column: labels, not codes; the whole text, not the title.
      const ratingLabel = new Map(profile.rating.options.map((o) => [o.value, o.label]));
      rows = [['工单编号', '类型', '分类', '反映内容', '诉求人', '地址', '属地', '状态', '主办单位', '提交时间', '办结时间', '是否超期', '办理结果', '评价', '当前期限', '期限是否暂定']];
      for await (const t of deps.store.scan(p.from, p.to)) {
        const lead = t.assignments.find((a) => a.role === 'lead')?.unitId;
        const rating = t.ratings[t.ratings.length - 1]?.value;
        const due = currentDeadline(t);
        const active = due?.status === 'active' ? due : undefined;
        rows.push([
          t.number, REQUEST_TYPE_LABELS[t.type] ?? t.type, t.category, t.content,
          t.requester.confidential ? '已申请保密' : t.requester.name ?? '',
          t.location.address ?? '', t.location.area ?? t.location.grid ?? '',
          staffLabel(t.state), lead ? units.get(lead) ?? lead : '', formatShanghai(t.createdAt), t.resolvedAt ? formatShanghai(t.resolvedAt) : '', t.overdue ? '是' : '否',
          t.reply?.result ?? t.answer?.text ?? '', rating ? ratingLabel.get(rating) ?? rating : '',
          active ? formatShanghai(active.dueAt) : '', active?.provisional ? '暂定（该年度节假日安排未导入）' : active ? '否' : '',
        ]);
      }
    } else {
      rows = [['单位', '响应率', '解决率', '满意率', '按时办结率', '延期次数', '退回次数', '申诉采纳次数']];
      // 全部单位 first, then the units by name.
      const figures = await unitFigures(deps, profile, p);
      figures.sort((a, b) => (a.unitId === '*' ? -1 : b.unitId === '*' ? 1 : a.unitName.localeCompare(b.unitName, 'zh-CN')));
      for (const f of figures) rows.push([f.unitName, pct(f.response), pct(f.resolution), pct(f.satisfaction), pct(f.onTime), f.extensions, f.returns, f.appeals]);
    }
    // A name that says what and when (the period's last day is to − 1 ms), in ASCII so every platform keeps it.
    const day = (ms: number) => shanghaiDateOf(ms).replace(/-/g, '');
    return { filename: `${p.kind === 'tickets' ? 'tickets' : 'figures'}-${day(p.from)}-${day(p.to - 1)}.csv`, csv: '\ufeff' + rows.map((r) => r.map(csvCell).join(',')).join('\r\n') };
  },
};
