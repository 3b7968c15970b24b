import { View, Text } from '@tarojs/components';
import { isOpen } from '@shared/workflow/states';
import type { TicketDetail } from '../../api/types';
import { REQUEST_TYPE_LABELS } from '../../labels';
import { dueLabel } from '../../tickets/rowDeadline';
import { formatTime } from '../../util/format';
import Attachments from '../attachments';
import Countdown from '../countdown';
import './index.scss';

/** How each kind of link reads on the ticket page (issue 15 item 2). */
const LINK_LABELS: Record<string, string> = {
  parent: '原诉求（已分送办理）',
  child: '分送办理的诉求',
  duplicate: '重复诉求',
  related: '相关诉求',
  mergedInto: '已合并到',
  mergedFrom: '合并进来的诉求',
};

/**
 * A ticket as its viewer sees it: state, deadline with its article, content, files, public
 * timeline; the linked tickets the viewer may open (`openTicket` opens one on the viewer's own
 * ticket page) and the number of requesters of the matter.
 */
export default function TicketDetailView({ detail, openTicket }: { detail: TicketDetail; openTicket?(id: string): void }) {
  const { ticket, timeline, deadline } = detail;
  const links = detail.links ?? [];
  const open = isOpen(ticket.state);
  return (
    <View className="ticket-detail">
      <View className="section">
        <View className="row ticket-detail__head">
          <Text className="ticket-detail__number" id="detail-number">{ticket.number}</Text>
          <Text className={`ticket-detail__state ticket-detail__state--${open ? 'open' : 'closed'}`} id="detail-state">{ticket.labels?.state}</Text>
        </View>
        <View className="muted" id="detail-meta">
          {REQUEST_TYPE_LABELS[ticket.type] ?? ticket.type} · {ticket.category} · {formatTime(ticket.createdAt)}
        </View>
        {open && deadline && (
          <View className="ticket-detail__deadline" id="deadline">
            <View className="row">
              <Text id="deadline-kind" data-kind={deadline.kind}>{dueLabel(deadline.kind)}：{formatTime(deadline.dueAt)}</Text>
              <Countdown id="deadline-countdown" dueAt={deadline.dueAt} serverNow={detail.now} />
            </View>
            <View className="muted" id="deadline-basis">{deadline.basis}</View>
          </View>
        )}
      </View>

      {(links.length > 0 || (detail.requesterCount ?? 1) > 1) && (
        <View className="section" id="detail-links">
          {(detail.requesterCount ?? 1) > 1 && (
            <View className="ticket-detail__collective" id="detail-requester-count">
              共{detail.requesterCount}位市民反映了这个问题
            </View>
          )}
          {links.map((l) => (
            <View key={`${l.kind}-${l.ticketId}`} className={`row ticket-detail__link${openTicket ? ' ticket-detail__link--open' : ''}`} id={`detail-link-${l.kind}-${l.number}`} onClick={() => openTicket?.(l.ticketId)}>
              <Text>{LINK_LABELS[l.kind] ?? l.kind}：{l.number}</Text>
              <Text className="muted">{l.stateLabel}</Text>
            </View>
          ))}
        </View>
      )}

      {ticket.content !== undefined && (
        <View className="section">
          <View className="section__title">反映内容</View>
          <View className="pre-wrap" id="detail-content">{ticket.content}</View>
          {ticket.location?.address && <View className="muted" id="detail-address">地点：{ticket.location.address}</View>}
          {ticket.requester?.confidential && <View className="muted" id="detail-confidential">已申请保密</View>}
          <Attachments files={ticket.attachments ?? []} idPrefix="detail-attachments" ticketId={ticket.id} />
        </View>
      )}

      {ticket.answer && (
        <View className="section" id="detail-answer">
          <View className="section__title">答复</View>
          <View className="pre-wrap">{ticket.answer.text}</View>
        </View>
      )}
      {ticket.reply && (
        <View className="section" id="detail-reply">
          <View className="section__title">办理结果</View>
          <View className="pre-wrap">{ticket.reply.result}</View>
          <View className="muted">{ticket.reply.handler ? `经办人：${ticket.reply.handler} · ` : ''}{formatTime(ticket.reply.at)}</View>
          <Attachments files={ticket.reply.attachments ?? []} idPrefix="detail-reply-attachments" ticketId={ticket.id} />
        </View>
      )}

      <View className="section">
        <View className="section__title">办理进度</View>
        <View className="timeline" id="timeline">
          {[...timeline].reverse().map((e, i) => (
            <View key={e.seq} id={`timeline-item-${e.seq}`} className={`timeline-item${i === 0 ? ' timeline-item--latest' : ''}`} data-type={e.type}>
              <View className="timeline-item__dot" />
              <View className="timeline-item__body">
                <View className="row">
                  <Text className="timeline-item__label">{e.label}</Text>
                  {e.stateChanged !== false && <Text className="timeline-item__state">{`→ ${e.stateLabel}`}</Text>}
                </View>
                <View className="muted">
                  {formatTime(e.at)}
                  {e.actor?.shown ? ` · ${e.actor.shown}` : ''}
                </View>
                {e.note && (
                  <View className="timeline-item__note pre-wrap" id={`timeline-${e.seq}-note`}>
                    {e.internalNote ? `内部说明（诉求人看不到）：${e.note}` : e.note}
                  </View>
                )}
                {e.internalNote && typeof e.data?.publicNote === 'string' && (
                  <View className="timeline-item__note pre-wrap" id={`timeline-${e.seq}-public-note`}>告知诉求人：{e.data.publicNote}</View>
                )}
                {/* The submission's files are shown with the content above. */}
                {e.type !== 'submit' && <Attachments files={e.attachments ?? []} idPrefix={`timeline-${e.seq}-attachments`} ticketId={ticket.id} />}
              </View>
            </View>
          ))}
        </View>
      </View>
    </View>
  );
}
