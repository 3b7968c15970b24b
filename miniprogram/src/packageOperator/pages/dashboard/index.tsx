import { View, Text } from '@tarojs/components';
import { useCallback, useEffect, useState } from 'react';
import { adminApi, errorMessage, statsApi } from '../../../api/client';
import type { CollectiveRequest, FigureTicket, FrequentRequester, Hotspots, Ratio, RatingOption, RepeatedRequest, TrendWeek, UnitFigures, UnitRecord } from '../../../api/types';
import OpChart from '../../components/chart';
import OperatorShell from '../../components/shell';
import * as platform from '../../../platform';
import { hasRole, useSession } from '../../../session';
import DateField from '../../../components/date-field';
import { Button } from '../../../ui';
import { opGo, toast } from '../../../util/nav';
import { formatTime } from '../../../util/format';
import { customPeriod, formatDay, lastMonth, thisMonth, weekLabel, type Period } from '../../period';
import { usePolicy } from '../../policy';
import './index.scss';

type FigureKey = 'response' | 'resolution' | 'satisfaction' | 'onTime';
const FIGURES: { key: FigureKey; label: string; color: string; means: string }[] = [
  { key: 'response', label: '响应率', color: '#1890FF', means: '期内派出且在签收时限内签收的工单' },
  { key: 'resolution', label: '解决率', color: '#91CB74', means: '期内办结且最终评价不是不满意的工单' },
  { key: 'satisfaction', label: '满意率', color: '#FAC858', means: '期内评价中计为满意的（含基本满意）' },
  { key: 'onTime', label: '按时办结率', color: '#EE6666', means: '期内到期或办结的办理时限中按时完成的' },
];

type PeriodKind = 'this-month' | 'last-month' | 'custom';
type Part = 'all' | 'counted' | 'rest';

/** A figure opened to the tickets behind it. */
interface Drill {
  metric: FigureKey;
  by: 'all' | 'unit';
  key: string;
  title: string;
  part: Part;
}

const PARTS: { part: Part; label: string }[] = [
  { part: 'all', label: '全部' },
  { part: 'counted', label: '计入' },
  { part: 'rest', label: '未计入' },
];

/** What a raw facts outcome means, in words (shared/metrics/facts.ts OUTCOME; ratings by the profile's labels). */
function outcomeLabel(metric: FigureKey, outcome: string, ratings: RatingOption[]): string {
  const rating = (v: string) => ratings.find((o) => o.value === v)?.label ?? v;
  if (metric === 'response') return outcome === 'ok' ? '时限内签收' : '超时签收';
  if (metric === 'onTime') return outcome === 'met' ? '按时办结' : '超期';
  if (metric === 'satisfaction') return `评价：${rating(outcome)}`;
  if (outcome.startsWith('resolved:')) return outcome === 'resolved:' ? '已办结（未评价）' : `已办结（${rating(outcome.slice('resolved:'.length))}）`;
  return '未解决';
}

const pct = (r: Ratio) => (r.rate === null ? '—' : `${(r.rate * 100).toFixed(1)}%`);
const pctNum = (r: Ratio | undefined) => (r && r.rate !== null ? Math.round(r.rate * 1000) / 10 : 0);

interface Data {
  figures: UnitFigures[];
  trend: TrendWeek[];
  hotspots: Hotspots;
  repeated: RepeatedRequest[];
  collective: CollectiveRequest[];
  frequent: FrequentRequester[];
}

