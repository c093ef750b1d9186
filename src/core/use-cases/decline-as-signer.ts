import { CoreError } from '../errors.js';
import type { SignatureRequest } from '../model.js';
import type { CoreDeps } from '../ports.js';
import { SIGNABLE } from '../state-machine.js';
import { enqueueEvent, enqueuePendingCancellationCheck } from './outbox-messages.js';
import { runSignerCommand } from './run-signer-command.js';
import { assertSignerMayAct, type SignerClient } from './signer-context.js';

/** A signer declines (rejects); the whole request becomes declined, which is terminal. */
export async function declineAsSigner(
  deps: CoreDeps,
  token: string,
  reason: string,
  client: SignerClient,
): Promise<SignatureRequest> {
  return runSignerCommand(deps, token, client, async (tx, { request, signer, audit }, now) => {
    assertSignerMayAct(request, signer);
    const declined = await tx.requests.changeSignerStatus({
      signerId: signer.id,
      from: ['notified', 'viewed', 'in_session'],
      to: 'declined',
      now,
      declineReason: reason,
    });
    if (!declined) throw new CoreError('conflict');
    const session = await tx.sessions.activeForSigner(signer.id, now);
    if (session) await tx.sessions.end(session.id, now);
    if (!(await tx.requests.changeStatus({ requestId: request.id, from: SIGNABLE, to: 'declined', now })))
      throw new CoreError('conflict');
    const event = await audit.append({
      tenantId: request.tenantId,
      requestId: request.id,
      type: 'signer.declined',
      reason,
      data: { signer_id: signer.id },
    });
    await enqueueEvent(tx, deps, request.tenantId, now, {
      event_id: event.id,
      type: 'signature_request.declined',
      request_id: request.id,
      signer_id: signer.id,
    });
    // A deferred cancel now ends refused (declined), decided at once rather than at the session's expiry.
    if (request.pendingCancellation)
      await enqueuePendingCancellationCheck(tx, deps, request.tenantId, request.pendingCancellation, now);
    return (await tx.requests.get(request.tenantId, request.id)) ?? request;
  });
}
