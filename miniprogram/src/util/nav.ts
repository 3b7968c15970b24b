/** Page paths in one place, so a renamed page is one edit. */
import Taro from '@tarojs/taro';

export const PAGES = {
  home: '/pages/home/index',
  submit: '/pages/submit/index',
  result: '/pages/result/index',
  mine: '/pages/mine/index',
  detail: '/pages/detail/index',
  lookup: '/pages/lookup/index',
  gridReport: '/packageGrid/pages/report/index',
  gridDrafts: '/packageGrid/pages/drafts/index',
} as const;

type PageName = keyof typeof PAGES;

export function pageUrl(page: PageName, params: Record<string, string | number | undefined> = {}): string {
  const q = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');
  return q ? `${PAGES[page]}?${q}` : PAGES[page];
}

export function go(page: PageName, params?: Record<string, string | number | undefined>) {
  return Taro.navigateTo({ url: pageUrl(page, params) });
}

export function replace(page: PageName, params?: Record<string, string | number | undefined>) {
  return Taro.redirectTo({ url: pageUrl(page, params) });
}

/** Back to the home page with a fresh page stack. */
export function goHome() {
  return Taro.reLaunch({ url: PAGES.home });
}

export function toast(title: string, icon: 'none' | 'success' = 'none') {
  void Taro.showToast({ title, icon, duration: 2500 });
}
