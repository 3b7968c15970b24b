import type { Ticket } from '../../shared/contracts/ticket';
import type { Notice } from '../../shared/ports';
import type { NoticeTemplate } from '../../shared/workflow/effects';
import { publicLabel, staffLabel } from '../../shared/workflow/states';
import { formatShanghai, formatShanghaiDate } from '../../shared/calendar';

/** Cuts to at most `n` characters (code points), ending with an ellipsis when cut. */
export function clip(s: string, n: number): string {
  const chars = [...s];
  return chars.length <= n ? s : `${chars.slice(0, n - 1).join('')}…`;
}

/** Cuts without a mark: `phrase` and `character_string` fields refuse an ellipsis. */
export function cut(s: string, n: number): string {
  return [...s].slice(0, n).join('');
}

const PHRASE: Record<NoticeTemplate, string> = {
  progress: '进度更新',
  assigned: '待签收',
  dueSoon: '即将到期',
  overdue: '已超期',
  supervised: '督办',
  review: '待审核',
  warning: '风险预警',
};

/** A rework is assigned to a unit that has signed already: not 待签收 but 重新办理. */
function statusPhrase(template: NoticeTemplate, ticket: Ticket): string {
  if (template === 'assigned' && ticket.state !== 'dispatched' && ticket.counters.reworks > 0) return '重新办理';
  return PHRASE[template] ?? staffLabel(ticket.state);
}

/** Who a notice is for: it opens that role's own page (each subpackage's functions refuse other roles). */
export type NoticeAudience = 'requester' | 'staff' | 'operator';

const PAGE: Record<NoticeAudience, string> = {
  requester: 'pages/detail/index',
  staff: 'packageStaff/pages/ticket/index',
  operator: 'packageOperator/pages/ticket/index',
};

/** A notice about a ticket. `audience` true/false means requester/unit staff. */
export function noticeFor(template: NoticeTemplate, ticket: Ticket, summary: string, at: number, audience: NoticeAudience | boolean): Notice {
  const to: NoticeAudience = audience === true ? 'requester' : audience === false ? 'staff' : audience;
  return {
    template,
    ticketId: ticket.id,
    ticketNumber: ticket.number,
    title: ticket.title,
    status: to === 'requester' ? publicLabel(ticket.state) : statusPhrase(template, ticket),
    summary,
    at,
    page: `${PAGE[to]}?id=${ticket.id}`,
  };
}

/**
 * A risk warning to the operators (issue 18 §7; baiyin 20, hohhot 29: 风险预警): about no ticket,
 * so no number; it opens the board where the warnings are shown.
 */
export function warningNotice(label: string, at: number): Notice {
  return { template: 'warning', ticketId: '', ticketNumber: '', title: '诉求量异常升高', status: PHRASE.warning, summary: label, at, page: 'packageOperator/pages/board/index' };
}

/** What a template keyword can be filled with. */
export const NOTICE_FIELDS = ['title', 'number', 'status', 'time', 'summary'] as const;
export type NoticeField = (typeof NOTICE_FIELDS)[number];

/** One keyword of a subscription template (its name fixes its type: `thing1`, `time2`, …) and what fills it. */
export interface TemplateKeyword {
  key: string;
  field: NoticeField;
}

/** A notice's subscription template: the id chosen in the WeChat console and its keywords, in order. */
export interface TemplateConfig {
  id: string;
  keywords: readonly TemplateKeyword[];
}

export type TemplateConfigs = Partial<Record<NoticeTemplate, TemplateConfig>>;

/**
 * The keyword types that can carry each field (WeChat's types, by key prefix): text (`thing`,
 * ≤ 20), the ticket number (`character_string`, ≤ 32 visible ASCII), the status (`phrase`, ≤ 5
 * Chinese characters), the instant (`time` "2026年11月21日 15:01", `date` "2026年11月21日").
 */
const FIELD_TYPES: Readonly<Record<NoticeField, readonly string[]>> = {
  title: ['thing'],
  summary: ['thing'],
  number: ['character_string', 'thing'],
  status: ['phrase', 'thing'],
  time: ['time', 'date'],
};

const KEY_PATTERN = /^(thing|character_string|phrase|time|date)(\d{1,2})$/;

