/** Calling a number the server revealed (a unit contacting a non-confidential requester). */
import Taro from '@tarojs/taro';
import { IS_WEAPP } from './env';

/**
 * 背景: weapp dials with Taro.makePhoneCall (WeChat shows its own confirmation sheet; a cancel
 * rejects with "makePhoneCall:fail cancel", which is not an error to show). Taro's h5
 * makePhoneCall assigns `window.location.href = 'tel:…'`, which in some in-app browsers unloads
 * the single-page app; a `tel:` link clicked in place hands the number to the dialler and keeps
 * the page (a desktop browser without a dialler ignores it; the number stays on screen).
 * 复现路径: weapp: tap 拨打电话 and cancel the sheet → errMsg "makePhoneCall:fail cancel".
 */
export async function callPhone(phoneNumber: string): Promise<'dialled' | 'cancelled'> {
  if (!IS_WEAPP) {
    const a = document.createElement('a');
    a.href = `tel:${phoneNumber}`;
    a.id = 'tel-link';
    a.style.display = 'none';
    document.body.appendChild(a);
    a.click();
    a.remove();
    return 'dialled';
  }
  try {
    await Taro.makePhoneCall({ phoneNumber });
    return 'dialled';
  } catch (e) {
    if (/cancel/.test(String((e as { errMsg?: string }).errMsg ?? e))) return 'cancelled';
    throw e;
  }
}
