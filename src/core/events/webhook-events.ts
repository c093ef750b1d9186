/**
 * The webhook events: the payload of an `event` outbox row (the fan-out's input, written with its
 * audit event in one transaction), one schema per native event type, and the audit event each
 * comes from. The payload carries what identifies the event and the facts a renderer needs
 * without reading the audit trail: the signer of a view, signature or decline, the refusal code.
 */
import { z } from 'zod';
import type { RecordedAuditEvent } from './audit-events.js';
import { errorCode, id } from './shared-fields.js';

const identity = { event_id: id, request_id: id };
const plain = <T extends string>(type: T) => z.object({ type: z.literal(type), ...identity });
const bySigner = <T extends string>(type: T) => z.object({ type: z.literal(type), ...identity, signer_id: id });

/** In the order the API documents them (the event enum of /openapi.json). */
const WEBHOOK_EVENT_SCHEMAS = [
  plain('signature_request.created'),
  bySigner('signature_request.viewed'),
  bySigner('signature_request.signed'),
  bySigner('signature_request.declined'),
  plain('signature_request.completed'),
  plain('signature_request.expired'),
  plain('signature_request.cancelled'),
  z.object({ type: z.literal('signature_request.cancel_failed'), ...identity, code: errorCode }),
  plain('signature_request.expiry_updated'),
  plain('signature_request.cancel_deferred'),
  plain('signature_request.cancel_withdrawn'),
] as const;

/** The payload of an `event` outbox row, discriminated by the native event type. */
export const webhookEventPayload = z.discriminatedUnion('type', WEBHOOK_EVENT_SCHEMAS);
export type WebhookEventPayload = z.infer<typeof webhookEventPayload>;
export type WebhookEventType = WebhookEventPayload['type'];

export const WEBHOOK_EVENT_TYPES: readonly WebhookEventType[] = WEBHOOK_EVENT_SCHEMAS.map(
  (schema) => schema.shape.type.value,
);

export function isWebhookEventType(type: string): type is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(type);
}

/**
 * The webhook event of an audit event, exactly as its writer queued it in the audit event's
 * transaction; undefined for audit events that are not sent as webhooks (signer.notified, session
 * starts, …) or have no request. A replay rebuilds the payload this way, and a test holds every
 * writer to it.
 */
export function webhookEventOf(event: RecordedAuditEvent): WebhookEventPayload | undefined {
  if (event.requestId === null) return undefined;
  const identity = { event_id: event.id, request_id: event.requestId };
  switch (event.type) {
    case 'request.created':
      return { type: 'signature_request.created', ...identity };
    case 'signer.viewed':
      return { type: 'signature_request.viewed', ...identity, signer_id: event.data.signer_id };
    case 'signer.signed':
      return { type: 'signature_request.signed', ...identity, signer_id: event.data.signer_id };
    case 'signer.declined':
      return { type: 'signature_request.declined', ...identity, signer_id: event.data.signer_id };
    case 'request.completed':
      return { type: 'signature_request.completed', ...identity };
    case 'request.expired':
      return { type: 'signature_request.expired', ...identity };
    case 'request.cancelled':
      return { type: 'signature_request.cancelled', ...identity };
    case 'request.cancel_refused':
      return { type: 'signature_request.cancel_failed', ...identity, code: event.data.code };
    case 'request.expiry_updated':
      return { type: 'signature_request.expiry_updated', ...identity };
    case 'request.cancel_deferred':
      return { type: 'signature_request.cancel_deferred', ...identity };
    case 'request.cancel_withdrawn':
      return { type: 'signature_request.cancel_withdrawn', ...identity };
    case 'signer.notified':
    case 'signer.session_started':
    case 'document.purged':
    case 'webhooks.replaced':
    case 'credential.issued':
    case 'credential.revoked':
      return undefined;
    default:
      // A new audit event type must say here whether it is a webhook.
      return event satisfies never;
  }
}
