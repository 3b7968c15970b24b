/** React glue for the drafts queue: re-renders on every change of the signed-in user's drafts. */
import { useEffect, useReducer, useState } from 'react';
import * as platform from '../platform';
import type { DraftQueue } from './queue';
import { draftQueue } from './sync';

export function useDraftQueue(userId: string | undefined): DraftQueue | null {
  const [, bump] = useReducer((n: number) => n + 1, 0);
  const queue = userId ? draftQueue() : null;
  useEffect(() => (queue ? queue.subscribe(bump) : undefined), [queue]);
  return queue;
}

export function useOnline(): boolean {
  const [online, setOnline] = useState(true);
  useEffect(() => {
    let live = true;
    void platform.isOnline().then((v) => live && setOnline(v));
    const off = platform.onNetworkChange(setOnline);
    return () => {
      live = false;
      off();
    };
  }, []);
  return online;
}

/** Displayable URLs for photos kept on the device. */
export function useLocalThumbs(media: { id: string; kind: string; localRef: string; name: string; mime: string; size: number }[]): Record<string, string> {
  const [urls, setUrls] = useState<Record<string, string>>({});
  const key = media.map((m) => m.id).join('|');
  useEffect(() => {
    let live = true;
    const made: string[] = [];
    Promise.all(
      media
        .filter((m) => m.kind === 'image')
        .map((m) =>
          platform.loadPersistedFile(m.localRef, { kind: 'image', name: m.name, mime: m.mime, size: m.size }).then(
            (f) => (made.push(f.path), [m.id, f.path] as const),
            () => [m.id, ''] as const,
          ),
        ),
    ).then((pairs) => live && setUrls(Object.fromEntries(pairs.filter(([, u]) => u))));
    return () => {
      live = false;
      made.forEach(platform.releaseFile);
    };
    // Keyed by the file ids: a new array of the same files does not reload them.
  }, [key]);
  return urls;
}
