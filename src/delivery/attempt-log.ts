/**
 * Writes webhook attempts with group commit: attempts that end while a write is waiting for the
 * store share its transaction (under load the worker finishes several posts at a time, and a
 * write transaction per attempt was a tenth of a delivery's cost). Each caller's promise settles
 * only when its attempt is committed, so an attempt is always logged before the worker records
 * the row's outcome, exactly as with one transaction per attempt.
 */
import type { Store } from '../core/ports.js';
import type { DeliveryTx } from './ports.js';
import type { WebhookAttempt } from './webhook-delivery-store.js';

export interface AttemptLog {
  /**
   * Logs the attempt; resolves to when its series of attempts began (the retry schedule's
   * maximum age counts from there): the attempt itself for attempt 1, else the newest attempt 1
   * of the delivery, else `fallbackStart`.
   */
  record(attempt: WebhookAttempt, fallbackStart: number): Promise<number>;
}

interface Waiting {
  readonly attempt: WebhookAttempt;
  readonly fallbackStart: number;
  resolve(seriesStart: number): void;
  reject(error: unknown): void;
}

export function createAttemptLog(store: Store<DeliveryTx>): AttemptLog {
  let waiting: Waiting[] = [];
  let isWriting = false;

  async function writeAll(tx: DeliveryTx, batch: readonly Waiting[]): Promise<number[]> {
    const starts: number[] = [];
    for (const { attempt, fallbackStart } of batch) {
      starts.push(
        attempt.attempt === 1
          ? attempt.createdAt
          : ((await tx.webhookAttempts.seriesStartedAt(attempt.deliveryId)) ?? fallbackStart),
      );
      await tx.webhookAttempts.recordAttempt(attempt);
    }
    return starts;
  }

  function write(): void {
    isWriting = true;
    let batch: Waiting[] = [];
    // The batch is taken inside the transaction: whatever arrived while it waited for the lock joins it.
    store
      .transaction(async (tx) => {
        batch = waiting;
        waiting = [];
        return writeAll(tx, batch);
      })
      .then(
        (starts) => batch.forEach((entry, index) => entry.resolve(starts[index]!)),
        (error: unknown) => batch.forEach((entry) => entry.reject(error)),
      )
      .finally(() => {
        isWriting = false;
        if (waiting.length > 0) write();
      });
  }

  return {
    record(attempt, fallbackStart) {
      return new Promise<number>((resolve, reject) => {
        waiting.push({ attempt, fallbackStart, resolve, reject });
        if (!isWriting) write();
      });
    },
  };
}
