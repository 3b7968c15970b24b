/** The place or grid id a scanned QR code carries. */
import Taro from '@tarojs/taro';
import { IS_WEAPP } from './env';

const SCENE = /^[\x21-\x7e]{1,32}$/;

function cleanScene(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw === '') return null;
  let v = raw;
  try {
    v = decodeURIComponent(raw);
  } catch {
    return null;
  }
  return SCENE.test(v) ? v : null;
}

/**
 * The place/grid id carried by a scanned code, or null.
 * 背景 (weapp): a wxacode.getUnlimited code opens its page with `scene` in the page options,
 * URL-encoded (`a%3D1`), and on a cold start also in getLaunchOptionsSync().query.scene. The
 * launch options' own `scene` field is a number (the entry scene, 1047 = scanned a code), not ours.
 * 复现路径: DevTools → 编译模式 → 启动参数 `scene=BUS%2D12` → options.scene === 'BUS%2D12'.
 * 背景 (h5): the poster's URL carries `?scene=`; Taro's router params include it on the page
 * that opened, but `location.search` is the one source on a first load.
 */
let launchSceneRead = false;

export function readScene(pageParams: Record<string, string | undefined> = {}): string | null {
  const fromPage = cleanScene(pageParams.scene);
  if (fromPage) return fromPage;
  // 背景: the launch options (and the first URL) keep their scene for the whole run; read them once,
  // or every later visit to the home page would jump to the form again.
  // 复现路径: scan → form → 返回首页 (reLaunch) → the form opens again.
  if (launchSceneRead) return null;
  launchSceneRead = true;
  if (IS_WEAPP) {
    try {
      const launch = Taro.getLaunchOptionsSync();
      return cleanScene((launch.query as Record<string, unknown> | undefined)?.scene);
    } catch {
      return null;
    }
  }
  try {
    return cleanScene(new URLSearchParams(window.location.search).get('scene') ?? undefined);
  } catch {
    return null;
  }
}
