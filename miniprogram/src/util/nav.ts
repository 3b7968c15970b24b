/**
 * The one navigation module: every page's path (main package and subpackages) and the moves
 * between them, so a renamed page is one edit. Subpackages import it from the main package.
 */
import Taro from '@tarojs/taro';

export const PAGES = {
  home: '/pages/home/index',
  submit: '/pages/submit/index',
  result: '/pages/result/index',
  mine: '/pages/mine/index',
  detail: '/pages/detail/index',
  lookup: '/pages/lookup/index',
  publicFigures: '/pages/public/index',
  gridReport: '/packageGrid/pages/report/index',
  gridDrafts: '/packageGrid/pages/drafts/index',
  gridUrgency: '/packageGrid/pages/urgency/index',
} as const;

/** The staff pages (subpackage `packageStaff`). */
export const STAFF_PAGES = {
  inbox: '/packageStaff/pages/inbox/index',
  ticket: '/packageStaff/pages/ticket/index',
  action: '/packageStaff/pages/action/index',
  messages: '/packageStaff/pages/messages/index',
  bind: '/packageStaff/pages/bind/index',
  kb: '/packageStaff/pages/kb/index',
} as const;

/** The operator's pages (subpackage `packageOperator`). */
export const OP_PAGES = {
  queue: '/packageOperator/pages/queue/index',
  intake: '/packageOperator/pages/intake/index',
  ticket: '/packageOperator/pages/ticket/index',
  board: '/packageOperator/pages/board/index',
  dashboard: '/packageOperator/pages/dashboard/index',
  admin: '/packageOperator/pages/admin/index',
  accounts: '/packageOperator/pages/accounts/index',
  poster: '/packageOperator/pages/poster/index',
  messages: '/packageOperator/pages/messages/index',
  briefing: '/packageOperator/pages/briefing/index',
  kb: '/packageOperator/pages/kb/index',
  cases: '/packageOperator/pages/cases/index',
} as const;

type PageName = keyof typeof PAGES;
export type StaffPage = keyof typeof STAFF_PAGES;
export type OpPage = keyof typeof OP_PAGES;
type Params = Record<string, string | number | undefined>;

function withQuery(path: string, params: Params = {}): string {
  const q = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');
  return q ? `${path}?${q}` : path;
}

/** Back to the page that opened this one, or to `fallback` when this page was opened directly (a notice, a shared link). */
function backOrTo(fallback: string) {
  return Taro.getCurrentPages().length > 1 ? Taro.navigateBack() : Taro.redirectTo({ url: fallback });
}

export const pageUrl = (page: PageName, params?: Params): string => withQuery(PAGES[page], params);
export const staffUrl = (page: StaffPage, params?: Params): string => withQuery(STAFF_PAGES[page], params);
export const opUrl = (page: OpPage, params?: Params): string => withQuery(OP_PAGES[page], params);

export function go(page: PageName, params?: Params) {
  return Taro.navigateTo({ url: pageUrl(page, params) });
}

export function replace(page: PageName, params?: Params) {
  return Taro.redirectTo({ url: pageUrl(page, params) });
}

/** Back to the home page with a fresh page stack. */
export function goHome() {
  return Taro.reLaunch({ url: PAGES.home });
}

export function goStaff(page: StaffPage, params?: Params) {
  return Taro.navigateTo({ url: staffUrl(page, params) });
}

/** Back to the previous page, or to the staff page `page` when this one was opened directly. */
export function backOr(page: StaffPage, params?: Params) {
  return backOrTo(staffUrl(page, params));
}

export function opGo(page: OpPage, params?: Params) {
  return Taro.navigateTo({ url: opUrl(page, params) });
}

/** Between the operator's top pages (工作台, 督办, 统计, 管理, 消息): no growing page stack. */
export function opSwitch(page: OpPage, params?: Params) {
  return Taro.redirectTo({ url: opUrl(page, params) });
}

/** Back to the page that opened this one, or to the operator page `fallback`. */
export function opBack(fallback: OpPage) {
  return backOrTo(opUrl(fallback));
}

export function toast(title: string, icon: 'none' | 'success' = 'none') {
  void Taro.showToast({ title, icon, duration: 2500 });
}
