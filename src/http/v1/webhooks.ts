/** Native webhook endpoints: register, list, read, disable, their delivery attempts, and replay. */
import { z } from 'zod';
import {
  disableEndpoint,
  getEndpoint,
  listDeliveryAttempts,
  listEndpoints,
  registerNativeEndpoint,
  replayEvent,
  type WebhookAdmin,
} from '../../delivery/manage-webhook-endpoints.js';
import type { WebhookAttempt } from '../../delivery/webhook-delivery-store.js';
import { WEBHOOK_EVENT_TYPES } from '../../core/events/webhook-events.js';
import type { WebhookEndpointRecord } from '../../core/ports.js';
import { defineRoute, type AnyRoute } from '../route.js';
import { callContext } from './context.js';
import { nullableTimestamp, ourId, timestamp } from './schemas.js';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const idParam = z.string().min(1).max(100);

const endpointView = z.object({
  id: ourId('whe'),
  object: z.literal('webhook_endpoint'),
  format: z.enum(['native', 'lumin', 'taktikal', 'auco', 'singpass']),
  url: z.url(),
  events: z.array(z.enum([...WEBHOOK_EVENT_TYPES, '*'])).describe('`*`: every event.'),
  description: z.string().nullable(),
  enabled: z.boolean(),
  created_at: timestamp,
  disabled_at: nullableTimestamp,
});
const attemptView = z.object({
  id: ourId('wha'),
  event_id: ourId('evt'),
  delivery_id: z.string().regex(/^wh[dr]_[A-Za-z0-9_-]+$/),
  attempt: z.number().int().min(1),
  status_code: z.number().int().nullable(),
  error: z.string().nullable(),
  duration_ms: z.number().int().min(0),
  response_snippet: z.string().nullable(),
  created_at: timestamp,
});

function presentEndpoint(endpoint: WebhookEndpointRecord): z.infer<typeof endpointView> {
  return {
    id: endpoint.id,
    object: 'webhook_endpoint',
    format: endpoint.format,
    url: endpoint.url,
    // Registration accepts only these names (natively, and '*' for the provider formats); stored as text.
    events: [...endpoint.events] as z.infer<typeof endpointView>['events'],
    description: endpoint.description,
    enabled: endpoint.disabledAt === null,
    created_at: iso(endpoint.createdAt)!,
    disabled_at: iso(endpoint.disabledAt),
  };
}

function presentAttempt(attempt: WebhookAttempt): z.infer<typeof attemptView> {
  return {
    id: attempt.id,
    event_id: attempt.eventId,
    delivery_id: attempt.deliveryId,
    attempt: attempt.attempt,
    status_code: attempt.statusCode,
    error: attempt.error,
    duration_ms: attempt.durationMs,
    response_snippet: attempt.responseSnippet,
    created_at: iso(attempt.createdAt)!,
  };
}

