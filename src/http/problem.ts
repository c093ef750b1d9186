/**
 * The native API's error format: RFC 9457 application/problem+json with a stable `code` and the
 * request id. One exhaustive code-to-status switch; provider surfaces have their own mappings.
 */
import { ERROR_CODES, type CoreError, type ErrorCode } from '../core/errors.js';

export function nativeStatusFor(code: ErrorCode): number {
  switch (code) {
    case 'not_found':
    case 'route_not_found':
      return 404;
    case 'already_signed':
    case 'already_cancelled':
    case 'declined':
    case 'expired':
    case 'active_session':
    case 'not_your_turn':
    case 'signer_finished':
    case 'session_required':
    case 'cancel_pending':
    case 'conflict':
      return 409;
    case 'validation_failed':
    case 'malformed_request':
    case 'batch_too_large':
      return 400;
    case 'invalid_document':
    case 'idempotency_key_reused':
      return 422;
    case 'document_unavailable':
      return 410;
    case 'unauthorized':
      return 401;
    case 'forbidden':
      return 403;
    case 'payload_too_large':
      return 413;
    case 'unsupported_media_type':
      return 415;
    case 'rate_limited':
    case 'session_limit':
      return 429;
    case 'internal':
      return 500;
  }
}

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: ErrorCode;
  readonly detail: string;
  readonly request_id: string;
  readonly [extension: string]: unknown;
}

export function problemFor(
  error: CoreError,
  requestId: string,
  status = nativeStatusFor(error.code),
  extensions: Record<string, unknown> = {},
): Problem {
  const { issues, status: currentStatus, requestId: _id, cancellation: _c, ...rest } = error.details;
  return {
    type: `/docs#error-${error.code}`,
    title: ERROR_CODES[error.code],
    status,
    code: error.code,
    detail: error.message,
    request_id: requestId,
    ...(issues ? { issues } : {}),
    ...(currentStatus !== undefined ? { current_status: currentStatus } : {}),
    ...rest,
    ...extensions,
  };
}
