/**
 * Native API keys: list, create (scopes, optional expiry; never beyond the calling key's own),
 * revoke. Admin scope. The key itself is shown once, at creation.
 */
import { z } from 'zod';
import { notFound } from '../../core/errors.js';
import type { CoreDeps } from '../../core/ports.js';
import { SCOPES } from '../../core/scopes.js';
import { createApiKey } from '../../core/use-cases/create-api-key.js';
import { listCredentials } from '../../core/use-cases/list-credentials.js';
import { NATIVE_KEY_KIND } from '../../core/use-cases/manage-tenants.js';
import { revokeCredential } from '../../core/use-cases/revoke-credential.js';
import { defineRoute, type AnyRoute } from '../route.js';
import { callContext } from './context.js';
import {
  adminErrors,
  credentialListQuery,
  credentialView,
  expiresAtInput,
  expiresAtOf,
  idParams,
  invalidInput,
  notFoundError,
  presentCredential,
} from './credential-views.js';

const createBody = z.strictObject({
  scopes: z
    .array(z.enum(SCOPES as ['read', 'write', 'admin']))
    .min(1)
    .describe("admin implies write, write implies read; none beyond the calling key's"),
  label: z.string().max(100).optional(),
  expires_at: expiresAtInput,
});

const createdKey = credentialView.extend({ key: z.string().describe('The key: shown once, only its hash is stored') });

export function apiKeyRoutes(deps: CoreDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/v1/api-keys',
      operationId: 'listApiKeys',
      tags: ['Admin'],
      scope: 'admin',
      summary: "List the tenant's API keys (never the keys themselves), oldest first",
      query: z.strictObject(credentialListQuery),
      responses: {
        200: {
          description: 'A page',
          schema: z.object({ data: z.array(credentialView), next_cursor: z.string().nullable() }),
        },
        ...invalidInput,
        ...adminErrors,
      },
      handler: async ({ query, auth }) => {
        const page = await listCredentials(deps, auth!.tenantId, {
          kinds: [NATIVE_KEY_KIND],
          limit: query.limit,
          ...(query.status ? { status: query.status } : {}),
          ...(query.cursor ? { after: query.cursor } : {}),
        });
        return { status: 200, body: { data: page.items.map(presentCredential), next_cursor: page.nextCursor } };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/api-keys',
      operationId: 'createApiKey',
      tags: ['Admin'],
      scope: 'admin',
      summary: 'Create an API key; the key is shown once',
      body: createBody,
      description:
        'Rotation: create a new key, move clients to it, then revoke the old one (both work in between). ' +
        'A key that expires may only create keys that expire no later.',
      responses: { 201: { description: 'Created', schema: createdKey }, ...invalidInput, ...adminErrors },
      handler: async ({ body, auth, request }) => {
        const { key, credential } = await createApiKey(deps, {
          tenantId: auth!.tenantId,
          scopes: body.scopes,
          label: body.label ?? null,
          expiresAt: expiresAtOf(body.expires_at),
          issuer: { scopes: auth!.scopes, expiresAt: auth!.expiresAt },
          context: callContext(request, auth!),
        });
        return { status: 201, body: { ...presentCredential(credential), key } };
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/v1/api-keys/{id}',
      operationId: 'revokeApiKey',
      tags: ['Admin'],
      scope: 'admin',
      params: idParams,
      summary: 'Revoke an API key: it stops working at once (revoking it again changes nothing)',
      responses: {
        200: { description: 'The revoked key', schema: credentialView },
        ...invalidInput,
        ...adminErrors,
        ...notFoundError,
      },
      handler: async ({ params, auth, request }) => {
        const revoked = await revokeCredential(deps, {
          tenantId: auth!.tenantId,
          credentialId: params.id,
          kinds: [NATIVE_KEY_KIND],
          context: callContext(request, auth!),
        });
        if (!revoked) throw notFound('API key');
        return { status: 200, body: presentCredential(revoked.credential) };
      },
    }),
  ];
}
