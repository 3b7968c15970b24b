import { View, Text } from '@tarojs/components';
import { useCallback, useEffect, useState } from 'react';
import { errorMessage, staffApi } from '../../../api/client';
import type { ReminderCredits, TemplateKey } from '../../../api/types';
import { REMINDER_GROUPS, TEMPLATE_LABELS } from '../../labels';
import { templateIds } from '../../reminders';
import * as platform from '../../../platform';
import { useSession } from '../../../session';
import { Button } from '../../../ui';
import './index.scss';

const STAFF_KEYS: TemplateKey[] = REMINDER_GROUPS.flatMap((g) => g.keys);

/**
 * Reminders by WeChat subscription message: one-time subscriptions, so each tap buys one message
 * per template. Shows what is left of each and invites a top-up; `compact` shows only a warning
 * when some have run out.
 */
export default function StaffReminders({ compact, onOpen }: { compact?: boolean; onOpen?(): void }) {
  const user = useSession();
  const [credits, setCredits] = useState<ReminderCredits | null>(null);
  const [ids, setIds] = useState<Partial<Record<TemplateKey, string>>>({});
  const [busy, setBusy] = useState('');
  const [result, setResult] = useState('');
  const [error, setError] = useState('');

  const load = useCallback(async () => {
    try {
      setCredits(await staffApi.credits());
      setError('');
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);

  useEffect(() => {
    void load();
    void templateIds(user).then(setIds);
  }, [load, user]);

  // Called straight from the tap: WeChat refuses requestSubscribeMessage outside one.
  const subscribe = async (groupId: string, keys: TemplateKey[]) => {
    if (busy) return;
    setBusy(groupId);
    setResult('');
    setError('');
    try {
      const accepted = await platform.requestSubscribe(ids, keys);
      if (accepted.length === 0) {
        setResult('未开启提醒：您没有同意授权，或提醒模板尚未配置');
        return;
      }
      setCredits(await staffApi.subscribe(accepted));
      setResult(`已续订：${accepted.map((k) => TEMPLATE_LABELS[k]).join('、')}各增加1次`);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy('');
    }
  };

  const left = (k: TemplateKey) => credits?.[k] ?? 0;
  const empty = credits ? STAFF_KEYS.filter((k) => left(k) === 0) : [];

  if (compact) {
    if (!credits || empty.length === 0) return null;
    return (
      <View className="notice staff-reminders__compact" id="reminders-low" onClick={onOpen}>
        {empty.length === STAFF_KEYS.length ? '尚未开启消息提醒' : `${empty.map((k) => TEMPLATE_LABELS[k]).join('、')}提醒次数已用完`}，可能错过派单和期限提醒。点此续订 ›
      </View>
    );
  }

  return (
    <View className="section staff-reminders" id="reminders">
      <View className="section__title">消息提醒</View>
      <View className="muted">
        提醒通过微信订阅消息发送。每授权一次，每类提醒可以收到一条；次数用完后将收不到提醒，请及时续订。
      </View>
      <View className="staff-reminders__credits" id="reminder-credits">
        {STAFF_KEYS.map((k) => (
          <View key={k} id={`credit-${k}`} className={`staff-reminders__credit${left(k) === 0 ? ' staff-reminders__credit--empty' : ''}`} data-count={left(k)}>
            <Text>{TEMPLATE_LABELS[k]}</Text>
            <Text className="staff-reminders__count">{credits ? (left(k) === 0 ? '已用完' : `剩${left(k)}次`) : '…'}</Text>
          </View>
        ))}
      </View>
      {empty.length > 0 && credits && (
        <View className="staff-reminders__low" id="reminders-empty">
          {empty.length}类提醒次数已用完，请点击下方按钮续订
        </View>
      )}
      <View className="staff-reminders__buttons">
        {REMINDER_GROUPS.map((g) => (
          <Button key={g.id} id={`subscribe-${g.id}`} type={g.keys.some((k) => left(k) === 0) ? 'primary' : 'default'} block loading={busy === g.id} disabled={!!busy} onClick={() => void subscribe(g.id, g.keys)}>
            {g.keys.some((k) => left(k) > 0) ? '续订' : '开启'}{g.title}（+1次）
          </Button>
        ))}
      </View>
      {result && <View className="muted" id="subscribe-result">{result}</View>}
      {error && <View className="error-text" id="reminders-error">{error}</View>}
    </View>
  );
}
