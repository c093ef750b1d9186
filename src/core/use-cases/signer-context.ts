/**
 * Shared steps of the signer-side use cases: resolve a signing link to its signer and request,
 * and expire the request on the spot when its deadline has passed (the sweeper may not have run).
 */
import { AuditWriter } from '../audit.js';
import { CoreError, notFound, type ErrorCode } from '../errors.js';
import type { CallContext, SignatureRequest, Signer } from '../model.js';
import type { CoreDeps, Tx } from '../ports.js';
import { signerIdFromToken } from '../signing-links.js';
import { SIGNABLE, type RequestStatus } from '../state-machine.js';
import { enqueueEvent } from './outbox-messages.js';

/** Where a signer's command came from: recorded with every signer event as evidence. */
export interface SignerClient {
  /** The client's address (per the server's trust-proxy rule). */
  readonly ip?: string;
  readonly userAgent?: string;
}

export interface SignerContext {
  readonly request: SignatureRequest;
  readonly signer: Signer;
  readonly audit: AuditWriter;
}

export async function loadSignerContext(
  tx: Tx,
  deps: CoreDeps,
  token: string,
  client: SignerClient,
  now: number,
): Promise<SignerContext> {
  const signerId = signerIdFromToken(deps.settings.linkKey, token);
  const owner = signerId === undefined ? undefined : await tx.requests.findBySigner(signerId);
  const request = owner && (await tx.requests.get(owner.tenantId, owner.requestId));
  const signer = request?.signers.find((candidate) => candidate.id === signerId);
  if (!request || !signer) throw notFound('Signing link');
  const context: CallContext = {
    actor: { type: 'signer', id: signer.id, display: signer.email ?? signer.name },
    surface: 'signing',
    ...(client.ip !== undefined ? { ip: client.ip } : {}),
    ...(client.userAgent !== undefined ? { userAgent: client.userAgent } : {}),
  };
  const audit = new AuditWriter(tx, deps.ids, context, now);
  if (SIGNABLE.includes(request.status) && request.expiresAt <= now) {
    await expireRequest(tx, deps, audit, request, now);
    return { request: { ...request, status: 'expired' }, signer, audit };
  }
  return { request, signer, audit };
}

export async function expireRequest(
  tx: Tx,
  deps: CoreDeps,
  audit: AuditWriter,
  request: SignatureRequest,
  now: number,
): Promise<boolean> {
  const moved = await tx.requests.changeStatus({ requestId: request.id, from: SIGNABLE, to: 'expired', now });
  if (!moved) return false;
  const event = await audit.append({
    tenantId: request.tenantId,
    requestId: request.id,
    type: 'request.expired',
    data: { expires_at: request.expiresAt },
  });
  await enqueueEvent(tx, deps, request.tenantId, now, {
    event_id: event.id,
    type: 'signature_request.expired',
    request_id: request.id,
  });
  return true;
}

/** Why a signer can no longer act on a request in `status`, or null while it is signable. */
export function signerRefusalFor(status: RequestStatus): ErrorCode | null {
  switch (status) {
    case 'pending':
    case 'partially_signed':
      return null;
    case 'completed':
      return 'already_signed';
    case 'declined':
      return 'declined';
    case 'expired':
      return 'expired';
    case 'cancelled':
      return 'already_cancelled';
  }
}

/** Throws the refusal for acting on this request as this signer, if there is one. */
export function assertSignerMayAct(request: SignatureRequest, signer: Signer): void {
  const refusal = signerRefusalFor(request.status);
  if (refusal)
    throw new CoreError(refusal, undefined, {
      status: request.status,
      requestId: request.id,
      cancellation: request.cancellation,
    });
  if (signer.status === 'signed' || signer.status === 'declined')
    throw new CoreError('signer_finished', undefined, { status: signer.status });
  if (signer.status === 'waiting') throw new CoreError('not_your_turn');
}
