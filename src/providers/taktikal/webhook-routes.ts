/**
 * Webhook registration. Taktikal's docs say webhooks are "managed via the API" with routes shown
 * only in the live Swagger (`/api/webhook`), so this shape is ours (docs/compat/taktikal.md):
 * `POST /webhook {url, description?}` answers the endpoint with its `webhookSignatureKey` (shown
 * once, stored sealed), `GET /webhook` lists live endpoints, `DELETE /webhook/{Id}` (or `?Id=`)
 * disables one. Every registered endpoint gets every Taktikal event. Registering and disabling are
 * the core's audited use cases; the URL follows the one policy of every webhook URL.
 */
import type { FastifyRequest } from 'fastify';
import { notFound } from '../../core/errors.js';
import type { WebhookEndpointRecord } from '../../core/ports.js';
import { disableWebhookEndpoint } from '../../core/use-cases/disable-webhook-endpoint.js';
import { registerWebhookEndpoint } from '../../core/use-cases/register-webhook-endpoint.js';
import { listWebhookEndpoints } from '../../core/use-cases/replace-webhook-endpoints.js';
import { WebhookUrlRefused } from '../../core/webhook-endpoints.js';
import type { SurfaceContext } from '../surface.js';
import { actorFor, callContextFor, type TaktikalAuth } from './auth.js';
import { validationError } from './errors.js';
import { dotNetIso, withoutNulls } from './present.js';
import type { TaktikalRoute } from './routing.js';
import { registerWebhookSchema } from './schemas.js';
import { parseTaktikal } from './validate.js';
import { z } from 'zod';

const MAX_ENDPOINTS = 20;

function present(endpoint: WebhookEndpointRecord) {
  return withoutNulls({
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description,
    createdAt: dotNetIso(endpoint.createdAt),
  });
}

/** The core's refusal of the URL, as the ServiceStack field error Taktikal clients read. */
function asTaktikalError(error: unknown): unknown {
  if (!(error instanceof WebhookUrlRefused)) return error;
  return validationError([{ errorCode: 'InvalidUrl', fieldName: 'Url', message: error.message }]);
}

export function webhookRoutes(context: SurfaceContext): TaktikalRoute[] {
  const { deps, sealer } = context;

  const disable = async (request: FastifyRequest, auth: TaktikalAuth, id: string | undefined) => {
    if (!id) throw validationError([{ errorCode: 'NotEmpty', fieldName: 'Id', message: "'Id' must not be empty." }]);
    const call = callContextFor(request, actorFor(auth, null));
    const disabled = await disableWebhookEndpoint(deps, auth.tenantId, id, call, { format: 'taktikal' });
    // Already disabled is gone, as far as a Taktikal client can tell.
    if (!disabled?.disabledNow) throw notFound('Webhook');
    return { status: 204 };
  };

  return [
    {
      method: 'POST',
      path: '/webhook',
      handler: async ({ auth, request }) => {
        const input = parseTaktikal(registerWebhookSchema, request.body, 'body');
        const id = deps.ids.next('whe');
        const webhookSignatureKey = deps.ids.secret(32);
        const endpoint = await registerWebhookEndpoint(deps, {
          tenantId: auth.tenantId,
          format: 'taktikal',
          endpoint: {
            id,
            url: input.url,
            urlField: 'Url',
            events: ['*'],
            sealedSecret: sealer.seal(webhookSignatureKey, id),
            sealedHeader: null,
            description: input.description ?? null,
            externalId: null,
          },
          context: callContextFor(request, actorFor(auth, null)),
          maxLive: MAX_ENDPOINTS,
        }).catch((error: unknown) => {
          throw asTaktikalError(error);
        });
        return { status: 200, body: { ...present(endpoint), webhookSignatureKey } };
      },
    },
    {
      method: 'GET',
      path: '/webhook',
      handler: async ({ auth }) => ({
        status: 200,
        body: (await listWebhookEndpoints(deps, auth.tenantId, 'taktikal')).map(present),
      }),
    },
    {
      method: 'DELETE',
      path: '/webhook/:Id',
      handler: async ({ auth, request }) => disable(request, auth, (request.params as { Id: string }).Id),
    },
    {
      method: 'DELETE',
      path: '/webhook',
      handler: async ({ auth, request }) =>
        disable(request, auth, parseTaktikal(z.object({ Id: z.string().min(1).max(100) }), request.query, 'query').Id),
    },
  ];
}
