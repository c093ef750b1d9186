/**
 * The cancellation itself, inside a transaction the caller owns (single cancel, batch cancel and
 * every surface share it). Two phases: every rule is checked before anything is written, so a
 * refusal never leaves a partial change; then each request of the sequence moves with a
 * compare-and-set, its audit event and its outbox rows.
 */
import type { AuditWriter } from '../audit.js';
import { cancelRefusalFor } from '../cancellation-rules.js';
import { CoreError } from '../errors.js';
import type { CallContext, SignatureRequest, SignSession } from '../model.js';
import type { CoreDeps, Tx } from '../ports.js';
import { CANCELLABLE } from '../state-machine.js';
import { cancelledResult, cancellationOf, refuse } from './cancel-outcomes.js';
import type { CancelFields, CancelOptions, CancelOutcome, DeferredResult } from './cancel-types.js';
import { deferCancellation } from './defer-cancellation.js';
import { findRequest } from './find-request.js';
import { recordCancellations } from './record-cancellations.js';

export type {
  CancelFields,
  CancelOptions,
  CancelOutcome,
  CancelResult,
  DeferredResult,
  NotifiedSigner,
} from './cancel-types.js';

export async function cancelInTransaction(
  tx: Tx,
  deps: Pick<CoreDeps, 'ids'>,
  audit: AuditWriter,
  tenantId: string,
  anyId: string,
  fields: CancelFields,
  context: CallContext,
  now: number,
  options: CancelOptions = {},
): Promise<CancelOutcome> {
  const target = await findRequest(tx, tenantId, anyId);
  const members = await loadSequence(tx, target);

  // Phase 1: decide. Nothing has been written yet.
  // Outside a sequence the compare-and-set below checks the session itself (one query fewer).
  const refusal = cancelRefusalFor(target.status);
  if (refusal) return refuse(tx, deps, audit, target, refusal, now, options);
  if (members.length > 1) {
    const blocking = await activeSessionsOf(tx, members, now);
    if (blocking.length > 0) return blocked(tx, deps, audit, target, blocking, fields, context, now);
  }

  // Phase 2: move every cancellable member of the sequence; a failed compare-and-set means a
  // concurrent change slipped in, and the whole cancel rolls back (conflict, retryable).
  const cancellation = cancellationOf(fields, context.actor, now);
  const moved: SignatureRequest[] = [];
  for (const member of members.filter((request) => CANCELLABLE.includes(request.status))) {
    const changed = await tx.requests.changeStatus({
      requestId: member.id,
      from: CANCELLABLE,
      to: 'cancelled',
      now,
      requireNoActiveSession: true,
      cancellation,
    });
    if (!changed) {
      // Nothing has been written for a lone request yet, so an active session is still a clean refusal (or deferral).
      const blocking = members.length === 1 ? await activeSessionsOf(tx, members, now) : [];
      if (blocking.length > 0) return blocked(tx, deps, audit, target, blocking, fields, context, now);
      throw new CoreError('conflict', 'The request changed while it was being cancelled; retry.');
    }
    moved.push(member);
  }
  const notified = await recordCancellations(
    tx,
    deps,
    audit,
    moved.map((member) => ({ member, target })),
    cancellation,
    fields,
    now,
    options,
  );
  return cancelledResult(
    target,
    moved.map((member) => member.id),
    notified,
    cancellation,
    now,
  );
}

/** A sign session blocks the cancel: refused (the documented default), or deferred until it ends. */
async function blocked(
  tx: Tx,
  deps: Pick<CoreDeps, 'ids'>,
  audit: AuditWriter,
  target: SignatureRequest,
  blocking: readonly SignSession[],
  fields: CancelFields,
  context: CallContext,
  now: number,
): Promise<DeferredResult> {
  if (fields.onActiveSession === 'defer')
    return deferCancellation(tx, deps, audit, target, blocking, fields, context, now);
  return refuse(tx, deps, audit, target, 'active_session', now);
}

/** The request and, when it belongs to a sequence, every other member (the cancel takes them all). */
export async function loadSequence(tx: Tx, target: SignatureRequest): Promise<SignatureRequest[]> {
  if (!target.sequenceId) return [target];
  const ids = await tx.requests.idsInSequence(target.tenantId, target.sequenceId);
  const others = await Promise.all(
    ids.filter((id) => id !== target.id).map((id) => findRequest(tx, target.tenantId, id)),
  );
  return [target, ...others];
}

/** The open "Proceed to Sign" sessions of the sequence: any one blocks the whole cancel. */
export async function activeSessionsOf(
  tx: Tx,
  members: readonly SignatureRequest[],
  now: number,
): Promise<SignSession[]> {
  const sessions: SignSession[] = [];
  for (const member of members)
    if (CANCELLABLE.includes(member.status)) sessions.push(...(await tx.sessions.active(member.id, now)));
  return sessions;
}
