/**
 * Every cancellation rule of the five provider documents, in one place, as data the surfaces
 * can read. The cancel use cases (use-cases/cancel-in-transaction.ts and the batch's
 * cancel-lone-requests.ts) apply them inside the transaction; surfaces only translate the
 * resulting error codes.
 *
 * | rule (source)                                                  | here                                      |
 * |----------------------------------------------------------------|-------------------------------------------|
 * | allowed while pending, partially signed (KAiZEN, Auco, Lumin)  | CANCELLABLE                               |
 * | allowed while expired (Singpass: "active or expired")          | CANCELLABLE                               |
 * | refused when signed (all five)                                 | cancelRefusalFor('completed')             |
 * | refused when rejected/declined (Auco)                          | cancelRefusalFor('declined')              |
 * | refused when already cancelled (Singpass, KAiZEN)              | cancelRefusalFor('cancelled')             |
 * | refused during an active sign session (Singpass)               | active_session (cancel-in-transaction.ts) |
 * | ... or deferred until it ends (native only, ADR 7)             | defer-cancellation.ts, session-rules.ts   |
 * | a sequence is cancelled as a whole (Taktikal)                  | loadSequence (cancel-in-transaction.ts),  |
 * |                                                                | cancel-sequence.ts                        |
 * | no reactivation (Taktikal)                                     | TERMINAL                                  |
 * | signers told per policy; Auco: notified-or-signed only          | recipientsFor()                           |
 * | the owner gets a copy before a purge when someone signed        | ownerCopyNeeded()                         |
 */
import type { ErrorCode } from './errors.js';
import type { NotifyPolicy, Signer } from './model.js';
import { CANCELLABLE, SIGNER_OUTSTANDING, type RequestStatus } from './state-machine.js';

export { CANCELLABLE };

/** The refusal code for cancelling a request in `status`, or null when cancel is allowed. */
export function cancelRefusalFor(status: RequestStatus): ErrorCode | null {
  switch (status) {
    case 'pending':
    case 'partially_signed':
    case 'expired':
      return null;
    case 'completed':
      return 'already_signed';
    case 'declined':
      return 'declined';
    case 'cancelled':
      return 'already_cancelled';
  }
}

/** Default length of a "Proceed to Sign" session; configurable per server. */
export const DEFAULT_SIGN_SESSION_MINUTES = 30;

/** The largest batch one cancel call may name. */
export const MAX_BATCH_CANCEL = 10_000;

/** Which signers a cancellation notice goes to, under a notification policy (only those with an email). */
export function recipientsFor(policy: NotifyPolicy, signers: readonly Signer[]): (Signer & { email: string })[] {
  return chosenBy(policy, signers).filter((signer): signer is Signer & { email: string } => signer.email !== null);
}

function chosenBy(policy: NotifyPolicy, signers: readonly Signer[]): Signer[] {
  switch (policy) {
    case 'none':
      return [];
    case 'pending':
      return signers.filter((signer) => SIGNER_OUTSTANDING.includes(signer.status));
    case 'contacted':
      return signers.filter((signer) => signer.status !== 'waiting' && signer.status !== 'declined');
    case 'all':
      return [...signers];
  }
}

/** Whether the owner gets a copy of the partially signed document before it is purged (Taktikal). */
export function ownerCopyNeeded(signers: readonly Signer[]): boolean {
  return signers.some((signer) => signer.status === 'signed');
}
