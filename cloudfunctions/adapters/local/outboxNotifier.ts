import { randomUUID } from 'node:crypto';
import type { Clock, DeliveryResult, DirectoryStore, Notice, Notifier, Recipient } from '../../../shared/ports';
import type { DeliveryLookup } from '../sqlite/directoryStore';

export interface OutboxNotifierOptions {
  clock?: Clock;
  newId?: () => string;
}

/**
 * The local runtime's notifier: a notice is "delivered" by recording it in the deliveries table,
 * which the 消息 page lists (DirectoryStore.listDeliveries). A repeated dedupe key returns the
 * first delivery's result and records nothing.
 */
export class OutboxNotifier implements Notifier {
  private readonly clock: Clock;
  private readonly newId: () => string;

  constructor(
    private readonly directory: DirectoryStore & DeliveryLookup,
    options: OutboxNotifierOptions = {},
  ) {
    this.clock = options.clock ?? { now: () => Date.now() };
    this.newId = options.newId ?? (() => `dl_${randomUUID()}`);
  }

  async send(to: Recipient, notice: Notice, dedupeKey: string): Promise<DeliveryResult> {
    const now = this.clock.now();
    const inserted = await this.directory.beginDelivery({
      id: this.newId(),
      dedupeKey,
      userId: to.userId,
      template: notice.template,
      ticketId: notice.ticketId,
      notice,
      status: 'delivered',
      attempts: 1,
      createdAt: now,
      updatedAt: now,
    });
    if (inserted) return { status: 'delivered', attempts: 1 };
    const first = await this.directory.deliveryByDedupeKey(dedupeKey);
    // 'pending' is written only by a sending notifier; in the outbox the record itself is the delivery.
    if (!first || first.status === 'pending') return { status: 'delivered', attempts: first?.attempts ?? 1 };
    return { status: first.status, attempts: first.attempts, ...(first.errorCode !== undefined ? { errorCode: first.errorCode } : {}) };
  }
}
