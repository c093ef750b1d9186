/**
 * What may be shown of a credential: never its secret, its hash or its sealed material. The end
 * of its lookup (the non-secret part the client presents) lets a person recognise which one it is.
 */
import type { AuditEventData } from './events/audit-events.js';
import type { CredentialRecord, CredentialStatus } from './ports.js';

export interface CredentialSummary {
  readonly id: string;
  readonly kind: string;
  readonly label: string | null;
  readonly scopes: readonly string[];
  readonly status: CredentialStatus;
  /** The last 4 characters of the lookup part. */
  readonly lookupSuffix: string;
  readonly createdAt: number;
  readonly expiresAt: number | null;
  readonly revokedAt: number | null;
}

export function credentialStatusOf(
  record: Pick<CredentialRecord, 'expiresAt' | 'revokedAt'>,
  now: number,
): CredentialStatus {
  if (record.revokedAt !== null) return 'revoked';
  return record.expiresAt !== null && record.expiresAt <= now ? 'expired' : 'active';
}

export function summarizeCredential(record: CredentialRecord, now: number): CredentialSummary {
  return {
    id: record.id,
    kind: record.kind,
    label: record.label,
    scopes: record.scopes,
    status: credentialStatusOf(record, now),
    lookupSuffix: record.lookup.slice(-4),
    createdAt: record.createdAt,
    expiresAt: record.expiresAt,
    revokedAt: record.revokedAt,
  };
}

/** The audit event's data for an issue or a revocation: what identifies the credential, nothing secret. */
export function credentialAuditData(record: CredentialRecord): AuditEventData<'credential.issued'> {
  return {
    credential_id: record.id,
    kind: record.kind,
    label: record.label,
    scopes: [...record.scopes],
    lookup_suffix: record.lookup.slice(-4),
    expires_at: record.expiresAt === null ? null : new Date(record.expiresAt).toISOString(),
  };
}
