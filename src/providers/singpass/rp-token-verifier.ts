/**
 * Verifies the relying party's (RP) JWT that Singpass Sign v3 clients send as the bare
 * `Authorization` header value (no `Bearer ` prefix), e.g. on `POST /sign-requests/cancel`.
 *
 * Order matters: everything read before the signature is checked (header, `client_id`) is
 * untrusted and only used to choose the key. `alg` is fixed to ES256 before any lookup, so
 * `none`/HS256/RS256 tokens never reach the client store or the network.
 *
 * Usage (the surface maps every `RpTokenError` to the Singpass wire error):
 *   const verifier = createRpTokenVerifier({ clock: Date.now, jtiStore });
 *   const { clientId, claims } = await verifier.verify(header, { expectedRequestId, resolveClient });
 */
import { decodeJwt, decodeProtectedHeader, errors, importJWK, jwtVerify } from 'jose';
import type { CryptoKey, JSONWebKeySet, JWK, JWK_EC_Public, JWTPayload } from 'jose';
import { createGuardedJwksFetcher, createJwksCache, JwksFetchError, type FetchJwks } from './jwks-cache.js';

export type { JSONWebKeySet } from 'jose';
export type { FetchJwks } from './jwks-cache.js';

/** An RP registered with Countersign's Singpass surface: inline keys or a JWKS URL. */
export interface ClientRegistration {
  clientId: string;
  /** Fetched and cached; used when `jwks` is absent. */
  jwksUrl?: string;
  /** Inline key set; takes precedence over `jwksUrl` when both are set. */
  jwks?: JSONWebKeySet;
  /**
   * Let this client's `jwksUrl` be on a private, loopback or link-local host (plain http allowed).
   * Set by the operator per registration (development, tests, an RP inside the same network).
   */
  allowPrivateNetworks?: boolean;
}

/** Replay protection for `jti`. Production backs this with the database. */
export interface JtiStore {
  /**
   * Records `jti` for `clientId`; false if it was already recorded. `expiresAtMs` is when the
   * token can no longer be accepted anyway, so the record may be deleted after that.
   */
  claimOnce(clientId: string, jti: string, expiresAtMs: number): Promise<boolean>;
}

export const RP_TOKEN_ERROR_REASONS = [
  'malformed', // not a compact JWS, undecodable, or a required claim missing or of the wrong type
  'unsupported_alg', // header alg is not ES256
  'missing_kid',
  'unknown_client', // client_id / client_request names no registered client
  'unknown_kid', // no ES256 key with this kid, even after a (rate-limited) refetch
  'bad_signature',
  'expired', // exp has passed (beyond the clock skew)
  'too_old', // iat is older than maxTokenAge + skew
  'lifetime_too_long', // exp - iat exceeds maxTokenAge
  'not_yet_valid', // iat or nbf in the future (beyond the clock skew)
  'request_mismatch', // request_id differs from expectedRequestId
  'replayed_jti',
  'jwks_unavailable', // the client's keys could not be fetched, or the registration has none
] as const;
export type RpTokenErrorReason = (typeof RP_TOKEN_ERROR_REASONS)[number];

/** The only error `verify` throws for a bad token. Messages never contain tokens or keys. */
export class RpTokenError extends Error {
  override readonly name = 'RpTokenError';
  constructor(
    readonly reason: RpTokenErrorReason,
    message: string,
  ) {
    super(message);
  }
}

export interface RpTokenVerifierOptions {
  /** Current time in ms. */
  clock: () => number;
  jtiStore: JtiStore;
  /** Replaces the default guarded HTTP fetcher (then neither `allowPrivateNetworks` has an effect). */
  fetchJwks?: FetchJwks;
  /** Let the default fetcher reach private/loopback/link-local hosts over http. Dev and tests only. */
  allowPrivateNetworks?: boolean;
  maxTokenAgeSeconds?: number; // default 120: Singpass requires tokens issued within 2 minutes
  clockSkewSeconds?: number; // default 30
  cacheTtlMs?: number; // default 1 h, the JWKS cache time Singpass documents
  /** Minimum time between fetches of one JWKS URL triggered by unknown kids. Default 10 s. */
  minRefetchIntervalMs?: number;
}

export interface VerifyRpTokenOptions {
  /** When given, the token's `request_id` claim must equal it. */
  expectedRequestId?: string;
  resolveClient: (clientId: string) => Promise<ClientRegistration | undefined>;
  /**
   * For tokens that name no client (signed-doc carries only an `exchange_code`): names the client
   * from the still unverified claims. Like `client_id`, the answer only chooses the keys; a token
   * that also carries a `client_id`/`client_request` must agree with it. Undefined: unknown client.
   */
  identifyClient?: (untrustedClaims: JWTPayload) => Promise<string | undefined>;
}

