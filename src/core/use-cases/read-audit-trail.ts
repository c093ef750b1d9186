import { verifyAuditChain, type ChainVerification } from '../audit.js';
import type { AuditEvent } from '../model.js';
import type { CoreDeps } from '../ports.js';
import { findRequest } from './find-request.js';

/** The audit trail of one request, oldest first. */
export async function listRequestEvents(deps: CoreDeps, tenantId: string, anyId: string): Promise<AuditEvent[]> {
  return deps.store.read(async (tx) => {
    const request = await findRequest(tx, tenantId, anyId);
    return tx.audit.listForRequest(tenantId, request.id);
  });
}

export async function verifyTenantAuditChain(deps: CoreDeps, tenantId: string): Promise<ChainVerification> {
  return deps.store.read((tx) => verifyAuditChain(tx, tenantId));
}

/** A page of the tenant's whole chain (request events and those of no request, such as credential.revoked), in chain order. */
export async function listTenantEvents(
  deps: CoreDeps,
  tenantId: string,
  afterSeq: number,
  limit: number,
): Promise<AuditEvent[]> {
  return deps.store.read((tx) => tx.audit.page(tenantId, afterSeq, limit));
}
