/** Native API authentication: `Authorization: Bearer csk_…` with scopes; tenant from the key. */
import type { FastifyRequest } from 'fastify';
import { CoreError } from '../core/errors.js';
import type { Actor, Scope } from '../core/model.js';
import type { CoreDeps } from '../core/ports.js';
import { scopesGrant } from '../core/scopes.js';
import { authenticateNativeKey } from '../core/use-cases/manage-tenants.js';

export interface AuthContext {
  readonly tenantId: string;
  readonly credentialId: string;
  readonly scopes: readonly string[];
  /** When the key stops working (null: never); a key it creates may not outlive it. */
  readonly expiresAt: number | null;
  readonly actor: Actor;
}

export function createNativeAuthenticator(deps: CoreDeps) {
  return async (request: FastifyRequest, scope: Scope): Promise<AuthContext> => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const credential = match ? await authenticateNativeKey(deps, match[1]!) : undefined;
    if (!credential) throw new CoreError('unauthorized', 'Send a valid API key as "Authorization: Bearer <key>".');
    if (!scopesGrant(credential.scopes, scope)) throw new CoreError('forbidden', `This key lacks the "${scope}" scope.`);
    return {
      tenantId: credential.tenantId,
      credentialId: credential.id,
      scopes: credential.scopes,
      expiresAt: credential.expiresAt,
      actor: { type: 'api_key', id: credential.id, display: credential.label ?? credential.id },
    };
  };
}
