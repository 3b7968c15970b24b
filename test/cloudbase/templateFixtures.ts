/** Subscription templates as an operator configures them (TPL_* and TPL_*_KEYS), for the sender tests. */
import { TEMPLATE_ENV, type TemplateConfig } from '../../cloudfunctions/lib/notices';
import type { NoticeTemplate } from '../../shared/workflow/effects';
import type { Notice } from '../../shared/ports';
import { T0 } from './helpers';

/** Keyword lists of the kind WeChat's library templates have: the names differ per template. */
export const TEMPLATE_KEYS: Readonly<Record<NoticeTemplate, string>> = {
  progress: 'character_string1:number,thing2:title,phrase3:status,time4:time,thing5:summary',
  assigned: 'thing1:title,character_string2:number,time3:time',
  dueSoon: 'thing2:title,date3:time,thing4:summary',
  overdue: 'character_string6:number,thing1:title,phrase2:status',
  supervised: 'thing1:title,thing3:summary,time7:time',
  review: 'thing1:title,phrase2:status,time3:time',
  warning: 'thing1:title,thing2:summary,phrase3:status,time4:time',
};

/** A complete TPL_* environment. */
export function templateEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [notice, name] of Object.entries(TEMPLATE_ENV) as [NoticeTemplate, string][]) {
    env[name] = `tpl-${notice}`;
    env[`${name}_KEYS`] = TEMPLATE_KEYS[notice];
  }
  return env;
}

function config(notice: NoticeTemplate): TemplateConfig {
  return {
    id: `tpl-${notice}`,
    keywords: TEMPLATE_KEYS[notice].split(',').map((pair) => {
      const [key, field] = pair.split(':');
      return { key: key!, field: field as TemplateConfig['keywords'][number]['field'] };
    }),
  };
}

export const testTemplates: Record<NoticeTemplate, TemplateConfig> = {
  progress: config('progress'),
  assigned: config('assigned'),
  dueSoon: config('dueSoon'),
  overdue: config('overdue'),
  supervised: config('supervised'),
  review: config('review'),
  warning: config('warning'),
};

/** A progress notice on a pingli ticket, as the notifier builds it. */
export const progressNotice: Notice = {

  template: 'progress',
  ticketId: 't-1',
  ticketNumber: 'PL202603020001',
  title: '小区门口路灯不亮',
  status: '办理中',
  summary: '承办单位已签收',
  at: T0,
  page: '/pages/detail/index?id=t-1',
};
