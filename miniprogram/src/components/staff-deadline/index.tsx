import { View, Text } from '@tarojs/components';
import type { StaffTicketDetail } from '../../api/types';
import { shownDeadline } from '../../packageStaff/deadline';
import { lastWarningWindow } from '../../packageStaff/serverClock';
import { URGENCY_LABELS, urgencyOf } from '../../packageStaff/urgency';
import { formatTime } from '../../util/format';
import Countdown from '../countdown';
import './index.scss';

/**
 * A unit's deadline for a ticket: red when overdue, amber within the warning window, with the
 * countdown on the server's clock and the article that sets it. `id` prefixes the element ids.
 */
export default function StaffDeadline({ detail, id, onlyUrgent }: { detail: StaffTicketDetail; id: string; onlyUrgent?: boolean }) {
  const d = shownDeadline(detail);
  if (!d) return null;
  const urgency = urgencyOf({ dueAt: d.dueAt, overdue: d.status === 'missed' || !!detail.ticket.overdue }, detail.now, lastWarningWindow());
  if (onlyUrgent && urgency !== 'overdue' && urgency !== 'warning') return null;
  return (
    <View id={id} className={`staff-deadline staff-deadline--${urgency}`} data-urgency={urgency}>
      <View className="row staff-deadline__head">
        {URGENCY_LABELS[urgency] && <Text className="staff-deadline__flag" id={`${id}-flag`}>{URGENCY_LABELS[urgency]}</Text>}
        <Text>期限 {formatTime(d.dueAt)}</Text>
        <Countdown id={`${id}-countdown`} dueAt={d.dueAt} serverNow={detail.now} />
      </View>
      <View className="staff-deadline__basis" id={`${id}-basis`}>{d.basis}</View>
    </View>
  );
}
