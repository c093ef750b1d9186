/**
 * The Singpass Sign v3 error envelope, `{error, error_description}` (the Sign v3 pages print no
 * other member; the request id travels in the `x-request-id` header), and the one mapping from
 * the core's closed code list to Singpass statuses and codes. Singpass documents every refusal as
 * 400; the state codes and their descriptions below are the documented ones, verbatim.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CoreError, isCoreError, type ErrorCode } from '../../core/errors.js';
import { wireErrorFor } from '../../http/server.js';
import { RpTokenError } from './rp-token-verifier.js';

export interface SingpassErrorBody {
  readonly error: string;
  readonly error_description: string;
}

/** Endpoint-specific codes. Documented except REQUEST_CANCELLED and REQUEST_DECLINED (ours, see docs/compat/singpass.md). */
export const SINGPASS_ERRORS = {
  UNAUTHORIZED: 'Unauthorized.', // mockpass's body for any bad token; Singpass documents none
  ACTIVE_SESSION_ONGOING: 'Request cannot be cancelled due to an active sign session',
  DOCUMENT_ALREADY_SIGNED: 'Document has already been signed',
  REQUEST_ALREADY_CANCELLED: 'Document has already been cancelled',
  DOCUMENT_NOT_SIGNED: 'The document has not been signed yet',
  REQUEST_EXPIRED: 'The sign request has expired without the document being signed',
  SIGNED_ACCESS_EXPIRED: 'The signed document can no longer be retrieved',
  REQUEST_CANCELLED: 'The sign request has been cancelled',
  REQUEST_DECLINED: 'The sign request has been declined by the signer',
} as const;
export type SingpassErrorCode = keyof typeof SINGPASS_ERRORS;

/** A refusal with a Singpass-specific code; the core code picks the HTTP status. */
export function singpassRefusal(
  code: SingpassErrorCode,
  coreCode: ErrorCode = 'validation_failed',
  description: string = SINGPASS_ERRORS[code],
): CoreError {
  return new CoreError(coreCode, description, { singpassError: code });
}

/** HTTP status and Singpass code per core code; undefined description = the core error's message. */
export function singpassStatusFor(code: ErrorCode): { status: number; error: string; description?: string } {
  switch (code) {
    case 'not_found':
      return { status: 400, error: 'CLIENT_SIDE_ERROR', description: 'No record found' };
    case 'already_signed':
      return { status: 400, error: 'DOCUMENT_ALREADY_SIGNED', description: SINGPASS_ERRORS.DOCUMENT_ALREADY_SIGNED };
    case 'already_cancelled':
      return {
        status: 400,
        error: 'REQUEST_ALREADY_CANCELLED',
        description: SINGPASS_ERRORS.REQUEST_ALREADY_CANCELLED,
      };
    case 'active_session':
      return { status: 400, error: 'ACTIVE_SESSION_ONGOING', description: SINGPASS_ERRORS.ACTIVE_SESSION_ONGOING };
    case 'declined':
      return { status: 400, error: 'REQUEST_DECLINED', description: SINGPASS_ERRORS.REQUEST_DECLINED };
    case 'expired':
      return { status: 400, error: 'REQUEST_EXPIRED', description: SINGPASS_ERRORS.REQUEST_EXPIRED };
    case 'document_unavailable':
      return { status: 400, error: 'SIGNED_ACCESS_EXPIRED', description: SINGPASS_ERRORS.SIGNED_ACCESS_EXPIRED };
    case 'unauthorized':
    case 'forbidden':
      return { status: 400, error: 'UNAUTHORIZED', description: SINGPASS_ERRORS.UNAUTHORIZED };
    case 'not_your_turn':
    case 'signer_finished':
    case 'session_required':
    case 'cancel_pending':
    case 'idempotency_key_reused':
      return { status: 400, error: 'CLIENT_SIDE_ERROR' };
    case 'rate_limited':
    case 'session_limit':
      return { status: 429, error: 'TOO_MANY_REQUESTS' };
    case 'validation_failed':
    case 'malformed_request':
    case 'unsupported_media_type':
    case 'invalid_document':
    case 'batch_too_large':
      return { status: 400, error: 'ARGUMENTS_NOT_VALID' };
    case 'payload_too_large':
      return { status: 413, error: 'ARGUMENTS_NOT_VALID', description: 'The document must be at most 10 MiB.' };
    case 'route_not_found':
      return { status: 404, error: 'CLIENT_SIDE_ERROR' };
    case 'conflict':
      return { status: 409, error: 'CONFLICT' };
    case 'internal':
      return { status: 500, error: 'SERVER_SIDE_ERROR' };
  }
}

export function singpassErrorFor(error: CoreError): { status: number; body: SingpassErrorBody } {
  const mapped = singpassStatusFor(error.code);
  const override = error.details.singpassError;
  if (typeof override === 'string')
    return { status: mapped.status, body: { error: override, error_description: error.message } };
  const issues = error.details.issues ?? [];
  const detail = issues.map((issue) => ` ${issue.path}: ${issue.message.replace(/\.$/, '')}.`).join('');
  return {
    status: mapped.status,
    body: { error: mapped.error, error_description: mapped.description ?? `${error.message}${detail}` },
  };
}

function send(reply: FastifyReply, error: CoreError): FastifyReply {
  const { status, body } = singpassErrorFor(error);
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}

/** Every failure inside the Singpass scope answers the Singpass envelope; internals are only logged. */
export function installSingpassErrorHandling(scope: FastifyInstance): void {
  scope.setErrorHandler(async (error: FastifyError | RpTokenError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof RpTokenError) {
      // One answer for every token failure (no oracle); the reason is logged for the operator.
      request.log.info({ reason: error.reason, detail: error.message }, 'singpass RP token refused');
      return send(reply, new CoreError('unauthorized'));
    }
    const coreError = isCoreError(error) ? error : wireErrorFor(error);
    if (coreError?.code === 'unsupported_media_type') {
      return send(
        reply,
        new CoreError(
          'unsupported_media_type',
          'Content-Type not accepted: POST /sign-requests takes the PDF as application/octet-stream; the other endpoints take no body.',
        ),
      );
    }
    if (coreError) return send(reply, coreError);
    request.log.error({ err: error }, 'unhandled error in the Singpass surface');
    return send(reply, new CoreError('internal', `Something went wrong on our side (request ${request.id}).`));
  });
  scope.setNotFoundHandler(async (request, reply) =>
    send(reply, new CoreError('route_not_found', `No endpoint ${request.method} ${request.url.split('?')[0]}.`)),
  );
}
