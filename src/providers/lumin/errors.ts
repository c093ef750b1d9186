/**
 * Lumin's error envelope, `{error_code, error_message}` (the spec's `Error` schema, both required),
 * and the one mapping from the core's closed code list to Lumin statuses and codes. Lumin publishes
 * no catalogue of `error_code` values, so the codes below are ours (UPPER_SNAKE like Lumin's enums);
 * docs/compat/lumin.md lists them.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CoreError, isCoreError, type ErrorCode } from '../../core/errors.js';
import { wireErrorFor } from '../../http/server.js';

export interface LuminErrorBody {
  readonly error_code: string;
  readonly error_message: string;
}

/** Surface-specific refusals that share a core code but deserve their own Lumin code. */
export const LUMIN_ERROR_CODES = {
  FILE_URL_NOT_SUPPORTED: 'file_url and file_urls are not fetched by this server; upload the PDF as `file` instead.',
  MULTIPLE_FILES_NOT_SUPPORTED:
    'A signature request holds exactly one PDF; send one `file` (or `files` with one item).',
  VIEWERS_NOT_SUPPORTED: 'Viewers are not supported; leave `viewers` out or empty.',
  TEXT_TAGS_NOT_SUPPORTED: 'Text tags are not supported; leave `use_text_tags` out or false.',
  SIGNER_VERIFICATION_NOT_SUPPORTED: 'Signer identity verification is not supported; leave `verification` out.',
  INVALID_BASE64: 'The file is not valid base64.',
} as const;
export type LuminErrorCode = keyof typeof LUMIN_ERROR_CODES;

/** A refusal with a Lumin-specific code; the core code picks the HTTP status. */
export function luminRefusal(
  code: LuminErrorCode,
  coreCode: ErrorCode = 'validation_failed',
  message: string = LUMIN_ERROR_CODES[code],
): CoreError {
  return new CoreError(coreCode, message, { luminErrorCode: code });
}

/** HTTP status and Lumin error_code for each core code. State refusals are 409 (see docs/compat/lumin.md). */
export function luminStatusFor(code: ErrorCode): { status: number; errorCode: string } {
  switch (code) {
    case 'not_found':
      return { status: 404, errorCode: 'SIGNATURE_REQUEST_NOT_FOUND' };
    case 'route_not_found':
      return { status: 404, errorCode: 'NOT_FOUND' };
    case 'already_signed':
      return { status: 409, errorCode: 'SIGNATURE_REQUEST_ALREADY_SIGNED' };
    case 'already_cancelled':
      return { status: 409, errorCode: 'SIGNATURE_REQUEST_ALREADY_CANCELLED' };
    case 'declined':
      return { status: 409, errorCode: 'SIGNATURE_REQUEST_REJECTED' };
    case 'expired':
      return { status: 409, errorCode: 'SIGNATURE_REQUEST_EXPIRED' };
    case 'active_session':
      return { status: 409, errorCode: 'SIGNING_IN_PROGRESS' };
    case 'not_your_turn':
    case 'signer_finished':
    case 'session_required':
    case 'cancel_pending':
      return { status: 409, errorCode: 'INVALID_SIGNER_STATE' };
    case 'rate_limited':
    case 'session_limit':
      return { status: 429, errorCode: 'TOO_MANY_REQUESTS' };
    case 'conflict':
      return { status: 409, errorCode: 'CONFLICT' };
    case 'validation_failed':
      return { status: 400, errorCode: 'VALIDATION_ERROR' };
    case 'malformed_request':
      return { status: 400, errorCode: 'INVALID_REQUEST_BODY' };
    case 'batch_too_large':
      return { status: 400, errorCode: 'BATCH_TOO_LARGE' };
    case 'invalid_document':
      return { status: 400, errorCode: 'INVALID_FILE' };
    case 'idempotency_key_reused':
      return { status: 422, errorCode: 'IDEMPOTENCY_KEY_REUSED' };
    case 'document_unavailable':
      return { status: 410, errorCode: 'FILE_UNAVAILABLE' };
    case 'unauthorized':
      return { status: 401, errorCode: 'UNAUTHORIZED' };
    case 'forbidden':
      return { status: 403, errorCode: 'INSUFFICIENT_SCOPE' };
    case 'payload_too_large':
      return { status: 413, errorCode: 'PAYLOAD_TOO_LARGE' };
    case 'unsupported_media_type':
      return { status: 415, errorCode: 'UNSUPPORTED_MEDIA_TYPE' };
    case 'internal':
      return { status: 500, errorCode: 'INTERNAL_ERROR' };
  }
}

/** The status and envelope for a core error; validation issues are spelled out in the message. */
export function luminErrorFor(error: CoreError): { status: number; body: LuminErrorBody } {
  const { status, errorCode } = luminStatusFor(error.code);
  const override = error.details.luminErrorCode;
  const issues = error.details.issues ?? [];
  const detail = issues.map((issue) => ` ${issue.path}: ${issue.message.replace(/\.$/, '')}.`).join('');
  return {
    status,
    body: {
      error_code: typeof override === 'string' ? override : errorCode,
      error_message: `${error.message}${detail}`,
    },
  };
}

async function sendLuminError(reply: FastifyReply, error: CoreError): Promise<FastifyReply> {
  const { status, body } = luminErrorFor(error);
  return reply.code(status).type('application/json').send(body);
}

/** Every failure inside the Lumin scope answers the Lumin envelope; internals are only logged. */
export function installLuminErrorHandling(scope: FastifyInstance): void {
  scope.setErrorHandler(async (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const coreError = isCoreError(error) ? error : wireErrorFor(error);
    if (coreError) return sendLuminError(reply, coreError);
    request.log.error({ err: error }, 'unhandled error in the Lumin surface');
    return sendLuminError(
      reply,
      new CoreError('internal', `Something went wrong on our side (request ${request.id}).`),
    );
  });
  scope.setNotFoundHandler(async (request, reply) =>
    sendLuminError(
      reply,
      new CoreError('route_not_found', `No endpoint ${request.method} ${request.url.split('?')[0]}.`),
    ),
  );
}
