import type { Notice, Recipient } from '../../shared/ports';

/**
 * Sends one notice to one recipient, once: no retries, no records. The Notifier above it decides
 * what to do with a failure (record, retry with backoff, give up) from `SendError.kind`.
 * Implemented by the WeChat subscription-message sender (cloudbase/wxSender.ts) and by any sender
 * the local runtime wants.
 */
export interface MessageSender {
  /** Resolves when the platform accepted the message; rejects with a SendError otherwise. */
  send(to: Recipient, notice: Notice): Promise<void>;
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
export type SendErrorKind = 'timeout' | 'no-subscription' | 'permanent' | 'other';

export class SendError extends Error {
  readonly errCode: number | string;
  readonly kind: SendErrorKind;

  constructor(errCode: number | string, kind: SendErrorKind, message?: string, options?: { cause?: unknown }) {
    super(message ?? `send failed: ${errCode}`);
    this.name = 'SendError';
    this.errCode = errCode;
    this.kind = kind;
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}