/** Claims of a verified token; other claims (x, y, doc_name, ...) are for the caller to validate. */
export interface VerifiedRpClaims extends JWTPayload {
  iat: number;
  exp: number;
}

export interface VerifiedRpToken {
  clientId: string;
  claims: VerifiedRpClaims;
}

export interface RpTokenVerifier {
  /** Resolves with the verified token or rejects with `RpTokenError` (errors from `resolveClient` or the jti store pass through). */
  verify(token: string, options: VerifyRpTokenOptions): Promise<VerifiedRpToken>;
}

const MAX_TOKEN_LENGTH = 8 * 1024; // real tokens are a few hundred bytes; refuse before decoding

export function createRpTokenVerifier(options: RpTokenVerifierOptions): RpTokenVerifier {
  const { clock, jtiStore, maxTokenAgeSeconds = 120, clockSkewSeconds = 30 } = options;
  const cacheWith = (fetchJwks: FetchJwks) =>
    createJwksCache({
      fetchJwks,
      clock,
      cacheTtlMs: options.cacheTtlMs ?? 60 * 60 * 1000,
      minRefetchIntervalMs: options.minRefetchIntervalMs ?? 10_000,
    });
  const jwksCache = cacheWith(
    options.fetchJwks ?? createGuardedJwksFetcher({ allowPrivateNetworks: options.allowPrivateNetworks ?? false }),
  );
  // Clients registered with `allowPrivateNetworks` get a separate fetcher and cache, so a key set
  // fetched for them is never served to a client whose URL must be public.
  const privateNetworkCache =
    options.fetchJwks || options.allowPrivateNetworks
      ? jwksCache
      : cacheWith(createGuardedJwksFetcher({ allowPrivateNetworks: true }));

  async function findKey(client: ClientRegistration, kid: string): Promise<Es256PublicJwk | undefined> {
    if (client.jwks) {
      // Registrations come from storage; do not trust their shape blindly.
      if (!Array.isArray(client.jwks.keys))
        throw new RpTokenError('jwks_unavailable', 'client registration JWKS has no keys array');
      return selectEs256Key(client.jwks.keys, kid);
    }
    if (!client.jwksUrl) throw new RpTokenError('jwks_unavailable', 'client registration has no keys');
    try {
      const cache = client.allowPrivateNetworks === true ? privateNetworkCache : jwksCache;
      return selectEs256Key(await cache.getKeys(client.jwksUrl, kid), kid);
    } catch (error) {
      if (error instanceof JwksFetchError) throw new RpTokenError('jwks_unavailable', error.message);
      throw error;
    }
  }

  return {
    async verify(token, { expectedRequestId, resolveClient, identifyClient }) {
      if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH || token.split('.').length !== 3) {
        throw new RpTokenError('malformed', 'token is not a compact JWS');
      }
      const header = decodeUntrusted(() => decodeProtectedHeader(token));
      if (header.alg !== 'ES256') throw new RpTokenError('unsupported_alg', 'token alg must be ES256');
      if (typeof header.kid !== 'string' || header.kid === '')
        throw new RpTokenError('missing_kid', 'token header has no kid');

      const untrustedClaims = decodeUntrusted(() => decodeJwt(token));
      const clientId = identifyClient
        ? await identifyClientFrom(untrustedClaims, identifyClient)
        : readClientId(untrustedClaims);
      const client = await resolveClient(clientId);
      // A store that answers for a different id than asked is treated as not knowing the client.
      if (!client || client.clientId !== clientId) throw new RpTokenError('unknown_client', 'client is not registered');

      const jwk = await findKey(client, header.kid);
      if (!jwk) throw new RpTokenError('unknown_kid', 'no ES256 key with this kid in the client JWKS');
      let key: CryptoKey;
      try {
        key = await importJWK(jwk, 'ES256');
      } catch {
        throw new RpTokenError('jwks_unavailable', 'client JWKS key for this kid is invalid');
      }

      const nowMs = clock();
      // jose compares whole seconds; do the same so both checks agree at the boundaries.
      const now = Math.floor(nowMs / 1000);
      const isTooOld = (iat: number): boolean => now - iat > maxTokenAgeSeconds + clockSkewSeconds;
      const claims = await verifySignature(token, key, nowMs, clockSkewSeconds, isTooOld);
      if (claims.iat > now + clockSkewSeconds) throw new RpTokenError('not_yet_valid', 'token iat is in the future');
      if (claims.exp - claims.iat > maxTokenAgeSeconds) {
        throw new RpTokenError('lifetime_too_long', `token lifetime exceeds ${maxTokenAgeSeconds} s`);
      }
      // With exp not passed and exp - iat bounded, this cannot trigger (a stale iat is reported by
      // verifySignature); it states the age rule directly so it survives changes to the checks above.
      if (isTooOld(claims.iat)) throw new RpTokenError('too_old', 'token iat is too old');

      if (expectedRequestId !== undefined && claims.request_id !== expectedRequestId) {
        throw new RpTokenError('request_mismatch', 'token request_id does not match the request');
      }
      if (claims.jti !== undefined) {
        if (typeof claims.jti !== 'string' || claims.jti === '')
          throw new RpTokenError('malformed', 'token jti must be a string');
        // Claimed last, so a token refused for another reason does not use up its jti.
        const expiresAtMs = (claims.exp + clockSkewSeconds) * 1000;
        if (!(await jtiStore.claimOnce(clientId, claims.jti, expiresAtMs))) {
          throw new RpTokenError('replayed_jti', 'token jti was already used');
        }
      }
      return { clientId, claims };
    },
  };
}

