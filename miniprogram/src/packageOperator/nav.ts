/** The operator's pages, in one place (the subpackage's own list; the main package's is util/nav.ts). */
import Taro from '@tarojs/taro';

export const OP_PAGES = {
  queue: '/packageOperator/pages/queue/index',
  intake: '/packageOperator/pages/intake/index',
  ticket: '/packageOperator/pages/ticket/index',
  board: '/packageOperator/pages/board/index',
  dashboard: '/packageOperator/pages/dashboard/index',
  admin: '/packageOperator/pages/admin/index',
  poster: '/packageOperator/pages/poster/index',
  messages: '/packageOperator/pages/messages/index',
} as const;

export type OpPage = keyof typeof OP_PAGES;

export function opUrl(page: OpPage, params: Record<string, string | number | undefined> = {}): string {
  const q = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');
  return q ? `${OP_PAGES[page]}?${q}` : OP_PAGES[page];
}

export function opGo(page: OpPage, params?: Record<string, string | number | undefined>) {
  return Taro.navigateTo({ url: opUrl(page, params) });
}

/** Between the operator's top pages (工作台, 督办, 统计, 管理, 消息): no growing page stack. */
export function opSwitch(page: OpPage, params?: Record<string, string | number | undefined>) {
  return Taro.redirectTo({ url: opUrl(page, params) });
}

/** Back to the page that opened this one, or to `fallback` when this page was opened directly. */
export function opBack(fallback: OpPage) {
  return Taro.getCurrentPages().length > 1 ? Taro.navigateBack() : opSwitch(fallback);
}
