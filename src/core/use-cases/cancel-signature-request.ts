import { AuditWriter } from '../audit.js';
import type { CallContext } from '../model.js';
import type { CoreDeps } from '../ports.js';
import { cancelInTransaction, type CancelFields, type CancelOutcome } from './cancel-in-transaction.js';
import { runIdempotent, unwrapOutcome } from './idempotency.js';

export interface CancelSignatureRequestInput extends CancelFields {
  readonly tenantId: string;
  /** The request's id in any form a surface showed it. */
  readonly requestId: string;
  readonly context: CallContext;
  readonly idempotencyKey?: string;
}

/**
 * Cancels one request (and the rest of its sequence). A refusal is recorded in the audit trail
 * and thrown as a CoreError; with an idempotency key, the first outcome is replayed verbatim.
 * With `onActiveSession: "defer"`, a request blocked by a sign session is deferred instead (ADR 7).
 */
export async function cancelSignatureRequest(
  deps: CoreDeps,
  input: CancelSignatureRequestInput,
): Promise<CancelOutcome & { replayed: boolean }> {
  const now = deps.clock.now();
  const { context, idempotencyKey, tenantId, requestId, ...fields } = input;
  const { outcome, replayed } = await deps.store.transaction((tx) => {
    const audit = new AuditWriter(tx, deps.ids, context, now);
    const idempotency = idempotencyKey ? { key: idempotencyKey, fingerprint: { requestId, fields } } : undefined;
    return runIdempotent(tx, tenantId, 'cancel', idempotency, now, () =>
      cancelInTransaction(tx, deps, audit, tenantId, requestId, fields, context, now),
    );
  });
  return { ...unwrapOutcome(outcome), replayed };
}
