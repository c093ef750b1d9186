/**
 * POST /RecallSignRequest `{signRequestId, appToken, recallReason?, recalledBy?}` -> `{FailRules: [], Data: true}`.
 * A recall is a core cancel: allowed while open or partly signed; the signers who still owe a
 * signature are told; `recallReason` is the reason kept on the request and in the audit trail.
 */
import type { FastifyRequest } from 'fastify';
import type { CredentialRecord } from '../../core/ports.js';
import { cancelSignatureRequest } from '../../core/use-cases/cancel-signature-request.js';
import { surfaceCallContext } from '../call-context.js';
import type { SurfaceContext } from '../surface.js';
import { succeeded, type KaizenEnvelope } from './envelope.js';
import { FIELD_NAMES, parseBody, recallBody } from './request-body.js';

export async function recallSignRequest(
  context: SurfaceContext,
  request: FastifyRequest,
  credential: CredentialRecord,
  body: Record<string, unknown>,
): Promise<KaizenEnvelope<boolean>> {
  const input = parseBody(recallBody, body, FIELD_NAMES);
  const recalledBy = input.recalledby?.trim() || undefined;
  await cancelSignatureRequest(context.deps, {
    tenantId: credential.tenantId,
    requestId: normaliseSignRequestId(input.signrequestid),
    reason: input.recallreason?.trim() || null,
    notify: 'pending',
    context: surfaceCallContext(request, credential, 'kaizen', recalledBy),
  });
  return succeeded(true);
}

/** SignRequestIds are ULIDs, which are case-insensitive; other ids (RequestNo, native ids) pass as given. */
function normaliseSignRequestId(id: string): string {
  return /^[0-9A-HJKMNP-TV-Z]{26}$/i.test(id) ? id.toUpperCase() : id;
}
