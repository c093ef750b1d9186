/**
 * The cancellation itself, inside a transaction the caller owns (single cancel, batch cancel and
 * every surface share it). Two phases: every rule is checked before anything is written, so a
 * refusal never leaves a partial change; then each request of the sequence moves with a
 * compare-and-set, its audit event and its outbox rows.
 */
import { AuditWriter } from '../audit.js';
import { cancelRefusalFor, ownerCopyNeeded, recipientsFor } from '../cancellation-rules.js';
import { CoreError } from '../errors.js';
import type { Cancellation, NotifyPolicy, Retention, SignatureRequest } from '../model.js';
import type { CoreDeps, Tx } from '../ports.js';
import { CANCELLABLE } from '../state-machine.js';
import { findRequest } from './find-request.js';

export interface CancelFields {
  /** Internal reason, kept in the audit trail and shown to the owner. */
  readonly reason?: string | null;
  /** Message to the signers who are notified. */
  readonly message?: string | null;
  readonly reasonCode?: string | null;
  readonly notify: NotifyPolicy;
  readonly retention?: Retention;
}

export interface NotifiedSigner {
  readonly requestId: string;
  readonly signerId: string;
  readonly name: string;
  readonly email: string;
}

export interface CancelResult {
  readonly request: SignatureRequest;
  /** Every request this cancel moved: the named one first, then the rest of its sequence. */
  readonly cancelledIds: readonly string[];
  readonly notified: readonly NotifiedSigner[];
}

export async function cancelInTransaction(
  tx: Tx,
  deps: Pick<CoreDeps, 'ids'>,
  audit: AuditWriter,
  tenantId: string,
  anyId: string,
  fields: CancelFields,
  actor: Cancellation['actor'],
  now: number,
): Promise<CancelResult> {
  const target = await findRequest(tx, tenantId, anyId);
  const members = await loadSequence(tx, target);

  // Phase 1: decide. Nothing has been written yet.
  // Outside a sequence the compare-and-set below checks the session itself (one query fewer).
  const refusal = cancelRefusalFor(target.status) ?? (members.length > 1 ? await activeSessionRefusal(tx, members, now) : null);
  if (refusal) {
    await recordRefusal(tx, deps, audit, target, refusal, now);
    throw new CoreError(refusal, undefined, { status: target.status, requestId: target.id });
  }

  // Phase 2: move every cancellable member of the sequence; a failed compare-and-set means a
  // concurrent change slipped in, and the whole cancel rolls back (conflict, retryable).
  const cancellation: Cancellation = {
    cancelledAt: now,
    actor,
    reason: fields.reason ?? null,
    message: fields.message ?? null,
    reasonCode: fields.reasonCode ?? null,
    notify: fields.notify,
  };
  let sender: string | null | undefined;
  const notified: NotifiedSigner[] = [];
  const cancelledIds: string[] = [];
  for (const member of members.filter((request) => CANCELLABLE.includes(request.status))) {
    const moved = await tx.requests.changeStatus({
      requestId: member.id, from: CANCELLABLE, to: 'cancelled', now, requireNoActiveSession: true, cancellation,
    });
    if (!moved) {
      // Nothing has been written for a lone request yet, so an active session is still a clean refusal.
      if (members.length === 1 && (await activeSessionRefusal(tx, members, now))) {
        await recordRefusal(tx, deps, audit, target, 'active_session', now);
        throw new CoreError('active_session', undefined, { status: target.status, requestId: target.id });
      }
      throw new CoreError('conflict', 'The request changed while it was being cancelled; retry.');
    }
    cancelledIds.push(member.id);
    const event = await audit.append({
      tenantId, requestId: member.id, type: 'request.cancelled', reason: cancellation.reason,
      data: {
        from: member.status, message: cancellation.message, reason_code: cancellation.reasonCode, notify: cancellation.notify,
        retention: fields.retention ?? { mode: 'retain' }, ...(member.id !== target.id ? { via_sequence_of: target.id } : {}),
      },
    });
    await enqueue(tx, deps, tenantId, now, 'event', { event_id: event.id, type: 'signature_request.cancelled', request_id: member.id });
    for (const signer of recipientsFor(cancellation.notify, member.signers)) {
      notified.push({ requestId: member.id, signerId: signer.id, name: signer.name, email: signer.email });
      sender ??= (await tx.tenants.get(tenantId))?.name ?? null;
      await enqueue(tx, deps, tenantId, now, 'email', {
        template: 'request_cancelled', request_id: member.id, signer_id: signer.id,
        to: { name: signer.name, address: signer.email }, signer_had_signed: signer.status === 'signed',
        title: member.title, sender, actor: actor.display ?? null,
        message: cancellation.message, reason_code: cancellation.reasonCode, cancelled_at: now,
      });
    }
    await enqueueRetention(tx, deps, member, fields.retention ?? { mode: 'retain' }, cancellation, now);
  }
  // The target's new state is known exactly; re-reading it would cost four queries per cancel.
  const request: SignatureRequest = { ...target, status: 'cancelled', cancellation, updatedAt: now, version: target.version + 1 };
  return { request, cancelledIds, notified };
}

