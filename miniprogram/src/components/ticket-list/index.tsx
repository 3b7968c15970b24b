import { View, Text } from '@tarojs/components';
import type { TicketListItem } from '../../api/types';
import { REQUEST_TYPE_LABELS } from '../../labels';
import { formatTime } from '../../util/format';
import { go } from '../../util/nav';
import './index.scss';

/** A list of tickets; a tap opens the detail page. */
export default function TicketList({ items }: { items: TicketListItem[] }) {
  return (
    <View className="ticket-list" id="ticket-list">
      {items.map((t) => (
        <View key={t.id} id={`ticket-${t.number}`} className="ticket-item" onClick={() => void go('detail', { id: t.id })}>
          <View className="row ticket-item__head">
            <Text className="ticket-item__number">{t.number}</Text>
            <Text className="ticket-item__state">{t.stateLabel}</Text>
          </View>
          <View className="ticket-item__content">{t.title}</View>
          <View className="muted">
            {REQUEST_TYPE_LABELS[t.type] ?? t.type} · {t.category} · {formatTime(t.createdAt)}
          </View>
        </View>
      ))}
    </View>
  );
}
