/**
 * The native webhook: `{id, type, timestamp, data: {signature_request, …}}`, signed per Standard
 * Webhooks. `id` is the audit event id on every retry and replay: receivers de-duplicate on it.
 * `timestamp` is when the event happened; the webhook-timestamp header is when this attempt was signed.
 * `data.signature_request` is the native API's own representation of the request (ADR 4), which
 * the composition root hands in: delivery does not import the HTTP layer that defines it.
 */
import type { RecordedAuditEvent } from '../core/events/audit-events.js';
import { isWebhookEventType, type WebhookEventType } from '../core/events/webhook-events.js';
import type { SignatureRequest } from '../core/model.js';
import type { Clock } from '../core/ports.js';
import type { RenderedWebhook, WebhookRenderer } from './webhook-renderer.js';
import { signStandardWebhook } from './webhook-signatures.js';

/** The request as `GET /v1/signature-requests/{id}` shows it. */
export type PresentRequest = (request: SignatureRequest) => unknown;

export interface NativeWebhookInput {
  readonly type: WebhookEventType;
  readonly event: RecordedAuditEvent;
  readonly request: SignatureRequest;
  readonly presentRequest: PresentRequest;
  /** The endpoint's `whsec_…` secret. */
  readonly secret: string;
  readonly now: number;
}

export function renderNativeWebhook(input: NativeWebhookInput): RenderedWebhook {
  const body = JSON.stringify({
    id: input.event.id,
    type: input.type,
    timestamp: new Date(input.event.createdAt).toISOString(),
    data: { signature_request: input.presentRequest(input.request), ...nativeEventData(input.event) },
  });
  const headers = signStandardWebhook({
    id: input.event.id,
    timestampSeconds: Math.floor(input.now / 1000),
    body,
    secret: input.secret,
  });
  return { body, headers: { ...headers, 'user-agent': 'Countersign-Webhooks/1' } };
}

/** The native format as a renderer: every webhook event, to the endpoints that subscribed to it. */
export function createNativeWebhookRenderer(options: {
  readonly presentRequest: PresentRequest;
  readonly clock: Clock;
}): WebhookRenderer {
  return {
    format: 'native',
    async render(input) {
      if (!isWebhookEventType(input.eventType)) return null;
      if (input.secret === null) throw new Error(`native endpoint ${input.endpoint.id} has no signing secret`);
      return renderNativeWebhook({
        type: input.eventType,
        event: input.event,
        request: input.request,
        presentRequest: options.presentRequest,
        secret: input.secret,
        now: options.clock.now(),
      });
    },
  };
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** A cancel (or its refusal) that carried out a deferred cancel names it. */
function deferredOf(deferred: { readonly pending_cancellation_id: string } | undefined): Record<string, unknown> {
  return deferred ? { pending_cancellation_id: deferred.pending_cancellation_id } : {};
}

/** What the event adds to the request's current state, per type (audit data uses internal names and ms). */
export function nativeEventData(event: RecordedAuditEvent): Record<string, unknown> {
  const common = { actor: event.actor, surface: event.surface };
  switch (event.type) {
    case 'signer.viewed':
    case 'signer.signed':
      return { ...common, signer_id: event.data.signer_id };
    case 'signer.declined':
      return { ...common, signer_id: event.data.signer_id, reason: event.reason };
    case 'request.cancelled':
      return {
        ...common,
        reason: event.reason,
        message: event.data.message,
        reason_code: event.data.reason_code,
        notify: event.data.notify,
        ...(event.data.via_sequence_of !== undefined ? { via_sequence_of: event.data.via_sequence_of } : {}),
        ...deferredOf(event.data.deferred),
      };
    case 'request.cancel_refused':
      return { ...common, code: event.data.code, status: event.data.status, ...deferredOf(event.data.deferred) };
    case 'request.cancel_deferred':
      return {
        ...common,
        pending_cancellation_id: event.data.pending_cancellation_id,
        reason: event.reason,
        message: event.data.message,
        reason_code: event.data.reason_code,
        notify: event.data.notify,
        sessions_end_by: iso(event.data.sessions_end_by),
      };
    case 'request.cancel_withdrawn':
      return { ...common, pending_cancellation_id: event.data.pending_cancellation_id };
    case 'request.expiry_updated':
      return { ...common, previous_expires_at: iso(event.data.from), expires_at: iso(event.data.to) };
    default:
      // created, completed, expired: the request's state says it all.
      return common;
  }
}
