/**
 * Every outbox message: its `topic` and the shape of its `payload`, one schema each, combined in
 * one discriminated union. Writers (the builders in use-cases/outbox-messages.ts, the delivery
 * handlers' follow-up rows) accept only these shapes, checked by tsc and never parsed on the write
 * path (a batch cancel writes 30,000 rows); handlers parse what they claim with `readOutboxPayload`.
 *
 * Rows queued by an earlier version may still be pending at an upgrade, so each schema reads every
 * shape its topic ever had: a field added later gets a default, a field dropped is ignored.
 */
import { z } from 'zod';
import { id, millis } from './shared-fields.js';
import { parseStored, type Stored } from './parse-stored.js';
import { webhookEventPayload, WEBHOOK_EVENT_TYPES } from './webhook-events.js';

const recipient = z.object({ name: z.string(), address: z.string().min(3) });
/** Read as null when absent: every writer sets these, only hand-made or damaged rows lack them. */
const optionalText = z.string().nullable().default(null);
const mail = {
  request_id: id,
  signer_id: id,
  to: recipient,
  title: z.string(),
  /** The tenant's name (mails name the tenant as the sender). */
  sender: optionalText,
  message: optionalText,
};

export const emailPayload = z.discriminatedUnion('template', [
  z.object({
    template: z.literal('signature_requested'),
    ...mail,
    owner_email: optionalText,
    expires_at: millis,
  }),
  z.object({
    template: z.literal('request_cancelled'),
    ...mail,
    signer_had_signed: z.boolean(),
    // The person the caller named (core/person-named.ts), null for "the tenant". Rows queued
    // before ADR 6 carry `actor` instead (possibly a key's label): deliberately not read, so
    // they name the tenant.
    cancelled_by: optionalText,
    reason_code: optionalText,
    cancelled_at: millis,
  }),
]);
export type EmailPayload = z.infer<typeof emailPayload>;

const documentJob = { request_id: id, document_id: id };

const topic = <T extends string, P extends z.ZodType>(name: T, payload: P) =>
  z.object({ topic: z.literal(name), payload });

const OUTBOX_SCHEMAS = [
  /** A webhook event, fanned out to one `webhook.delivery` row per subscribed endpoint. */
  topic('event', webhookEventPayload),
  /** One mail to one recipient. */
  topic('email', emailPayload),
  topic('document.purge', z.object(documentJob)),
  /** Taktikal: the owner gets the partially signed document before it is purged. */
  topic('document.owner_copy_then_purge', z.object({ ...documentJob, owner_email: z.string().min(3) })),
  // Rows queued before the stamp named the person from the request carry `actor` (it could hold a
  // key's label): deliberately not read.
  topic('document.void_copy', z.object({ ...documentJob, reason: optionalText })),
  /** Carries out a deferred cancellation (ADR 7) once the blocking sessions end. */
  topic('cancellation.resolve', z.object({ request_id: id, pending_cancellation_id: id })),
  /** One webhook event to one endpoint, written by the fan-out (or a replay). */
  topic(
    'webhook.delivery',
    z.object({
      endpoint_id: id,
      event_id: id,
      type: z.enum(WEBHOOK_EVENT_TYPES),
      request_id: id,
      /** The `event` row's payload, handed to provider renderers. */
      event: webhookEventPayload,
      /** Set on replays requested through the API. */
      replay: z.boolean().optional(),
    }),
  ),
] as const;

/** `topic` and `payload` of every outbox message, discriminated by `topic`. */
export const outboxBody = z.discriminatedUnion('topic', OUTBOX_SCHEMAS);
export type OutboxBody = z.infer<typeof outboxBody>;
export type OutboxTopic = OutboxBody['topic'];
export type OutboxPayload<T extends OutboxTopic> = Extract<OutboxBody, { topic: T }>['payload'];

export const OUTBOX_TOPICS: readonly OutboxTopic[] = OUTBOX_SCHEMAS.map((schema) => schema.shape.topic.value);

const PAYLOAD_SCHEMAS = new Map<string, z.ZodType>(
  OUTBOX_SCHEMAS.map((schema) => [schema.shape.topic.value, schema.shape.payload]),
);

/** A claimed row's payload, checked against its topic's schema, or why it cannot be read. */
export function readOutboxPayload<T extends OutboxTopic>(topic: T, payload: unknown): Stored<OutboxPayload<T>> {
  const schema = PAYLOAD_SCHEMAS.get(topic);
  if (schema === undefined) return { error: `no outbox topic "${topic}"` };
  const read = parseStored(schema, payload);
  if ('error' in read) return read;
  // The schema is the one of `topic`, so its output is the topic's payload.
  const typed: { readonly value: OutboxPayload<T> } = { value: read.value as OutboxPayload<T> };
  return typed;
}
