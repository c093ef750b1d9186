/**
 * Provider credentials (Lumin, Taktikal, KAiZEN, Auco): list, issue, revoke, through the native
 * admin API. Each surface mints its own format; the core does the lifecycle. Native API keys have
 * their own routes (/v1/api-keys: they carry scopes, these carry a kind).
 */
import { z } from 'zod';
import { notFound } from '../../core/errors.js';
import { issueCredential } from '../../core/use-cases/issue-credential.js';
import { listCredentials } from '../../core/use-cases/list-credentials.js';
import { revokeCredential } from '../../core/use-cases/revoke-credential.js';
import { credentialKindsOf, mintableKindsOf } from '../../providers/credential-kinds.js';
import type { Surface, SurfaceContext } from '../../providers/surface.js';
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

export function credentialRoutes(context: SurfaceContext, surfaces: readonly Surface[]): AnyRoute[] {
  const { deps } = context;
  const kinds = credentialKindsOf(surfaces);
  const mintable = mintableKindsOf(surfaces);
  const [firstKind, ...otherKinds] = kinds.map((kind) => kind.kind);
  const [firstMintable, ...otherMintable] = mintable.map((kind) => kind.kind);
  if (firstKind === undefined || firstMintable === undefined) return [];
  const allKinds = kinds.map((kind) => kind.kind);
  const surfaceOf = (kind: string) => kinds.find((entry) => entry.kind === kind)?.surface ?? null;
  const providerView = credentialView.extend({ surface: z.string().describe('The surface the credential is for') });
  const present = (summary: Parameters<typeof presentCredential>[0]) => ({
    ...presentCredential(summary),
    surface: surfaceOf(summary.kind)!,
  });
  const kindList = kinds.map((kind) => `\`${kind.kind}\` (${kind.surface}): ${kind.description}`).join('; ');

  return [
    defineRoute({
      method: 'GET',
      path: '/v1/credentials',
      operationId: 'listCredentials',
      tags: ['Admin'],
      scope: 'admin',
      summary: "List the tenant's provider credentials (never their secrets), oldest first",
      description: `Kinds: ${kindList}.`,
      query: z.strictObject({
        kind: z
          .enum([firstKind, ...otherKinds])
          .optional()
          .describe('Only this kind'),
        ...credentialListQuery,
      }),
      responses: {
        200: {
          description: 'A page',
          schema: z.object({ data: z.array(providerView), next_cursor: z.string().nullable() }),
        },
        ...invalidInput,
        ...adminErrors,
      },
      handler: async ({ query, auth }) => {
        const page = await listCredentials(deps, auth!.tenantId, {
          kinds: query.kind ? [query.kind] : allKinds,
          limit: query.limit,
          ...(query.status ? { status: query.status } : {}),
          ...(query.cursor ? { after: query.cursor } : {}),
        });
        return { status: 200, body: { data: page.items.map(present), next_cursor: page.nextCursor } };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/credentials',
      operationId: 'issueCredential',
      tags: ['Admin'],
      scope: 'admin',
      summary: "Issue a provider credential; its secret is shown once, in the provider's form",
      description:
        'Rotation: issue a new one, move the client to it, then revoke the old (both work in between). ' +
        'A key that expires may only issue credentials that expire no later. Lumin access tokens and OAuth apps have their own routes (/v1/admin/lumin/…).',
      body: z.strictObject({
        kind: z.enum([firstMintable, ...otherMintable]),
        label: z.string().trim().min(1).max(100).optional(),
        expires_at: expiresAtInput,
      }),
      responses: {
        201: {
          description: 'Issued',
          schema: providerView.extend({
            secret: z
              .record(z.string(), z.string())
              .describe(
                'What the client sends, as `tenant create --json` prints it (e.g. {"api_key": "lmk_…"}): shown once',
              ),
          }),
        },
        ...invalidInput,
        ...adminErrors,
      },
      handler: async ({ body, auth, request }) => {
        const kind = mintable.find((entry) => entry.kind === body.kind)!;
        const minted = kind.mint(
          { ids: deps.ids, sealer: context.sealer },
          { label: body.label ?? null, expiresAt: expiresAtOf(body.expires_at) },
        );
        const credential = await issueCredential(deps, {
          tenantId: auth!.tenantId,
          credential: minted.credential,
          issuer: { scopes: auth!.scopes, expiresAt: auth!.expiresAt },
          context: callContext(request, auth!),
        });
        return { status: 201, body: { ...present(credential), secret: minted.display } };
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/v1/credentials/{id}',
      operationId: 'revokeCredential',
      tags: ['Admin'],
      scope: 'admin',
      params: idParams,
      summary: 'Revoke a provider credential: it stops working at once (revoking it again changes nothing)',
      responses: {
        200: { description: 'The revoked credential', schema: providerView },
        ...invalidInput,
        ...adminErrors,
        ...notFoundError,
      },
      handler: async ({ params, auth, request }) => {
        const revoked = await revokeCredential(deps, {
          tenantId: auth!.tenantId,
          credentialId: params.id,
          kinds: allKinds,
          context: callContext(request, auth!),
        });
        if (!revoked) throw notFound('Credential');
        return { status: 200, body: present(revoked.credential) };
      },
    }),
  ];
}
