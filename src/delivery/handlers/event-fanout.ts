/**
 * Topic 'event': turns one event into one 'webhook.delivery' row per subscribed endpoint, so each
 * endpoint retries (and fails) on its own. The rows' ids derive from (event, endpoint): a fan-out
 * that runs twice names the same rows. Rows that already exist are left out here as well, so the
 * handler stays correct whether or not the worker inserts follow-ups with "insert or ignore".
 */
import type { OutboxMessage } from '../../core/ports.js';
import { EVENT_TOPIC } from '../../core/use-cases/outbox-messages.js';
import type { Surface, SurfaceContext } from '../../providers/surface.js';
import { surfaceNamed } from '../../providers/index.js';
import type { HandlerOutcome, OutboxHandler } from '../outbox-handler.js';
import {
  eventPayload,
  fanOutDeliveryId,
  isSubscribed,
  isWebhookEventType,
  type WebhookDeliveryPayload,
} from '../webhook-events.js';
import { WEBHOOK_DELIVERY_TOPIC } from './webhook-delivery.js';

export interface EventFanOutOptions {
  readonly context: SurfaceContext;
  readonly surfaceNamed?: (name: string) => Surface | undefined;
}

export function createEventFanOutHandler(options: EventFanOutOptions): OutboxHandler {
  const { deps } = options.context;
  const findSurface = options.surfaceNamed ?? surfaceNamed;
  // A provider format whose surface cannot render webhooks, or not this event, has nothing to deliver.
  const canRender = (format: string, type: string) => {
    if (format === 'native') return true;
    const surface = findSurface(format);
    return (
      surface?.renderWebhook !== undefined &&
      (surface.webhookEventTypes === undefined || surface.webhookEventTypes.includes(type))
    );
  };

  return {
    topic: EVENT_TOPIC,
    async handle(row): Promise<HandlerOutcome> {
      const parsed = eventPayload.safeParse(row.payload);
      if (!parsed.success) return { kind: 'dead', error: 'malformed event payload' };
      const event = parsed.data;
      if (!isWebhookEventType(event.type)) return { kind: 'done' };
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
