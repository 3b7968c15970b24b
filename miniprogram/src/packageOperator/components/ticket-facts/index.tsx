import { View, Text } from '@tarojs/components';
import type { OperatorDetail, UnitRecord } from '../../../api/types';
import { CHANNEL_LABELS, DEADLINE_KIND_LABELS, DEADLINE_STATUS_LABELS, TRIGGER_LABELS } from '../../labels';
import { formatTime } from '../../../util/format';
import Attachments from '../../../components/attachments';
import './index.scss';

/** What operators see beyond the requester's view: who asked, which units hold it, every deadline with its article, reviews, 督办. */
export default function OperatorTicketFacts({ detail, units }: { detail: OperatorDetail; units: UnitRecord[] }) {
  const t = detail.ticket;
  const unitName = (id: string) => units.find((u) => u.id === id)?.name ?? id;
  const ratingLabel = (v: string) => detail.rating.options.find((o) => o.value === v)?.label ?? v;
  return (
    <View className="section op-facts" id="op-facts">
      <View className="section__title">工单信息</View>
      <View className="op-kv" id="fact-requester">
        <Text className="op-kv__k">诉求人</Text>
        <Text>
          {t.requester.confidential ? '【已申请保密】' : ''}
          {[t.requester.name, t.requester.phone].filter(Boolean).join(' ') || '未留联系方式'}
        </Text>
      </View>
      <View className="op-kv">
        <Text className="op-kv__k">来源</Text>
        <Text>{CHANNEL_LABELS[t.channel] ?? t.channel}{t.scene ? ` · 二维码 ${t.scene}` : ''}{t.urgency !== 'normal' ? ` · ${t.urgency === 'emergency' ? '突发' : '紧急'}` : ''}</Text>
      </View>
      {t.urgentHint && t.urgency === 'normal' && (
        <View className="notice op-facts__hint" id="fact-urgent-hint">诉求人标记了“情况紧急”，尚未确认：核实后请在“分类”中确认紧急程度。</View>
      )}
      {(t.location.area || t.location.grid) && (
        <View className="op-kv">
          <Text className="op-kv__k">属地</Text>
          <Text>{[t.location.area, t.location.grid].filter(Boolean).join(' · ')}</Text>
        </View>
      )}
      {t.assignments.length > 0 && (
        <View className="op-facts__block" id="fact-assignments">
          <View className="op-facts__subtitle">承办单位{t.dispatchMode === 'lead' ? '（主办+协办）' : ''}</View>
          {t.assignments.map((a) => (
            <View key={a.unitId} id={`assignment-${a.unitId}`} className="op-facts__assignment" data-role={a.role} data-signed={a.signedAt ? 'yes' : 'no'} data-dispatched={a.dispatchedAt}>
              <View className="row">
                <Text className="op-facts__unit">{unitName(a.unitId)}</Text>
                <Text className={`op-facts__role op-facts__role--${a.role}`}>{a.role === 'lead' ? '主办' : '协办'}</Text>
                <Text className="muted">{a.signedAt ? `已签收 ${formatTime(a.signedAt)}` : '未签收'}</Text>
                {t.complainedUnitId === a.unitId && <Text className="muted">（被投诉单位）</Text>}
              </View>
              {a.feedback.map((f, i) => (
                <View key={i} className="op-facts__feedback" id={`assignment-${a.unitId}-feedback-${i}`}>
                  <View className="pre-wrap">协办反馈：{f.note}</View>
                  <View className="muted">{formatTime(f.at)}</View>
                  <Attachments files={f.attachments} idPrefix={`assignment-${a.unitId}-feedback-${i}-files`} />
                </View>
              ))}
            </View>
          ))}
        </View>
      )}
      <View className="op-facts__block" id="op-deadlines">
        <View className="op-facts__subtitle">时限</View>
        {t.deadlines.length === 0 && <View className="muted">暂无</View>}
        {[...t.deadlines].reverse().map((d, i) => (
          <View key={`${d.kind}-${d.dueAt}-${i}`} className={`op-facts__deadline op-facts__deadline--${d.status}`} id={`op-deadline-${d.kind}-${i}`} data-kind={d.kind} data-status={d.status} data-started={d.startedAt} data-due={d.dueAt} data-article={d.citation.article}>
            <View className="row">
              <Text className="op-facts__dkind">{DEADLINE_KIND_LABELS[d.kind] ?? d.kind}</Text>
              <Text>{d.span}</Text>
              <Text>至 {formatTime(d.dueAt)}</Text>
              <Text className="op-facts__dstatus">{DEADLINE_STATUS_LABELS[d.status] ?? d.status}</Text>
              {d.provisional && <Text className="op-deadline op-deadline--warning op-facts__provisional">暂定</Text>}
              {d.owner !== 'platform' && <Text className="muted">{unitName(d.owner)}</Text>}
            </View>
            <View className="muted">《{d.regulation}》{d.citation.article}：{d.citation.text}</View>
          </View>
        ))}
      </View>
      {(t.supervision.level > 0 || t.supervision.triggers.length > 0) && (
        <View className="op-facts__block" id="fact-supervision">
          <View className="op-facts__subtitle">督办</View>
          <View id="fact-supervision-level">
            {t.supervision.level > 0 ? detail.supervisionLevels[t.supervision.level - 1] ?? `${t.supervision.level}级` : '未督办'}
            {t.supervision.escalated ? `；已提请${detail.escalation}` : ''}
          </View>
          {t.supervision.triggers.length > 0 && (
            <View className="muted" id="fact-supervision-triggers">情形：{t.supervision.triggers.map((x) => TRIGGER_LABELS[x] ?? x).join('、')}</View>
          )}
        </View>
      )}
      {t.pendingReturn && (
        <View className="op-facts__block" id="fact-pending-return">
          <View className="op-facts__subtitle">退回申请（{unitName(t.pendingReturn.unitId)}）</View>
          <View className="pre-wrap">{t.pendingReturn.reason}</View>
        </View>
      )}
      {t.pendingExtension && (
        <View className="op-facts__block" id="fact-pending-extension">
          <View className="op-facts__subtitle">延期申请</View>
          <View className="pre-wrap">{t.pendingExtension.reason}{t.pendingExtension.days ? `（${t.pendingExtension.days}天）` : ''}</View>
        </View>
      )}
      {t.pendingTermination && (
        <View className="op-facts__block" id="fact-pending-termination">
          <View className="op-facts__subtitle">终止办理申请（{unitName(t.pendingTermination.unitId)}，{t.pendingTermination.article}）</View>
          <View className="pre-wrap">{t.pendingTermination.reason}</View>
        </View>
      )}
      {t.rejection && (
        <View className="op-facts__block" id="fact-rejection">
          <View className="op-facts__subtitle">不予受理</View>
          <View>{t.rejection.label}（{t.rejection.article}）</View>
          {t.rejection.note && <View className="muted">{t.rejection.note}</View>}
        </View>
      )}
      {t.termination && (
        <View className="op-facts__block" id="fact-termination">
          <View className="op-facts__subtitle">终止办理{t.termination.article ? `（依据${t.termination.article}）` : ''}{t.termination.proposedByUnitId ? ` · ${unitName(t.termination.proposedByUnitId)}申请` : ''}</View>
          <View className="pre-wrap">{t.termination.reason}</View>
        </View>
      )}
      {t.ratings.length > 0 && (
        <View className="op-facts__block" id="fact-ratings">
          <View className="op-facts__subtitle">评价</View>
          {t.ratings.map((r, i) => (
            <View key={i} className="muted">
              第{r.round + 1}轮：{ratingLabel(r.value)}（{r.by === 'platform' ? `平台复评${r.article ? `，依据${r.article}` : ''}` : r.by === 'revisit' ? '平台回访' : '诉求人评价'}）{r.reason ? ` · ${r.reason}` : ''} · {formatTime(r.at)}
            </View>
          ))}
        </View>
      )}
    </View>
  );
}
