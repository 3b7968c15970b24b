import { View, Text } from '@tarojs/components';
import { useCallback, useState } from 'react';
import { StaffGateView, staffGate } from '../../staffGate';
import { errorMessage, staffApi } from '../../../api/client';
import type { StaffMessage } from '../../../api/types';
import PageShell from '../../../components/page-shell';
import StaffReminders from '../../components/reminders';
import { useSession } from '../../../session';
import { Button, Empty } from '../../../ui';
import { formatTime } from '../../../util/format';
import { DELIVERY_LABELS, TEMPLATE_LABELS } from '../../labels';
import './index.scss';
import { useReload } from '../../../util/useReload';
import { goStaff } from '../../../util/nav';

/** 消息: the reminders the outbox delivered to this user (the local runtime's stand-in for WeChat), and the subscriptions left. */
export default function StaffMessages() {
  const user = useSession();
  const gate = staffGate(user);
  const [items, setItems] = useState<StaffMessage[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState('');
  const [reminderKey, setReminderKey] = useState(0);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setItems(await staffApi.messages(50));
      setError('');
      setLoaded(true);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoading(false);
    }
  }, []);

  useReload(load, !gate, () => setReminderKey((k) => k + 1));

  if (gate) {
    return (
      <PageShell id="page-staff-messages">
        <StaffGateView gate={gate} />
      </PageShell>
    );
  }

  return (
    <PageShell id="page-staff-messages">
      <StaffReminders key={reminderKey} />
      <View className="section__title staff-messages__title">收到的消息</View>
      {error && <View className="form-error" id="form-error">{error}</View>}
      {loaded && items.length === 0 && (
        <View id="messages-empty">
          <Empty title="还没有消息" description="新派单、即将到期、超期和督办都会在这里提醒" />
        </View>
      )}
      <View className="staff-messages" id="message-list">
        {items.map((m, i) => (
          <View
            key={`${m.ticketId}-${m.template}-${m.createdAt}-${i}`}
            id={`message-${i}`}
            className={`staff-message staff-message--${m.template} staff-message--${m.status}`}
            data-template={m.template}
            data-ticket={m.notice.ticketNumber}
            onClick={() => m.ticketId && void goStaff('ticket', { id: m.ticketId })}
          >
            <View className="row staff-message__head">
              <Text className="staff-message__status">{m.notice.status || TEMPLATE_LABELS[m.template]}</Text>
              <Text className="muted">{formatTime(m.notice.at ?? m.createdAt)}</Text>
            </View>
            <View className="staff-message__summary">{m.notice.summary}</View>
            <View className="muted">
              {m.notice.ticketNumber} · {m.notice.title}
            </View>
            {m.current && (
              <View className={`staff-message__now${m.current.open ? '' : ' staff-message__now--closed'}`} id={`message-${i}-now`}>
                现在：{m.current.label}
              </View>
            )}
            <View className={`staff-message__delivery staff-message__delivery--${m.status}`}>{DELIVERY_LABELS[m.status] ?? m.status}</View>
          </View>
        ))}
      </View>
      <View className="actions">
        <Button id="messages-refresh" block fill="none" loading={loading} onClick={() => void load()}>刷新</Button>
        <Button id="messages-inbox" block fill="outline" onClick={() => void goStaff('inbox')}>去收件箱</Button>
        <Button id="messages-kb" block fill="outline" onClick={() => void goStaff('kb')}>我的知识条目</Button>
      </View>
    </PageShell>
  );
}
