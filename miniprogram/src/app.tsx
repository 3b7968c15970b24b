import { useDidShow, useLaunch } from '@tarojs/taro';
import type { PropsWithChildren } from 'react';
import { prefetchContracts } from './api/contracts';
import { initPlatform, onPageCodeMissing } from './platform';
import { refreshUser } from './session';
import { whenIdle } from './util/idle';
import { toast } from './util/nav';
import './app.scss';

// The grid worker's draft queue (and the zod schemas it checks with) is not on the first screen of
// anyone: it loads beside the page, not before it (issue 17, the entry page's weight).
const draftSync = () => import(/* webpackChunkName: "draft-sync" */ './drafts/sync');

/** Set once the user is known (as before: the queue starts after the first whoami). */
let userKnown = false;

/**
 * Sends what waits; once the user is known also starts the queue's listeners (once). A chunk that
 * cannot load (offline) is tried again at the next show.
 */
function syncDrafts(): void {
  whenIdle(() => void draftSync().then(
    (m) => {
      if (userKnown) m.startDraftSync();
      m.flushDrafts();
    },
    () => undefined,
  ));
}

function userRefreshed(): void {
  userKnown = true;
  syncDrafts();
}

export default function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    initPlatform();
    onPageCodeMissing(() => toast('网络不可用，这个页面暂时打不开，请联网后再试'));
    prefetchContracts();
    void refreshUser().then(userRefreshed, userRefreshed);
  });
  useDidShow(() => syncDrafts());
  return children;
}
