/** Passing a text and a link on to someone else (an invite code to a new staff member). */
import Taro from '@tarojs/taro';
import { IS_WEAPP } from './env';

export interface ShareContent {
  title: string;
  text: string;
  /** The link to open; absent when only a mini-program code can carry it (weapp with 小程序码). */
  url?: string;
}

/** The text that stands for the whole share when it is pasted into a chat: the text, then the link. */
export function shareMessage(c: ShareContent): string {
  return c.url ? `${c.text}\n${c.url}` : c.text;
}

/**
 * On h5, the system's share sheet where the browser has one (`navigator.share`: mobile browsers,
 * Chrome on Windows and ChromeOS); elsewhere the message is copied to paste into a chat.
 * 背景: desktop Chromium on Linux has no `navigator.share`, and a share sheet the user closes
 * rejects with AbortError (nothing to do then). On weapp the share goes through the page's share
 * menu and `<Button openType="share">` (useShareAppMessage); this function only copies there.
 * 复现路径: Chromium on Linux, `typeof navigator.share` → "undefined".
 */
export async function shareOrCopy(c: ShareContent): Promise<'shared' | 'copied' | 'cancelled'> {
  if (!IS_WEAPP && typeof navigator !== 'undefined' && typeof navigator.share === 'function') {
    const data = { title: c.title, text: c.text, ...(c.url ? { url: c.url } : {}) };
    if (!navigator.canShare || navigator.canShare(data)) {
      try {
        await navigator.share(data);
        return 'shared';
      } catch (e) {
        if ((e as { name?: string }).name === 'AbortError') return 'cancelled';
        // NotAllowedError and the like: fall back to copying.
      }
    }
  }
  await Taro.setClipboardData({ data: shareMessage(c) });
  return 'copied';
}
