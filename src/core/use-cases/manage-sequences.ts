import type { CoreDeps } from '../ports.js';
import { notFound } from '../errors.js';

/** A sequence groups requests that are cancelled as a whole (Taktikal sequential signing). */
export async function createSequence(deps: CoreDeps, tenantId: string, title: string | null): Promise<{ id: string; title: string | null; createdAt: number }> {
  const sequence = { id: deps.ids.next('seq'), tenantId, title, createdAt: deps.clock.now() };
  await deps.store.transaction((tx) => tx.sequences.insert(sequence));
  return { id: sequence.id, title, createdAt: sequence.createdAt };
}

export async function getSequence(deps: CoreDeps, tenantId: string, id: string): Promise<{ id: string; title: string | null; createdAt: number; requestIds: string[] }> {
  return deps.store.transaction(async (tx) => {
    const sequence = await tx.sequences.get(tenantId, id);
    if (!sequence) throw notFound('Sequence');
    return { ...sequence, requestIds: await tx.requests.idsInSequence(tenantId, id) };
  });
}
