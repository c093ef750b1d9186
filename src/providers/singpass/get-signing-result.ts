/**
 * `GET /sign-requests/{id}/signed-doc` (and the older spelling `signed_doc`): the JWT carries only
 * `{exchange_code, jti, iat, exp}`, so the client is found through exchange_code -> sign request
 * -> client, and the code must belong to the request in the path. Answers `{signed_doc_url,
 * signer_info, exp}` once signed, else a 400 naming the state. Also serves the `signed_doc_url`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CoreError } from '../../core/errors.js';
import type { SignatureRequest } from '../../core/model.js';
import { hashSecret } from '../../core/secrets.js';
import { getSignatureRequest } from '../../core/use-cases/read-signature-requests.js';
import { attachmentHeader } from '../../http/attachment-header.js';
import { singpassRefusal } from './errors.js';
import { isUuid } from './singpass-ids.js';
import type { SingpassSignRequestRecord } from './singpass-store.js';
import { SINGPASS_MOUNT, type SingpassServices } from './singpass-services.js';
import { SIGNED_DOC_URL_LIFETIME_SECONDS } from './signed-document-links.js';

/** Singpass: the signed document can be retrieved for 1 hour after signing (SIGNED_ACCESS_EXPIRED after). */
export const SIGNED_ACCESS_WINDOW_MS = 60 * 60_000;

export function registerGetSigningResult(scope: FastifyInstance, services: SingpassServices): void {
  const handler = (request: FastifyRequest, reply: FastifyReply) => signedDoc(services, request, reply);
  // The current docs and mockpass's README say signed-doc; older docs, the demo app and mockpass's code signed_doc.
  scope.get('/sign-requests/:id/signed-doc', handler);
  scope.get('/sign-requests/:id/signed_doc', handler);
  scope.get('/signed-documents/:token', (request, reply) => download(services, request, reply));
}

async function signedDoc(
  services: SingpassServices,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const { id } = request.params as { id: string };
  let signRequest: SingpassSignRequestRecord | undefined;
  const rp = await services.auth.authenticateBy(request, async (claims) => {
    if (typeof claims.exchange_code !== 'string' || claims.exchange_code.length > 256) return undefined;
    signRequest = await services.repository.findSignRequestByExchangeCodeHash(hashSecret(claims.exchange_code));
    // A code presented for another request than its own is refused like an unknown code.
    return signRequest?.requestId === id ? signRequest.clientId : undefined;
  });
  if (!signRequest || signRequest.tenantId !== rp.client.tenantId) throw new CoreError('not_found');
  if (!isUuid(rp.claims.jti)) throw new CoreError('validation_failed', "The token's jti must be a UUID.");

  const found = await getSignatureRequest(services.deps, signRequest.tenantId, signRequest.requestId);
  const now = services.deps.clock.now();
  assertSigned(found, now);
  const signer = found.signers[0]!;
  const signedAt = found.completedAt ?? signer.signedAt ?? now;
  if (now - signedAt > SIGNED_ACCESS_WINDOW_MS) throw singpassRefusal('SIGNED_ACCESS_EXPIRED');
  if (found.document.purgedAt !== null) throw singpassRefusal('SIGNED_ACCESS_EXPIRED');

  const exp = Math.floor(now / 1000) + SIGNED_DOC_URL_LIFETIME_SECONDS;
  const token = services.signedDocumentLinks.create(signRequest.requestId, exp);
  return reply.code(200).send({
    signed_doc_url: `${services.publicUrl}${SINGPASS_MOUNT}/signed-documents/${token}`,
    // Countersign does not authenticate the signer with Singpass: no certificate CN, no NRIC.
    signer_info: { signer_name: signer.name, signer_partial_uinfin: null, signed_at: signer.signedAt ?? signedAt },
    exp,
  });
}

/** Throws the Singpass refusal for a request that is not (or no longer) signed. */
function assertSigned(request: SignatureRequest, now: number): void {
  switch (request.status) {
    case 'completed':
      return;
    case 'pending':
    case 'partially_signed':
      // Past its deadline it is expired, even before the expiry sweep has moved it.
      throw singpassRefusal(request.expiresAt <= now ? 'REQUEST_EXPIRED' : 'DOCUMENT_NOT_SIGNED');
    case 'expired':
      throw singpassRefusal('REQUEST_EXPIRED');
    case 'cancelled':
      throw singpassRefusal('REQUEST_CANCELLED');
    case 'declined':
      throw singpassRefusal('REQUEST_DECLINED');
  }
}

async function download(
  services: SingpassServices,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const { token } = request.params as { token: string };
  const { deps } = services;
  const gone = () =>
    singpassRefusal(
      'SIGNED_ACCESS_EXPIRED',
      'validation_failed',
      'The signed document link is invalid or has expired.',
    );
  const requestId = services.signedDocumentLinks.check(token, deps.clock.now());
  const signRequest = requestId === undefined ? undefined : await services.repository.getSignRequest(requestId);
  if (!signRequest) throw gone();
  const found = await getSignatureRequest(deps, signRequest.tenantId, signRequest.requestId);
  if (found.status !== 'completed') throw gone();
  const bytes = await deps.store.transaction((tx) => tx.documents.getBytes(found.document.id));
  if (!bytes) throw gone();
  return reply
    .code(200)
    .header('content-type', 'application/pdf')
    .header('content-disposition', attachmentHeader(found.document.filename))
    .header('cache-control', 'no-store')
    .send(Buffer.from(bytes));
}
