/**
 * The Lumin account callback: one URL per workspace, subscribed to every event (Lumin sets it in
 * its dashboard; Countersign, having no dashboard yet, sets it through the native admin API).
 * Deliveries are signed with the tenant's primary Lumin API key (X-Signature).
 */
import { z } from 'zod';
import { CoreError } from '../../core/errors.js';
import { listWebhookEndpoints, replaceWebhookEndpoints } from '../../core/use-cases/replace-webhook-endpoints.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import { callContext } from '../../http/v1/context.js';
import { problemView } from '../../http/v1/schemas.js';
import type { SurfaceContext } from '../surface.js';

const callbackView = z.object({ id: z.string(), url: z.string(), created_at: z.string() });

export function luminCallbackRoutes(context: SurfaceContext): AnyRoute[] {
  const { deps } = context;
  const current = async (tenantId: string) => (await listWebhookEndpoints(deps, tenantId, 'lumin'))[0];
  const view = (endpoint: { id: string; url: string; createdAt: number }) => ({
    id: endpoint.id,
    url: endpoint.url,
    created_at: new Date(endpoint.createdAt).toISOString(),
  });
  return [
    defineRoute({
      method: 'PUT',
      path: '/v1/admin/lumin/callback',
      operationId: 'setLuminCallback',
      tags: ['Admin', 'Lumin'],
      scope: 'admin',
      summary: 'Set the Lumin-format callback URL (replaces the previous one)',
      body: z.strictObject({ url: z.string().min(1).max(2048) }),
      responses: {
        200: { description: 'The callback', schema: callbackView },
        400: { description: 'URL not allowed', schema: problemView },
      },
      handler: async ({ body, auth, request }) => {
        // The URL is checked by the core's one webhook URL policy (refused: 400 validation_failed).
        const [created] = await replaceWebhookEndpoints(
          deps,
          auth!.tenantId,
          'lumin',
          [
            {
              id: deps.ids.next('whe'),
              url: body.url,
              urlField: 'body.url',
              events: ['*'],
              sealedSecret: null,
              sealedHeader: null,
              description: 'Lumin callback',
              externalId: null,
            },
          ],
          callContext(request, auth!),
        );
        return { status: 200, body: view(created!) };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/admin/lumin/callback',
      operationId: 'getLuminCallback',
      tags: ['Admin', 'Lumin'],
      scope: 'admin',
      summary: 'The Lumin-format callback URL, if one is set',
      responses: {
        200: { description: 'The callback', schema: callbackView },
        404: { description: 'None set', schema: problemView },
      },
      handler: async ({ auth }) => {
        const endpoint = await current(auth!.tenantId);
        if (!endpoint) throw new CoreError('not_found', 'No Lumin callback is set.');
        return { status: 200, body: view(endpoint) };
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/v1/admin/lumin/callback',
      operationId: 'deleteLuminCallback',
      tags: ['Admin', 'Lumin'],
      scope: 'admin',
      summary: 'Stop Lumin-format callbacks',
      responses: { 204: { description: 'Removed (or none was set)' } },
      handler: async ({ auth, request }) => {
        await replaceWebhookEndpoints(deps, auth!.tenantId, 'lumin', [], callContext(request, auth!));
        return { status: 204 };
      },
    }),
  ];
}
