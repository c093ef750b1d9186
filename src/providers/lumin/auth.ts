/**
 * Lumin authentication, all four documented forms:
 * - `X-API-Key: <key>` (the spec's ApiKey scheme; the docs write X-API-KEY);
 * - HTTP Basic with the key as username and an empty password (`curl -u "$KEY:"`);
 * - `Authorization: API-key <key>` (the spec's own description and the walkthroughs);
 * - `Authorization: Bearer <token>`, an OAuth2-style token carrying scopes.
 * API keys may do everything; a token needs `sign:requests` to change anything and
 * `sign:requests` or `sign:requests.read` to read.
 */
import type { FastifyRequest } from 'fastify';
import { CoreError } from '../../core/errors.js';
import type { CallContext } from '../../core/model.js';
import type { CoreDeps, CredentialRecord } from '../../core/ports.js';
import type { AuthThrottle } from '../../http/throttle/auth-throttle.js';
import { luminCredentialLookup, verifyAccessToken, verifyApiKey } from './credentials.js';

export type LuminAccess = 'read' | 'write';

export interface LuminCaller {
  readonly tenantId: string;
  readonly credential: CredentialRecord;
  readonly context: CallContext;
}

const MISSING =
  'Send your API key as "X-API-Key: <key>", "Authorization: API-key <key>" or HTTP Basic (key as username, empty password), or an access token as "Authorization: Bearer <token>".';

type Presented =
  { readonly kind: 'api_key' | 'token'; readonly value: string } | { readonly kind: 'invalid'; readonly why: string };

function presentedCredential(request: FastifyRequest): Presented | undefined {
  const apiKeyHeader = request.headers['x-api-key'];
  if (apiKeyHeader !== undefined) {
    return typeof apiKeyHeader === 'string'
      ? { kind: 'api_key', value: apiKeyHeader.trim() }
      : { kind: 'invalid', why: 'Send one X-API-Key header.' };
  }
  const authorization = request.headers.authorization;
  if (authorization === undefined) return undefined;
  const [scheme = '', value = '', ...rest] = authorization.trim().split(/\s+/);
  if (rest.length > 0 || value === '') return { kind: 'invalid', why: 'The Authorization header is malformed.' };
  switch (scheme.toLowerCase()) {
    case 'api-key':
      return { kind: 'api_key', value };
    case 'bearer':
      return { kind: 'token', value };
    case 'basic': {
      const decoded = /^[A-Za-z0-9+/]+={0,2}$/.test(value) ? Buffer.from(value, 'base64').toString('utf8') : '';
      const colon = decoded.indexOf(':');
      if (colon <= 0)
        return { kind: 'invalid', why: 'HTTP Basic must carry "<api key>:" (the key as username, an empty password).' };
      if (colon !== decoded.length - 1)
        return { kind: 'invalid', why: 'HTTP Basic takes the API key as username and an empty password.' };
      return { kind: 'api_key', value: decoded.slice(0, colon) };
    }
    default:
      return { kind: 'invalid', why: `Unsupported Authorization scheme "${scheme}".` };
  }
}

/** Whether a credential's scopes allow an access; API keys carry every Lumin scope. */
export function scopesAllow(scopes: readonly string[], access: LuminAccess): boolean {
  return access === 'write'
    ? scopes.includes('sign:requests')
    : scopes.includes('sign:requests') || scopes.includes('sign:requests.read');
}

/**
 * Authenticates the caller and checks its scope; unknown, expired and revoked credentials are all
 * 401, and each counts as a failure for the throttle.
 */
export async function authenticateLumin(
  deps: CoreDeps,
  throttle: AuthThrottle,
  request: FastifyRequest,
  access: LuminAccess,
): Promise<LuminCaller> {
  const presented = presentedCredential(request);
  const lookup =
    presented && presented.kind !== 'invalid' ? luminCredentialLookup(presented.kind, presented.value) : undefined;
  const { credential, isKey } = await throttle.guard(request, lookup, async () => {
    if (!presented) throw new CoreError('unauthorized', `Missing credentials. ${MISSING}`);
    if (presented.kind === 'invalid') throw new CoreError('unauthorized', `${presented.why} ${MISSING}`);
    const found =
      presented.kind === 'api_key'
        ? await verifyApiKey(deps, presented.value)
        : await verifyAccessToken(deps, presented.value);
    if (!found)
      throw new CoreError(
        'unauthorized',
        presented.kind === 'api_key' ? 'Invalid API key.' : 'The access token is invalid, expired or revoked.',
      );
    return { credential: found, isKey: presented.kind === 'api_key' };
  });
  if (!scopesAllow(credential.scopes, access)) {
    const needed = access === 'write' ? '"sign:requests"' : '"sign:requests" or "sign:requests.read"';
    throw new CoreError('forbidden', `This access token lacks the scope this endpoint needs: ${needed}.`);
  }
  const userAgent = request.headers['user-agent'];
  return {
    tenantId: credential.tenantId,
    credential,
    context: {
      actor: {
        type: isKey ? 'api_key' : 'integration',
        id: credential.id,
        display: isKey
          ? `Lumin API key (${credential.label ?? credential.id})`
          : `Lumin access token (${credential.label ?? credential.id})`,
      },
      surface: 'lumin',
      ip: request.ip,
      ...(userAgent ? { userAgent: userAgent.slice(0, 512) } : {}),
      httpRequestId: request.id,
    },
  };
}
