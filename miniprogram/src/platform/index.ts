/**
 * Every difference between WeChat (weapp) and the browser (h5) lives in this folder, one file per
 * concern, and nowhere else. Each quirk carries a "背景 / 复现路径" note: why the code looks the way
 * it does, and how to see it. Callers import the folder (`import * as platform from '…/platform'`).
 *
 * `process.env.TARO_ENV` is replaced at build time, so each build keeps only its own branch.
 */
export * from './env';
export * from './errors';
export * from './files';
export * from './storage';
export * from './startup';
export * from './transport';
export * from './upload';
export * from './keptFiles';
export * from './media';
export * from './recorder';
export * from './scene';
export * from './network';
export * from './location';
export * from './subscription';
export * from './canvas';
export * from './saving';
export * from './leaveGuard';
export * from './share';
export * from './chunks';
export * from './phone';
