/**
 * Every answer an operation can give, for /openapi.json: the route's own responses plus the ones
 * that follow from its shape, derived here once so that no route can forget them (and routes added
 * later get them too). The shape decides:
 * - every operation: 400 (an unreadable request or URL is malformed_request; validated input adds validation_failed);
 * - `scope` (API key): 401, 403, and 429 rate_limited with Retry-After;
 * - `tokenAuthenticated` (a signing link): 429 rate_limited with Retry-After (failed tokens are throttled);
 * - a method that carries a body: 413 and 415 (the native scope parses JSON and multipart only);
 * - a path parameter: 404;
 * - an Idempotency-Key header: 422 idempotency_key_reused, and Idempotent-Replayed on success.
 * An error response's problem `code` is an enum of the codes its status carries (src/http/problem.ts),
 * plus any the route names for a status it overrides (the signing link's 410 already_cancelled).
 */
import { ERROR_CODES, type ErrorCode } from '../core/errors.js';
import { nativeStatusFor } from './problem.js';
import type { AnyRoute, ResponseHeader, RouteResponse } from './route.js';

export interface DocumentedResponse extends RouteResponse {
  /** For status >= 400: the problem codes this response may carry. */
  readonly codes: readonly ErrorCode[];
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const RETRY_AFTER: Record<string, ResponseHeader> = {
  'Retry-After': {
    description: 'Seconds to wait before trying again.',
    required: true,
    schema: { type: 'string', pattern: '^[0-9]+$' },
  },
};
const REPLAYED: Record<string, ResponseHeader> = {
  'Idempotent-Replayed': {
    description: '`true` when this is the stored answer to an earlier call with the same Idempotency-Key.',
    schema: { type: 'string', enum: ['true'] },
  },
};

/** The codes each native status carries, from the one code-to-status switch. */
export function codesForStatus(status: number): ErrorCode[] {
  return (Object.keys(ERROR_CODES) as ErrorCode[]).filter((code) => nativeStatusFor(code) === status);
}

function isIdempotent(route: AnyRoute): boolean {
  return Object.keys(route.headers ?? {}).some((name) => name.toLowerCase() === 'idempotency-key');
}

function commonResponses(route: AnyRoute): Record<number, RouteResponse> {
  const validates = Boolean(route.body || route.query || route.params || isIdempotent(route));
  const common: Record<number, RouteResponse> = {
    400: {
      description: validates
        ? 'Invalid input (validation_failed) or an unreadable request (malformed_request)'
        : 'An unreadable request or URL (malformed_request)',
    },
  };
  if (route.scope) {
    common[401] = { description: 'Missing, malformed or unknown API key (unauthorized)' };
    common[403] = { description: `The key lacks the "${route.scope}" scope (forbidden)` };
    common[429] = {
      description: 'Too many failed authentications from this client (rate_limited)',
      headers: RETRY_AFTER,
    };
  }
  if (route.tokenAuthenticated) {
    common[429] = {
      description: 'Too many unknown or forged links from this client (rate_limited)',
      headers: RETRY_AFTER,
    };
  }
  if (BODY_METHODS.has(route.method)) {
    common[413] = { description: 'The body is larger than this endpoint accepts (payload_too_large)' };
    common[415] = { description: 'A Content-Type this endpoint does not accept (unsupported_media_type)' };
  }
  if (/\{\w+\}/.test(route.path)) common[404] = { description: "Not found, or another tenant's (not_found)" };
  if (isIdempotent(route))
    common[422] = { description: 'The Idempotency-Key was used with a different request (idempotency_key_reused)' };
  return common;
}

export function deriveResponses(route: AnyRoute): Record<number, DocumentedResponse> {
  const merged: Record<number, DocumentedResponse> = {};
  const common = commonResponses(route);
  for (const status of new Set([...Object.keys(common), ...Object.keys(route.responses)].map(Number))) {
    const own = route.responses[status];
    const response = { ...common[status], ...own } as RouteResponse;
    const headers = {
      ...common[status]?.headers,
      ...own?.headers,
      ...(status < 300 && isIdempotent(route) ? REPLAYED : {}),
    };
    merged[status] = {
      ...response,
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
      codes: status >= 400 ? [...new Set([...codesForStatus(status), ...(own?.codes ?? [])])] : [],
    };
  }
  return Object.fromEntries(Object.entries(merged).sort(([a], [b]) => Number(a) - Number(b)));
}
