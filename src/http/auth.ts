/** Native API authentication: `Authorization: Bearer csk_…` with scopes; tenant from the key. */
import type { FastifyRequest } from 'fastify';
import { CoreError } from '../core/errors.js';
import type { Actor, Scope } from '../core/model.js';
import type { CoreDeps } from '../core/ports.js';
import { scopesGrant } from '../core/scopes.js';
import { authenticateNativeKey, NATIVE_KEY_KIND, nativeKeyLookup } from '../core/use-cases/manage-tenants.js';
import type { AuthThrottle } from './throttle/auth-throttle.js';

export interface AuthContext {
  readonly tenantId: string;
  readonly credentialId: string;
  readonly scopes: readonly string[];
  /** When the key stops working (null: never); a key it creates may not outlive it. */
  readonly expiresAt: number | null;
  readonly actor: Actor;
}

export function createNativeAuthenticator(deps: CoreDeps, throttle: AuthThrottle) {
  return async (request: FastifyRequest, scope: Scope): Promise<AuthContext> => {
    const header = request.headers.authorization ?? '';
    const presented = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    const lookup = presented === undefined ? undefined : nativeKeyLookup(presented);
    const credential = await throttle.guard(request, lookup && `${NATIVE_KEY_KIND}:${lookup}`, async () => {
      const found = presented === undefined ? undefined : await authenticateNativeKey(deps, presented);
      if (!found) throw new CoreError('unauthorized', 'Send a valid API key as "Authorization: Bearer <key>".');
      return found;
    });
    if (!scopesGrant(credential.scopes, scope))
      throw new CoreError('forbidden', `This key lacks the "${scope}" scope.`);
    return {
      tenantId: credential.tenantId,
      credentialId: credential.id,
      scopes: credential.scopes,
      expiresAt: credential.expiresAt,
      actor: { type: 'api_key', id: credential.id, display: credential.label ?? credential.id },
    };
  };
}
