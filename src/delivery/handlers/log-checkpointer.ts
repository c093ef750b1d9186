/**
 * After a purge the deleted bytes still sit in the write-ahead log until a checkpoint copies the
 * (zeroed) pages into the database file and truncates the log. A checkpoint is best effort (a
 * reader in another process can hold it back), so a missed one is retried from the worker loop.
 */
import type { PeriodicTask } from '../outbox-worker.js';
import type { StorageMaintenance } from '../ports.js';

export interface LogCheckpointer {
  /** Checkpoints now; on failure remembers to try again from `task`. */
  checkpoint(): Promise<boolean>;
  readonly task: PeriodicTask;
}

/**
 * `onFailing` is told once when checkpoints start failing (not for every purge while a reader
 * holds the log back: purges run concurrently, and each would otherwise log its own failure).
 */
export function createLogCheckpointer(
  maintenance: StorageMaintenance,
  onFailing: () => void = () => {},
  retryEveryMs = 5_000,
): LogCheckpointer {
  let isOwed = false;
  const checkpoint = async () => {
    const done = await maintenance.checkpointLog();
    if (!done && !isOwed) onFailing();
    isOwed = !done;
    return done;
  };
  return {
    checkpoint,
    task: {
      name: 'wal-checkpoint-after-purge',
      everyMs: retryEveryMs,
      run: async () => (isOwed ? checkpoint() : true),
    },
  };
}
