import { cloudbaseAdapters, type CloudbaseAdapters } from '../adapters/cloudbase';
import { DeliveringNotifier } from './delivery';
import { DEFAULT_LIMITS, type Deps } from './deps';
import { randomIds } from './ids';
import { ChainedChecker, WordListChecker } from './contentCheck';
import { WxContentChecker } from '../adapters/cloudbase/wxContent';

/** CloudBase's adapters: its database, cloud storage, subscription messages. Picked here and nowhere else. */
export function createCloudDeps(env: NodeJS.ProcessEnv = process.env): Deps & { app: CloudbaseAdapters['app'] } {
  const a = cloudbaseAdapters(env);
  const clock = { now: () => Date.now() };
  return {
    store: a.store,
    directory: a.directory,
    files: a.files,
    notifier: new DeliveringNotifier(a.directory, a.sender, clock.now),
    clock,
    ids: randomIds,
    limits: {
      ...DEFAULT_LIMITS,
      ...(env.SUBMISSIONS_PER_HOUR ? { submissionsPerHour: Number(env.SUBMISSIONS_PER_HOUR) } : {}),
    },
    miniProgramCode: a.miniProgramCode,
    // A request only commits its effects: the timer function (every minute) is the drainer, so a
    // caller never waits on a fan-out to many users, on WeChat, or on a retry's backoff. A function
    // instance may be frozen once it answers, so a drain after the answer is not an option here.
    drain: 'off',
    // The operator's word list first (cheap, theirs to edit), then WeChat's checks.
    content: new ChainedChecker([new WordListChecker(a.directory), new WxContentChecker(a.directory)]),
    app: a.app,
  };
}

/**
 * The caller's OPENID as CloudBase vouches for it: node-sdk `auth().getUserInfo().openId`
 * (platform-notes), which reads the invocation's own context. Empty for timer runs.
 */
export function callerOpenid(app: { auth(): { getUserInfo(): { openId?: string } } }): string | undefined {
  const openId = app.auth().getUserInfo().openId;
  return openId ? openId : undefined;
}
