/// <reference types="@tarojs/taro" />

declare module '*.png';
declare module '*.jpg';
declare module '*.svg';
declare module '*.css';
declare module '*.scss';

declare namespace NodeJS {
  interface ProcessEnv {
    NODE_ENV: 'development' | 'production';
    TARO_ENV: 'weapp' | 'h5';
  }
}

/** The native voice recorder (weapp only): src/components/native-recorder. */
declare namespace React {
  namespace JSX {
    interface IntrinsicElements {
      'native-recorder': {
        id?: string;
        maxDuration?: number;
        disabled?: boolean;
        onStop?: (e: { detail: { tempFilePath: string; durationSec: number; fileSize: number; reason: 'release' | 'max' } }) => void;
        onError?: (e: { detail: { code: string; message: string } }) => void;
        onDenied?: () => void;
        onStart?: () => void;
      };
    }
  }
}
