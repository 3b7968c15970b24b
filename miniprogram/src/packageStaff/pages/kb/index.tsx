import { View, Text } from '@tarojs/components';
import { useCallback, useState } from 'react';
import { StaffGateView, staffGate } from '../../staffGate';
import { errorMessage } from '../../../api/client';
import { kbApi } from '../../../api/kb';
import type { KbArticleView } from '@shared/contracts/responses/kb';
import PageShell from '../../../components/page-shell';
import { useSession } from '../../../session';
import { Button, Empty, Input, TextArea } from '../../../ui';
import { formatTime } from '../../../util/format';
import { toast } from '../../../util/nav';
import { useReload } from '../../../util/useReload';

const list = (s: string) => s.split(/[、，,\s]+/).map((x) => x.trim()).filter(Boolean);
const dateOf = (ms: number) => formatTime(ms).slice(0, 10);

interface Form {
  articleId: string;
  title: string;
  answer: string;
  keywords: string;
  category: string;
}

/**
 * 我的知识条目 (linyi 21, hohhot 26, pingli 21): the articles this unit keeps, each with its review
 * date (过期 once passed), how often it was used, and the state of the unit's last edit. An edit
 * waits for the platform's review before residents and operators see it.
 */
export default function StaffKb() {
  const user = useSession();
  const gate = staffGate(user);
  const [items, setItems] = useState<KbArticleView[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState('');
  const [form, setForm] = useState<Form | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setItems(await kbApi.mine());
      setError('');
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoaded(true);
    }
  }, []);
  useReload(load, !gate);

  const edit = (a: KbArticleView) => {
    const src = a.pending ?? a;
    setForm({ articleId: a.id, title: src.title, answer: src.answer, keywords: src.keywords.join('、'), category: src.category ?? '' });
  };
  const submit = async () => {
    if (!form) return;
    setBusy(true);
    try {
      await kbApi.propose({ articleId: form.articleId, title: form.title.trim(), answer: form.answer.trim(), keywords: list(form.keywords), ...(form.category.trim() ? { category: form.category.trim() } : {}) });
      toast('已提交，等待平台审核', 'success');
      setForm(null);
      await load();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  if (gate) {
    return (
      <PageShell id="page-staff-kb">
        <StaffGateView gate={gate} />
      </PageShell>
    );
  }

  return (
    <PageShell id="page-staff-kb">
      <View className="section">
        <View className="section__title" id="kb-title">我的知识条目</View>
        <View className="muted">本单位负责维护的知识库条目。修改提交后由平台审核，通过后才对群众和话务员生效；过了复核日期的条目请及时更新。</View>
      </View>
      {error && <View className="form-error" id="form-error">{error}</View>}
      {loaded && items.length === 0 && !error && (
        <View id="kb-empty">
          <Empty title="本单位暂无知识条目" description="平台为本单位添加条目后会显示在这里" />
        </View>
      )}
      <View id="kb-list">
        {items.map((a) => (
          <View key={a.id} className="section" id={`kb-${a.id}`}>
            <View className="row">
              <Text className="section__title">{a.title}</Text>
              {a.stale && <Text className="form-error" id={`kb-${a.id}-stale`}>已过复核日期</Text>}
            </View>
            <View>{a.answer}</View>
            <View className="muted" id={`kb-${a.id}-meta`}>
              复核日期 {dateOf(a.reviewBy)} · 第{a.revision}版 · 已用于答复 {a.uses} 次
            </View>
            {a.pending && <View className="muted" id={`kb-${a.id}-pending`}>修改待平台审核（{formatTime(a.pending.at)} 提交）</View>}
            {!a.pending && a.lastReview && (
              <View className={a.lastReview.approved ? 'muted' : 'form-error'} id={`kb-${a.id}-review`}>
                {a.lastReview.approved ? '上次修改已审核通过' : `上次修改未通过：${a.lastReview.reason ?? ''}`}
              </View>
            )}
            <Button id={`kb-${a.id}-edit`} size="small" onClick={() => edit(a)}>修改</Button>
          </View>
        ))}
      </View>
      {form && (
        <View className="section" id="kb-form">
          <View className="section__title">修改条目</View>
          <View className="field">
            <Text className="field__label" id="kb-form-title-label">问题</Text>
            <Input id="kb-form-title" aria-labelledby="kb-form-title-label" value={form.title} onChange={(v) => setForm({ ...form, title: v })} />
          </View>
          <View className="field">
            <Text className="field__label" id="kb-form-answer-label">答复</Text>
            <TextArea id="kb-form-answer" aria-labelledby="kb-form-answer-label" autoSize value={form.answer} onChange={(v) => setForm({ ...form, answer: v })} />
          </View>
          <View className="field">
            <Text className="field__label" id="kb-form-keywords-label">关键词（顿号分隔）</Text>
            <Input id="kb-form-keywords" aria-labelledby="kb-form-keywords-label" value={form.keywords} onChange={(v) => setForm({ ...form, keywords: v })} />
          </View>
          <View className="field">
            <Text className="field__label" id="kb-form-category-label">类别</Text>
            <Input id="kb-form-category" aria-labelledby="kb-form-category-label" value={form.category} onChange={(v) => setForm({ ...form, category: v })} />
          </View>
          <View className="actions">
            <Button id="kb-form-submit" type="primary" block loading={busy} disabled={!form.title.trim() || !form.answer.trim()} onClick={() => void submit()}>提交审核</Button>
            <Button id="kb-form-cancel" block fill="none" onClick={() => setForm(null)}>取消</Button>
          </View>
        </View>
      )}
    </PageShell>
  );
}
