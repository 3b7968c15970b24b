/**
 * Grid workers' drafts: saved on the device as they are typed, queued without a network, uploaded
 * and submitted by themselves when it returns. Plain TypeScript over a key-value store, so jest
 * drives it directly; the app wires it to the platform in `./sync.ts`.
 *
 * Guarantees:
 * - never lost: every change is written to the store before listeners hear of it; a draft leaves
 *   the store only when the user deletes it, or when it is submitted and older than `keepSubmittedMs`;
 *   an unreadable store is set aside under a backup key, never overwritten;
 * - never submitted twice: one flush at a time per queue, the client request id is fixed when the
 *   draft is created and sent with every attempt (the server returns the first ticket for a repeat),
 *   a file stored once keeps its file id and is not uploaded again.
 */
import { submitInputSchema, type SubmitInput } from '../../../shared/contracts/commands';
import type { FileRef } from '../../../shared/contracts/common';
import { buildSubmitInput, emptyForm, fieldOf, type TicketForm } from '../form/submitInput';
import { countsByKind, mediaLimitMessage, type MediaKind } from '../media/limits';

export type DraftStatus = 'draft' | 'waiting' | 'uploading' | 'submitted' | 'failed';

export const DRAFT_STATUS_LABELS: Record<DraftStatus, string> = {
  draft: '草稿',
  waiting: '等待网络',
  uploading: '上传中',
  submitted: '已提交',
  failed: '失败-重试',
};

export interface DraftMedia {
  id: string;
  kind: MediaKind;
  /** Where the bytes live on this device: a saved file path (weapp) or `idb:<id>` (h5). */
  localRef: string;
  name: string;
  mime: string;
  size: number;
  durationSec?: number;
  /** Set once the server stored the file; a file with a ref is never uploaded again. */
  fileRef?: FileRef;
}

/** A draft's fields: the same form residents fill in. */
export type DraftForm = TicketForm;

export interface Draft {
  id: string;
  clientRequestId: string;
  createdAt: number;
  updatedAt: number;
  status: DraftStatus;
  form: DraftForm;
  media: DraftMedia[];
  attempts: number;
  error?: { code: string; message: string };
  ticket?: { id: string; number: string };
  submittedAt?: number;
}

/** Synchronous key-value storage: Taro's storage on weapp and h5, a Map in tests. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface DraftDeps {
  store: KeyValueStore;
  /** Storage key; one per signed-in user, so a shared phone never sends one worker's drafts as another's. */
  key: string;
  isOnline(): boolean | Promise<boolean>;
  upload(media: DraftMedia, onProgress: (fraction: number) => void): Promise<FileRef>;
  submit(input: SubmitInput): Promise<{ id: string; number: string }>;
  /** Frees the device copy of a file that is no longer needed. Best effort. */
  discardMedia?(media: DraftMedia): void | Promise<void>;
  now(): number;
  newId(): string;
  /** How long submitted drafts stay listed on the device. */
  keepSubmittedMs?: number;
}

/** What a failed attempt looks like to the queue: `network` means try again by itself later. */
export interface AttemptError {
  code: string;
  message: string;
}

export type EnqueueResult = { ok: true } | { ok: false; issues: { path: string; message: string }[] };

const EDITABLE: DraftStatus[] = ['draft', 'failed'];
const PENDING: DraftStatus[] = ['waiting', 'uploading'];
const DAY = 24 * 3600 * 1000;

export { emptyForm };

/** The submit input a draft becomes; files not yet stored stand in as placeholders. */
export function toSubmitInput(d: Draft): Record<string, unknown> {
  const attachments = d.media.map((m) => m.fileRef ?? { fileId: 'local:pending', kind: m.kind, ...(m.durationSec ? { durationSec: m.durationSec } : {}) });
  return buildSubmitInput(d.clientRequestId, d.form, attachments, 'grid');
}

/** Checks a draft against the shared submit schema before it is queued (files not yet stored count as valid). */
export function validateDraft(d: Draft): EnqueueResult {
  const parsed = submitInputSchema.safeParse(toSubmitInput(d));
  if (parsed.success) return { ok: true };
  return { ok: false, issues: parsed.error.issues.map((i) => ({ path: fieldOf(i.path.join('.')), message: i.message })) };
}

