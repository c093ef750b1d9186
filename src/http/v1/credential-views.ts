/** The wire shapes of credentials (native API keys and provider credentials) and their list query. */
import { z } from 'zod';
import type { CredentialSummary } from '../../core/credential-summary.js';
import { CREDENTIAL_STATUSES } from '../../core/use-cases/list-credentials.js';
import { problemView, timestamp } from './schemas.js';

export const credentialView = z.object({
  id: z.string().describe('Credential id, for revocation'),
  kind: z.string(),
  label: z.string().nullable(),
  scopes: z.array(z.string()),
  status: z.enum(CREDENTIAL_STATUSES).describe('active, expired or revoked, judged now'),
  lookup_suffix: z.string().describe('The last 4 characters of the non-secret part of the credential, to recognise it'),
  created_at: z.string(),
  expires_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
});

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function presentCredential(summary: CredentialSummary): z.infer<typeof credentialView> {
  return {
    id: summary.id,
    kind: summary.kind,
    label: summary.label,
    scopes: [...summary.scopes],
    status: summary.status,
    lookup_suffix: summary.lookupSuffix,
    created_at: iso(summary.createdAt)!,
    expires_at: iso(summary.expiresAt),
    revoked_at: iso(summary.revokedAt),
  };
}

export const credentialListQuery = {
  status: z.enum(CREDENTIAL_STATUSES).optional().describe('Only credentials in this state'),
  cursor: z.string().max(100).optional().describe('next_cursor of the previous page'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
};

export const idParams = z.strictObject({ id: z.string().min(1).max(100) });

export const expiresAtInput = timestamp
  .optional()
  .describe('When it stops working (in the future); without it, it never expires');

/** Every refusal an admin credential route gives, with the ones it adds. */
export const adminErrors = {
  401: { description: 'Missing, malformed, expired, revoked or unknown key', schema: problemView },
  403: { description: 'The key lacks the admin scope (or may not grant what was asked)', schema: problemView },
};
export const notFoundError = {
  404: { description: "No such credential in this tenant (another tenant's id answers the same)", schema: problemView },
};
export const invalidInput = { 400: { description: 'Invalid input', schema: problemView } };

/** expires_at from the wire (already validated as RFC 3339) to epoch ms. */
export function expiresAtOf(value: string | undefined): number | null {
  return value === undefined ? null : Date.parse(value);
}