async function identifyClientFrom(
  untrustedClaims: JWTPayload,
  identifyClient: (claims: JWTPayload) => Promise<string | undefined>,
): Promise<string> {
  const clientId = await identifyClient(untrustedClaims);
  if (clientId === undefined) throw new RpTokenError('unknown_client', 'token names no registered client');
  const named = untrustedClaims.client_id ?? untrustedClaims.client_request;
  if (named !== undefined && readClientId(untrustedClaims) !== clientId) {
    throw new RpTokenError('malformed', 'token client_id does not match the client it was issued to');
  }
  return clientId;
}

function decodeUntrusted<T>(decode: () => T): T {
  try {
    return decode();
  } catch {
    throw new RpTokenError('malformed', 'token cannot be decoded');
  }
}

// The cancel docs name the claim `client_request`, while their sample and every other endpoint
// use `client_id` (as do the demo RP and mockpass); both are accepted, but they must agree when both are set.
function readClientId(payload: JWTPayload): string {
  const { client_id: clientId, client_request: clientRequest } = payload;
  if (clientId !== undefined && clientRequest !== undefined && clientId !== clientRequest) {
    throw new RpTokenError('malformed', 'token client_id and client_request differ');
  }
  const value = clientId ?? clientRequest;
  if (typeof value !== 'string' || value === '') throw new RpTokenError('malformed', 'token has no client_id');
  return value;
}

// Only EC P-256 signing keys can verify ES256. Copies the public members only, so a JWKS that
// wrongly publishes a private key still yields a verification-only key.
type Es256PublicJwk = JWK_EC_Public & { kty: 'EC' };
function selectEs256Key(keys: readonly JWK[], kid: string): Es256PublicJwk | undefined {
  for (const key of keys) {
    if (
      key.kid === kid &&
      key.kty === 'EC' &&
      key.crv === 'P-256' &&
      typeof key.x === 'string' &&
      typeof key.y === 'string' &&
      (key.use === undefined || key.use === 'sig') &&
      (key.alg === undefined || key.alg === 'ES256')
    ) {
      return { kty: 'EC', crv: 'P-256', x: key.x, y: key.y };
    }
  }
  return undefined;
}

async function verifySignature(
  token: string,
  key: CryptoKey,
  nowMs: number,
  clockSkewSeconds: number,
  isTooOld: (iat: number) => boolean,
): Promise<VerifiedRpClaims> {
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ['ES256'],
      requiredClaims: ['iat', 'exp'],
      currentDate: new Date(nowMs),
      clockTolerance: clockSkewSeconds,
    });
    return payload as VerifiedRpClaims; // jose checked that iat and exp are present and numbers
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed)
      throw new RpTokenError('bad_signature', 'token signature is invalid');
    if (error instanceof errors.JWTExpired) {
      // jose only checks exp; an expired token whose iat is also too old is reported as too_old,
      // which tells the RP its tokens are stale rather than merely short-lived.
      const { iat } = error.payload;
      if (typeof iat === 'number' && isTooOld(iat)) throw new RpTokenError('too_old', 'token iat is too old');
      throw new RpTokenError('expired', 'token has expired');
    }
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'nbf' && error.reason === 'check_failed') {
      throw new RpTokenError('not_yet_valid', 'token nbf is in the future');
    }
    if (error instanceof errors.JOSEError) throw new RpTokenError('malformed', 'token is invalid');
    throw error;
  }
}
