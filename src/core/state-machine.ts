/**
 * The one state machine of a signature request and of each signer, as tables you can read.
 * Every transition in the system is checked against these tables; storage turns the allowed
 * "from" sets into compare-and-set conditions (`UPDATE … WHERE status IN (…)`).
 */

export const REQUEST_STATUSES = [
  'pending', // sent, nobody signed yet
  'partially_signed', // at least one signer signed, others still to sign
  'completed', // every signer signed
  'declined', // a signer declined (rejected)
  'expired', // the deadline passed before completion
  'cancelled', // taken back by the sender
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const SIGNER_STATUSES = [
  'waiting', // not their turn yet (a lower order must sign first)
  'notified', // asked to sign (their turn)
  'viewed', // opened their link
  'in_session', // pressed "Proceed to Sign"; the session has an expiry of its own
  'signed',
  'declined',
] as const;
export type SignerStatus = (typeof SIGNER_STATUSES)[number];

/** Allowed request transitions: from -> the statuses it may move to. */
export const REQUEST_TRANSITIONS: Readonly<Record<RequestStatus, readonly RequestStatus[]>> = {
  pending: ['partially_signed', 'completed', 'declined', 'expired', 'cancelled'],
  partially_signed: ['partially_signed', 'completed', 'declined', 'expired', 'cancelled'],
  // An expired request can still be cancelled (Singpass: "any active or expired sign request").
  expired: ['cancelled'],
  completed: [],
  declined: [],
  cancelled: [],
};

/** Allowed signer transitions. `in_session -> in_session` restarts an expired session. */
export const SIGNER_TRANSITIONS: Readonly<Record<SignerStatus, readonly SignerStatus[]>> = {
  waiting: ['notified'],
  notified: ['viewed', 'in_session', 'declined'],
  viewed: ['viewed', 'in_session', 'declined'],
  in_session: ['in_session', 'signed', 'declined'],
  signed: [],
  declined: [],
};

export function statusesThatCanMoveTo(target: RequestStatus): RequestStatus[] {
  return REQUEST_STATUSES.filter((from) => REQUEST_TRANSITIONS[from].includes(target));
}

export function canTransition(from: RequestStatus, to: RequestStatus): boolean {
  return REQUEST_TRANSITIONS[from].includes(to);
}

export function canSignerTransition(from: SignerStatus, to: SignerStatus): boolean {
  return SIGNER_TRANSITIONS[from].includes(to);
}

/** Statuses from which nothing ever moves again. */
export const TERMINAL: readonly RequestStatus[] = REQUEST_STATUSES.filter(
  (status) => REQUEST_TRANSITIONS[status].length === 0,
);
/** Statuses a cancel may start from. */
export const CANCELLABLE: readonly RequestStatus[] = statusesThatCanMoveTo('cancelled');
/** Statuses in which signers may still view, start a session, sign or decline. */
export const SIGNABLE: readonly RequestStatus[] = ['pending', 'partially_signed'];
/** Signer statuses that still owe a signature. */
export const SIGNER_OUTSTANDING: readonly SignerStatus[] = ['waiting', 'notified', 'viewed', 'in_session'];

export function isTerminal(status: RequestStatus): boolean {
  return TERMINAL.includes(status);
}
export function isCancellable(status: RequestStatus): boolean {
  return CANCELLABLE.includes(status);
}
export function isSignable(status: RequestStatus): boolean {
  return SIGNABLE.includes(status);
}
