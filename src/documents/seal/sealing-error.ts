/** Why a document could not be sealed, as one error type with a closed list of reasons. */

/**
 * - `identity_unreadable`: the operator's P12 or the generated seal file cannot be read or decrypted;
 * - `identity_expired`: the sealing certificate is not valid at the sealing time;
 * - `timestamp_failed`: the timestamp authority did not answer in time, refused, or answered with a
 *   token that is not for this signature.
 */
export const SEALING_ERROR_REASONS = ['identity_unreadable', 'identity_expired', 'timestamp_failed'] as const;
export type SealingErrorReason = (typeof SEALING_ERROR_REASONS)[number];

export class SealingError extends Error {
  override readonly name = 'SealingError';
  readonly reason: SealingErrorReason;

  constructor(reason: SealingErrorReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }
}
