/**
 * The native webhook: `{id, type, timestamp, data: {signature_request, …}}`, signed per Standard
 * Webhooks. `id` is the audit event id on every retry and replay: receivers de-duplicate on it.
 * `timestamp` is when the event happened; the webhook-timestamp header is when this attempt was signed.
 * `data.signature_request` is the native API's own representation of the request (ADR 4), which
 * the composition root hands in: delivery does not import the HTTP layer that defines it.
 */
import type { AuditEvent, SignatureRequest } from '../core/model.js';
import type { Clock } from '../core/ports.js';
import { isWebhookEventType, type WebhookEventType } from './webhook-events.js';
import type { RenderedWebhook, WebhookRenderer } from './webhook-renderer.js';
import { signStandardWebhook } from './webhook-signatures.js';

/** The request as `GET /v1/signature-requests/{id}` shows it. */
export type PresentRequest = (request: SignatureRequest) => unknown;

export interface NativeWebhookInput {
  readonly type: WebhookEventType;
  readonly event: AuditEvent;
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
    data: { signature_request: input.presentRequest(input.request), ...nativeEventData(input.type, input.event) },
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

const iso = (ms: unknown): string | null => (typeof ms === 'number' ? new Date(ms).toISOString() : null);
const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** A cancel (or its refusal) that carried out a deferred cancel names it. */
function deferredOf(data: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const deferred = data.deferred as { pending_cancellation_id?: unknown } | undefined;
  return deferred ? { pending_cancellation_id: text(deferred.pending_cancellation_id) } : {};
}

/** What the event adds to the request's current state, per type (audit data uses internal names and ms). */
export function nativeEventData(type: WebhookEventType, event: AuditEvent): Record<string, unknown> {
  const data = event.data;
  const common = { actor: event.actor, surface: event.surface };
  switch (type) {
    case 'signature_request.created':
    case 'signature_request.completed':
    case 'signature_request.expired':
      return common;
    case 'signature_request.viewed':
    case 'signature_request.signed':
      return { ...common, signer_id: text(data.signer_id) };
    case 'signature_request.declined':
      return { ...common, signer_id: text(data.signer_id), reason: event.reason };
    case 'signature_request.cancelled':
      return {
        ...common,
        reason: event.reason,
        message: text(data.message),
        reason_code: text(data.reason_code),
        notify: text(data.notify),
        ...(typeof data.via_sequence_of === 'string' ? { via_sequence_of: data.via_sequence_of } : {}),
        ...deferredOf(data),
      };
    case 'signature_request.cancel_failed':
      return { ...common, code: text(data.code), status: text(data.status), ...deferredOf(data) };
    case 'signature_request.cancel_deferred':
      return {
        ...common,
        pending_cancellation_id: text(data.pending_cancellation_id),
        reason: event.reason,
        message: text(data.message),
        reason_code: text(data.reason_code),
        notify: text(data.notify),
        sessions_end_by: iso(data.sessions_end_by),
      };
    case 'signature_request.cancel_withdrawn':
      return { ...common, pending_cancellation_id: text(data.pending_cancellation_id) };
    case 'signature_request.expiry_updated':
      return { ...common, previous_expires_at: iso(data.from), expires_at: iso(data.to) };
  }
}
