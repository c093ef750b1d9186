/**
 * Core statuses -> Lumin statuses, in one place (docs/compat/lumin.md explains each choice).
 *
 * | core request      | Lumin              | why                                                         |
 * |-------------------|--------------------|-------------------------------------------------------------|
 * | pending           | WAITING_FOR_OTHERS | the API caller is the sender, who never signs through the   |
 * | partially_signed  | WAITING_FOR_OTHERS | API: it is always waiting for others (NEED_TO_SIGN is "you")|
 * | completed         | APPROVED           |                                                             |
 * | declined          | REJECTED           | `reason` carries the signer's decline reason                |
 * | cancelled         | CANCELLED          |                                                             |
 * | expired           | FAILED             | Lumin has no EXPIRED; FAILED is terminal for PATCH like     |
 * |                   |                    | expired is here, and `reason` says it expired               |
 *
 * WAITING_FOR_PROCESSING is only ever the status of the 201 of send (the spec allows nothing else
 * there; creation here is synchronous, so GET already shows WAITING_FOR_OTHERS).
 */
import type { SignatureRequest, Signer } from '../../core/model.js';
import type { RequestStatus } from '../../core/state-machine.js';

export const LUMIN_REQUEST_STATUSES = [
  'NEED_TO_SIGN',
  'WAITING_FOR_OTHERS',
  'APPROVED',
  'REJECTED',
  'WAITING_FOR_PROCESSING',
  'FAILED',
  'CANCELLED',
] as const;
export type LuminRequestStatus = (typeof LUMIN_REQUEST_STATUSES)[number];

export const LUMIN_SIGNER_STATUSES = ['NEED_TO_SIGN', 'APPROVED', 'REJECTED', 'WAITING_FOR_OTHERS'] as const;
export type LuminSignerStatus = (typeof LUMIN_SIGNER_STATUSES)[number];

export function luminStatusOf(status: RequestStatus): LuminRequestStatus {
  switch (status) {
    case 'pending':
    case 'partially_signed':
      return 'WAITING_FOR_OTHERS';
    case 'completed':
      return 'APPROVED';
    case 'declined':
      return 'REJECTED';
    case 'cancelled':
      return 'CANCELLED';
    case 'expired':
      return 'FAILED';
  }
}

/**
 * A signer's Lumin status. A signer who signed while others still have to is WAITING_FOR_OTHERS
 * and APPROVED once everybody signed (the spec's remind example shows exactly this); a signer
 * whose turn has not come yet is WAITING_FOR_OTHERS too.
 */
export function luminSignerStatusOf(signer: Signer, requestStatus: RequestStatus): LuminSignerStatus {
  switch (signer.status) {
    case 'waiting':
      return 'WAITING_FOR_OTHERS';
    case 'notified':
    case 'viewed':
    case 'in_session':
      return 'NEED_TO_SIGN';
    case 'signed':
      return requestStatus === 'completed' ? 'APPROVED' : 'WAITING_FOR_OTHERS';
    case 'declined':
      return 'REJECTED';
  }
}

/** `reason` is documented for FAILED and REJECTED only. */
export function luminReasonOf(request: SignatureRequest): string | undefined {
  if (request.status === 'declined') {
    const decliner = request.signers.find((signer) => signer.status === 'declined');
    return decliner?.declineReason ?? 'A signer declined the signature request.';
  }
  if (request.status === 'expired')
    return `The signature request expired on ${new Date(request.expiresAt).toISOString()}.`;
  return undefined;
}

/** Lumin's signing_type, read back from the signers' orders (the core keeps no separate flag). */
export function signingTypeOf(request: SignatureRequest): 'SAME_TIME' | 'ORDER' {
  return new Set(request.signers.map((signer) => signer.order)).size > 1 ? 'ORDER' : 'SAME_TIME';
}
