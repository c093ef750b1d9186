/**
 * The Singpass Sign v3 success webhook: when a request a relying party (RP) initiated is signed,
 * its registered webhook URL receives `POST {"token": "<JWT>"}`, the token signed with our Sign key
 * (ES256, header `{alg, typ: "JWT", kid}`) and valid 2 minutes:
 * `{request_type: "signed_doc_url", signed_doc_url, request_id, signer_info, iat, exp}`.
 * Singpass documents no other webhook (none for cancellation), so every other event renders as
 * nothing. Delivery, retries (3 attempts, 2 s apart, 2 s timeout) and the attempt log are the
 * shared webhook machinery's.
 */
import { SignJWT } from 'jose';
import type { RenderedWebhook, WebhookRenderer, WebhookRenderInput } from '../../delivery/webhook-renderer.js';
import type { SurfaceContext } from '../surface.js';
import { createSignedDocumentLinks, SIGNED_DOC_URL_LIFETIME_SECONDS } from './signed-document-links.js';
import { singpassSignKey } from './sign-key.js';
import { SINGPASS_MOUNT } from './singpass-services.js';
import { createSingpassStore } from './singpass-store.js';

/** The token lives as long as the link it carries (Singpass: exp = iat + 2 min). */
const TOKEN_LIFETIME_SECONDS = SIGNED_DOC_URL_LIFETIME_SECONDS;

/**
 * Singpass's format for delivery's renderer port. Singpass documents one webhook, on success: every
 * other event would queue a delivery that renders nothing, so the fan-out is told to skip them.
 */
export function createSingpassWebhookRenderer(context: SurfaceContext): WebhookRenderer {
  return {
    format: 'singpass',
    eventTypes: ['signature_request.completed'],
    render: (input) => renderSingpassWebhook(input, context),
  };
}

export async function renderSingpassWebhook(
  input: WebhookRenderInput,
  context: SurfaceContext,
): Promise<RenderedWebhook | null> {
  if (input.eventType !== 'signature_request.completed' || input.request.status !== 'completed') return null;
  const requestId = input.request.aliases.singpass_request_id;
  if (requestId === undefined) return null; // not initiated through the Singpass surface
  // Only the RP that initiated the request hears of it, even when its tenant has several RPs.
  const signRequest = await createSingpassStore(context).getSignRequest(requestId);
  if (!signRequest || signRequest.clientId !== input.endpoint.externalId) return null;

  const { deps, publicUrl } = context;
  const iat = Math.floor(deps.clock.now() / 1000);
  const exp = iat + TOKEN_LIFETIME_SECONDS;
  const link = createSignedDocumentLinks(deps.settings.linkKey).create(requestId, exp);
  const signer = input.request.signers[0];
  const key = await singpassSignKey(deps.settings.linkKey);
  const token = await new SignJWT({
    request_type: 'signed_doc_url',
    signed_doc_url: `${publicUrl}${SINGPASS_MOUNT}/signed-documents/${link}`,
    request_id: requestId,
    // As in the signed-doc answer: Countersign does not authenticate the signer with Singpass (no certificate CN, no NRIC).
    signer_info: {
      signer_name: signer?.name ?? null,
      signer_partial_uinfin: null,
      signed_at: signer?.signedAt ?? input.request.completedAt,
    },
  })
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: key.kid })
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(key.privateKey);
  return { body: JSON.stringify({ token }), headers: { 'content-type': 'application/json' } };
}
