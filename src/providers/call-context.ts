/** The audit context of a call authenticated by a provider credential (app token, prk_/puk_ key, …). */
import type { FastifyRequest } from 'fastify';
import type { CallContext, CallSurface } from '../core/model.js';
import type { CredentialRecord } from '../core/ports.js';
import { callContext } from '../http/v1/context.js';

/** `person` names whoever acts through the credential (KAiZEN `recalledBy`, Auco `email`), when the caller gives one. */
export function surfaceCallContext(
  request: FastifyRequest,
  credential: CredentialRecord,
  surface: CallSurface,
  person?: string,
): CallContext {
  const auth = {
    tenantId: credential.tenantId,
    credentialId: credential.id,
    scopes: credential.scopes,
    expiresAt: credential.expiresAt,
    actor: { type: 'api_key' as const, id: credential.id, display: credential.label ?? credential.id },
  };
  return callContext(request, auth, person, surface);
}
