/**
 * POST /InitiateSignRequest: a base64 PDF and ordered signers -> `{FailRules: [], Data: {SignRequestId, RequestNo}}`.
 * SignRequestId is a ULID (as in the samples) and RequestNo `KAiZEN-<n>` counts the tenant's
 * requests; both are aliases of the core request, so every Countersign API accepts them.
 */
import type { FastifyRequest } from 'fastify';
import type { CredentialRecord } from '../../core/ports.js';
import {
  createSignatureRequestInTransaction,
  prepareSignatureRequest,
} from '../../core/use-cases/create-signature-request.js';
import { decodeBase64Pdf } from '../base64-document.js';
import { surfaceCallContext } from '../call-context.js';
import type { SurfaceContext } from '../surface.js';
import { succeeded, type KaizenEnvelope } from './envelope.js';
import { FIELD_NAMES, foldAlternatives, INITIATE_ALTERNATIVES, initiateBody, parseBody } from './request-body.js';
import { formatRequestNo } from './request-numbers.js';

export const DEFAULT_EXPIRY_DAYS = 30;
const DAY_MS = 86_400_000;

export interface InitiatedSignRequest {
  readonly SignRequestId: string;
  readonly RequestNo: string;
}

export async function initiateSignRequest(
  context: SurfaceContext,
  request: FastifyRequest,
  credential: CredentialRecord,
  body: Record<string, unknown>,
): Promise<KaizenEnvelope<InitiatedSignRequest>> {
  const { deps } = context;
  const input = parseBody(initiateBody, foldAlternatives(body, INITIATE_ALTERNATIVES), FIELD_NAMES);
  const bytes = decodeBase64Pdf(input.document);
  const title = input.title;
  // A ULID from the injected generator (`kzr_<ulid>`), upper-cased as KAiZEN shows it.
  const signRequestId = deps.ids.next('kzr').slice('kzr_'.length).toUpperCase();
  const prepared = await prepareSignatureRequest(deps, {
    tenantId: credential.tenantId,
    title,
    message: input.message ?? null,
    ownerEmail: input.owneremail ?? null,
    expiresAt: deps.clock.now() + (input.expirydays ?? DEFAULT_EXPIRY_DAYS) * DAY_MS,
    document: { filename: input.filename ?? `${title.slice(0, 200)}.pdf`, bytes },
    signers: input.signers.map((signer) => ({ name: signer.name, email: signer.email, order: signer.order ?? 1 })),
    aliases: { kaizen_sign_request_id: signRequestId },
    origin: 'kaizen',
    context: surfaceCallContext(request, credential, 'kaizen'),
  });
  // The number is taken in the transaction that creates the request: a refused request takes none
  // (no gap), and the write lock keeps concurrent callers from sharing one.
  const requestNo = await deps.store.transaction(async (tx) => {
    const number = formatRequestNo(await tx.kaizenRequestNumbers.next(credential.tenantId));
    await createSignatureRequestInTransaction(tx, deps, prepared, { aliases: { kaizen_request_no: number } });
    return number;
  });
  return succeeded({ SignRequestId: signRequestId, RequestNo: requestNo });
}
