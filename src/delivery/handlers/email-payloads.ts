/**
 * The `email` outbox payloads (their schema: src/core/events/outbox-topics.ts) mapped onto the
 * templates' inputs.
 */
import type { EmailPayload } from '../../core/events/outbox-topics.js';
import { signingUrl } from '../../core/signing-links.js';
import type { EmailToRender } from '../email/templates/index.js';

/** Mails name the tenant; a payload written without one still renders. */
const FALLBACK_SENDER = 'Countersign';

export function toEmailToRender(
  payload: EmailPayload,
  links: { publicUrl: string; linkKey: Uint8Array },
): EmailToRender {
  const tenantName = payload.sender ?? FALLBACK_SENDER;
  switch (payload.template) {
    case 'signature_requested':
      return {
        template: 'signature_requested',
        data: {
          requestTitle: payload.title,
          tenantName,
          ownerEmail: payload.owner_email,
          signerName: payload.to.name,
          signingUrl: signingUrl(links.publicUrl, links.linkKey, payload.signer_id),
          expiresAt: payload.expires_at,
          message: payload.message,
        },
      };
    case 'request_cancelled':
      return {
        template: 'request_cancelled',
        data: {
          requestTitle: payload.title,
          tenantName,
          signerName: payload.to.name,
          hasSigned: payload.signer_had_signed,
          cancelledBy: payload.cancelled_by,
          messageToSigners: payload.message,
          reasonCode: payload.reason_code,
          cancelledAt: payload.cancelled_at,
        },
      };
  }
}
