/**
 * Issues one more credential to a tenant (rotation is issuing a new one, then revoking the old:
 * both work in between). The surface minted it in its own format; the core checks the lifetime
 * and what the issuer may grant, stores it and audits it in one transaction.
 */
import { AuditWriter } from '../audit.js';
import { credentialAuditData, summarizeCredential, type CredentialSummary } from '../credential-summary.js';
import { CoreError } from '../errors.js';
import type { CallContext, Scope } from '../model.js';
import type { CoreDeps, CredentialRecord } from '../ports.js';
import { SCOPES, scopesGrant } from '../scopes.js';
import { NATIVE_KEY_KIND, type NewCredential } from './manage-tenants.js';

/** The credential an API call came through; the operator's CLI has none and may issue anything. */
export interface CredentialIssuer {
  readonly scopes: readonly string[];
  readonly expiresAt: number | null;
}

export interface IssueCredentialInput {
  readonly tenantId: string;
  readonly credential: NewCredential;
  readonly issuer?: CredentialIssuer;
  readonly context: CallContext;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** A key cannot hand out more than it holds: no scope it lacks, no life beyond its own. */
function checkIssuer(credential: NewCredential, issuer: CredentialIssuer): void {
  if (credential.kind === NATIVE_KEY_KIND) {
    const beyond = credential.scopes.filter(
      (scope) => !SCOPES.includes(scope as Scope) || !scopesGrant(issuer.scopes, scope as Scope),
    );
    if (beyond.length > 0)
      throw new CoreError(
        'forbidden',
        `This key cannot grant the scope${beyond.length > 1 ? 's' : ''} ${beyond.join(', ')}: it does not hold ${beyond.length > 1 ? 'them' : 'it'}.`,
      );
  }
  if (issuer.expiresAt !== null && (credential.expiresAt === null || credential.expiresAt > issuer.expiresAt)) {
    throw new CoreError(
      'forbidden',
      `This key expires at ${iso(issuer.expiresAt)}: a credential it issues must expire no later (set expires_at).`,
    );
  }
}

export async function issueCredential(deps: CoreDeps, input: IssueCredentialInput): Promise<CredentialSummary> {
  const now = deps.clock.now();
  const { tenantId, credential, issuer, context } = input;
  if (credential.expiresAt !== null && credential.expiresAt <= now) {
    throw new CoreError('validation_failed', 'expires_at must be in the future.', {
      issues: [{ path: 'body.expires_at', message: 'must be in the future' }],
    });
  }
  if (issuer) checkIssuer(credential, issuer);
  return deps.store.transaction(async (tx) => {
    if (!(await tx.tenants.get(tenantId))) throw new CoreError('not_found', `No tenant ${tenantId}.`);
    const record: CredentialRecord = { ...credential, tenantId, createdAt: now, revokedAt: null };
    await tx.credentials.insert(record);
    await new AuditWriter(tx, deps.ids, context, now).append({
      tenantId,
      requestId: null,
      type: 'credential.issued',
      data: credentialAuditData(record),
    });
    return summarizeCredential(record, now);
  });
}
