/** Reading the two forms of "create": JSON with base64, or multipart with a file part. */
import type { FastifyRequest } from 'fastify';
import { CoreError } from '../../core/errors.js';
import { decodeBase64Document, InvalidDocumentError } from '../../documents/pdf.js';

export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

export function decodeDocument(base64: string): Uint8Array {
  try {
    return decodeBase64Document(base64, MAX_DOCUMENT_BYTES);
  } catch (error) {
    if (error instanceof InvalidDocumentError) {
      throw new CoreError('validation_failed', error.message, {
        issues: [{ path: 'body.document.content_base64', message: error.message }],
      });
    }
    throw error;
  }
}

/** Multipart: text fields as in JSON (`signers` as a JSON string), the PDF as file part `document`. */
export async function readCreateForm(
  request: FastifyRequest,
): Promise<{ fields: Record<string, unknown>; file: Uint8Array }> {
  const fields: Record<string, unknown> = {};
  let file: { filename: string; bytes: Uint8Array } | undefined;
  try {
    for await (const part of request.parts({
      limits: { fileSize: MAX_DOCUMENT_BYTES, files: 1, fields: 20, fieldSize: 256 * 1024 },
    })) {
      if (part.type === 'file') {
        if (part.fieldname !== 'document')
          throw new CoreError(
            'validation_failed',
            `Unexpected file part "${part.fieldname}"; send the PDF as "document".`,
          );
        const bytes = await part.toBuffer();
        if (part.file.truncated) throw new CoreError('payload_too_large', 'The document is larger than 10 MiB.');
        file = { filename: part.filename || 'document.pdf', bytes };
      } else {
        fields[part.fieldname] = part.value;
      }
    }
  } catch (error) {
    if (error instanceof CoreError) throw error;
    const code = (error as { code?: string }).code ?? '';
    if (code === 'FST_REQ_FILE_TOO_LARGE')
      throw new CoreError('payload_too_large', 'The document is larger than 10 MiB.');
    throw new CoreError('malformed_request', 'The multipart body could not be read.');
  }
  if (!file)
    throw new CoreError('validation_failed', 'Missing file part "document".', {
      issues: [{ path: 'body.document', message: 'Required' }],
    });
  let signers: unknown = fields.signers;
  if (typeof signers === 'string') {
    try {
      signers = JSON.parse(signers);
    } catch {
      throw new CoreError('validation_failed', 'Field "signers" must be a JSON array.', {
        issues: [{ path: 'body.signers', message: 'Not JSON' }],
      });
    }
  }
  return {
    fields: { ...fields, signers, document: { filename: file.filename, content_base64: 'multipart' } },
    file: file.bytes,
  };
}
