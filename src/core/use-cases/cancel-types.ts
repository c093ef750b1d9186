/** What a cancel is asked to do and what it answers: shared by the cancel paths (single, sequence, batch, deferred). */
import type { NotifyPolicy, PendingCancellation, Retention, SignatureRequest } from '../model.js';

export interface CancelFields {
  /** Internal reason, kept in the audit trail and shown to the owner. */
  readonly reason?: string | null;
  /** Message to the signers who are notified. */
  readonly message?: string | null;
  readonly reasonCode?: string | null;
  readonly notify: NotifyPolicy;
  readonly retention?: Retention;
  /**
   * What an active sign session does to the cancel: refuse it (active_session, the default and every
   * provider's rule), or defer it until the session ends (native API only; ADR 7).
   */
  readonly onActiveSession?: 'refuse' | 'defer';
}

export interface NotifiedSigner {
  readonly requestId: string;
  readonly signerId: string;
  readonly name: string;
  readonly email: string;
}

export interface CancelResult {
  readonly outcome: 'cancelled';
  readonly request: SignatureRequest;
  /** Every request this cancel moved: the named one first, then the rest of its sequence. */
  readonly cancelledIds: readonly string[];
  readonly notified: readonly NotifiedSigner[];
}

/** A cancel either happened, or (with onActiveSession "defer") waits for a sign session to end. */
export type CancelOutcome = CancelResult | DeferredResult;

export interface CancelOptions {
  /** Set when this cancel carries out a deferred one: its events say so. */
  readonly deferred?: PendingCancellation;
}

export interface DeferredResult {
  readonly outcome: 'deferred';
  /** The request as it is now, its pendingCancellation set. */
  readonly request: SignatureRequest;
  readonly pending: PendingCancellation;
  /** False when a deferred cancel was already pending: it is returned unchanged and nothing is written. */
  readonly created: boolean;
}
