/**
 * The Lumin signature-request endpoints, mounted at /lumin/v1 in place of
 * https://api.luminpdf.com/v1. Each handler translates and calls one core use case.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CoreError, notFound } from '../../core/errors.js';
import { cancelSignatureRequest } from '../../core/use-cases/cancel-signature-request.js';
import { createSignatureRequest } from '../../core/use-cases/create-signature-request.js';
import { getSignatureRequest } from '../../core/use-cases/read-signature-requests.js';
import { updateRequestExpiry } from '../../core/use-cases/update-request-expiry.js';
import type { SurfaceContext, SurfaceHttp } from '../surface.js';
import { authenticateLumin, type LuminAccess, type LuminCaller } from './auth.js';
import { presentSignatureRequest } from './present.js';
import { readSendCommand } from './send-input.js';

/** Base64 of a 10 MiB PDF is ~13.4 MiB; the rest of the DTO is small. */
const SEND_BODY_LIMIT = 15 * 1024 * 1024;
const SMALL_BODY_LIMIT = 16 * 1024;
const MAX_ID_LENGTH = 200;

const updateBody = z.strictObject({
  expires_at: z.number().int('Must be an integer: epoch milliseconds'),
});

export function registerLuminRoutes(
  scope: FastifyInstance,
  { deps, publicUrl }: SurfaceContext,
  { throttle, quotas }: SurfaceHttp,
): void {
  // Authentication runs on request, before a (possibly large) body is read. Send and get also
  // count against Lumin's documented quota, each endpoint per credential (docs/compat/lumin.md).
  const callers = new WeakMap<FastifyRequest, LuminCaller>();
  const authenticated = (access: LuminAccess, quotaEndpoint?: 'send' | 'get') => async (request: FastifyRequest) => {
    const caller = await authenticateLumin(deps, throttle, request, access);
    if (quotaEndpoint) await quotas.lumin?.consume(request, `${quotaEndpoint}:${caller.credential.id}`);
    callers.set(request, caller);
  };
  const callerOf = (request: FastifyRequest): LuminCaller => {
    const caller = callers.get(request);
    if (!caller) throw new CoreError('unauthorized');
    return caller;
  };
  // Ids are taken from a wildcard, not a `:param`: the router answers an over-long param itself,
  // with its own body, before any handler of ours could put it in the Lumin envelope.
  const requestId = (request: FastifyRequest): string => {
    const id = (request.params as { '*'?: string })['*'] ?? '';
    if (id.includes('/'))
      throw new CoreError('route_not_found', `No endpoint ${request.method} ${request.url.split('?')[0]}.`);
    // An id nobody could have been shown is simply not found, like another tenant's.
    if (id.length === 0 || id.length > MAX_ID_LENGTH) throw notFound();
    return id;
  };

  scope.post(
    '/signature_request/send',
    { bodyLimit: SEND_BODY_LIMIT, onRequest: authenticated('write', 'send') },
    async (request, reply) => {
      const caller = callerOf(request);
      const command = await readSendCommand(request);
      const created = await createSignatureRequest(deps, {
        tenantId: caller.tenantId,
        title: command.title,
        expiresAt: command.expiresAt,
        ownerEmail: command.ownerEmail,
        document: command.document,
        signers: command.signers,
        origin: 'lumin',
        context: caller.context,
      });
      // The spec allows only WAITING_FOR_PROCESSING or FAILED here; GET shows the settled status.
      return reply.code(201).send({
        signature_request: {
          signature_request_id: created.id,
          created_at: created.createdAt,
          status: 'WAITING_FOR_PROCESSING',
        },
      });
    },
  );

  scope.get('/signature_request/*', { onRequest: authenticated('read', 'get') }, async (request, reply) => {
    const found = await getSignatureRequest(deps, callerOf(request).tenantId, requestId(request));
    return reply.code(200).send({ signature_request: presentSignatureRequest(found, publicUrl) });
  });

  scope.patch(
    '/signature_request/*',
    { bodyLimit: SMALL_BODY_LIMIT, onRequest: authenticated('write') },
    async (request, reply) => {
      const caller = callerOf(request);
      const id = requestId(request);
      const parsed = updateBody.safeParse(request.body ?? null);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((issue) => ({
          path: issue.path.map(String).join('.') || 'body',
          message: issue.message,
        }));
        throw new CoreError('validation_failed', 'The request body is not valid.', { issues });
      }
      const updated = await updateRequestExpiry(deps, caller.tenantId, id, parsed.data.expires_at, caller.context);
      return reply.code(200).send({ signature_request: presentSignatureRequest(updated, publicUrl) });
    },
  );

  scope.put(
    '/signature_request/cancel/*',
    { bodyLimit: SMALL_BODY_LIMIT, onRequest: authenticated('write') },
    async (request, reply) => {
      const caller = callerOf(request);
      // Lumin's cancel takes no body and no options: pending signers are told, the document is kept.
      const result = await cancelSignatureRequest(deps, {
        tenantId: caller.tenantId,
        requestId: requestId(request),
        notify: 'pending',
        context: caller.context,
      });
      return reply.code(200).send({ signature_request_id: result.request.id, status: 'CANCELLED' });
    },
  );
}
