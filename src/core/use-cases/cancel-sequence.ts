/**
 * Cancels a sequence as a whole. Cancelling any member takes every cancellable member with it
 * (cancelInTransaction), so the sequence is cancelled through its first member that can still be
 * cancelled; when none can, through its first member, whose refusal says why (already completed,
 * already cancelled, …) and is recorded like any refused cancel. The choice and the cancel are made
 * in one transaction, on the same state. A sequence without requests cancels nothing (undefined).
 */
import { AuditWriter } from '../audit.js';
import { notFound } from '../errors.js';
import type { CallContext } from '../model.js';
import type { CoreDeps } from '../ports.js';
import { isCancellable } from '../state-machine.js';
import { cancelInTransaction, type CancelFields, type CancelOutcome } from './cancel-in-transaction.js';
import { runIdempotent, unwrapOutcome } from './idempotency.js';

export interface CancelSequenceInput extends CancelFields {
  readonly tenantId: string;
  /** The sequence's own id or the id a surface showed for it; another tenant's is not found. */
  readonly sequenceId: string;
  readonly context: CallContext;
}

export async function cancelSequence(deps: CoreDeps, input: CancelSequenceInput): Promise<CancelOutcome | undefined> {
  const now = deps.clock.now();
  const { context, tenantId, sequenceId, ...fields } = input;
  const { outcome } = await deps.store.transaction(async (tx) => {
    const sequence = await tx.sequences.get(tenantId, sequenceId);
    if (!sequence) throw notFound('Sequence');
    const ids = await tx.requests.idsInSequence(tenantId, sequence.id);
    const members = await tx.requests.getMany(tenantId, ids);
    const target = ids.find((id) => isCancellable(members.get(id)!.status)) ?? ids[0];
    // The refusal of a member is an outcome: recorded (and committed) before it is thrown below.
    return runIdempotent(tx, tenantId, 'cancel', undefined, now, async () => {
      if (target === undefined) return undefined;
      const audit = new AuditWriter(tx, deps.ids, context, now);
      return cancelInTransaction(tx, deps, audit, tenantId, target, fields, context, now);
    });
  });
  return unwrapOutcome(outcome);
}
