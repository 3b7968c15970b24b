/**
 * The resident form's files: each starts uploading as soon as it is picked, with its own progress,
 * and can be retried or removed. The form submits only when every file is stored.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { FileRef } from '@shared/contracts/common';
import { errorCode, errorMessage, uploadMedia, type Upload } from '../api/client';
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
}

export function useUploads() {
  const [items, setItems] = useState<UploadItem[]>([]);
  const tasks = useRef(new Map<string, Upload>());

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
          if (errorCode(err) === 'aborted') return;
          patch(id, { status: 'failed', error: errorMessage(err) });
        },
      );
    },
    [patch],
  );

  const add = useCallback(
    (files: platform.LocalFile[]) => {
      const added = files.map((file) => ({ id: newId(), file, status: 'uploading' as const, progress: 0 }));
      setItems((list) => [...list, ...added]);
      added.forEach((i) => start(i.id, i.file));
    },
    [start],
  );

  const retry = useCallback(
    (id: string) => {
      const item = items.find((i) => i.id === id);
      if (!item || item.status !== 'failed') return;
      patch(id, { status: 'uploading', progress: 0, error: undefined });
      start(id, item.file);
    },
    [items, patch, start],
  );

  const remove = useCallback((id: string) => {
    const task = tasks.current.get(id);
    tasks.current.delete(id);
    task?.abort();
    setItems((list) => {
      const gone = list.find((i) => i.id === id);
      if (gone) platform.releaseFile(gone.file.path);
      return list.filter((i) => i.id !== id);
    });
  }, []);

  useEffect(() => () => tasks.current.forEach((t) => t.abort()), []);

  const allStored = items.every((i) => i.status === 'done');
  const refs = items.filter((i) => i.ref).map((i) => i.ref!) as FileRef[];
  return { items, add, retry, remove, allStored, refs };
}
