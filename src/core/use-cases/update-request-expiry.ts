import { AuditWriter } from '../audit.js';
import { CoreError } from '../errors.js';
import type { CallContext, SignatureRequest } from '../model.js';
import type { CoreDeps } from '../ports.js';
import { SIGNABLE } from '../state-machine.js';
import { enqueueEvent } from './outbox-messages.js';
import { findRequest } from './find-request.js';
import { runIdempotent, unwrapOutcome } from './idempotency.js';
import { signerRefusalFor } from './signer-context.js';

/** Moves the deadline of a request that can still be signed (Lumin PATCH expires_at). */
export async function updateRequestExpiry(
  deps: CoreDeps,
  tenantId: string,
  anyId: string,
  expiresAt: number,
  context: CallContext,
): Promise<SignatureRequest> {
  const now = deps.clock.now();
  if (!(expiresAt > now))
    throw new CoreError('validation_failed', 'expires_at must be in the future.', {
      issues: [{ path: 'expires_at', message: 'Must be in the future.' }],
    });
  const { outcome } = await deps.store.transaction((tx) =>
    runIdempotent(tx, tenantId, '', undefined, now, async () => {
      const request = await findRequest(tx, tenantId, anyId);
      const refusal = signerRefusalFor(request.status);
      if (refusal) throw new CoreError(refusal, undefined, { status: request.status, requestId: request.id });
      if (!(await tx.requests.changeExpiry(request.id, SIGNABLE, expiresAt, now))) throw new CoreError('conflict');
      const audit = new AuditWriter(tx, deps.ids, context, now);
      const event = await audit.append({
        tenantId,
        requestId: request.id,
        type: 'request.expiry_updated',
        data: { from: request.expiresAt, to: expiresAt },
      });
      await enqueueEvent(tx, deps, tenantId, now, {
        event_id: event.id,
        type: 'signature_request.expiry_updated',
        request_id: request.id,
      });
      return findRequest(tx, tenantId, request.id);
    }),
  );
  return unwrapOutcome(outcome);
}
