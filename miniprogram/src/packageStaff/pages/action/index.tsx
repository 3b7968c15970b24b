import { View, Text } from '@tarojs/components';
import Taro, { useLoad } from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import { LIMITS } from '@shared/contracts/limits';
import { RATE_LABELS } from '@shared/labels';
// Before the components: login-picker's styles then come ahead of media-field's, as on the submit page (one CSS order in the common chunk).
import { StaffGateView, staffGate } from '../../staffGate';
import { errorCode, errorMessage, staffApi } from '../../../api/client';
import type { StaffCommandType, StaffTicketDetail } from '../../../api/types';
import ChipGroup from '../../../components/chip-group';
import Countdown from '../../../components/countdown';
import DateField from '../../../components/date-field';
import ReplyTemplates from '../../../components/reply-templates';
import { formDraftKey } from '../../../drafts/formDraft';
import { useFormDraft } from '../../../drafts/useFormDraft';
import { MediaAdders, MediaList } from '../../../components/media-field';
import PageShell from '../../../components/page-shell';
import StaffDeadline from '../../components/deadline';
import { countsByKind } from '../../../media/limits';
import { mediaViews, useUploads } from '../../../media/useUploads';
import { useSession } from '../../../session';
import { Button, Input, TextArea } from '../../../ui';
import { pressable } from '../../../ui/pressable';
import { formatTime } from '../../../util/format';
import { backOr, toast } from '../../../util/nav';
import {
  buildStaffCommand, emptyActionForm, extensionsLeft, maxExtension, needsCaseNumber, parseSpan, replyGaps, type ReplyGap, type ActionForm, type ActionIssue,
} from '../../actionInput';
import { activeDeadline, basisOf, handlingSpanText, regulationOf } from '../../deadline';
import { ACTION_LABELS, CONTACT_METHODS, CONTACT_RESULTS, type ContactMethod, type ContactResult } from '../../labels';
import { noteServerNow, serverNow } from '../../serverClock';
import { estimateEnd, spanText } from '../../urgency';
import '../../form.scss';
import './index.scss';

const SUBMIT_LABELS: Record<StaffCommandType, string> = {
  sign: '确认签收',
  contact: '保存联系记录',
  revealPhone: '查看完整号码',
  requestCoordination: '提交协调申请',
  requestRelay: '申请平台转接',
  messageRequester: '发送留言',
  requestReturn: '提交退回申请',
  requestExtension: '提交延期申请',
  assistFeedback: '提交反馈',
  reply: '提交办理结果',
  proposeTermination: '提交终止办理申请',
  disputeRating: '提交评价申诉',
  appealCounting: '提交统计申诉',
};
const DONE_LABELS: Record<StaffCommandType, string> = {
  sign: '已签收',
  contact: '已记录',
  revealPhone: '已查看',
  requestCoordination: '已申请协调',
  requestRelay: '已申请平台转接',
  messageRequester: '留言已发送',
  requestReturn: '已提交退回申请',
  requestExtension: '已提交延期申请',
  assistFeedback: '已反馈主办单位',
  reply: '已提交办理结果',
  proposeTermination: '已提交终止办理申请',
  disputeRating: '已提交评价申诉',
  appealCounting: '已提交统计申诉',
};
const TYPES = Object.keys(SUBMIT_LABELS) as StaffCommandType[];

function FieldError({ issues, field }: { issues: ActionIssue[]; field: string }) {
  const msg = issues.find((i) => i.field === field)?.message;
  return msg ? <View className="error-text" id={`error-${field}`}>{msg}</View> : null;
}

