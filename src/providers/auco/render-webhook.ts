/**
 * Auco's document-workflow webhook: `{code, name, status, url, signer?, message?}` with the
 * company's static custom header (Auco's only webhook authentication; there is no signature).
 * A cancellation is sent as status REJECTED with the cancellation message: Auco describes REJECTED
 * as "the details of the process cancellation" and has no other cancel-shaped event.
 */
import type { RenderedWebhook, WebhookRenderer, WebhookRenderInput } from '../../delivery/webhook-renderer.js';
import { codeOf, documentUrlOf } from './present.js';

type AucoWebhookStatus = 'CREATE' | 'NOTIFICATION' | 'FINISH' | 'REJECT' | 'REJECTED' | 'EXPIRED';

/** Native event -> Auco status; events Auco has no webhook for (viewed, cancel_failed, expiry_updated) are not sent. */
const STATUS_OF_EVENT: Readonly<Record<string, AucoWebhookStatus>> = {
  'signature_request.created': 'CREATE',
  'signature_request.signed': 'NOTIFICATION', // "a participant completed signing"
  'signature_request.completed': 'FINISH',
  'signature_request.declined': 'REJECT',
  'signature_request.cancelled': 'REJECTED',
  'signature_request.expired': 'EXPIRED',
};

export function renderAucoWebhook(input: WebhookRenderInput, publicUrl: string): RenderedWebhook | null {
  const status = STATUS_OF_EVENT[input.eventType];
  if (input.endpoint.format !== 'auco' || status === undefined) return null;
  const { request } = input;
  const signerId = typeof input.data.signer_id === 'string' ? input.data.signer_id : undefined;
  const signer = signerId === undefined ? undefined : request.signers.find((candidate) => candidate.id === signerId);
  const payload = {
    code: codeOf(request),
    name: request.title,
    status,
    url: documentUrlOf(publicUrl, request),
    ...(signer ? { signer: { id: signer.id, name: signer.name, email: signer.email } } : {}),
    ...(status === 'REJECTED' ? { message: request.cancellation?.message ?? null } : {}),
    ...(status === 'REJECT' && signer?.declineReason ? { message: signer.declineReason } : {}),
  };
  return { body: JSON.stringify(payload), headers: input.header ? { [input.header.key]: input.header.value } : {} };
}

/** Auco's format for delivery's renderer port. */
export function createAucoWebhookRenderer(publicUrl: string): WebhookRenderer {
  return { format: 'auco', render: async (input) => renderAucoWebhook(input, publicUrl) };
}
