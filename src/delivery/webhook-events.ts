/**
 * The webhook events: their native names, which audit events they come from, who is subscribed,
 * and the outbox payload that carries one event to one endpoint ('webhook.delivery').
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { WebhookEndpointRecord } from '../core/ports.js';

export const WEBHOOK_EVENT_TYPES = [
  'signature_request.created',
  'signature_request.viewed',
  'signature_request.signed',
  'signature_request.declined',
  'signature_request.completed',
  'signature_request.expired',
  'signature_request.cancelled',
  'signature_request.cancel_failed',
  'signature_request.expiry_updated',
  'signature_request.cancel_deferred',
  'signature_request.cancel_withdrawn',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The audit event each webhook event is written as (the core writes both in one transaction). */
const WEBHOOK_TYPE_OF_AUDIT_TYPE: Readonly<Record<string, WebhookEventType>> = {
  'request.created': 'signature_request.created',
  'signer.viewed': 'signature_request.viewed',
  'signer.signed': 'signature_request.signed',
  'signer.declined': 'signature_request.declined',
  'request.completed': 'signature_request.completed',
  'request.expired': 'signature_request.expired',
  'request.cancelled': 'signature_request.cancelled',
  'request.cancel_refused': 'signature_request.cancel_failed',
  'request.expiry_updated': 'signature_request.expiry_updated',
  'request.cancel_deferred': 'signature_request.cancel_deferred',
  'request.cancel_withdrawn': 'signature_request.cancel_withdrawn',
};

/** undefined for audit events that are not sent as webhooks (signer.notified, session starts, …). */
export function webhookTypeOfAuditType(auditType: string): WebhookEventType | undefined {
  return WEBHOOK_TYPE_OF_AUDIT_TYPE[auditType];
}

export function isWebhookEventType(type: string): type is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(type);
}

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

/** The payload of a 'webhook.delivery' outbox row. */
export const webhookDeliveryPayload = z.object({
  endpoint_id: z.string().min(1),
  event_id: z.string().min(1),
  type: z.enum(WEBHOOK_EVENT_TYPES),
  request_id: z.string().min(1),
  /** The 'event' outbox payload (refusal code, signer id, …), handed to provider renderers as `data`. */
  event: z.record(z.string(), z.unknown()),
  /** Set on replays requested through the API. */
  replay: z.boolean().optional(),
});

export type WebhookDeliveryPayload = z.infer<typeof webhookDeliveryPayload>;

/** The payload of an 'event' outbox row, as the core writes it. */
export const eventPayload = z.looseObject({
  event_id: z.string().min(1),
  type: z.string().min(1),
  request_id: z.string().min(1),
});
