/**
 * The Singpass surface's authentication: the RP's ES256 JWT in the `Authorization` header,
 * checked by the RP token verifier against the client's registered keys, with token ids (jti)
 * recorded in the database so that a replay is refused across restarts and processes.
 */
import type { FastifyRequest } from 'fastify';
import { decodeJwt, type JWTPayload } from 'jose';
import type { Clock } from '../../core/ports.js';
import type { AuthThrottle } from '../../http/throttle/auth-throttle.js';
import {
  createRpTokenVerifier,
  RpTokenError,
  type ClientRegistration,
  type RpTokenVerifier,
  type VerifiedRpToken,
} from './rp-token-verifier.js';
import type { SingpassClientRecord, SingpassStore } from './singpass-store.js';

export interface RpAuthenticator {
  /** Verifies the request's token; the client is named by `client_id` (or `client_request`). */
  authenticate(request: FastifyRequest): Promise<VerifiedRp>;
  /** Verifies a token that names no client; `identifyClient` finds it from the unverified claims. */
  authenticateBy(
    request: FastifyRequest,
    identifyClient: (untrustedClaims: JWTPayload) => Promise<string | undefined>,
  ): Promise<VerifiedRp>;
}

export interface VerifiedRp extends VerifiedRpToken {
  readonly client: SingpassClientRecord;
}

/** Any token failure (bad signature, unknown client, expired, replayed…) is a failed authentication. */
const isTokenFailure = (error: unknown) => error instanceof RpTokenError;

/** The client the token claims to come from, unverified: only the throttle's key. */
function claimedClient(request: FastifyRequest): string | undefined {
  try {
    const claims = decodeJwt(tokenFrom(request));
    const named = claims.client_id ?? claims.client_request;
    return typeof named === 'string' && named !== '' ? `singpass_client:${named.slice(0, 100)}` : undefined;
  } catch {
    return undefined;
  }
}

export function createRpAuthenticator(
  repository: SingpassStore,
  clock: Clock,
  throttle: AuthThrottle,
): RpAuthenticator {
  const verifier: RpTokenVerifier = createRpTokenVerifier({
    clock: () => clock.now(),
    jtiStore: {
      claimOnce: (clientId, jti, expiresAtMs) => repository.claimJti(clientId, jti, expiresAtMs, clock.now()),
    },
  });
  // The record found while verifying, kept per call so the handler need not load it again.
  const verify = async (
    request: FastifyRequest,
    identifyClient?: (claims: JWTPayload) => Promise<string | undefined>,
  ): Promise<VerifiedRp> => {
    let client: SingpassClientRecord | undefined;
    const resolveClient = async (clientId: string): Promise<ClientRegistration | undefined> => {
      client = await repository.getClient(clientId);
      return client && toRegistration(client);
    };
    const verified = await verifier.verify(tokenFrom(request), {
      resolveClient,
      ...(identifyClient ? { identifyClient } : {}),
    });
    if (!client) throw new RpTokenError('unknown_client', 'client is not registered');
    return { ...verified, client };
  };
  const guarded = (request: FastifyRequest, identifyClient?: (claims: JWTPayload) => Promise<string | undefined>) =>
    throttle.guard(request, claimedClient(request), () => verify(request, identifyClient), isTokenFailure);
  return { authenticate: (request) => guarded(request), authenticateBy: guarded };
}

function toRegistration(client: SingpassClientRecord): ClientRegistration {
  return {
    clientId: client.clientId,
    ...(client.jwks ? { jwks: client.jwks } : {}),
    ...(client.jwksUrl ? { jwksUrl: client.jwksUrl } : {}),
    allowPrivateNetworks: client.allowPrivateJwksUrl,
  };
}

/**
 * Singpass sends the JWT bare (no scheme); a `Bearer ` prefix is tolerated because generic HTTP
 * clients add it. A missing header is a token failure like any other.
 */
function tokenFrom(request: FastifyRequest): string {
  const header = request.headers.authorization;
  if (typeof header !== 'string' || header.trim() === '')
    throw new RpTokenError('malformed', 'no Authorization header');
  return header.trim().replace(/^Bearer\s+/i, '');
}
