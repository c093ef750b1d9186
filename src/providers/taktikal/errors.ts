/**
 * Taktikal's error format: the swagger's ServiceStack `ErrorResponse`
 * `{responseStatus:{errorCode, message, errors:[{errorCode, fieldName, message}], meta}}`, used for
 * every 4xx (and the rare 500). One exhaustive code-to-status switch, as for every surface.
 * Refusals by the request's state are 400 (the seed documents only 204/400/404/500 for cancel).
 */
import type { FastifyError } from 'fastify';
import { CoreError, isCoreError, type ErrorCode } from '../../core/errors.js';
import { wireErrorFor } from '../../http/server.js';

export interface FieldError {
  readonly errorCode: string;
  readonly fieldName: string;
  readonly message: string;
}

export interface ErrorResponse {
  readonly responseStatus: {
    readonly errorCode: string;
    readonly message: string;
    readonly errors: readonly FieldError[];
    readonly meta: Readonly<Record<string, string>>;
  };
}

export function taktikalStatusFor(code: ErrorCode): number {
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
    case 'validation_failed':
    case 'invalid_document':
    case 'malformed_request':
    case 'batch_too_large':
      return 400;
    case 'conflict':
    case 'idempotency_key_reused':
      return 409;
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

/** ServiceStack names its errors after exceptions; ours name the refusal so clients can branch on it. */
function errorCodeFor(code: ErrorCode): string {
  switch (code) {
    case 'not_found':
    case 'route_not_found':
      return 'NotFound';
    case 'already_signed':
      return 'AlreadySigned';
    case 'already_cancelled':
      return 'AlreadyCanceled';
    case 'declined':
      return 'Rejected';
    case 'expired':
      return 'Expired';
    case 'active_session':
      return 'SigningInProgress';
    case 'not_your_turn':
      return 'NotYourTurn';
    case 'signer_finished':
      return 'SigneeFinished';
    case 'session_required':
      return 'SessionRequired';
    case 'cancel_pending':
      return 'CancellationPending';
    case 'rate_limited':
    case 'session_limit':
      return 'TooManyRequests';
    case 'validation_failed':
      return 'ValidationException';
    case 'invalid_document':
      return 'InvalidDocument';
    case 'malformed_request':
      return 'SerializationException';
    case 'batch_too_large':
      return 'TooMany';
    case 'conflict':
      return 'Conflict';
    case 'idempotency_key_reused':
      return 'IdempotencyKeyReused';
    case 'document_unavailable':
      return 'DocumentDeleted';
    case 'unauthorized':
      return 'Unauthorized';
    case 'forbidden':
      return 'Forbidden';
    case 'payload_too_large':
      return 'RequestEntityTooLarge';
    case 'unsupported_media_type':
      return 'UnsupportedMediaType';
    case 'internal':
      return 'InternalServerError';
  }
}

/** Taktikal-side names for the request states a refusal reports. */
const STATE_NAMES: Readonly<Record<string, string>> = {
  completed: 'Completed',
  declined: 'Rejected',
  cancelled: 'Canceled',
  expired: 'Expired',
  pending: 'Created',
  partially_signed: 'PartiallySigned',
};

/** The core's field names in its own validation issues, as a Taktikal client knows them. */
const CORE_FIELD_NAMES: Readonly<Record<string, string>> = {
  signers: 'CreateSignees',
  title: 'PdfFileName',
  expires_at: 'ExpiresAt',
};

function pascalCase(snake: string): string {
  return snake
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/** A validation failure with ServiceStack field errors (the first one names the whole response, as ServiceStack does). */
export function validationError(errors: readonly FieldError[]): CoreError {
  const first = errors[0];
  return new CoreError('validation_failed', first ? first.message : 'The request is not valid.', {
    fieldErrors: errors,
  });
}

export function envelopeFor(error: CoreError, requestId: string): { status: number; body: ErrorResponse } {
  const status = taktikalStatusFor(error.code);
  const details = error.details as {
    fieldErrors?: FieldError[];
    issues?: { path: string; message: string }[];
    status?: string;
    reason?: string;
  };
  let errors: FieldError[] =
    details.fieldErrors ??
    (details.issues ?? []).map((issue) => ({
      errorCode: 'Invalid',
      fieldName: CORE_FIELD_NAMES[issue.path] ?? issue.path,
      message: issue.message,
    }));
  if (error.code === 'invalid_document' && errors.length === 0) {
    errors = [
      { errorCode: pascalCase(details.reason ?? 'invalid_document'), fieldName: 'PdfDocument', message: error.message },
    ];
  }
  const meta: Record<string, string> = { RequestId: requestId };
  if (details.status !== undefined) meta.Status = STATE_NAMES[details.status] ?? details.status;
  const first = errors[0];
  const errorCode = error.code === 'validation_failed' && first ? first.errorCode : errorCodeFor(error.code);
  return { status, body: { responseStatus: { errorCode, message: error.message, errors, meta } } };
}

/** Anything thrown in the surface, as the envelope; unexpected errors become a bare 500 (logged, never shown). */
export function toTaktikalError(error: unknown): { coreError: CoreError; unexpected: boolean } {
  if (isCoreError(error)) return { coreError: error, unexpected: false };
  const wire = wireErrorFor(error as FastifyError);
  if (wire) return { coreError: wire, unexpected: false };
  return { coreError: new CoreError('internal'), unexpected: true };
}
