import type { SignatureRequest, Signer } from '../model.js';
import type { CoreDeps } from '../ports.js';
import { SIGNABLE } from '../state-machine.js';
import { enqueueEvent } from './outbox-messages.js';
import { runSignerCommand } from './run-signer-command.js';

export interface SigningView {
  readonly request: SignatureRequest;
  readonly signer: Signer;
  /** When the signer's "Proceed to Sign" session ends, if one is active. */
  readonly sessionExpiresAt: number | null;
}

/** What a signer sees behind their link. The first view of a notified signer is recorded. */
export async function viewSigningLink(deps: CoreDeps, token: string): Promise<SigningView> {
  return runSignerCommand(deps, token, async (tx, { request, signer, audit }, now) => {
    if (SIGNABLE.includes(request.status) && signer.status === 'notified') {
      await tx.requests.changeSignerStatus({ signerId: signer.id, from: ['notified'], to: 'viewed', now });
      const event = await audit.append({ tenantId: request.tenantId, requestId: request.id, type: 'signer.viewed', data: { signer_id: signer.id } });
      await enqueueEvent(tx, deps, request.tenantId, now, { event_id: event.id, type: 'signature_request.viewed', request_id: request.id, signer_id: signer.id });
    }
    const session = await tx.sessions.activeForSigner(signer.id, now);
    const fresh = (await tx.requests.get(request.tenantId, request.id)) ?? request;
    return { request: fresh, signer: fresh.signers.find((s) => s.id === signer.id) ?? signer, sessionExpiresAt: session?.expiresAt ?? null };
  });
}
