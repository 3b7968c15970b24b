/**
 * A form's files: each starts uploading as soon as it is picked, with its own progress, and can be
 * retried or removed. The form submits only when every file is stored.
 * With `keep`, every picked file is also kept on the device (`platform.persistFile`), so the form's
 * draft (drafts/formDraft.ts) can bring it back after a refresh, a back or a killed app.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { FileRef } from '@shared/contracts/common';
import { errorCode, errorMessage, uploadMedia, type Upload } from '../api/client';
import type { MediaItemView } from '../components/media-field';
import type { KeptFile } from '../drafts/formDraft';
import * as platform from '../platform';
import { newId } from '../util/ids';

export type UploadStatus = 'uploading' | 'done' | 'failed';

export interface UploadItem {
  id: string;
  file: platform.LocalFile;
  status: UploadStatus;
  progress: number;
  ref?: FileRef;
  error?: string;
  /** Where the file is kept on the device (with `keep`). */
  localRef?: string;
  /** The server refused the file itself (its type or size): a retry cannot help. */
  permanent?: boolean;
}

/** Refusals about the file itself: uploading the same bytes again gives the same answer. */
const PERMANENT_CODES = new Set(['file-type-not-allowed', 'file-too-large', 'media-too-long', 'file-missing', 'invalid-input']);

export function useUploads(opts: { keep?: boolean } = {}) {
  const keep = !!opts.keep;
  const [items, setItems] = useState<UploadItem[]>([]);
  const tasks = useRef(new Map<string, Upload>());
  const removed = useRef(new Set<string>());

  const patch = useCallback((id: string, p: Partial<UploadItem>) => {
    setItems((list) => list.map((i) => (i.id === id ? { ...i, ...p } : i)));
  }, []);

  const start = useCallback(
    (id: string, file: platform.LocalFile) => {
      const task = uploadMedia(file, (progress) => patch(id, { progress }));
      tasks.current.set(id, task);
      task.done.then(
        (ref) => {
          if (tasks.current.get(id) !== task) return;
          tasks.current.delete(id);
          patch(id, { status: 'done', progress: 1, ref, error: undefined });
        },
        (err) => {
          if (tasks.current.get(id) !== task) return;
          tasks.current.delete(id);
          const code = errorCode(err);
          if (code === 'aborted') return;
          patch(id, { status: 'failed', error: errorMessage(err), permanent: PERMANENT_CODES.has(code) });
        },
      );
    },
    [patch],
  );

  const keepOnDevice = useCallback(
    (id: string, file: platform.LocalFile) => {
      platform.persistFile(file).then(
        (localRef) => {
          if (removed.current.has(id)) void platform.discardPersistedFile(localRef);
          else patch(id, { localRef });
        },
        // Not kept (the device is full): the file still uploads, only a reload would lose it.
        () => undefined,
      );
    },
    [patch],
  );

  const add = useCallback(
    (files: platform.LocalFile[]) => {
      const added = files.map((file) => ({ id: newId(), file, status: 'uploading' as const, progress: 0 }));
      setItems((list) => [...list, ...added]);
      added.forEach((i) => {
        if (keep) keepOnDevice(i.id, i.file);
        start(i.id, i.file);
      });
    },
    [start, keep, keepOnDevice],
  );

  /** Brings back a draft's files: stored ones as done, the others uploading again. Returns how many were lost. */
  const restore = useCallback(
    async (kept: KeptFile[]): Promise<number> => {
      let lost = 0;
      const back: UploadItem[] = [];
      for (const k of kept) {
        try {
          const file = await platform.loadPersistedFile(k.localRef, { kind: k.kind, name: k.name, mime: k.mime, size: k.size, ...(k.durationSec !== undefined ? { durationSec: k.durationSec } : {}) });
          back.push(k.fileRef ? { id: k.id, file, status: 'done', progress: 1, ref: k.fileRef, localRef: k.localRef } : { id: k.id, file, status: 'uploading', progress: 0, localRef: k.localRef });
        } catch {
          lost++;
        }
      }
      setItems((list) => [...list.filter((i) => !back.some((b) => b.id === i.id)), ...back]);
      back.filter((b) => b.status === 'uploading').forEach((b) => start(b.id, b.file));
      return lost;
    },
    [start],
  );

  const retry = useCallback(
    (id: string) => {
      const item = items.find((i) => i.id === id);
      if (!item || item.status !== 'failed' || item.permanent) return;
      patch(id, { status: 'uploading', progress: 0, error: undefined });
      start(id, item.file);
    },
    [items, patch, start],
  );

  const remove = useCallback((id: string) => {
    const task = tasks.current.get(id);
    tasks.current.delete(id);
    removed.current.add(id);
    task?.abort();
    setItems((list) => {
      const gone = list.find((i) => i.id === id);
      if (gone) {
        platform.releaseFile(gone.file.path);
        if (gone.localRef) void platform.discardPersistedFile(gone.localRef);
      }
      return list.filter((i) => i.id !== id);
    });
  }, []);

  /** After the form was sent: frees every kept copy. */
  const discardKept = useCallback(() => {
    items.forEach((i) => i.localRef && void platform.discardPersistedFile(i.localRef));
  }, [items]);

  useEffect(() => () => tasks.current.forEach((t) => t.abort()), []);

  const allStored = items.every((i) => i.status === 'done');
  const refs = items.filter((i) => i.ref).map((i) => i.ref!) as FileRef[];
  /** What a draft keeps of the files: those kept on the device, with their file ids once stored. */
  const kept: KeptFile[] = items
    .filter((i) => i.localRef)
    .map((i) => ({
      id: i.id,
      kind: i.file.kind,
      localRef: i.localRef!,
      name: i.file.name,
      mime: i.file.mime,
      size: i.file.size,
      ...(i.file.durationSec !== undefined ? { durationSec: i.file.durationSec } : {}),
      ...(i.ref ? { fileRef: i.ref } : {}),
    }));
  return { items, add, retry, remove, restore, discardKept, allStored, refs, kept };
}

/** The form's files as the media list shows them. */
export function mediaViews(items: UploadItem[]): MediaItemView[] {
  return items.map((i) => ({
    id: i.id,
    kind: i.file.kind,
    thumb: i.file.kind === 'image' ? i.file.path : undefined,
    name: i.file.name,
    size: i.file.size,
    durationSec: i.file.durationSec,
    status: i.status,
    progress: i.progress,
    error: i.error,
    permanent: i.permanent,
  }));
}
