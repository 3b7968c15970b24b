import { Text, View } from '@tarojs/components';
import { useEffect, useMemo, useState } from 'react';
import { LIMITS } from '@shared/contracts/limits';
import type { PolicyProfile, RequestType, Urgency } from '@shared/profiles/schema';
import { ruleBasis, toldRules } from '@shared/workflow/deadlineRules';
import type { OperatorCommand } from '../../../api/client';
import type { OperatorDetail } from '../../../api/types';
import { REQUEST_TYPE_LABELS } from '../../../labels';
import { pressable } from '../../../ui/pressable';
import ChipGroup from '../../../components/chip-group';
import { loadPolicy } from '../../policy';
import { URGENCY_LABELS } from '../../workbench';
import { Button, Input, TextArea } from '../../../ui';

interface Props {
  detail: OperatorDetail;
  busy: boolean;
  run(command: Omit<OperatorCommand, 'ticketId' | 'expectedVersion'>, done: string): Promise<void>;
}

/**
 * 分类: type, category, urgency (as the ticket's profile defines it), utilities and area, with the
 * handling limit and its article the change leads to, and a reason kept with the event.
 */
export default function ClassifyForm({ detail, busy, run }: Props) {
  const t = detail.ticket;
  const [profile, setProfile] = useState<PolicyProfile | null>(null);
  const [type, setType] = useState<RequestType>(t.type);
  const [category, setCategory] = useState(t.category);
  const [urgency, setUrgency] = useState<Urgency>(t.urgency);
  const [utilities, setUtilities] = useState(!!t.utilities);
  const [area, setArea] = useState(t.location.area ?? '');
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState('');

  useEffect(() => {
    loadPolicy().then((p) => setProfile(p.current as unknown as PolicyProfile), () => undefined);
  }, []);
  // The ticket keeps the profile it was opened under: the preview only uses the current one if it is that one.
  const own = profile && profile.id === t.profileId ? profile : null;
  const types: RequestType[] = own?.requestTypes ?? [t.type];
  const urgencies = useMemo(() => {
    const byType = own?.handling.deadlines[type];
    return byType ? (Object.keys(byType) as Urgency[]) : (['normal'] as Urgency[]);
  }, [own, type]);
  useEffect(() => {
    if (!urgencies.includes(urgency)) setUrgency('normal');
  }, [urgencies, urgency]);
  const told = useMemo(() => {
    if (!own) return null;
    try {
      return toldRules(own, { type, urgency, utilities }).map((r) => ruleBasis(own, r.kind, r.rule)).join('；');
    } catch {
      return null;
    }
  }, [own, type, urgency, utilities]);

  const changes = {
    ...(type !== t.type ? { requestType: type } : {}),
    ...(category.trim() && category.trim() !== t.category ? { category: category.trim() } : {}),
    ...(urgency !== t.urgency ? { urgency } : {}),
    ...(utilities !== !!t.utilities ? { utilities } : {}),
    ...(area.trim() && area.trim() !== (t.location.area ?? '') ? { area: area.trim() } : {}),
  };
  const submit = () => {
    if (!Object.keys(changes).length) return setProblem('分类没有变化。');
    if (!reason.trim()) return setProblem('请填写调整理由，理由记入办理记录。');
    setProblem('');
    void run({ type: 'classify', ...changes, reason: reason.trim() }, '已调整分类，办理期限已重新计算');
  };
  return (
    <View className="op-form" id="form-classify">
      <View className="op-form__title">调整分类</View>
      <ChipGroup id="classify-types" idPrefix="classify-type" options={types.map((x) => ({ value: x, label: REQUEST_TYPE_LABELS[x] }))} value={type} onChange={setType} />
      <Input id="classify-category" className="op-form__input" value={category} maxLength={LIMITS.category} placeholder="类别" onChange={setCategory} />
      <ChipGroup id="classify-urgencies" idPrefix="classify-urgency" options={urgencies.map((u) => ({ value: u, label: URGENCY_LABELS[u] }))} value={urgency} onChange={setUrgency} />
      {own?.handling.utilities && (
        <View id="classify-utilities" className={`chip${utilities ? ' chip--active' : ''}`} aria-pressed={utilities} {...pressable(() => setUtilities(!utilities))}>
          {utilities ? '✓ ' : ''}涉及供水、供电、供气、供暖
        </View>
      )}
      <Input id="classify-area" className="op-form__input" value={area} maxLength={40} placeholder="区域 / 网格" onChange={setArea} />
      {told && (
        <View className="notice" id="classify-deadline">
          调整后办理时限：{told}
        </View>
      )}
      <TextArea id="classify-reason" className="op-form__note" value={reason} maxLength={LIMITS.reason} autoSize placeholder="调整理由（必填，记入办理记录）" onChange={setReason} />
      {problem && <View className="form-error" id="classify-problem">{problem}</View>}
      <Button id="classify-submit" type="primary" size="small" loading={busy} onClick={submit}>
        确认调整
      </Button>
      <Text className="muted">期限按调整后的类型、紧急程度重新计算，并通知承办单位。</Text>
    </View>
  );
}
