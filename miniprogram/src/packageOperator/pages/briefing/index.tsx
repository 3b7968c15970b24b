import { View } from '@tarojs/components';
import { useCallback, useEffect, useState } from 'react';
import type { Briefing } from '@shared/contracts/responses/stats';
import { errorMessage, statsApi } from '../../../api/client';
import ChipGroup from '../../../components/chip-group';
import OperatorShell from '../../components/shell';
import * as platform from '../../../platform';
import { Button } from '../../../ui';
import { toast } from '../../../util/nav';
import { formatDay } from '../../period';
import './index.scss';

type Kind = 'week' | 'month';
type Ratio = Briefing['figures']['current']['response'];

const pct = (r: Ratio) => (r.rate === null ? '—' : `${(r.rate * 100).toFixed(1)}%`);
const RATES = [
  { key: 'response', label: '响应率' },
  { key: 'resolution', label: '解决率' },
  { key: 'satisfaction', label: '满意率' },
  { key: 'onTime', label: '按时办结率' },
] as const;

/** A change against a base, worded for a report: 上升 / 下降 / 持平 and by how much. */
function change(now: number, base: number): string {
  if (base === 0) return now === 0 ? '持平' : '新出现';
  const d = ((now - base) / base) * 100;
  return Math.abs(d) < 0.05 ? '持平' : `${d > 0 ? '上升' : '下降'}${Math.abs(d).toFixed(1)}%`;
}

/**
 * The weekly or monthly 简报 (baiyin 20 and 21, hohhot 29, linyi 36 to 41): the period's figures
 * beside the period before and the same period a year earlier, the busiest categories and areas,
 * the units and the repeated places. Printable (the shell's navigation is hidden in print) and
 * exported as an .xlsx file.
 */
