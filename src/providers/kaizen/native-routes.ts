/**
 * Admin endpoint under /v1: more KAiZEN app tokens for a tenant. KAiZEN lets a customer create
 * several named tokens, each valid for a number of days (portal → Settings → "Create App Token").
 * Listing and revoking them: GET and DELETE /v1/credentials (kind kaizen_app_token).
 */
import { z } from 'zod';
import { issueCredential } from '../../core/use-cases/issue-credential.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import { callContext } from '../../http/v1/context.js';
import { problemView } from '../../http/v1/schemas.js';
import type { SurfaceContext } from '../surface.js';
import { issueAppToken } from './app-token.js';

const createBody = z.strictObject({
  name: z.string().trim().min(1).max(100).describe('Shown in the audit trail as the acting credential.'),
  validity_days: z
    .number()
    .int()
    .min(1)
    .max(3650)
    .optional()
    .describe('The token stops working after this many days; without it, it never expires.'),
});

const createdToken = z.object({
  id: z.string(),
  name: z.string(),
  app_token: z.string().describe('Shown once; only its hash is stored.'),
  expires_at: z.string().nullable(),
});

export function kaizenNativeRoutes({ deps }: SurfaceContext): AnyRoute[] {
  return [
    defineRoute({
      method: 'POST',
      path: '/v1/kaizen/app-tokens',
      operationId: 'createKaizenAppToken',
      tags: ['Provider surfaces'],
      scope: 'admin',
      summary: 'Create a KAiZEN app token (sent as `appToken` in KAiZEN request bodies)',
      body: createBody,
      responses: {
        201: { description: 'The new token, shown once', schema: createdToken },
        400: { description: 'Invalid input', schema: problemView },
        401: { description: 'Missing or bad key', schema: problemView },
        403: { description: 'Not an admin key, or a key that expires before the token would', schema: problemView },
      },
      handler: async ({ body, auth, request }) => {
        const expiresAt = body.validity_days === undefined ? null : deps.clock.now() + body.validity_days * 86_400_000;
        const issued = issueAppToken(deps.ids, body.name, expiresAt);
        await issueCredential(deps, {
          tenantId: auth!.tenantId,
          credential: issued.credential,
          issuer: { scopes: auth!.scopes, expiresAt: auth!.expiresAt },
          context: callContext(request, auth!),
        });
        return {
          status: 201,
          body: {
            id: issued.credential.id,
            name: body.name,
            app_token: issued.token,
            expires_at: expiresAt === null ? null : new Date(expiresAt).toISOString(),
          },
        };
      },
    }),
  ];
}
