/**
 * The purge itself, shared by `document.purge` and `document.owner_copy_then_purge`: copies first,
 * then the original's bytes with their audit event (one core transaction), then a checkpoint so
 * the bytes leave the write-ahead log too. Each step is idempotent, so a crash between steps is
 * repaired by the row's next attempt.
 */
import { purgeDocument } from '../../core/use-cases/purge-document.js';
import type { DeliveryHandlerContext } from './handler-context.js';

export async function purgeDocumentBytes(
  context: DeliveryHandlerContext,
  tenantId: string,
  requestId: string,
  documentId: string,
): Promise<void> {
  await context.copies.deleteAll(documentId);
  await purgeDocument(context.deps, tenantId, requestId);
  await context.checkpointer.checkpoint(); // a failure is logged by the checkpointer, retried from the worker loop
}
