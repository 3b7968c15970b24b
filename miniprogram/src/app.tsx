import { useDidShow, useLaunch } from '@tarojs/taro';
import type { PropsWithChildren } from 'react';
import { flushDrafts, startDraftSync } from './drafts/sync';
import { initPlatform, onPageCodeMissing } from './platform';
import { refreshUser } from './session';
import { toast } from './util/nav';
import './app.scss';

export default function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    initPlatform();
    onPageCodeMissing(() => toast('网络不可用，这个页面暂时打不开，请联网后再试'));
    void refreshUser().then(() => startDraftSync());
  });
  useDidShow(() => flushDrafts());
  return children;
}
