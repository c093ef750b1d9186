/** Core records -> native wire representations. */
import type { z } from 'zod';
import type { AuditEvent, CallSurface, PendingCancellation, SignatureRequest } from '../../core/model.js';
import { signingUrl as signingUrlOf } from '../../core/signing-links.js';
import type { pendingCancellationView, requestView } from './schemas.js';

const iso = (ms: number): string => new Date(ms).toISOString();
const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

export function presentPendingCancellation(pending: PendingCancellation): z.infer<typeof pendingCancellationView> {
  return {
    id: pending.id,
    request_id: pending.requestId,
    requested_at: iso(pending.requestedAt),
    actor: pending.context.actor,
    reason: pending.reason,
    message: pending.message,
    reason_code: pending.reasonCode,
    notify: pending.notify,
    retention: pending.retention,
  };
}

export interface Presenter {
  request(request: SignatureRequest): z.infer<typeof requestView>;
  signingUrl(signerId: string): string;
  event(event: AuditEvent): Record<string, unknown>;
}

export function createPresenter(publicUrl: string, linkKey: Uint8Array): Presenter {
  const signingUrl = (signerId: string) => signingUrlOf(publicUrl, linkKey, signerId);
  return {
    signingUrl,
    request: (request) => ({
      id: request.id,
      object: 'signature_request',
      title: request.title,
      status: request.status,
      message: request.message,
      owner_email: request.ownerEmail,
      sequence_id: request.sequenceId,
      // Written only from CallContext.surface or a surface's own name (CallSurface); stored as text.
      origin: request.origin as CallSurface,
      created_at: iso(request.createdAt),
      updated_at: iso(request.updatedAt),
      expires_at: iso(request.expiresAt),
      completed_at: isoOrNull(request.completedAt),
      version: request.version,
      document: {
        id: request.document.id,
        filename: request.document.filename,
        size: request.document.size,
        sha256: request.document.sha256,
        page_count: request.document.pageCount,
        purged_at: isoOrNull(request.document.purgedAt),
      },
      signers: request.signers.map((signer) => ({
        id: signer.id,
        name: signer.name,
        email: signer.email,
        order: signer.order,
        status: signer.status,
        viewed_at: isoOrNull(signer.viewedAt),
        signed_at: isoOrNull(signer.signedAt),
        declined_at: isoOrNull(signer.declinedAt),
        decline_reason: signer.declineReason,
        signing_url: signingUrl(signer.id),
      })),
      cancellation: request.cancellation && {
        cancelled_at: iso(request.cancellation.cancelledAt),
        actor: request.cancellation.actor,
        reason: request.cancellation.reason,
        message: request.cancellation.message,
        reason_code: request.cancellation.reasonCode,
        notify: request.cancellation.notify,
      },
      // Absent from outcomes stored (idempotency) before deferred cancels existed.
      pending_cancellation: request.pendingCancellation
        ? presentPendingCancellation(request.pendingCancellation)
        : null,
      aliases: { ...request.aliases },
    }),
    event: (event) => ({
      id: event.id,
      seq: event.seq,
      type: event.type,
      request_id: event.requestId,
      actor: event.actor,
      surface: event.surface,
      ip: event.ip,
      user_agent: event.userAgent,
      reason: event.reason,
      data: event.data,
      created_at: iso(event.createdAt),
      prev_hash: event.prevHash,
      hash: event.hash,
    }),
  };
}
