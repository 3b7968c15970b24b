import { Button as TaroButton, Input, Text, Textarea, View } from '@tarojs/components';
import { keyboardButton } from '../../../ui/pressable';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { LIMITS, phoneSchema } from '@shared/contracts/common';
import type { PolicyProfile, RequestType, Urgency } from '@shared/profiles/schema';
import { formatSpan, ruleBasis, toldRules } from '@shared/workflow/deadlineRules';
import { adminApi, errorMessage, operatorApi } from '../../../api/client';
import type { KbRecord } from '../../../api/types';
import { searchKb } from '../../components/actions';
import OperatorShell from '../../components/shell';
import { REQUEST_TYPE_LABELS } from '../../../labels';
import { newId } from '../../../util/ids';
import { formatTime } from '../../../util/format';
import { focusField, pressable, useShortcuts, HAS_KEYBOARD } from '../../keyboard';
import { loadPolicy } from '../../policy';
import { URGENCY_LABELS, searchQueue, type WorkbenchRow } from '../../workbench';
import '../../workbench.scss';
import './index.scss';
import { opGo } from '../../../util/nav';

interface Draft {
  phone: string;
  name: string;
  type: RequestType;
  category: string;
  urgency: Urgency;
  utilities: boolean;
  area: string;
  address: string;
  content: string;
  confidential: boolean;
  smsUpdates: boolean;
}

const EMPTY: Draft = { phone: '', name: '', type: 'help', category: '', urgency: 'normal', utilities: false, area: '', address: '', content: '', confidential: false, smsUpdates: true };

interface Done {
  id: string;
  number: string;
  answered: boolean;
  expected?: { span: string; basis: string };
}

const TYPE_KEYS = ['Digit1', 'Digit2', 'Digit3', 'Digit4', 'Digit5'];

/**
 * 来电登记: an operator takes a phone call. The caller's number comes first, so earlier and open
 * tickets of the same caller show before anything is filed twice; the form follows the profile's
 * types, urgencies and utilities rule, shows the deadline the ticket will get with its article,
 * and suggests knowledge-base answers while the operator types. Everything works from the keyboard.
 */
