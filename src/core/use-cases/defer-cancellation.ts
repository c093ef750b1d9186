/**
 * Deferring a cancel (ADR 7): the sender cancelled with `on_active_session: "defer"` while a signer
 * was in a sign session. Recorded with its audit event, its webhook event and the row that will
 * carry it out when the blocking sessions end, in the cancel's transaction. From then on no new
 * session may start on the request or its sequence (startSignSession refuses with cancel_pending).
 */
import type { AuditWriter } from '../audit.js';
import type { CallContext, PendingCancellation, SignatureRequest, SignSession } from '../model.js';
import type { CoreDeps, Tx } from '../ports.js';
import { CANCELLABLE } from '../state-machine.js';
import type { CancelFields, DeferredResult } from './cancel-types.js';
import { enqueueEvent, enqueuePendingCancellationCheck } from './outbox-messages.js';

/** The context kept for the later cancel: who and from where, without this HTTP call's id. */
function keptContext(context: CallContext): CallContext {
  return {
    actor: context.actor,
    surface: context.surface,
    ...(context.ip !== undefined ? { ip: context.ip } : {}),
    ...(context.userAgent !== undefined ? { userAgent: context.userAgent } : {}),
  };
}

export async function deferCancellation(
  tx: Tx,
  deps: Pick<CoreDeps, 'ids'>,
  audit: AuditWriter,
  target: SignatureRequest,
  blocking: readonly SignSession[],
  fields: CancelFields,
  context: CallContext,
  now: number,
): Promise<DeferredResult> {
  // A second defer while one is pending (for this request or its sequence) changes nothing.
  if (target.pendingCancellation)
    return { outcome: 'deferred', request: target, pending: target.pendingCancellation, created: false };
  const pending: PendingCancellation = {
    id: deps.ids.next('pcl'),
    requestId: target.id,
    requestedAt: now,
    context: keptContext(context),
    reason: fields.reason ?? null,
    message: fields.message ?? null,
    reasonCode: fields.reasonCode ?? null,
    notify: fields.notify,
    retention: fields.retention ?? { mode: 'retain' },
  };
  await tx.pendingCancellations.insert({ ...pending, tenantId: target.tenantId, sequenceId: target.sequenceId });
  // The request's representation changed: its version moves, as with any change.
  await tx.requests.touch(target.id, CANCELLABLE, now);
  const until = Math.max(...blocking.map((session) => session.expiresAt));
  const event = await audit.append({
    tenantId: target.tenantId,
    requestId: target.id,
    type: 'request.cancel_deferred',
    reason: pending.reason,
    data: {
      pending_cancellation_id: pending.id,
      message: pending.message,
      reason_code: pending.reasonCode,
      notify: pending.notify,
      retention: pending.retention,
      blocking_sessions: blocking.map((session) => session.id),
      sessions_end_by: until,
    },
  });
  await enqueueEvent(tx, deps, target.tenantId, now, {
    event_id: event.id,
    type: 'signature_request.cancel_deferred',
    request_id: target.id,
  });
  await enqueuePendingCancellationCheck(tx, deps, target.tenantId, pending, now, until);
  return {
    outcome: 'deferred',
    pending,
    created: true,
    request: { ...target, pendingCancellation: pending, updatedAt: now, version: target.version + 1 },
  };
}
