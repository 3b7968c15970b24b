import writeExcelFile from 'write-excel-file/node';
import { shanghaiWeekStart, type Period } from '../../../shared/metrics/assessment';
import type { Figures } from '../../../shared/metrics/facts';
import { shanghaiDateOf } from '../../../shared/calendar';
import type { PolicyProfile } from '../../../shared/profiles/schema';
import type { Deps } from '../deps';
import { loadPolicy } from '../policy';
import { figuresBy, unitFigures } from './stats';

const DAY = 86_400_000;
const WEEK = 7 * DAY;
const SH = 8 * 3_600_000;
/** Rows of a top list in the 简报. */
const TOP = 10;

export type BriefingKind = 'week' | 'month';

/** The Shanghai calendar month holding `ms`, moved by `shift` months. */
function monthOf(ms: number, shift = 0): Period {
  const [y, m] = shanghaiDateOf(ms).split('-').map(Number) as [number, number];
  return { from: Date.UTC(y, m - 1 + shift, 1) - SH, to: Date.UTC(y, m + shift, 1) - SH };
}

/**
 * The period of a 简报 and the two it is compared with. Without `at`, the last complete week
 * (Monday to Sunday) or month before now. A year earlier: the same month, or the week 52 weeks
 * before (same weekdays, so a weekend is compared with a weekend).
 */
export function briefingPeriods(kind: BriefingKind, now: number, at?: number) {
  if (kind === 'week') {
    const from = shanghaiWeekStart(at ?? now - WEEK);
    const current = { from, to: from + WEEK };
    return { current, previous: { from: from - WEEK, to: from }, lastYear: { from: from - 52 * WEEK, to: from - 51 * WEEK } };
  }
  const current = at === undefined ? monthOf(now, -1) : monthOf(at);
  return { current, previous: monthOf(current.from, -1), lastYear: monthOf(current.from, -12) };
}

function title(kind: BriefingKind, p: Period): string {
  const first = shanghaiDateOf(p.from).split('-').map(Number) as [number, number, number];
  if (kind === 'month') return `${first[0]}年${first[1]}月诉求办理简报`;
  const last = shanghaiDateOf(p.to - 1).split('-').map(Number) as [number, number, number];
  return `${first[0]}年${first[1]}月${first[2]}日至${last[1]}月${last[2]}日诉求办理周报`;
}

const figure = (f: Pick<Figures, 'submitted' | 'response' | 'resolution' | 'satisfaction' | 'onTime'>) => ({
  submitted: f.submitted,
  response: f.response,
  resolution: f.resolution,
  satisfaction: f.satisfaction,
  onTime: f.onTime,
});

async function all(deps: Deps, profile: PolicyProfile, p: Period) {
  return figure((await unitFigures(deps, profile, p))[0]!);
}

/** Submissions per key in the three periods; the busiest `TOP` of the current one. */
async function compared(deps: Deps, profile: PolicyProfile, by: 'category' | 'area', ps: ReturnType<typeof briefingPeriods>) {
  const counts = async (p: Period) => new Map((await figuresBy(deps, profile, p, by)).filter((f) => f.key !== '').map((f) => [f.key, f.submitted]));
  const [cur, prev, last] = await Promise.all([counts(ps.current), counts(ps.previous), counts(ps.lastYear)]);
  return [...cur]
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], 'zh-CN'))
    .slice(0, TOP)
    .map(([key, count]) => ({ key, count, previous: prev.get(key) ?? 0, lastYear: last.get(key) ?? 0 }));
}

/**
 * A weekly or monthly 简报 (baiyin 20 and 21, hohhot 29, linyi 36 to 41): the period's figures
 * beside the period before and the same period a year earlier, the busiest categories and areas
 * with the same comparison, the figures by unit and the places asked about repeatedly. Counted
 * from the facts only, so a month over a million tickets loads no ticket.
 */
