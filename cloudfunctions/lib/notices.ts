import type { Ticket } from '../../shared/contracts/ticket';
import type { Notice } from '../../shared/ports';
import type { NoticeTemplate } from '../../shared/workflow/effects';
import { publicLabel, staffLabel } from '../../shared/workflow/states';
import { formatShanghai } from '../../shared/calendar';

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
};

/** A notice about a ticket, for a requester or for staff. */
export function noticeFor(template: NoticeTemplate, ticket: Ticket, summary: string, at: number, forRequester: boolean): Notice {
  return {
    template,
    ticketId: ticket.id,
    ticketNumber: ticket.number,
    title: ticket.title,
    status: forRequester ? publicLabel(ticket.state) : PHRASE[template] ?? staffLabel(ticket.state),
    summary,
    at,
    page: forRequester ? `pages/detail/index?id=${ticket.id}` : `packageStaff/pages/ticket/index?id=${ticket.id}`,
  };
}

/**
 * Subscription-message fields within WeChat's limits: thing ≤ 20, character_string ≤ 32,
 * phrase ≤ 5 Chinese characters, time like "2026年11月21日 15:01".
 */
export function templateData(n: Notice): Record<string, { value: string }> {
  return {
    thing1: { value: clip(n.title || '诉求', 20) },
    character_string2: { value: cut(n.ticketNumber.replace(/[^A-Za-z0-9_-]/g, ''), 32) },
    phrase3: { value: cut(n.status.replace(/[^\u4e00-\u9fa5]/g, '') || '更新', 5) },
    time4: { value: formatShanghai(n.at) },
    thing5: { value: clip(n.summary, 20) },
  };
}

/** Template ids of the subscription messages (CloudBase env TPL_*), for `requestSubscribeMessage`. Empty locally. */
export const TEMPLATE_ENV: Readonly<Record<NoticeTemplate, string>> = {
  progress: 'TPL_PROGRESS',
  assigned: 'TPL_ASSIGNED',
  dueSoon: 'TPL_DUE_SOON',
  overdue: 'TPL_OVERDUE',
  supervised: 'TPL_SUPERVISED',
  review: 'TPL_REVIEW',
};

export function subscribeTemplates(env: NodeJS.ProcessEnv = process.env): Partial<Record<NoticeTemplate, string>> {
  const out: Partial<Record<NoticeTemplate, string>> = {};
  for (const [k, v] of Object.entries(TEMPLATE_ENV) as [NoticeTemplate, string][]) if (env[v]) out[k] = env[v];
  return out;
}
