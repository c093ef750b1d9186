/**
 * A signer signs inside their active session. The request moves to partially_signed or, with the
 * last signature, to completed; when an order group is complete the next group is notified.
 */
import { CoreError } from '../errors.js';
import type { SignatureRequest } from '../model.js';
import type { CoreDeps, Tx } from '../ports.js';
import { SIGNABLE } from '../state-machine.js';
import { enqueue, enqueueEvent, enqueuePendingCancellationCheck } from './outbox-messages.js';
import { runSignerCommand } from './run-signer-command.js';
import { assertSignerMayAct, type SignerClient, type SignerContext } from './signer-context.js';

export type SignatureInput =
  { readonly type: 'typed'; readonly text: string } | { readonly type: 'drawn'; readonly imagePng: string };

export async function signAsSigner(
  deps: CoreDeps,
  token: string,
  signature: SignatureInput,
  client: SignerClient,
): Promise<SignatureRequest> {
  return runSignerCommand(deps, token, client, async (tx, context, now) => {
    const { request, signer, audit } = context;
    assertSignerMayAct(request, signer);
    const session = await tx.sessions.activeForSigner(signer.id, now);
    if (!session) throw new CoreError('session_required');
    const recorded =
      signature.type === 'typed'
        ? { type: 'typed', text: signature.text }
        : { type: 'drawn', image_png: signature.imagePng };
    const signed = await tx.requests.changeSignerStatus({
      signerId: signer.id,
      from: ['in_session'],
      to: 'signed',
      now,
      signature: recorded,
    });
    if (!signed) throw new CoreError('conflict');
    await tx.sessions.end(session.id, now);
    const remaining = request.signers.filter((other) => other.id !== signer.id && other.status !== 'signed');
    const to = remaining.length === 0 ? 'completed' : 'partially_signed';
    const moved = await tx.requests.changeStatus({
      requestId: request.id,
      from: SIGNABLE,
      to,
      now,
      ...(to === 'completed' ? { completedAt: now } : {}),
    });
    if (!moved) throw new CoreError('conflict');
    const event = await audit.append({
      tenantId: request.tenantId,
      requestId: request.id,
      type: 'signer.signed',
      data: { signer_id: signer.id, signature_type: signature.type },
    });
    await enqueueEvent(tx, deps, request.tenantId, now, {
      event_id: event.id,
      type: 'signature_request.signed',
      request_id: request.id,
      signer_id: signer.id,
    });
    // The session that held off a deferred cancel just ended: it is decided now, not at the session's expiry.
    if (request.pendingCancellation)
      await enqueuePendingCancellationCheck(tx, deps, request.tenantId, request.pendingCancellation, now);
    if (to === 'completed') {
      const done = await audit.append({
        tenantId: request.tenantId,
        requestId: request.id,
        type: 'request.completed',
        data: {},
      });
      await enqueueEvent(tx, deps, request.tenantId, now, {
        event_id: done.id,
        type: 'signature_request.completed',
        request_id: request.id,
      });
    } else {
      await notifyNextGroup(tx, deps, context, remaining, now);
    }
    return (await tx.requests.get(request.tenantId, request.id)) ?? request;
  });
}

/** When nobody of a lower order still owes a signature, the waiting signers of the next order are asked. */
async function notifyNextGroup(
  tx: Tx,
  deps: CoreDeps,
  { request, audit }: SignerContext,
  remaining: SignatureRequest['signers'],
  now: number,
): Promise<void> {
  const nextOrder = Math.min(...remaining.map((signer) => signer.order));
  const stillOwing = remaining.filter((signer) => signer.order === nextOrder);
  if (!stillOwing.every((signer) => signer.status === 'waiting')) return;
  const tenant = await tx.tenants.get(request.tenantId);
  for (const signer of stillOwing) {
    await tx.requests.changeSignerStatus({ signerId: signer.id, from: ['waiting'], to: 'notified', now });
    await audit.append({
      tenantId: request.tenantId,
      requestId: request.id,
      type: 'signer.notified',
      data: { signer_id: signer.id, email: signer.email },
    });
    if (signer.email === null) continue;
    await enqueue(tx, deps, request.tenantId, now, 'email', {
      template: 'signature_requested',
      request_id: request.id,
      signer_id: signer.id,
      to: { name: signer.name, address: signer.email },
      title: request.title,
      sender: tenant?.name ?? null,
      owner_email: request.ownerEmail,
      message: request.message,
      expires_at: request.expiresAt,
    });
  }
}
