import type { AuditEntry, AuditWriter } from '../audit.js';
import type { OutboxPayload, OutboxTopic } from '../events/outbox-topics.js';
import { recipientsFor } from '../cancellation-rules.js';
import type { Cancellation, SignatureRequest } from '../model.js';
import type { CoreDeps, OutboxMessage, Tx } from '../ports.js';
import { personNamed } from '../person-named.js';
import { deferredData } from './cancel-outcomes.js';
import type { CancelFields, CancelOptions, NotifiedSigner } from './cancel-types.js';
import { EVENT_TOPIC, outboxMessage } from './outbox-messages.js';
import { retentionMessage } from './retention-message.js';

/**
 * What cancelling leaves behind, for requests already moved to cancelled: one audit event each,
 * then the outbox rows (the webhook event when the tenant has a live endpoint, each notified
 * signer's email, the document's retention job), written with one insert of each kind. A deferred
 * cancel still pending on a moved request is done with: carried out, or superseded by this cancel.
 */
export async function recordCancellations(
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
