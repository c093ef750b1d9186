/**
 * Topic 'event': turns one event into one 'webhook.delivery' row per subscribed endpoint, so each
 * endpoint retries (and fails) on its own. The rows' ids derive from (event, endpoint): a fan-out
 * that runs twice names the same rows. Rows that already exist are left out here as well, so the
 * handler stays correct whether or not the worker inserts follow-ups with "insert or ignore".
 */
import { isWebhookEventType, type WebhookEventType } from '../../core/events/webhook-events.js';
import type { OutboxMessage } from '../../core/ports.js';
import { EVENT_TOPIC } from '../../core/use-cases/outbox-messages.js';
import type { HandlerOutcome, OutboxHandler } from '../outbox-handler.js';
import type { WebhookFormat } from '../retry-schedules.js';
import { fanOutDeliveryId, isSubscribed, type WebhookDeliveryPayload } from '../webhook-events.js';
import type { WebhookRenderer } from '../webhook-renderer.js';
import type { WebhookContext } from '../webhook-context.js';
import { readPayload } from './read-payload.js';
import { WEBHOOK_DELIVERY_TOPIC } from './webhook-delivery.js';

export interface EventFanOutOptions {
  readonly context: WebhookContext;
  readonly renderers: ReadonlyMap<WebhookFormat, WebhookRenderer>;
}

export function createEventFanOutHandler(options: EventFanOutOptions): OutboxHandler {
  const { deps } = options.context;
  // A format without a renderer, or whose renderer does not render this event, has nothing to deliver.
  const canRender = (format: WebhookFormat, type: WebhookEventType) => {
    const renderer = options.renderers.get(format);
    return renderer !== undefined && (renderer.eventTypes === undefined || renderer.eventTypes.includes(type));
  };

  return {
    topic: EVENT_TOPIC,
    async handle(row): Promise<HandlerOutcome> {
      // An event type this version does not send as a webhook (a newer version's): nothing to deliver.
      if (typeof row.payload.type === 'string' && !isWebhookEventType(row.payload.type)) return { kind: 'done' };
      const read = readPayload(EVENT_TOPIC, row.payload);
      if ('dead' in read) return read.dead;
      const event = read.value;
      const type = event.type;
      const now = deps.clock.now();
      const enqueue = await deps.store.read(async (tx) => {
        const endpoints = (await tx.webhookEndpoints.listForTenant(row.tenantId)).filter(
          (endpoint) => isSubscribed(endpoint, type) && canRender(endpoint.format, type),
        );
        const messages = endpoints.map((endpoint): OutboxMessage => {
          const payload: WebhookDeliveryPayload = {
            endpoint_id: endpoint.id,
            event_id: event.event_id,
            type,
            request_id: event.request_id,
            event: { ...event },
          };
          return {
            id: fanOutDeliveryId(event.event_id, endpoint.id),
            tenantId: row.tenantId,
            topic: WEBHOOK_DELIVERY_TOPIC,
            payload,
            availableAt: now,
            createdAt: now,
          };
        });
        const existing = await tx.webhookAttempts.existingOutboxIds(messages.map((message) => message.id));
        return messages.filter((message) => !existing.has(message.id));
      });
      return { kind: 'done', enqueue };
    },
  };
}
