/**
 * Bulk seeding for tests and benchmarks: N pending requests inserted through the real repository
 * in one transaction (creating 10,000 through the HTTP API one by one would dominate the run).
 * Each gets one signer, a real (tiny) PDF and its request.created audit event.
 */
import { createHash } from 'node:crypto';
import { AuditWriter } from '../../src/core/audit.js';
import type { CoreDeps } from '../../src/core/ports.js';
import { makePdf } from './harness.js';

export async function seedRequests(
  deps: CoreDeps,
  tenantId: string,
  count: number,
  options: { signers?: number } = {},
): Promise<string[]> {
  const pdf = await makePdf();
  const sha256 = createHash('sha256').update(pdf).digest('hex');
  const now = deps.clock.now();
  const ids: string[] = [];
  await deps.store.transaction(async (tx) => {
    const audit = new AuditWriter(tx, deps.ids, { actor: { type: 'system', id: 'seed' }, surface: 'cli' }, now);
    for (let index = 0; index < count; index += 1) {
      const id = deps.ids.next('sr');
      ids.push(id);
      const title = `Seeded ${index}`;
      const expiresAt = now + 30 * 86_400_000;
      const signers = Array.from({ length: options.signers ?? 1 }, (_, signer) => ({
        id: deps.ids.next('sgr'),
        name: `Signer ${signer}`,
        email: `signer${signer}.${index}@example.com`,
        order: 1,
        status: 'notified' as const,
      }));
      await tx.requests.insert({
        id,
        tenantId,
        title,
        message: null,
        ownerEmail: 'owner@example.com',
        sequenceId: null,
        createdAt: now,
        expiresAt,
        origin: 'v1',
        document: { id: deps.ids.next('doc'), filename: 'seed.pdf', size: pdf.length, sha256, pageCount: 1 },
        documentBytes: pdf,
        signers,
        aliases: {},
      });
      await audit.append({
        tenantId,
        requestId: id,
        type: 'request.created',
        data: { title, signers: signers.length, document_sha256: sha256, expires_at: expiresAt },
      });
    }
  });
  return ids;
}
