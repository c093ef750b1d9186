/**
 * The native webhook: `{id, type, timestamp, data: {signature_request, …}}`, signed per Standard
 * Webhooks. `id` is the audit event id on every retry and replay: receivers de-duplicate on it.
 * `timestamp` is when the event happened; the webhook-timestamp header is when this attempt was signed.
 */
import type { RecordedAuditEvent } from '../core/events/audit-events.js';
import type { WebhookEventType } from '../core/events/webhook-events.js';
import type { SignatureRequest } from '../core/model.js';
import type { Presenter } from '../http/v1/present.js';
import type { RenderedWebhook } from '../providers/surface.js';
import { signStandardWebhook } from './webhook-signatures.js';

export interface NativeWebhookInput {
  readonly type: WebhookEventType;
  readonly event: RecordedAuditEvent;
  readonly request: SignatureRequest;
  readonly presenter: Presenter;
  /** The endpoint's `whsec_…` secret. */
  readonly secret: string;
  readonly now: number;
}

export function renderNativeWebhook(input: NativeWebhookInput): RenderedWebhook {
  const body = JSON.stringify({
    id: input.event.id,
    type: input.type,
    timestamp: new Date(input.event.createdAt).toISOString(),
    data: { signature_request: input.presenter.request(input.request), ...nativeEventData(input.event) },
  });
  const headers = signStandardWebhook({
    id: input.event.id,
    timestampSeconds: Math.floor(input.now / 1000),
    body,
    secret: input.secret,
  });
  return { body, headers: { ...headers, 'user-agent': 'Countersign-Webhooks/1' } };
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
