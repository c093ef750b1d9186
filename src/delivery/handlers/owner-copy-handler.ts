/**
 * Topic `document.owner_copy_then_purge` (Taktikal: "a copy is emailed to the process owner before
 * the document is deleted"). The copy goes first; only once it was accepted (or archived) are the
 * bytes purged. A failed send retries the whole row with nothing purged; a permanent refusal
 * dead-letters it, and the document stays until an operator decides.
 */
import { isCoreError } from '../../core/errors.js';
import type { SignatureRequest } from '../../core/model.js';
import { personNamed } from '../../core/person-named.js';
import { getSignatureRequest } from '../../core/use-cases/read-signature-requests.js';
import { renderEmail } from '../email/templates/index.js';
import type { OutboxHandler, OutboxRow } from '../outbox-handler.js';
import type { DeliveryHandlerContext } from './handler-context.js';
import { deliverMail } from './mail-outcome.js';
import { purgeDocumentBytes } from './purge-step.js';
import { readPayload } from './read-payload.js';

export function createOwnerCopyHandler(context: DeliveryHandlerContext): OutboxHandler {
  return {
    topic: 'document.owner_copy_then_purge',
    async handle(row) {
      const payload = readPayload('document.owner_copy_then_purge', row.payload);
      if ('dead' in payload) return payload.dead;
      const { request_id: requestId, document_id: documentId, owner_email: ownerEmail } = payload.value;
      const request = await getSignatureRequest(context.deps, row.tenantId, requestId).catch((error: unknown) => {
        if (isCoreError(error) && error.code === 'not_found') return undefined;
        throw error;
      });
      if (!request) return { kind: 'dead', error: `Request ${requestId} not found.` };
      // Purged already: an earlier attempt sent the copy, purged, and crashed before "done".
      if (request.document.purgedAt !== null) return { kind: 'done' };
      const bytes = await context.deps.store.read((tx) => tx.documents.getBytes(documentId));
      if (bytes) {
        const failure = await sendOwnerCopy(context, row, request, ownerEmail, Buffer.from(bytes));
        if (failure) return failure;
      }
      await purgeDocumentBytes(context, row.tenantId, requestId, documentId);
      return { kind: 'done' };
    },
  };
}

async function sendOwnerCopy(
  context: DeliveryHandlerContext,
  row: OutboxRow,
  request: SignatureRequest,
  ownerEmail: string,
  content: Buffer,
) {
  const tenant = await context.deps.store.read((tx) => tx.tenants.get(row.tenantId));
  const rendered = renderEmail({
    template: 'owner_copy_before_purge',
    data: {
      requestTitle: request.title,
      tenantName: tenant?.name ?? 'Countersign',
      cancelledBy: personNamed(request.cancellation?.actor),
      cancelledAt: request.cancellation?.cancelledAt ?? row.createdAt,
      signers: request.signers.map((signer) => ({
        name: signer.name,
        email: signer.email ?? 'no email',
        signedAt: signer.signedAt,
      })),
      document: { filename: request.document.filename, content },
    },
  });
  return deliverMail(
    context.mail,
    { ...rendered, to: { address: ownerEmail }, idempotencyKey: `${row.id}:owner-copy` },
    {
      tenantId: row.tenantId,
      outboxId: row.id,
      template: 'owner_copy_before_purge',
      requestId: request.id,
    },
  );
}
