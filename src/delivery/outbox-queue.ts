/**
 * The outbox queue as the worker and the operator tools use it: each operation one transaction of
 * the store on `tx.outboxQueue` (a claim, an outcome with its follow-up rows, a replay), or one read.
 * Write transactions queue with every other writer and share its group commit (ADR 2).
 */
import type { Store } from '../core/ports.js';
import type { DeliveryTx, OutboxQueue } from './ports.js';

export function createOutboxQueue(store: Store<DeliveryTx>): OutboxQueue {
  return {
    hasDue: (now) => store.read((tx) => tx.outboxQueue.hasDue(now)),
    claim: (worker, now, leaseMs, limit) =>
      store.transaction((tx) => tx.outboxQueue.claim(worker, now, leaseMs, limit)),
    complete: (id, worker, now, followUps) =>
      store.transaction((tx) => tx.outboxQueue.complete(id, worker, now, followUps)),
    retry: (id, worker, at, error) => store.transaction((tx) => tx.outboxQueue.retry(id, worker, at, error)),
    deadLetter: (id, worker, now, error) =>
      store.transaction((tx) => tx.outboxQueue.deadLetter(id, worker, now, error)),
    get: (id) => store.read((tx) => tx.outboxQueue.get(id)),
    list: (query) => store.read((tx) => tx.outboxQueue.list(query)),
    replay: (id, now) => store.transaction((tx) => tx.outboxQueue.replay(id, now)),
    replayAllDead: (now, tenantId) => store.transaction((tx) => tx.outboxQueue.replayAllDead(now, tenantId)),
    pruneDone: (before, limit) => store.transaction((tx) => tx.outboxQueue.pruneDone(before, limit)),
  };
}