export async function briefing(deps: Deps, kind: BriefingKind, at?: number) {
  const now = deps.clock.now();
  const { profile } = await loadPolicy(deps.directory, now);
  const ps = briefingPeriods(kind, now, at);
  const [current, previous, lastYear, units, categories, areas, repeated] = await Promise.all([
    all(deps, profile, ps.current),
    all(deps, profile, ps.previous),
    all(deps, profile, ps.lastYear),
    unitFigures(deps, profile, ps.current),
    compared(deps, profile, 'category', ps),
    compared(deps, profile, 'area', ps),
    deps.store.factPlaces({ from: ps.current.from, to: ps.current.to, min: 2, limit: TOP }),
  ]);
  return {
    kind,
    title: title(kind, ps.current),
    period: ps.current,
    previousPeriod: ps.previous,
    lastYearPeriod: ps.lastYear,
    /** The current period is counted up to now. */
    partial: ps.current.to > now,
    figures: { current, previous, lastYear },
    categories,
    areas,
    units: units.slice(1).map((u) => ({ unitName: u.unitName, ...figure(u) })).sort((a, b) => b.submitted - a.submitted || a.unitName.localeCompare(b.unitName, 'zh-CN')),
    repeated: repeated.map((r) => ({ category: r.category, place: r.place, count: r.count, requesters: r.requesters })),
  };
}

export type Briefing = Awaited<ReturnType<typeof briefing>>;

type Cell = { value: string | number; fontWeight?: 'bold' } | null;
const pct = (r: { rate: number | null }) => (r.rate === null ? '—' : `${(r.rate * 100).toFixed(1)}%`);
const bold = (value: string): Cell => ({ value, fontWeight: 'bold' });
const text = (value: string): Cell => ({ value });
const num = (value: number): Cell => ({ value });

/** The 简报 as an .xlsx workbook (write-excel-file): one sheet per part, Chinese headers. */
export async function briefingXlsx(b: Briefing): Promise<{ filename: string; base64: string }> {
  const f = b.figures;
  const overview: Cell[][] = [
    [bold(b.title)],
    [text(`统计区间：${shanghaiDateOf(b.period.from)} 至 ${shanghaiDateOf(b.period.to - 1)}${b.partial ? '（截至目前）' : ''}`)],
    [],
    [bold('指标'), bold('本期'), bold(b.kind === 'week' ? '上周' : '上月'), bold('上年同期')],
    [text('受理诉求（件）'), num(f.current.submitted), num(f.previous.submitted), num(f.lastYear.submitted)],
    ...(['response', 'resolution', 'satisfaction', 'onTime'] as const).map((k) => [
      text({ response: '响应率', resolution: '解决率', satisfaction: '满意率', onTime: '按时办结率' }[k]),
      text(pct(f.current[k])),
      text(pct(f.previous[k])),
      text(pct(f.lastYear[k])),
    ]),
  ];
  const top = (rows: Briefing['categories'], head: string): Cell[][] => [
    [bold(head), bold('本期（件）'), bold(b.kind === 'week' ? '上周' : '上月'), bold('上年同期')],
    ...rows.map((r) => [text(r.key), num(r.count), num(r.previous), num(r.lastYear)]),
  ];
  const units: Cell[][] = [
    [bold('承办单位'), bold('诉求（件）'), bold('响应率'), bold('解决率'), bold('满意率'), bold('按时办结率')],
    ...b.units.map((u) => [text(u.unitName), num(u.submitted), text(pct(u.response)), text(pct(u.resolution)), text(pct(u.satisfaction)), text(pct(u.onTime))]),
  ];
  const repeated: Cell[][] = [
    [bold('分类'), bold('地点'), bold('诉求（件）'), bold('诉求人（人）')],
    ...b.repeated.map((r) => [text(r.category), text(r.place), num(r.count), num(r.requesters)]),
  ];
  const buffer = await writeExcelFile([
    { data: overview, sheet: '总体情况', columns: [{ width: 22 }, { width: 14 }, { width: 14 }, { width: 14 }] },
    { data: top(b.categories, '分类'), sheet: '热点分类', columns: [{ width: 22 }, { width: 12 }, { width: 12 }, { width: 12 }] },
    { data: top(b.areas, '区域'), sheet: '热点区域', columns: [{ width: 22 }, { width: 12 }, { width: 12 }, { width: 12 }] },
    { data: units, sheet: '承办单位', columns: [{ width: 24 }, { width: 12 }, { width: 10 }, { width: 10 }, { width: 10 }, { width: 12 }] },
    { data: repeated, sheet: '重复诉求', columns: [{ width: 16 }, { width: 28 }, { width: 12 }, { width: 14 }] },
  ]).toBuffer();
  // A name that says what and when, in ASCII so every platform keeps it.
  const day = (ms: number) => shanghaiDateOf(ms).replace(/-/g, '');
  return { filename: `briefing-${b.kind}-${day(b.period.from)}-${day(b.period.to - 1)}.xlsx`, base64: buffer.toString('base64') };
}
