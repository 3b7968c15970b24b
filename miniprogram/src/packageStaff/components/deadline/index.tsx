import { View, Text } from '@tarojs/components';
import type { StaffTicketDetail } from '../../../api/types';
import { missedKinds, shownDeadline } from '../../deadline';
import { useSession } from '../../../session';
import { dueLabel, missedText } from '../../../tickets/rowDeadline';
import { lastWarningWindow } from '../../serverClock';
import { URGENCY_LABELS, urgencyOf } from '../../urgency';
import { formatTime } from '../../../util/format';
import Countdown from '../../../components/countdown';
import './index.scss';

/**
 * A unit's deadline for a ticket: red when overdue, amber within the warning window, with the
 * countdown on the server's clock and the article that sets it. `id` prefixes the element ids.
 */
export default function StaffDeadline({ detail, id, onlyUrgent }: { detail: StaffTicketDetail; id: string; onlyUrgent?: boolean }) {
  const user = useSession();
  const d = shownDeadline(detail, user?.unitId);
  if (!d) return null;
  const missed = missedText(missedKinds(detail));
  const started = (detail.ticket.deadlines ?? []).find((x) => x.kind === d.kind && x.dueAt === d.dueAt)?.startedAt;
  const urgency = urgencyOf({ dueAt: d.dueAt, overdue: d.status === 'missed' || !!detail.ticket.overdue, ...(started !== undefined ? { startedAt: started } : {}) }, detail.now, lastWarningWindow());
  if (onlyUrgent && urgency !== 'overdue' && urgency !== 'warning') return null;
  return (
    <View id={id} className={`staff-deadline staff-deadline--${urgency}`} data-urgency={urgency}>
      <View className="row staff-deadline__head">
        {URGENCY_LABELS[urgency] && <Text className="staff-deadline__flag" id={`${id}-flag`}>{URGENCY_LABELS[urgency]}</Text>}
        {missed && <Text className="staff-deadline__missed" id={`${id}-missed`}>{missed}</Text>}
        <Text id={`${id}-kind`} data-kind={d.kind}>{d.status === 'missed' ? `已超过的${dueLabel(d.kind)}` : dueLabel(d.kind)} {formatTime(d.dueAt)}</Text>
        <Countdown id={`${id}-countdown`} dueAt={d.dueAt} serverNow={detail.now} />
      </View>
      <View className="staff-deadline__basis" id={`${id}-basis`}>{d.basis}</View>
    </View>
  );
}
