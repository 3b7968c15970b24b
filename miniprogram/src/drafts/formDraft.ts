/**
 * One form's draft on the device (a resident's request, a unit's reply or return): the fields as
 * typed and the files picked, so a refresh, a back or a killed app loses nothing. Plain TypeScript
 * over a key-value store, so jest drives it directly; the files themselves are kept by the platform
 * (`platform.persistFile`) and only their device references are stored here.
 */
import type { DraftMedia, KeyValueStore } from './queue';

/** A picked file kept on the device: the same record the offline queue keeps for a draft's media. */
export type KeptFile = DraftMedia;

export interface FormDraft<F> {
  form: F;
  files: KeptFile[];
  /** The request id the form will submit with: a retry after a reload returns the same ticket. */
  clientRequestId?: string;
  savedAt: number;
}

export interface FormDraftStore<F> {
  read(): FormDraft<F> | null;
  save(draft: Omit<FormDraft<F>, 'savedAt'>): void;
  clear(): void;
}

/** The storage key of one form's draft: per user, so a shared phone never shows one person's text to another. */
export function formDraftKey(form: string, userId: string, ...scope: string[]): string {
  return ['form-draft', form, userId, ...scope].join(':');
}

export function formDraftStore<F extends object>(store: KeyValueStore, key: string, now: () => number): FormDraftStore<F> {
  return {
    read() {
      const raw = store.getItem(key);
      if (!raw) return null;
      try {
        const d = JSON.parse(raw) as FormDraft<F>;
        if (!d || typeof d !== 'object' || !d.form || typeof d.form !== 'object' || !Array.isArray(d.files)) return null;
        return d;
      } catch {
        return null;
      }
    },
    save(draft) {
      store.setItem(key, JSON.stringify({ ...draft, savedAt: now() }));
    },
    clear() {
      store.removeItem(key);
    },
  };
}

/**
 * Whether a form holds anything the user would lose: a file, or a field that differs from what the
 * page itself put there (`baseline`: the empty form with its pre-filled values).
 */
export function isFilled<F extends object>(form: F, baseline: F, files: readonly unknown[] = []): boolean {
  if (files.length > 0) return true;
  const norm = (v: unknown) => (typeof v === 'string' ? v.trim() : v ?? '');
  return (Object.keys(form) as (keyof F)[]).some((k) => {
    const v = norm(form[k]);
    if (v === '' || v === false) return false;
    return JSON.stringify(v) !== JSON.stringify(norm(baseline[k]));
  });
}