export function webhookRoutes(admin: WebhookAdmin): AnyRoute[] {
  return [
    defineRoute({
      method: 'POST',
      path: '/v1/webhooks',
      operationId: 'createWebhookEndpoint',
      tags: ['Webhooks'],
      scope: 'admin',
      summary: 'Register a webhook endpoint; its signing secret is shown once',
      description:
        'Deliveries are signed per Standard Webhooks (webhook-id = event id, webhook-timestamp, webhook-signature). Only http(s) URLs whose host resolves to public addresses are accepted, unless the server allows private webhook targets.',
      body: z.strictObject({
        url: z.string().min(1).max(2048),
        events: z
          .array(z.enum([...WEBHOOK_EVENT_TYPES, '*']))
          .min(1)
          .max(WEBHOOK_EVENT_TYPES.length + 1),
        description: z.string().max(500).optional(),
      }),
      responses: {
        201: {
          description: 'Registered',
          schema: endpointView.extend({
            secret: z
              .string()
              .regex(/^whsec_[A-Za-z0-9+/=]+$/)
              .describe('whsec_…: keep it, it is not shown again.'),
          }),
        },
        400: { description: 'Invalid input or refused URL' },
      },
      handler: async ({ body, auth, request }) => {
        const { endpoint, secret } = await registerNativeEndpoint(
          admin,
          auth!.tenantId,
          body,
          callContext(request, auth!),
        );
        return { status: 201, body: { ...presentEndpoint(endpoint), secret } };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/webhooks',
      operationId: 'listWebhookEndpoints',
      tags: ['Webhooks'],
      scope: 'read',
      summary: 'List webhook endpoints (native and those registered through provider surfaces)',
      responses: { 200: { description: 'Endpoints', schema: z.object({ data: z.array(endpointView) }) } },
      handler: async ({ auth }) => ({
        status: 200,
        body: { data: (await listEndpoints(admin, auth!.tenantId)).map(presentEndpoint) },
      }),
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/webhooks/{id}',
      operationId: 'getWebhookEndpoint',
      tags: ['Webhooks'],
      scope: 'read',
      summary: 'Get a webhook endpoint (never its secret)',
      params: z.strictObject({ id: idParam }),
      responses: { 200: { description: 'The endpoint', schema: endpointView } },
      handler: async ({ params, auth }) => ({
        status: 200,
        body: presentEndpoint(await getEndpoint(admin, auth!.tenantId, params.id)),
      }),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/v1/webhooks/{id}',
      operationId: 'disableWebhookEndpoint',
      tags: ['Webhooks'],
      scope: 'admin',
      summary: 'Disable a webhook endpoint (its delivery log stays readable)',
      params: z.strictObject({ id: idParam }),
      responses: { 200: { description: 'Disabled', schema: endpointView } },
      handler: async ({ params, auth, request }) => ({
        status: 200,
        body: presentEndpoint(await disableEndpoint(admin, auth!.tenantId, params.id, callContext(request, auth!))),
      }),
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/webhooks/{id}/deliveries',
      operationId: 'listWebhookDeliveries',
      tags: ['Webhooks'],
      scope: 'read',
      summary: 'Every delivery attempt to the endpoint, newest first',
      params: z.strictObject({ id: idParam }),
      query: z.strictObject({
        limit: z.coerce.number().int().min(1).max(1000).default(100),
        cursor: z.string().max(100).optional().describe('The next_cursor of the previous page.'),
      }),
      responses: {
        200: {
          description: 'Attempts',
          schema: z.object({ data: z.array(attemptView), next_cursor: z.string().nullable() }),
        },
      },
      handler: async ({ params, query, auth }) => {
        const rows = await listDeliveryAttempts(admin, auth!.tenantId, params.id, {
          limit: query.limit + 1,
          ...(query.cursor ? { beforeId: query.cursor } : {}),
        });
        const page = rows.slice(0, query.limit);
        return {
          status: 200,
          body: {
            data: page.map(presentAttempt),
            next_cursor: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
          },
        };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/webhooks/{id}/events/{eventId}/replay',
      operationId: 'replayWebhookEvent',
      tags: ['Webhooks'],
      scope: 'admin',
      summary: 'Deliver one event to the endpoint again (a new series of attempts, the same event id)',
      params: z.strictObject({ id: idParam, eventId: idParam }),
      responses: {
        202: {
          description: 'Queued',
          schema: z.object({
            delivery_id: ourId('whr'),
            endpoint_id: ourId('whe'),
            event_id: ourId('evt'),
            type: z.enum(WEBHOOK_EVENT_TYPES),
          }),
        },
        400: { description: 'Invalid input, or the endpoint is disabled' },
      },
      handler: async ({ params, auth }) => {
        const queued = await replayEvent(admin, auth!.tenantId, params.id, params.eventId);
        return {
          status: 202,
          body: { delivery_id: queued.deliveryId, endpoint_id: params.id, event_id: params.eventId, type: queued.type },
        };
      },
    }),
  ];
}
