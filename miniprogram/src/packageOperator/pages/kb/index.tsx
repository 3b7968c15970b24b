import { View, Text } from '@tarojs/components';
import { useCallback, useState } from 'react';
import { errorMessage } from '../../../api/client';
import { kbApi } from '../../../api/kb';
import type { KbArticleView, KbStale } from '@shared/contracts/responses/kb';
import OperatorShell from '../../components/shell';
import * as platform from '../../../platform';
import { hasRole, useSession } from '../../../session';
import { Button, Input } from '../../../ui';
import { formatTime } from '../../../util/format';
import { toast } from '../../../util/nav';
import { useReload } from '../../../util/useReload';

const dateOf = (ms: number) => formatTime(ms).slice(0, 10);

/**
 * 知识库维护 (issue 18 §4): the units' edits waiting for review (approve, or reject with a reason
 * the unit reads), and the articles past their review date — under linyi 30(5) a supervision item.
 */
export default function OperatorKb() {
  const user = useSession();
  const ready = hasRole(user, 'operator') || !platform.NEEDS_SIGN_IN;
  const [pending, setPending] = useState<KbArticleView[]>([]);
  const [stale, setStale] = useState<KbStale | null>(null);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [error, setError] = useState('');
  const [busy, setBusy] = useState('');

  const load = useCallback(async () => {
    try {
      const [p, s] = await Promise.all([kbApi.pending(), kbApi.stale()]);
      setPending(p);
      setStale(s);
      setError('');
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);
  useReload(load, ready);

  const review = async (a: KbArticleView, approve: boolean) => {
    if (!a.pending) return;
    setBusy(`${a.id}-${approve ? 'approve' : 'reject'}`);
    try {
      await kbApi.review(a.id, a.pending.id, approve, approve ? undefined : reasons[a.id]?.trim());
      toast(approve ? '已通过，修改已生效' : '已退回单位', 'success');
      await load();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy('');
    }
  };

  return (
    <OperatorShell id="page-op-kb" active="kb" title="知识库维护">
      {error && <View className="form-error" id="form-error">{error}</View>}
      <View className="section" id="kb-pending">
        <View className="section__title">待审核（{pending.length}）</View>
        {pending.length === 0 && <View className="op-empty" id="kb-pending-empty">没有待审核的修改</View>}
        {pending.map((a) => (
          <View key={a.id} className="op-list__item" id={`kb-pending-${a.id}`}>
            <View className="row">
              <Text className="op-list__level">{a.unitName ?? '平台'}</Text>
              <Text>{a.pending!.byName ?? a.pending!.by} · {formatTime(a.pending!.at)}</Text>
            </View>
            <View className="muted">现行：{a.title} — {a.answer}</View>
            <View id={`kb-pending-${a.id}-new`}>修改为：{a.pending!.title} — {a.pending!.answer}</View>
            <View className="muted">关键词：{a.pending!.keywords.join('、') || '无'}</View>
            <View className="row">
              <Input id={`kb-pending-${a.id}-reason`} placeholder="不通过的理由（告知单位）" value={reasons[a.id] ?? ''} onChange={(v) => setReasons({ ...reasons, [a.id]: v })} />
              <Button id={`kb-pending-${a.id}-approve`} size="small" type="primary" loading={busy === `${a.id}-approve`} onClick={() => void review(a, true)}>通过</Button>
              <Button id={`kb-pending-${a.id}-reject`} size="small" type="danger" loading={busy === `${a.id}-reject`} disabled={!(reasons[a.id] ?? '').trim()} onClick={() => void review(a, false)}>不通过</Button>
            </View>
          </View>
        ))}
      </View>
      <View className="section" id="kb-stale">
        <View className="section__title">过期条目（{stale?.items.length ?? 0}）</View>
        {stale?.supervision && (
          <View className="form-error" id="kb-stale-supervision">
            督办事项（{stale.supervision.article}）：{stale.supervision.text}
          </View>
        )}
        {stale && stale.items.length === 0 && <View className="op-empty" id="kb-stale-empty">没有过期条目</View>}
        {stale?.items.map((a) => (
          <View key={a.id} className="op-list__item" id={`kb-stale-${a.id}`}>
            <View className="row">
              <Text className="op-list__level">{a.unitName ?? '平台'}</Text>
              <Text>{a.title}</Text>
            </View>
            <View className="muted">复核日期 {dateOf(a.reviewBy)}，已过 {a.overdueDays} 天 · 已用于答复 {a.uses} 次{a.pending ? ' · 单位已提交修改' : ''}</View>
          </View>
        ))}
      </View>
    </OperatorShell>
  );
}
