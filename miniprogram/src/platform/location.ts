/** Where the user is, or the place they pick. */
import Taro from '@tarojs/taro';
import { IS_WEAPP } from './env';
import { PlatformError } from './errors';

export interface PickedLocation {
  address?: string;
  lat: number;
  lng: number;
}

/**
 * 背景: weapp has a map picker (chooseLocation) that returns the address; it needs
 * `requiredPrivateInfos` in app.json. The browser only gives coordinates (geolocation, https only).
 * 复现路径: remove requiredPrivateInfos and call chooseLocation → "chooseLocation:fail the api need to be declared".
 */
export async function pickLocation(): Promise<PickedLocation> {
  if (IS_WEAPP) {
    const res = await Taro.chooseLocation({});
    return { address: [res.address, res.name].filter(Boolean).join(' '), lat: res.latitude, lng: res.longitude };
  }
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) {
      reject(new PlatformError('unsupported', '当前浏览器不支持定位，请手动填写地址'));
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lat: Math.round(p.coords.latitude * 1e6) / 1e6, lng: Math.round(p.coords.longitude * 1e6) / 1e6 }),
      () => reject(new PlatformError('denied', '无法获取位置，请手动填写地址')),
      { timeout: 10000 },
    );
  });
}
