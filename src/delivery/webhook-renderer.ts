/**
 * The port through which webhook formats plug into delivery. Delivery owns what every format
 * shares (fan-out, transport, SSRF rules, attempt log, retries); a renderer owns only the bytes and
 * headers of its format. The native format (native-webhook.ts) and each provider (src/providers/<name>/)
 * implement it; the composition root (src/main.ts, and `countersign worker`) hands the renderers in,
 * so delivery knows no provider and no HTTP code (ADR 12).
 */
import type { RecordedAuditEvent } from '../core/events/audit-events.js';
import type { WebhookEventType } from '../core/events/webhook-events.js';
import type { SignatureRequest, Tenant } from '../core/model.js';
import type { WebhookEndpointRecord } from '../core/ports.js';
import type { WebhookFormat } from './retry-schedules.js';

export interface WebhookRenderInput {
  readonly eventId: string;
  /** The native event type, e.g. signature_request.cancelled, signature_request.cancel_failed. */
  readonly eventType: string;
  readonly occurredAt: number;
  /** The audit event the webhook reports (its actor, surface, reason and data). */
  readonly event: RecordedAuditEvent;
  /** The request as it is when the attempt is made. */
  readonly request: SignatureRequest;
  readonly tenant: Tenant;
  readonly endpoint: WebhookEndpointRecord;
  /** The endpoint's secret, unsealed (the native whsec_, Taktikal's signature key), if it has one. */
  readonly secret: string | null;
  /** The endpoint's static header, unsealed (Auco), if it has one. */
  readonly header: { readonly key: string; readonly value: string } | null;
  /** The outbox payload of the event (e.g. the refusal code of a cancel_failed, the signer id). */
  readonly data: Readonly<Record<string, unknown>>;
}

export interface RenderedWebhook {
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface WebhookRenderer {
  /** The endpoint format it renders (`WebhookEndpointRecord.format`): one renderer per format. */
  readonly format: WebhookFormat;
  /**
   * The only native event types it renders, when the format has few: the fan-out then queues no
   * delivery for the others. Absent: every event is offered (render may still answer null).
   */
  readonly eventTypes?: readonly WebhookEventType[];
  /** The webhook for one event to one endpoint; null when the format has no such event (nothing is sent). */
  render(input: WebhookRenderInput): Promise<RenderedWebhook | null>;
}

/** The renderers by format; two for one format is a composition mistake, refused at start. */
export function renderersByFormat(renderers: readonly WebhookRenderer[]): ReadonlyMap<WebhookFormat, WebhookRenderer> {
  const byFormat = new Map<WebhookFormat, WebhookRenderer>();
  for (const renderer of renderers) {
    if (byFormat.has(renderer.format)) throw new Error(`two webhook renderers for the format ${renderer.format}`);
    byFormat.set(renderer.format, renderer);
  }
  return byFormat;
}
