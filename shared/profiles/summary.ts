import { formatSpan } from '../workflow/deadlineRules';
import type { Citation, PolicyProfile, RequestType, Span, Urgency } from './schema';

/**
 * A profile as a list of rules a person reads ("投诉·一般: 10个工作日（第十条第三款）"), so that a
 * switch of regulation or an override can be confirmed with what changes, item by item.
 */
export interface RuleLine {
  key: string;
  label: string;
  value: string;
}

/** One item that a switch or an override changes. */
export interface RuleChange {
  key: string;
  label: string;
  from: string | null;
  to: string | null;
}

const TYPE_LABELS: Record<RequestType, string> = { consultation: '咨询', help: '求助', complaint: '投诉', report: '举报', suggestion: '建议' };
const URGENCY_LABELS: Record<Urgency, string> = { normal: '一般', urgent: '紧急', emergency: '突发' };

const cited = (c: Citation) => `（${c.article}${c.platformSet ? '，平台设定' : ''}）`;
const rule = (r: (Span & { citation: Citation }) | null | undefined) => (r ? `${formatSpan(r)}${cited(r.citation)}` : '未规定');

export function ruleLines(p: PolicyProfile): RuleLine[] {
  const lines: RuleLine[] = [{ key: 'regulation', label: '适用条例', value: `《${p.regulation}》` }];
  for (const type of p.requestTypes) {
    for (const urgency of ['normal', 'urgent', 'emergency'] as const) {
      lines.push({ key: `deadline.${type}.${urgency}`, label: `办理时限·${TYPE_LABELS[type]}·${URGENCY_LABELS[urgency]}`, value: rule(p.handling.deadlines[type]?.[urgency]) });
    }
  }
  if (p.handling.response) {
    for (const urgency of ['normal', 'urgent'] as const) {
      lines.push({ key: `response.${urgency}`, label: `办结或者反馈办理情况·${URGENCY_LABELS[urgency]}`, value: rule(p.handling.response[urgency]) });
    }
  }
  const ext = p.extension;
  lines.push(
    { key: 'intake.accept', label: '受理时限', value: rule(p.intake.acceptWithin) },
    { key: 'intake.transfer', label: '转办时限', value: rule(p.intake.transferWithin) },
    { key: 'handling.sign', label: '签收时限', value: rule(p.handling.signWithin) },
    { key: 'handling.return', label: '申请退回', value: `${rule(p.handling.returnWithin)}${p.handling.returnNeedsProof ? '，须附证明材料' : ''}` },
    { key: 'handling.emergency', label: '突发事件响应', value: rule(p.handling.emergencyResponse) },
    { key: 'handling.utilities', label: '水电气热', value: p.handling.utilities ? rule(p.handling.utilities.rule) : '未规定' },
    ...(p.handling.utilities?.response ? [{ key: 'handling.utilities.response', label: '水电气热响应', value: rule(p.handling.utilities.response) }] : []),
    {
      key: 'extension',
      label: '延期',
      value: ext.allowed ? `最多${ext.maxCount ?? '不限'}次，每次${ext.length === 'original' ? '与原时限相同' : formatSpan(ext.length)}${ext.totalCap ? `，累计不超过${formatSpan(ext.totalCap)}` : ''}${cited(ext.citation)}` : '不允许',
    },
    { key: 'rework', label: '重办', value: `最多${p.rework.maxCount}次${cited(p.rework.citation)}，${formatSpan(p.rework.deadline)}${cited(p.rework.deadline.citation)}` },
    { key: 'rating', label: '评价', value: `${p.rating.options.map((o) => o.label).join(' / ')}${cited(p.rating.citation)}` },
    { key: 'supervision.levels', label: '督办', value: `${p.supervision.levels.join(' → ')}；${p.supervision.escalation.label}` },
    { key: 'supervision.repeated', label: '多次反映督办', value: `${p.supervision.repeatedRequester.withinDays}天内${p.supervision.repeatedRequester.count}次（平台设定）` },
    { key: 'supervision.many', label: '多人反映督办', value: `${p.supervision.manyRequesters.withinDays}天内${p.supervision.manyRequesters.count}人（平台设定）` },
    { key: 'termination', label: '终止办理', value: p.termination.grounds.length ? p.termination.grounds.map((g) => `${g.label}（${g.citation.article}${g.by.includes('platform') ? '' : '，由承办单位申请'}）`).join('；') : '条例未列明情形' },
    { key: 'intake.grounds', label: '不予受理', value: `${p.intake.nonAcceptanceGrounds.length}种情形` },
    { key: 'clockPauses', label: '暂停计时', value: p.clockPauses.length ? p.clockPauses.map((c) => `${c.label}（${c.citation.article}）`).join('；') : '无' },
  );
  return lines;
}

