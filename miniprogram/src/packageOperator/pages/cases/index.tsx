import { View, Text } from '@tarojs/components';
import { useCallback, useState } from 'react';
import { call, errorMessage } from '../../../api/client';
import { casesApi } from '../../../api/kb';
import type { TypicalCase } from '@shared/contracts/responses/kb';
import OperatorShell from '../../components/shell';
import * as platform from '../../../platform';
import { hasRole, useSession } from '../../../session';
import { Button, Input, TextArea } from '../../../ui';
import { formatTime } from '../../../util/format';
import { toast } from '../../../util/nav';
import { useReload } from '../../../util/useReload';

/** The states a typical case may come from (shared/workflow resolvedStates), with their labels. */
const CLOSED: { state: string; label: string }[] = [
  { state: 'resolved', label: '已办结待评价' },
  { state: 'closed', label: '已归档' },
  { state: 'answered', label: '即时答复' },
];

interface Candidate {
  id: string;
  number: string;
  title: string;
  category: string;
}

const EMPTY = { id: '', ticketId: '', ticketNumber: '', title: '', summary: '', result: '' };

/**
 * 典型案例 (linyi 22(3), anshan 17 and 37, hohhot 34, pingli 23 and 29): choose a resolved ticket,
 * write its case without anyone's personal data (the server refuses names, phone and ID numbers
 * and exact addresses), and publish it on the public page or take it off.
 */
export default function OperatorCases() {
  const user = useSession();
  const ready = hasRole(user, 'operator') || !platform.NEEDS_SIGN_IN;
  const [cases, setCases] = useState<TypicalCase[]>([]);
  const [state, setState] = useState('resolved');
  const [candidates, setCandidates] = useState<Candidate[]>([]);
  const [form, setForm] = useState(EMPTY);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      const [list, page] = await Promise.all([casesApi.list(), call('operator', 'queue', { queue: 'all', filters: { state }, cursor: null, limit: 30 })]);
      setCases(list);
      setCandidates(page.items.map((t) => ({ id: t.id, number: t.number, title: t.title, category: t.category })));
      setError('');
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [state]);
  useReload(load, ready);

  const save = async () => {
    setBusy(true);
    try {
      await casesApi.put({ ...(form.id ? { id: form.id } : {}), ticketId: form.ticketId, title: form.title.trim(), summary: form.summary.trim(), result: form.result.trim() });
      toast('已保存', 'success');
      setForm(EMPTY);
      await load();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const publish = async (c: TypicalCase, published: boolean) => {
    try {
      await casesApi.publish(c.id, published);
      toast(published ? '已公开' : '已撤下', 'success');
      await load();
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <OperatorShell id="page-op-cases" active="cases" title="典型案例">
      {error && <View className="form-error" id="form-error">{error}</View>}
      <View className="section" id="cases-list">
        <View className="section__title">案例（{cases.length}）</View>
        {cases.length === 0 && <View className="op-empty" id="cases-empty">还没有典型案例</View>}
        {cases.map((c) => (
          <View key={c.id} className="op-list__item" id={`case-${c.id}`}>
            <View className="row">
              <Text className="op-list__level">{c.published ? '已公开' : '未公开'}</Text>
              <Text>{c.title}</Text>
              <Text className="muted">{c.ticketNumber} · {c.unitName ?? ''} · {c.month}</Text>
            </View>
            <View>{c.summary}</View>
            <View className="muted">办理结果：{c.result}</View>
            <View className="row">
              <Button id={`case-${c.id}-edit`} size="small" onClick={() => setForm({ id: c.id, ticketId: c.ticketId, ticketNumber: c.ticketNumber, title: c.title, summary: c.summary, result: c.result })}>修改</Button>
              <Button id={`case-${c.id}-publish`} size="small" type={c.published ? 'default' : 'primary'} onClick={() => void publish(c, !c.published)}>{c.published ? '撤下' : '公开'}</Button>
            </View>
          </View>
        ))}
      </View>
      <View className="section" id="cases-pick">
        <View className="section__title">选择已办结的诉求</View>
        <View className="chip-group">
          {CLOSED.map((s) => (
            <View key={s.state} id={`cases-state-${s.state}`} className={`chip${s.state === state ? ' chip--active' : ''}`} onClick={() => setState(s.state)}>{s.label}</View>
          ))}
        </View>
        {candidates.length === 0 && <View className="op-empty" id="cases-candidates-empty">没有该状态的诉求</View>}
        {candidates.map((t) => (
          <View key={t.id} className={`op-list__item${form.ticketId === t.id ? ' op-list__item--active' : ''}`} id={`cases-ticket-${t.number}`} onClick={() => setForm({ ...EMPTY, ticketId: t.id, ticketNumber: t.number })}>
            <Text className="op-list__number">{t.number}</Text> <Text>{t.title}</Text> <Text className="muted">{t.category}</Text>
          </View>
        ))}
      </View>
      {form.ticketId && (
        <View className="section" id="case-form">
          <View className="section__title">{form.id ? '修改案例' : '新案例'}（{form.ticketNumber}）</View>
          <View className="muted">请用匿名表述：不写姓名、电话号码、身份证号码和门牌号等详细地址，服务器会拒绝含有个人信息的案例。</View>
          <View className="field">
            <Text className="field__label">标题</Text>
            <Input id="case-title" value={form.title} placeholder="如：小区门口垃圾长期堆放" onChange={(v) => setForm({ ...form, title: v })} />
          </View>
          <View className="field">
            <Text className="field__label">案情</Text>
            <TextArea id="case-summary" autoSize value={form.summary} onChange={(v) => setForm({ ...form, summary: v })} />
          </View>
          <View className="field">
            <Text className="field__label">办理结果</Text>
            <TextArea id="case-result" autoSize value={form.result} onChange={(v) => setForm({ ...form, result: v })} />
          </View>
          <View className="row">
            <Button id="case-save" type="primary" size="small" loading={busy} disabled={!form.title.trim() || !form.summary.trim() || !form.result.trim()} onClick={() => void save()}>保存</Button>
            <Button id="case-cancel" size="small" onClick={() => setForm(EMPTY)}>取消</Button>
          </View>
        </View>
      )}
      {cases.some((c) => c.publishedAt) && <View className="muted">最近公开：{formatTime(Math.max(...cases.map((c) => c.publishedAt ?? 0)))}</View>}
    </OperatorShell>
  );
}
