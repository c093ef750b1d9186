/**
 * POST /document/cancel (private key) `{codes[], message, email}`, all required: a batch cancel
 * with partial success in one 200 `{success, errors: {cant, documents?}}`. The message goes to
 * the signers already asked to sign or who signed (notify policy `contacted`); `email` is who
 * cancels, kept in the audit trail. Unknown, another tenant's, signed and rejected documents are
 * listed in errors.documents, exactly as given.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { MAX_BATCH_CANCEL } from '../../core/cancellation-rules.js';
import type { CoreDeps, CredentialRecord } from '../../core/ports.js';
import { cancelSignatureRequestsBatch } from '../../core/use-cases/cancel-signature-requests-batch.js';
import { parseOrThrow } from '../../http/route.js';
import { surfaceCallContext } from '../call-context.js';
import { normaliseCode } from './codes.js';

export const cancelBody = z.strictObject({
  codes: z.array(z.string().trim().min(1).max(100)).min(1).max(MAX_BATCH_CANCEL),
  message: z.string().trim().min(1).max(2000),
  email: z.email().max(320),
});

export interface CancelAnswer {
  readonly success: number;
  readonly errors: { readonly cant: number; readonly documents?: readonly string[] };
}

export async function cancelDocuments(
  deps: CoreDeps,
  request: FastifyRequest,
  credential: CredentialRecord,
): Promise<CancelAnswer> {
  const body = parseOrThrow(cancelBody, request.body ?? null, 'body');
  // The core judges each id once; remember how the caller spelled it to list failures back verbatim.
  const givenAs = new Map<string, string>();
  for (const code of body.codes) if (!givenAs.has(normaliseCode(code))) givenAs.set(normaliseCode(code), code);
  const result = await cancelSignatureRequestsBatch(deps, {
    tenantId: credential.tenantId,
    ids: [...givenAs.keys()],
    dryRun: false,
    reason: body.message,
    message: body.message,
    notify: 'contacted',
    context: surfaceCallContext(request, credential, 'auco', body.email),
  });
  const failed = result.items
    .filter((item) => item.outcome === 'refused')
    .map((item) => givenAs.get(item.id) ?? item.id);
  return {
    success: result.cancelled,
    errors: { cant: failed.length, ...(failed.length > 0 ? { documents: failed } : {}) },
  };
}
