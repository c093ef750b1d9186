/**
 * Taktikal's auth: `Authorization: Basic base64(companyKey:apiKey)`. The companyKey is the
 * non-secret lookup; only the sha256 of the apiKey is stored (checked in constant time by the core).
 */
import type { FastifyRequest } from 'fastify';
import { CoreError } from '../../core/errors.js';
import type { Actor, CallContext } from '../../core/model.js';
import type { CoreDeps, IdGenerator } from '../../core/ports.js';
import { hashSecret } from '../../core/secrets.js';
import { verifyCredential } from '../../core/use-cases/manage-tenants.js';
import type { AuthThrottle } from '../../http/throttle/auth-throttle.js';
import type { IssuedCredentials, MintedCredential } from '../surface.js';
import { newApiKey, newCompanyKey } from './keys.js';

export const CREDENTIAL_KIND = 'taktikal';

export interface TaktikalAuth {
  readonly tenantId: string;
  readonly credentialId: string;
  readonly companyKey: string;
}

/**
 * A key pair: the company key is the credential's lookup, so every pair (a tenant's first, and
 * each one issued later to rotate) has a company key of its own.
 */
export function mintTaktikalKeys(ids: IdGenerator, label: string | null, expiresAt: number | null): MintedCredential {
  const companyKey = newCompanyKey(ids);
  const apiKey = newApiKey(ids);
  return {
    credential: {
      id: ids.next('key'),
      kind: CREDENTIAL_KIND,
      lookup: companyKey,
      secretHash: hashSecret(apiKey),
      scopes: ['read', 'write'],
      label,
      expiresAt,
      sealedSecret: null,
    },
    display: { company_key: companyKey, api_key: apiKey },
  };
}

export function issueTaktikalCredentials(ids: IdGenerator): IssuedCredentials {
  const { credential, display } = mintTaktikalKeys(ids, 'taktikal', null);
  return { credentials: [credential], display };
}

const UNAUTHORIZED = 'Send "Authorization: Basic base64(companyKey:apiKey)" with valid keys.';

/**
 * Every failure (no header, not Basic, bad base64, unknown key, wrong secret, revoked) is the same
 * 401, and counts for the throttle under the client address and the companyKey (the Basic user).
 */
export async function authenticateTaktikal(
  deps: CoreDeps,
  throttle: AuthThrottle,
  request: FastifyRequest,
): Promise<TaktikalAuth> {
  const match = /^Basic\s+([A-Za-z0-9+/=]{1,512})\s*$/i.exec(request.headers.authorization ?? '');
  const decoded = match ? Buffer.from(match[1]!, 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  const companyKey = colon > 0 ? decoded.slice(0, colon) : '';
  const apiKey = colon > 0 ? decoded.slice(colon + 1) : '';
  const isPlausible = companyKey.length > 0 && companyKey.length <= 64;
  const credential = await throttle.guard(
    request,
    isPlausible ? `${CREDENTIAL_KIND}:${companyKey}` : undefined,
    async () => {
      const found =
        isPlausible && apiKey.length > 0
          ? await verifyCredential(deps, CREDENTIAL_KIND, companyKey, apiKey)
          : undefined;
      if (!found) throw new CoreError('unauthorized', UNAUTHORIZED);
      return found;
    },
  );
  return { tenantId: credential.tenantId, credentialId: credential.id, companyKey };
}

/** A named person (the `User` email) acting through the credential, or the credential itself. */
export function actorFor(auth: TaktikalAuth, userEmail: string | null): Actor {
  return userEmail
    ? { type: 'user', id: userEmail, display: userEmail, via: auth.credentialId }
    : { type: 'api_key', id: auth.credentialId, display: auth.companyKey };
}

export function callContextFor(request: FastifyRequest, actor: Actor): CallContext {
  const userAgent = request.headers['user-agent'];
  return { actor, surface: 'taktikal', ip: request.ip, httpRequestId: request.id, ...(userAgent ? { userAgent } : {}) };
}
