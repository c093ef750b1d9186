/**
 * Core records -> Auco's document representation and status words. Auco has document statuses
 * CREATED, REJECTED, EXPIRED, FINISH and no word for a cancellation: a cancelled document is
 * REJECTED, as the cancellation webhook is ("REJECTED: the details of the process cancellation").
 */
import type { SignatureRequest, Signer } from '../../core/model.js';
import type { RequestStatus } from '../../core/state-machine.js';
import { AUCO_CODE_ALIAS } from './codes.js';

export type AucoDocumentStatus = 'CREATED' | 'REJECTED' | 'EXPIRED' | 'FINISH';
export type AucoParticipantStatus = 'NOTIFICATION' | 'REJECT' | 'FINISH' | 'BLOCK' | 'PENDING';

export function documentStatusOf(status: RequestStatus): AucoDocumentStatus {
  switch (status) {
    case 'pending':
    case 'partially_signed':
      return 'CREATED';
    case 'declined':
    case 'cancelled':
      return 'REJECTED';
    case 'expired':
      return 'EXPIRED';
    case 'completed':
      return 'FINISH';
  }
}

/** BLOCK (identity validation failed three times) never happens here: there is no identity validation. */
export function participantStatusOf(signer: Signer): AucoParticipantStatus {
  switch (signer.status) {
    case 'waiting':
      return 'PENDING';
    case 'notified':
    case 'viewed':
    case 'in_session':
      return 'NOTIFICATION';
    case 'signed':
      return 'FINISH';
    case 'declined':
      return 'REJECT';
  }
}

export function codeOf(request: SignatureRequest): string {
  return request.aliases[AUCO_CODE_ALIAS] ?? request.id;
}

/** Where the PDF is: the native download endpoint (native API key). Auco gives a signed storage URL instead. */
export function documentUrlOf(publicUrl: string, request: SignatureRequest): string {
  return `${publicUrl}/v1/signature-requests/${encodeURIComponent(request.id)}/document`;
}

export function documentView(publicUrl: string, request: SignatureRequest) {
  const code = codeOf(request);
  const signProfile = request.signers.map((signer) => ({
    name: signer.name,
    email: signer.email,
    id: signer.id,
    status: participantStatusOf(signer),
  }));
  const { cancellation } = request;
  return {
    url: documentUrlOf(publicUrl, request),
    name: request.title,
    code,
    status: documentStatusOf(request.status),
    data: {
      code,
      name: request.title,
      camera: false,
      otpCode: false,
      signFinish: request.status === 'completed',
      signProfile,
      createdAt: new Date(request.createdAt).toISOString(),
      updatedAt: new Date(request.updatedAt).toISOString(),
    },
    signProfile,
    // Extension: tells a cancellation apart from a signer's rejection, which share REJECTED.
    ...(cancellation
      ? {
          cancellation: {
            message: cancellation.message,
            email: cancellation.actor.display ?? null,
            date: new Date(cancellation.cancelledAt).toISOString(),
          },
        }
      : {}),
  };
}
