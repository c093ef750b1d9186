import type { CoreDeps, SequenceRecord } from '../ports.js';
import { notFound } from '../errors.js';

/** A sequence groups requests that are cancelled as a whole (Taktikal sequential signing). */
export async function createSequence(
  deps: CoreDeps,
  tenantId: string,
  title: string | null,
  alias: string | null = null,
): Promise<{ id: string; title: string | null; createdAt: number; alias: string | null }> {
  const sequence = { id: deps.ids.next('seq'), tenantId, title, createdAt: deps.clock.now(), alias };
  await deps.store.transaction((tx) => tx.sequences.insert(sequence));
  return { id: sequence.id, title, createdAt: sequence.createdAt, alias };
}

/** By own id or alias. */
export async function getSequence(
  deps: CoreDeps,
  tenantId: string,
  anyId: string,
): Promise<SequenceRecord & { requestIds: string[] }> {
  // A read (a snapshot, no write lock): the Taktikal surface reads sequences on every process it shows.
  return deps.store.read(async (tx) => {
    const sequence = await tx.sequences.get(tenantId, anyId);
    if (!sequence) throw notFound('Sequence');
    return { ...sequence, requestIds: await tx.requests.idsInSequence(tenantId, sequence.id) };
  });
}
