/**
 * Batch cancel: up to 10,000 requests named by id or chosen by a filter, in one transaction,
 * with a per-item result. Each item is judged on its own (a refusal does not undo the others).
 * With `onActiveSession: "defer"`, an item blocked by a sign session is deferred (ADR 7).
 * A dry run performs the very same work and rolls it back, so what it reports is exactly what
 * a real run would do at that moment, and nothing changes.
 */
import { AuditWriter } from '../audit.js';
import { MAX_BATCH_CANCEL } from '../cancellation-rules.js';
import { CoreError, isCoreError, type ErrorCode } from '../errors.js';
import type { CallContext, PendingCancellation, SignatureRequest } from '../model.js';
import type { CoreDeps, RequestFilter } from '../ports.js';
import type { RequestStatus } from '../state-machine.js';
import {
  cancelInTransaction,
  type CancelFields,
  type CancelOutcome,
  type NotifiedSigner,
} from './cancel-in-transaction.js';
import { cancelLoneRequests } from './cancel-lone-requests.js';
import { runIdempotent, unwrapOutcome } from './idempotency.js';

export interface BatchCancelInput extends CancelFields {
  readonly tenantId: string;
  readonly ids?: readonly string[];
  readonly filter?: RequestFilter;
  readonly dryRun: boolean;
  readonly context: CallContext;
  readonly idempotencyKey?: string;
}

export type BatchItemResult =
  | {
      readonly id: string;
      readonly outcome: 'cancelled' | 'would_cancel';
      readonly status: RequestStatus;
      readonly notified: readonly NotifiedSigner[];
      readonly viaSequenceOf?: string;
      readonly alsoCancelled: readonly string[];
    }
  | {
      readonly id: string;
      readonly outcome: 'deferred' | 'would_defer';
      readonly status: RequestStatus;
      readonly pending: PendingCancellation;
    }
  | {
      readonly id: string;
      readonly outcome: 'refused';
      readonly code: ErrorCode;
      readonly message: string;
      readonly status?: string;
    };

export interface BatchCancelResult {
  readonly dryRun: boolean;
  readonly total: number;
  readonly cancelled: number;
  /** Items blocked by a sign session whose cancel now waits for it to end (onActiveSession "defer"). */
  readonly deferred: number;
  readonly refused: number;
  readonly items: readonly BatchItemResult[];
}

class DryRunRollback extends Error {
  constructor(readonly result: BatchCancelResult) {
    super('dry run');
  }
}

function itemOf(id: string, outcome: CancelOutcome | CoreError, dryRun: boolean): BatchItemResult {
  if (outcome instanceof CoreError) {
    if (outcome.code === 'conflict') throw outcome;
    return { id, outcome: 'refused', code: outcome.code, message: outcome.message, status: outcome.details.status };
  }
  if (outcome.outcome === 'deferred') {
    return {
      id,
      outcome: dryRun ? 'would_defer' : 'deferred',
      status: outcome.request.status,
      pending: outcome.pending,
    };
  }
  return {
    id,
    outcome: dryRun ? 'would_cancel' : 'cancelled',
    status: outcome.request.status,
    notified: outcome.notified,
    alsoCancelled: outcome.cancelledIds.slice(1),
  };
}

export async function cancelSignatureRequestsBatch(
  deps: CoreDeps,
  input: BatchCancelInput,
): Promise<BatchCancelResult & { replayed: boolean }> {
  if ((input.ids === undefined) === (input.filter === undefined)) {
    throw new CoreError('validation_failed', 'Give either ids or filter, not both.');
  }
  if (input.ids && input.ids.length > MAX_BATCH_CANCEL) throw new CoreError('batch_too_large');
  const now = deps.clock.now();
  const { context, idempotencyKey, tenantId, ids, filter, dryRun, ...fields } = input;
  try {
    const { outcome, replayed } = await deps.store.transaction(async (tx) => {
      const audit = new AuditWriter(tx, deps.ids, context, now);
      const idempotency =
        idempotencyKey && !dryRun ? { key: idempotencyKey, fingerprint: { ids, filter, fields } } : undefined;
      const result = await runIdempotent(tx, tenantId, 'batch-cancel', idempotency, now, async () => {
        const targets = ids
          ? [...new Set(ids)]
          : await tx.requests.listIds(tenantId, filter ?? {}, MAX_BATCH_CANCEL + 1);
        if (targets.length > MAX_BATCH_CANCEL)
          throw new CoreError('batch_too_large', 'The filter matches more than 10,000 requests; narrow it.');
        // Requests named by their own id and outside any sequence (nearly all of them) are loaded with
        // one query and cancelled together (cancelLoneRequests); the rest (aliases, sequences, unknown
        // ids) one by one. Lone requests waiting to be cancelled are flushed before each of the others,
        // so the outcome is exactly that of judging every id in order.
        const loaded = await tx.requests.getMany(tenantId, targets);
        const cascaded = new Map<string, string>();
        const touched = new Set<string>();
        const items: BatchItemResult[] = new Array<BatchItemResult>(targets.length);
        let lone: { index: number; request: SignatureRequest }[] = [];
        const flushLone = async () => {
          if (lone.length === 0) return;
          const outcomes = await cancelLoneRequests(
            tx,
            deps,
            audit,
            lone.map((entry) => entry.request),
            fields,
            context,
            now,
          );
          outcomes.forEach((outcome, position) => {
            const { index, request } = lone[position]!;
            items[index] = itemOf(request.id, outcome, dryRun);
          });
          lone = [];
        };
        for (const [index, id] of targets.entries()) {
          const via = cascaded.get(id);
          if (via !== undefined) {
            items[index] = {
              id,
              outcome: dryRun ? 'would_cancel' : 'cancelled',
              status: 'cancelled',
              notified: [],
              viaSequenceOf: via,
              alsoCancelled: [],
            };
            continue;
          }
          const request = loaded.get(id);
          if (request && request.sequenceId === null && !touched.has(id)) {
            lone.push({ index, request });
            continue;
          }
          await flushLone();
          let outcome: CancelOutcome | CoreError;
          try {
            outcome = await cancelInTransaction(tx, deps, audit, tenantId, id, fields, context, now);
            const cancelledIds = outcome.outcome === 'cancelled' ? outcome.cancelledIds : [];
            for (const other of cancelledIds.slice(1)) cascaded.set(other, id);
            for (const moved of cancelledIds) touched.add(moved);
          } catch (error) {
            if (!isCoreError(error)) throw error;
            outcome = error;
          }
          items[index] = itemOf(id, outcome, dryRun);
        }
        await flushLone();
        const refused = items.filter((item) => item.outcome === 'refused').length;
        const deferred = items.filter((item) => item.outcome === 'deferred' || item.outcome === 'would_defer').length;
        return { dryRun, total: items.length, cancelled: items.length - refused - deferred, deferred, refused, items };
      });
      if (dryRun) throw new DryRunRollback(unwrapOutcome(result.outcome));
      return result;
    });
    return { ...unwrapOutcome(outcome), replayed };
  } catch (error) {
    if (error instanceof DryRunRollback) return { ...error.result, replayed: false };
    throw error;
  }
}
