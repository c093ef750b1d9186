/** The document's retention job a cancel queues: a VOID copy, a purge (after the owner's copy when someone signed), or a purge later. */
import { ownerCopyNeeded } from '../cancellation-rules.js';
import type { OutboxBody } from '../events/outbox-topics.js';
import type { Cancellation, Retention, SignatureRequest } from '../model.js';

export function retentionMessage(
  request: SignatureRequest,
  retention: Retention,
  cancellation: Cancellation,
  now: number,
): OutboxBody & { availableAt: number } {
  const base = { request_id: request.id, document_id: request.document.id };
  switch (retention.mode) {
    case 'retain':
      return { topic: 'document.void_copy', payload: { ...base, reason: cancellation.reason }, availableAt: now };
    case 'purge':
      return ownerCopyNeeded(request.signers) && request.ownerEmail
        ? {
            topic: 'document.owner_copy_then_purge',
            payload: { ...base, owner_email: request.ownerEmail },
            availableAt: now,
          }
        : { topic: 'document.purge', payload: base, availableAt: now };
    case 'purge_after':
      return { topic: 'document.purge', payload: base, availableAt: now + retention.days * 86_400_000 };
  }
}
