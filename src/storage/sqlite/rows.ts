/** Row <-> record mapping for the SQLite repositories. */
import type { Actor, AuditEvent, NotifyPolicy, SignatureRequest, Signer } from '../../core/model.js';
import type { RequestStatus, SignerStatus } from '../../core/state-machine.js';
import { toPendingCancellation } from './pending-cancellation-repository.js';

export interface RequestRow {
  id: string;
  tenant_id: string;
  title: string;
  status: string;
  owner_email: string | null;
  message: string | null;
  sequence_id: string | null;
  document_id: string;
  origin: string;
  created_at: number;
  updated_at: number;
  expires_at: number;
  completed_at: number | null;
  version: number;
  cancelled_at: number | null;
  cancel_actor: string | null;
  cancel_reason: string | null;
  cancel_message: string | null;
  cancel_reason_code: string | null;
  cancel_notify: string | null;
  filename: string;
  size: number;
  sha256: string;
  page_count: number;
  purged_at: number | null;
  /** JSON of the pending cancellation affecting the request (PENDING_CANCELLATION_JSON), or null. */
  pending_cancellation: string | null;
}

export interface SignerRow {
  id: string;
  request_id: string;
  name: string;
  email: string;
  sign_order: number;
  status: string;
  viewed_at: number | null;
  signed_at: number | null;
  declined_at: number | null;
  decline_reason: string | null;
}

export interface AuditRow {
  seq: number;
  id: string;
  tenant_id: string;
  request_id: string | null;
  type: string;
  actor: string;
  surface: string;
  ip: string | null;
  user_agent: string | null;
  reason: string | null;
  data: string;
  created_at: number;
  prev_hash: string;
  hash: string;
}

export function toSigner(row: SignerRow): Signer {
  return {
    id: row.id,
    requestId: row.request_id,
    name: row.name,
    email: row.email,
    order: row.sign_order,
    status: row.status as SignerStatus,
    signedAt: row.signed_at,
    declinedAt: row.declined_at,
    declineReason: row.decline_reason,
    viewedAt: row.viewed_at,
  };
}

export function toRequest(
  row: RequestRow,
  signers: SignerRow[],
  aliases: { kind: string; value: string }[],
): SignatureRequest {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    title: row.title,
    status: row.status as RequestStatus,
    ownerEmail: row.owner_email,
    message: row.message,
    sequenceId: row.sequence_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at,
    completedAt: row.completed_at,
    version: row.version,
    origin: row.origin,
    document: {
      id: row.document_id,
      filename: row.filename,
      size: row.size,
      sha256: row.sha256,
      pageCount: row.page_count,
      purgedAt: row.purged_at,
    },
    signers: signers.map(toSigner),
    cancellation:
      row.cancelled_at === null
        ? null
        : {
            cancelledAt: row.cancelled_at,
            actor: JSON.parse(row.cancel_actor ?? '{}') as Actor,
            reason: row.cancel_reason,
            message: row.cancel_message,
            reasonCode: row.cancel_reason_code,
            notify: (row.cancel_notify ?? 'none') as NotifyPolicy,
          },
    aliases: Object.fromEntries(aliases.map((alias) => [alias.kind, alias.value])),
    pendingCancellation: toPendingCancellation(row.pending_cancellation),
  };
}

export function toAuditEvent(row: AuditRow): AuditEvent {
  return {
    seq: row.seq,
    id: row.id,
    tenantId: row.tenant_id,
    requestId: row.request_id,
    type: row.type,
    actor: JSON.parse(row.actor) as Actor,
    surface: row.surface,
    ip: row.ip,
    userAgent: row.user_agent,
    reason: row.reason,
    data: JSON.parse(row.data) as Record<string, unknown>,
    createdAt: row.created_at,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
