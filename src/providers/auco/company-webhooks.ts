/**
 * PUT /company (private key) `{webhooks: [{id: "default", description, url, header: {key, value}}, …]}`
 * replaces the tenant's Auco webhook list wholesale; GET /company (either key) shows it. Auco
 * authenticates its webhooks only with that static header, so the header is sealed at rest and
 * its value is never shown again (a GET-then-PUT round trip must not store a mask as the secret).
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { CredentialRecord, WebhookEndpointRecord } from '../../core/ports.js';
import { listWebhookEndpoints, replaceWebhookEndpoints } from '../../core/use-cases/replace-webhook-endpoints.js';
import type { NewWebhookEndpoint } from '../../core/webhook-endpoints.js';
import { parseOrThrow } from '../../http/route.js';
import { surfaceCallContext } from '../call-context.js';
import type { SurfaceContext } from '../surface.js';

/** Headers the HTTP client itself owns; a custom header must not override them. */
const RESERVED_HEADERS = new Set([
  'host',
  'content-length',
  'content-type',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'expect',
]);

const header = z.strictObject({
  key: z
    .string()
    .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/, 'must be an HTTP header name')
    .refine(
      (key) => !RESERVED_HEADERS.has(key.toLowerCase()),
      'this header is set by the HTTP client and cannot be replaced',
    ),
  value: z
    .string()
    .min(1)
    .max(2000)
    .regex(/^[\t\x20-\x7e]*$/, 'must be printable ASCII without line breaks'),
});

const webhook = z.strictObject({
  id: z.string().trim().min(1).max(100),
  description: z.string().max(500).optional(),
  url: z.string().min(1).max(2000),
  header: header.optional(),
});

export const companyBody = z.strictObject({
  webhooks: z
    .array(webhook)
    .min(1)
    .max(10)
    .refine((list) => list[0]?.id === 'default', 'the first webhook must have id "default"')
    .refine((list) => new Set(list.map((entry) => entry.id)).size === list.length, 'webhook ids must be unique'),
});

export async function replaceCompanyWebhooks(
  context: SurfaceContext,
  request: FastifyRequest,
  credential: CredentialRecord,
) {
  const body = parseOrThrow(companyBody, request.body ?? null, 'body');
  const { deps, sealer } = context;
  const endpoints = body.webhooks.map((entry, index): NewWebhookEndpoint => {
    const id = deps.ids.next('whe');
    return {
      id,
      url: entry.url,
      urlField: `body.webhooks.${index}.url`,
      events: ['*'],
      sealedSecret: null,
      sealedHeader: entry.header ? sealer.seal(JSON.stringify(entry.header), id) : null,
      description: entry.description ?? null,
      externalId: entry.id,
    };
  });
  // Every URL is checked by the core's one webhook URL policy, before its transaction.
  const saved = await replaceWebhookEndpoints(
    deps,
    credential.tenantId,
    'auco',
    endpoints,
    surfaceCallContext(request, credential, 'auco'),
  );
  return companyView(context, saved);
}

export async function readCompanyWebhooks(context: SurfaceContext, credential: CredentialRecord) {
  return companyView(context, await listWebhookEndpoints(context.deps, credential.tenantId, 'auco'));
}

function companyView({ sealer }: SurfaceContext, endpoints: readonly WebhookEndpointRecord[]) {
  const webhooks = endpoints.map((endpoint) => ({
    id: endpoint.externalId,
    description: endpoint.description,
    url: endpoint.url,
    // The header's name only: its value is the receiver's secret.
    ...(endpoint.sealedHeader
      ? { header: { key: (JSON.parse(sealer.open(endpoint.sealedHeader, endpoint.id)) as { key: string }).key } }
      : {}),
  }));
  // `webhook` is Auco's legacy single-URL field: the default webhook's URL.
  return { webhooks, webhook: webhooks.find((entry) => entry.id === 'default')?.url ?? null };
}
