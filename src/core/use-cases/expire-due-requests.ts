import { AuditWriter } from '../audit.js';
import type { CoreDeps } from '../ports.js';
import { expireRequest } from './signer-context.js';

/** Moves every request whose deadline has passed to expired; run periodically by the worker. */
export async function expireDueRequests(deps: CoreDeps, limit = 500): Promise<number> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const due = await tx.requests.dueForExpiry(now, limit);
    const audit = new AuditWriter(tx, deps.ids, { actor: { type: 'system', id: 'expiry' }, surface: 'worker' }, now);
    let expired = 0;
    for (const { tenantId, id } of due) {
      const request = await tx.requests.get(tenantId, id);
      if (request && (await expireRequest(tx, deps, audit, request, now))) expired += 1;
    }
    return expired;
  });
}
