/** Create, read and list signature requests; download the document. */
import { z } from 'zod';
import { CoreError } from '../../core/errors.js';
import type { CoreDeps } from '../../core/ports.js';
import type { DocumentCopies } from '../../delivery/ports.js';
import { createSignatureRequest } from '../../core/use-cases/create-signature-request.js';
import { getSignatureRequest, listSignatureRequests } from '../../core/use-cases/read-signature-requests.js';
import { REQUEST_STATUSES } from '../../core/state-machine.js';
import { decodeDocument, readCreateForm } from './create-input.js';
import { callContext } from './context.js';
import type { Presenter } from './present.js';
import { attachmentHeader } from '../attachment-header.js';
import { defineRoute, type AnyRoute } from '../route.js';
import { createRequestBody, createRequestMultipart, requestView } from './schemas.js';

const DEFAULT_LIFETIME_MS = 30 * 86_400_000;
const idParams = z.strictObject({ id: z.string().min(1).max(100) });

export function signatureRequestRoutes(
  deps: CoreDeps,
  present: Presenter,
  documentCopies?: Pick<DocumentCopies, 'get'>,
): AnyRoute[] {
  const create = defineRoute({
    method: 'POST',
    path: '/v1/signature-requests',
    operationId: 'createSignatureRequest',
    tags: ['Signature requests'],
    scope: 'write',
    summary: 'Create and send a signature request',
    description:
      'JSON with a base64 document, or multipart/form-data with the PDF as file part `document`. The first order of signers is emailed at once.',
    body: createRequestBody,
    alternativeBodies: { 'multipart/form-data': createRequestMultipart },
    customBody: true,
    headers: { 'Idempotency-Key': { description: 'Replays return the original response.' } },
    bodyLimit: 16 * 1024 * 1024,
    responses: {
      201: { description: 'Created and sent', schema: requestView },
      422: { description: 'Not an acceptable PDF (invalid_document), or idempotency_key_reused' },
    },
    handler: async ({ request, auth }) => {
      const input = request.isMultipart() ? await readCreateForm(request) : { fields: request.body, file: undefined };
      const body = parseCreate(input.fields);
      const bytes = input.file ?? decodeDocument(body.document?.content_base64 ?? '');
      const created = await createSignatureRequest(deps, {
        tenantId: auth!.tenantId,
        title: body.title,
        message: body.message ?? null,
        ownerEmail: body.owner_email ?? null,
        expiresAt: body.expires_at ? Date.parse(body.expires_at) : deps.clock.now() + DEFAULT_LIFETIME_MS,
        document: { filename: body.document?.filename ?? 'document.pdf', bytes },
        signers: body.signers,
        sequenceId: body.sequence_id ?? null,
        context: callContext(request, auth!),
        ...idempotencyKey(request.headers['idempotency-key']),
      });
      return { status: 201, body: present.request(created), headers: replayHeaders(created.replayed === true) };
    },
  });

  const get = defineRoute({
    method: 'GET',
    path: '/v1/signature-requests/{id}',
    operationId: 'getSignatureRequest',
    tags: ['Signature requests'],
    scope: 'read',
    summary: 'Get a signature request',
    description:
      "Accepts the id in any form a surface showed it (Singpass request_id, Taktikal ProcessKey, KAiZEN SignRequestId, Auco code). Shows each signer's status and signing link.",
    params: idParams,
    responses: { 200: { description: 'The request', schema: requestView } },
    handler: async ({ params, auth }) => ({
      status: 200,
      body: present.request(await getSignatureRequest(deps, auth!.tenantId, params.id)),
    }),
  });

  const listQuery = z.strictObject({
    status: z
      .string()
      .optional()
      .describe(`Comma-separated: ${REQUEST_STATUSES.join(', ')}`),
    created_after: z.iso.datetime({ offset: true }).optional(),
    created_before: z.iso.datetime({ offset: true }).optional(),
    signer_email: z.email().optional(),
    sequence_id: z.string().optional(),
    limit: z.coerce.number().int().min(1).max(100).default(25),
    cursor: z.string().max(100).optional(),
  });
  const list = defineRoute({
    method: 'GET',
    path: '/v1/signature-requests',
    operationId: 'listSignatureRequests',
    tags: ['Signature requests'],
    scope: 'read',
    summary: 'List signature requests, newest first, with cursor paging',
    query: listQuery,
    responses: {
      200: {
        description: 'A page',
        schema: z.object({ data: z.array(requestView), next_cursor: z.string().nullable() }),
      },
    },
    handler: async ({ query, auth }) => {
      const statuses = query.status?.split(',').map((status) => status.trim());
      const unknown = statuses?.filter((status) => !(REQUEST_STATUSES as readonly string[]).includes(status)) ?? [];
      if (unknown.length > 0)
        throw new CoreError('validation_failed', `Unknown status: ${unknown.join(', ')}`, {
          issues: [{ path: 'query.status', message: 'Unknown status' }],
        });
      const page = await listSignatureRequests(
        deps,
        auth!.tenantId,
        {
          ...(statuses ? { statuses: statuses as (typeof REQUEST_STATUSES)[number][] } : {}),
          ...(query.created_after ? { createdFrom: Date.parse(query.created_after) } : {}),
          ...(query.created_before ? { createdTo: Date.parse(query.created_before) } : {}),
          ...(query.signer_email ? { signerEmail: query.signer_email } : {}),
          ...(query.sequence_id ? { sequenceId: query.sequence_id } : {}),
        },
        query.cursor,
        query.limit,
      );
      return { status: 200, body: { data: page.items.map(present.request), next_cursor: page.nextCursor } };
    },
  });

  const download = defineRoute({
    method: 'GET',
    path: '/v1/signature-requests/{id}/document',
    operationId: 'downloadDocument',
    tags: ['Signature requests'],
    scope: 'read',
    summary: "Download the document (the owner's copy)",
    params: idParams,
    description:
      '`variant=void`: the copy stamped VOID when a request whose document is retained was cancelled (404 until it is made).',
    query: z.object({ variant: z.enum(['original', 'void']).default('original') }),
    responses: {
      200: {
        description: 'The PDF',
        contentType: 'application/pdf',
        headers: {
          'Content-Disposition': {
            description:
              'attachment, with the original file name (RFC 6266: an ASCII filename and the UTF-8 filename*)',
            required: true,
            schema: { type: 'string', pattern: '^attachment; filename=' },
          },
        },
      },
      404: { description: 'Not found, or no VOID copy (yet)' },
      410: { description: 'The document was purged (document_unavailable)' },
    },
    handler: async ({ params, query, auth, reply }) => {
      const request = await getSignatureRequest(deps, auth!.tenantId, params.id);
      // A purge removes the original and every copy: nothing is served once purged_at is set.
      if (request.document.purgedAt !== null) throw new CoreError('document_unavailable');
      const isVoid = query.variant === 'void';
      const bytes = isVoid
        ? await documentCopies?.get(request.document.id, 'void')
        : await deps.store.transaction((tx) => tx.documents.getBytes(request.document.id));
      if (!bytes && isVoid) throw new CoreError('not_found', 'There is no VOID copy of this document (yet).');
      if (!bytes) throw new CoreError('document_unavailable');
      const { filename } = request.document;
      void reply.header(
        'content-disposition',
        attachmentHeader(isVoid ? filename.replace(/(\.pdf)?$/i, '-void.pdf') : filename),
      );
      return { status: 200, body: Buffer.from(bytes), headers: { 'content-type': 'application/pdf' } };
    },
  });

  return [create, list, get, download];
}

function parseCreate(
  fields: unknown,
): z.infer<typeof createRequestBody> & { document?: { filename: string; content_base64: string } } {
  const result = createRequestBody.safeParse(fields);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: ['body', ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  throw new CoreError(
    'validation_failed',
    `The body is not valid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    { issues },
  );
}

export function idempotencyKey(header: string | string[] | undefined): { idempotencyKey?: string } {
  if (header === undefined) return {};
  const key = Array.isArray(header) ? header[0] : header;
  if (!key || key.length > 255 || !/^[\x21-\x7e]+$/.test(key)) {
    throw new CoreError('validation_failed', 'Idempotency-Key must be 1 to 255 visible ASCII characters.', {
      issues: [{ path: 'header.idempotency-key', message: 'invalid' }],
    });
  }
  return { idempotencyKey: key };
}

export function replayHeaders(replayed: boolean): Record<string, string> {
  return replayed ? { 'idempotent-replayed': 'true' } : {};
}
