import { View, Text } from '@tarojs/components';
import { useEffect, useState } from 'react';
import { LIMITS } from '@shared/contracts/limits';
import { operatorApi, type OperatorCommand } from '../../../api/client';
import type { OperatorDetail, QueueItem } from '../../../api/types';
import { Button, Input, TextArea } from '../../../ui';

interface FormProps {
  detail: OperatorDetail;
  busy: boolean;
  run(command: Omit<OperatorCommand, 'ticketId' | 'expectedVersion'>, done: string): Promise<void>;
}

/**
 * The ticket-number picker of 关联 and 合并: the number typed, or one of the open tickets of the
 * same category (and area) picked from the list.
 */
function NumberPicker({ detail, value, onChange, prefix }: { detail: OperatorDetail; value: string; onChange(v: string): void; prefix: string }) {
  const t = detail.ticket;
  const [candidates, setCandidates] = useState<QueueItem[]>([]);
  useEffect(() => {
    let live = true;
    operatorApi
      .sameMatter(t.category, t.location.area)
      .then((p) => live && setCandidates(p.items.filter((i) => i.id !== t.id)))
      .catch(() => live && setCandidates([]));
    return () => {
      live = false;
    };
  }, [t.id, t.category, t.location.area]);
  return (
    <View>
      <Input id={`${prefix}-number`} className="op-form__input" value={value} maxLength={40} placeholder="诉求编号" onChange={(v) => onChange(v.trim().toUpperCase())} />
      {candidates.length > 0 && <View className="field__hint">同类别{t.location.area ? '、同区域' : ''}的诉求：</View>}
      <View className="chip-group" id={`${prefix}-candidates`}>
        {candidates.map((c) => (
          <View key={c.id} id={`${prefix}-pick-${c.number}`} className={`chip${value === c.number ? ' chip--active' : ''}`} onClick={() => onChange(c.number)}>
            <Text>{c.number} · {c.stateLabel} · {c.title.slice(0, 12)}</Text>
          </View>
        ))}
      </View>
    </View>
  );
}

/** 关联: this ticket and another, as the same matter asked again (重复) or a related one (相关); both show the link. */
export function LinkForm({ detail, busy, run }: FormProps) {
  const [number, setNumber] = useState('');
  const [kind, setKind] = useState<'duplicate' | 'related'>('related');
  const [note, setNote] = useState('');
  return (
    <View className="op-form" id="form-link">
      <View className="op-form__title">关联的诉求</View>
      <NumberPicker detail={detail} value={number} onChange={setNumber} prefix="link" />
      <View className="chip-group">
        {([['duplicate', '重复诉求'], ['related', '相关诉求']] as const).map(([k, label]) => (
          <View key={k} id={`link-kind-${k}`} className={`chip${kind === k ? ' chip--active' : ''}`} onClick={() => setKind(k)}>
            {label}
          </View>
        ))}
      </View>
      <TextArea id="link-note" className="op-form__note" placeholder="说明（可选）" value={note} maxLength={LIMITS.note} autoSize onChange={setNote} />
      <Button id="link-submit" type="primary" size="small" loading={busy} disabled={!number} onClick={() => void run({ type: 'link', otherNumber: number, kind, ...(note.trim() ? { note: note.trim() } : {}) }, '已关联')}>
        确认关联
      </Button>
    </View>
  );
}

/** 合并: this ticket (the duplicate) into the one handled instead; its requester becomes a co-requester there. */
export function MergeForm({ detail, busy, run }: FormProps) {
  const [number, setNumber] = useState('');
  const [note, setNote] = useState('');
  return (
    <View className="op-form" id="form-merge">
      <View className="op-form__title">合并到（继续办理的诉求）</View>
      <NumberPicker detail={detail} value={number} onChange={setNumber} prefix="merge" />
      <View className="field__hint" id="merge-hint">合并后本诉求结束办理，诉求人成为该诉求的共同诉求人，继续收到办理进展。</View>
      <TextArea id="merge-note" className="op-form__note" placeholder="说明（可选）" value={note} maxLength={LIMITS.note} autoSize onChange={setNote} />
      <Button id="merge-submit" type="primary" size="small" loading={busy} disabled={!number} onClick={() => void run({ type: 'merge', intoNumber: number, ...(note.trim() ? { note: note.trim() } : {}) }, '已合并')}>
        确认合并
      </Button>
    </View>
  );
}
