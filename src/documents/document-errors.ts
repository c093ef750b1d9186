/** What the document utilities refuse, as one error type with a closed list of reasons. */

export const DEFAULT_MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

/**
 * Why a document was refused. Closed list:
 * - `not_pdf`: the bytes do not start with `%PDF-` (this includes empty input);
 * - `unreadable`: the structure cannot be parsed, is truncated (no final `%%EOF`) or inconsistent;
 * - `encrypted`: the document is password-protected or otherwise encrypted;
 * - `empty`: the document has no pages;
 * - `too_large`: above the size limit, or an internal stream inflates beyond its budget;
 * - `bad_base64`: the upload is not strict base64 (see `decodeBase64Document`).
 */
export const INVALID_DOCUMENT_REASONS = [
  'not_pdf',
  'unreadable',
  'encrypted',
  'empty',
  'too_large',
  'bad_base64',
] as const;
export type InvalidDocumentReason = (typeof INVALID_DOCUMENT_REASONS)[number];

export class InvalidDocumentError extends Error {
  override readonly name = 'InvalidDocumentError';
  readonly reason: InvalidDocumentReason;

  constructor(reason: InvalidDocumentReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }
}

export function assertPositiveInteger(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
}