async function loadSequence(tx: Tx, target: SignatureRequest): Promise<SignatureRequest[]> {
  if (!target.sequenceId) return [target];
  const ids = await tx.requests.idsInSequence(target.tenantId, target.sequenceId);
  const others = await Promise.all(ids.filter((id) => id !== target.id).map((id) => findRequest(tx, target.tenantId, id)));
  return [target, ...others];
}

/** An open "Proceed to Sign" session on any request of the sequence blocks the whole cancel. */
async function activeSessionRefusal(tx: Tx, members: SignatureRequest[], now: number): Promise<'active_session' | null> {
  for (const member of members) {
    if (CANCELLABLE.includes(member.status) && (await tx.sessions.active(member.id, now)).length > 0) return 'active_session';
  }
  return null;
}

async function recordRefusal(
  tx: Tx, deps: Pick<CoreDeps, 'ids'>, audit: AuditWriter, target: SignatureRequest, code: string, now: number,
): Promise<void> {
  const event = await audit.append({
    tenantId: target.tenantId, requestId: target.id, type: 'request.cancel_refused', data: { code, status: target.status },
  });
  await enqueue(tx, deps, target.tenantId, now, 'event', {
    event_id: event.id, type: 'signature_request.cancel_failed', request_id: target.id, code,
  });
}

async function enqueueRetention(
  tx: Tx, deps: Pick<CoreDeps, 'ids'>, request: SignatureRequest, retention: Retention, cancellation: Cancellation, now: number,
): Promise<void> {
  const base = { request_id: request.id, document_id: request.document.id };
  switch (retention.mode) {
    case 'retain':
      await enqueue(tx, deps, request.tenantId, now, 'document.void_copy', { ...base, actor: cancellation.actor.display ?? null, reason: cancellation.reason });
      return;
    case 'purge':
      if (ownerCopyNeeded(request.signers) && request.ownerEmail) {
        await enqueue(tx, deps, request.tenantId, now, 'document.owner_copy_then_purge', { ...base, owner_email: request.ownerEmail });
      } else {
        await enqueue(tx, deps, request.tenantId, now, 'document.purge', base);
      }
      return;
    case 'purge_after':
      await enqueue(tx, deps, request.tenantId, now, 'document.purge', base, now + retention.days * 86_400_000);
      return;
  }
}

export async function enqueue(
  tx: Tx, deps: Pick<CoreDeps, 'ids'>, tenantId: string, now: number, topic: string, payload: Record<string, unknown>, availableAt = now,
): Promise<void> {
  await tx.outbox.enqueue({ id: deps.ids.next('obx'), tenantId, topic, payload, availableAt, createdAt: now });
}
