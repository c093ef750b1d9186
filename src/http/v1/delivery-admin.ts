/** Delivery admin endpoints: the outbox's dead letters and their replay, and the mail archive. */
import { z } from 'zod';
import { CoreError, notFound } from '../../core/errors.js';
import type { Clock } from '../../core/ports.js';
import { listOutbox, presentOutboxEntry, replayDeadLetter } from '../../delivery/outbox-admin.js';
import type { ArchivedMail, MailArchive, OutboxQueue } from '../../delivery/ports.js';
import { defineRoute, type AnyRoute } from '../route.js';
import { nullableTimestamp, ourId, sha256Hex, timestamp } from './schemas.js';

const outboxEntryView = z.object({
  id: z.string(),
  tenant_id: z.string(),
  topic: z.string(),
  status: z.enum(['pending', 'done', 'dead']),
  attempts: z.number().int(),
  last_error: z.string().nullable(),
  available_at: timestamp,
  created_at: timestamp,
  completed_at: nullableTimestamp,
  payload: z.record(z.string(), z.unknown()),
});

const mailView = z.object({
  id: ourId('mail'),
  message_id: z.string(),
  outbox_id: z.string(),
  template: z.string(),
  request_id: ourId('sr').nullable(),
  to: z.object({ name: z.string().nullable(), address: z.email() }),
  subject: z.string(),
  text: z.string(),
  html: z.string(),
  headers: z.record(z.string(), z.string()),
  attachments: z.array(
    z.object({ filename: z.string(), content_type: z.string(), size: z.number().int().min(0), sha256: sha256Hex }),
  ),
  created_at: timestamp,
});

const page = { limit: z.coerce.number().int().min(1).max(100).default(50), cursor: z.string().max(100).optional() };

function presentMail(mail: ArchivedMail): z.infer<typeof mailView> {
  return {
    id: mail.id,
    message_id: mail.messageId,
    outbox_id: mail.outboxId,
    template: mail.template,
    request_id: mail.requestId,
    to: { name: mail.to.name, address: mail.to.address },
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    headers: { ...mail.headers },
    attachments: mail.attachments.map((file) => ({
      filename: file.filename,
      content_type: file.contentType,
      size: file.size,
      sha256: file.sha256,
    })),
    created_at: new Date(mail.createdAt).toISOString(),
  };
}

export function deliveryAdminRoutes(delivery: { queue: OutboxQueue; mails: MailArchive }, clock: Clock): AnyRoute[] {
  const listRows = defineRoute({
    method: 'GET',
    path: '/v1/admin/outbox',
    operationId: 'listOutbox',
    tags: ['Admin'],
    scope: 'admin',
    summary: "List the tenant's outbox rows by status (dead letters by default), newest first",
    description:
      'Every email, webhook and retention step is an outbox row. A dead row failed for good (or has no handler); replay it once the cause is fixed.',
    query: z.strictObject({
      status: z.enum(['pending', 'done', 'dead']).default('dead'),
      topic: z.string().max(100).optional(),
      ...page,
    }),
    responses: {
      200: {
        description: 'A page of rows',
        schema: z.object({ data: z.array(outboxEntryView), next_cursor: z.string().nullable() }),
      },
    },
    handler: async ({ query, auth }) => {
      const rows = await listOutbox(delivery.queue, {
        status: query.status,
        tenantId: auth!.tenantId,
        limit: query.limit + 1,
        ...(query.topic ? { topic: query.topic } : {}),
        ...(query.cursor ? { beforeId: query.cursor } : {}),
      });
      const items = rows.slice(0, query.limit);
      return {
        status: 200,
        body: {
          data: items.map(presentOutboxEntry),
          next_cursor: rows.length > query.limit ? (items.at(-1)?.id ?? null) : null,
        },
      };
    },
  });

  const replay = defineRoute({
    method: 'POST',
    path: '/v1/admin/outbox/{id}/replay',
    operationId: 'replayOutboxRow',
    tags: ['Admin'],
    scope: 'admin',
    summary: 'Replay a dead letter: back to pending, attempts reset, deliverable now',
    description:
      'Delivery is at least once with stable ids (Message-ID, webhook event id), so a replay that repeats a delivery can be de-duplicated by the receiver.',
    params: z.strictObject({ id: z.string().min(1).max(200) }),
    responses: {
      200: { description: 'Replayed', schema: outboxEntryView },
      409: { description: 'The row is not dead (pending or done): conflict' },
    },
    handler: async ({ params, auth }) => {
      const result = await replayDeadLetter(delivery.queue, params.id, clock.now(), auth!.tenantId);
      switch (result.kind) {
        case 'replayed':
          return { status: 200, body: presentOutboxEntry(result.entry) };
        case 'not_found':
          throw notFound('Outbox row');
        case 'not_dead':
          throw new CoreError('conflict', `Only dead letters can be replayed; this row is ${result.status}.`, {
            status: result.status,
          });
      }
    },
  });

  const listMails = defineRoute({
    method: 'GET',
    path: '/v1/mails',
    operationId: 'listMails',
    tags: ['Admin'],
    scope: 'admin',
    summary: 'Mails kept by this server, newest first (when no SMTP server is configured)',
    description:
      'Without COUNTERSIGN_SMTP_URL every mail is kept here instead of being sent; attachments are listed by name, size and sha256, never stored.',
    query: z.strictObject({ request_id: z.string().max(100).optional(), ...page }),
    responses: {
      200: {
        description: 'A page of mails',
        schema: z.object({ data: z.array(mailView), next_cursor: z.string().nullable() }),
      },
    },
    handler: async ({ query, auth }) => {
      const mails = await delivery.mails.list(auth!.tenantId, {
        limit: query.limit + 1,
        ...(query.cursor ? { beforeId: query.cursor } : {}),
        ...(query.request_id ? { requestId: query.request_id } : {}),
      });
      const items = mails.slice(0, query.limit);
      return {
        status: 200,
        body: {
          data: items.map(presentMail),
          next_cursor: mails.length > query.limit ? (items.at(-1)?.id ?? null) : null,
        },
      };
    },
  });

  return [listRows, replay, listMails];
}
