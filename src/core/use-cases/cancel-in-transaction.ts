/**
 * The cancellation itself, inside a transaction the caller owns (single cancel, batch cancel and
 * every surface share it). Two phases: every rule is checked before anything is written, so a
 * refusal never leaves a partial change; then each request of the sequence moves with a
 * compare-and-set, its audit event and its outbox rows.
 */
import { AuditWriter, type AuditEntry } from '../audit.js';
import { cancelRefusalFor, ownerCopyNeeded, recipientsFor } from '../cancellation-rules.js';
import { CoreError } from '../errors.js';
import type {
  CallContext,
  Cancellation,
  NotifyPolicy,
  PendingCancellation,
  Retention,
  SignatureRequest,
  SignSession,
} from '../model.js';
import type { AuditEventData } from '../events/audit-events.js';
import type { OutboxBody, OutboxPayload, OutboxTopic } from '../events/outbox-topics.js';
import type { CoreDeps, OutboxMessage, Tx } from '../ports.js';
import { personNamed } from '../person-named.js';
import { CANCELLABLE } from '../state-machine.js';
import { deferCancellation, type DeferredResult } from './defer-cancellation.js';
import { findRequest } from './find-request.js';
import { EVENT_TOPIC, enqueueEvent, outboxMessage } from './outbox-messages.js';

export interface CancelFields {
  /** Internal reason, kept in the audit trail and shown to the owner. */
  readonly reason?: string | null;
  /** Message to the signers who are notified. */
  readonly message?: string | null;
  readonly reasonCode?: string | null;
  readonly notify: NotifyPolicy;
  readonly retention?: Retention;
  /**
   * What an active sign session does to the cancel: refuse it (active_session, the default and every
   * provider's rule), or defer it until the session ends (native API only; ADR 7).
   */
  readonly onActiveSession?: 'refuse' | 'defer';
}

export interface NotifiedSigner {
  readonly requestId: string;
  readonly signerId: string;
  readonly name: string;
  readonly email: string;
}

export interface CancelResult {
  readonly outcome: 'cancelled';
  readonly request: SignatureRequest;
  /** Every request this cancel moved: the named one first, then the rest of its sequence. */
  readonly cancelledIds: readonly string[];
  readonly notified: readonly NotifiedSigner[];
}

export type { DeferredResult };
/** A cancel either happened, or (with onActiveSession "defer") waits for a sign session to end. */
export type CancelOutcome = CancelResult | DeferredResult;

export interface CancelOptions {
  /** Set when this cancel carries out a deferred one: its events say so. */
  readonly deferred?: PendingCancellation;
}

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

/**
 * The batch's way in: many lone requests (no sequence), already loaded, judged in order and moved
 * with one compare-and-set, their audit events and outbox rows written with one insert each. Every
 * request gets exactly what cancelInTransaction would have given it: the same refusals, events,
 * rows and result.
 */
export async function cancelLoneRequests(
  tx: Tx,
  deps: Pick<CoreDeps, 'ids'>,
  audit: AuditWriter,
  requests: readonly SignatureRequest[],
  fields: CancelFields,
  context: CallContext,
  now: number,
): Promise<(CancelOutcome | CoreError)[]> {
  const outcomes = new Map<string, CancelOutcome | CoreError>();
  const refuseAndRecord = async (request: SignatureRequest, code: RefusalCode) => {
    outcomes.set(
      request.id,
      await refuse(tx, deps, audit, request, code, now).catch((error: unknown) => {
        if (error instanceof CoreError) return error;
        throw error;
      }),
    );
  };
  const cancellable: SignatureRequest[] = [];
  for (const request of requests) {
    if (request.sequenceId !== null) throw new Error(`cancelLoneRequests got ${request.id}, a member of a sequence`);
    const refusal = cancelRefusalFor(request.status);
    if (refusal) await refuseAndRecord(request, refusal);
    else cancellable.push(request);
  }
  const cancellation = cancellationOf(fields, context.actor, now);
  const moved = await tx.requests.changeStatusMany({
    requestIds: cancellable.map((request) => request.id),
    from: CANCELLABLE,
    to: 'cancelled',
    now,
    requireNoActiveSession: true,
    cancellation,
  });
  const done: SignatureRequest[] = [];
  for (const request of cancellable) {
    if (moved.has(request.id)) {
      done.push(request);
      continue;
    }
    const blocking = await activeSessionsOf(tx, [request], now);
    if (blocking.length === 0)
      throw new CoreError('conflict', 'A request changed while it was being cancelled; retry.');
    if (fields.onActiveSession === 'defer')
      outcomes.set(request.id, await deferCancellation(tx, deps, audit, request, blocking, fields, context, now));
    else await refuseAndRecord(request, 'active_session');
  }
  const notified = await recordCancellations(
    tx,
    deps,
    audit,
    done.map((member) => ({ member, target: member })),
    cancellation,
    fields,
    now,
  );
  const notifiedOf = new Map<string, NotifiedSigner[]>();
  for (const signer of notified) {
    const group = notifiedOf.get(signer.requestId);
    if (group) group.push(signer);
    else notifiedOf.set(signer.requestId, [signer]);
  }
  for (const request of done)
    outcomes.set(
      request.id,
      cancelledResult(request, [request.id], notifiedOf.get(request.id) ?? [], cancellation, now),
    );
  return requests.map((request) => outcomes.get(request.id)!);
}

