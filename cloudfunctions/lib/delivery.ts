import type { DeliveryResult, DirectoryStore, Notice, Notifier, Recipient } from '../../shared/ports';

/**
 * Sends one notice to one recipient, once: no retries, no records; rejects with a SendError whose
 * `kind` tells the DeliveringNotifier below what to do (record, retry with backoff, give up). The
 * one sender interface: WeChat (cloudbase/wxSender.ts, notices/wechatSubscribe.ts), SMS, the
 * channel chain and the local outbox implement it.
 */
export interface Sender {
  /** Resolves when the platform accepted the message; rejects with a SendError otherwise. */
  send(to: Recipient, notice: Notice): Promise<void>;
  /** Records, never fails, sends nothing outside (the local outbox): the delivery is written once, as delivered. */
  readonly instant?: boolean;
}

/**
 * - `no-subscription`: the recipient cannot receive it (WeChat 43101: no subscription left, or no
 *   openid bound). Record as undeliverable; do not retry.
 * - `timeout`: no answer in time. The message MAY have been delivered; retrying risks a duplicate.
 * - `permanent`: a failure that can never succeed, however often it is retried (WeChat 47003: the
 *   data does not fit the template; 40037: no such template; no template configured). Record as
 *   failed at once; do not retry.
 * - `other`: any other failure; retry with backoff.
 */
export type SendFailureKind = 'timeout' | 'no-subscription' | 'permanent' | 'other';

export class SendError extends Error {
  readonly errCode: number | string;
  readonly kind: SendFailureKind;

  constructor(errCode: number | string, kind: SendFailureKind, message?: string, options?: { cause?: unknown }) {
    super(message ?? `send failed: ${errCode}`);
    this.name = 'SendError';
    this.errCode = errCode;
    this.kind = kind;
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}

export function failureKind(e: unknown): { kind: SendFailureKind; code: string } {
  const err = e as { kind?: unknown; errCode?: unknown; code?: unknown; message?: unknown };
  const code = String(err?.errCode ?? err?.code ?? 'error');
  if (err?.kind === 'no-subscription' || code === '43101') return { kind: 'no-subscription', code };
  if (err?.kind === 'permanent') return { kind: 'permanent', code };
  if (err?.kind === 'timeout' || code === 'ETIMEDOUT' || code === 'timeout') return { kind: 'timeout', code };
  return { kind: 'other', code };
}

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 200, maxDelayMs: 5_000 };

/**
 * A notifier over any sender: one delivery record per dedupe key (a retried run never sends twice),
 * bounded retries with exponential backoff for timeouts and other failures, error 43101
 * (no subscription left) recorded as undeliverable at once, and a `permanent` failure (the data
 * does not fit the template, no template) recorded as failed at once. Every attempt updates the record.
 */
export class DeliveringNotifier implements Notifier {
  constructor(
    private readonly directory: DirectoryStore,
    private readonly sender: Sender,
    private readonly now: () => number,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  async send(to: Recipient, notice: Notice, dedupeKey: string): Promise<DeliveryResult> {
    const at = this.now();
    const id = dedupeKey;
    if (this.sender.instant) {
      // Nothing leaves the process, so there is no "sent but not recorded" window to guard: one write.
      const fresh = await this.directory.beginDelivery({ id, dedupeKey, userId: to.userId, template: notice.template, ticketId: notice.ticketId, notice, status: 'delivered', attempts: 1, createdAt: at, updatedAt: at });
      if (!fresh) return { status: 'delivered', attempts: 0, errorCode: 'duplicate' };
      await this.sender.send(to, notice);
      await this.directory.takeCredit(to.userId, notice.template);
      return { status: 'delivered', attempts: 1 };
    }
    const fresh = await this.directory.beginDelivery({ id, dedupeKey, userId: to.userId, template: notice.template, ticketId: notice.ticketId, notice, status: 'pending', attempts: 0, createdAt: at, updatedAt: at });
    let attempts = 0;
    if (!fresh) {
      // Written before: a crash between the record and the send (or before the mark) left it
      // pending, or an operator put a failed one back. Resume it; anything else is final.
      const first = await this.directory.deliveryByDedupeKey(dedupeKey);
      if (!first || first.status !== 'pending') return { status: first ? (first.status as DeliveryResult['status']) : 'delivered', attempts: 0, errorCode: 'duplicate' };
      attempts = first.attempts;
    }
    const limit = attempts + this.retry.attempts;
    let lastCode = '';
    while (attempts < limit) {
      attempts++;
      try {
        await this.sender.send(to, notice);
        await this.directory.updateDelivery(id, { status: 'delivered', attempts, updatedAt: this.now() });
        await this.directory.takeCredit(to.userId, notice.template);
        return { status: 'delivered', attempts };
      } catch (e) {
        const f = failureKind(e);
        lastCode = f.code;
        if (f.kind === 'no-subscription') {
          await this.directory.updateDelivery(id, { status: 'undeliverable', attempts, errorCode: f.code, updatedAt: this.now() });
          return { status: 'undeliverable', attempts, errorCode: f.code };
        }
        if (f.kind === 'permanent') {
          await this.directory.updateDelivery(id, { status: 'failed', attempts, errorCode: f.code, updatedAt: this.now() });
          return { status: 'failed', attempts, errorCode: f.code };
        }
        await this.directory.updateDelivery(id, { status: 'pending', attempts, errorCode: f.code, updatedAt: this.now() });
        if (attempts < limit) await this.sleep(Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempts - 1)));
      }
    }
    await this.directory.updateDelivery(id, { status: 'failed', attempts, errorCode: lastCode, updatedAt: this.now() });
    return { status: 'failed', attempts, errorCode: lastCode };
  }
}

/** The local runtime's sender: the delivery record is the outbox the 消息 page shows. */
export const outboxSender: Sender = { instant: true, async send() {} };
