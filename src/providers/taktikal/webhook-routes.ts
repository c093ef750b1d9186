/**
 * Webhook registration. Taktikal's docs say webhooks are "managed via the API" with routes shown
 * only in the live Swagger (`/api/webhook`), so this shape is ours (docs/compat/taktikal.md):
 * `POST /webhook {url, description?}` answers the endpoint with its `webhookSignatureKey` (shown
 * once, stored sealed), `GET /webhook` lists live endpoints, `DELETE /webhook/{Id}` (or `?Id=`)
 * disables one. Every registered endpoint gets every Taktikal event.
 */
import { CoreError, notFound } from '../../core/errors.js';
import type { WebhookEndpointRecord } from '../../core/ports.js';
import { checkWebhookUrl } from '../../delivery/outbound-http.js';
import type { SurfaceContext } from '../surface.js';
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

export function webhookRoutes(context: SurfaceContext): TaktikalRoute[] {
  const { deps, sealer } = context;
  const live = (tenantId: string) =>
    deps.store.read(async (tx) =>
      (await tx.webhookEndpoints.listForTenant(tenantId, 'taktikal')).filter(
        (endpoint) => endpoint.disabledAt === null,
      ),
    );

  const disable = async (tenantId: string, id: string | undefined) => {
    if (!id) throw validationError([{ errorCode: 'NotEmpty', fieldName: 'Id', message: "'Id' must not be empty." }]);
    const disabled = await deps.store.transaction(async (tx) => {
      const endpoint = await tx.webhookEndpoints.get(tenantId, id);
      if (!endpoint || endpoint.format !== 'taktikal' || endpoint.disabledAt !== null) return false;
      return tx.webhookEndpoints.disable(tenantId, id, deps.clock.now());
    });
    if (!disabled) throw notFound('Webhook');
    return { status: 204 };
  };

  return [
    {
      method: 'POST',
      path: '/webhook',
      handler: async ({ auth, request }) => {
        const input = parseTaktikal(registerWebhookSchema, request.body, 'body');
        // Private and loopback targets only where the server allows them (a self-hoster's own network).
        const check = await checkWebhookUrl(input.url, {
          allowPrivateNetworks: context.allowPrivateWebhookTargets ?? false,
        });
        // A host that does not resolve today may tomorrow; every send checks the URL again.
        if (!check.ok && check.error.code !== 'unresolvable_host') {
          throw validationError([
            {
              errorCode: 'InvalidUrl',
              fieldName: 'Url',
              message: `The webhook URL is not allowed (${check.error.code}: ${check.error.message}).`,
            },
          ]);
        }
        const url = new URL(input.url);
        if (url.username || url.password) {
          throw validationError([
            {
              errorCode: 'InvalidUrl',
              fieldName: 'Url',
              message: 'A user name or password in the URL is not accepted.',
            },
          ]);
        }
        if ((await live(auth.tenantId)).length >= MAX_ENDPOINTS) {
          throw new CoreError('validation_failed', `At most ${MAX_ENDPOINTS} webhooks; delete one first.`);
        }
        const id = deps.ids.next('whe');
        const webhookSignatureKey = deps.ids.secret(32);
        const endpoint: WebhookEndpointRecord = {
          id,
          tenantId: auth.tenantId,
          format: 'taktikal',
          url: url.href,
          events: ['*'],
          sealedSecret: sealer.seal(webhookSignatureKey, id),
          sealedHeader: null,
          description: input.description ?? null,
          externalId: null,
          createdAt: deps.clock.now(),
          disabledAt: null,
        };
        await deps.store.transaction((tx) => tx.webhookEndpoints.insert(endpoint));
        return { status: 200, body: { ...present(endpoint), webhookSignatureKey } };
      },
    },
    {
      method: 'GET',
      path: '/webhook',
      handler: async ({ auth }) => ({ status: 200, body: (await live(auth.tenantId)).map(present) }),
    },
    {
      method: 'DELETE',
      path: '/webhook/:Id',
      handler: async ({ auth, request }) => disable(auth.tenantId, (request.params as { Id: string }).Id),
    },
    {
      method: 'DELETE',
      path: '/webhook',
      handler: async ({ auth, request }) =>
        disable(auth.tenantId, parseTaktikal(z.object({ Id: z.string().min(1).max(100) }), request.query, 'query').Id),
    },
  ];
}
