/**
 * The outbox rows transitions leave behind, in the transition's own transaction.
 *
 * 'event' rows (the webhook fan-out's input) are written only while the tenant has a live webhook
 * endpoint: a tenant without webhooks pays for no row that the worker would claim only to find
 * nobody to tell. The check runs inside the transaction, so an endpoint hears exactly the events
 * committed after its registration.
 */
import type { OutboxPayload, OutboxTopic } from '../events/outbox-topics.js';
import type { WebhookEventPayload } from '../events/webhook-events.js';
import type { CoreDeps, OutboxMessage, Tx } from '../ports.js';

/** A message of `topic`: tsc holds the payload to that topic's schema (src/core/events/outbox-topics.ts). */
export function outboxMessage<T extends OutboxTopic>(
  deps: Pick<CoreDeps, 'ids'>,
  tenantId: string,
  now: number,
  topic: T,
  payload: OutboxPayload<T>,
  availableAt = now,
): OutboxMessage {
  // tsc cannot see that a generic topic and its payload make one member of the union; the signature holds them together.
  return { id: deps.ids.next('obx'), tenantId, topic, payload, availableAt, createdAt: now } as OutboxMessage;
}

export async function enqueue<T extends OutboxTopic>(
  tx: Tx,
  deps: Pick<CoreDeps, 'ids'>,
  tenantId: string,
  now: number,
  topic: T,
  payload: OutboxPayload<T>,
  availableAt = now,
): Promise<void> {
  await tx.outbox.enqueue(outboxMessage(deps, tenantId, now, topic, payload, availableAt));
}

export const EVENT_TOPIC = 'event';

/** Queues the event for webhook fan-out, if the tenant has anybody to deliver it to. */
export async function enqueueEvent(
  tx: Tx,
  deps: Pick<CoreDeps, 'ids'>,
  tenantId: string,
  now: number,
  payload: WebhookEventPayload,
): Promise<void> {
  if (await tx.webhookEndpoints.hasLive(tenantId)) await enqueue(tx, deps, tenantId, now, EVENT_TOPIC, payload);
}

/**
 * The row that carries out a pending (deferred) cancellation: due when the blocking sessions end,
 * or at once when a signature or a decline ended one. Its handler re-checks everything in its own
 * transaction (resolvePendingCancellation), so an early, late or repeated row is harmless.
 */
export const PENDING_CANCELLATION_TOPIC = 'cancellation.resolve';

export async function enqueuePendingCancellationCheck(
  tx: Tx,
  deps: Pick<CoreDeps, 'ids'>,
  tenantId: string,
  pending: { readonly id: string; readonly requestId: string },
  now: number,
  availableAt = now,
): Promise<void> {
  await enqueue(
    tx,
    deps,
    tenantId,
    now,
    PENDING_CANCELLATION_TOPIC,
    { request_id: pending.requestId, pending_cancellation_id: pending.id },
    availableAt,
  );
}
