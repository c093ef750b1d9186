/**
 * Topic `email`: one outbox row, one recipient, one mail. The row id is the idempotency key, so a
 * redelivery after a crash carries the same Message-ID (and the archive keeps a single copy).
 * An invitation whose request can no longer be signed is dropped: its link would already be dead.
 */
import { isCoreError } from '../../core/errors.js';
import type { EmailPayload } from '../../core/events/outbox-topics.js';
import { SIGNABLE, SIGNER_OUTSTANDING } from '../../core/state-machine.js';
import { getSignatureRequest } from '../../core/use-cases/read-signature-requests.js';
import { renderEmail, type RenderedEmail } from '../email/templates/index.js';
import type { OutboxHandler, OutboxRow } from '../outbox-handler.js';
import type { DeliveryHandlerContext } from './handler-context.js';
import { deliverMail } from './mail-outcome.js';
import { toEmailToRender } from './email-payloads.js';
import { readPayload } from './read-payload.js';

export function createEmailHandler(context: DeliveryHandlerContext): OutboxHandler {
  const links = { publicUrl: context.publicUrl, linkKey: context.deps.settings.linkKey };
  return {
    topic: 'email',
    async handle(row) {
      const read = readPayload('email', row.payload);
      if ('dead' in read) return read.dead;
      const payload = read.value;
      if (payload.template === 'signature_requested' && !(await isStillSignable(context, row, payload))) {
        // Expected (a batch cancel of fresh requests drops thousands): debug, not one info line per row.
        context.logger.debug(
          { outboxId: row.id, requestId: payload.request_id },
          'invitation dropped: the request can no longer be signed',
        );
        return { kind: 'done' };
      }
      let rendered: RenderedEmail;
      try {
        rendered = renderEmail(toEmailToRender(payload, links));
      } catch (error) {
        // Rendering is deterministic: what fails now fails on every retry.
        return {
          kind: 'dead',
          error: `The email cannot be rendered: ${error instanceof Error ? error.message : String(error)}`,
        };
      }
      const failure = await deliverMail(
        context.mail,
        { ...rendered, to: payload.to, idempotencyKey: row.id },
        {
          tenantId: row.tenantId,
          outboxId: row.id,
          template: payload.template,
          requestId: payload.request_id,
        },
      );
      return failure ?? { kind: 'done' };
    },
  };
}

async function isStillSignable(
  context: DeliveryHandlerContext,
  row: OutboxRow,
  payload: EmailPayload,
): Promise<boolean> {
  try {
    const request = await getSignatureRequest(context.deps, row.tenantId, payload.request_id);
    const signer = request.signers.find((candidate) => candidate.id === payload.signer_id);
    return SIGNABLE.includes(request.status) && signer !== undefined && SIGNER_OUTSTANDING.includes(signer.status);
  } catch (error) {
    if (isCoreError(error) && error.code === 'not_found') return false;
    throw error;
  }
}
