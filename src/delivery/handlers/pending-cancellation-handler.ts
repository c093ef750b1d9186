/**
 * Topic `cancellation.resolve`: carries out a deferred cancel when the sign sessions that held it
 * off have ended (ADR 7). The core decides in its own transaction; while a session is still active
 * the row is done and a new one is queued, due when that session ends.
 */
import { outboxMessage, PENDING_CANCELLATION_TOPIC } from '../../core/use-cases/outbox-messages.js';
import { resolvePendingCancellation } from '../../core/use-cases/resolve-pending-cancellation.js';
import type { OutboxHandler } from '../outbox-handler.js';
import type { DeliveryHandlerContext } from './handler-context.js';
import { readPayload } from './read-payload.js';

export function createPendingCancellationHandler(context: DeliveryHandlerContext): OutboxHandler {
  const { deps } = context;
  return {
    topic: PENDING_CANCELLATION_TOPIC,
    async handle(row) {
      const payload = readPayload(PENDING_CANCELLATION_TOPIC, row.payload);
      if ('dead' in payload) return payload.dead;
      const { request_id: requestId, pending_cancellation_id: pendingCancellationId } = payload.value;
      const resolution = await resolvePendingCancellation(deps, {
        tenantId: row.tenantId,
        requestId,
        pendingCancellationId,
      });
      if (resolution.kind !== 'waiting') return { kind: 'done' };
      return {
        kind: 'done',
        enqueue: [
          outboxMessage(
            deps,
            row.tenantId,
            deps.clock.now(),
            PENDING_CANCELLATION_TOPIC,
            payload.value,
            resolution.until,
          ),
        ],
      };
    },
  };
}