function attemptError(err: unknown): AttemptError {
  const e = err as { code?: unknown; message?: unknown };
  return {
    code: typeof e?.code === 'string' ? e.code : 'internal',
    message: typeof e?.message === 'string' && e.message ? e.message : '提交失败，请重试',
  };
}

export class DraftQueue {
  private drafts: Draft[];
  private listeners = new Set<() => void>();
  private running: Promise<void> | null = null;
  private again = false;
  /** Upload progress by media id; not persisted (a restart starts the file over). */
  private progress = new Map<string, number>();

  constructor(private readonly deps: DraftDeps) {
    this.drafts = this.load();
    // A draft left 'uploading' means the app stopped mid-way: it waits for the next flush.
    let recovered = false;
    for (const d of this.drafts) {
      if (d.status === 'uploading') {
        d.status = 'waiting';
        recovered = true;
      }
    }
    const before = this.drafts.length;
    const keep = this.deps.keepSubmittedMs ?? 7 * DAY;
    this.drafts = this.drafts.filter((d) => d.status !== 'submitted' || this.deps.now() - (d.submittedAt ?? d.updatedAt) < keep);
    if (recovered || before !== this.drafts.length) this.save();
  }

  // ---- reading ------------------------------------------------------------------------------

  list(): Draft[] {
    return [...this.drafts].sort((a, b) => b.updatedAt - a.updatedAt);
  }

  get(id: string): Draft | undefined {
    return this.drafts.find((d) => d.id === id);
  }

  progressOf(mediaId: string): number | undefined {
    return this.progress.get(mediaId);
  }

