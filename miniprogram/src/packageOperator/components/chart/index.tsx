/**
 * A chart on a Taro `<Canvas type="2d">`, drawn by uCharts (@qiun/ucharts), the same code on weapp and h5.
 *
 * Why uCharts: it draws on any standard 2D context (it shims the old wx canvas API itself with
 * `canvas2d: true`), so one wrapper serves both targets; it is ≈130 KB minified. @antv/f2 5.x was
 * the other candidate: it bundles the G rendering engine (≈480 KB minified for one bar chart) and
 * ships its own JSX runtime. The ECharts wrappers for Taro need the whole of ECharts (≥ 1 MB)
 * inside a 2 MB subpackage.
 */
import { Canvas, View } from '@tarojs/components';
import UCharts, { type UChartsOptions } from '@qiun/ucharts';
import { useEffect, useState } from 'react';
import * as platform from '../../../platform';
import './index.scss';

type Options = Omit<UChartsOptions, 'context' | 'width' | 'height' | 'pixelRatio' | 'canvas2d'>;

export default function OpChart({ id, options, height = 220 }: { id: string; options: Options; height?: number }) {
  const key = JSON.stringify(options);
  const [state, setState] = useState<'drawing' | 'drawn' | 'failed'>('drawing');
  useEffect(() => {
    let live = true;
    setState('drawing');
    void platform.canvas2d(id).then((c) => {
      if (!live) return;
      if (!c) return setState('failed');
      try {
        new UCharts({
          animation: false,
          background: '#FFFFFF',
          fontSize: 12,
          ...options,
          // uCharts works in device pixels: sizes and fonts are multiplied by pixelRatio inside.
          context: c.context,
          width: c.width * c.pixelRatio,
          height: c.height * c.pixelRatio,
          pixelRatio: c.pixelRatio,
          canvas2d: true,
        });
        setState('drawn');
      } catch {
        setState('failed');
      }
    });
    return () => {
      live = false;
    };
    // Redrawn when the data change, not on every render.
  }, [id, key]);
  return (
    <View className="op-chart" id={`${id}-box`} data-state={state}>
      <Canvas type="2d" id={id} className="op-chart__canvas" style={{ height: `${height}px` }} />
    </View>
  );
}
