import type { SignatureRequest, Signer } from '../model.js';
import type { CoreDeps, Tx } from '../ports.js';
import { runSignerCommand } from './run-signer-command.js';
import type { SignerClient } from './signer-context.js';

export interface SigningView {
  readonly request: SignatureRequest;
  readonly signer: Signer;
  /** When the signer's "Proceed to Sign" session ends, if one is active. */
  readonly sessionExpiresAt: number | null;
}

/**
 * What a signer sees behind their link. Opening the link records nothing (beyond an on-the-spot
 * expiry): mail scanners fetch links too, so "viewed" is recorded only by markSigningLinkViewed,
 * which the signer's page calls.
 */
export async function viewSigningLink(deps: CoreDeps, token: string, client: SignerClient): Promise<SigningView> {
  return runSignerCommand(deps, token, client, async (tx, { request, signer }, now) =>
    signingViewOf(tx, request, signer, now),
  );
}

/** The signer's view as it is now, read inside the command's transaction. */
export async function signingViewOf(
  tx: Tx,
  request: SignatureRequest,
  signer: Signer,
  now: number,
): Promise<SigningView> {
  const session = await tx.sessions.activeForSigner(signer.id, now);
  return { request, signer, sessionExpiresAt: session?.expiresAt ?? null };
}
