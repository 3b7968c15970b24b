/**
 * Wires the drafts queue to this device: storage, files kept on the device, the network, the API.
 * The queue of the signed-in grid worker is flushed when the network returns, when the app comes
 * back to the foreground, and every half minute while something waits.
 */
import type { SubmitInput } from '@shared/contracts/commands';
import { residentApi, uploadMedia } from '../api/client';
import * as platform from '../platform';
import { currentUser } from '../session';
import { newId } from '../util/ids';
import { DraftQueue, type DraftMedia } from './queue';

const RETRY_MS = 30_000;
let queue: { userId: string; queue: DraftQueue } | null = null;
let started = false;

/** The drafts of the signed-in user, or null when nobody is signed in. */
export function draftQueue(): DraftQueue | null {
  const user = currentUser();
  if (!user) return null;
  if (queue?.userId === user.id) return queue.queue;
  queue = {
    userId: user.id,
    queue: new DraftQueue({
      store: platform.storage,
      key: `grid-drafts:v1:${user.id}`,
      isOnline: platform.isOnline,
      upload: async (m: DraftMedia, onProgress) => {
        const file = await platform.loadPersistedFile(m.localRef, { kind: m.kind, name: m.name, mime: m.mime, size: m.size, durationSec: m.durationSec });
        try {
          return await uploadMedia(file, onProgress).done;
        } finally {
          platform.releaseFile(file.path);
        }
      },
      submit: async (input: SubmitInput) => {
        const res = await residentApi.submit(input);
        return { id: res.ticket.id, number: res.ticket.number };
      },
      discardMedia: (m) => platform.discardPersistedFile(m.localRef),
      now: () => Date.now(),
      newId,
    }),
  };
  return queue.queue;
}

/** Flushes the current user's queue; safe to call any time. */
export function flushDrafts(): void {
  const q = draftQueue();
  if (q && q.hasPending()) void q.flush();
}

/** Starts listening once, for the life of the app. */
export function startDraftSync(): void {
  if (started) return;
  started = true;
  platform.onNetworkChange((online) => {
    if (online) flushDrafts();
  });
  setInterval(flushDrafts, RETRY_MS);
  flushDrafts();
}
