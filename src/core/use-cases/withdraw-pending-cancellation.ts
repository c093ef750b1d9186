/**
 * The sender takes back a deferred cancel before it is carried out (ADR 7): the pending
 * cancellation is deleted with its audit event (`request.cancel_withdrawn`) and webhook event, and
 * sign sessions may start again. The outbox row that would have carried it out finds nothing and ends.
 */
import { AuditWriter } from '../audit.js';
import { CoreError } from '../errors.js';
import type { CallContext, PendingCancellation, SignatureRequest } from '../model.js';
import type { CoreDeps } from '../ports.js';
import { CANCELLABLE } from '../state-machine.js';
import { findRequest } from './find-request.js';
import { runIdempotent, unwrapOutcome } from './idempotency.js';
import { enqueueEvent } from './outbox-messages.js';

export interface WithdrawPendingCancellationInput {
  readonly tenantId: string;
  /** Any id of the request, or of another request of its sequence. */
  readonly requestId: string;
  readonly context: CallContext;
  readonly idempotencyKey?: string;
}

export interface WithdrawnCancellation {
  readonly request: SignatureRequest;
  readonly withdrawn: PendingCancellation;
}

export async function withdrawPendingCancellation(
  deps: CoreDeps,
  input: WithdrawPendingCancellationInput,
): Promise<WithdrawnCancellation & { replayed: boolean }> {
  const now = deps.clock.now();
  const { tenantId, requestId, context, idempotencyKey } = input;
  const { outcome, replayed } = await deps.store.transaction(async (tx) => {
    const idempotency = idempotencyKey ? { key: idempotencyKey, fingerprint: { requestId } } : undefined;
    return runIdempotent(
      tx,
      tenantId,
      'withdraw-cancel',
      idempotency,
      now,
      async (): Promise<WithdrawnCancellation> => {
        const request = await findRequest(tx, tenantId, requestId);
        const pending = request.pendingCancellation;
        if (!pending || !(await tx.pendingCancellations.delete(tenantId, pending.id))) {
          throw new CoreError('not_found', 'This request has no pending cancellation.', {
            status: request.status,
            requestId: request.id,
          });
        }
        const touched = await tx.requests.touch(request.id, CANCELLABLE, now);
        const event = await new AuditWriter(tx, deps.ids, context, now).append({
          tenantId,
          requestId: request.id,
          type: 'request.cancel_withdrawn',
          data: {
            pending_cancellation_id: pending.id,
            requested_at: pending.requestedAt,
            ...(pending.requestId !== request.id ? { via_sequence_of: pending.requestId } : {}),
          },
        });
        await enqueueEvent(tx, deps, tenantId, now, {
          event_id: event.id,
          type: 'signature_request.cancel_withdrawn',
          request_id: request.id,
        });
        const updated = touched ? { updatedAt: now, version: request.version + 1 } : {};
        return { request: { ...request, ...updated, pendingCancellation: null }, withdrawn: pending };
      },
    );
  });
  return { ...unwrapOutcome(outcome), replayed };
}
