/**
 * Native admin endpoints for Lumin credentials (native auth, admin scope, problem+json errors):
 * mint access tokens, register OAuth apps, revoke either. The same operations as the CLI.
 */
import { z } from 'zod';
import { notFound } from '../../core/errors.js';
import { revokeCredential } from '../../core/use-cases/revoke-credential.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import { callContext } from '../../http/v1/context.js';
import { problemView } from '../../http/v1/schemas.js';
import type { SurfaceContext } from '../surface.js';
import {
  DEFAULT_TOKEN_TTL_SECONDS,
  LUMIN_APP_KIND,
  LUMIN_SCOPES,
  LUMIN_TOKEN_KIND,
  MAX_TOKEN_TTL_SECONDS,
  issueAccessToken,
  registerApp,
} from './credentials.js';

const tokenBody = z.strictObject({
  scopes: z.array(z.enum(LUMIN_SCOPES)).min(1).describe('Lumin scopes the token carries'),
  ttl_seconds: z
    .number()
    .int()
    .min(60)
    .max(MAX_TOKEN_TTL_SECONDS)
    .optional()
    .describe(`Lifetime; default ${DEFAULT_TOKEN_TTL_SECONDS}`),
  label: z.string().trim().min(1).max(100).optional(),
});

const tokenView = z.object({
  id: z.string().describe('Credential id, for revocation'),
  access_token: z.string().describe('Shown once'),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int(),
  scope: z.string(),
});

const appView = z.object({
  id: z.string(),
  client_id: z.string(),
  client_secret: z.string().describe('Shown once'),
  scope: z.string(),
});

export function luminAdminRoutes({ deps }: SurfaceContext): AnyRoute[] {
  return [
    defineRoute({
      method: 'POST',
      path: '/v1/admin/lumin/tokens',
      operationId: 'createLuminAccessToken',
      tags: ['Admin', 'Lumin'],
      scope: 'admin',
      summary: 'Mint a Lumin Bearer access token with scopes',
      body: tokenBody,
      responses: { 201: { description: 'The token (shown once)', schema: tokenView } },
      handler: async ({ body, auth }) => {
        const token = await issueAccessToken(
          deps,
          auth!.tenantId,
          body.scopes,
          body.ttl_seconds ?? DEFAULT_TOKEN_TTL_SECONDS,
          body.label ?? 'admin API',
        );
        if (!token) throw notFound('Tenant');
        return { status: 201, body: token };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/admin/lumin/apps',
      operationId: 'createLuminApp',
      tags: ['Admin', 'Lumin'],
      scope: 'admin',
      summary: 'Register an OAuth app (client credentials for POST /lumin/oauth2/token)',
      body: z.strictObject({ label: z.string().trim().min(1).max(100).optional() }),
      responses: { 201: { description: 'The app (secret shown once)', schema: appView } },
      handler: async ({ body, auth }) => {
        const app = await registerApp(deps, auth!.tenantId, body.label ?? null);
        if (!app) throw notFound('Tenant');
        return { status: 201, body: app };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/admin/lumin/credentials/{id}/revoke',
      operationId: 'revokeLuminCredential',
      tags: ['Admin', 'Lumin'],
      scope: 'admin',
      summary: 'Revoke a Lumin access token or OAuth app',
      params: z.strictObject({ id: z.string().min(1).max(100) }),
      responses: {
        200: { description: 'Revoked', schema: z.object({ id: z.string(), revoked: z.literal(true) }) },
        404: { description: "No such live token or app (or another tenant's)", schema: problemView },
      },
      handler: async ({ params, auth, request }) => {
        const revoked = await revokeCredential(deps, {
          tenantId: auth!.tenantId,
          credentialId: params.id,
          kinds: [LUMIN_TOKEN_KIND, LUMIN_APP_KIND],
          context: callContext(request, auth!),
        });
        // Documented as "no such live token or app": revoking twice is a 404 here (DELETE /v1/credentials/{id} answers 200 again).
        if (!revoked || revoked.alreadyRevoked) throw notFound('Credential');
        return { status: 200, body: { id: params.id, revoked: true } };
      },
    }),
  ];
}
