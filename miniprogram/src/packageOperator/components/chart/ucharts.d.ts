/** @qiun/ucharts ships no types: the options this app passes. */
declare module '@qiun/ucharts' {
  export interface UChartsOptions {
    type: 'column' | 'bar' | 'line' | 'area' | 'ring' | 'pie' | 'arcbar' | 'gauge' | 'radar' | 'mix';
    context: unknown;
    width: number;
    height: number;
    pixelRatio?: number;
    canvas2d?: boolean;
    animation?: boolean;
    background?: string;
    color?: string[];
    padding?: number[];
    fontSize?: number;
    categories?: string[];
    series: { name: string; data: number | number[] | (number | null)[]; color?: string; type?: string; format?: string }[];
    title?: { name?: string; fontSize?: number; color?: string };
    subtitle?: { name?: string; fontSize?: number; color?: string };
    legend?: Record<string, unknown>;
    xAxis?: Record<string, unknown>;
    yAxis?: Record<string, unknown>;
    dataLabel?: boolean;
    extra?: Record<string, unknown>;
  }
  export default class UCharts {
    constructor(opts: UChartsOptions);
  }
}
