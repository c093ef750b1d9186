/** The native API's wire shapes (zod): request bodies, and the representations it returns. */
import { z } from 'zod';
import { idPattern } from '../../core/ids.js';
import { CALL_SURFACES, NOTIFY_POLICIES } from '../../core/model.js';
import { REQUEST_STATUSES, SIGNER_STATUSES } from '../../core/state-machine.js';

export const timestamp = z.iso.datetime({ offset: true }).describe('RFC 3339 date-time');
export const nullableTimestamp = timestamp.nullable();
/** One of our ids (`sr_…`, `sgr_…`): the prefix and a lowercase ULID, documented as a pattern. */
export const ourId = (prefix: string) => z.string().regex(idPattern(prefix));
export const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

export const signerInput = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: z.email().max(320),
  order: z
    .number()
    .int()
    .min(1)
    .max(100)
    .optional()
    .describe('Signers of the same order sign in parallel; higher orders wait.'),
});

export const createRequestBody = z.strictObject({
  title: z.string().trim().min(1).max(255),
  message: z.string().max(2000).optional().describe('Shown to signers in the request email.'),
  owner_email: z
    .email()
    .max(320)
    .optional()
    .describe('Receives the copy of a partially signed document before a purge.'),
  expires_at: timestamp.optional().describe('Deadline; defaults to 30 days from now.'),
  signers: z.array(signerInput).min(1).max(100),
  document: z.strictObject({
    filename: z.string().trim().min(1).max(255),
    content_base64: z.string().min(1).describe('The PDF, base64-encoded (standard or URL-safe alphabet).'),
  }),
  sequence_id: z
    .string()
    .max(64)
    .optional()
    .describe('Adds the request to a sequence: cancelling any member cancels all.'),
});

/** The multipart form of create: the same fields, `signers` as a JSON string, the PDF as file part `document`. */
export const createRequestMultipart = z.strictObject({
  title: z.string(),
  message: z.string().optional(),
  owner_email: z.string().optional(),
  expires_at: z.string().optional(),
  signers: z.string().describe('JSON array of {name, email, order}'),
  sequence_id: z.string().optional(),
  document: z.string().describe('The PDF file (binary part).'),
});

export const retentionInput = z
  .union([
    z.enum(['retain', 'purge']),
    z.strictObject({ mode: z.literal('purge_after'), days: z.number().int().min(1).max(3650) }),
  ])
  .describe(
    'retain: keep the document (a VOID-stamped copy is made); purge: delete the bytes now; purge_after: delete after N days.',
  );

export const cancelFields = {
  reason: z.string().max(1000).optional().describe('Internal reason, kept in the audit trail.'),
  message: z.string().max(2000).optional().describe('Message to the signers who are notified.'),
  reason_code: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/)
    .optional(),
  notify: z
    .enum(NOTIFY_POLICIES)
    .default('pending')
    .describe('none, pending (signers still to sign), contacted (already asked or signed), all.'),
  actor: z
    .string()
    .trim()
    .min(1)
    .max(320)
    .optional()
    .describe(
      "The person the key cancels for (an email or a name): the signers' mails name them. Without it the mails name the tenant, never the key; the audit trail records the key either way.",
    ),
  retention: retentionInput.optional(),
  on_active_session: z
    .enum(['refuse', 'defer'])
    .default('refuse')
    .describe(
      'While a signer is in a sign session: refuse (409 active_session, the default), or defer: answer 202 with the pending cancellation, ' +
        'let no new session start, and cancel when the session ends unfinished (or end refused, already_signed or declined, if it ends with a signature or decline).',
    ),
};

export const cancelBody = z.strictObject(cancelFields);

export const batchFilter = z.strictObject({
  status: z.array(z.enum(REQUEST_STATUSES)).min(1).optional(),
  created_after: timestamp.optional(),
  created_before: timestamp.optional(),
  signer_email: z.email().optional(),
  sequence_id: z.string().optional(),
});

export const batchCancelBody = z.strictObject({
  ids: z.array(z.string().min(1).max(100)).min(1).max(10_000).optional(),
  filter: batchFilter.optional(),
  dry_run: z.boolean().default(false),
  ...cancelFields,
});

export const actorSchema = z.object({
  type: z.enum(['user', 'api_key', 'signer', 'system', 'integration']),
  id: z.string(),
  display: z.string().optional(),
  via: z.string().optional(),
});

export const signerView = z.object({
  id: ourId('sgr'),
  name: z.string(),
  email: z.email().nullable(),
  order: z.number().int(),
  status: z.enum(SIGNER_STATUSES),
  viewed_at: nullableTimestamp,
  signed_at: nullableTimestamp,
  declined_at: nullableTimestamp,
  decline_reason: z.string().nullable(),
  signing_url: z.url().describe("The signer's personal link (only shown to the owner)."),
});

export const cancellationView = z.object({
  cancelled_at: timestamp,
  actor: actorSchema,
  reason: z.string().nullable(),
  message: z.string().nullable(),
  reason_code: z.string().nullable(),
  notify: z.enum(NOTIFY_POLICIES),
});

export const pendingCancellationView = z
  .object({
    id: z.string(),
    request_id: z
      .string()
      .describe('The request the deferred cancel named; for a sequence it stands for every member.'),
    requested_at: timestamp,
    actor: actorSchema,
    reason: z.string().nullable(),
    message: z.string().nullable(),
    reason_code: z.string().nullable(),
    notify: z.enum(NOTIFY_POLICIES),
    retention: z.union([
      z.object({ mode: z.enum(['retain', 'purge']) }),
      z.object({ mode: z.literal('purge_after'), days: z.number().int() }),
    ]),
  })
  .describe(
    'A cancel deferred until the current sign session ends (on_active_session: "defer"); no new sign session may start meanwhile.',
  );

export const requestView = z.object({
  id: ourId('sr'),
  object: z.literal('signature_request'),
  title: z.string(),
  status: z.enum(REQUEST_STATUSES),
  message: z.string().nullable(),
  owner_email: z.email().nullable(),
  sequence_id: ourId('seq').nullable(),
  origin: z.enum(CALL_SURFACES).describe('Where the request was created: the native API or a provider surface.'),
  created_at: timestamp,
  updated_at: timestamp,
  expires_at: timestamp,
  completed_at: nullableTimestamp,
  version: z.number().int(),
  document: z.object({
    id: ourId('doc'),
    filename: z.string(),
    size: z.number().int().min(0),
    sha256: sha256Hex,
    page_count: z.number().int().min(1),
    purged_at: nullableTimestamp,
  }),
  signers: z.array(signerView),
  cancellation: cancellationView.nullable(),
  pending_cancellation: pendingCancellationView.nullable(),
  aliases: z.record(z.string(), z.string()).describe('The ids provider surfaces showed for this request.'),
});

export const notifiedView = z.object({
  request_id: ourId('sr'),
  signer_id: ourId('sgr'),
  name: z.string(),
  email: z.email(),
});

export const problemView = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    detail: z.string(),
    request_id: z.string(),
  })
  .passthrough();
