/**
 * Housekeeping: delivered outbox rows are deleted once they are old enough (config
 * `outboxRetentionDays`), so the queue's table and its indexes stay the size of the recent past.
 * Pending and dead rows are never touched. Each chunk is its own short write transaction.
 */
import type { Clock } from '../core/ports.js';
import type { PeriodicTask } from './outbox-worker.js';
import type { OutboxQueue } from './ports.js';

const DAY = 86_400_000;
export const PRUNE_EVERY_MS = 10 * 60_000;
/** Rows per transaction, and transactions per run: at most 100,000 rows each time the task runs. */
const CHUNK = 1_000;
const MAX_CHUNKS = 100;

export function pruneDeliveredRowsTask(queue: OutboxQueue, clock: Clock, retentionDays: number): PeriodicTask {
  return {
    name: 'prune-delivered-outbox-rows',
    everyMs: PRUNE_EVERY_MS,
    async run() {
      const before = clock.now() - retentionDays * DAY;
      let deleted = 0;
      for (let chunk = 0; chunk < MAX_CHUNKS; chunk += 1) {
        const count = await queue.pruneDone(before, CHUNK);
        deleted += count;
        if (count < CHUNK) break;
      }
      return deleted;
    },
  };
}
