import type { Ticket, TicketEvent } from '../../../shared/contracts/ticket';
import { assess, shanghaiWeekStart, type Period } from '../../../shared/metrics/assessment';
import { formatShanghai, shanghaiDateOf } from '../../../shared/calendar';
import { REQUEST_TYPE_LABELS } from '../../../shared/labels';
import { staffLabel } from '../../../shared/workflow/states';
import { currentDeadline } from '../../../shared/workflow/deadlineRules';
import { DomainError } from '../../../shared/errors';
import type { Deps } from '../deps';
import { loadPolicy } from '../policy';
import type { Handlers } from './types';

const WEEK = 7 * 86_400_000;
const MAX_SPAN = 400 * 86_400_000;

async function collect(deps: Deps, p: Period, unitId?: string) {
  if (p.to <= p.from || p.to - p.from > MAX_SPAN) throw new DomainError('invalid-input', '统计区间不正确（最长400天）');
  const tickets: Ticket[] = [];
  for await (const t of deps.store.scan(p.from, p.to, unitId)) tickets.push(t);
  const events: TicketEvent[] = [];
  for await (const e of deps.store.eventsBetween(p.from, p.to)) if (e.type === 'reviewExtension' || e.type === 'requestReturn') events.push(e);
  return { tickets, events };
}

function countBy<T>(items: T[], key: (t: T) => string | undefined) {
  const m = new Map<string, number>();
  for (const i of items) {
    const k = key(i);
    if (k) m.set(k, (m.get(k) ?? 0) + 1);
  }
  return [...m.entries()].map(([k, n]) => ({ key: k, count: n })).sort((a, b) => b.count - a.count);
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
    const { tickets, events } = await collect(deps, p, p.unitId);
    const units = new Map((await deps.directory.listUnits()).map((u) => [u.id, u.name]));
    return assess(tickets, events, profile, p, p.unitId, deps.clock.now()).map((f) => ({ ...f, unitName: f.unitId === '*' ? '全部单位' : units.get(f.unitId) ?? f.unitId }));
  },
  async trend({ deps }, p) {
    const { profile } = await loadPolicy(deps.directory, deps.clock.now());
    const { tickets, events } = await collect(deps, p, p.unitId);
    const out = [];
    for (let w = shanghaiWeekStart(p.from); w < p.to; w += WEEK) {
      const week = { from: Math.max(w, p.from), to: Math.min(w + WEEK, p.to) };
      const all = assess(tickets, events, profile, week, p.unitId, deps.clock.now()).find((f) => f.unitId === (p.unitId ?? '*'));
      out.push({ weekStart: w, submitted: tickets.filter((t) => t.createdAt >= week.from && t.createdAt < week.to).length, figures: all ?? null });
    }
    return out;
  },
  async hotspots({ deps }, p) {
    const { tickets } = await collect(deps, p);
    const inPeriod = tickets.filter((t) => t.createdAt >= p.from && t.createdAt < p.to);
    return { byCategory: countBy(inPeriod, (t) => t.category).slice(0, 20), byArea: countBy(inPeriod, (t) => t.location.area ?? t.location.grid).slice(0, 20) };
  },
  async repeated({ deps }, p) {
    const { tickets } = await collect(deps, p);
    const groups = new Map<string, Ticket[]>();
    for (const t of tickets) {
      if (t.createdAt < p.from || t.createdAt >= p.to) continue;
      const k = `${t.category}|${t.location.area ?? t.location.grid ?? t.location.address ?? ''}`;
      groups.set(k, [...(groups.get(k) ?? []), t]);
    }
    return [...groups.entries()]
      .filter(([, ts]) => ts.length >= 2)
      .map(([k, ts]) => ({ category: k.split('|')[0], place: k.split('|')[1], count: ts.length, requesters: new Set(ts.map((t) => t.requester.userId ?? t.requester.phone ?? t.reporter.userId)).size, numbers: ts.slice(0, 10).map((t) => t.number) }))
      .sort((a, b) => b.count - a.count)
      .slice(0, 50);
  },
  async frequentRequesters({ deps }, p) {
    const { tickets } = await collect(deps, p);
    const by = new Map<string, Ticket[]>();
    for (const t of tickets) {
      if (t.createdAt < p.from || t.createdAt >= p.to) continue;
      const k = t.requester.userId ?? t.requester.phone ?? t.reporter.userId;
      by.set(k, [...(by.get(k) ?? []), t]);
    }
    return [...by.entries()]
      .filter(([, ts]) => ts.length >= p.min)
      .map(([, ts]) => ({
        requester: ts[0]!.requester.name ? `${ts[0]!.requester.name.slice(0, 1)}**` : '匿名',
        phone: ts[0]!.requester.phone ? `${ts[0]!.requester.phone.slice(0, 3)}****${ts[0]!.requester.phone.slice(-4)}` : '',
        count: ts.length,
        categories: [...new Set(ts.map((t) => t.category))],
      }))
      .sort((a, b) => b.count - a.count)
      .slice(0, 50);
  },
  async exportCsv({ deps }, p) {
    const { profile } = await loadPolicy(deps.directory, deps.clock.now());
    const { tickets, events } = await collect(deps, p);
    const units = new Map((await deps.directory.listUnits()).map((u) => [u.id, u.name]));
    let rows: unknown[][];
    if (p.kind === 'tickets') {
      // Chinese in every cell of a Chinese column: labels, not codes; the whole text, not the title.
      const ratingLabel = new Map(profile.rating.options.map((o) => [o.value, o.label]));
      rows = [['工单编号', '类型', '分类', '反映内容', '诉求人', '地址', '属地', '状态', '主办单位', '提交时间', '办结时间', '是否超期', '办理结果', '评价', '当前期限', '期限是否暂定']];
      for (const t of tickets) {
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
      rows = [['单位', '响应率', '解决率', '满意率', '按时办结率', '延期次数', '退回次数']];
      // 全部单位 first, then the units by name: not wherever the map put it.
      const figures = assess(tickets, events, profile, p, undefined, deps.clock.now());
      const name = (u: string) => (u === '*' ? '全部单位' : units.get(u) ?? u);
      figures.sort((a, b) => (a.unitId === '*' ? -1 : b.unitId === '*' ? 1 : name(a.unitId).localeCompare(name(b.unitId), 'zh-CN')));
      for (const f of figures) rows.push([name(f.unitId), pct(f.response), pct(f.resolution), pct(f.satisfaction), pct(f.onTime), f.extensions, f.returns]);
    }
    // A name that says what and when (the period's last day is to − 1 ms), in ASCII so every platform keeps it.
    const day = (ms: number) => shanghaiDateOf(ms).replace(/-/g, '');
    return { filename: `${p.kind === 'tickets' ? 'tickets' : 'figures'}-${day(p.from)}-${day(p.to - 1)}.csv`, csv: '\ufeff' + rows.map((r) => r.map(csvCell).join(',')).join('\r\n') };
  },
};
