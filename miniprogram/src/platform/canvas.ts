/** Drawing on a `<Canvas type="2d">` (the operators' charts and posters). */
import Taro from '@tarojs/taro';
import { IS_WEAPP } from './env';

/** A drawable canvas: the node, its 2D context, its CSS size and the device pixel ratio. */
export interface Canvas2d {
  canvas: { width: number; height: number; getContext(type: '2d'): unknown };
  context: unknown;
  width: number;
  height: number;
  pixelRatio: number;
}

function devicePixelRatio(): number {
  if (IS_WEAPP) {
    try {
      const info = (Taro as unknown as { getWindowInfo?: () => { pixelRatio: number } }).getWindowInfo?.() ?? Taro.getSystemInfoSync();
      return info.pixelRatio || 2;
    } catch {
      return 2;
    }
  }
  return typeof window !== 'undefined' ? window.devicePixelRatio || 1 : 1;
}

/**
 * The `<Canvas type="2d" id>` of a page as a standard 2D canvas, sized for the device's pixels.
 * 背景: weapp's type="2d" canvas is reached only through a selector query's node(); Taro's h5
 * implements the same query, but there `fields({ node, size })` returns the node alone (no size)
 * and the inner `<canvas>` of `taro-canvas-core` appears only after the web component renders.
 * So node and size are asked separately, and the query is retried for a moment.
 * 复现路径: h5, query `fields({ node: true, size: true })` right after mount → `{ node }` without
 * width, or `node: null` on the first frame.
 */
export async function canvas2d(id: string, tries = 20): Promise<Canvas2d | null> {
  for (let i = 0; i < tries; i++) {
    const found = await new Promise<Canvas2d | null>((resolve) => {
      const q = Taro.createSelectorQuery();
      q.select(`#${id}`).node();
      q.select(`#${id}`).boundingClientRect();
      q.exec((res: unknown[]) => {
        const node = (res?.[0] as { node?: Canvas2d['canvas'] } | null)?.node;
        const rect = res?.[1] as { width?: number; height?: number } | null;
        if (!node || !rect?.width || !rect?.height) return resolve(null);
        const pixelRatio = devicePixelRatio();
        node.width = Math.round(rect.width * pixelRatio);
        node.height = Math.round(rect.height * pixelRatio);
        resolve({ canvas: node, context: node.getContext('2d'), width: rect.width, height: rect.height, pixelRatio });
      });
    });
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
}
