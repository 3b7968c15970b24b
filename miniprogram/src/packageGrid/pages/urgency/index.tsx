import { Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { LIMITS } from '@shared/contracts/limits';
import { errorMessage, residentApi } from '../../../api/client';
import type { TicketListItem } from '../../../api/types';
import LoginPicker from '../../../components/login-picker';
import PageShell from '../../../components/page-shell';
import { useSession } from '../../../session';
import { useMyTickets } from '../../../tickets/useMine';
import { Button, Empty, TextArea } from '../../../ui';
import { formatTime } from '../../../util/format';
import { toast } from '../../../util/nav';
import './index.scss';

type Level = 'urgent' | 'emergency';
const LABELS = { normal: '一般', urgent: '紧急', emergency: '突发' } as const;
/** States in which a report is still being handled and its urgency still matters. */
const DONE = ['resolved', 'answered', 'closed', 'rejected', 'withdrawn', 'terminated', 'split'];

/**
 * 标记紧急: a grid worker raises the urgency of their own open reports after seeing the place
 * again (issue 14 §2). The handling deadline follows the profile's rule for the new urgency.
 */
export default function GridUrgency() {
  const user = useSession();
  const mine = useMyTickets();
  const [open, setOpen] = useState<{ id: string; level: Level } | null>(null);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);

  useDidShow(() => {
    if (user) void mine.reload();
  });

  if (!user) {
    return (
      <PageShell id="page-grid-urgency">
        <LoginPicker compact />
      </PageShell>
    );
  }

  const items = mine.items.filter((t) => !DONE.includes(t.state));
  const choose = (t: TicketListItem, level: Level) => {
    setOpen({ id: t.id, level });
    setReason('');
    setProblem('');
  };
  const send = async () => {
    if (!open || busy) return;
    if (!reason.trim()) return setProblem('请写明现场情况，平台和承办单位会看到。');
    setBusy(true);
    try {
      await residentApi.command({ type: 'classify', ticketId: open.id, urgency: open.level, reason: reason.trim() });
      toast(`已标记为${LABELS[open.level]}`, 'success');
      setOpen(null);
      await mine.reload();
    } catch (e) {
      setProblem(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <PageShell id="page-grid-urgency">
      <View className="notice" id="urgency-guide">
        现场情况变急（如积水进屋、设施有坠落危险）时，在这里提高紧急程度，平台将按紧急时限督促办理。人身安全有危险的，请先拨打 110 / 119 / 120。
      </View>
      {mine.error && <View className="form-error">{mine.error}</View>}
      {mine.loaded && items.length === 0 && <Empty title="没有办理中的上报" />}
      <View id="urgency-list">
        {items.map((t) => {
          const current = t.urgency ?? 'normal';
          return (
            <View key={t.id} className="section grid-urgency__item" id={`urgency-item-${t.id}`} data-urgency={current}>
              <View className="row grid-urgency__head">
                <Text className="grid-urgency__title">{t.title}</Text>
                <Text className={`grid-urgency__level grid-urgency__level--${current}`} id={`urgency-current-${t.id}`}>{LABELS[current]}</Text>
              </View>
              <View className="muted">{t.number} · {t.category} · {t.stateLabel} · {formatTime(t.createdAt)}</View>
              <View className="row grid-urgency__buttons">
                {current === 'normal' && <Button id={`urgency-${t.id}-urgent`} size="small" onClick={() => choose(t, 'urgent')}>标记紧急</Button>}
                {current !== 'emergency' && <Button id={`urgency-${t.id}-emergency`} size="small" type="danger" onClick={() => choose(t, 'emergency')}>标记突发</Button>}
              </View>
              {open?.id === t.id && (
                <View className="grid-urgency__form" id="urgency-form">
                  <View className="field__label field__label--required">现场情况（标记为{LABELS[open.level]}的理由）</View>
                  <TextArea id="urgency-reason" value={reason} maxLength={LIMITS.reason} autoSize placeholder="如：积水已进入楼道，老人出行困难" onChange={(v) => { setReason(v); if (v.trim()) setProblem(''); }} />
                  {problem && <View className="form-error" id="urgency-problem">{problem}</View>}
                  <View className="row">
                    <Button id="urgency-confirm" type="primary" size="small" loading={busy} onClick={() => void send()}>确认标记{LABELS[open.level]}</Button>
                    <Button id="urgency-cancel" size="small" disabled={busy} onClick={() => setOpen(null)}>取消</Button>
                  </View>
                </View>
              )}
            </View>
          );
        })}
      </View>
      {mine.next && (
        <View className="actions">
          <Button id="urgency-more" block loading={mine.loading} onClick={() => void mine.more()}>加载更多</Button>
        </View>
      )}
    </PageShell>
  );
}
