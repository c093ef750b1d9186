/** Decoding a provider's base64 document field: a refused upload becomes the core's `invalid_document`. */
import { CoreError } from '../core/errors.js';
import { DEFAULT_MAX_DOCUMENT_BYTES, decodeBase64Document, InvalidDocumentError } from '../documents/pdf.js';

export function decodeBase64Pdf(base64: string, maxBytes = DEFAULT_MAX_DOCUMENT_BYTES): Uint8Array {
  try {
    return decodeBase64Document(base64, maxBytes);
  } catch (error) {
    if (error instanceof InvalidDocumentError)
      throw new CoreError('invalid_document', error.message, { reason: error.reason });
    throw error;
  }
}
