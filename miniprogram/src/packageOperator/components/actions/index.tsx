import { View, Text } from '@tarojs/components';
import { useEffect, useMemo, useState } from 'react';
import { LIMITS } from '@shared/contracts/limits';
import { actionLabel, commandsAcceptedBy, oneTapCommands } from '@shared/workflow/transitions';
import { adminApi, errorCode, errorMessage, operatorApi, type OperatorCommand } from '../../../api/client';
import type { KbRecord, OperatorCommandType, OperatorDetail, SuggestedUnit, UnitRecord } from '../../../api/types';
import { DISPATCH_MODES, REVISIT_METHODS, SUPERVISE_METHODS, TRIGGER_LABELS } from '../../labels';
import { Button, Input, TextArea } from '../../../ui';
import type { Span } from '@shared/profiles/schema';
import { estimateEnd, spanText } from '../../../packageStaff/urgency';
import { formatTime } from '../../../util/format';
import { toast } from '../../../util/nav';
import ChipGroup from '../../../components/chip-group';
import ClassifyForm from './classify';
import { ReviewAppealForm } from './appeal';
import { RecordMaliciousForm, ReviewObjectionForm } from './malicious';
import { LinkForm, MergeForm } from './links';
import { ReviewDisputeForm, ReviewTerminationForm, TerminateForm } from './terminate';
import TemplatePicker from './templatePicker';
import UnitPicker, { type DispatchMode, type UnitChoice } from '../unit-picker';
import './index.scss';

/** Button texts from the transitions table (shared/workflow/transitions.ts). */
const ACTION_LABELS = Object.fromEntries(commandsAcceptedBy('operator').map((c) => [c, actionLabel(c, 'operator')])) as Record<OperatorCommandType, string>;

/** Commands that need no form: one tap, then a confirmation. */
const ONE_TAP: OperatorCommandType[] = oneTapCommands('operator');

interface Props {
  detail: OperatorDetail;
  units: UnitRecord[];
  /** A form to open at once (the board's 督办 button opens the ticket with `action=supervise`). */
  initialAction?: OperatorCommandType;
  /** Reload after a command, or after a stale-version refusal. */
  onChanged(done?: string): void;
}