export default function BriefingPage() {
  const [kind, setKind] = useState<Kind>('month');
  const [data, setData] = useState<Briefing | null>(null);
  const [error, setError] = useState('');
  const [loading, setLoading] = useState(false);
  const [exporting, setExporting] = useState(false);

  const load = useCallback(async (k: Kind) => {
    setLoading(true);
    try {
      setData(await statsApi.briefing(k));
      setError('');
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => void load(kind), [kind, load]);

  const exportXlsx = async () => {
    setExporting(true);
    try {
      const { filename, base64 } = await statsApi.briefingXlsx(kind);
      const how = await platform.saveBinaryFile(filename, base64, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      toast(how === 'downloaded' ? '已下载' : how === 'shared' ? '已发送' : '已保存', 'success');
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setExporting(false);
    }
  };

  const before = kind === 'week' ? '上周' : '上月';
  const f = data?.figures;
  return (
    <OperatorShell id="page-op-briefing" active="dashboard" title="诉求办理简报">
      <View className="section briefing-controls">
        <ChipGroup idPrefix="briefing-kind" value={kind} onChange={setKind} options={[{ value: 'week', label: '周报' }, { value: 'month', label: '月报' }]} />
        <View className="row">
          <Button id="briefing-print" size="small" onClick={() => void platform.printPage().catch((e: unknown) => setError(errorMessage(e)))}>打印</Button>
          <Button id="briefing-export" size="small" type="primary" loading={exporting} onClick={() => void exportXlsx()}>导出Excel</Button>
        </View>
      </View>
      {error && <View className="form-error" id="form-error">{error}</View>}
      {loading && !data && <View className="muted">正在加载…</View>}
      {data && f && (
        <View className="briefing" id="briefing">
          <View className="briefing__title" id="briefing-title">{data.title}</View>
          <View className="muted" id="briefing-period">
            {formatDay(data.period.from)} 至 {formatDay(data.period.to - 1)}（北京时间）{data.partial ? '，截至目前' : ''}；对比{before}（{formatDay(data.previousPeriod.from)} 起）和上年同期（{formatDay(data.lastYearPeriod.from)} 起）
          </View>

          <View className="briefing__heading">一、总体情况</View>
          <View className="briefing__table" id="briefing-figures" role="table" aria-label="总体情况">
            <View className="briefing__row briefing__row--head" role="row">
              <View className="briefing__cell" role="columnheader">指标</View><View className="briefing__cell" role="columnheader">本期</View><View className="briefing__cell" role="columnheader">{before}</View><View className="briefing__cell" role="columnheader">上年同期</View>
            </View>
            <View className="briefing__row" role="row" id="briefing-submitted">
              <View className="briefing__cell" role="cell">受理诉求</View><View className="briefing__cell" role="cell">{f.current.submitted}件</View><View className="briefing__cell" role="cell">{f.previous.submitted}件</View><View className="briefing__cell" role="cell">{f.lastYear.submitted}件</View>
            </View>
            {RATES.map((r) => (
              <View className="briefing__row" role="row" key={r.key} id={`briefing-${r.key}`}>
                <View className="briefing__cell" role="cell">{r.label}</View><View className="briefing__cell" role="cell">{pct(f.current[r.key])}</View><View className="briefing__cell" role="cell">{pct(f.previous[r.key])}</View><View className="briefing__cell" role="cell">{pct(f.lastYear[r.key])}</View>
              </View>
            ))}
          </View>
          <View className="briefing__text" id="briefing-summary">
            本期受理诉求{f.current.submitted}件，较{before}{change(f.current.submitted, f.previous.submitted)}，较上年同期{change(f.current.submitted, f.lastYear.submitted)}。
          </View>

          {([['二、热点分类', data.categories, 'briefing-categories'], ['三、热点区域', data.areas, 'briefing-areas']] as const).map(([heading, rows, id]) => (
            <View key={id}>
              <View className="briefing__heading">{heading}</View>
              {rows.length === 0 ? (
                <View className="muted">本期没有诉求</View>
              ) : (
                <View className="briefing__table" id={id} role="table" aria-label={heading}>
                  <View className="briefing__row briefing__row--head" role="row">
                    <View className="briefing__cell" role="columnheader">名称</View><View className="briefing__cell" role="columnheader">本期</View><View className="briefing__cell" role="columnheader">{before}</View><View className="briefing__cell" role="columnheader">上年同期</View>
                  </View>
                  {rows.map((r) => (
                    <View className="briefing__row" role="row" key={r.key}>
                      <View className="briefing__cell" role="cell">{r.key}</View><View className="briefing__cell" role="cell">{r.count}件</View><View className="briefing__cell" role="cell">{r.previous}件</View><View className="briefing__cell" role="cell">{r.lastYear}件</View>
                    </View>
                  ))}
                </View>
              )}
            </View>
          ))}

          <View className="briefing__heading">四、承办单位</View>
          {data.units.length === 0 ? (
            <View className="muted">本期没有派出的诉求</View>
          ) : (
            <View className="briefing__table briefing__table--units" id="briefing-units" role="table" aria-label="承办单位">
              <View className="briefing__row briefing__row--head" role="row">
                <View className="briefing__cell" role="columnheader">单位</View><View className="briefing__cell" role="columnheader">诉求</View>
                {RATES.map((r) => <View className="briefing__cell" role="columnheader" key={r.key}>{r.label}</View>)}
              </View>
              {data.units.map((u) => (
                <View className="briefing__row" role="row" key={u.unitName}>
                  <View className="briefing__cell" role="cell">{u.unitName}</View><View className="briefing__cell" role="cell">{u.submitted}件</View>
                  {RATES.map((r) => <View className="briefing__cell" role="cell" key={r.key}>{pct(u[r.key])}</View>)}
                </View>
              ))}
            </View>
          )}

          <View className="briefing__heading">五、重复诉求</View>
          {data.repeated.length === 0 ? (
            <View className="muted">本期没有同一地点的重复诉求</View>
          ) : (
            <View id="briefing-repeated">
              {data.repeated.map((r) => (
                <View className="briefing__text" key={`${r.category}|${r.place}`}>{r.place}「{r.category}」{r.count}件，{r.requesters}位诉求人</View>
              ))}
            </View>
          )}
        </View>
      )}
    </OperatorShell>
  );
}
