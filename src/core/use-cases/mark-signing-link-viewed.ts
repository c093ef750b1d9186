import type { CoreDeps } from '../ports.js';
import { SIGNABLE } from '../state-machine.js';
import { enqueueEvent } from './outbox-messages.js';
import { runSignerCommand } from './run-signer-command.js';
import type { SignerClient } from './signer-context.js';
import { signingViewOf, type SigningView } from './view-signing-link.js';

/**
 * The signer's page says the signer has the document in front of them: the first such call of a
 * notified signer records `signer.viewed` (with the client's address and user agent) and its webhook.
 * Idempotent: later calls, and calls of signers past "notified", record nothing and return the view.
 */
export async function markSigningLinkViewed(deps: CoreDeps, token: string, client: SignerClient): Promise<SigningView> {
  return runSignerCommand(deps, token, client, async (tx, { request, signer, audit }, now) => {
    if (!SIGNABLE.includes(request.status) || signer.status !== 'notified')
      return signingViewOf(tx, request, signer, now);
    if (await tx.requests.changeSignerStatus({ signerId: signer.id, from: ['notified'], to: 'viewed', now })) {
      const event = await audit.append({
        tenantId: request.tenantId,
        requestId: request.id,
        type: 'signer.viewed',
        data: { signer_id: signer.id },
      });
      await enqueueEvent(tx, deps, request.tenantId, now, {
        event_id: event.id,
        type: 'signature_request.viewed',
        request_id: request.id,
        signer_id: signer.id,
      });
    }
    const fresh = (await tx.requests.get(request.tenantId, request.id)) ?? request;
    return signingViewOf(tx, fresh, fresh.signers.find((candidate) => candidate.id === signer.id) ?? signer, now);
  });
}