/** The operator's actions on a ticket: only those the server lists in `actions`, each with its form. */
export default function OperatorActions({ detail, units, initialAction, onChanged }: Props) {
  const t = detail.ticket;
  const [open, setOpen] = useState<OperatorCommandType | null>(initialAction && detail.actions.includes(initialAction) ? initialAction : null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  useEffect(() => {
    // A new version of the ticket (after a command or a refresh) closes a form that no longer applies.
    if (open && !detail.actions.includes(open)) setOpen(null);
  }, [detail, open]);

  const run = async (command: Omit<OperatorCommand, 'ticketId' | 'expectedVersion'>, done: string) => {
    if (busy) return;
    setBusy(true);
    setError('');
    try {
      await operatorApi.command({ ...command, ticketId: t.id, expectedVersion: t.version } as OperatorCommand);
      toast(done, 'success');
      setOpen(null);
      onChanged(done);
    } catch (e) {
      setError(errorMessage(e));
      if (errorCode(e) === 'stale-version') onChanged();
    } finally {
      setBusy(false);
    }
  };

  if (detail.actions.length === 0) {
    return (
      <View className="section op-actions" id="op-actions">
        <View className="section__title">处理</View>
        <View className="muted" id="op-actions-none">当前状态下平台无需处理。</View>
      </View>
    );
  }

  const props = { detail, busy, run };
  return (
    <View className="section op-actions" id="op-actions">
      <View className="section__title">处理</View>
      <View className="op-actions__bar" id="op-action-bar">
        {detail.actions.map((a) => (
          <Button
            key={a}
            id={`action-${a}`}
            size="small"
            type={open === a ? 'primary' : a === 'terminate' || a === 'refuse' ? 'danger' : 'default'}
            disabled={busy}
            onClick={() => {
              setError('');
              setOpen(open === a ? null : a);
            }}
          >
            {ACTION_LABELS[a]}
          </Button>
        ))}
      </View>
      {error && <View className="form-error op-actions__error" id="action-error">{error}</View>}
      {open && ONE_TAP.includes(open) && !(open === 'close' && needsConclusion(detail)) && (
        <View className="op-form" id={`form-${open}`}>
          <View className="op-form__title">确认{ACTION_LABELS[open]}？</View>
          {open === 'accept' && <View className="muted">受理后进入待派单队列。</View>}
          <Button id={`${open}-submit`} type="primary" size="small" loading={busy} onClick={() => void run({ type: open }, `已${ACTION_LABELS[open]}`)}>
            确认{ACTION_LABELS[open]}
          </Button>
        </View>
      )}
      {open === 'answer' && <AnswerForm {...props} />}
      {open === 'refuse' && <RefuseForm {...props} />}
      {open === 'dispatch' && <DispatchForm {...props} units={units} />}
      {open === 'reviewReturn' && <ReviewForm {...props} kind="reviewReturn" />}
      {open === 'reviewExtension' && <ReviewForm {...props} kind="reviewExtension" />}
      {open === 'reviewResult' && <ReviewForm {...props} kind="reviewResult" />}
      {open === 'close' && needsConclusion(detail) && <ConcludeForm {...props} />}
      {open === 'revisit' && <RevisitForm {...props} />}
      {open === 'recordRevisit' && <RevisitRecordForm {...props} />}
      {open === 'handOffEmergency' && <HandOffForm {...props} />}
      {open === 'requestRework' && <ReasonForm {...props} kind="requestRework" label="重办理由" done="已申请重办" />}
      {open === 'supervise' && <SuperviseForm {...props} />}
      {open === 'escalate' && <EscalateForm {...props} />}
      {open === 'terminate' && <TerminateForm {...props} />}
      {open === 'reviewTermination' && <ReviewTerminationForm {...props} />}
      {open === 'reviewDispute' && <ReviewDisputeForm {...props} />}
      {open === 'reviewAppeal' && <ReviewAppealForm {...props} />}
      {open === 'recordMalicious' && <RecordMaliciousForm {...props} />}
      {open === 'reviewObjection' && <ReviewObjectionForm {...props} />}
      {open === 'pauseClock' && <PauseForm {...props} />}
      {open === 'classify' && <ClassifyForm {...props} />}
      {open === 'relayDone' && <RelayForm {...props} units={units} />}
      {open === 'coordinate' && <CoordinateForm {...props} units={units} />}
      {open === 'link' && <LinkForm {...props} />}
      {open === 'merge' && <MergeForm {...props} />}
    </View>
  );
}

interface FormProps {
  detail: OperatorDetail;
  busy: boolean;
  run(command: Omit<OperatorCommand, 'ticketId' | 'expectedVersion'>, done: string): Promise<void>;
}

function Note({ id, value, onChange, placeholder, max = LIMITS.note }: { id: string; value: string; onChange(v: string): void; placeholder: string; max?: number }) {
  return <TextArea id={id} className="op-form__note" placeholder={placeholder} value={value} maxLength={max} autoSize onChange={onChange} />;
}

let kbCache: Promise<KbRecord[]> | null = null;
function loadKb(): Promise<KbRecord[]> {
  if (!kbCache) {
    kbCache = adminApi.kb();
    kbCache.catch(() => (kbCache = null));
  }
  return kbCache;
}

/** Knowledge-base articles matching the words typed, the ticket's category first. */
export function searchKb(articles: KbRecord[], text: string, category?: string): KbRecord[] {
  const words = text.split(/[\s,，、。？?]+/).filter((w) => w.length >= 1);
  const scored = articles.map((a) => {
    let s = 0;
    for (const w of words) {
      if (a.title.includes(w)) s += 3;
      if (a.keywords.some((k) => k.includes(w) || w.includes(k))) s += 2;
      if (a.answer.includes(w)) s += 1;
    }
    if (category && a.category === category) s += words.length ? 1 : 2;
    return { a, s };
  });
  return scored.filter((x) => x.s > 0).sort((x, y) => y.s - x.s).map((x) => x.a).slice(0, 8);
}

function AnswerForm({ detail, busy, run }: FormProps) {
  const [articles, setArticles] = useState<KbRecord[]>([]);
  const [query, setQuery] = useState('');
  const [answer, setAnswer] = useState('');
  const [articleId, setArticleId] = useState<string | undefined>();
  const [loadError, setLoadError] = useState('');
  useEffect(() => {
    loadKb().then(setArticles, (e) => setLoadError(errorMessage(e)));
  }, []);
  const hits = useMemo(() => searchKb(articles, query || detail.ticket.title, detail.ticket.category), [articles, query, detail.ticket.title, detail.ticket.category]);
  return (
    <View className="op-form" id="form-answer">
      <View className="op-form__title">从知识库答复，或直接填写答复</View>
      <Input id="kb-search" placeholder="搜索知识库（标题、关键词）" value={query} onChange={setQuery} />
      {loadError && <View className="error-text">{loadError}</View>}
      <View className="op-kb">
        {hits.map((a, i) => (
          <View
            key={a.id}
            id={`kb-result-${i}`}
            data-article={a.id}
            className={`op-kb__item${articleId === a.id ? ' op-kb__item--chosen' : ''}`}
            onClick={() => {
              setArticleId(a.id);
              setAnswer(a.answer);
            }}
          >
            <View className="op-kb__title">{a.title}</View>
            <View className="muted op-kb__answer">{a.answer}</View>
          </View>
        ))}
        {hits.length === 0 && articles.length > 0 && <View className="muted" id="kb-none">知识库中没有相符的条目，请直接填写答复。</View>}
      </View>
      <TemplatePicker kind="answer" onPick={(v) => { setAnswer(v); setArticleId(undefined); }} />
      <Note
        id="answer-text"
        value={answer}
        max={LIMITS.content}
        placeholder="答复内容（将告知诉求人）"
        onChange={(v) => {
          setAnswer(v);
          if (articleId && !articles.find((a) => a.id === articleId && a.answer === v)) setArticleId(undefined);
        }}
      />
      {articleId && <View className="muted" id="answer-article">引用知识库条目：{articles.find((a) => a.id === articleId)?.title}</View>}
      <Button id="answer-submit" type="primary" size="small" loading={busy} disabled={!answer.trim()} onClick={() => void run({ type: 'answer', answer: answer.trim(), ...(articleId ? { articleId } : {}) }, '已答复')}>
        发送答复
      </Button>
    </View>
  );
}

function RefuseForm({ detail, busy, run }: FormProps) {
  const [code, setCode] = useState('');
  const [note, setNote] = useState('');
  const ground = detail.grounds.find((g) => g.code === code);
  return (
    <View className="op-form" id="form-refuse">
      <View className="op-form__title">不予受理的理由（本平台规定的情形）</View>
      <View className="op-grounds">
        {detail.grounds.map((g) => (
          <View key={g.code} id={`ground-${g.code}`} className={`op-ground${code === g.code ? ' op-ground--chosen' : ''}`} onClick={() => setCode(g.code)}>
            <Text>{g.label}</Text>
            <Text className="muted"> {g.article}</Text>
          </View>
        ))}
      </View>
      {ground && (
        <View className="notice op-form__notice" id="ground-article">
          将告知诉求人：依据{ground.article}，{ground.label}，不予受理。
        </View>
      )}
      <TemplatePicker kind="refusal" onPick={setNote} />
      <Note id="refuse-note" value={note} onChange={setNote} placeholder="补充说明（可选，将一并告知诉求人）" />
      <Button id="refuse-submit" type="danger" size="small" loading={busy} disabled={!code} onClick={() => void run({ type: 'refuse', groundCode: code, ...(note.trim() ? { note: note.trim() } : {}) }, '已不予受理')}>
        确认不予受理
      </Button>
    </View>
  );
}

/** Knowledge-base entries on the ticket's subject while dispatching: the answer, and the unit the entry names. */
function DispatchKb({ detail, units }: { detail: OperatorDetail; units: UnitRecord[] }) {
  const [articles, setArticles] = useState<KbRecord[]>([]);
  useEffect(() => {
    loadKb().then(setArticles, () => undefined);
  }, []);
  const hits = useMemo(() => searchKb(articles, `${detail.ticket.title} ${detail.ticket.content}`, detail.ticket.category).slice(0, 3), [articles, detail.ticket.title, detail.ticket.content, detail.ticket.category]);
  if (!hits.length) return null;
  return (
    <View className="op-kb" id="dispatch-kb">
      <View className="op-form__title op-form__title--gap">知识库参考</View>
      {hits.map((a, i) => (
        <View key={a.id} id={`dispatch-kb-${i}`} data-article={a.id} className="op-kb__item">
          <View className="op-kb__title">{a.title}</View>
          <View className="muted op-kb__answer">{a.answer}</View>
          {a.unitId && <View className="field__hint">相关单位：{units.find((u) => u.id === a.unitId)?.name ?? a.unitId}</View>}
        </View>
      ))}
    </View>
  );
}

function DispatchForm({ detail, busy, run, units }: FormProps & { units: UnitRecord[] }) {
  const t = detail.ticket;
  const [mode, setMode] = useState<DispatchMode>('single');
  const [choice, setChoice] = useState<UnitChoice>({ units: [], assist: [] });
  const [suggested, setSuggested] = useState<SuggestedUnit[]>([]);
  const [complained, setComplained] = useState('');
  const [note, setNote] = useState('');
  const [publicNote, setPublicNote] = useState('');
  const [loadError, setLoadError] = useState('');
  useEffect(() => {
    operatorApi.suggestUnits(t.id).then(setSuggested, (e) => setLoadError(errorMessage(e)));
  }, [t.id]);
  const valid = mode === 'separate' ? choice.units.length >= 2 : choice.units.length === 1 && (mode === 'single' || choice.assist.length >= 1);
  const name = (id: string) => units.find((u) => u.id === id)?.name ?? id;
  const submit = () => {
    const unitIds = choice.units;
    const assistUnitIds = mode === 'lead' ? choice.assist : [];
    void run({ type: 'dispatch', mode, unitIds, assistUnitIds, ...(complained ? { complainedUnitId: complained } : {}), ...(note.trim() ? { note: note.trim() } : {}), ...(publicNote.trim() ? { publicNote: publicNote.trim() } : {}) }, '已派单');
  };
  return (
    <View className="op-form" id="form-dispatch">
      <View className="op-form__title">派单方式</View>
      <ChipGroup
        idPrefix="dispatch-mode"
        options={DISPATCH_MODES}
        value={mode}
        onChange={(next) => {
          setMode(next);
          setChoice({ units: mode === 'separate' || next === 'separate' ? [] : choice.units.slice(0, 1), assist: [] });
        }}
      />
      <View className="field__hint">{DISPATCH_MODES.find((m) => m.value === mode)?.hint}</View>
      <View className="op-form__title op-form__title--gap">承办单位（推荐单位在前）</View>
      {loadError && <View className="error-text">{loadError}</View>}
      <UnitPicker mode={mode} units={units} suggested={suggested} category={t.category} area={t.location.area ?? t.location.grid} value={choice} onChange={setChoice} />
      <DispatchKb detail={detail} units={units} />
      <View className="op-dispatch-summary" id="dispatch-summary">
        {mode === 'lead' ? `主办：${choice.units.map(name).join('、') || '未选'}；协办：${choice.assist.map(name).join('、') || '未选'}` : `承办：${choice.units.map(name).join('、') || '未选'}`}
      </View>
      {t.type === 'complaint' && (
        <View>
          <View className="op-form__title op-form__title--gap">被投诉单位（可选；该单位看不到投诉人信息）</View>
          <ChipGroup
            idPrefix="complained"
            options={units.filter((u) => u.active).map((u) => ({ value: u.id, label: u.name }))}
            value={complained}
            onChange={(id) => setComplained(complained === id ? '' : id)}
          />
        </View>
      )}
      <View className="op-form__title op-form__title--gap">派单说明（仅承办单位和平台可见）</View>
      <Note id="dispatch-note" value={note} onChange={setNote} placeholder="给承办单位的说明（可选）" />
      <View className="op-form__title op-form__title--gap">告知诉求人（诉求人在办理进度中可见）</View>
      <Note id="dispatch-public-note" value={publicNote} onChange={setPublicNote} placeholder="例如：已交由城管部门处理（可选）" />
      {!valid && (
        <View className="field__hint" id="dispatch-hint">
          {mode === 'separate' ? '分别办理须选择至少两个单位' : mode === 'lead' ? '请选择一个主办单位和至少一个协办单位' : '请选择一个承办单位'}
        </View>
      )}
      <Button id="dispatch-submit" type="primary" size="small" loading={busy} disabled={!valid} onClick={submit}>
        确认派单
      </Button>
    </View>
  );
}

const REVIEW_TEXT = {
  reviewReturn: { approve: '同意退回（回到待派单，重新派单）', reject: '驳回（单位继续办理）', doneYes: '已同意退回', doneNo: '已驳回退回申请' },
  reviewExtension: { approve: '同意延期', reject: '不同意延期', doneYes: '已同意延期', doneNo: '已驳回延期申请' },
  reviewResult: { approve: '审核通过（办结）', reject: '退回重新办理', doneYes: '已办结', doneNo: '已退回重新办理' },
} as const;

/**
 * What the unit asked for, in the unit of the handling limit ("5个工作日", not "5天"), and the
 * deadline it would have once approved: the server's preview (its calendar) when it sent one,
 * else Monday to Friday estimated here.
 */
function ExtensionAsked({ detail, days }: { detail: OperatorDetail; days: number }) {
  const handling = [...(detail.ticket.deadlines ?? [])].reverse().find((d) => (d.kind === 'handle' || d.kind === 'rework') && d.status === 'active');
  const unit: Span['unit'] = handling?.span.includes('工作日') ? 'workingDays' : handling?.span.includes('小时') ? 'hours' : 'calendarDays';
  const asked = { amount: days, unit };
  const preview = detail.extensionPreview;
  return (
    <View id="pending-extension-asked">
      <View className="muted">申请延长：{spanText(asked)}</View>
      {preview ? (
        <View className="muted" id="pending-extension-new-due">
          现办理期限 {preview.from === null ? '—' : formatTime(preview.from)}；同意后为 {formatTime(preview.dueAt)}（{preview.span}，依据{preview.article}）
        </View>
      ) : (
        handling && (
          <View className="muted" id="pending-extension-new-due">
            现办理期限 {formatTime(handling.dueAt)}；同意后约至 {formatTime(estimateEnd(handling.dueAt, asked))}（节假日以平台日历为准）
          </View>
        )
      )}
    </View>
  );
}

/** What each decision leads to, shown before the operator confirms it. */
const REVIEW_CONSEQUENCE = {
  reviewReturn: { approve: '工单回到待派单，须重新派单；承办单位和诉求人会收到通知。', reject: '承办单位继续办理，驳回理由告知承办单位。' },
  reviewExtension: { approve: '办理期限按上述新期限计算，承办单位和诉求人会收到通知。', reject: '办理期限不变，理由告知承办单位。' },
  reviewResult: { approve: '工单办结，诉求人可以评价。', reject: '退回承办单位重新办理，理由告知承办单位。' },
} as const;

/**
 * A review (return, extension, result): the request, a reason (required to reject, checked here
 * before anything is sent), then the consequence of the decision and a confirmation.
 */
function ReviewForm({ detail, busy, run, kind }: FormProps & { kind: keyof typeof REVIEW_TEXT }) {
  const t = detail.ticket;
  const [note, setNote] = useState('');
  const [choice, setChoice] = useState<'approve' | 'reject' | null>(null);
  const [problem, setProblem] = useState('');
  const text = REVIEW_TEXT[kind];
  const choose = (c: 'approve' | 'reject') => {
    if (c === 'reject' && !note.trim()) {
      setProblem('驳回须填写理由，理由将告知承办单位。');
      setChoice(null);
      return;
    }
    setProblem('');
    setChoice(c);
  };
  const confirm = () => {
    if (!choice) return;
    void run({ type: kind, approve: choice === 'approve', ...(note.trim() ? { note: note.trim() } : {}) }, choice === 'approve' ? text.doneYes : text.doneNo);
  };
  return (
    <View className="op-form" id={`form-${kind}`}>
      {kind === 'reviewReturn' && t.pendingReturn && (
        <View id="pending-return">
          <View className="op-form__title">退回申请</View>
          <View className="pre-wrap">理由：{t.pendingReturn.reason}</View>
          {t.pendingReturn.basis && <View className="muted">依据：{t.pendingReturn.basis}</View>}
        </View>
      )}
      {kind === 'reviewExtension' && t.pendingExtension && (
        <View id="pending-extension">
          <View className="op-form__title">延期申请</View>
          <View className="pre-wrap">理由：{t.pendingExtension.reason}</View>
          {t.pendingExtension.days ? <ExtensionAsked detail={detail} days={t.pendingExtension.days} /> : null}
        </View>
      )}
      {kind === 'reviewResult' && t.reply && (
        <View id="pending-result">
          <View className="op-form__title">办理结果</View>
          <View className="pre-wrap">{t.reply.result}</View>
          <View className="muted">经办人：{t.reply.handler}{t.reply.legalBasis ? ` · 依据：${t.reply.legalBasis}` : ''}</View>
          {t.reply.caseNumber && <View className="muted">立案号：{t.reply.caseNumber}（{t.reply.caseDate}）</View>}
          {t.reply.noCaseReason && <View className="muted">不予立案理由：{t.reply.noCaseReason}</View>}
        </View>
      )}
      <TemplatePicker kind="review" onPick={(v) => { setNote(v); setProblem(''); }} />
      <Note
        id={`${kind}-note`}
        value={note}
        onChange={(v) => {
          setNote(v);
          if (v.trim()) setProblem('');
        }}
        placeholder="审核意见（驳回时必填，将告知承办单位）"
      />
      {problem && <View className="form-error" id={`${kind}-problem`}>{problem}</View>}
      <View className="row">
        <Button id={`${kind}-approve`} type={choice === 'approve' ? 'primary' : 'default'} size="small" disabled={busy} onClick={() => choose('approve')}>
          {text.approve}
        </Button>
        <Button id={`${kind}-reject`} type={choice === 'reject' ? 'primary' : 'default'} size="small" disabled={busy} onClick={() => choose('reject')}>
          {text.reject}
        </Button>
      </View>
      {choice && (
        <View className="notice" id={`${kind}-consequence`}>
          <View>{REVIEW_CONSEQUENCE[kind][choice]}</View>
          <View className="row">
            <Button id={`${kind}-confirm`} type="primary" size="small" loading={busy} onClick={confirm}>
              确认{choice === 'approve' ? text.approve : text.reject}
            </Button>
            <Button id={`${kind}-cancel`} size="small" disabled={busy} onClick={() => setChoice(null)}>
              取消
            </Button>
          </View>
        </View>
      )}
    </View>
  );
}

/** A 不满意 is archived only with the platform's conclusion or explanation (pingli 20, baiyin 17). */
function needsConclusion(detail: OperatorDetail): boolean {
  const t = detail.ticket;
  if (t.state === 'dissatisfied') return true;
  const last = t.ratings.find((r) => r.round === t.counters.reworks);
  return t.state === 'resolved' && !!last && detail.rating.options.some((o) => o.value === last.value && o.dissatisfied);
}

function ConcludeForm({ detail, busy, run }: FormProps) {
  const [note, setNote] = useState('');
  const final = detail.ticket.state === 'dissatisfied';
  return (
    <View className="op-form" id="form-close">
      <View className="op-form__title">{final ? '回访了解的原因和平台的处理结论' : '诉求人不满意：向诉求人所作的说明'}</View>
      <Note id="close-note" value={note} max={LIMITS.note} onChange={setNote} placeholder="必填，将记入办理记录" />
      <Button id="close-submit" type="primary" size="small" loading={busy} disabled={!note.trim()} onClick={() => void run({ type: 'close', note: note.trim() }, '已归档')}>
        确认归档
      </Button>
    </View>
  );
}

/** The revisit itself: how, what came of it and the requester's own words; no rating (issue 15). */
function RevisitRecordForm({ busy, run }: FormProps) {
  const [method, setMethod] = useState<'phone' | 'sms' | 'online'>('phone');
  const [result, setResult] = useState('');
  const [words, setWords] = useState('');
  return (
    <View className="op-form" id="form-recordRevisit">
      <View className="op-form__title">回访方式</View>
      <View className="chip-group">
        {REVISIT_METHODS.map((m) => (
          <View key={m.value} id={`record-method-${m.value}`} className={`chip${method === m.value ? ' chip--active' : ''}`} onClick={() => setMethod(m.value)}>
            {m.label}
          </View>
        ))}
      </View>
      <Note id="record-result" value={result} max={LIMITS.reason} onChange={setResult} placeholder="回访结果（必填）" />
      <Note id="record-words" value={words} max={LIMITS.reason} onChange={setWords} placeholder="诉求人原话（可选）" />
      <Button id="recordRevisit-submit" type="primary" size="small" loading={busy} disabled={!result.trim()} onClick={() => void run({ type: 'recordRevisit', method, result: result.trim(), ...(words.trim() ? { words: words.trim() } : {}) }, '已记录回访')}>
        保存回访记录
      </Button>
    </View>
  );
}

function HandOffForm({ detail, busy, run }: FormProps) {
  const h = detail.emergencyHandOff;
  const [line, setLine] = useState('');
  const [note, setNote] = useState('');
  return (
    <View className="op-form" id="form-handOffEmergency">
      <View className="op-form__title">转交的紧急服务专线</View>
      <View className="chip-group">
        {h.lines.map((l) => (
          <View key={l.line} id={`handoff-line-${l.line}`} className={`chip${line === l.line ? ' chip--active' : ''}`} onClick={() => setLine(l.line)}>
            {l.label}
          </View>
        ))}
      </View>
      <View className="field__hint" id="handoff-after">
        {h.after === 'close' ? '转交后本诉求结束办理' : '转交后本诉求继续跟踪办理'}（{h.citation.article}）
      </View>
      <Note id="handoff-note" value={note} onChange={setNote} placeholder="转交说明（可选）" />
      <Button id="handOffEmergency-submit" type="primary" size="small" loading={busy} disabled={!line} onClick={() => void run({ type: 'handOffEmergency', line, ...(note.trim() ? { note: note.trim() } : {}) }, '已转交应急专线')}>
        确认转交
      </Button>
    </View>
  );
}

function RevisitForm({ detail, busy, run }: FormProps) {
  const options = detail.rating.options;
  const [value, setValue] = useState('');
  const [method, setMethod] = useState<'phone' | 'sms' | 'online'>(detail.ticket.channel === 'phone' ? 'phone' : 'phone');
  const [reason, setReason] = useState('');
  const option = options.find((o) => o.value === value);
  const needsReason = !!option?.dissatisfied;
  return (
    <View className="op-form" id="form-revisit">
      <View className="op-form__title">回访方式</View>
      <ChipGroup idPrefix="revisit-method" options={REVISIT_METHODS} value={method} onChange={setMethod} />
      <View className="op-form__title op-form__title--gap">诉求人的评价</View>
      <ChipGroup idPrefix="revisit-option" options={options.map((o) => ({ value: o.value, label: o.label }))} value={value} onChange={setValue} />
      {detail.rating.citation && <View className="field__hint">评价标准：{detail.rating.citation.article}</View>}
      <Note id="revisit-reason" value={reason} max={LIMITS.reason} onChange={setReason} placeholder={needsReason ? '不满意的原因（必填）' : '回访记录（可选）'} />
      <Button
        id="revisit-submit"
        type="primary"
        size="small"
        loading={busy}
        disabled={!value || (needsReason && !reason.trim())}
        onClick={() => void run({ type: 'revisit', value, method, ...(reason.trim() ? { reason: reason.trim() } : {}) }, '已记录回访')}
      >
        记录回访
      </Button>
    </View>
  );
}

/**
 * Unclear duties (baiyin 11(3), hohhot 15(3)/20/21, pingli 9, linyi 15(3)): the platform decides
 * the unit and records the basis; that unit cannot return it afterwards. The profile's fallback
 * (hohhot: the first lead unit, 首接负责制) is offered where the regulation names one.
 */
function CoordinateForm({ detail, busy, run, units }: FormProps & { units: UnitRecord[] }) {
  const t = detail.ticket;
  const co = detail.coordination;
  const fallbackUnit = co?.fallback?.rule === 'firstLeadUnit' ? t.firstLeadUnitId : undefined;
  const [unitId, setUnitId] = useState('');
  const [basis, setBasis] = useState('');
  const [problem, setProblem] = useState('');
  const name = (id: string) => units.find((u) => u.id === id)?.name ?? id;
  const pending = t.pendingCoordination ?? (t.pendingReturn ? { unitId: t.pendingReturn.unitId, reason: t.pendingReturn.reason, auto: false } : undefined);
  const submit = () => {
    if (!unitId && !fallbackUnit) return setProblem('请选择协调确定的承办单位');
    if (!basis.trim()) return setProblem('请填写协调确定的依据（会议纪要、职责清单等）');
    setProblem('');
    void run({ type: 'coordinate', ...(unitId ? { unitId } : {}), basis: basis.trim() }, '已协调确定承办单位');
  };
  return (
    <View className="op-form" id="form-coordinate">
      {pending && (
        <View id="coordinate-request">
          {name(pending.unitId)}{pending.auto ? '再次申请退回，已自动转入协调' : '申请协调'}：{pending.reason}
        </View>
      )}
      {co && <View className="field__hint" id="coordinate-citation">依据{co.citation.article}：{co.citation.text}</View>}
      <View className="op-form__title op-form__title--gap">承办单位</View>
      <View className="chip-group">
        {units.filter((u) => u.active).map((u) => (
          <View key={u.id} id={`coordinate-unit-${u.id}`} className={`chip${unitId === u.id ? ' chip--active' : ''}`} onClick={() => setUnitId(unitId === u.id ? '' : u.id)}>
            {u.name}
          </View>
        ))}
      </View>
      {co?.fallback && fallbackUnit && (
        <View className="field__hint" id="coordinate-fallback">
          不选择时按{co.fallback.label}：{name(fallbackUnit)}（{co.fallback.citation.article}）
        </View>
      )}
      <Note id="coordinate-basis" value={basis} max={LIMITS.reason} onChange={setBasis} placeholder="协调确定的依据（必填，告知承办单位）" />
      {problem && <View className="form-error" id="coordinate-problem">{problem}</View>}
      <View className="muted">确定后，该单位不能再申请退回。</View>
      <Button id="coordinate-submit" type="primary" size="small" loading={busy} onClick={submit}>确定承办单位</Button>
    </View>
  );
}

const RELAY_RESULTS = [
  { value: 'reached', label: '已联系上' },
  { value: 'unreachable', label: '未能联系上' },
  { value: 'declined', label: '诉求人不愿沟通' },
] as const;

/**
 * The local privacy-number port: the unit may not see the requester, so the operator calls the
 * requester, connects the unit (三方通话) and records how it went. The record is the unit's contact.
 */
function RelayForm({ detail, busy, run, units }: FormProps & { units: UnitRecord[] }) {
  const relay = detail.ticket.relay;
  const [result, setResult] = useState<(typeof RELAY_RESULTS)[number]['value'] | ''>('');
  const [note, setNote] = useState('');
  if (!relay) return null;
  const unit = units.find((u) => u.id === relay.unitId)?.name ?? relay.unitId;
  return (
    <View className="op-form" id="form-relayDone">
      <View className="op-form__title">平台转接联系</View>
      <View id="relay-request">
        {unit} 于 {formatTime(relay.at)} 申请平台转接：{relay.note}
      </View>
      <View id="relay-requester">诉求人电话：<Text id="relay-requester-phone">{detail.ticket.requester.phone ?? '未留电话'}</Text></View>
      <View className="field__hint">请拨打诉求人电话并转接承办单位，不要把诉求人的号码告诉承办单位。</View>
      <View className="op-form__title op-form__title--gap">转接结果</View>
      <View className="chip-group">
        {RELAY_RESULTS.map((r) => (
          <View key={r.value} id={`relay-result-${r.value}`} className={`chip${result === r.value ? ' chip--active' : ''}`} onClick={() => setResult(r.value)}>
            {r.label}
          </View>
        ))}
      </View>
      <Note id="relay-note" value={note} onChange={setNote} placeholder="通话情况（必填，承办单位可见）" />
      <Button id="relayDone-submit" type="primary" size="small" loading={busy} disabled={!result || !note.trim()} onClick={() => void run({ type: 'relayDone', result: result as 'reached', note: note.trim() }, '已记录转接结果')}>
        记录转接结果
      </Button>
    </View>
  );
}

/**
 * A reason the command cannot go without (rework): an empty one is refused with a message.
 * Termination has its own form (terminate.tsx): a ground, a reason and a confirmation.
 */
function ReasonForm({ busy, run, kind, label, done }: FormProps & { kind: 'requestRework'; label: string; done: string }) {
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState('');
  const submit = () => {
    if (!reason.trim()) return setProblem('请填写理由，理由将告知诉求人和承办单位。');
    setProblem('');
    void run({ type: kind, reason: reason.trim() }, done);
  };
  return (
    <View className="op-form" id={`form-${kind}`}>
      <View className="op-form__title">{label}</View>
      <Note
        id={`${kind}-reason`}
        value={reason}
        max={LIMITS.reason}
        onChange={(v) => {
          setReason(v);
          if (v.trim()) setProblem('');
        }}
        placeholder="请填写理由（必填）"
      />
      {problem && <View className="form-error" id={`${kind}-problem`}>{problem}</View>}
      <Button id={`${kind}-submit`} type="primary" size="small" loading={busy} disabled={busy} onClick={submit}>
        确认
      </Button>
    </View>
  );
}

function SuperviseForm({ detail, busy, run }: FormProps) {
  const current = detail.ticket.supervision.level;
  const [level, setLevel] = useState(current + 1);
  const [method, setMethod] = useState<(typeof SUPERVISE_METHODS)[number]['value']>('system');
  const [trigger, setTrigger] = useState<string>('');
  const [note, setNote] = useState('');
  return (
    <View className="op-form" id="form-supervise">
      <View className="op-form__title">督办级别{current > 0 ? `（当前：${detail.supervisionLevels[current - 1]}）` : ''}</View>
      <ChipGroup idPrefix="supervise-level" options={detail.supervisionLevels.map((name, i) => ({ value: i + 1, label: name, disabled: i + 1 <= current }))} value={level} onChange={setLevel} />
      <View className="op-form__title op-form__title--gap">督办方式</View>
      <ChipGroup idPrefix="supervise-method" options={SUPERVISE_METHODS} value={method} onChange={setMethod} />
      <View className="op-form__title op-form__title--gap">督办情形（可选）</View>
      <ChipGroup
        idPrefix="supervise-trigger"
        options={Object.entries(TRIGGER_LABELS).map(([code, label]) => ({ value: code, label }))}
        value={trigger}
        onChange={(code) => setTrigger(trigger === code ? '' : code)}
      />
      <Note id="supervise-note" value={note} onChange={setNote} placeholder="督办要求（可选）" />
      <Button
        id="supervise-submit"
        type="primary"
        size="small"
        loading={busy}
        disabled={level <= current || level > detail.supervisionLevels.length}
        onClick={() => void run({ type: 'supervise', level, method, ...(trigger ? { trigger } : {}), ...(note.trim() ? { note: note.trim() } : {}) }, `已${detail.supervisionLevels[level - 1] ?? '督办'}`)}
      >
        发出督办
      </Button>
    </View>
  );
}

function EscalateForm({ detail, busy, run }: FormProps) {
  const [note, setNote] = useState('');
  return (
    <View className="op-form" id="form-escalate">
      <View className="op-form__title">督办后仍未解决：{detail.escalation}</View>
      <Note id="escalate-note" value={note} onChange={setNote} placeholder="提请说明（可选）" />
      <Button id="escalate-submit" type="primary" size="small" loading={busy} onClick={() => void run({ type: 'escalate', ...(note.trim() ? { note: note.trim() } : {}) }, '已提请')}>
        确认提请
      </Button>
    </View>
  );
}

function PauseForm({ detail, busy, run }: FormProps) {
  const [code, setCode] = useState('');
  const [note, setNote] = useState('');
  const pause = detail.clockPauses.find((p) => p.code === code);
  return (
    <View className="op-form" id="form-pauseClock">
      <View className="op-form__title">暂停计时的情形</View>
      <ChipGroup idPrefix="pause" options={detail.clockPauses.map((p) => ({ value: p.code, label: p.label }))} value={code} onChange={setCode} />
      {pause && <View className="field__hint">{pause.citation.article}：{pause.citation.text}</View>}
      <Note id="pauseClock-note" value={note} onChange={setNote} placeholder="说明（可选）" />
      <Button id="pauseClock-submit" type="primary" size="small" loading={busy} disabled={!code} onClick={() => void run({ type: 'pauseClock', code, ...(note.trim() ? { note: note.trim() } : {}) }, '已暂停计时')}>
        暂停计时
      </Button>
    </View>
  );
}
