/**
 * The closed list of error codes of Countersign. Every surface maps these codes, and only these,
 * to its own wire format (src/http/v1/problem.ts for the native API, one mapping per provider).
 * Adding a code means adding a case to every mapping: the exhaustive switches make tsc say where.
 */
export const ERROR_CODES = {
  not_found: 'The resource does not exist or is not visible to the caller.',
  already_signed: 'The request is completed: every signer has signed.',
  already_cancelled: 'The request has already been cancelled.',
  declined: 'A signer declined the request; it can no longer change.',
  expired: 'The request expired before it was completed.',
  active_session: 'A signer has an active sign session ("Proceed to Sign" was pressed).',
  not_your_turn: 'Signers with a lower order must sign first.',
  signer_finished: 'This signer has already signed or declined.',
  session_required: 'Press "Proceed to Sign" first: there is no active sign session.',
  cancel_pending: 'The sender is withdrawing this request: no new sign session may start.',
  session_limit: 'This signer has started too many sign sessions on this request; wait before starting another.',
  validation_failed: 'The input is not valid.',
  invalid_document: 'The document is not an acceptable PDF.',
  document_unavailable: 'The document was purged and its bytes are gone.',
  idempotency_key_reused: 'The Idempotency-Key was used before with a different request.',
  unauthorized: 'Missing, malformed, expired or unknown credentials.',
  forbidden: 'The credentials lack the scope this operation needs.',
  batch_too_large: 'A batch may hold at most 10,000 requests.',
  conflict: 'The resource changed concurrently; retry.',
  // Wire-level refusals, raised by the HTTP edge before any use case runs.
  malformed_request: 'The request could not be read (malformed JSON, bad multipart, empty body).',
  payload_too_large: 'The request body is larger than this endpoint accepts.',
  unsupported_media_type: 'This endpoint does not accept that Content-Type.',
  route_not_found: 'There is no such endpoint.',
  rate_limited: 'Too many requests or failed authentications from this client; retry after the time in Retry-After.',
  internal: 'Something went wrong on our side; the request id identifies it in the logs.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorDetails {
  /** Current state of the request, when the refusal is about its state. */
  readonly status?: string;
  readonly requestId?: string;
  readonly issues?: readonly { path: string; message: string }[];
  readonly [key: string]: unknown;
}

export class CoreError extends Error {
  override readonly name = 'CoreError';
  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_CODES[code],
    readonly details: ErrorDetails = {},
  ) {
    super(message);
  }
}

export function isCoreError(error: unknown): error is CoreError {
  return error instanceof CoreError;
}

export function notFound(what = 'Signature request'): CoreError {
  return new CoreError('not_found', `${what} not found.`);
}
