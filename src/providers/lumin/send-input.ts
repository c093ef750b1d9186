/**
 * `POST /signature_request/send` input: SignatureRequestDTO as JSON (files as base64 strings, since
 * JSON has no binary) or multipart/form-data (bracket-notation fields, file part `file` or
 * `files[i]`). Both forms meet one zod schema, then the choices of docs/compat/lumin.md:
 * uploads only (file_url is never fetched), one PDF per request, no viewers/text tags/verification.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CoreError } from '../../core/errors.js';
import { MAX_SIGNERS } from '../../core/use-cases/create-signature-request.js';
import { decodeBase64Document, InvalidDocumentError, DEFAULT_MAX_DOCUMENT_BYTES } from '../../documents/pdf.js';
import { luminRefusal } from './errors.js';
import { unflattenFormFields } from './form-fields.js';

/** `group` arrives as a number (the DTO example) or a numeric string (the Signer schema, forms). */
const group = z
  .union([
    z.number(),
    z
      .string()
      .regex(/^\d{1,4}$/, 'Must be a whole number')
      .transform(Number),
  ])
  .pipe(z.number().int('Must be a whole number').min(1).max(1000));

const signer = z.strictObject({
  email_address: z.email().max(320),
  name: z.string().trim().min(1).max(200),
  group: group.optional(),
  verification: z.unknown().optional(),
});

const viewer = z.strictObject({ email_address: z.email().max(320), name: z.string().max(200) });

export const sendBody = z.strictObject({
  title: z.string().min(1).max(255),
  expires_at: z.number().int('Must be an integer: epoch milliseconds').describe('epoch ms, in the future'),
  signers: z.array(signer).min(1).max(MAX_SIGNERS),
  viewers: z.array(viewer).max(MAX_SIGNERS).optional(),
  file: z.string().optional(),
  files: z.array(z.string()).optional(),
  file_url: z.string().max(4096).optional(),
  file_urls: z.array(z.string().max(4096)).max(100).optional(),
  use_text_tags: z.boolean().optional(),
  signing_type: z.enum(['SAME_TIME', 'ORDER']).optional(),
  custom_email: z
    .strictObject({
      sender_email: z.email().max(320).optional(),
      subject_name: z.string().max(255).optional(),
      title: z.string().max(255).optional(),
    })
    .optional(),
});
type SendBody = z.infer<typeof sendBody>;

export interface SendCommand {
  readonly title: string;
  readonly expiresAt: number;
  readonly signers: readonly { name: string; email: string; order: number }[];
  readonly ownerEmail: string | null;
  readonly document: { readonly filename: string; readonly bytes: Uint8Array };
}

interface UploadedFile {
  readonly filename: string;
  readonly bytes: Uint8Array;
}

export async function readSendCommand(request: FastifyRequest): Promise<SendCommand> {
  if (request.isMultipart()) {
    const form = await readForm(request);
    if (form.fields.file !== undefined || form.fields.files !== undefined) {
      throw new CoreError('validation_failed', 'In a multipart form, send the PDF as a file part named "file".', {
        issues: [{ path: 'file', message: 'Must be a file part, not text' }],
      });
    }
    const body = parseBody(form.fields);
    assertSupported(body, form.files.length);
    return toCommand(body, form.files[0]!);
  }
  const body = parseBody(request.body ?? null);
  const encoded = [...(body.file !== undefined ? [body.file] : []), ...(body.files ?? [])];
  // Every rule is checked before the (up to 10 MiB) file is decoded.
  assertSupported(body, encoded.length);
  return toCommand(body, { filename: 'document.pdf', bytes: decodeFile(encoded[0]!) });
}

function parseBody(value: unknown): SendBody {
  const result = sendBody.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || 'body',
    message: issue.message,
  }));
  throw new CoreError('validation_failed', 'The request body is not valid.', { issues });
}

