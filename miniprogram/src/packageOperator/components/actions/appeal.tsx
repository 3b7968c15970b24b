import { View } from '@tarojs/components';
import { useState } from 'react';
import { LIMITS } from '@shared/contracts/limits';
import { RATE_LABELS } from '@shared/labels';
import type { OperatorCommand } from '../../../api/client';
import type { OperatorDetail } from '../../../api/types';
import { Button, TextArea } from '../../../ui';
import { formatTime } from '../../../util/format';

interface Props {
  detail: OperatorDetail;
  busy: boolean;
  run(command: Omit<OperatorCommand, 'ticketId' | 'expectedVersion'>, done: string): Promise<void>;
}

/**
 * 审核申诉 (pingli 31 调查核实并及时反馈): a unit's appeal of how the ticket is counted. Upheld takes
 * the ticket out of the named rates of that unit; rejected leaves the figures as they are. A reason either way.
 */
export function ReviewAppealForm({ detail, busy, run }: Props) {
  const pending = detail.ticket.pendingAppeal;
  const [note, setNote] = useState('');
  const [choice, setChoice] = useState<'upheld' | 'rejected' | null>(null);
  const [problem, setProblem] = useState('');
  if (!pending) return null;
  const ground = detail.appeal?.grounds.find((g) => g.code === pending.groundCode)?.label ?? pending.groundCode;
  const appeal = [...detail.timeline].reverse().find((e) => e.type === 'appealCounting');
  const proofs = appeal?.attachments?.length ?? 0;
  const rates = pending.metrics.map((m) => RATE_LABELS[m]).join('、');
  const submit = () => {
    if (!note.trim()) return setProblem('请填写核实意见，将告知承办单位。');
    setProblem('');
    void run({ type: 'reviewAppeal', upheld: choice === 'upheld', note: note.trim() }, choice === 'upheld' ? '已采纳申诉' : '已驳回申诉');
  };
  return (
    <View className="op-form" id="form-reviewAppeal">
      <View id="pending-appeal">
        <View className="op-form__title">承办单位的统计申诉</View>
        <View>申诉理由：{ground}</View>
        <View>申诉的统计项：{rates}</View>
        <View className="pre-wrap">申诉说明：{pending.reason}</View>
        <View className="muted">
          证明材料：{proofs > 0 ? `${proofs}个附件（见办理记录）` : '未附'} · 申诉于{formatTime(pending.at)}
          {detail.appeal && ` · 依据${detail.appeal.citation.article}`}
        </View>
      </View>
      <View className="row">
        <Button id="reviewAppeal-upheld" type={choice === 'upheld' ? 'primary' : 'default'} size="small" disabled={busy} onClick={() => setChoice('upheld')}>
          采纳申诉
        </Button>
        <Button id="reviewAppeal-rejected" type={choice === 'rejected' ? 'primary' : 'default'} size="small" disabled={busy} onClick={() => setChoice('rejected')}>
          不予采纳
        </Button>
      </View>
      {choice && (
        <View className="muted" id="reviewAppeal-consequence">
          {choice === 'upheld' ? `采纳后，本工单不再计入该单位的${rates}，统计即时重算。` : '驳回后统计不变。'}
        </View>
      )}
      <TextArea id="reviewAppeal-note" className="op-form__note" value={note} maxLength={LIMITS.reason} autoSize placeholder="核实意见（必填，告知承办单位）" onChange={setNote} />
      {problem && <View className="form-error" id="reviewAppeal-problem">{problem}</View>}
      {choice && (
        <Button id="reviewAppeal-confirm" type="primary" size="small" loading={busy} onClick={submit}>
          {choice === 'upheld' ? '确认采纳' : '确认驳回'}
        </Button>
      )}
    </View>
  );
}
