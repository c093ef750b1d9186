/**
 * A sequence created together with its requests (Taktikal's sequential signing), inside the
 * caller's transaction: the sequence, every request with its events and outbox rows, and whatever
 * rows the caller keeps beside them commit together or not at all, so a failure on the third
 * request leaves no half sequence. The requests are prepared first (prepareSignatureRequest),
 * outside any transaction.
 */
import { CoreError } from '../errors.js';
import type { SignatureRequest } from '../model.js';
import type { CoreDeps, SequenceRecord, Tx } from '../ports.js';
import { createSignatureRequestInTransaction, type PreparedSignatureRequest } from './create-signature-request.js';

export interface NewSequenceOfRequests {
  readonly tenantId: string;
  readonly title: string | null;
  /** The id a surface shows for the sequence (Taktikal's SequenceKey). */
  readonly alias: string | null;
  /** In order: the sequence lists its requests in creation order. */
  readonly requests: readonly PreparedSignatureRequest[];
}

export async function createSequenceOfRequestsInTransaction(
  tx: Tx,
  deps: Pick<CoreDeps, 'ids' | 'clock'>,
  input: NewSequenceOfRequests,
): Promise<{ sequence: SequenceRecord; requests: SignatureRequest[] }> {
  if (input.requests.length === 0) throw new CoreError('validation_failed', 'A sequence needs at least one request.');
  if (input.requests.some((request) => request.input.tenantId !== input.tenantId))
    throw new Error("a sequence's requests must be its tenant's");
  const sequence: SequenceRecord = {
    id: deps.ids.next('seq'),
    title: input.title,
    createdAt: deps.clock.now(),
    alias: input.alias,
  };
  await tx.sequences.insert({ ...sequence, tenantId: input.tenantId });
  const requests: SignatureRequest[] = [];
  for (const prepared of input.requests)
    requests.push(await createSignatureRequestInTransaction(tx, deps, prepared, { sequenceId: sequence.id }));
  return { sequence, requests };
}
