/**
 * Native webhook endpoints: register (the `whsec_` secret is returned once and stored sealed),
 * list, read, disable, read the attempt log, replay one event. Another tenant's ids are not found.
 */
import { CoreError, notFound } from '../core/errors.js';
import { readAuditEvent } from '../core/events/audit-events.js';
import { webhookEventOf, type WebhookEventType } from '../core/events/webhook-events.js';
import type { CallContext } from '../core/model.js';
import type { WebhookEndpointRecord } from '../core/ports.js';
import { disableWebhookEndpoint } from '../core/use-cases/disable-webhook-endpoint.js';
import { registerWebhookEndpoint } from '../core/use-cases/register-webhook-endpoint.js';
import { WEBHOOK_DELIVERY_TOPIC } from './handlers/webhook-delivery.js';
import type { WebhookContext } from './webhook-context.js';
import type { WebhookAttempt } from './webhook-delivery-store.js';
import type { WebhookDeliveryPayload } from './webhook-events.js';
import { generateWebhookSecret } from './webhook-signatures.js';

export interface WebhookAdmin {
  readonly context: WebhookContext;
}

export interface NewNativeEndpoint {
  readonly url: string;
  /** Event types, or ['*'] for all. */
  readonly events: readonly (WebhookEventType | '*')[];
  readonly description?: string | null;
}

/** The core's audited registration, with a new `whsec_` secret sealed to the endpoint's id. */
export async function registerNativeEndpoint(
  admin: WebhookAdmin,
  tenantId: string,
  input: NewNativeEndpoint,
  call: CallContext,
): Promise<{ endpoint: WebhookEndpointRecord; secret: string }> {
  const { deps, sealer } = admin.context;
  const id = deps.ids.next('whe');
  const secret = generateWebhookSecret();
  const endpoint = await registerWebhookEndpoint(deps, {
    tenantId,
    format: 'native',
    endpoint: {
      id,
      url: input.url,
      urlField: 'body.url',
      events: [...new Set(input.events)],
      sealedSecret: sealer.seal(secret, id),
      sealedHeader: null,
      description: input.description ?? null,
      externalId: null,
    },
    context: call,
  });
  return { endpoint, secret };
}

export async function listEndpoints(admin: WebhookAdmin, tenantId: string): Promise<WebhookEndpointRecord[]> {
  return admin.context.deps.store.read((tx) => tx.webhookEndpoints.listForTenant(tenantId));
}

export async function getEndpoint(admin: WebhookAdmin, tenantId: string, id: string): Promise<WebhookEndpointRecord> {
  const endpoint = await admin.context.deps.store.read((tx) => tx.webhookEndpoints.get(tenantId, id));
  if (!endpoint) throw notFound('Webhook endpoint');
  return endpoint;
}

/** Disabling is idempotent (audited once); the endpoint and its attempt log stay readable. */
export async function disableEndpoint(
  admin: WebhookAdmin,
  tenantId: string,
  id: string,
  call: CallContext,
): Promise<WebhookEndpointRecord> {
  const disabled = await disableWebhookEndpoint(admin.context.deps, tenantId, id, call);
  if (!disabled) throw notFound('Webhook endpoint');
  return disabled.endpoint;
}

export async function listDeliveryAttempts(
  admin: WebhookAdmin,
  tenantId: string,
  endpointId: string,
  page: { beforeId?: string; limit: number },
): Promise<WebhookAttempt[]> {
  return admin.context.deps.store.read(async (tx) => {
    if (!(await tx.webhookEndpoints.get(tenantId, endpointId))) throw notFound('Webhook endpoint');
    return tx.webhookAttempts.listAttempts(tenantId, endpointId, page);
  });
}

/**
 * Sends one event to one endpoint again, on demand: a new outbox row (a new series of attempts)
 * carrying the same event id, so a receiver that already has the event can recognise it.
 */
export async function replayEvent(
  admin: WebhookAdmin,
  tenantId: string,
  endpointId: string,
  eventId: string,
): Promise<{ deliveryId: string; type: WebhookEventType }> {
  const { deps } = admin.context;
  return deps.store.transaction(async (tx) => {
    const endpoint = await tx.webhookEndpoints.get(tenantId, endpointId);
    if (!endpoint) throw notFound('Webhook endpoint');
    const stored = await tx.webhookAttempts.findEvent(tenantId, eventId);
    const recorded = stored && readAuditEvent(stored);
    // The payload its writer queued: a replay hands renderers exactly what the first delivery had.
    const event = recorded && 'value' in recorded ? webhookEventOf(recorded.value) : undefined;
    if (!event) throw notFound('Webhook event');
    if (endpoint.disabledAt !== null)
      throw new CoreError('validation_failed', 'The webhook endpoint is disabled; register a new one.');
    const now = deps.clock.now();
    const deliveryId = deps.ids.next('whr');
    const payload: WebhookDeliveryPayload = {
      endpoint_id: endpoint.id,
      event_id: event.event_id,
      type: event.type,
      request_id: event.request_id,
      replay: true,
      event,
    };
    await tx.outbox.enqueue({
      id: deliveryId,
      tenantId,
      topic: WEBHOOK_DELIVERY_TOPIC,
      payload,
      availableAt: now,
      createdAt: now,
    });
    return { deliveryId, type: event.type };
  });
}
