import type { CoreDeps } from '../ports.js';

/**
 * Revokes one of a tenant's credentials (a leaked token, a retired app). Only credentials of the
 * given kinds are eligible, so a surface can revoke its own kinds and nothing else. False when the
 * tenant has no such live credential: another tenant's id looks exactly like an unknown one.
 */
export async function revokeCredential(deps: CoreDeps, tenantId: string, credentialId: string, kinds: readonly string[]): Promise<boolean> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const owned = await tx.credentials.listForTenant(tenantId);
    const target = owned.find((credential) => credential.id === credentialId && kinds.includes(credential.kind));
    if (!target || target.revokedAt !== null) return false;
    return tx.credentials.revoke(target.id, now);
  });
}
