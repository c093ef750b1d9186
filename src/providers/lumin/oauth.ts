/**
 * `POST /lumin/oauth2/token`: the OAuth 2.0 client-credentials grant (RFC 6749 §4.4) for apps
 * registered with `countersign lumin-app create`. Lumin itself documents the authorization-code
 * flow for third-party apps; a self-hosted server has no Lumin login, so registered apps trade
 * their client credentials for the same scoped Bearer tokens (docs/compat/lumin.md).
 * Errors follow RFC 6749 §5.2: `{error, error_description}`.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isCoreError } from '../../core/errors.js';
import type { AuthThrottle } from '../../http/throttle/auth-throttle.js';
import type { SurfaceContext } from '../surface.js';
import {
  DEFAULT_TOKEN_TTL_SECONDS,
  issueAccessToken,
  luminAppLookup,
  parseScopes,
  verifyAppClient,
} from './credentials.js';

type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'server_error'
  | 'temporarily_unavailable';

class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    readonly status = 400,
    readonly challenge = false,
  ) {
    super(description);
  }
}

const FORM_LIMIT = 8 * 1024;

function sendOAuthError(reply: FastifyReply, error: OAuthError): FastifyReply {
  void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
  // RFC 6749 §5.2: a client that tried HTTP Basic gets the challenge back with its 401.
  if (error.challenge) void reply.header('www-authenticate', 'Basic realm="lumin", charset="UTF-8"');
  return reply
    .code(error.status)
    .type('application/json')
    .send({ error: error.error, error_description: error.description });
}

/** One value per parameter: RFC 6749 §3.2 forbids repeating one. */
function formParams(body: unknown): Map<string, string> {
  if (!(body instanceof URLSearchParams))
    throw new OAuthError('invalid_request', 'Send the parameters as application/x-www-form-urlencoded.');
  const params = new Map<string, string>();
  for (const [name, value] of body) {
    if (params.has(name)) throw new OAuthError('invalid_request', `Parameter "${name}" is repeated.`);
    params.set(name, value);
  }
  return params;
}

function formDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new OAuthError('invalid_client', 'The HTTP Basic credentials are malformed.', 401, true);
  }
}

/** Client credentials from HTTP Basic (form-encoded id and secret, RFC 6749 §2.3.1) or the body. */
function clientCredentials(
  request: FastifyRequest,
  params: Map<string, string>,
): { id: string; secret: string; viaBasic: boolean } {
  const header = request.headers.authorization;
  const basic = header === undefined ? undefined : /^Basic\s+([A-Za-z0-9+/]+={0,2})$/i.exec(header.trim());
  if (header !== undefined && !basic)
    throw new OAuthError(
      'invalid_client',
      'Only HTTP Basic client authentication is supported in the Authorization header.',
      401,
      true,
    );
  if (basic) {
    if (params.has('client_secret'))
      throw new OAuthError('invalid_request', 'Authenticate the client one way only: HTTP Basic or client_secret.');
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new OAuthError('invalid_client', 'The HTTP Basic credentials are malformed.', 401, true);
    const id = formDecode(decoded.slice(0, colon));
    if (params.has('client_id') && params.get('client_id') !== id)
      throw new OAuthError('invalid_request', 'client_id differs from the HTTP Basic username.');
    return { id, secret: formDecode(decoded.slice(colon + 1)), viaBasic: true };
  }
  const id = params.get('client_id');
  const secret = params.get('client_secret');
  if (!id || !secret)
    throw new OAuthError(
      'invalid_client',
      'Client authentication is required: HTTP Basic, or client_id and client_secret.',
      401,
    );
  return { id, secret, viaBasic: false };
}

/** A wrong client secret (or a malformed or missing client authentication) is a failed authentication for the throttle. */
const isClientFailure = (error: unknown) => error instanceof OAuthError && error.error === 'invalid_client';

/** The client_id an HTTP Basic header names, read only to key the throttle (clientCredentials validates it). */
function basicUser(request: FastifyRequest): string | undefined {
  const basic = /^Basic\s+([A-Za-z0-9+/]+={0,2})$/i.exec(request.headers.authorization?.trim() ?? '');
  if (!basic) return undefined;
  const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(0, colon);
}

export function registerOAuthRoutes(scope: FastifyInstance, { deps }: SurfaceContext, throttle: AuthThrottle): void {
  scope.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: FORM_LIMIT },
    (_request, body, done) => {
      done(null, new URLSearchParams(body as string));
    },
  );
  scope.setErrorHandler(async (error: FastifyError | OAuthError, request, reply) => {
    if (error instanceof OAuthError) return sendOAuthError(reply, error);
    // RFC 6749 has no code for throttling; temporarily_unavailable (§4.1.2.1) is the closest, with 429 and Retry-After.
    if (isCoreError(error) && error.code === 'rate_limited')
      return sendOAuthError(reply, new OAuthError('temporarily_unavailable', error.message, 429));
    const status = (error as FastifyError).statusCode ?? 500;
    if (status >= 400 && status < 500)
      return sendOAuthError(
        reply,
        new OAuthError(
          'invalid_request',
          'The request could not be read; send a small application/x-www-form-urlencoded body.',
        ),
      );
    request.log.error({ err: error }, 'unhandled error in the Lumin token endpoint');
    return sendOAuthError(reply, new OAuthError('server_error', 'Something went wrong on our side.', 500));
  });
  scope.setNotFoundHandler(async (_request, reply) =>
    sendOAuthError(
      reply,
      new OAuthError('invalid_request', 'No such endpoint; the token endpoint is POST /lumin/oauth2/token.', 404),
    ),
  );

  scope.post('/token', { bodyLimit: FORM_LIMIT }, async (request, reply) => {
    const params = formParams(request.body);
    const grantType = params.get('grant_type');
    if (!grantType) throw new OAuthError('invalid_request', 'grant_type is required.');
    if (grantType !== 'client_credentials')
      throw new OAuthError('unsupported_grant_type', 'Only grant_type=client_credentials is supported.');
    const named = params.get('client_id') ?? basicUser(request);
    const { client, app } = await throttle.guard(
      request,
      named === undefined ? undefined : luminAppLookup(named),
      async () => {
        const presented = clientCredentials(request, params);
        const found = await verifyAppClient(deps, presented.id, presented.secret);
        if (!found)
          throw new OAuthError('invalid_client', 'Unknown client or wrong client secret.', 401, presented.viaBasic);
        return { client: presented, app: found };
      },
      isClientFailure,
    );
    const requested = params.get('scope');
    const scopes = requested === undefined ? parseScopes(app.scopes.join(' ')) : parseScopes(requested);
    if (!scopes || !scopes.every((scope) => app.scopes.includes(scope))) {
      throw new OAuthError(
        'invalid_scope',
        `Unknown or not allowed scope. This client may request: ${app.scopes.join(' ')}.`,
      );
    }
    const token = await issueAccessToken(deps, app.tenantId, scopes, DEFAULT_TOKEN_TTL_SECONDS, `app ${client.id}`);
    if (!token) throw new OAuthError('invalid_client', 'Unknown client or wrong client secret.', 401, client.viaBasic);
    void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    return reply.code(200).send({
      access_token: token.access_token,
      token_type: token.token_type,
      expires_in: token.expires_in,
      scope: token.scope,
    });
  });
}