/** The items that differ between two profiles, in the order of `ruleLines`. */
export function ruleChanges(from: PolicyProfile, to: PolicyProfile): RuleChange[] {
  const before = new Map(ruleLines(from).map((l) => [l.key, l]));
  const after = ruleLines(to);
  const changes: RuleChange[] = [];
  for (const l of after) {
    const b = before.get(l.key);
    if (b?.value !== l.value) changes.push({ key: l.key, label: l.label, from: b?.value ?? null, to: l.value });
    before.delete(l.key);
  }
  for (const b of before.values()) changes.push({ key: b.key, label: b.label, from: b.value, to: null });
  return changes;
}

/** A number the platform may set: its override path, what it is, its value and the article that delegates it. */
export interface OverridableNumber {
  path: string;
  label: string;
  value: number;
  /** The span's unit in Chinese, when the number is a span's amount. */
  unit?: string;
  article?: string;
}

const UNIT_LABELS: Record<Span['unit'], string> = { hours: '小时', workingDays: '个工作日', calendarDays: '天', calendarMonths: '个月' };

/**
 * The numbers `applyOverrides` accepts: each span amount under a platform-set citation, and the
 * supervision thresholds the schema declares platform-set.
 */
export function overridableNumbers(p: PolicyProfile): OverridableNumber[] {
  const out: OverridableNumber[] = [];
  const span = (path: string, label: string, r: (Span & { citation: Citation }) | null | undefined) => {
    if (r && r.citation.platformSet && r.unit !== 'calendarMonths') out.push({ path: `${path}.amount`, label, value: r.amount, unit: UNIT_LABELS[r.unit], article: r.citation.article });
  };
  for (const type of p.requestTypes) {
    for (const urgency of ['normal', 'urgent', 'emergency'] as const) span(`handling.deadlines.${type}.${urgency}`, `办理时限·${TYPE_LABELS[type]}·${URGENCY_LABELS[urgency]}`, p.handling.deadlines[type]?.[urgency]);
  }
  span('intake.acceptWithin', '受理时限', p.intake.acceptWithin);
  span('intake.transferWithin', '转办时限', p.intake.transferWithin);
  span('handling.signWithin', '签收时限', p.handling.signWithin);
  span('handling.returnWithin', '申请退回时限', p.handling.returnWithin);
  span('handling.emergencyResponse', '突发事件响应', p.handling.emergencyResponse);
  if (p.handling.utilities) span('handling.utilities.rule', '水电气热办理', p.handling.utilities.rule);
  if (p.handling.utilities?.response) span('handling.utilities.response', '水电气热响应', p.handling.utilities.response);
  if (p.handling.response) for (const urgency of ['normal', 'urgent'] as const) span(`handling.response.${urgency}`, `办结或者反馈办理情况·${URGENCY_LABELS[urgency]}`, p.handling.response[urgency]);
  span('rework.deadline', '重办时限', p.rework.deadline);
  const ext = p.extension;
  if (ext.allowed && ext.citation.platformSet) {
    if (ext.maxCount !== null) out.push({ path: 'extension.maxCount', label: '延期·最多次数', value: ext.maxCount, unit: '次', article: ext.citation.article });
    if (ext.length !== 'original' && ext.length.unit !== 'calendarMonths') out.push({ path: 'extension.length.amount', label: '延期·每次时长', value: ext.length.amount, unit: UNIT_LABELS[ext.length.unit], article: ext.citation.article });
  }
  if (p.rework.citation.platformSet) out.push({ path: 'rework.maxCount', label: '重办·最多次数', value: p.rework.maxCount, unit: '次', article: p.rework.citation.article });
  const s = p.supervision;
  out.push(
    { path: 'supervision.repeatedRequester.count', label: '多次反映督办·次数', value: s.repeatedRequester.count, unit: '次' },
    { path: 'supervision.repeatedRequester.withinDays', label: '多次反映督办·天数', value: s.repeatedRequester.withinDays, unit: '天' },
    { path: 'supervision.manyRequesters.count', label: '多人反映督办·人数', value: s.manyRequesters.count, unit: '人' },
    { path: 'supervision.manyRequesters.withinDays', label: '多人反映督办·天数', value: s.manyRequesters.withinDays, unit: '天' },
  );
  return out;
}
