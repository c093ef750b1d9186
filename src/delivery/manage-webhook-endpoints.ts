/**
 * Native webhook endpoints: register (the `whsec_` secret is returned once and stored sealed),
 * list, read, disable, read the attempt log, replay one event. Another tenant's ids are not found.
 */
import { CoreError, notFound } from '../core/errors.js';
import type { WebhookEndpointRecord } from '../core/ports.js';
import type { SurfaceContext } from '../providers/surface.js';
import { checkWebhookUrl, type ResolveHost } from './outbound-http.js';
import { WEBHOOK_DELIVERY_TOPIC } from './handlers/webhook-delivery.js';
import type { WebhookAttempt } from './webhook-delivery-store.js';
import { webhookTypeOfAuditType, type WebhookDeliveryPayload, type WebhookEventType } from './webhook-events.js';
import { generateWebhookSecret } from './webhook-signatures.js';

export interface WebhookAdmin {
  readonly context: SurfaceContext;
  readonly allowPrivateNetworks: boolean;
  readonly resolveHost?: ResolveHost;
}

export interface NewNativeEndpoint {
  readonly url: string;
  /** Event types, or ['*'] for all. */
  readonly events: readonly (WebhookEventType | '*')[];
  readonly description?: string | null;
}

export async function registerNativeEndpoint(
  admin: WebhookAdmin,
  tenantId: string,
  input: NewNativeEndpoint,
): Promise<{ endpoint: WebhookEndpointRecord; secret: string }> {
  const check = await checkWebhookUrl(input.url, {
    allowPrivateNetworks: admin.allowPrivateNetworks,
    ...(admin.resolveHost ? { resolveHost: admin.resolveHost } : {}),
  });
  if (!check.ok) throw urlRefused(`${check.error.code}: ${check.error.message}`);
  // The URL is stored and shown in plain text; a password in it would leak. The signature authenticates us.
  if (check.url.username || check.url.password)
    throw urlRefused('credentials_in_url: user name and password are not accepted in the URL');
  const { deps, sealer } = admin.context;
  const id = deps.ids.next('whe');
  const secret = generateWebhookSecret();
  const endpoint: WebhookEndpointRecord = {
    id,
    tenantId,
    format: 'native',
    url: check.url.href,
    events: [...new Set(input.events)],
    sealedSecret: sealer.seal(secret, id),
    sealedHeader: null,
    description: input.description ?? null,
    externalId: null,
    createdAt: deps.clock.now(),
    disabledAt: null,
  };
  await deps.store.transaction((tx) => tx.webhookEndpoints.insert(endpoint));
  return { endpoint, secret };
}

function urlRefused(reason: string): CoreError {
  return new CoreError('validation_failed', `The webhook URL is not allowed (${reason}).`, {
    issues: [{ path: 'body.url', message: reason }],
  });
}

export async function listEndpoints(admin: WebhookAdmin, tenantId: string): Promise<WebhookEndpointRecord[]> {
  return admin.context.deps.store.read((tx) => tx.webhookEndpoints.listForTenant(tenantId));
}

export async function getEndpoint(admin: WebhookAdmin, tenantId: string, id: string): Promise<WebhookEndpointRecord> {
  const endpoint = await admin.context.deps.store.read((tx) => tx.webhookEndpoints.get(tenantId, id));
  if (!endpoint) throw notFound('Webhook endpoint');
  return endpoint;
}

/** Disabling is idempotent; the endpoint and its attempt log stay readable. */
export async function disableEndpoint(
  admin: WebhookAdmin,
  tenantId: string,
  id: string,
): Promise<WebhookEndpointRecord> {
  const { deps } = admin.context;
  const endpoint = await deps.store.transaction(async (tx) => {
    await tx.webhookEndpoints.disable(tenantId, id, deps.clock.now());
    return tx.webhookEndpoints.get(tenantId, id);
  });
  if (!endpoint) throw notFound('Webhook endpoint');
  return endpoint;
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
    const event = await tx.webhookAttempts.findEvent(tenantId, eventId);
    const type = event && webhookTypeOfAuditType(event.type);
    if (!event || !type || !event.requestId) throw notFound('Webhook event');
    if (endpoint.disabledAt !== null)
      throw new CoreError('validation_failed', 'The webhook endpoint is disabled; register a new one.');
    const now = deps.clock.now();
    const deliveryId = deps.ids.next('whr');
    const payload: WebhookDeliveryPayload = {
      endpoint_id: endpoint.id,
      event_id: event.id,
      type,
      request_id: event.requestId,
      replay: true,
      // The original 'event' row's extras (signer id, refusal code) are in the audit data too.
      event: { ...event.data, event_id: event.id, type, request_id: event.requestId },
    };
    await tx.outbox.enqueue({
      id: deliveryId,
      tenantId,
      topic: WEBHOOK_DELIVERY_TOPIC,
      payload,
      availableAt: now,
      createdAt: now,
    });
    return { deliveryId, type };
  });
}