/** One action on a ticket, with the form the profile's rules call for and the time left. */
export default function StaffAction() {
  const user = useSession();
  const gate = staffGate(user);
  const [ticketId, setTicketId] = useState('');
  const [type, setType] = useState<StaffCommandType | null>(null);
  const [detail, setDetail] = useState<StaffTicketDetail | null>(null);
  const [form, setForm] = useState<ActionForm>(() => emptyActionForm(''));
  const [issues, setIssues] = useState<ActionIssue[]>([]);
  const [formError, setFormError] = useState('');
  const [busy, setBusy] = useState(false);
  /** What a reply still lacks, shown once before it is sent anyway. */
  const [gaps, setGaps] = useState<ReplyGap[]>([]);
  const inFlight = useRef(false);
  const uploads = useUploads({ keep: true });
  const baseline = emptyActionForm(user?.name ?? '');
  const draft = useFormDraft<ActionForm>({
    // Per user, ticket and action: a reply to one ticket never shows up on another.
    storageKey: !gate && user && ticketId && type ? formDraftKey('staff', user.id, ticketId, type) : null,
    form,
    baseline,
    uploads,
    onRestore: (d) => setForm((f) => ({ ...f, ...d.form })),
  });

  useLoad((params) => {
    setTicketId(params.id ?? '');
    const t = params.type as StaffCommandType;
    setType(TYPES.includes(t) ? t : null);
    if (TYPES.includes(t)) void Taro.setNavigationBarTitle({ title: ACTION_LABELS[t] });
  });

  const load = useCallback(async (id: string) => {
    try {
      const d = await staffApi.get(id);
      noteServerNow(d.now);
      setDetail(d);
    } catch (e) {
      setFormError(errorMessage(e));
    }
  }, []);

  useEffect(() => {
    if (!gate && ticketId) void load(ticketId);
  }, [gate, ticketId, load]);
  useEffect(() => {
    if (user?.name) setForm((f) => (f.handler ? f : { ...f, handler: user.name }));
  }, [user?.name]);

  if (gate) {
    return (
      <PageShell id="page-staff-action">
        <StaffGateView gate={gate} />
      </PageShell>
    );
  }
  if (!type) {
    return (
      <PageShell id="page-staff-action">
        <View className="form-error" id="form-error">没有这个操作</View>
      </PageShell>
    );
  }
  if (!detail) {
    return (
      <PageShell id="page-staff-action">
        {formError ? <View className="form-error" id="form-error">{formError}</View> : <View className="notice">正在加载…</View>}
      </PageShell>
    );
  }

  const t = detail.ticket;
  const rules = detail.rules;
  const allowed = detail.actions.includes(type);
  const regulation = regulationOf(detail);
  const change = (patch: Partial<ActionForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    if (gaps.length) setGaps([]);
    if (issues.length) setIssues([]);
    if (formError) setFormError('');
  };
  const items = mediaViews(uploads.items);
  const uploading = uploads.items.some((i) => i.status === 'uploading');
  const originalSpan = parseSpan(handlingSpanText(detail));
  const maxExt = maxExtension(rules, originalSpan);
  const extLeft = extensionsLeft(rules, t.counters?.extensions ?? 0);
  const mine = t.assignments.find((a) => a.unitId === user?.unitId) ?? t.assignments.find((a) => a.role === detail.myRole);

  const submit = async (despite = false) => {
    if (inFlight.current || busy) return;
    if (uploading) return setFormError('请等待文件上传完成');
    if (uploads.items.some((i) => i.status === 'failed')) return setFormError('有文件上传失败，请点“重试”或删除后再提交');
    const built = buildStaffCommand(type, form, {
      ticketId: t.id,
      version: t.version,
      type: t.type,
      rules,
      extensionsUsed: t.counters?.extensions ?? 0,
      originalSpan,
      attachments: uploads.refs,
    });
    if (!built.command) {
      setIssues(built.issues);
      setFormError('请检查标红的内容');
      return;
    }
    // A reply ends the unit's work: say first what it still lacks (the regulations ask units to contact the requester).
    const missing = type === 'reply' && !despite ? replyGaps(form.result, t.counters?.contacts ?? 0, t.assignments, { minChars: rules.replyMinChars, contactRequired: detail.contactRequired }) : [];
    if (missing.length) return setGaps(missing);
    setGaps([]);
    inFlight.current = true;
    setBusy(true);
    setFormError('');
    try {
      // A relay goes through the privacy-number port (staff.relayCall), the rest through staff.command.
      if (built.command.type === 'requestRelay') await staffApi.relayCall(t.id, String(built.command.note), t.version);
      else await staffApi.command(built.command);
      draft.sent();
      toast(DONE_LABELS[type], 'success');
      void backOr('ticket', { id: t.id });
    } catch (e) {
      setFormError(errorMessage(e));
      if (errorCode(e) === 'stale-version') void load(t.id);
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };

  const media = (label: string, required: boolean) => (
    <View className="field" id="action-media">
      <View className={`field__label${required ? ' field__label--required' : ''}`}>{label}</View>
      <MediaAdders counts={countsByKind(items)} disabled={busy} onAdd={uploads.add} onError={toast} />
      <MediaList items={items} onRetry={uploads.retry} onRemove={uploads.remove} locked={busy} />
      <FieldError issues={issues} field="attachments" />
    </View>
  );

  const signDeadline = activeDeadline(detail, 'sign');

  return (
    <PageShell id="page-staff-action">
      <View className="section" id="action-head" data-type={type}>
        <View className="row staff-action__head">
          <Text className="section__title staff-action__title" id="action-title">{ACTION_LABELS[type]}</Text>
          <Text className="muted" id="action-ticket">{t.number}</Text>
        </View>
        <View className="staff-action__ticket-title">{t.title}</View>
      </View>
      <StaffDeadline detail={detail} id="action-deadline" />
      {draft.restoredFrom !== null && (
        <View className="notice" id="draft-restored">
          已恢复上次未提交的内容{draft.lost ? `（${draft.lost}个文件已不在本机，请重新添加）` : ''}
          <Button id="draft-discard" size="small" fill="none" onClick={() => { draft.discard(); setForm(baseline); }}>清空重填</Button>
        </View>
      )}
      {!allowed && (
        <View className="form-error" id="action-not-allowed">当前状态（{t.labels?.state}）下不能{ACTION_LABELS[type]}，请返回刷新。</View>
      )}

      <View className="section staff-action__form staff-form">
        {type === 'sign' && (
          <>
            {signDeadline && (
              <View className="staff-rule" id="sign-deadline">
                须在 {formatTime(signDeadline.dueAt)} 前签收 <Countdown dueAt={signDeadline.dueAt} serverNow={detail.now} />
                <View className="muted">{basisOf(signDeadline)}</View>
              </View>
            )}
            {detail.myRole === 'assist' && <View className="staff-rule">本单位为协办单位：签收后请及时向主办单位反馈办理情况。</View>}
            {detail.myRole === 'lead' && <View className="staff-rule">签收后请立即联系诉求人。</View>}
            <View className="field">
              <View className="field__label">签收备注（选填）</View>
              <TextArea id="sign-note" viewId="sign-note-box" value={form.note} maxLength={LIMITS.note} showCount placeholder="如：已安排某科室办理" onChange={(v) => change({ note: v })} />
              <FieldError issues={issues} field="note" />
            </View>
          </>
        )}

        {type === 'contact' && (
          <>
            <View className="staff-rule" id="contact-target">
              联系对象：{t.requesterShown}
              {t.requester?.confidential ? (
                <View className="muted">诉求人已申请保密，请通过平台联系，不得向他人透露诉求人信息。</View>
              ) : t.requesterShown === '通过平台联系' ? (
                <View className="muted">诉求人信息不向本单位提供，请通过平台联系。</View>
              ) : null}
            </View>
            <View className="field">
              <View className="field__label field__label--required">联系方式</View>
              <ChipGroup
                idPrefix="contact-method"
                options={(Object.keys(CONTACT_METHODS) as ContactMethod[]).map((m) => ({ value: m, label: CONTACT_METHODS[m] }))}
                value={form.method}
                onChange={(m) => change({ method: m })}
              />
            </View>
            <View className="field">
              <View className="field__label field__label--required">联系结果</View>
              <View className="chip-group">
                {(Object.keys(CONTACT_RESULTS) as ContactResult[]).map((r) => (
                  <View key={r} id={`contact-result-${r}`} className={`chip${form.contactResult === r ? ' chip--active' : ''}`} onClick={() => change({ contactResult: r })}>
                    {CONTACT_RESULTS[r]}
                  </View>
                ))}
              </View>
            </View>
            <View className="field">
              <View className="field__label field__label--required">联系情况</View>
              <TextArea id="contact-note" viewId="contact-note-box" value={form.note} maxLength={LIMITS.note} showCount autoSize placeholder="联系时间、沟通内容、诉求人的意见" onChange={(v) => change({ note: v })} />
              <FieldError issues={issues} field="note" />
            </View>
          </>
        )}

        {type === 'requestCoordination' && (
          <>
            <View className="staff-rule" id="coordination-rule">
              职责边界不清、难以确定承办单位的，可以申请平台协调，不必退回。平台协调确定承办单位后，该单位不能再申请退回。
            </View>
            <View className="field">
              <View className="field__label field__label--required">需要协调的原因</View>
              <TextArea id="coordination-reason" viewId="coordination-reason-box" value={form.reason} maxLength={LIMITS.reason} showCount autoSize placeholder="如：该路段管养职责在城管局与住建局之间不明确" onChange={(v) => change({ reason: v })} />
              <FieldError issues={issues} field="reason" />
            </View>
          </>
        )}

        {type === 'requestRelay' && (
          <>
            <View className="staff-rule" id="relay-rule">
              诉求人信息不向本单位提供。平台工作人员将拨打诉求人电话并转接本单位，诉求人的号码不会显示给本单位；转接结果记入联系记录。
            </View>
            <View className="field">
              <View className="field__label field__label--required">需要沟通的事项</View>
              <TextArea id="relay-note" viewId="relay-note-box" value={form.note} maxLength={LIMITS.note} showCount autoSize placeholder="如：需核实具体门牌号，约定上门时间" onChange={(v) => change({ note: v })} />
              <FieldError issues={issues} field="note" />
            </View>
          </>
        )}

        {type === 'messageRequester' && (
          <>
            <View className="staff-rule" id="message-rule">留言通过平台送达，诉求人在小程序的办理进度中查看；不会向本单位显示诉求人的联系方式。</View>
            <View className="field">
              <View className="field__label field__label--required">留言内容</View>
              <TextArea id="message-text" viewId="message-text-box" value={form.note} maxLength={LIMITS.note} showCount autoSize placeholder="如：明天上午到现场查看，请您方便时在家" onChange={(v) => change({ note: v })} />
              <FieldError issues={issues} field="note" />
            </View>
          </>
        )}

        {type === 'requestReturn' && (
          <>
            <View className="staff-rule" id="return-window">
              {rules.returnWithin ? (
                <>
                  <View>
                    须在收到派单后{spanText(rules.returnWithin)}内申请退回（依据《{regulation}》{rules.returnWithin.citation.article}）
                  </View>
                  {mine && (
                    <View className="muted" id="return-window-end">
                      收到派单：{formatTime(mine.dispatchedAt)}；预计截至 {formatTime(estimateEnd(mine.dispatchedAt, rules.returnWithin))}
                      {rules.returnWithin.unit === 'workingDays' ? '（遇节假日顺延，以平台计算为准）' : ''}
                      {estimateEnd(mine.dispatchedAt, rules.returnWithin) < detail.now && <Text className="error-text">，可能已超过退回期限</Text>}
                    </View>
                  )}
                  <View className="muted">{rules.returnWithin.citation.text}</View>
                </>
              ) : (
                <View>本平台未规定退回期限，不属于本单位职责的请尽快申请。</View>
              )}
            </View>
            <View className="field">
              <View className="field__label field__label--required">退回理由</View>
              <ReplyTemplates kind="return" load={staffApi.templates} onPick={(v) => change({ reason: v })} />
              <TextArea id="return-reason" viewId="return-reason-box" value={form.reason} maxLength={LIMITS.reason} showCount autoSize placeholder="说明为什么不属于本单位职责" onChange={(v) => change({ reason: v })} />
              <FieldError issues={issues} field="reason" />
            </View>
            <View className="field">
              <View className="field__label">退回依据</View>
              <TextArea id="return-basis" viewId="return-basis-box" value={form.basis} maxLength={LIMITS.reason} showCount autoSize placeholder="如：职责清单、法规条文" onChange={(v) => change({ basis: v })} />
              <FieldError issues={issues} field="basis" />
            </View>
            {rules.returnNeedsProof && <View className="staff-rule staff-rule--strong" id="return-proof-required">本平台规定：申请退回须附上证明材料</View>}
            {media(rules.returnNeedsProof ? '证明材料（必填）' : '证明材料（选填）', rules.returnNeedsProof)}
          </>
        )}

        {type === 'proposeTermination' && (
          <>
            <View className="staff-rule" id="termination-rule">
              终止办理须由平台审核同意；审核期间请继续办理。
            </View>
            <View className="field">
              <View className="field__label field__label--required">终止办理的情形</View>
              <ChipGroup
                id="termination-grounds"
                idPrefix="termination-ground"
                options={rules.terminationGrounds.map((g) => ({ value: g.code, label: `${g.label}（${g.article}）` }))}
                value={form.groundCode}
                onChange={(code) => change({ groundCode: code })}
              />
              {rules.terminationGrounds.filter((g) => g.code === form.groundCode).map((g) => (
                <View key={g.code} className="muted" id="termination-article">依据《{regulation}》{g.article}：{g.text}。申请前须确认：{g.precondition}。</View>
              ))}
              <FieldError issues={issues} field="groundCode" />
            </View>
            <View className="field">
              <View className="field__label field__label--required">申请理由</View>
              <ReplyTemplates kind="termination" load={staffApi.templates} onPick={(v) => change({ reason: v })} />
              <TextArea id="termination-reason" viewId="termination-reason-box" value={form.reason} maxLength={LIMITS.reason} showCount autoSize placeholder="联系和解释的经过、诉求人的答复" onChange={(v) => change({ reason: v })} />
              <FieldError issues={issues} field="reason" />
            </View>
            {media(rules.terminationGrounds.find((g) => g.code === form.groundCode)?.proofRequired === false ? '证明材料（选填）' : '证明材料（必填）', rules.terminationGrounds.find((g) => g.code === form.groundCode)?.proofRequired !== false)}
          </>
        )}

        {type === 'requestExtension' && (
          <>
            <View className="staff-rule" id="extension-rule">
              {rules.extension.allowed ? (
                <>
                  <View id="extension-length">每次延期不超过：{rules.extension.length === 'original' ? `原办理期限${maxExt ? `（${spanText(maxExt)}）` : ''}` : spanText(rules.extension.length)}</View>
                  <View id="extension-count">
                    {rules.extension.maxCount === null ? '延期次数：不限' : `最多延期${rules.extension.maxCount}次`}，已用<Text id="extension-used">{t.counters?.extensions ?? 0}</Text>次
                    {extLeft !== null && `，还可申请${extLeft}次`}
                  </View>
                  {rules.extension.totalCap && <View id="extension-cap">办理期限累计不超过{spanText(rules.extension.totalCap)}</View>}
                  {rules.extension.mustApplyBeforeDeadline !== false && <View>须在办理期限届满前申请，经平台审核同意后生效</View>}
                  <View className="muted" id="extension-citation">依据《{regulation}》{rules.extension.citation.article}：{rules.extension.citation.text}</View>
                </>
              ) : (
                <View id="extension-not-allowed">本平台规定不允许申请延期（依据《{regulation}》{rules.extension.citation.article}）</View>
              )}
            </View>
            <View className="field">
              <View className="field__label field__label--required">申请延长</View>
              <ChipGroup
                idPrefix="extension-mode"
                options={[
                  { value: 'max' as const, label: `按规定最长${maxExt ? `（${spanText(maxExt)}）` : ''}` },
                  ...(maxExt ? [{ value: 'custom' as const, label: '较短时长' }] : []),
                ]}
                value={form.extensionMode}
                onChange={(m) => change({ extensionMode: m })}
              />
              {form.extensionMode === 'custom' && maxExt && (
                <View className="row staff-action__amount">
                  <Input id="extension-amount" type="digit" value={form.extensionAmount} placeholder={`1～${maxExt.amount}`} onChange={(v) => change({ extensionAmount: v })} />
                  <Text>{spanText(maxExt).replace(/^[\d.]+/, '')}</Text>
                </View>
              )}
              <FieldError issues={issues} field="span" />
              <FieldError issues={issues} field="extension" />
            </View>
            <View className="field">
              <View className="field__label field__label--required">延期理由</View>
              <TextArea id="extension-reason" viewId="extension-reason-box" value={form.reason} maxLength={LIMITS.reason} showCount autoSize placeholder="说明不能按期办结的原因和预计办结时间" onChange={(v) => change({ reason: v })} />
              <FieldError issues={issues} field="reason" />
            </View>
          </>
        )}

        {type === 'disputeRating' && (
          <>
            <View className="staff-rule" id="dispute-rule">对诉求人的评价有异议的，由平台复评；复评结果为最终评价结果，每轮评价只能申诉一次。</View>
            <View className="field">
              <View className="field__label field__label--required">申诉理由</View>
              <TextArea id="dispute-reason" viewId="dispute-reason-box" value={form.reason} maxLength={LIMITS.reason} showCount autoSize placeholder="说明评价与办理事实不符之处" onChange={(v) => change({ reason: v })} />
              <FieldError issues={issues} field="reason" />
            </View>
            {media('证明材料（选填）', false)}
          </>
        )}

        {type === 'appealCounting' && rules.appeal && (
          <>
            <View className="staff-rule" id="appeal-rule">
              对本工单计入本单位统计的方式有异议的，可提出申诉，由平台调查核实后答复；采纳后该工单不再计入所申诉的统计项。同一工单一次只能有一项待审核的申诉。
              <View className="muted" id="appeal-article">依据《{regulation}》{rules.appeal.citation.article}：{rules.appeal.citation.text}</View>
            </View>
            <View className="field">
              <View className="field__label field__label--required">申诉理由</View>
              <ChipGroup
                id="appeal-grounds"
                idPrefix="appeal-ground"
                options={rules.appeal.grounds.map((g) => ({ value: g.code, label: g.label }))}
                value={form.groundCode}
                onChange={(code) => change({ groundCode: code, metrics: rules.appeal?.grounds.find((g) => g.code === code)?.metrics ?? [] })}
              />
              <FieldError issues={issues} field="groundCode" />
            </View>
            <View className="field">
              <View className="field__label field__label--required">申诉的统计项（可多选）</View>
              <View className="chip-group" id="appeal-metrics">
                {(Object.keys(RATE_LABELS) as (keyof typeof RATE_LABELS)[]).map((m) => {
                  const on = form.metrics.includes(m);
                  return (
                    <View
                      key={m}
                      id={`appeal-metric-${m}`}
                      className={`chip${on ? ' chip--active' : ''}`}
                      aria-pressed={on}
                      {...pressable(() => change({ metrics: on ? form.metrics.filter((x) => x !== m) : [...form.metrics, m] }))}
                    >
                      {RATE_LABELS[m]}
                    </View>
                  );
                })}
              </View>
              <FieldError issues={issues} field="metrics" />
            </View>
            <View className="field">
              <View className="field__label field__label--required">申诉说明</View>
              <TextArea id="appeal-reason" viewId="appeal-reason-box" value={form.reason} maxLength={LIMITS.reason} showCount autoSize placeholder="说明该工单不应计入本单位统计的事实" onChange={(v) => change({ reason: v })} />
              <FieldError issues={issues} field="reason" />
            </View>
            {media('证明材料（选填）', false)}
          </>
        )}

        {type === 'assistFeedback' && (
          <>
            <View className="staff-rule">本单位为协办单位，反馈将送达主办单位，由主办单位统一答复诉求人。</View>
            <View className="field">
              <View className="field__label field__label--required">反馈内容</View>
              <TextArea id="feedback-note" viewId="feedback-note-box" value={form.note} maxLength={LIMITS.note} showCount autoSize placeholder="本单位的办理情况和意见" onChange={(v) => change({ note: v })} />
              <FieldError issues={issues} field="note" />
            </View>
            {media('附件（选填）', false)}
          </>
        )}

        {type === 'reply' && (
          <>
            <View className="field">
              <View className="field__label field__label--required">办理结果</View>
              <ReplyTemplates kind="reply" load={staffApi.templates} onPick={(v) => change({ result: v })} />
              <TextArea id="reply-result" viewId="reply-result-box" value={form.result} maxLength={LIMITS.content} showCount autoSize placeholder="办理经过和结果，将告知诉求人" onChange={(v) => change({ result: v })} />
              <FieldError issues={issues} field="result" />
            </View>
            <View className="field">
              <View className="field__label field__label--required">经办人</View>
              <Input id="reply-handler" value={form.handler} maxLength={LIMITS.name} placeholder="经办人姓名" onChange={(v) => change({ handler: v })} />
              <FieldError issues={issues} field="handler" />
            </View>
            <View className="field">
              <View className="field__label">法律政策依据</View>
              <TextArea id="reply-legal-basis" viewId="reply-legal-basis-box" value={form.legalBasis} maxLength={LIMITS.reason} showCount autoSize placeholder="如：《城市市容和环境卫生管理条例》第十四条" onChange={(v) => change({ legalBasis: v })} />
              <FieldError issues={issues} field="legalBasis" />
            </View>
            <View className="field">
              <View className="field__label">告知诉求人的方式</View>
              <Input id="reply-notified-by" value={form.notifiedBy} maxLength={60} placeholder="如：电话告知、上门告知" onChange={(v) => change({ notifiedBy: v })} />
              <FieldError issues={issues} field="notifiedBy" />
            </View>
            {needsCaseNumber({ rules, type: t.type }) && (
              <View className="field staff-case" id="reply-case">
                <View className="field__label field__label--required">立案情况</View>
                <View className="field__hint">投诉类诉求须填写立案号和立案日期，或说明不予立案的理由（《{regulation}》的规定）</View>
                <ChipGroup
                  className="staff-case__modes"
                  idPrefix="case"
                  options={[
                    { value: 'filed' as const, label: '已立案', id: 'case-filed' },
                    { value: 'notFiled' as const, label: '不予立案', id: 'case-not-filed' },
                  ]}
                  value={form.caseMode}
                  onChange={(m) => change({ caseMode: m })}
                />
                {form.caseMode === 'filed' ? (
                  <>
                    <Input id="reply-case-number" value={form.caseNumber} maxLength={60} placeholder="立案号" onChange={(v) => change({ caseNumber: v })} />
                    <FieldError issues={issues} field="caseNumber" />
                    <DateField id="reply-case-date" value={form.caseDate} label="立案日期" end={formatTime(serverNow()).slice(0, 10)} onChange={(v) => change({ caseDate: v })} />
                    <FieldError issues={issues} field="caseDate" />
                  </>
                ) : (
                  <>
                    <TextArea id="reply-no-case-reason" viewId="reply-no-case-reason-box" value={form.noCaseReason} maxLength={LIMITS.reason} showCount autoSize placeholder="不予立案的理由" onChange={(v) => change({ noCaseReason: v })} />
                    <FieldError issues={issues} field="noCaseReason" />
                  </>
                )}
              </View>
            )}
            {media('附件（现场照片、处理文书等，选填）', false)}
          </>
        )}
      </View>

      {formError && <View className="form-error" id="form-error">{formError}</View>}
      {gaps.length > 0 && (
        <View className="notice" id="reply-gaps">
          <View>{gaps.some((g) => g.blocking) ? '补齐以下内容后才能答复：' : '答复前请确认：'}</View>
          {gaps.map((g, i) => <View key={g.text} id={`reply-gap-${i}`} className={g.blocking ? 'error-text' : undefined}>· {g.text}</View>)}
          {!gaps.some((g) => g.blocking) && <Button id="reply-confirm" size="small" disabled={busy} onClick={() => void submit(true)}>仍要提交答复</Button>}
        </View>
      )}
      <View className="actions">
        <Button id="action-submit" type="primary" size="large" block loading={busy} disabled={busy || uploading || !allowed} onClick={() => void submit()}>
          {uploading ? '文件上传中…' : SUBMIT_LABELS[type]}
        </Button>
        <Button id="action-cancel" block fill="none" disabled={busy} onClick={() => void draft.leave(() => backOr('ticket', { id: t.id }))}>返回</Button>
      </View>
    </PageShell>
  );
}