/** 统计: the assessment figures for a period and a unit, drawn as charts; trend, hotspots, repeats, frequent requesters; CSV export. */
export default function Dashboard() {
  const user = useSession();
  const ready = hasRole(user, 'operator') || !platform.NEEDS_SIGN_IN;
  const policy = usePolicy(ready);
  const [kind, setKind] = useState<PeriodKind>('this-month');
  const [period, setPeriod] = useState<Period>(() => thisMonth(Date.now()));
  const [fromDay, setFromDay] = useState(() => formatDay(thisMonth(Date.now()).from));
  const [toDay, setToDay] = useState(() => formatDay(Date.now()));
  const [unitId, setUnitId] = useState('');
  const [units, setUnits] = useState<UnitRecord[]>([]);
  const [data, setData] = useState<Data | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState('');
  const [exporting, setExporting] = useState('');
  const [drill, setDrill] = useState<Drill | null>(null);
  const [drillItems, setDrillItems] = useState<FigureTicket[]>([]);
  const [drillNext, setDrillNext] = useState<string | null>(null);
  const [drillLoading, setDrillLoading] = useState(false);

  const minRequests = policy?.current.supervision.repeatedRequester?.count ?? 3;

  const load = useCallback(async (p: Period, unit: string) => {
    setLoading(true);
    try {
      const withUnit = { ...p, ...(unit ? { unitId: unit } : {}) };
      const [figures, trend, hotspots, repeated, collective, frequent] = await Promise.all([
        statsApi.figures(withUnit),
        statsApi.trend(withUnit),
        statsApi.hotspots(p),
        statsApi.repeated(p),
        statsApi.collective(p),
        statsApi.frequentRequesters(p, minRequests),
      ]);
      setData({ figures, trend, hotspots, repeated, collective, frequent });
      setError('');
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoading(false);
    }
  }, [minRequests]);

  useEffect(() => {
    if (!ready) return;
    adminApi.units().then(setUnits, () => undefined);
  }, [ready]);
  useEffect(() => {
    if (ready) void load(period, unitId);
  }, [ready, period, unitId, load]);

  const choose = (k: PeriodKind) => {
    setKind(k);
    if (k === 'this-month') setPeriod(thisMonth(Date.now()));
    if (k === 'last-month') setPeriod(lastMonth(Date.now()));
  };
  const applyCustom = () => {
    const p = customPeriod(fromDay, toDay);
    if (typeof p === 'string') return setError(p);
    setError('');
    setPeriod(p);
  };
  const exportCsv = async (what: 'tickets' | 'figures') => {
    setExporting(what);
    try {
      const { filename, csv } = await statsApi.exportCsv(what, period);
      const how = await platform.saveTextFile(filename, csv);
      toast(how === 'downloaded' ? '已下载' : how === 'shared' ? '已发送' : '已保存', 'success');
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setExporting('');
    }
  };

  const loadDrill = async (d: Drill, cursor: string | null) => {
    setDrillLoading(true);
    try {
      const page = await statsApi.figureTickets({ from: period.from, to: period.to, metric: d.metric, by: d.by, key: d.key, part: d.part, cursor });
      setDrillItems((prev) => (cursor ? [...prev, ...page.items] : page.items));
      setDrillNext(page.next);
      setError('');
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setDrillLoading(false);
    }
  };
  const openDrill = (d: Drill) => {
    setDrill(d);
    setDrillItems([]);
    setDrillNext(null);
    void loadDrill(d, null);
  };
  // A new period or unit closes the list: its tickets were those of the old figure.
  useEffect(() => setDrill(null), [period, unitId]);

  const selected = data?.figures.find((f) => f.unitId === (unitId || '*'));
  const named = new Set(policy?.current.assessment.figures ?? []);
  const byUnit = (data?.figures ?? []).filter((f) => f.unitId !== '*');
  const weeks = data?.trend ?? [];

  return (
    <OperatorShell id="page-op-dashboard" active="dashboard" title="统计分析">
      <View className="section">
        <View className="field">
          <View className="field__label">统计期间</View>
          <View className="chip-group">
            <View id="period-this-month" className={`chip${kind === 'this-month' ? ' chip--active' : ''}`} onClick={() => choose('this-month')}>本月</View>
            <View id="period-last-month" className={`chip${kind === 'last-month' ? ' chip--active' : ''}`} onClick={() => choose('last-month')}>上月</View>
            <View id="period-custom" className={`chip${kind === 'custom' ? ' chip--active' : ''}`} onClick={() => setKind('custom')}>自定义</View>
          </View>
          {kind === 'custom' && (
            <View className="row dash-custom">
              <DateField id="period-from" label="开始日期" value={fromDay} end={toDay || undefined} onChange={setFromDay} />
              <Text>至</Text>
              <DateField id="period-to" label="结束日期" value={toDay} start={fromDay || undefined} onChange={setToDay} />
              <Button id="period-apply" size="small" type="primary" onClick={applyCustom}>查询</Button>
            </View>
          )}
          <View className="field__hint" id="period-shown">{formatDay(period.from)} 至 {formatDay(period.to - 1)}（北京时间）</View>
        </View>
        <View className="field">
          <View className="field__label">承办单位</View>
          <View className="chip-group">
            <View id="unit-all" className={`chip${unitId === '' ? ' chip--active' : ''}`} onClick={() => setUnitId('')}>全部单位</View>
            {units.map((u) => (
              <View key={u.id} id={`unit-${u.id}`} className={`chip${unitId === u.id ? ' chip--active' : ''}`} onClick={() => setUnitId(u.id)}>{u.name}</View>
            ))}
          </View>
        </View>
        <View className="row">
          <Button id="export-tickets" size="small" loading={exporting === 'tickets'} onClick={() => void exportCsv('tickets')}>导出工单CSV</Button>
          <Button id="export-figures" size="small" loading={exporting === 'figures'} onClick={() => void exportCsv('figures')}>导出指标CSV</Button>
          <Button id="open-briefing" size="small" onClick={() => void opGo('briefing')}>周报/月报</Button>
          <Button id="dashboard-refresh" size="small" fill="none" loading={loading} onClick={() => void load(period, unitId)}>刷新</Button>
        </View>
      </View>
      {error && <View className="form-error" id="form-error">{error}</View>}

      {data && (
        <View className="section" id="figures">
          <View className="section__title">考核指标 · {selected?.unitName ?? (unitId ? units.find((u) => u.id === unitId)?.name : '全部单位')}</View>
          <View className="dash-gauges">
            {FIGURES.map((f) => {
              const r = selected?.[f.key] ?? { numerator: 0, denominator: 0, rate: null };
              return (
                <View
                  key={f.key}
                  className="dash-gauge"
                  id={`figure-${f.key}`}
                  data-numerator={r.numerator}
                  data-denominator={r.denominator}
                  onClick={() => openDrill({ metric: f.key, by: unitId ? 'unit' : 'all', key: unitId || '*', title: `${f.label} · ${selected?.unitName ?? '全部单位'}`, part: 'all' })}
                >
                  <OpChart
                    id={`chart-${f.key}`}
                    height={130}
                    options={{
                      type: 'arcbar',
                      series: [{ name: f.label, data: r.rate ?? 0, color: f.color }],
                      title: { name: pct(r), fontSize: 18, color: f.color },
                      subtitle: { name: f.label, fontSize: 12, color: '#666666' },
                      extra: { arcbar: { type: 'default', width: 10, backgroundColor: '#E9E9E9', startAngle: 1, endAngle: 0, gap: 2 } },
                    }}
                  />
                  <View className="dash-gauge__text">
                    <Text className="dash-gauge__rate" id={`figure-${f.key}-rate`}>{pct(r)}</Text>
                    <Text className="muted" id={`figure-${f.key}-ratio`}> {r.numerator}/{r.denominator}</Text>
                    {named.has(f.key) && <Text className="dash-gauge__named">考核</Text>}
                  </View>
                  <View className="muted dash-gauge__means">{f.means}</View>
                  <Text className="dash-link" id={`figure-${f.key}-open`}>查看工单</Text>
                </View>
              );
            })}
          </View>
          {policy && <View className="muted" id="figures-basis">考核依据：{policy.current.assessment.citation.article}，{policy.current.assessment.citation.text}</View>}
          {selected && (
            <View className="muted" id="figures-counts">期内批准延期 {selected.extensions} 次，申请退回 {selected.returns} 次</View>
          )}
        </View>
      )}

      {data && !unitId && byUnit.length > 0 && (
        <View className="section" id="figures-by-unit">
          <View className="section__title">各单位指标</View>
          <OpChart
            id="chart-units"
            height={240}
            options={{
              type: 'column',
              categories: byUnit.map((f) => f.unitName),
              series: FIGURES.map((f) => ({ name: f.label, data: byUnit.map((u) => pctNum(u[f.key])), color: f.color })),
              yAxis: { data: [{ min: 0, max: 100 }] },
              xAxis: { rotateLabel: byUnit.length > 3 },
              extra: { column: { type: 'group', width: 10 } },
            }}
          />
          <View className="op-table" id="figures-table">
            <View className="op-table__row op-table__row--head">
              <Text className="op-table__cell op-table__cell--wide">单位</Text>
              {FIGURES.map((f) => <Text key={f.key} className="op-table__cell">{f.label}</Text>)}
            </View>
            {byUnit.map((u) => (
              <View key={u.unitId} className="op-table__row" id={`figures-row-${u.unitId}`}>
                <Text className="op-table__cell op-table__cell--wide">{u.unitName}</Text>
                {FIGURES.map((f) => (
                  <Text
                    key={f.key}
                    className="op-table__cell dash-link"
                    id={`figures-cell-${u.unitId}-${f.key}`}
                    onClick={() => openDrill({ metric: f.key, by: 'unit', key: u.unitId, title: `${f.label} · ${u.unitName}`, part: 'all' })}
                  >
                    {pct(u[f.key])}<Text className="muted"> {u[f.key].numerator}/{u[f.key].denominator}</Text>
                  </Text>
                ))}
              </View>
            ))}
          </View>
        </View>
      )}

      {drill && (
        <View className="section" id="figure-tickets">
          <View className="row dash-drill__head">
            <View className="section__title" id="figure-tickets-title">{drill.title} · 工单明细</View>
            <Text className="dash-link" id="figure-tickets-close" onClick={() => setDrill(null)}>收起</Text>
          </View>
          <View className="chip-group">
            {PARTS.map((p) => (
              <View
                key={p.part}
                id={`figure-tickets-part-${p.part}`}
                className={`chip${drill.part === p.part ? ' chip--active' : ''}`}
                onClick={() => openDrill({ ...drill, part: p.part })}
              >
                {p.label}
              </View>
            ))}
          </View>
          {!drillLoading && drillItems.length === 0 && <View className="op-empty" id="figure-tickets-empty">没有工单</View>}
          {drillItems.map((t) => (
            <View key={`${t.ticketId}-${t.at}`} className="op-table__row dash-link" id={`figure-ticket-${t.number}`} onClick={() => void opGo('ticket', { id: t.ticketId })}>
              <Text className="op-table__cell op-table__cell--wide">{t.number}</Text>
              <Text className="op-table__cell">{outcomeLabel(drill.metric, t.outcome, policy?.current.rating.options ?? [])}</Text>
              <Text className="op-table__cell muted">{formatTime(t.at)}</Text>
            </View>
          ))}
          {drillNext && (
            <Button id="figure-tickets-more" size="small" fill="none" loading={drillLoading} onClick={() => void loadDrill(drill, drillNext)}>加载更多</Button>
          )}
        </View>
      )}

      {data && (
        <View className="section" id="trend">
          <View className="section__title">按周趋势</View>
          <OpChart
            id="chart-trend-volume"
            height={180}
            options={{
              type: 'column',
              categories: weeks.map((w) => weekLabel(w.weekStart)),
              series: [{ name: '诉求量', data: weeks.map((w) => w.submitted), color: '#73C0DE' }],
              extra: { column: { width: 16 } },
            }}
          />
          <OpChart
            id="chart-trend-rates"
            height={200}
            options={{
              type: 'line',
              categories: weeks.map((w) => weekLabel(w.weekStart)),
              series: FIGURES.map((f) => ({ name: f.label, color: f.color, data: weeks.map((w) => (w.figures && w.figures[f.key].rate !== null ? pctNum(w.figures[f.key]) : null)) })),
              yAxis: { data: [{ min: 0, max: 100 }] },
              extra: { line: { type: 'straight', width: 2 } },
            }}
          />
          <View className="muted" id="trend-weeks">
            {weeks.map((w) => `${weekLabel(w.weekStart)}：${w.submitted}件`).join('；')}
          </View>
        </View>
      )}

      {data && (
        <View className="op-grid op-grid--even">
          <View className="section" id="hotspots-category">
            <View className="section__title">热点 · 按类别</View>
            {data.hotspots.byCategory.length > 0 ? (
              <OpChart
                id="chart-hot-category"
                height={Math.max(140, data.hotspots.byCategory.slice(0, 10).length * 28 + 40)}
                options={{ type: 'bar', categories: data.hotspots.byCategory.slice(0, 10).map((h) => h.key), series: [{ name: '件数', data: data.hotspots.byCategory.slice(0, 10).map((h) => h.count), color: '#FC8452' }], legend: { show: false }, xAxis: { min: 0 }, extra: { bar: { width: 14 } } }}
              />
            ) : (
              <View className="op-empty">暂无数据</View>
            )}
            {data.hotspots.byCategory.map((h, i) => (
              <View key={h.key} className="op-kv" id={`hot-category-${i}`}><Text className="op-kv__k">{h.key}</Text><Text>{h.count}件</Text></View>
            ))}
          </View>
          <View className="section" id="hotspots-area">
            <View className="section__title">热点 · 按区域</View>
            {data.hotspots.byArea.length > 0 ? (
              <OpChart
                id="chart-hot-area"
                height={Math.max(140, data.hotspots.byArea.slice(0, 10).length * 28 + 40)}
                options={{ type: 'bar', categories: data.hotspots.byArea.slice(0, 10).map((h) => h.key), series: [{ name: '件数', data: data.hotspots.byArea.slice(0, 10).map((h) => h.count), color: '#9A60B4' }], legend: { show: false }, xAxis: { min: 0 }, extra: { bar: { width: 14 } } }}
              />
            ) : (
              <View className="op-empty">暂无数据</View>
            )}
            {data.hotspots.byArea.map((h, i) => (
              <View key={h.key} className="op-kv" id={`hot-area-${i}`}><Text className="op-kv__k">{h.key}</Text><Text>{h.count}件</Text></View>
            ))}
          </View>
        </View>
      )}

      {data && (
        <View className="op-grid op-grid--even">
          <View className="section" id="repeated">
            <View className="section__title">重复诉求（同类别、同地点2件以上）</View>
            {data.repeated.length === 0 && <View className="op-empty">暂无</View>}
            {data.repeated.map((r, i) => (
              <View key={`${r.category}-${r.place}`} className="op-table__row" id={`repeated-${i}`}>
                <Text className="op-table__cell op-table__cell--wide">{r.category} · {r.place || '未填地点'}</Text>
                <Text className="op-table__cell">{r.count}件 / {r.requesters}人</Text>
                <Text className="op-table__cell op-table__cell--wide muted">{r.numbers.join('、')}</Text>
              </View>
            ))}
          </View>
          <View className="section" id="collective">
            <View className="section__title">集中反映（多位诉求人反映同一问题）</View>
            {data.collective.length === 0 && <View className="op-empty">暂无</View>}
            {data.collective.map((c) => (
              <View key={c.ticketId} className="op-table__row dash-link" id={`collective-${c.number}`} onClick={() => void opGo('ticket', { id: c.ticketId })}>
                <Text className="op-table__cell op-table__cell--wide">{c.number} · {c.category} · {c.place || '未填地点'}</Text>
                <Text className="op-table__cell">{c.requesterCount}位诉求人</Text>
                <Text className="op-table__cell muted">{c.stateLabel}{c.manyRequesters ? ' · 已触发多人集中反映' : ''}</Text>
              </View>
            ))}
          </View>
          <View className="section" id="frequent">
            <View className="section__title">高频诉求人（期内{minRequests}件以上）</View>
            {data.frequent.length === 0 && <View className="op-empty">暂无</View>}
            {data.frequent.map((f, i) => (
              <View key={i} className="op-table__row" id={`frequent-${i}`}>
                <Text className="op-table__cell">{f.requester}</Text>
                <Text className="op-table__cell">{f.phone}</Text>
                <Text className="op-table__cell">{f.count}件</Text>
                <Text className="op-table__cell op-table__cell--wide muted">{f.categories.join('、')}</Text>
              </View>
            ))}
          </View>
        </View>
      )}
    </OperatorShell>
  );
}