type RefusalCode = NonNullable<ReturnType<typeof cancelRefusalFor>> | 'active_session';

function cancellationOf(fields: CancelFields, actor: Cancellation['actor'], now: number): Cancellation {
  return {
    cancelledAt: now,
    actor,
    reason: fields.reason ?? null,
    message: fields.message ?? null,
    reasonCode: fields.reasonCode ?? null,
    notify: fields.notify,
  };
}

function cancelledResult(
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
function deferredData(
  deferred: PendingCancellation | undefined,
): Pick<AuditEventData<'request.cancelled'>, 'deferred'> {
  return deferred ? { deferred: { pending_cancellation_id: deferred.id, requested_at: deferred.requestedAt } } : {};
}

/**
 * What cancelling leaves behind, for requests already moved to cancelled: one audit event each,
 * then the outbox rows (the webhook event when the tenant has a live endpoint, each notified
 * signer's email, the document's retention job), written with one insert of each kind. A deferred
 * cancel still pending on a moved request is done with: carried out, or superseded by this cancel.
 */
async function recordCancellations(
  tx: Tx,
  deps: Pick<CoreDeps, 'ids'>,
  audit: AuditWriter,
  moved: readonly { member: SignatureRequest; target: SignatureRequest }[],
  cancellation: Cancellation,
  fields: CancelFields,
  now: number,
  options: CancelOptions = {},
): Promise<NotifiedSigner[]> {
  const retention = fields.retention ?? { mode: 'retain' as const };
  const pendingIds = new Set<string>();
  for (const { member } of moved) if (member.pendingCancellation) pendingIds.add(member.pendingCancellation.id);
  for (const id of pendingIds) await tx.pendingCancellations.delete(moved[0]!.member.tenantId, id);
  const events = await audit.appendMany(
    moved.map(({ member, target }): AuditEntry => ({
      tenantId: member.tenantId,
      requestId: member.id,
      type: 'request.cancelled',
      reason: cancellation.reason,
      data: {
        from: member.status,
        message: cancellation.message,
        reason_code: cancellation.reasonCode,
        notify: cancellation.notify,
        retention,
        ...(member.id !== target.id ? { via_sequence_of: target.id } : {}),
        ...deferredData(options.deferred),
        ...(member.pendingCancellation && !options.deferred
          ? { superseded_pending_cancellation: member.pendingCancellation.id }
          : {}),
      },
    })),
  );
  const notified: NotifiedSigner[] = [];
  const messages: OutboxMessage[] = [];
  const message = <T extends OutboxTopic>(
    tenantId: string,
    topic: T,
    payload: OutboxPayload<T>,
    availableAt = now,
  ): OutboxMessage => outboxMessage(deps, tenantId, now, topic, payload, availableAt);
  const senders = new Map<string, string | null>();
  const listening = new Map<string, boolean>();
  for (const [index, { member }] of moved.entries()) {
    if (!listening.has(member.tenantId))
      listening.set(member.tenantId, await tx.webhookEndpoints.hasLive(member.tenantId));
    if (listening.get(member.tenantId)) {
      messages.push(
        message(member.tenantId, EVENT_TOPIC, {
          event_id: events[index]!.id,
          type: 'signature_request.cancelled',
          request_id: member.id,
        }),
      );
    }
    for (const signer of recipientsFor(cancellation.notify, member.signers)) {
      notified.push({ requestId: member.id, signerId: signer.id, name: signer.name, email: signer.email });
      if (!senders.has(member.tenantId))
        senders.set(member.tenantId, (await tx.tenants.get(member.tenantId))?.name ?? null);
      messages.push(
        message(member.tenantId, 'email', {
          template: 'request_cancelled',
          request_id: member.id,
          signer_id: signer.id,
          to: { name: signer.name, address: signer.email },
          signer_had_signed: signer.status === 'signed',
          title: member.title,
          sender: senders.get(member.tenantId) ?? null,
          cancelled_by: personNamed(cancellation.actor),
          message: cancellation.message,
          reason_code: cancellation.reasonCode,
          cancelled_at: now,
        }),
      );
    }
    const retentionJob = retentionMessage(member, retention, cancellation, now);
    messages.push(message(member.tenantId, retentionJob.topic, retentionJob.payload, retentionJob.availableAt));
  }
  await tx.outbox.enqueueMany(messages);
  return notified;
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

/** Records the refusal (audit event and webhook) and throws it: the refusal itself is committed. */
async function refuse(
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

function retentionMessage(
  request: SignatureRequest,
  retention: Retention,
  cancellation: Cancellation,
  now: number,
): OutboxBody & { availableAt: number } {
  const base = { request_id: request.id, document_id: request.document.id };
  switch (retention.mode) {
    case 'retain':
      return { topic: 'document.void_copy', payload: { ...base, reason: cancellation.reason }, availableAt: now };
    case 'purge':
      return ownerCopyNeeded(request.signers) && request.ownerEmail
        ? {
            topic: 'document.owner_copy_then_purge',
            payload: { ...base, owner_email: request.ownerEmail },
            availableAt: now,
          }
        : { topic: 'document.purge', payload: base, availableAt: now };
    case 'purge_after':
      return { topic: 'document.purge', payload: base, availableAt: now + retention.days * 86_400_000 };
  }
}