/** Subscription-message data for `keywords`, each value cut to its type's limit. */
export function templateData(n: Notice, keywords: readonly TemplateKeyword[]): Record<string, { value: string }> {
  const out: Record<string, { value: string }> = {};
  for (const { key, field } of keywords) {
    const type = KEY_PATTERN.exec(key)?.[1] ?? 'thing';
    const raw = field === 'title' ? n.title || '诉求' : field === 'summary' ? n.summary : field === 'number' ? n.ticketNumber : field === 'status' ? n.status : '';
    let value: string;
    if (type === 'time') value = formatShanghai(n.at);
    else if (type === 'date') value = formatShanghaiDate(n.at);
    else if (type === 'character_string') value = cut(raw.replace(/[^\x21-\x7e]/g, ''), 32);
    else if (type === 'phrase') value = cut(raw.replace(/[^\u4e00-\u9fa5]/g, '') || '更新', 5);
    else value = clip(raw, 20);
    out[key] = { value };
  }
  return out;
}

/** Template ids of the subscription messages (CloudBase env TPL_*); keywords in TPL_*_KEYS. */
export const TEMPLATE_ENV: Readonly<Record<NoticeTemplate, string>> = {
  progress: 'TPL_PROGRESS',
  assigned: 'TPL_ASSIGNED',
  dueSoon: 'TPL_DUE_SOON',
  overdue: 'TPL_OVERDUE',
  supervised: 'TPL_SUPERVISED',
  review: 'TPL_REVIEW',
  warning: 'TPL_WARNING',
};

export interface TemplateReading {
  /** The notices that can be sent. */
  templates: TemplateConfigs;
  /** One line per notice that will NOT be sent, saying why. */
  problems: string[];
}

/**
 * Parses `TPL_X_KEYS`: comma-separated `keyword:field` pairs, e.g.
 * `thing1:title,character_string2:number,phrase3:status,time4:time,thing5:summary`.
 * Returns the keywords or the reason they are refused.
 */
export function parseKeywords(spec: string): TemplateKeyword[] | string {
  const keywords: TemplateKeyword[] = [];
  for (const item of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [key = '', field = ''] = item.split(':').map((s) => s.trim());
    const type = KEY_PATTERN.exec(key)?.[1];
    if (!type) return `"${key}" is not a keyword WeChat names (thing/character_string/phrase/time/date + number)`;
    if (!(NOTICE_FIELDS as readonly string[]).includes(field)) return `"${item}": the field must be one of ${NOTICE_FIELDS.join(', ')}`;
    if (!FIELD_TYPES[field as NoticeField].includes(type)) return `"${item}": ${field} does not fit a ${type} keyword (use ${FIELD_TYPES[field as NoticeField].join(' or ')})`;
    if (keywords.some((k) => k.key === key)) return `"${key}" appears twice`;
    keywords.push({ key, field: field as NoticeField });
  }
  if (!keywords.length) return 'no keywords';
  return keywords;
}

/**
 * Every notice's template from TPL_<NOTICE> (the id) and TPL_<NOTICE>_KEYS (its keywords, as the
 * WeChat console lists them for that template). A notice with either missing or invalid is left
 * out, with the reason in `problems`: it is not sent, and nothing else is affected.
 */
export function readTemplates(env: NodeJS.ProcessEnv = process.env): TemplateReading {
  const templates: TemplateConfigs = {};
  const problems: string[] = [];
  for (const [notice, name] of Object.entries(TEMPLATE_ENV) as [NoticeTemplate, string][]) {
    const id = env[name]?.trim();
    const spec = env[`${name}_KEYS`]?.trim();
    if (!id) {
      problems.push(`${notice}: ${name} is not set, this notice is not sent`);
      continue;
    }
    if (!spec) {
      problems.push(`${notice}: ${name}_KEYS is not set (the template's keywords, e.g. thing1:title,time2:time), this notice is not sent`);
      continue;
    }
    const keywords = parseKeywords(spec);
    if (typeof keywords === 'string') {
      problems.push(`${notice}: ${name}_KEYS refused: ${keywords}; this notice is not sent`);
      continue;
    }
    templates[notice] = { id, keywords };
  }
  return { templates, problems };
}

/** The start-up log line: which notices go out with which template, and which do not. */
export function templateReport(r: TemplateReading): string {
  const ok = Object.entries(r.templates).map(([n, t]) => `${n}=${t.id} (${t.keywords.map((k) => `${k.key}:${k.field}`).join(',')})`);
  return `[templates] ${ok.length}/${Object.keys(TEMPLATE_ENV).length} subscription templates configured${ok.length ? `: ${ok.join('; ')}` : ''}`;
}

/** Template ids for `requestSubscribeMessage`: only the notices that can be sent. Empty locally. */
export function subscribeTemplates(env: NodeJS.ProcessEnv = process.env): Partial<Record<NoticeTemplate, string>> {
  const out: Partial<Record<NoticeTemplate, string>> = {};
  for (const [k, t] of Object.entries(readTemplates(env).templates) as [NoticeTemplate, TemplateConfig][]) out[k] = t.id;
  return out;
}
