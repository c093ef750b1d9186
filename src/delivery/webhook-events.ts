/**
 * Who hears a webhook event, and the id of its delivery to one endpoint. The events themselves
 * (their types, the `event` and `webhook.delivery` payloads, the audit event each comes from) are
 * defined with the other outbox messages in src/core/events.
 */
import { createHash } from 'node:crypto';
import type { OutboxPayload } from '../core/events/outbox-topics.js';
import type { WebhookEndpointRecord } from '../core/ports.js';

/** The payload of a 'webhook.delivery' outbox row: one event to one endpoint. */
export type WebhookDeliveryPayload = OutboxPayload<'webhook.delivery'>;

/**
 * Native endpoints choose their events; provider-format endpoints get every event and their
 * surface's renderer decides (it returns null for events the provider has no webhook for).
 */
export function isSubscribed(endpoint: WebhookEndpointRecord, type: string): boolean {
  if (endpoint.disabledAt !== null) return false;
  if (endpoint.format !== 'native') return true;
  return endpoint.events.includes('*') || endpoint.events.includes(type);
}

/**
 * The outbox id of the fan-out's delivery of one event to one endpoint. Derived, not random, so a
 * fan-out that runs twice (a lease that expired mid-run) names the same rows and cannot duplicate
 * them. Hashed to keep the id short and free of separators; `whd_` marks it as a fan-out delivery.
 */
export function fanOutDeliveryId(eventId: string, endpointId: string): string {
  return `whd_${createHash('sha256').update(`${eventId}\n${endpointId}`).digest('base64url').slice(0, 32)}`;
}
