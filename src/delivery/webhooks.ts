/**
 * Webhooks, assembled: the outbox handlers the worker runs ('event' fan-out, 'webhook.delivery')
 * and the native /v1/webhooks routes, sharing one attempt log. Built once in the composition root.
 */
import type { AnyRoute } from '../http/route.js';
import type { Surface, SurfaceContext } from '../providers/surface.js';
import { webhookRoutes } from '../http/v1/webhooks.js';
import { createEventFanOutHandler } from './handlers/event-fanout.js';
import { createWebhookDeliveryHandler } from './handlers/webhook-delivery.js';
import { createConnectionPool } from './connection-pool.js';
import type { ResolveHost } from './outbound-http.js';
import type { OutboxHandler } from './outbox-handler.js';

export interface WebhookOptions {
  /** Receivers on private, loopback and link-local addresses (config allowPrivateWebhookTargets). */
  readonly allowPrivateNetworks: boolean;
  readonly surfaceNamed?: (name: string) => Surface | undefined;
  readonly resolveHost?: ResolveHost;
  readonly random?: () => number;
}

export interface Webhooks {
  /** For the outbox worker: topics 'event' and 'webhook.delivery'. */
  readonly handlers: readonly OutboxHandler[];
  /** For the native API: /v1/webhooks… */
  readonly routes: readonly AnyRoute[];
}

export function createWebhooks(context: SurfaceContext, options: WebhookOptions): Webhooks {
  const shared = { context, ...(options.surfaceNamed ? { surfaceNamed: options.surfaceNamed } : {}) };
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
    routes: webhookRoutes({ context, ...network }),
  };
}
