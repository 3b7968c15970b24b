import { View } from '@tarojs/components';
import { useState } from 'react';
import { LIMITS } from '@shared/contracts/limits';
import type { OperatorCommand } from '../../../api/client';
import type { OperatorDetail } from '../../../api/types';
import ChipGroup from '../../../components/chip-group';
import { Button, TextArea } from '../../../ui';
import { formatTime } from '../../../util/format';

interface Props {
  detail: OperatorDetail;
  busy: boolean;
  run(command: Omit<OperatorCommand, 'ticketId' | 'expectedVersion'>, done: string): Promise<void>;
}

/**
 * 记录不当诉求 (anshan 40, baiyin 29, linyi 46): a ground of the profile with its article and the facts.
 * The requester is told the ground and the legal consequences; the request is handled as before.
 */
export function RecordMaliciousForm({ detail, busy, run }: Props) {
  const m = detail.malicious;
  const [code, setCode] = useState('');
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState('');
  const ground = m.grounds.find((g) => g.code === code);
  const submit = () => {
    if (!ground) return setProblem('请选择不当诉求行为的情形。');
    if (!note.trim()) return setProblem('请填写核实的事实（仅平台可见）。');
    setProblem('');
    void run({ type: 'recordMalicious', groundCode: code, note: note.trim() }, '已记录');
  };
  return (
    <View className="op-form" id="form-recordMalicious">
      <View className="muted" id="malicious-rule">
        记录后将告知诉求人所属情形和法律后果{m.consequence ? `（${m.consequence.article}）` : ''}，诉求人可提出异议；该诉求照常办理，承办单位看不到此记录{m.creditFile ? `；记录计入诉求人诚信档案（${m.creditFile.article}）` : ''}。
      </View>
      <ChipGroup id="malicious-grounds" idPrefix="malicious-ground" options={m.grounds.map((g) => ({ value: g.code, label: `${g.label}（${g.citation.article}）` }))} value={code} onChange={setCode} />
      <TextArea id="recordMalicious-note" className="op-form__note" value={note} maxLength={LIMITS.reason} autoSize placeholder="核实的事实（必填，仅平台可见）" onChange={setNote} />
      {problem && <View className="form-error" id="recordMalicious-problem">{problem}</View>}
      <Button id="recordMalicious-confirm" type="primary" size="small" loading={busy} onClick={submit}>确认记录</Button>
    </View>
  );
}

/** 审核异议: the requester's objection to the record; upheld withdraws it. A reason either way, told to the requester. */
export function ReviewObjectionForm({ detail, busy, run }: Props) {
  const record = detail.ticket.malicious;
  const [note, setNote] = useState('');
  const [choice, setChoice] = useState<'upheld' | 'rejected' | null>(null);
  const [problem, setProblem] = useState('');
  if (!record?.objection) return null;
  const ground = detail.malicious.grounds.find((g) => g.code === record.groundCode)?.label ?? record.groundCode;
  const submit = () => {
    if (!note.trim()) return setProblem('请填写审核意见，将告知诉求人。');
    setProblem('');
    void run({ type: 'reviewObjection', upheld: choice === 'upheld', note: note.trim() }, choice === 'upheld' ? '已撤销记录' : '已维持记录');
  };
  return (
    <View className="op-form" id="form-reviewObjection">
      <View id="pending-objection">
        <View className="op-form__title">诉求人的异议</View>
        <View>记录的情形：{ground}（{record.article}）</View>
        <View className="pre-wrap">平台记录：{record.note}</View>
        <View className="pre-wrap">异议理由：{record.objection.reason}</View>
        <View className="muted">提出于{formatTime(record.objection.at)}</View>
      </View>
      <View className="row">
        <Button id="reviewObjection-upheld" type={choice === 'upheld' ? 'primary' : 'default'} size="small" disabled={busy} onClick={() => setChoice('upheld')}>采纳异议，撤销记录</Button>
        <Button id="reviewObjection-rejected" type={choice === 'rejected' ? 'primary' : 'default'} size="small" disabled={busy} onClick={() => setChoice('rejected')}>不予采纳，维持记录</Button>
      </View>
      <TextArea id="reviewObjection-note" className="op-form__note" value={note} maxLength={LIMITS.reason} autoSize placeholder="审核意见（必填，告知诉求人）" onChange={setNote} />
      {problem && <View className="form-error" id="reviewObjection-problem">{problem}</View>}
      {choice && (
        <Button id="reviewObjection-confirm" type="primary" size="small" loading={busy} onClick={submit}>
          {choice === 'upheld' ? '确认撤销' : '确认维持'}
        </Button>
      )}
    </View>
  );
}
