/**
 * Taktikal's webhook: `{Id, EventData, EventSignature}` (docs "Webhooks"), EventSignature an HMAC
 * of `${TimeStamp}${Guid}` under the endpoint's webhook signature key. EventType: Created 11 (a
 * process was created), SignedDocument 1 (every signature but the last), AllSigned 2 (the last
 * signature), Completed 10 (the process is complete), Canceled 5, Expired 6. Events Taktikal has
 * no webhook for (viewed, declined, refused cancel, expiry change) are not sent.
 */
import type { SignatureRequest } from '../../core/model.js';
import { createTaktikalEventSignature, serializeTaktikalWebhookPayload } from '../../delivery/webhook-signatures.js';
import type { RenderedWebhook, WebhookRenderer, WebhookRenderInput } from '../../delivery/webhook-renderer.js';
import type { SurfaceContext } from '../surface.js';
import { CREDENTIAL_KIND } from './auth.js';
import { signeeKeyOf, webhookMessageId } from './keys.js';
import { dotNetIso, withoutNulls } from './present.js';
import { processKeyOf } from './processes.js';
import { createTaktikalStore, type TaktikalStore } from './taktikal-store.js';

export const EVENT_TYPES = {
  SignedDocument: 1,
  AllSigned: 2,
  Canceled: 5,
  Expired: 6,
  Completed: 10,
  Created: 11,
} as const;

/** The last signature is the one made at completion time (the core sets both in one transaction). */
function isLastSignature(request: SignatureRequest, signerId: unknown): boolean {
  const signer = request.signers.find((candidate) => candidate.id === signerId);
  return request.completedAt !== null && signer?.signedAt === request.completedAt;
}

export function taktikalEventTypeOf(
  eventType: string,
  request: SignatureRequest,
  data: Readonly<Record<string, unknown>>,
): number | null {
  switch (eventType) {
    case 'signature_request.created':
      return EVENT_TYPES.Created;
    case 'signature_request.signed':
      return isLastSignature(request, data.signer_id) ? EVENT_TYPES.AllSigned : EVENT_TYPES.SignedDocument;
    case 'signature_request.completed':
      return EVENT_TYPES.Completed;
    case 'signature_request.cancelled':
      return EVENT_TYPES.Canceled;
    case 'signature_request.expired':
      return EVENT_TYPES.Expired;
    default:
      return null;
  }
}

/** Taktikal's format for delivery's renderer port; its store is made once, with the renderer. */
export function createTaktikalWebhookRenderer(context: SurfaceContext): WebhookRenderer {
  const store = createTaktikalStore(context);
  return { format: 'taktikal', render: (input) => renderTaktikalWebhook(input, context, store) };
}

/** Only AllSigned and Expired carry the document, as in Taktikal's table; Canceled never does. */
const CARRIES_DOCUMENT: readonly number[] = [EVENT_TYPES.AllSigned, EVENT_TYPES.Expired];

export async function renderTaktikalWebhook(
  input: WebhookRenderInput,
  context: SurfaceContext,
  store: TaktikalStore,
): Promise<RenderedWebhook | null> {
  const { request, tenant, endpoint } = input;
  const eventType = taktikalEventTypeOf(input.eventType, request, input.data);
  if (eventType === null) return null;
  // Endpoints registered through this surface always have a key; an unsigned Taktikal webhook would be unverifiable.
  if (input.secret === null) throw new Error(`taktikal webhook endpoint ${endpoint.id} has no signature key`);
  const { deps } = context;
  const processKey = processKeyOf(request);
  const details = (await store.processDetails(tenant.id, [request.id])).get(request.id);
  const { companyKey, documentBytes } = await deps.store.read(async (tx) => {
    const credentials = await tx.credentials.listForTenant(tenant.id, CREDENTIAL_KIND);
    const live = credentials.find((credential) => credential.revokedAt === null);
    const bytes = CARRIES_DOCUMENT.includes(eventType) ? await tx.documents.getBytes(request.document.id) : undefined;
    return { companyKey: live?.lookup ?? null, documentBytes: bytes };
  });
  const eventData = withoutNulls({
    ProcessKey: processKey,
    CompanyKey: companyKey,
    Signees: request.signers.map((signer) => {
      const signee = details?.signees[signer.id];
      return withoutNulls({
        Name: signer.name,
        Ssn: signee?.ssn,
        PhoneNumber: signee?.phoneNumber,
        Email: signee?.email ?? signer.email,
        Address: signee?.address,
        PostalCode: signee?.postalCode,
        City: signee?.city,
        Key: signeeKeyOf(signer.id),
        Signed: signer.status === 'signed',
        SignedAt: signer.signedAt === null ? null : dotNetIso(signer.signedAt),
        ProcessKey: processKey,
        CommunicationDeliveryType: signee?.communicationDeliveryType ?? (signer.email ? 'Email' : 'None'),
      });
    }),
    FlowKey: details?.flowKey,
    SignedDocument: documentBytes ? Buffer.from(documentBytes).toString('base64') : null,
    AttachmentReferences: [],
    EventType: eventType,
    Meta: details?.meta ?? {},
  });
  const body = serializeTaktikalWebhookPayload({
    Id: webhookMessageId(endpoint.id, input.eventId),
    EventData: eventData,
    EventSignature: createTaktikalEventSignature({ webhookSignatureKey: input.secret, at: deps.clock.now() }),
  });
  return { body, headers: { 'content-type': 'application/json; charset=utf-8' } };
}
