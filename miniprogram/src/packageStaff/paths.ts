/** The staff pages (subpackage `packageStaff`); the home page links here too. */
import Taro from '@tarojs/taro';

export const STAFF_PAGES = {
  inbox: '/packageStaff/pages/inbox/index',
  ticket: '/packageStaff/pages/ticket/index',
  action: '/packageStaff/pages/action/index',
  messages: '/packageStaff/pages/messages/index',
  bind: '/packageStaff/pages/bind/index',
} as const;

export type StaffPage = keyof typeof STAFF_PAGES;

export function staffUrl(page: StaffPage, params: Record<string, string | number | undefined> = {}): string {
  const q = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');
  return q ? `${STAFF_PAGES[page]}?${q}` : STAFF_PAGES[page];
}

export function goStaff(page: StaffPage, params?: Record<string, string | number | undefined>) {
  return Taro.navigateTo({ url: staffUrl(page, params) });
}

/** Back to the previous page, or to `page` when this one was opened directly (a notice, a shared link). */
export function backOr(page: StaffPage, params?: Record<string, string | number | undefined>) {
  if (Taro.getCurrentPages().length > 1) return Taro.navigateBack();
  return Taro.redirectTo({ url: staffUrl(page, params) });
}
