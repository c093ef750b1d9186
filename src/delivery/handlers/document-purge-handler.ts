/** Topic `document.purge`: deletes the document bytes (at once, or after the retention period). */
import { isCoreError } from '../../core/errors.js';
import type { OutboxHandler } from '../outbox-handler.js';
import type { DeliveryHandlerContext } from './handler-context.js';
import { purgeDocumentBytes } from './purge-step.js';
import { readPayload } from './read-payload.js';

export function createDocumentPurgeHandler(context: DeliveryHandlerContext): OutboxHandler {
  return {
    topic: 'document.purge',
    async handle(row) {
      const payload = readPayload('document.purge', row.payload);
      if ('dead' in payload) return payload.dead;
      try {
        await purgeDocumentBytes(context, row.tenantId, payload.value.request_id, payload.value.document_id);
      } catch (error) {
        if (isCoreError(error) && error.code === 'not_found')
          return { kind: 'dead', error: `Request ${payload.value.request_id} not found.` };
        throw error;
      }
      return { kind: 'done' };
    },
  };
}
