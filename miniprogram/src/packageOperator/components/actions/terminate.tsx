import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { LIMITS } from '@shared/contracts/limits';
import type { OperatorCommand } from '../../../api/client';
import type { OperatorDetail, TerminationGroundView } from '../../../api/types';
import { pressable } from '../../../ui/pressable';
import { Button, TextArea } from '../../../ui';
import { formatTime } from '../../../util/format';
import TemplatePicker from './templatePicker';

interface Props {
  detail: OperatorDetail;
  busy: boolean;
  run(command: Omit<OperatorCommand, 'ticketId' | 'expectedVersion'>, done: string): Promise<void>;
}

const CONSEQUENCE = '终止后工单不再办理，所有期限停止；诉求人和承办单位会收到终止理由。';

function GroundChoice({ grounds, code, onChoose }: { grounds: TerminationGroundView[]; code: string; onChoose(code: string): void }) {
  return (
    <View className="op-grounds" id="termination-grounds">
      {grounds.map((g) => (
        <View key={g.code} id={`termination-ground-${g.code}`} className={`op-ground${code === g.code ? ' op-ground--chosen' : ''}`} {...pressable(() => onChoose(g.code))}>
          <Text>{g.label}</Text>
          <Text className="muted"> {g.article}</Text>
        </View>
      ))}
    </View>
  );
}

/**
 * 终止办理 by the platform: one of the profile's grounds open to the platform, with its article
 * (baiyin 19); where the regulation names none, an explanation alone. Confirmed with its consequence.
 */
export function TerminateForm({ detail, busy, run }: Props) {
  const grounds = detail.terminationGrounds.filter((g) => g.by.includes('platform'));
  const [code, setCode] = useState('');
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState('');
  const [confirming, setConfirming] = useState(false);
  const ground = grounds.find((g) => g.code === code);
  const submit = () => {
    if (grounds.length > 0 && !ground) return setProblem('请选择终止办理的情形。');
    if (!reason.trim()) return setProblem('请填写理由，理由将告知诉求人和承办单位。');
    setProblem('');
    setConfirming(true);
  };
  const send = () => void run({ type: 'terminate', reason: reason.trim(), ...(ground ? { groundCode: ground.code } : {}) }, '已终止办理');
  return (
    <View className="op-form" id="form-terminate">
      <View className="op-form__title">终止办理的情形</View>
      {grounds.length > 0 ? (
        <GroundChoice grounds={grounds} code={code} onChoose={(c) => { setCode(c); setConfirming(false); setProblem(''); }} />
      ) : (
        <View className="muted" id="termination-no-grounds">本平台适用的条例未列明终止办理的情形，须写明终止的理由。</View>
      )}
      {ground && (
        <View className="notice op-form__notice" id="termination-article">
          依据{ground.article}：{ground.text}。终止前须确认：{ground.precondition}。
        </View>
      )}
      <TemplatePicker kind="termination" onPick={(text) => { setReason(text); setConfirming(false); }} />
      <TextArea
        id="terminate-reason"
        className="op-form__note"
        value={reason}
        maxLength={LIMITS.reason}
        autoSize
        placeholder="终止理由（必填，将告知诉求人和承办单位）"
        onChange={(v) => {
          setReason(v);
          setConfirming(false);
          if (v.trim()) setProblem('');
        }}
      />
      {problem && <View className="form-error" id="terminate-problem">{problem}</View>}
      <Button id="terminate-submit" type="danger" size="small" loading={busy && !confirming} disabled={busy || confirming} onClick={submit}>
        确认
      </Button>
      {confirming && (
        <View className="notice" id="terminate-consequence">
          <View>{ground ? `依据${ground.article}终止办理。` : ''}{CONSEQUENCE}确定终止？</View>
          <View className="row">
            <Button id="terminate-confirm" type="danger" size="small" loading={busy} onClick={send}>
              确定终止办理
            </Button>
            <Button id="terminate-cancel" size="small" disabled={busy} onClick={() => setConfirming(false)}>
              取消
            </Button>
          </View>
        </View>
      )}
    </View>
  );
}

