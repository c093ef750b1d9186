/**
 * Topic `document.void_copy`: when a cancelled request's document is retained, a copy stamped
 * VOID ("Cancelled <date> by <person or tenant>") is stored beside the original, for the owner
 * (GET /v1/signature-requests/{id}/document?variant=void). The original is left untouched.
 */
import { isCoreError } from '../../core/errors.js';
import { personNamed } from '../../core/person-named.js';
import { getSignatureRequest } from '../../core/use-cases/read-signature-requests.js';
import { InvalidDocumentError, stampVoid } from '../../documents/pdf.js';
import type { OutboxHandler } from '../outbox-handler.js';
import type { DeliveryHandlerContext } from './handler-context.js';
import { readPayload } from './read-payload.js';

export function createVoidCopyHandler(context: DeliveryHandlerContext): OutboxHandler {
  return {
    topic: 'document.void_copy',
    async handle(row) {
      const payload = readPayload('document.void_copy', row.payload);
      if ('dead' in payload) return payload.dead;
      const { request_id: requestId, document_id: documentId } = payload.value;
      const request = await getSignatureRequest(context.deps, row.tenantId, requestId).catch((error: unknown) => {
        if (isCoreError(error) && error.code === 'not_found') return undefined;
        throw error;
      });
      if (!request) return { kind: 'dead', error: `Request ${requestId} not found.` };
      if (request.document.purgedAt !== null || (await context.copies.has(documentId, 'void'))) return { kind: 'done' };
      const original = await context.deps.store.read((tx) => tx.documents.getBytes(documentId));
      if (!original) return { kind: 'done' };
      const cancelledAt = request.cancellation?.cancelledAt ?? row.createdAt;
      // The person named by the caller, else the tenant: never a key's label (core/person-named.ts).
      const actor =
        personNamed(request.cancellation?.actor) ??
        (await context.deps.store.read((tx) => tx.tenants.get(row.tenantId)))?.name ??
        'the sender';
      let stamped: Uint8Array;
      try {
        stamped = await stampVoid(original, {
          label: 'VOID',
          note: `Cancelled ${new Date(cancelledAt).toISOString().slice(0, 10)} by ${actor}`,
        });
      } catch (error) {
        if (error instanceof InvalidDocumentError)
          return { kind: 'dead', error: `The document cannot be stamped: ${error.message}` };
        throw error;
      }
      await context.copies.put(documentId, 'void', stamped, context.deps.clock.now());
      return { kind: 'done' };
    },
  };
}
