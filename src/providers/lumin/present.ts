/**
 * Core records -> Lumin wire shapes. Times are integer epoch milliseconds everywhere: the spec
 * types `created_at`/`updated_at`/`expires_at` as string, but every example, the webhook payloads
 * and the `expires_at` input are integers (docs/compat/lumin.md).
 */
import type { SignatureRequest } from '../../core/model.js';
import {
  luminReasonOf,
  luminSignerStatusOf,
  luminStatusOf,
  signingTypeOf,
  type LuminRequestStatus,
  type LuminSignerStatus,
} from './status.js';

export interface LuminSigner {
  readonly email_address?: string;
  readonly name: string;
  readonly group: number;
  readonly is_approved: boolean;
  readonly status: LuminSignerStatus;
}

export interface LuminSignatureRequest {
  readonly signature_request_id: string;
  readonly title: string;
  readonly created_at: number;
  readonly updated_at: number;
  readonly expires_at: number;
  readonly details_url: string;
  readonly status: LuminRequestStatus;
  readonly reason?: string;
  readonly signing_type: 'SAME_TIME' | 'ORDER';
  readonly signers: readonly LuminSigner[];
}

/** Where a person views the request; the native representation until a dashboard page exists. */
export function detailsUrlFor(publicUrl: string, request: SignatureRequest): string {
  return `${publicUrl}/v1/signature-requests/${encodeURIComponent(request.id)}`;
}

/** What the API form and the webhook form share. */
function requestFields(request: SignatureRequest) {
  const reason = luminReasonOf(request);
  return {
    signature_request_id: request.id,
    title: request.title,
    created_at: request.createdAt,
    updated_at: request.updatedAt,
    expires_at: request.expiresAt,
    status: luminStatusOf(request.status),
    ...(reason !== undefined ? { reason } : {}),
  };
}

export function presentSignatureRequest(request: SignatureRequest, publicUrl: string): LuminSignatureRequest {
  return {
    ...requestFields(request),
    details_url: detailsUrlFor(publicUrl, request),
    signing_type: signingTypeOf(request),
    // A signer without an email (made by another surface) has no email_address rather than a fake one.
    signers: request.signers.map((signer) => ({
      ...(signer.email !== null ? { email_address: signer.email } : {}),
      name: signer.name,
      group: signer.order,
      is_approved: signer.status === 'signed',
      status: luminSignerStatusOf(signer, request.status),
    })),
  };
}

/** The webhook form: as documented in webhook-overview.mdx, signers carry `email`, not `email_address`. */
export function presentWebhookSignatureRequest(request: SignatureRequest): Record<string, unknown> {
  return {
    ...requestFields(request),
    signers: request.signers.map((signer) => ({
      name: signer.name,
      ...(signer.email !== null ? { email: signer.email } : {}),
      status: luminSignerStatusOf(signer, request.status),
      is_approved: signer.status === 'signed',
    })),
  };
}