/** The DTO features this server does not offer are refused, never silently dropped. */
function assertSupported(body: SendBody, fileCount: number): void {
  if (body.file_url !== undefined || body.file_urls !== undefined) throw luminRefusal('FILE_URL_NOT_SUPPORTED');
  if (body.viewers && body.viewers.length > 0) throw luminRefusal('VIEWERS_NOT_SUPPORTED');
  if (body.use_text_tags === true) throw luminRefusal('TEXT_TAGS_NOT_SUPPORTED');
  if (body.signers.some((entry) => entry.verification !== undefined))
    throw luminRefusal('SIGNER_VERIFICATION_NOT_SUPPORTED');
  if (fileCount > 1) throw luminRefusal('MULTIPLE_FILES_NOT_SUPPORTED');
  if (fileCount === 0)
    throw new CoreError('validation_failed', 'Send the PDF as `file` (multipart upload, or base64 in JSON).', {
      issues: [{ path: 'file', message: 'Required' }],
    });
  const missingGroup = body.signers.findIndex((entry) => entry.group === undefined);
  if (body.signing_type === 'ORDER' && missingGroup >= 0) {
    throw new CoreError('validation_failed', 'With signing_type ORDER every signer needs a group.', {
      issues: [{ path: `signers.${missingGroup}.group`, message: 'Required' }],
    });
  }
}

function toCommand(body: SendBody, file: UploadedFile): SendCommand {
  const ordered = body.signing_type === 'ORDER';
  return {
    title: body.title,
    expiresAt: body.expires_at,
    // SAME_TIME: everybody signs at once, whatever group says (the spec: group is always 1 then).
    signers: body.signers.map((entry) => ({
      name: entry.name,
      email: entry.email_address,
      order: ordered ? entry.group! : 1,
    })),
    ownerEmail: body.custom_email?.sender_email ?? null,
    document: file,
  };
}

function decodeFile(text: string): Uint8Array {
  try {
    return decodeBase64Document(text, DEFAULT_MAX_DOCUMENT_BYTES);
  } catch (error) {
    if (error instanceof InvalidDocumentError && error.reason === 'too_large')
      throw new CoreError('payload_too_large', 'The file is larger than 10 MiB.');
    if (error instanceof InvalidDocumentError)
      throw luminRefusal('INVALID_BASE64', 'validation_failed', `The file is not valid base64: ${error.message}`);
    throw error;
  }
}

const FILE_FIELD = /^(file|files\[\d{1,3}\]|files\[\]|files)$/;

async function readForm(request: FastifyRequest): Promise<{ fields: Record<string, unknown>; files: UploadedFile[] }> {
  const entries: [string, string][] = [];
  const files: UploadedFile[] = [];
  try {
    const parts = request.parts({
      limits: { fileSize: DEFAULT_MAX_DOCUMENT_BYTES, files: 1, fields: 600, fieldSize: 64 * 1024, parts: 700 },
    });
    for await (const part of parts) {
      if (part.type === 'file') {
        if (!FILE_FIELD.test(part.fieldname)) {
          throw new CoreError(
            'validation_failed',
            `Unexpected file part "${part.fieldname}"; send the PDF as "file".`,
            { issues: [{ path: part.fieldname, message: 'Unknown file field' }] },
          );
        }
        const bytes = await part.toBuffer();
        if (part.file.truncated) throw new CoreError('payload_too_large', 'The file is larger than 10 MiB.');
        files.push({ filename: part.filename || 'document.pdf', bytes });
      } else {
        if (typeof part.value !== 'string')
          throw new CoreError('malformed_request', `Field "${part.fieldname}" is not text.`);
        if (part.valueTruncated) throw new CoreError('payload_too_large', `Field "${part.fieldname}" is too long.`);
        entries.push([part.fieldname, part.value]);
      }
    }
  } catch (error) {
    if (error instanceof CoreError) throw error;
    switch ((error as { code?: string }).code) {
      case 'FST_REQ_FILE_TOO_LARGE':
        throw new CoreError('payload_too_large', 'The file is larger than 10 MiB.');
      case 'FST_FILES_LIMIT':
        throw luminRefusal('MULTIPLE_FILES_NOT_SUPPORTED');
      case 'FST_FIELDS_LIMIT':
      case 'FST_PARTS_LIMIT':
        throw new CoreError('payload_too_large', 'The form has too many fields.');
      default:
        throw new CoreError('malformed_request', 'The multipart body could not be read.');
    }
  }
  return { fields: unflattenFormFields(entries), files };
}
