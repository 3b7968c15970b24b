import { View, Text } from '@tarojs/components';
import { useCallback, useEffect, useState } from 'react';
import { errorMessage, publicApi } from '../../api/client';
import type { MonthlyDisclosure, Ratio } from '../../api/types';
import PageShell from '../../components/page-shell';
import { casesApi } from '../../api/kb';
import type { PublicCase } from '@shared/contracts/responses/kb';
import './index.scss';

const RATES: { key: 'response' | 'resolution' | 'satisfaction' | 'onTime'; label: string }[] = [
  { key: 'response', label: '响应率' },
  { key: 'resolution', label: '解决率' },
  { key: 'satisfaction', label: '满意率' },
  { key: 'onTime', label: '按时办结率' },
];

const pct = (r: Ratio) => (r.rate === null ? '—' : `${(r.rate * 100).toFixed(1)}%`);

/** "YYYY-MM" of the Shanghai month holding `ms`, moved by `delta` months. */
function monthOf(ms: number, delta = 0): string {
  const sh = new Date(ms + 8 * 3_600_000);
  const d = new Date(Date.UTC(sh.getUTCFullYear(), sh.getUTCMonth() + delta, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}
const monthLabel = (m: string) => `${m.slice(0, 4)}年${Number(m.slice(5))}月`;

/**
 * 数据公开 (linyi 22, anshan 17): a month's requests and rates, completion by unit, requests by
 * category. Open to everyone, signed in or not; the answer holds counts only (public.monthly).
 */
export default function PublicFigures() {
  const [month, setMonth] = useState(() => monthOf(Date.now()));
  const [data, setData] = useState<MonthlyDisclosure | null>(null);
  const [error, setError] = useState('');
  const [loading, setLoading] = useState(false);

  const load = useCallback(async (m: string) => {
    setLoading(true);
    try {
      setData(await publicApi.monthly(m));
      setError('');
    } catch (e) {
      setData(null);
      setError(errorMessage(e));
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => void load(month), [month, load]);
  // Typical cases (linyi 22(3)): published by the operators, anonymised when written.
  const [cases, setCases] = useState<PublicCase[] | null>(null);
  useEffect(() => {
    casesApi.published().then(setCases, () => setCases([]));
  }, []);

  const months = [0, -1, -2].map((d) => monthOf(Date.now(), d));

  return (
    <PageShell id="page-public">
      <View className="section">
        <View className="section__title">诉求办理情况公开</View>
        <View className="chip-group">
          {months.map((m) => (
            <View key={m} id={`public-month-${m}`} className={`chip${m === month ? ' chip--active' : ''}`} onClick={() => setMonth(m)}>
              {monthLabel(m)}
            </View>
          ))}
        </View>
        {data?.partial && <View className="muted" id="public-partial">本月数据统计至今日，月末后为全月数据。</View>}
        {loading && !data && <View className="muted">加载中…</View>}
      </View>
      {error && <View className="form-error" id="form-error">{error}</View>}
      {data && (
        <View className="section" id="public-all">
          <View className="section__title">{monthLabel(data.month)} · 全部承办单位</View>
          <View className="public-kv" id="public-submitted"><Text>受理诉求</Text><Text className="public-kv__v">{data.all.submitted}件</Text></View>
          {RATES.map((r) => (
            <View key={r.key} className="public-kv" id={`public-${r.key}`}>
              <Text>{r.label}</Text>
              <Text className="public-kv__v">{pct(data.all[r.key])}<Text className="muted"> （{data.all[r.key].numerator}/{data.all[r.key].denominator}）</Text></Text>
            </View>
          ))}
        </View>
      )}
      {data && (
        <View className="section" id="public-units">
          <View className="section__title">各承办单位办理情况</View>
          {data.units.length === 0 && <View className="muted">本月暂无</View>}
          {data.units.map((u, i) => (
            <View key={u.unitName} className="public-unit" id={`public-unit-${i}`}>
              <View className="public-unit__name">{u.unitName}</View>
              <View className="muted">
                {RATES.map((r) => `${r.label} ${pct(u[r.key])}`).join('　')}
              </View>
            </View>
          ))}
        </View>
      )}
      {data && (
        <View className="section" id="public-categories">
          <View className="section__title">按类别</View>
          {data.byCategory.length === 0 && <View className="muted">本月暂无</View>}
          {data.byCategory.map((c, i) => (
            <View key={c.category} className="public-kv" id={`public-category-${i}`}><Text>{c.category}</Text><Text className="public-kv__v">{c.count}件</Text></View>
          ))}
        </View>
      )}
      <View className="section" id="public-cases">
        <View className="section__title">典型案例</View>
        {cases && cases.length === 0 && <View className="muted" id="public-cases-empty">暂无公开的典型案例</View>}
        {cases?.map((c, i) => (
          <View key={c.id} className="public-unit" id={`public-case-${i}`}>
            <View className="public-unit__name">{c.title}</View>
            <View className="muted">{[monthLabel(c.month), c.category, c.unitName].filter(Boolean).join(' · ')}</View>
            <View>{c.summary}</View>
            <View>办理结果：{c.result}</View>
          </View>
        ))}
      </View>
      <View className="muted public-note">本页只公开统计数字和经匿名处理的典型案例，不含任何诉求人信息。</View>
    </PageShell>
  );
}
