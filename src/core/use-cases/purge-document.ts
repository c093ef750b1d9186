/**
 * Deletes a cancelled request's document bytes, as its retention asked (run by the outbox worker).
 * The metadata (name, size, sha256) and the audit trail stay; the `document.purged` event is written
 * in the transaction that deletes the bytes. Idempotent: a repeat finds the document purged and
 * writes nothing, so a worker that crashed after the purge can safely run it again.
 */
import { AuditWriter } from '../audit.js';
import { notFound } from '../errors.js';
import type { CoreDeps } from '../ports.js';

export const RETENTION_ACTOR = { type: 'system', id: 'retention' } as const;

export async function purgeDocument(
  deps: CoreDeps,
  tenantId: string,
  requestId: string,
): Promise<{ readonly purged: boolean }> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const request = await tx.requests.get(tenantId, requestId);
    if (!request) throw notFound();
    if (request.document.purgedAt !== null) return { purged: false };
    const hadBytes = await tx.documents.purge(request.document.id, now);
    const audit = new AuditWriter(tx, deps.ids, { actor: RETENTION_ACTOR, surface: 'worker' }, now);
    await audit.append({
      tenantId,
      requestId,
      type: 'document.purged',
      data: {
        document_id: request.document.id,
        sha256: request.document.sha256,
        size: request.document.size,
        had_bytes: hadBytes,
      },
    });
    return { purged: true };
  });
}
