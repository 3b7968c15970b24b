/** Start-up: what must run before the first call to the cloud. */
import Taro from '@tarojs/taro';
import { IS_WEAPP } from './env';

declare const CLOUD_ENV: string;

let cloudReady = false;

/**
 * 背景: on weapp, `Taro.cloud` exists only after `cloud.init`; the env id comes from the build
 * (TARO_APP_CLOUD_ENV) or, when empty, the env the DevTools project is bound to.
 * 复现路径: callFunction before init → "cloud init error: ... please call wx.cloud.init first".
 */
export function initPlatform(): void {
  if (IS_WEAPP && !cloudReady) {
    const env = typeof CLOUD_ENV === 'string' && CLOUD_ENV ? CLOUD_ENV : undefined;
    Taro.cloud.init({ ...(env ? { env } : {}), traceUser: true });
    cloudReady = true;
  }
}
