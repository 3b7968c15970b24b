import { View, Text } from '@tarojs/components';
import { useCallback, useState } from 'react';
import { errorMessage, operatorApi } from '../../../api/client';
import type { DeliveryView } from '../../../api/types';
import OperatorShell from '../../components/shell';
import * as platform from '../../../platform';
import { hasRole, useSession } from '../../../session';
import { Button } from '../../../ui';
import { formatTime } from '../../../util/format';
import '../../components/ticket-list/index.scss';
import { useReload } from '../../../util/useReload';
import { opGo } from '../../../util/nav';

const TEMPLATE_LABELS: Record<string, string> = { warning: '风险预警', review: '待处理', overdue: '超期', dueSoon: '临期', supervised: '督办', assigned: '新派单', progress: '进度' };
const STATUS_LABELS: Record<string, string> = { delivered: '已送达', pending: '发送中', undeliverable: '未送达（无订阅）', failed: '发送失败' };

/** 消息: the notices the platform sent this operator (the local runtime's outbox; on WeChat, subscription messages). */
export default function OperatorMessages() {
  const user = useSession();
  const ready = hasRole(user, 'operator') || !platform.NEEDS_SIGN_IN;
  const [items, setItems] = useState<DeliveryView[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState('');

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setItems(await operatorApi.messages(100));
      setError('');
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoading(false);
      setLoaded(true);
    }
  }, []);
  useReload(load, ready);

  return (
    <OperatorShell id="page-op-messages" active="messages" title="消息">
      {error && <View className="form-error" id="form-error">{error}</View>}
      {loaded && items.length === 0 && !error && <View className="op-empty" id="messages-empty">暂无消息</View>}
      <View className="op-list" id="message-list">
        {items.map((m, i) => (
          <View key={m.id} id={`message-${i}`} className={`op-list__item op-message op-message--${m.template}`} data-template={m.template} data-ticket={m.notice.ticketNumber} onClick={() => void (m.ticketId ? opGo('ticket', { id: m.ticketId }) : opGo('board'))}>
            <View className="row">
              <Text className="op-list__level">{TEMPLATE_LABELS[m.template] ?? m.template}</Text>
              <Text className="op-list__number">{m.notice.ticketNumber}</Text>
              <Text className="muted">{formatTime(m.notice.at)}</Text>
            </View>
            <View>{m.notice.summary}</View>
            <View className="muted">{m.notice.title} · {m.notice.status} · {STATUS_LABELS[m.status] ?? m.status}</View>
            {m.current && <View id={`message-${i}-now`}>现在：{m.current.label}</View>}
          </View>
        ))}
      </View>
      <View className="actions">
        <Button id="messages-refresh" block fill="none" loading={loading} onClick={() => void load()}>刷新</Button>
      </View>
    </OperatorShell>
  );
}
