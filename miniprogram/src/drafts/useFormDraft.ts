/**
 * React glue for one form's draft (./formDraft.ts): brings the draft back once, saves it as the
 * user types or adds files, and asks before the page is left while the form holds anything.
 */
import { useDidHide, useDidShow } from '@tarojs/taro';
import { useEffect, useMemo, useRef, useState } from 'react';
import * as platform from '../platform';
import type { useUploads } from '../media/useUploads';
import { formDraftStore, isFilled, type FormDraft } from './formDraft';

const LEAVE_MESSAGE = '填写的内容已保存在本机，下次打开可继续填写。确定离开吗？';

interface Options<F extends object> {
  /** Storage key (formDraftKey); null while the user or the page's subject is not known yet. */
  storageKey: string | null;
  form: F;
  /** The form as the page fills it by itself (empty, with pre-filled values): not worth a draft. */
  baseline: F;
  uploads: ReturnType<typeof useUploads>;
  clientRequestId?: string;
  /** Called once with the draft found on the device. */
  onRestore(draft: FormDraft<F>): void;
}

export function useFormDraft<F extends object>({ storageKey, form, baseline, uploads, clientRequestId, onRestore }: Options<F>) {
  const store = useMemo(() => (storageKey ? formDraftStore<F>(platform.storage, storageKey, Date.now) : null), [storageKey]);
  const [restoredFrom, setRestoredFrom] = useState<number | null>(null);
  const [lost, setLost] = useState(0);
  const readKey = useRef<string | null>(null);
  const sent = useRef(false);

  // Restore once per key, before anything is saved under it.
  useEffect(() => {
    if (!store || readKey.current === storageKey) return;
    readKey.current = storageKey;
    const d = store.read();
    if (!d) return;
    onRestore(d);
    setRestoredFrom(d.savedAt);
    if (d.files.length) void uploads.restore(d.files).then(setLost);
    // onRestore and uploads are the page's own; the key decides.
  }, [store, storageKey]);

  const filled = isFilled(form, baseline, uploads.items);
  const keptKey = JSON.stringify(uploads.kept);
  useEffect(() => {
    if (!store || readKey.current !== storageKey || sent.current) return;
    try {
      if (filled) store.save({ form, files: uploads.kept, ...(clientRequestId ? { clientRequestId } : {}) });
      else store.clear();
    } catch {
      // Storage full: the form still works, only a reload would lose it.
    }
  }, [store, storageKey, JSON.stringify(form), keptKey, filled, clientRequestId]);

  // A page opened over this one hides it: its title bar's arrows are that page's own.
  const onScreen = useRef(true);
  useDidShow(() => void (onScreen.current = true));
  useDidHide(() => void (onScreen.current = false));
  const release = useRef<(() => void) | null>(null);
  useEffect(() => {
    if (!filled || sent.current) return undefined;
    const stop = platform.guardLeaving(LEAVE_MESSAGE, () => onScreen.current);
    release.current = stop;
    return () => {
      stop();
      if (release.current === stop) release.current = null;
    };
  }, [filled]);

  return {
    /** When the draft that was brought back had been saved, or null. */
    restoredFrom,
    /** Files of the draft that were no longer on the device. */
    lost,
    filled,
    /** The form was sent: forget the draft, free the kept files, stop asking. Call before navigating. */
    sent() {
      sent.current = true;
      release.current?.();
      store?.clear();
      uploads.discardKept();
    },
    /**
     * Leaves by the page's own way out (`go`, e.g. its 返回 button): asks first while the form holds
     * anything, and stops asking once the user chose to leave. The draft stays on the device.
     */
    async leave(go: () => unknown) {
      if (filled && !sent.current) {
        if (!(await platform.confirmLeaving(LEAVE_MESSAGE))) return;
        release.current?.();
      }
      await go();
    },
    /** The user chose to start again. */
    discard() {
      store?.clear();
      setRestoredFrom(null);
      uploads.items.forEach((i) => uploads.remove(i.id));
    },
  };
}
