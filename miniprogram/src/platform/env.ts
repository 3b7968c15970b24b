/**
 * Which build this is. `process.env.TARO_ENV` is replaced at build time, so each build keeps only
 * its own branch of every `if (IS_WEAPP)` in this folder.
 */
export type Target = 'weapp' | 'h5';
export const TARGET: Target = process.env.TARO_ENV === 'weapp' ? 'weapp' : 'h5';
export const IS_WEAPP = process.env.TARO_ENV === 'weapp';
export const IS_H5 = process.env.TARO_ENV === 'h5';

/**
 * 背景: on weapp the caller is known by OPENID inside every cloud call; the browser has no such
 * identity, so h5 signs in as one of the local runtime's demo users and sends a Bearer token.
 * 复现路径: open the h5 build in a fresh profile → every call but auth.demoUsers answers `unauthenticated`.
 */
export const NEEDS_SIGN_IN = IS_H5;

/** weapp records with the native component `components/native-recorder`; h5 with MediaRecorder. */
export const NATIVE_RECORDER = IS_WEAPP;