export default function OperatorIntake() {
  const [profile, setProfile] = useState<PolicyProfile | null>(null);
  const [categories, setCategories] = useState<string[]>([]);
  const [articles, setArticles] = useState<KbRecord[]>([]);
  const [d, setD] = useState<Draft>(EMPTY);
  const [history, setHistory] = useState<WorkbenchRow[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [done, setDone] = useState<Done | null>(null);
  const [answerWith, setAnswerWith] = useState<KbRecord | null>(null);
  const requestId = useRef(newId());
  const set = useCallback((patch: Partial<Draft>) => setD((old) => ({ ...old, ...patch })), []);

  useEffect(() => {
    loadPolicy().then((p) => setProfile(p.current as unknown as PolicyProfile), (e) => setError(errorMessage(e)));
    adminApi.units().then((us) => setCategories([...new Set(us.filter((u) => u.active).flatMap((u) => u.categories))].sort((a, b) => a.localeCompare(b, 'zh'))), () => undefined);
    adminApi.kb().then(setArticles, () => undefined);
  }, []);

  // The caller's tickets, as soon as the number is complete (or its last four digits typed).
  const phoneOk = phoneSchema.safeParse(d.phone.trim()).success;
  useEffect(() => {
    if (!phoneOk) {
      setHistory(null);
      return undefined;
    }
    let live = true;
    searchQueue('all', { phone: d.phone.trim() }, null, 20).then((p) => live && setHistory(p.items), () => live && setHistory([]));
    return () => {
      live = false;
    };
  }, [phoneOk, d.phone]);

  const types: RequestType[] = profile?.requestTypes ?? ['consultation', 'help', 'complaint', 'report', 'suggestion'];
  const urgencies = useMemo(() => {
    const byType = profile?.handling.deadlines[d.type];
    const keys: Urgency[] = byType ? (Object.keys(byType) as Urgency[]) : ['normal'];
    // A chip shows the article's own window: the response where the article has one (hohhot 16(3)).
    const response = profile?.handling.response;
    return keys.map((u) => ({ value: u, rule: (u !== 'emergency' ? response?.[u] : undefined) ?? byType?.[u] }));
  }, [profile, d.type]);
  const utilitiesRule = profile?.handling.utilities ?? null;
  // The response window where the article has one (hohhot 16(2), 16(3)), then the finish, each
  // with 平台设定 where the regulation leaves the number to the platform.
  const told = useMemo(() => {
    if (!profile) return null;
    try {
      return toldRules(profile, { type: d.type, urgency: d.urgency, utilities: d.utilities }).map((r) => ruleBasis(profile, r.kind, r.rule)).join('；');
    } catch {
      return null;
    }
  }, [profile, d.type, d.urgency, d.utilities]);
  const hits = useMemo(() => (d.content.trim().length >= 2 || d.category ? searchKb(articles, d.content, d.category || undefined).slice(0, 4) : []), [articles, d.content, d.category]);
  const open = history?.filter((h) => !['resolved', 'answered', 'closed', 'rejected', 'withdrawn', 'terminated', 'split'].includes(h.state)) ?? [];

  useEffect(() => {
    // A type whose urgencies lack the chosen one falls back to normal.
    if (!urgencies.some((u) => u.value === d.urgency)) set({ urgency: 'normal' });
  }, [urgencies, d.urgency, set]);

  const problems = [
    !phoneOk && '请填写来电号码（手机或带区号的固话）',
    !d.name.trim() && '请填写来电人姓名',
    !d.category.trim() && '请填写诉求类别',
    d.content.trim().length < 5 && '诉求内容至少5个字',
  ].filter(Boolean) as string[];

  const submit = async (answer?: KbRecord | null) => {
    if (busy) return;
    if (problems.length) {
      setError(problems[0]!);
      focusField(!phoneOk ? 'intake-phone' : !d.name.trim() ? 'intake-name' : !d.category.trim() ? 'intake-category' : 'intake-content');
      return;
    }
    setBusy(true);
    setError('');
    try {
      const r = await operatorApi.submit({
        clientRequestId: requestId.current,
        type: d.type,
        urgency: d.urgency,
        utilities: d.utilities,
        category: d.category.trim(),
        content: d.content.trim(),
        location: { ...(d.address.trim() ? { address: d.address.trim() } : {}), ...(d.area.trim() ? { area: d.area.trim() } : {}) },
        contact: { name: d.name.trim(), phone: d.phone.trim(), smsUpdates: d.smsUpdates },
        confidential: d.confidential,
        onBehalf: true,
        channel: 'phone',
        attachments: [],
      });
      const t = r.ticket as unknown as { id: string; number: string; version: number };
      if (answer) {
        await operatorApi.command({ type: 'answer', ticketId: t.id, expectedVersion: t.version, answer: answer.answer, articleId: answer.id } as never);
      }
      setDone({ id: t.id, number: t.number, answered: !!answer, expected: answer || !r.expected ? undefined : { span: r.expected.span, basis: r.expected.basis } });
      requestId.current = newId();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const nextCall = () => {
    setD(EMPTY);
    setDone(null);
    setError('');
    setAnswerWith(null);
    setHistory(null);
    setTimeout(() => focusField('intake-phone'), 0);
  };

  useShortcuts({
    'Ctrl+Enter': () => void submit(answerWith),
    'Alt+KeyN': nextCall,
    'Alt+KeyU': () => utilitiesRule && set({ utilities: !d.utilities }),
    'Alt+KeyJ': () => {
      const i = urgencies.findIndex((u) => u.value === d.urgency);
      set({ urgency: urgencies[(i + 1) % urgencies.length]!.value });
    },
    'Alt+KeyK': () => hits[0] && setAnswerWith(answerWith?.id === hits[0].id ? null : hits[0]),
    ...Object.fromEntries(types.slice(0, 5).map((t, i) => [`Alt+${TYPE_KEYS[i]}`, () => set({ type: t })])),
  });

  useEffect(() => {
    setTimeout(() => focusField('intake-phone'), 0);
  }, []);

  if (done) {
    return (
      <OperatorShell id="page-op-intake" active="intake" title="来电登记">
        <View className="intake-done" id="intake-done">
          <View className="intake-done__title">{done.answered ? '已即时答复并办结' : '已登记'}：<Text id="intake-done-number">{done.number}</Text></View>
          {done.expected && <View className="intake-done__deadline" id="intake-done-deadline">{done.expected.basis}</View>}
          <View className="row">
            <TaroButton id="intake-open" className="wb-btn" {...keyboardButton(() => void opGo('ticket', { id: done.id }))} onClick={() => void opGo('ticket', { id: done.id })}>打开工单</TaroButton>
            <TaroButton id="intake-next" className="wb-btn wb-btn--primary" {...keyboardButton(nextCall)} onClick={nextCall}>下一个来电（Alt+N）</TaroButton>
          </View>
        </View>
      </OperatorShell>
    );
  }

  const chip = (active: boolean) => `chip${active ? ' chip--active' : ''}`;
  return (
    <OperatorShell id="page-op-intake" active="intake" title="来电登记">
      <View className="intake">
        <View className="intake__form" id="intake-form">
          <View className="wb-field">
            <Text className="wb-label">来电号码</Text>
            <Input id="intake-phone" className="wb-input" type="text" value={d.phone} maxlength={14} placeholder="先输入来电号码，查看此前的诉求" onInput={(e) => set({ phone: e.detail.value })} onConfirm={() => void submit(answerWith)} />
          </View>
          <View className="wb-field">
            <Text className="wb-label">来电人</Text>
            <Input id="intake-name" className="wb-input" value={d.name} maxlength={LIMITS.name} placeholder="姓名或称呼" onInput={(e) => set({ name: e.detail.value })} onConfirm={() => void submit(answerWith)} />
          </View>
          <View className="wb-field">
            <Text className="wb-label">诉求类型</Text>
            <View className="chip-group" id="intake-types">
              {types.map((t, i) => (
                <View key={t} id={`intake-type-${t}`} className={chip(d.type === t)} aria-pressed={d.type === t} {...pressable(() => set({ type: t }))}>
                  {REQUEST_TYPE_LABELS[t]}
                  {HAS_KEYBOARD && i < 5 && <Text className="wb-key">Alt+{i + 1}</Text>}
                </View>
              ))}
            </View>
          </View>
          <View className="wb-field">
            <Text className="wb-label">类别</Text>
            <Input id="intake-category" className="wb-input" value={d.category} maxlength={LIMITS.category} placeholder="例如：供水、市容环境" onInput={(e) => set({ category: e.detail.value })} onConfirm={() => void submit(answerWith)} />
            <View className="chip-group intake__categories">
              {categories
                .filter((c) => !d.category || c.includes(d.category.trim()))
                .slice(0, 12)
                .map((c) => (
                  <View key={c} id={`intake-category-${c}`} className={chip(d.category === c)} {...pressable(() => set({ category: c }))}>
                    {c}
                  </View>
                ))}
            </View>
          </View>
          <View className="wb-field">
            <Text className="wb-label">紧急程度 <Text className="wb-key">Alt+J</Text></Text>
            <View className="chip-group" id="intake-urgencies">
              {urgencies.map((u) => (
                <View key={u.value} id={`intake-urgency-${u.value}`} className={chip(d.urgency === u.value)} aria-pressed={d.urgency === u.value} {...pressable(() => set({ urgency: u.value }))}>
                  {URGENCY_LABELS[u.value]}
                  {u.rule && <Text className="muted"> {formatSpan(u.rule)}</Text>}
                </View>
              ))}
            </View>
            {d.urgency === 'emergency' && (
              <View className="notice" id="intake-emergency-hint">危及人身、财产安全的紧急情况，请同时引导来电人拨打110、119、120。</View>
            )}
          </View>
          {utilitiesRule && (
            <View className="wb-field">
              <Text className="wb-label">水电气暖</Text>
              <View id="intake-utilities" className={chip(d.utilities)} aria-pressed={d.utilities} {...pressable(() => set({ utilities: !d.utilities }))}>
                {d.utilities ? '✓ ' : ''}涉及供水、供电、供气、供暖 <Text className="wb-key">Alt+U</Text>
              </View>
              <View className="field__hint">
                {utilitiesRule.response ? `${formatSpan(utilitiesRule.response)}内响应（${utilitiesRule.response.citation.article}），` : ''}
                {formatSpan(utilitiesRule.rule)}内办结（{utilitiesRule.rule.citation.article}{utilitiesRule.rule.citation.platformSet ? '，平台设定' : ''}）
              </View>
            </View>
          )}
          <View className="wb-field wb-field--pair">
            <View className="wb-field">
              <Text className="wb-label">区域 / 网格</Text>
              <Input id="intake-area" className="wb-input" value={d.area} maxlength={40} placeholder="例如：东区街道" onInput={(e) => set({ area: e.detail.value })} onConfirm={() => void submit(answerWith)} />
            </View>
            <View className="wb-field">
              <Text className="wb-label">地址</Text>
              <Input id="intake-address" className="wb-input" value={d.address} maxlength={LIMITS.address} placeholder="事发地点" onInput={(e) => set({ address: e.detail.value })} onConfirm={() => void submit(answerWith)} />
            </View>
          </View>
          <View className="wb-field">
            <Text className="wb-label">诉求内容</Text>
            <Textarea id="intake-content" className="wb-textarea" value={d.content} maxlength={LIMITS.content} placeholder="记录来电人反映的问题（Ctrl+Enter 登记）" onInput={(e) => set({ content: e.detail.value })} />
          </View>
          <View className="wb-field row">
            <View id="intake-confidential" className={chip(d.confidential)} aria-pressed={d.confidential} {...pressable(() => set({ confidential: !d.confidential }))}>
              {d.confidential ? '✓ ' : ''}为来电人保密
            </View>
            <View id="intake-sms" className={chip(d.smsUpdates)} aria-pressed={d.smsUpdates} {...pressable(() => set({ smsUpdates: !d.smsUpdates }))}>
              {d.smsUpdates ? '✓ ' : ''}同意短信告知办理进展
            </View>
          </View>
          {told && (
            <View className="notice" id="intake-deadline">
              办理时限：{told}
            </View>
          )}
          {error && <View className="form-error" id="intake-error">{error}</View>}
          <View className="row intake__actions">
            <TaroButton id="intake-submit" className="wb-btn wb-btn--primary" loading={busy} {...keyboardButton(() => void submit(answerWith), busy)} onClick={() => void submit(answerWith)}>
              {answerWith ? '登记并即时答复' : '登记'}（Enter / Ctrl+Enter）
            </TaroButton>
            <TaroButton id="intake-reset" className="wb-btn" {...keyboardButton(nextCall)} onClick={nextCall}>清空（Alt+N）</TaroButton>
          </View>
        </View>
        <View className="intake__side">
          <View className="section" id="intake-history">
            <View className="section__title">来电人的诉求</View>
            {history === null && <View className="muted">输入号码后显示此前的诉求。</View>}
            {history?.length === 0 && <View className="muted" id="intake-history-none">此号码没有诉求记录。</View>}
            {open.length > 0 && <View className="notice" id="intake-repeat">此来电人有{open.length}件未办结诉求：如是同一事项，请打开原工单跟进，不要重复登记。</View>}
            {history?.map((h) => (
              <View key={h.id} id={`intake-history-${h.number}`} className="intake__history" {...pressable(() => void opGo('ticket', { id: h.id }))}>
                <Text className="intake__number">{h.number}</Text> <Text>{h.stateLabel}</Text>
                <View>{h.title}</View>
                <View className="muted">{REQUEST_TYPE_LABELS[h.type]} · {h.category} · {formatTime(h.createdAt)}</View>
              </View>
            ))}
          </View>
          <View className="section" id="intake-kb">
            <View className="section__title">知识库 <Text className="wb-key">Alt+K 选用第一条</Text></View>
            {hits.length === 0 && <View className="muted">输入内容后推荐知识库答复。</View>}
            {hits.map((a, i) => (
              <View key={a.id} id={`intake-kb-${i}`} data-article={a.id} className={`op-kb__item${answerWith?.id === a.id ? ' op-kb__item--chosen' : ''}`} {...pressable(() => setAnswerWith(answerWith?.id === a.id ? null : a))}>
                <View className="op-kb__title">{a.title}</View>
                <View className="muted op-kb__answer">{a.answer}</View>
              </View>
            ))}
            {answerWith && <View className="field__hint" id="intake-answer-chosen">将以此条目即时答复，登记后直接办结（即时答复）。</View>}
          </View>
          <View className="muted intake__keys" id="intake-keys">
            键盘：Tab 切换，Enter 选中或登记，Alt+1…5 诉求类型，Alt+J 紧急程度，Alt+U 水电气暖，Alt+K 知识库，Ctrl+Enter 登记，Alt+N 下一个来电
          </View>
        </View>
      </View>
    </OperatorShell>
  );
}
