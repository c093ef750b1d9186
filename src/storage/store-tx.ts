/**
 * What one transaction of the opened store reaches: the core's repositories (`Tx`), delivery's
 * (`DeliveryRepositories`, declared by delivery) and the providers' own tables
 * (`ProviderRepositories`, declared here so that storage imports no provider code). Core use cases
 * see only `Tx`; a provider or delivery that must write its own rows with a core change opens one
 * transaction on this and calls the core's `…InTransaction` use case inside it.
 */
import type { Store, Tx } from '../core/ports.js';
import type { DeliveryRepositories, StorageMaintenance } from '../delivery/ports.js';
import type { ProviderRepositories } from './provider-repositories.js';

export type StoreTx = Tx & DeliveryRepositories & ProviderRepositories;

/**
 * The store `openStore` gives the composition root: transactions on `StoreTx`, and what a
 * database does outside any transaction.
 */
export interface OpenedStore extends Store<StoreTx> {
  /** Housekeeping outside transactions (the write-ahead log's checkpoint after a purge). */
  readonly maintenance: StorageMaintenance;
  /** Applies the pending migrations; returns the names of those applied. */
  migrate(): Promise<string[]>;
  /**
   * `npm run bench`'s baseline only (COUNTERSIGN_BENCH_ROUTES): one UPDATE of a request's
   * updated_at, with no transaction or lock around it; returns the rows changed.
   */
  benchBareUpdate(requestId: string, now: number): Promise<number>;
}
