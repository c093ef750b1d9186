/**
 * KAiZEN's response envelope `{FailRules: [...], Data}` and the one mapping from Countersign's
 * error codes to FailRules items. The documents print three messages verbatim ("Invalid App
 * Token", "No sign request found", "This request is already cancelled"); those are kept exactly.
 * The shape of an item is not documented: we send `{Code, Message}` (plus `Detail` where the
 * documented message alone would mislead), see docs/compat/kaizen.md.
 */
import type { CoreError, ErrorCode } from '../../core/errors.js';

export interface FailRule {
  /** Stable PascalCase identifier, for programs. */
  readonly Code: string;
  /** Human text; the documented messages are reproduced verbatim. */
  readonly Message: string;
  readonly Detail?: string;
}

export interface KaizenEnvelope<T> {
  readonly FailRules: readonly FailRule[];
  readonly Data: T;
}

export const INVALID_APP_TOKEN: FailRule = { Code: 'InvalidAppToken', Message: 'Invalid App Token' };

export function succeeded<T>(data: T): KaizenEnvelope<T> {
  return { FailRules: [], Data: data };
}

/**
 * Business and validation failures answer HTTP 200 with FailRules (the .NET convention the
 * samples show); refusals of the HTTP exchange itself keep their HTTP status.
 */
export function httpStatusFor(code: ErrorCode): number {
  switch (code) {
    case 'malformed_request':
      return 400;
    case 'route_not_found':
      return 404;
    case 'payload_too_large':
      return 413;
    case 'unsupported_media_type':
      return 415;
    case 'rate_limited':
    case 'session_limit':
      return 429;
    case 'internal':
      return 500;
    default:
      return 200;
  }
}

export function failRulesFor(error: CoreError, requestId: string): FailRule[] {
  if (error.code === 'validation_failed' && error.details.issues && error.details.issues.length > 0) {
    return error.details.issues.map((issue) => ({
      Code: 'ValidationFailed',
      Message: `${issue.path}: ${issue.message}`,
    }));
  }
  return [failRuleFor(error, requestId)];
}

function failRuleFor(error: CoreError, requestId: string): FailRule {
  switch (error.code) {
    case 'unauthorized':
    case 'forbidden':
      return INVALID_APP_TOKEN;
    case 'not_found':
      return { Code: 'SignRequestNotFound', Message: 'No sign request found' };
    case 'already_cancelled':
      return { Code: 'AlreadyCancelled', Message: 'This request is already cancelled' };
    case 'already_signed':
      // The documents give this message for a completely signed request; Detail says what happened.
      return {
        Code: 'AlreadySigned',
        Message: 'This request is already cancelled',
        Detail: 'The request is completely signed; a signed request cannot be recalled.',
      };
    case 'declined':
      return { Code: 'Declined', Message: 'This request was declined by a signer and can no longer be recalled' };
    case 'expired':
      return { Code: 'Expired', Message: 'This request has expired' };
    case 'active_session':
      return {
        Code: 'SigningInProgress',
        Message: 'A signer is signing this request right now; try again when the signing session ends',
      };
    case 'not_your_turn':
    case 'signer_finished':
    case 'session_required':
    case 'cancel_pending':
      return { Code: 'InvalidState', Message: error.message };
    case 'rate_limited':
    case 'session_limit':
      return { Code: 'TooManyRequests', Message: error.message };
    case 'validation_failed':
    case 'batch_too_large':
    case 'idempotency_key_reused':
      return { Code: 'ValidationFailed', Message: error.message };
    case 'invalid_document':
      return { Code: 'InvalidDocument', Message: `The document is not an acceptable PDF: ${error.message}` };
    case 'document_unavailable':
      return { Code: 'DocumentUnavailable', Message: error.message };
    case 'conflict':
      return { Code: 'Conflict', Message: 'The request changed while this call was processed; try again' };
    case 'malformed_request':
      return { Code: 'MalformedRequest', Message: error.message };
    case 'payload_too_large':
      return { Code: 'PayloadTooLarge', Message: 'The request body is larger than this function accepts' };
    case 'unsupported_media_type':
      return { Code: 'UnsupportedMediaType', Message: 'Send the body as JSON with Content-Type: application/json' };
    case 'route_not_found':
      return { Code: 'FunctionNotFound', Message: error.message };
    case 'internal':
      return { Code: 'InternalError', Message: `Something went wrong on our side (request id ${requestId})` };
  }
}
