/**
 * Auco's error answers. The documents give only the statuses (400: missing parameters or failed
 * validations, "Document not found"; 401: invalid or missing authentication), not the body; ours
 * is `{message, code, requestId, errors?}` with UPPER_SNAKE codes in the style of the one code
 * seen in the wild (`USER_NOTFOUND`). See docs/compat/auco.md.
 */
import type { CoreError, ErrorCode } from '../../core/errors.js';

export interface AucoErrorBody {
  readonly message: string;
  readonly code: string;
  readonly requestId: string;
  readonly errors?: readonly { field: string; message: string }[];
}

export function aucoError(error: CoreError, requestId: string): { status: number; body: AucoErrorBody } {
  const [status, code] = statusAndCode(error.code);
  const issues = error.details.issues;
  return {
    status,
    body: {
      message: error.code === 'internal' ? 'Something went wrong on our side; quote the requestId.' : error.message,
      code,
      requestId,
      ...(issues && issues.length > 0
        ? { errors: issues.map((issue) => ({ field: issue.path, message: issue.message })) }
        : {}),
    },
  };
}

function statusAndCode(code: ErrorCode): [number, string] {
  switch (code) {
    case 'validation_failed':
    case 'batch_too_large':
    case 'idempotency_key_reused':
      return [400, 'INVALID_PARAMETERS'];
    case 'malformed_request':
      return [400, 'MALFORMED_REQUEST'];
    case 'not_found':
      return [400, 'DOCUMENT_NOTFOUND'];
    case 'invalid_document':
      return [400, 'INVALID_FILE'];
    case 'document_unavailable':
      return [400, 'FILE_UNAVAILABLE'];
    case 'already_signed':
    case 'already_cancelled':
    case 'declined':
    case 'expired':
    case 'active_session':
    case 'not_your_turn':
    case 'signer_finished':
    case 'session_required':
    case 'cancel_pending':
      return [400, 'INVALID_DOCUMENT_STATUS'];
    case 'rate_limited':
    case 'session_limit':
      return [429, 'TOO_MANY_REQUESTS'];
    case 'unauthorized':
    case 'forbidden':
      return [401, 'UNAUTHORIZED'];
    case 'conflict':
      return [409, 'CONFLICT'];
    case 'payload_too_large':
      return [413, 'PAYLOAD_TOO_LARGE'];
    case 'unsupported_media_type':
      return [415, 'UNSUPPORTED_MEDIA_TYPE'];
    case 'route_not_found':
      return [404, 'NOT_FOUND'];
    case 'internal':
      return [500, 'INTERNAL_ERROR'];
  }
}
