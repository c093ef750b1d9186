/**
 * The `email` outbox payloads the core writes (snake_case, see create-signature-request.ts,
 * sign-as-signer.ts and record-cancellations.ts), checked and mapped onto the templates' inputs.
 * Unknown keys are ignored, so the core may add fields without breaking queued rows.
 */
import { z } from 'zod';
import { signingUrl } from '../../core/signing-links.js';
import type { EmailToRender } from '../email/templates/index.js';

const recipient = z.object({ name: z.string(), address: z.string().min(3) });
const common = {
  request_id: z.string().min(1),
  signer_id: z.string().min(1),
  to: recipient,
  title: z.string(),
  sender: z.string().nullable().optional(),
  message: z.string().nullable().optional(),
};

export const emailPayload = z.discriminatedUnion('template', [
  z.object({
    template: z.literal('signature_requested'),
    ...common,
    owner_email: z.string().nullable().optional(),
    expires_at: z.number(),
  }),
  z.object({
    // cancelled_by: the person the caller named (core/person-named.ts), null for "the tenant". Rows
    // queued before it carry `actor` (possibly a key's label), which is deliberately not read.
    template: z.literal('request_cancelled'),
    ...common,
    signer_had_signed: z.boolean(),
    cancelled_by: z.string().nullable().optional(),
    reason_code: z.string().nullable().optional(),
    cancelled_at: z.number(),
  }),
]);
export type EmailPayload = z.infer<typeof emailPayload>;

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
          ownerEmail: payload.owner_email ?? null,
          signerName: payload.to.name,
          signingUrl: signingUrl(links.publicUrl, links.linkKey, payload.signer_id),
          expiresAt: payload.expires_at,
          message: payload.message ?? null,
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
          cancelledBy: payload.cancelled_by ?? null,
          messageToSigners: payload.message ?? null,
          reasonCode: payload.reason_code ?? null,
          cancelledAt: payload.cancelled_at,
        },
      };
  }
}
