import { useDidShow, useLaunch } from '@tarojs/taro';
import type { PropsWithChildren } from 'react';
import { flushDrafts, startDraftSync } from './drafts/sync';
import { initPlatform } from './platform';
import { refreshUser } from './session';
import './app.scss';

export default function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    initPlatform();
    void refreshUser().then(() => startDraftSync());
  });
  useDidShow(() => flushDrafts());
  return children;
}
