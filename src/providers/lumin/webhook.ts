/**
 * Lumin-format webhooks (account callbacks): `{event:{event_time, event_type, event_metadata:
 * {workspace_id}}, signature_request, details_url}`, signed with `X-Signature` = lowercase hex
 * HMAC-SHA256 of the exact body under the tenant's Primary API key.
 */
import { CoreError, ERROR_CODES, type ErrorCode } from '../../core/errors.js';
import { signLuminWebhook } from '../../delivery/webhook-signatures.js';
import type { RenderedWebhook, WebhookRenderer, WebhookRenderInput } from '../../delivery/webhook-renderer.js';
import type { SurfaceContext } from '../surface.js';
import { openPrimaryApiKey } from './credentials.js';
import { luminErrorFor } from './errors.js';
import { detailsUrlFor, presentWebhookSignatureRequest } from './present.js';

/** Native event type -> Lumin event name (note Lumin's one-"l" `canceled`); null: Lumin has no such event. */
export function luminEventTypeOf(nativeType: string): string | null {
  switch (nativeType) {
    case 'signature_request.created':
      return 'signature_request_created';
    case 'signature_request.viewed':
      return 'signature_request_viewed';
    case 'signature_request.signed':
      return 'signature_request_signed';
    case 'signature_request.completed':
      return 'signature_request_approved';
    case 'signature_request.declined':
      return 'signature_request_declined';
    case 'signature_request.cancelled':
      return 'signature_request_canceled';
    case 'signature_request.cancel_failed':
      return 'signature_request_cancel_failed';
    case 'signature_request.expiry_updated':
      return 'signature_request_due_date_updated';
    default:
      return null;
  }
}

/** The headers of a Lumin webhook for an exact body; the only place the body gets signed. */
export function luminWebhookHeaders(body: string, primaryApiKey: string): Record<string, string> {
  return { 'Content-Type': 'application/json', ...signLuminWebhook(body, primaryApiKey) };
}

export async function renderLuminWebhook(
  input: WebhookRenderInput,
  context: SurfaceContext,
): Promise<RenderedWebhook | null> {
  const eventType = luminEventTypeOf(input.eventType);
  if (eventType === null) return null;
  const primaryKey = await openPrimaryApiKey(context.deps, context.sealer, input.tenant.id);
  // Without a Primary key the receiver could not verify anything: refuse loudly rather than send unsigned.
  if (primaryKey === undefined)
    throw new Error(`tenant ${input.tenant.id} has no Primary Lumin API key to sign webhooks with`);
  const signatureRequest = presentWebhookSignatureRequest(input.request);
  const refusal = eventType === 'signature_request_cancel_failed' ? cancelFailure(input.data.code) : undefined;
  const payload = {
    event: {
      event_time: input.occurredAt,
      event_type: eventType,
      event_metadata: { workspace_id: input.tenant.id, ...(refusal ? { error_code: refusal.error_code } : {}) },
    },
    signature_request: refusal ? { ...signatureRequest, reason: refusal.error_message } : signatureRequest,
    details_url: detailsUrlFor(context.publicUrl, input.request),
  };
  const body = JSON.stringify(payload);
  return { body, headers: luminWebhookHeaders(body, primaryKey) };
}

/** Lumin's format for delivery's renderer port. */
export function createLuminWebhookRenderer(context: SurfaceContext): WebhookRenderer {
  return { format: 'lumin', render: (input) => renderLuminWebhook(input, context) };
}

/** Why a cancel was refused, in the words the cancel endpoint answered with. */
function cancelFailure(code: unknown): { error_code: string; error_message: string } | undefined {
  if (typeof code !== 'string' || !(code in ERROR_CODES)) return undefined;
  return luminErrorFor(new CoreError(code as ErrorCode)).body;
}
