import type { AuditEvent, SignatureRequest } from '../model.js';
import type { CoreDeps } from '../ports.js';

export interface TenantActivityPage {
  /** Oldest first. */
  readonly events: readonly AuditEvent[];
  /** The requests those events are about, read in the same transaction. */
  readonly requests: ReadonlyMap<string, SignatureRequest>;
}

/** A tenant's audit events created in [from, to), for activity logs (Taktikal's company-wide log). */
export async function listTenantActivity(
  deps: CoreDeps,
  tenantId: string,
  range: { from: number; to: number; skip: number; take: number },
): Promise<TenantActivityPage> {
  return deps.store.transaction(async (tx) => {
    const events = await tx.audit.listForTenant(tenantId, range);
    const requests = new Map<string, SignatureRequest>();
    for (const requestId of new Set(events.flatMap((event) => (event.requestId ? [event.requestId] : [])))) {
      const request = await tx.requests.get(tenantId, requestId);
      if (request) requests.set(requestId, request);
    }
    return { events, requests };
  });
}
