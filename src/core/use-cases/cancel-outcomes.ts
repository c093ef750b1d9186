/**
 * How a cancel ends, for every cancel path: the Cancellation it records, the result it answers
 * with, or its refusal (an audit event and a cancel_failed webhook, then the CoreError).
 */
import type { AuditWriter } from '../audit.js';
import type { cancelRefusalFor } from '../cancellation-rules.js';
import { CoreError } from '../errors.js';
import type { Cancellation, PendingCancellation, SignatureRequest } from '../model.js';
import type { AuditEventData } from '../events/audit-events.js';
import type { CoreDeps, Tx } from '../ports.js';
import type { CancelFields, CancelOptions, CancelResult, NotifiedSigner } from './cancel-types.js';
import { enqueueEvent } from './outbox-messages.js';

export type RefusalCode = NonNullable<ReturnType<typeof cancelRefusalFor>> | 'active_session';

export function cancellationOf(fields: CancelFields, actor: Cancellation['actor'], now: number): Cancellation {
  return {
    cancelledAt: now,
    actor,
    reason: fields.reason ?? null,
    message: fields.message ?? null,
    reasonCode: fields.reasonCode ?? null,
    notify: fields.notify,
  };
}

export function cancelledResult(
  target: SignatureRequest,
  cancelledIds: string[],
  notified: NotifiedSigner[],
  cancellation: Cancellation,
  now: number,
): CancelResult {
  // The target's new state is known exactly; re-reading it would cost four queries per cancel.
  const request: SignatureRequest = {
    ...target,
    status: 'cancelled',
    cancellation,
    updatedAt: now,
    version: target.version + 1,
    pendingCancellation: null,
  };
  return { outcome: 'cancelled', request, cancelledIds, notified };
}

/** The audit data that ties a cancel or its refusal to the deferred cancel it carries out. */
export function deferredData(
  deferred: PendingCancellation | undefined,
): Pick<AuditEventData<'request.cancelled'>, 'deferred'> {
  return deferred ? { deferred: { pending_cancellation_id: deferred.id, requested_at: deferred.requestedAt } } : {};
}

/** Records the refusal (audit event and webhook) and throws it: the refusal itself is committed. */
export async function refuse(
  tx: Tx,
  deps: Pick<CoreDeps, 'ids'>,
  audit: AuditWriter,
  target: SignatureRequest,
  code: RefusalCode,
  now: number,
  options: CancelOptions = {},
): Promise<never> {
  const event = await audit.append({
    tenantId: target.tenantId,
    requestId: target.id,
    type: 'request.cancel_refused',
    data: { code, status: target.status, ...deferredData(options.deferred) },
  });
  await enqueueEvent(tx, deps, target.tenantId, now, {
    event_id: event.id,
    type: 'signature_request.cancel_failed',
    request_id: target.id,
    code,
  });
  throw new CoreError(code, undefined, { status: target.status, requestId: target.id });
}
