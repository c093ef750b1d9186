/**
 * Revokes one of a tenant's credentials (a leaked key, a retired app, the old half of a rotation).
 * It stops working at once: every authentication reads the credential from the store. The
 * revocation and its audit event (`credential.revoked`, no request) commit together.
 */
import { AuditWriter } from '../audit.js';
import { credentialAuditData, summarizeCredential, type CredentialSummary } from '../credential-summary.js';
import { CoreError } from '../errors.js';
import type { CallContext } from '../model.js';
import type { CoreDeps } from '../ports.js';

export interface RevokeCredentialInput {
  readonly tenantId: string;
  readonly credentialId: string;
  /** Only credentials of these kinds are eligible, so each route revokes its own family and nothing else. */
  readonly kinds: readonly string[];
  readonly context: CallContext;
}

export interface RevokedCredential {
  readonly credential: CredentialSummary;
  /** It had been revoked before: nothing changed and nothing was audited this time. */
  readonly alreadyRevoked: boolean;
}

/** Undefined when the tenant has no such credential of those kinds: another tenant's id looks exactly like an unknown one. */
export async function revokeCredential(
  deps: CoreDeps,
  input: RevokeCredentialInput,
): Promise<RevokedCredential | undefined> {
  const now = deps.clock.now();
  const { tenantId, context } = input;
  return deps.store.transaction(async (tx) => {
    const target = await tx.credentials.get(tenantId, input.credentialId);
    if (!target || !input.kinds.includes(target.kind)) return undefined;
    if (target.revokedAt !== null) return { credential: summarizeCredential(target, now), alreadyRevoked: true };
    // Inside the write transaction nobody else can have revoked it since the read.
    if (!(await tx.credentials.revoke(tenantId, target.id, now))) throw new CoreError('conflict');
    const revoked = { ...target, revokedAt: now };
    await new AuditWriter(tx, deps.ids, context, now).append({
      tenantId,
      requestId: null,
      type: 'credential.revoked',
      data: credentialAuditData(revoked),
    });
    return { credential: summarizeCredential(revoked, now), alreadyRevoked: false };
  });
}