  hasPending(): boolean {
    return this.drafts.some((d) => PENDING.includes(d.status));
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- editing ------------------------------------------------------------------------------

  create(form: Partial<DraftForm> = {}): Draft {
    const now = this.deps.now();
    const draft: Draft = {
      id: this.deps.newId(),
      clientRequestId: this.deps.newId(),
      createdAt: now,
      updatedAt: now,
      status: 'draft',
      form: { ...emptyForm(), ...form },
      media: [],
      attempts: 0,
    };
    this.drafts.push(draft);
    this.commit();
    return draft;
  }

  /** Saves typed changes. Only a draft that is not queued can change. */
  update(id: string, patch: Partial<DraftForm>): Draft {
    const d = this.editable(id);
    d.form = { ...d.form, ...patch };
    d.updatedAt = this.deps.now();
    if (d.status === 'failed') {
      d.status = 'draft';
      delete d.error;
    }
    this.commit();
    return d;
  }

  addMedia(id: string, media: DraftMedia): Draft {
    const d = this.editable(id);
    const refused = mediaLimitMessage(countsByKind(d.media), media.kind);
    if (refused) throw Object.assign(new Error(refused), { code: 'too-many-files' });
    d.media.push(media);
    d.updatedAt = this.deps.now();
    this.commit();
    return d;
  }

  async removeMedia(id: string, mediaId: string): Promise<Draft> {
    const d = this.editable(id);
    const media = d.media.find((m) => m.id === mediaId);
    d.media = d.media.filter((m) => m.id !== mediaId);
    d.updatedAt = this.deps.now();
    this.commit();
    if (media) await this.discard([media]);
    return d;
  }

  /** Deletes a draft the user no longer wants; a draft being uploaded cannot be deleted. */
  async remove(id: string): Promise<void> {
    const d = this.get(id);
    if (!d) return;
    if (d.status === 'uploading') throw Object.assign(new Error('正在上传，请稍后再删除'), { code: 'draft-busy' });
    this.drafts = this.drafts.filter((x) => x.id !== id);
    this.commit();
    await this.discard(d.media);
  }

  // ---- sending ------------------------------------------------------------------------------

  /** Queues a draft for sending: checked against the shared schema, then sent when there is a network. */
  enqueue(id: string): EnqueueResult {
    const d = this.get(id);
    if (!d) return { ok: false, issues: [{ path: '', message: '草稿不存在' }] };
    if (!EDITABLE.includes(d.status)) return { ok: true };
    const checked = validateDraft(d);
    if (!checked.ok) return checked;
    d.status = 'waiting';
    delete d.error;
    d.updatedAt = this.deps.now();
    this.commit();
    return { ok: true };
  }

  /** Takes a queued draft back for editing (not while it uploads). */
  unqueue(id: string): Draft {
    const d = this.require(id);
    if (d.status !== 'waiting') throw Object.assign(new Error('只能修改尚未上传的草稿'), { code: 'draft-busy' });
    d.status = 'draft';
    d.updatedAt = this.deps.now();
    this.commit();
    return d;
  }

  /** A failed draft back in the queue, as is. */
  retry(id: string): Promise<void> {
    const d = this.require(id);
    if (d.status === 'failed') {
      d.status = 'waiting';
      delete d.error;
      d.updatedAt = this.deps.now();
      this.commit();
    }
    return this.flush();
  }

  /**
   * Sends every waiting draft, oldest first. One flush at a time: a call during a flush makes
   * the running flush look again when it ends, and returns the same promise.
   */
  flush(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.flushOnce();
        } while (this.again);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  private async flushOnce(): Promise<void> {
    const waiting = this.drafts.filter((d) => d.status === 'waiting').sort((a, b) => a.updatedAt - b.updatedAt);
    for (const draft of waiting) {
      if (!(await this.deps.isOnline())) return;
      const outcome = await this.send(draft);
      if (outcome === 'offline') return;
    }
  }

  private async send(d: Draft): Promise<'sent' | 'failed' | 'offline'> {
    d.status = 'uploading';
    d.attempts += 1;
    delete d.error;
    this.commit();
    try {
      for (const m of d.media) {
        if (m.fileRef) continue;
        this.progress.set(m.id, 0);
        this.notify();
        const ref = await this.deps.upload(m, (fraction) => {
          this.progress.set(m.id, Math.max(0, Math.min(1, fraction)));
          this.notify();
        });
        m.fileRef = { fileId: ref.fileId, kind: ref.kind ?? m.kind, ...(m.durationSec ? { durationSec: m.durationSec } : {}) };
        this.progress.delete(m.id);
        this.commit();
      }
      const input = submitInputSchema.parse(toSubmitInput(d));
      const ticket = await this.deps.submit(input);
      d.status = 'submitted';
      d.ticket = { id: ticket.id, number: ticket.number };
      d.submittedAt = this.deps.now();
      d.updatedAt = d.submittedAt;
      this.commit();
      await this.discard(d.media);
      return 'sent';
    } catch (err) {
      for (const m of d.media) this.progress.delete(m.id);
      const e = attemptError(err);
      if (e.code === 'network') {
        d.status = 'waiting';
        this.commit();
        return 'offline';
      }
      d.status = 'failed';
      d.error = e;
      d.updatedAt = this.deps.now();
      this.commit();
      return 'failed';
    }
  }

  // ---- internals ----------------------------------------------------------------------------

  private require(id: string): Draft {
    const d = this.get(id);
    if (!d) throw Object.assign(new Error('草稿不存在'), { code: 'not-found' });
    return d;
  }

  private editable(id: string): Draft {
    const d = this.require(id);
    if (!EDITABLE.includes(d.status)) throw Object.assign(new Error('草稿已在提交队列中，不能修改'), { code: 'draft-busy' });
    return d;
  }

  private async discard(media: DraftMedia[]): Promise<void> {
    if (!this.deps.discardMedia) return;
    for (const m of media) {
      try {
        await this.deps.discardMedia(m);
      } catch {
        // A leftover device file costs space, not data.
      }
    }
  }

  private load(): Draft[] {
    const raw = this.deps.store.getItem(this.deps.key);
    if (!raw) return [];
    try {
      const parsed = JSON.parse(raw) as { version?: number; drafts?: Draft[] };
      if (parsed && Array.isArray(parsed.drafts)) return parsed.drafts;
      throw new Error('unexpected shape');
    } catch {
      // Keep what we cannot read; the next save must not destroy it.
      this.deps.store.setItem(`${this.deps.key}:unreadable:${this.deps.now()}`, raw);
      return [];
    }
  }

  private save(): void {
    this.deps.store.setItem(this.deps.key, JSON.stringify({ version: 1, drafts: this.drafts }));
  }

  private commit(): void {
    this.save();
    this.notify();
  }

  private notify(): void {
    for (const l of this.listeners) {
      try {
        l();
      } catch {
        // A broken listener must not stop the queue.
      }
    }
  }
}
