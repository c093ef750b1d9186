/**
 * `POST /sign-requests`: the RP uploads the PDF (raw body, application/octet-stream) with a JWT
 * `{client_id, doc_name, x, y, page, jti, iat, exp}` and receives `{request_id, signing_url,
 * exchange_code}`. The request is created through the core with one signer who has no email:
 * whoever the RP sends to `signing_url` signs.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CoreError } from '../../core/errors.js';
import { hashSecret } from '../../core/secrets.js';
import { signingUrl } from '../../core/signing-links.js';
import {
  createSignatureRequestInTransaction,
  prepareSignatureRequest,
} from '../../core/use-cases/create-signature-request.js';
import { parseOrThrow } from '../../http/route.js';
import { singpassCallContext } from './call-context.js';
import { isUuid, newExchangeCode, newSingpassRequestId } from './singpass-ids.js';
import type { SingpassServices } from './singpass-services.js';

/** Singpass: "a session is valid for 30 minutes"; read as the sign request's lifetime (docs/compat/singpass.md). */
export const SIGN_REQUEST_LIFETIME_MS = 30 * 60_000;
/** The PDF limit: Singpass says "less than 10 MB"; we take 10 MiB, the document limit of the core. */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
/** What the signer is called: Countersign does not learn the Singpass user's name. */
export const SINGPASS_SIGNER_NAME = 'Singpass user';

// x and y are fractions of the page; the text says 0 <= x, y < 1 but the official sample sends 1,
// so 1 is accepted. Claims added by v3.2 (several locations, intended signer) are ignored.
const initiateClaims = z.object({
  doc_name: z.string().trim().min(1).max(255),
  x: z.number().min(0).max(1),
  y: z.number().min(0).max(1),
  page: z.number().int().min(1).max(100_000),
  jti: z.string().refine(isUuid, 'must be a UUID'),
});

export function registerInitiateSignRequest(scope: FastifyInstance, services: SingpassServices): void {
  scope.post('/sign-requests', { bodyLimit: MAX_DOCUMENT_BYTES }, async (request, reply) => {
    const { deps } = services;
    // The body is checked before the token, so a wrong upload does not use up the token's jti.
    const bytes = documentFrom(request);
    const rp = await services.auth.authenticate(request);
    const claims = parseOrThrow(initiateClaims, rp.claims, 'token');
    const now = deps.clock.now();
    const requestId = newSingpassRequestId(now);
    const exchangeCode = newExchangeCode();
    // Reads the PDF once, before any transaction; the page claim is checked against it.
    const prepared = await prepareSignatureRequest(deps, {
      tenantId: rp.client.tenantId,
      title: claims.doc_name,
      expiresAt: now + SIGN_REQUEST_LIFETIME_MS,
      document: { filename: claims.doc_name, bytes },
      signers: [{ name: SINGPASS_SIGNER_NAME, email: null }],
      aliases: { singpass_request_id: requestId },
      origin: 'singpass',
      context: singpassCallContext(request, rp.clientId),
    });
    const { pageCount } = prepared.inspected;
    if (claims.page > pageCount) {
      throw new CoreError(
        'validation_failed',
        `The document has ${pageCount} page(s); page ${claims.page} does not exist.`,
      );
    }
    // The Singpass row and the core request commit together or not at all: neither exists without the other.
    const created = await deps.store.transaction(async (tx) => {
      await tx.singpass.insertSignRequest({
        requestId,
        tenantId: rp.client.tenantId,
        clientId: rp.clientId,
        exchangeCodeHash: hashSecret(exchangeCode),
        signingLocation: { x: claims.x, y: claims.y, page: claims.page },
        createdAt: now,
      });
      return createSignatureRequestInTransaction(tx, deps, prepared);
    });
    const signer = created.signers[0]!;
    return reply.code(200).send({
      request_id: requestId,
      signing_url: signingUrl(services.publicUrl, deps.settings.linkKey, signer.id),
      exchange_code: exchangeCode,
    });
  });
}

function documentFrom(request: FastifyRequest): Uint8Array {
  const body = request.body;
  if (!Buffer.isBuffer(body)) {
    throw new CoreError(
      'unsupported_media_type',
      'Send the PDF as the body with Content-Type: application/octet-stream.',
    );
  }
  if (body.length === 0) throw new CoreError('invalid_document', 'The body is empty; send the PDF as the body.');
  return new Uint8Array(body.buffer, body.byteOffset, body.length);
}
