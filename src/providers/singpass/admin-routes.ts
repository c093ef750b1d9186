/**
 * Native admin endpoints (under /v1, native auth, admin scope) to register the tenant's Singpass
 * relying parties and their webhook URLs. A JWKS URL on a private or loopback host is always
 * refused here: a tenant's admin key is not the server operator, who alone may allow one
 * (`countersign singpass-client add --allow-private-jwks-url`). Webhook URLs follow the server's
 * rule for every webhook (COUNTERSIGN_ALLOW_PRIVATE_WEBHOOKS).
 */
import { z } from 'zod';
import { CoreError } from '../../core/errors.js';
import { callContext } from '../../http/v1/context.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import { problemView } from '../../http/v1/schemas.js';
import type { SurfaceContext } from '../surface.js';
import { registerSingpassClient, type ResolveHost } from './client-registration.js';
import { setSingpassWebhook, singpassWebhookOf } from './client-webhook.js';
import type { SingpassClientRecord } from './singpass-store.js';
import { createSingpassStore } from './singpass-store.js';

const jwkInput = z.record(z.string(), z.unknown());

const clientBody = z.strictObject({
  client_id: z.string().min(1).max(128).describe('The client_id your RP puts in its tokens.'),
  jwks_url: z.string().max(2048).optional().describe('Public https URL of the RP JWKS (fetched and cached 1 h).'),
  jwks: z
    .strictObject({ keys: z.array(jwkInput).min(1).max(50) })
    .optional()
    .describe('Inline JWKS instead of a URL (public EC P-256 keys with kid).'),
});

const clientView = z.object({
  client_id: z.string(),
  tenant_id: z.string(),
  jwks_url: z.string().nullable(),
  jwks: z.object({ keys: z.array(jwkInput) }).nullable(),
  allow_private_jwks_url: z.boolean(),
  created_at: z.string(),
});

function present(client: SingpassClientRecord): z.infer<typeof clientView> {
  return {
    client_id: client.clientId,
    tenant_id: client.tenantId,
    jwks_url: client.jwksUrl,
    jwks: client.jwks as z.infer<typeof clientView>['jwks'],
    allow_private_jwks_url: client.allowPrivateJwksUrl,
    created_at: new Date(client.createdAt).toISOString(),
  };
}

export function singpassAdminRoutes(context: SurfaceContext, resolveHost?: ResolveHost): AnyRoute[] {
  const repository = createSingpassStore(context);
  const register = defineRoute({
    method: 'POST',
    path: '/v1/admin/singpass/clients',
    operationId: 'registerSingpassClient',
    tags: ['Singpass'],
    scope: 'admin',
    summary: 'Register a Singpass Sign v3 relying party (client_id and its JWKS) for this tenant',
    description:
      'Give exactly one of `jwks_url` (https, public host) and `jwks`. client_id is unique across the server.',
    body: clientBody,
    responses: {
      201: { description: 'Registered', schema: clientView },
      400: { description: 'Invalid (including a private or loopback JWKS host)', schema: problemView },
      409: { description: 'client_id already registered', schema: problemView },
    },
    handler: async ({ body, auth }) => {
      const client = await registerSingpassClient(
        context.deps,
        repository,
        {
          tenantId: auth!.tenantId,
          clientId: body.client_id,
          ...(body.jwks_url !== undefined ? { jwksUrl: body.jwks_url } : {}),
          ...(body.jwks !== undefined ? { jwks: body.jwks } : {}),
        },
        resolveHost,
      );
      return { status: 201, body: present(client) };
    },
  });
  const list = defineRoute({
    method: 'GET',
    path: '/v1/admin/singpass/clients',
    operationId: 'listSingpassClients',
    tags: ['Singpass'],
    scope: 'admin',
    summary: "List this tenant's Singpass relying parties",
    responses: { 200: { description: 'The clients', schema: z.object({ data: z.array(clientView) }) } },
    handler: async ({ auth }) => ({
      status: 200,
      body: { data: (await repository.listClients(auth!.tenantId)).map(present) },
    }),
  });
  return [register, list, ...webhookRoutes(context, repository)];
}

const webhookView = z.object({ client_id: z.string(), id: z.string(), url: z.string(), created_at: z.string() });
const clientParams = z.strictObject({ client_id: z.string().min(1).max(128) });

/**
 * The RP's webhook URL (Singpass takes one at onboarding): `{"token"}` is posted there when a
 * request the RP initiated is signed. One URL per client; setting it again replaces it.
 */
function webhookRoutes(context: SurfaceContext, repository: ReturnType<typeof createSingpassStore>): AnyRoute[] {
  const view = (clientId: string, endpoint: { id: string; url: string; createdAt: number }) => ({
    client_id: clientId,
    id: endpoint.id,
    url: endpoint.url,
    created_at: new Date(endpoint.createdAt).toISOString(),
  });
  const path = '/v1/admin/singpass/clients/{client_id}/webhook';
  return [
    defineRoute({
      method: 'PUT',
      path,
      operationId: 'setSingpassWebhook',
      tags: ['Singpass'],
      scope: 'admin',
      summary: "Set the relying party's webhook URL (the signed-document token is posted there)",
      params: clientParams,
      body: z.strictObject({ url: z.string().min(1).max(2048) }),
      responses: {
        200: { description: 'The webhook', schema: webhookView },
        400: { description: 'URL not allowed', schema: problemView },
        404: { description: "No such client (or another tenant's)", schema: problemView },
      },
      handler: async ({ params, body, auth, request }) => {
        const created = await setSingpassWebhook(
          context,
          repository,
          auth!.tenantId,
          params.client_id,
          body.url,
          callContext(request, auth!),
        );
        return { status: 200, body: view(params.client_id, created!) };
      },
    }),
    defineRoute({
      method: 'GET',
      path,
      operationId: 'getSingpassWebhook',
      tags: ['Singpass'],
      scope: 'admin',
      summary: "The relying party's webhook URL, if one is set",
      params: clientParams,
      responses: {
        200: { description: 'The webhook', schema: webhookView },
        404: { description: 'No such client, or no webhook set', schema: problemView },
      },
      handler: async ({ params, auth }) => {
        const endpoint = await singpassWebhookOf(context, repository, auth!.tenantId, params.client_id);
        if (!endpoint) throw new CoreError('not_found', 'No webhook is set for this Singpass client.');
        return { status: 200, body: view(params.client_id, endpoint) };
      },
    }),
    defineRoute({
      method: 'DELETE',
      path,
      operationId: 'deleteSingpassWebhook',
      tags: ['Singpass'],
      scope: 'admin',
      summary: "Stop the relying party's webhooks",
      params: clientParams,
      responses: {
        204: { description: 'Removed (or none was set)' },
        404: { description: 'No such client', schema: problemView },
      },
      handler: async ({ params, auth, request }) => {
        await setSingpassWebhook(
          context,
          repository,
          auth!.tenantId,
          params.client_id,
          null,
          callContext(request, auth!),
        );
        return { status: 204 };
      },
    }),
  ];
}
