/**
 * Carries out a deferred cancel once the sign sessions that held it off have ended (ADR 7). Run by
 * the outbox row the deferral (or the signature or decline that ended a session) queued; it decides
 * everything again in its own transaction, so an early, late or repeated row is harmless:
 * - nothing pending under that id (withdrawn, carried out, superseded): nothing happens;
 * - a session of the request or its sequence still active: wait until it ends;
 * - otherwise the ordinary cancel runs with the sender's context, fields and retention: cancelled,
 *   or refused (already_signed, declined) with its audit event and cancel_failed webhook event,
 *   each marked as the deferred cancel's. Either way the pending cancellation is done with.
 */
import { AuditWriter } from '../audit.js';
import { cancelRefusalFor } from '../cancellation-rules.js';
import { isCoreError, type ErrorCode } from '../errors.js';
import type { CoreDeps } from '../ports.js';
import { activeSessionsOf, cancelInTransaction, loadSequence } from './cancel-in-transaction.js';

export type Resolution =
  | { readonly kind: 'nothing_pending' }
  | { readonly kind: 'waiting'; readonly until: number }
  | { readonly kind: 'cancelled'; readonly cancelledIds: readonly string[] }
  | { readonly kind: 'refused'; readonly code: ErrorCode };

export async function resolvePendingCancellation(
  deps: CoreDeps,
  input: { readonly tenantId: string; readonly requestId: string; readonly pendingCancellationId: string },
): Promise<Resolution> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx): Promise<Resolution> => {
    const target = await tx.requests.get(input.tenantId, input.requestId);
    const pending = target?.pendingCancellation;
    if (!target || !pending || pending.id !== input.pendingCancellationId) return { kind: 'nothing_pending' };
    if (cancelRefusalFor(target.status) === null) {
      const sessions = await activeSessionsOf(tx, await loadSequence(tx, target), now);
      if (sessions.length > 0)
        return { kind: 'waiting', until: Math.max(...sessions.map((session) => session.expiresAt)) };
    }
    const audit = new AuditWriter(tx, deps.ids, pending.context, now);
    const fields = {
      reason: pending.reason,
      message: pending.message,
      reasonCode: pending.reasonCode,
      notify: pending.notify,
      retention: pending.retention,
    };
    try {
      const outcome = await cancelInTransaction(
        tx,
        deps,
        audit,
        input.tenantId,
        target.id,
        fields,
        pending.context,
        now,
        { deferred: pending },
      );
      // No session is active (checked above), so the cancel cannot have been deferred again.
      return { kind: 'cancelled', cancelledIds: outcome.outcome === 'cancelled' ? outcome.cancelledIds : [] };
    } catch (error) {
      if (!isCoreError(error) || error.code === 'conflict') throw error;
      // The refusal's audit event and webhook event are written; the deferred cancel is over.
      await tx.pendingCancellations.delete(input.tenantId, pending.id);
      return { kind: 'refused', code: error.code };
    }
  });
}
