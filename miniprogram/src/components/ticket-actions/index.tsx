import { View, Text } from '@tarojs/components';
import { useState } from 'react';
import { LIMITS } from '@shared/contracts/limits';
import { errorCode, errorMessage, residentApi } from '../../api/client';
import type { PublicProfile, ResidentCommandType, TicketDetail } from '../../api/types';
import { residentActions } from '../../tickets/actions';
import { Button, TextArea } from '../../ui';
import { Dialog } from '../../ui/dialog';
import ChipGroup from '../chip-group';
import { toast } from '../../util/nav';
import './index.scss';

interface Props {
  detail: TicketDetail;
  profile: PublicProfile | null;
  /** Reload after a command, or after a stale-version refusal. */
  onChanged(): void;
}

/** Rating on the profile's scale, rework within its limit, withdrawal while allowed. */
export default function TicketActions({ detail, profile, onChanged }: Props) {
  const actions = residentActions(detail, profile);
  const t = detail.ticket;
  const [value, setValue] = useState('');
  const [reason, setReason] = useState('');
  const [reworkReason, setReworkReason] = useState('');
  const [objection, setObjection] = useState('');
  const [withdrawOpen, setWithdrawOpen] = useState(false);
  const [busy, setBusy] = useState<'' | ResidentCommandType>('');
  const [error, setError] = useState('');
  const options = detail.rating?.options ?? profile?.rating.options ?? [];
  const option = options.find((o) => o.value === value);

  const run = async (type: ResidentCommandType, args: Record<string, unknown>, done: string) => {
    if (busy) return;
    setBusy(type);
    setError('');
    try {
      await residentApi.command({ type, ticketId: t.id, expectedVersion: t.version, ...args });
      toast(done, 'success');
      setValue('');
      setReason('');
      setReworkReason('');
      setObjection('');
      onChanged();
    } catch (e) {
      setError(errorMessage(e));
      if (errorCode(e) === 'stale-version') onChanged();
    } finally {
      setBusy('');
    }
  };

  const rate = () => {
    if (!option) return setError('请选择评价');
    if (option.dissatisfied && !reason.trim()) return setError('选择不满意时请填写理由');
    void run('rate', { value: option.value, ...(reason.trim() ? { reason: reason.trim() } : {}) }, '评价已提交');
  };

  const rework = () => {
    if (!reworkReason.trim()) return setError('请填写申请重新办理的理由');
    void run('requestRework', { reason: reworkReason.trim() }, '已申请重新办理');
  };

  // anshan 40, baiyin 29, linyi 46: the requester may object to the platform's record of an improper request.
  const mayObject = (detail.actions ?? []).includes('objectMalicious');
  const recorded = [...(detail.timeline ?? [])].reverse().find((e) => e.type === 'recordMalicious');
  const object = () => {
    if (!objection.trim()) return setError('请填写异议理由');
    void run('objectMalicious', { reason: objection.trim() }, '异议已提交');
  };

  const nothing = !actions.rate && !actions.rework && !actions.withdraw && !actions.rated && !mayObject;
  if (nothing) return error ? <View className="form-error" id="form-error">{error}</View> : null;

  return (
    <View className="ticket-actions">
      {actions.rated && !actions.rate && (
        <View className="section" id="rating-done">
          <View className="section__title">您的评价</View>
          <Text id="rating-done-value">{actions.rated.label}</Text>
        </View>
      )}

      {actions.rate && options.length > 0 && (
        <View className="section" id="rating">
          <View className="section__title">请对办理结果进行评价</View>
          <ChipGroup
            idPrefix="rating-option"
            options={options.map((o) => ({ value: o.value, label: o.label, className: `rating-option${o.dissatisfied ? ' rating-option--dissatisfied' : ''}` }))}
            value={value}
            onChange={(v) => {
              setValue(v);
              setError('');
            }}
          />
          <View className={`field__label ticket-actions__reason-label${option?.dissatisfied ? ' field__label--required' : ''}`}>
            {option?.dissatisfied ? '不满意的理由（必填）' : '评价说明（选填）'}
          </View>
          <TextArea id="rating-reason" viewId="rating-reason-box" value={reason} maxLength={LIMITS.reason} showCount placeholder="说说您的感受" onChange={setReason} />
          {option?.dissatisfied && actions.reworksLeft > 0 && (
            <View className="field__hint" id="rating-rework-hint">评价不满意后，可以申请重新办理（还可申请{actions.reworksLeft}次）</View>
          )}
          {profile && (detail.rating ?? profile.rating).citation && (
            <View className="field__hint">评价标准：《{profile.regulation}》{(detail.rating ?? profile.rating).citation!.article}</View>
          )}
          <View className="actions ticket-actions__buttons">
            <Button id="rating-submit" type="primary" block loading={busy === 'rate'} disabled={!!busy || !value} onClick={rate}>提交评价</Button>
          </View>
        </View>
      )}

      {actions.rework && (
        <View className="section" id="rework">
          <View className="section__title">申请重新办理</View>
          <View className="muted" id="rework-limit">
            还可申请{actions.reworksLeft}次
            {profile?.rework.citation ? `（依据《${profile.regulation}》${profile.rework.citation.article}）` : ''}
          </View>
          <TextArea id="rework-reason" viewId="rework-reason-box" value={reworkReason} maxLength={LIMITS.reason} showCount placeholder="请说明哪些问题没有解决" onChange={setReworkReason} />
          <View className="actions ticket-actions__buttons">
            <Button id="rework-submit" type="primary" block loading={busy === 'requestRework'} disabled={!!busy} onClick={rework}>申请重新办理</Button>
          </View>
        </View>
      )}

      {mayObject && (
        <View className="section" id="malicious-objection">
          <View className="section__title">对不当诉求记录提出异议</View>
          {recorded?.note && <View className="muted pre-wrap" id="malicious-told">{recorded.note}</View>}
          <TextArea id="objection-reason" viewId="objection-reason-box" value={objection} maxLength={LIMITS.reason} showCount placeholder="请说明您的异议和理由" onChange={setObjection} />
          <View className="actions ticket-actions__buttons">
            <Button id="objection-submit" type="primary" block loading={busy === 'objectMalicious'} disabled={!!busy} onClick={object}>提交异议</Button>
          </View>
        </View>
      )}

      {error && <View className="form-error" id="form-error">{error}</View>}

      {actions.withdraw && (
        <View className="actions">
          <Button id="withdraw-button" block fill="outline" disabled={!!busy} onClick={() => setWithdrawOpen(true)}>撤回诉求</Button>
        </View>
      )}
      <Dialog
        visible={withdrawOpen}
        title="撤回诉求"
        content={<View id="withdraw-dialog">撤回后该诉求不再办理。确定撤回吗？</View>}
        footer={
          <View className="row ticket-actions__dialog">
            <Button id="withdraw-cancel" onClick={() => setWithdrawOpen(false)}>再想想</Button>
            <Button
              id="withdraw-confirm"
              type="danger"
              loading={busy === 'withdraw'}
              onClick={() => {
                setWithdrawOpen(false);
                void run('withdraw', {}, '已撤回');
              }}
            >
              确定撤回
            </Button>
          </View>
        }
        onClose={() => setWithdrawOpen(false)}
      />
    </View>
  );
}
