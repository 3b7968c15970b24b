import { DomainError } from '../../../shared/errors';
import { resolveWxCloud, type WxCloudSource } from './wxCloud';

/** What WeChat accepts in a scene: at most 32 of digits, letters and !#$&'()*+,/:;=?@-._~ (visible ASCII). */
export const SCENE_PATTERN = /^[0-9A-Za-z!#$&'()*+,/:;=?@._~-]{1,32}$/;
/** A page path of the released mini-program, without a leading slash or a query. */
export const PAGE_PATTERN = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/;

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function checkScene(scene: string): void {
  if (typeof scene !== 'string' || !SCENE_PATTERN.test(scene)) {
    throw new DomainError('invalid-input', '场景值须为1至32个可见字符（字母、数字或 !#$&\'()*+,/:;=?@-._~）');
  }
}

/**
 * A mini-program code (PNG) that opens `page` with `scene` (`wxacode.getUnlimited`; the page reads
 * it from the `scene` launch parameter with decodeURIComponent). `checkPath: false` so a code can
 * be made before the page is released. Needs the `wxacode.getUnlimited` openapi permission.
 */
export async function miniProgramCode(scene: string, page: string, cloud?: WxCloudSource): Promise<Uint8Array> {
  checkScene(scene);
  const path = page.replace(/^\//, '');
  if (!PAGE_PATTERN.test(path)) throw new DomainError('invalid-input', '页面路径不正确（不带参数，如 pages/submit/index）');
  const { openapi } = await resolveWxCloud(cloud);
  const res = await openapi.wxacode.getUnlimited({ scene, page: path, checkPath: false });
  const bytes = res.buffer;
  if ((res.errCode !== undefined && res.errCode !== 0) || !bytes || !PNG.every((b, i) => bytes[i] === b)) {
    throw new Error(`wxacode.getUnlimited returned no PNG (${res.errCode ?? ''} ${res.errMsg ?? ''} ${res.contentType ?? ''})`.trim());
  }
  return new Uint8Array(bytes);
}
