import { View, Text } from '@tarojs/components';
import { isOpen } from '@shared/workflow/states';
import type { InboxItem } from '../../../api/types';
import { REQUEST_TYPE_LABELS } from '../../../labels';
import { URGENCY_LABELS, type Urgency } from '../../urgency';
import { rowDeadlineText, rowDue } from '../../../tickets/rowDeadline';
import './index.scss';

/**
 * One ticket in a unit's inbox: number, state, title, the requester as the server shows it
 * (phone masked; "通过平台联系" when confidential), and the deadline coloured by urgency.
 */
export default function StaffTicketCard({ item, urgency, now, onOpen }: { item: InboxItem; urgency: Urgency; now: number; onOpen(item: InboxItem): void }) {
  return (
    <View id={`inbox-ticket-${item.number}`} className={`inbox-item inbox-item--${urgency}`} data-urgency={urgency} data-id={item.id} onClick={() => onOpen(item)}>
      <View className="row inbox-item__head">
        <Text className="inbox-item__number">{item.number}</Text>
        <Text className="inbox-item__state">{item.stateLabel}</Text>
      </View>
      <View className="inbox-item__title">{item.title}</View>
      <View className="row inbox-item__tags">
        <Text className="inbox-tag">{REQUEST_TYPE_LABELS[item.type] ?? item.type}</Text>
        <Text className="inbox-tag">{item.category}</Text>
        {item.area && <Text className="inbox-tag">{item.area}</Text>}
        {item.supervisionLevel > 0 && <Text className="inbox-tag inbox-tag--supervised">督办</Text>}
        {/* 重办 says "being done again": not on a ticket that has since been closed. */}
        {item.reworks > 0 && isOpen(item.state) && <Text className="inbox-tag inbox-tag--rework">重办{item.reworks > 1 ? `×${item.reworks}` : ''}</Text>}
        {item.confidential && <Text className="inbox-tag inbox-tag--confidential">保密</Text>}
      </View>
      <View className="muted inbox-item__requester">诉求人：<Text className="inbox-item__requester-shown">{item.requesterShown}</Text></View>
      <View className="row inbox-item__due">
        {URGENCY_LABELS[urgency] && <Text className="inbox-item__flag">{URGENCY_LABELS[urgency]}</Text>}
        {/* The deadline the inbox is sorted by, with its kind; a missed limit is named. */}
        <Text className="inbox-item__due-text">{rowDeadlineText(item, now)}</Text>
        {/* hohhot 2: the year's holidays are not loaded, so the deadline counts weekends only (as the operator queue shows). */}
        {item.dueProvisional && rowDue(item) && <Text className="inbox-tag inbox-tag--provisional" id={`inbox-provisional-${item.number}`} data-provisional="true">暂定</Text>}
      </View>
    </View>
  );
}
