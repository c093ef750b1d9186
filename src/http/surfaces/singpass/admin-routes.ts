/**
 * Native admin endpoints (under /v1, native auth, admin scope) to register the tenant's Singpass
 * relying parties. A JWKS URL on a private or loopback host is always refused here: a tenant's
 * admin key is not the server operator, who alone may allow one (`countersign singpass-client add
 * --allow-private-jwks-url`).
 */
import { z } from 'zod';
import { defineRoute, type AnyRoute } from '../../route.js';
import { problemView } from '../../v1/schemas.js';
import type { SurfaceContext } from '../surface.js';
import { registerSingpassClient, type ResolveHost } from './client-registration.js';
import type { SingpassClientRecord } from './singpass-repository.js';
import { createSingpassRepositoryFor } from './singpass-services.js';

const jwkInput = z.record(z.string(), z.unknown());

const clientBody = z.strictObject({
  client_id: z.string().min(1).max(128).describe('The client_id your RP puts in its tokens.'),
  jwks_url: z.string().max(2048).optional().describe('Public https URL of the RP JWKS (fetched and cached 1 h).'),
  jwks: z.strictObject({ keys: z.array(jwkInput).min(1).max(50) }).optional().describe('Inline JWKS instead of a URL (public EC P-256 keys with kid).'),
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
    client_id: client.clientId, tenant_id: client.tenantId, jwks_url: client.jwksUrl,
    jwks: client.jwks as z.infer<typeof clientView>['jwks'], allow_private_jwks_url: client.allowPrivateJwksUrl,
    created_at: new Date(client.createdAt).toISOString(),
  };
}

export function singpassAdminRoutes(context: SurfaceContext, resolveHost?: ResolveHost): AnyRoute[] {
  const repository = createSingpassRepositoryFor(context);
  const register = defineRoute({
    method: 'POST', path: '/v1/admin/singpass/clients', operationId: 'registerSingpassClient', tags: ['Singpass'], scope: 'admin',
    summary: 'Register a Singpass Sign v3 relying party (client_id and its JWKS) for this tenant',
    description: 'Give exactly one of `jwks_url` (https, public host) and `jwks`. client_id is unique across the server.',
    body: clientBody,
    responses: {
      201: { description: 'Registered', schema: clientView },
      400: { description: 'Invalid (including a private or loopback JWKS host)', schema: problemView },
      409: { description: 'client_id already registered', schema: problemView },
    },
    handler: async ({ body, auth }) => {
      const client = await registerSingpassClient(context.deps, repository, {
        tenantId: auth!.tenantId, clientId: body.client_id,
        ...(body.jwks_url !== undefined ? { jwksUrl: body.jwks_url } : {}),
        ...(body.jwks !== undefined ? { jwks: body.jwks } : {}),
      }, resolveHost);
      return { status: 201, body: present(client) };
    },
  });
  const list = defineRoute({
    method: 'GET', path: '/v1/admin/singpass/clients', operationId: 'listSingpassClients', tags: ['Singpass'], scope: 'admin',
    summary: 'List this tenant\'s Singpass relying parties',
    responses: { 200: { description: 'The clients', schema: z.object({ data: z.array(clientView) }) } },
    handler: async ({ auth }) => ({ status: 200, body: { data: (await repository.listClients(auth!.tenantId)).map(present) } }),
  });
  return [register, list];
}