/** A unit's termination proposal (baiyin 19, linyi 18, 19): its ground, reason and proof; the operator decides with a reason. */
export function ReviewTerminationForm({ detail, busy, run }: Props) {
  const pending = detail.ticket.pendingTermination;
  const [note, setNote] = useState('');
  const [choice, setChoice] = useState<'approve' | 'reject' | null>(null);
  const [problem, setProblem] = useState('');
  if (!pending) return null;
  const ground = detail.terminationGrounds.find((g) => g.code === pending.groundCode);
  const proposal = [...detail.timeline].reverse().find((e) => e.type === 'proposeTermination');
  const proofs = proposal?.attachments?.length ?? 0;
  const choose = (c: 'approve' | 'reject') => {
    if (!note.trim()) {
      setProblem(c === 'approve' ? '同意终止须写明审核意见，将告知诉求人和承办单位。' : '驳回须填写理由，理由将告知承办单位。');
      setChoice(null);
      return;
    }
    setProblem('');
    setChoice(c);
  };
  return (
    <View className="op-form" id="form-reviewTermination">
      <View id="pending-termination">
        <View className="op-form__title">终止办理申请</View>
        <View>情形：{ground?.label ?? pending.groundCode}（{pending.article}）</View>
        <View className="pre-wrap">理由：{pending.reason}</View>
        <View className="muted" id="pending-termination-proof">证明材料：{proofs > 0 ? `${proofs}个附件（见办理记录）` : '未附'} · 申请于{formatTime(pending.at)}</View>
        {ground && <View className="muted">终止前须确认：{ground.precondition}</View>}
      </View>
      <TemplatePicker kind="termination" onPick={(text) => { setNote(text); setChoice(null); }} />
      <TextArea
        id="reviewTermination-note"
        className="op-form__note"
        value={note}
        maxLength={LIMITS.reason}
        autoSize
        placeholder="审核意见（必填；同意时告知诉求人和承办单位，驳回时告知承办单位）"
        onChange={(v) => {
          setNote(v);
          setChoice(null);
          if (v.trim()) setProblem('');
        }}
      />
      {problem && <View className="form-error" id="reviewTermination-problem">{problem}</View>}
      <View className="row">
        <Button id="reviewTermination-approve" type={choice === 'approve' ? 'primary' : 'default'} size="small" disabled={busy} onClick={() => choose('approve')}>
          同意终止
        </Button>
        <Button id="reviewTermination-reject" type={choice === 'reject' ? 'primary' : 'default'} size="small" disabled={busy} onClick={() => choose('reject')}>
          驳回申请
        </Button>
      </View>
      {choice && (
        <View className="notice" id="reviewTermination-consequence">
          <View>{choice === 'approve' ? `依据${pending.article}终止办理。${CONSEQUENCE}` : '承办单位继续办理，驳回理由告知承办单位。'}</View>
          <View className="row">
            <Button id="reviewTermination-confirm" type={choice === 'approve' ? 'danger' : 'primary'} size="small" loading={busy} onClick={() => void run({ type: 'reviewTermination', approve: choice === 'approve', note: note.trim() }, choice === 'approve' ? '已终止办理' : '已驳回终止申请')}>
              {choice === 'approve' ? '确定终止办理' : '确认驳回'}
            </Button>
            <Button id="reviewTermination-cancel" size="small" disabled={busy} onClick={() => setChoice(null)}>
              取消
            </Button>
          </View>
        </View>
      )}
    </View>
  );
}

/** A unit's dispute of the rating (anshan 23(3)): the operator re-rates (upheld) or keeps the rating, with a reason either way. */
export function ReviewDisputeForm({ detail, busy, run }: Props) {
  const pending = detail.ticket.pendingDispute;
  const options = detail.rating.options;
  const [note, setNote] = useState('');
  const [choice, setChoice] = useState<'upheld' | 'rejected' | null>(null);
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState('');
  if (!pending) return null;
  const current = options.find((o) => o.value === pending.value)?.label ?? pending.value;
  const dispute = [...detail.timeline].reverse().find((e) => e.type === 'disputeRating');
  const proofs = dispute?.attachments?.length ?? 0;
  const submit = () => {
    if (!note.trim()) return setProblem('请填写复评意见，将告知承办单位。');
    if (choice === 'upheld' && !value) return setProblem('采纳申诉须选择复评的评价等级。');
    setProblem('');
    void run({ type: 'reviewDispute', upheld: choice === 'upheld', ...(choice === 'upheld' ? { value } : {}), note: note.trim() }, choice === 'upheld' ? '已复评' : '已维持原评价');
  };
  return (
    <View className="op-form" id="form-reviewDispute">
      <View id="pending-dispute">
        <View className="op-form__title">承办单位的评价申诉</View>
        <View>诉求人的评价：{current}（第{pending.round + 1}轮）</View>
        <View className="pre-wrap">申诉理由：{pending.reason}</View>
        <View className="muted">证明材料：{proofs > 0 ? `${proofs}个附件（见办理记录）` : '未附'} · 申诉于{formatTime(pending.at)}</View>
      </View>
      <View className="row">
        <Button id="reviewDispute-upheld" type={choice === 'upheld' ? 'primary' : 'default'} size="small" disabled={busy} onClick={() => setChoice('upheld')}>
          采纳申诉，平台复评
        </Button>
        <Button id="reviewDispute-rejected" type={choice === 'rejected' ? 'primary' : 'default'} size="small" disabled={busy} onClick={() => setChoice('rejected')}>
          不予采纳，维持原评价
        </Button>
      </View>
      {choice === 'upheld' && (
        <View className="row" id="reviewDispute-options">
          {options.map((o) => (
            <Button key={o.value} id={`reviewDispute-option-${o.value}`} type={value === o.value ? 'primary' : 'default'} size="small" disabled={busy} onClick={() => setValue(o.value)}>
              {o.label}
            </Button>
          ))}
        </View>
      )}
      <TextArea id="reviewDispute-note" className="op-form__note" value={note} maxLength={LIMITS.reason} autoSize placeholder="复评意见（必填，告知承办单位）" onChange={setNote} />
      {problem && <View className="form-error" id="reviewDispute-problem">{problem}</View>}
      {choice && (
        <Button id="reviewDispute-confirm" type="primary" size="small" loading={busy} onClick={submit}>
          {choice === 'upheld' ? '确认复评' : '确认维持原评价'}
        </Button>
      )}
    </View>
  );
}
