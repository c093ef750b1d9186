/**
 * `POST /sign-requests/cancel` (seed 001): empty body, JWT `{client_id (or client_request),
 * request_id, iat, exp}`. The token names the one request it may cancel. Another client's or
 * another tenant's request answers exactly like an unknown one ("No record found").
 * Every rule (signed, cancelled, active session, expired allowed) is the core's.
 */
import type { FastifyInstance } from 'fastify';
import { CoreError } from '../../core/errors.js';
import { cancelSignatureRequest } from '../../core/use-cases/cancel-signature-request.js';
import { singpassCallContext } from './call-context.js';
import type { SingpassServices } from './singpass-services.js';

export function registerCancelSignRequest(scope: FastifyInstance, services: SingpassServices): void {
  scope.post('/sign-requests/cancel', async (request, reply) => {
    const rp = await services.auth.authenticate(request);
    const requestId = rp.claims.request_id;
    if (typeof requestId !== 'string' || requestId === '')
      throw new CoreError('validation_failed', 'The token has no request_id.');
    const signRequest = await services.repository.getSignRequest(requestId);
    if (!signRequest || signRequest.clientId !== rp.clientId || signRequest.tenantId !== rp.client.tenantId)
      throw new CoreError('not_found');
    await cancelSignatureRequest(services.deps, {
      tenantId: signRequest.tenantId,
      requestId: signRequest.requestId, // the alias; the core resolves it within the tenant
      // Singpass notifies nobody of a cancellation, and this request's signer has no email anyway.
      notify: 'none',
      context: singpassCallContext(request, rp.clientId),
    });
    // Singpass documents "200 OK" without a body; `{}` also suits clients that always parse JSON.
    return reply.code(200).send({});
  });
}
