import { View, Text } from '@tarojs/components';
import { useLoad } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { StaffGateView, staffGate } from '../../staffGate';
import { errorMessage, staffApi } from '../../../api/client';
import type { StaffTicketDetail, TimelineItem } from '../../../api/types';
import Attachments from '../../../components/attachments';
import PageShell from '../../../components/page-shell';
import StaffDeadline from '../../components/deadline';
import TicketDetailView from '../../../components/ticket-detail';
import { useSession } from '../../../session';
import { Button } from '../../../ui';
import { formatTime } from '../../../util/format';
import { RATE_LABELS } from '@shared/labels';
import { ACTION_LABELS, ACTION_ORDER, CONTACT_RECORD_METHODS, CONTACT_RECORD_RESULTS } from '../../labels';
import { callPhone } from '../../../platform';
import { noteServerNow } from '../../serverClock';
import './index.scss';
import { useReload } from '../../../util/useReload';
import { backOr, goStaff } from '../../../util/nav';

const actorName = (e: TimelineItem) => (e.actor as { name?: string }).name ?? '';

/** One ticket for a unit: what to do now (the server's `actions`), the requester's contact as allowed, the request and its history. */
export default function StaffTicket() {
  const user = useSession();
  const gate = staffGate(user);
  const [ticketId, setTicketId] = useState('');
  const [detail, setDetail] = useState<StaffTicketDetail | null>(null);
  const [error, setError] = useState('');
  const [loading, setLoading] = useState(false);
  /** The full number after a logged reveal; kept only in this page's memory. */
  const [revealed, setRevealed] = useState<{ ticketId: string; phone: string } | null>(null);
  const [revealing, setRevealing] = useState(false);

  const load = useCallback(async (id: string) => {
    if (!id) return;
    setLoading(true);
    try {
      const d = await staffApi.get(id);
      noteServerNow(d.now);
      setDetail(d);
      setError('');
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoading(false);
    }
  }, []);

  useLoad((params) => setTicketId(params.id ?? ''));
  // Back from an action form: show the new state.
  useReload(useCallback(() => load(ticketId), [load, ticketId]), !gate && !!ticketId);

  if (gate) {
    return (
      <PageShell id="page-staff-ticket">
        <StaffGateView gate={gate} />
      </PageShell>
    );
  }
  if (!detail) {
    return (
      <PageShell id="page-staff-ticket">
        {error ? <View className="form-error" id="form-error">{error}</View> : <View className="notice">正在加载…</View>}
      </PageShell>
    );
  }

  const t = detail.ticket;
  const actions = ACTION_ORDER.filter((a) => detail.actions.includes(a));
  const confidential = !!t.requester?.confidential || t.requesterShown === '通过平台联系';
  const assists = t.assignments.filter((a) => a.role === 'assist');
  const feedback = detail.timeline.filter((e) => e.type === 'assistFeedback');
  const contactLog = t.contactLog ?? [];
  const lastContact = contactLog[contactLog.length - 1];
  const fullPhone = revealed?.ticketId === t.id ? revealed.phone : null;
  const reveal = async () => {
    if (revealing) return;
    setRevealing(true);
    try {
      const r = await staffApi.revealPhone(t.id, t.version);
      setRevealed({ ticketId: t.id, phone: r.phone });
      setError('');
      void load(t.id);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setRevealing(false);
    }
  };
  const call = async (phone: string) => {
    try {
      await callPhone(phone);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <PageShell id="page-staff-ticket">
      {error && <View className="form-error" id="form-error">{error}</View>}
      <StaffDeadline detail={detail} id="staff-urgency" onlyUrgent />

      <View className="section" id="staff-actions">
        <View className="row staff-ticket__head">
          <Text className="section__title staff-ticket__title">办理操作</Text>
          {detail.myRole && (
            <Text className={`staff-role staff-role--${detail.myRole}`} id="staff-my-role">{detail.myRole === 'lead' ? '本单位主办' : '本单位协办'}</Text>
          )}
        </View>
        {t.pendingReturn && <View className="notice staff-pending" id="staff-pending">退回申请待平台审核：{t.pendingReturn.reason}</View>}
        {t.pendingCoordination && <View className="notice staff-pending" id="staff-coordination-pending">{t.pendingCoordination.auto ? '再次申请退回，已转入平台协调' : '已申请平台协调'}：{t.pendingCoordination.reason}</View>}
        {t.coordination && t.coordination.unitId === user?.unitId && (
          <View className="notice" id="staff-coordinated">经平台协调确定由本单位承办，不能再申请退回。依据：{t.coordination.basis}</View>
        )}
        {t.pendingExtension && <View className="notice staff-pending" id="staff-pending">延期申请待平台审核：{t.pendingExtension.reason}</View>}
        {t.pendingDispute && <View className="notice staff-pending" id="staff-dispute-pending">评价申诉待平台复评：{t.pendingDispute.reason}</View>}
        {!t.pendingDispute && t.disputes?.length ? (
          <View className="notice" id="staff-dispute-decided">
            {t.disputes[t.disputes.length - 1]!.upheld ? '评价申诉已采纳，平台已复评' : '评价申诉未采纳，维持原评价'}：{t.disputes[t.disputes.length - 1]!.note}
          </View>
        ) : null}
        {t.pendingTermination && <View className="notice staff-pending" id="staff-pending-termination">终止办理申请待平台审核（{t.pendingTermination.article}）：{t.pendingTermination.reason}</View>}
        {t.pendingAppeal && (
          <View className="notice staff-pending" id="staff-pending-appeal">
            统计申诉待平台审核（{t.pendingAppeal.metrics.map((m) => RATE_LABELS[m]).join('、')}）：{t.pendingAppeal.reason}
          </View>
        )}
        {(t.appeals ?? []).filter((a) => a.unitId === user?.unitId).map((a) => (
          <View key={a.decidedAt} className="notice" id={`staff-appeal-${a.decidedAt}`}>
            统计申诉{a.upheld ? `已采纳：本工单不再计入本单位${a.metrics.map((m) => RATE_LABELS[m]).join('、')}` : '未被采纳，统计不变'}。平台意见：{a.note}
          </View>
        ))}
        {actions.length === 0 ? (
          <View className="muted" id="staff-no-actions">当前没有需要本单位处理的操作</View>
        ) : (
          <View className="staff-action-bar">
            {actions.map((a) => (
              // Two to a row; the wrapper sizes the cell, NutUI's button fills it.
              <View key={a} className="staff-action-bar__item">
                <Button
                  id={`action-${a}`}
                  block
                  type={a === 'sign' || a === 'reply' || a === 'assistFeedback' ? 'primary' : 'default'}
                  onClick={() => void goStaff('action', { id: t.id, type: a })}
                >
                  {ACTION_LABELS[a]}
                </Button>
              </View>
            ))}
          </View>
        )}
      </View>

      <View className="section" id="staff-requester">
        <View className="section__title">诉求人</View>
        {confidential ? (
          <View>
            <Text className="staff-requester__shown" id="staff-requester-shown">{t.requesterShown || '通过平台联系'}</Text>
            {/* Say why the requester is hidden: only a requester who asked for it "申请保密". */}
            <View className="muted" id="staff-requester-confidential">
              {t.requester?.confidential
                ? '诉求人已申请保密，身份和联系方式不向承办单位提供，请通过平台联系。'
                : (t as { complainedUnitId?: string }).complainedUnitId !== undefined && (t as { complainedUnitId?: string }).complainedUnitId === user?.unitId
                  ? '这是对本单位的投诉，按规定不向被投诉单位提供诉求人信息，请通过平台联系。'
                  : '诉求人没有留下联系方式，请通过平台联系。'}
            </View>
          </View>
        ) : (
          <View>
            <Text className="staff-requester__shown" id="staff-requester-shown">{t.requesterShown}</Text>
            {t.requester?.name && <View className="muted" id="staff-requester-name">姓名：{t.requester.name}</View>}
            {t.requester?.phone && <View className="muted" id="staff-requester-phone">电话：{t.requester.phone}</View>}
            {fullPhone ? (
              <View className="staff-requester__full" id="staff-requester-full">
                <Text id="staff-requester-full-number">{fullPhone}</Text>
                <Button id="staff-call" size="small" type="primary" onClick={() => void call(fullPhone)}>拨打电话</Button>
              </View>
            ) : (
              detail.actions.includes('revealPhone') && (
                <View className="staff-requester__reveal">
                  <Button id="staff-reveal" size="small" fill="outline" loading={revealing} onClick={() => void reveal()}>查看完整号码</Button>
                  <View className="muted">每次查看都会记录查看人和时间，平台可查。</View>
                </View>
              )
            )}
          </View>
        )}
        {t.relay && (
          <View className="notice staff-pending" id="staff-relay-pending">已于{formatTime(t.relay.at)}申请平台转接，等待平台工作人员联系诉求人：{t.relay.note}</View>
        )}
        <View className="muted" id="staff-contacts">
          已联系{t.counters?.contacts ?? contactLog.length}次
          {lastContact && `，最近：${formatTime(lastContact.at)} ${CONTACT_RECORD_METHODS[lastContact.method]}（${CONTACT_RECORD_RESULTS[lastContact.result]}）`}
        </View>
        {detail.contactRequired && (
          <View className="staff-rule" id="staff-contact-required">
            答复前须先记录与诉求人的联系（时间、方式、结果）{detail.rules.contact ? `（依据${detail.rules.contact.citation.article}）` : ''}
          </View>
        )}
      </View>

      {(assists.length > 0 || feedback.length > 0) && (
        <View className="section" id="staff-assist">
          <View className="section__title">协办单位反馈</View>
          <View className="muted">
            协办单位{assists.length}个，已签收{assists.filter((a) => a.signedAt !== undefined).length}个，共反馈{feedback.length}次
          </View>
          {feedback.length === 0 && <View className="muted" id="staff-assist-empty">协办单位尚未反馈</View>}
          {feedback.map((e) => (
            <View key={e.seq} className="staff-feedback" id={`staff-feedback-${e.seq}`}>
              <View className="muted">{formatTime(e.at)} · {e.actor.shown ?? (actorName(e) || '协办单位')}</View>
              <View className="pre-wrap">{e.note}</View>
              <Attachments files={e.attachments ?? []} idPrefix={`staff-feedback-${e.seq}-attachments`} ticketId={t.id} />
            </View>
          ))}
        </View>
      )}

      <TicketDetailView detail={detail} openTicket={(id) => goStaff('ticket', { id })} />

      <View className="actions">
        <Button id="staff-refresh" block fill="none" loading={loading} onClick={() => void load(ticketId)}>刷新</Button>
        <Button id="staff-back-inbox" block fill="outline" onClick={() => void backOr('inbox')}>返回</Button>
      </View>
    </PageShell>
  );
}
