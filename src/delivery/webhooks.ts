/**
 * Webhooks, assembled: the outbox handlers the worker runs ('event' fan-out, 'webhook.delivery')
 * and the endpoint management the native /v1/webhooks routes call (src/http/v1/webhooks.ts),
 * sharing one attempt log. Built once in the composition root, which hands in every format's
 * renderer (the native one and each provider's): delivery imports no HTTP or provider code.
 */
import { createEventFanOutHandler } from './handlers/event-fanout.js';
import { createWebhookDeliveryHandler } from './handlers/webhook-delivery.js';
import { createConnectionPool } from './connection-pool.js';
import type { WebhookAdmin } from './manage-webhook-endpoints.js';
import type { ResolveHost } from './outbound-http.js';
import type { OutboxHandler } from './outbox-handler.js';
import type { WebhookContext } from './webhook-context.js';
import { renderersByFormat, type WebhookRenderer } from './webhook-renderer.js';

export interface WebhookOptions {
  /** Receivers on private, loopback and link-local addresses (config allowPrivateWebhookTargets). */
  readonly allowPrivateNetworks: boolean;
  /** One per format: the native renderer and each provider's. */
  readonly renderers: readonly WebhookRenderer[];
  readonly resolveHost?: ResolveHost;
  readonly random?: () => number;
}

export interface Webhooks {
  /** For the outbox worker: topics 'event' and 'webhook.delivery'. */
  readonly handlers: readonly OutboxHandler[];
  /** For the native API's /v1/webhooks… routes. */
  readonly admin: WebhookAdmin;
}

export function createWebhooks(context: WebhookContext, options: WebhookOptions): Webhooks {
  const shared = { context, renderers: renderersByFormat(options.renderers) };
  const network = {
    allowPrivateNetworks: options.allowPrivateNetworks,
    ...(options.resolveHost ? { resolveHost: options.resolveHost } : {}),
  };
  return {
    handlers: [
      createEventFanOutHandler(shared),
      createWebhookDeliveryHandler({
        ...shared,
        ...network,
        pool: createConnectionPool(),
        ...(options.random ? { random: options.random } : {}),
      }),
    ],
    admin: { context },
  };
}
