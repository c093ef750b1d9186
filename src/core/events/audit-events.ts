/**
 * Every audit event the core writes: its `type` and the shape of its `data`, one schema each,
 * combined in one discriminated union. Writers (AuditWriter) accept only these shapes, checked by
 * tsc and never parsed on the write path (a batch cancel writes 10,000 events); readers of stored
 * events parse them with `readAuditEvent`.
 *
 * Events are hashed into each tenant's chain as they were written (src/core/audit.ts): a field of
 * an existing event is never renamed, reordered or given another meaning. A field added later is
 * optional here, so events written before it still parse.
 */
import { z } from 'zod';
import type { AuditEvent } from '../model.js';
import {
  deferredMark,
  errorCode,
  id,
  millis,
  notifyPolicy,
  requestStatus,
  retention,
  webhookEndpointFormat,
} from './shared-fields.js';
import { parseStored, type Stored } from './parse-stored.js';

const event = <T extends string, D extends z.ZodRawShape>(type: T, data: D) =>
  z.object({ type: z.literal(type), data: z.object(data) });

const signerId = { signer_id: id };

const credentialData = {
  credential_id: id,
  kind: z.string(),
  label: z.string().nullable(),
  scopes: z.array(z.string()),
  lookup_suffix: z.string(),
  /** ISO 8601, or null for a credential that does not expire. */
  expires_at: z.string().nullable(),
};

/** In the order the API documents them (the `type` enum of /openapi.json). */
const AUDIT_EVENT_SCHEMAS = [
  event('request.created', {
    title: z.string(),
    signers: z.number().int(),
    document_sha256: z.string(),
    expires_at: millis,
  }),
  event('request.completed', {}),
  event('request.expired', { expires_at: millis }),
  event('request.expiry_updated', { from: millis, to: millis }),
  event('request.cancelled', {
    from: requestStatus,
    message: z.string().nullable(),
    reason_code: z.string().nullable(),
    notify: notifyPolicy,
    retention,
    /** The member of the sequence the caller named, on the other members' events. */
    via_sequence_of: id.optional(),
    /** Since deferred cancels (ADR 7): this cancel carried one out. */
    deferred: deferredMark.optional(),
    /** Since deferred cancels: this cancel replaced one that was pending. */
    superseded_pending_cancellation: id.optional(),
  }),
  event('request.cancel_refused', {
    code: errorCode,
    status: requestStatus,
    /** Since deferred cancels: the refusal ended one. */
    deferred: deferredMark.optional(),
  }),
  event('request.cancel_deferred', {
    pending_cancellation_id: id,
    message: z.string().nullable(),
    reason_code: z.string().nullable(),
    notify: notifyPolicy,
    retention,
    blocking_sessions: z.array(id),
    sessions_end_by: millis,
  }),
  event('request.cancel_withdrawn', {
    pending_cancellation_id: id,
    requested_at: millis,
    via_sequence_of: id.optional(),
  }),
  /** `email` is null for a signer reached another way (a Singpass signing URL). */
  event('signer.notified', { ...signerId, email: z.string().nullable() }),
  event('signer.viewed', signerId),
  event('signer.session_started', { ...signerId, session_id: id, expires_at: millis }),
  event('signer.signed', { ...signerId, signature_type: z.enum(['typed', 'drawn']) }),
  event('signer.declined', signerId),
  event('document.purged', {
    document_id: id,
    sha256: z.string(),
    size: z.number().int(),
    had_bytes: z.boolean(),
  }),
  /** Names URLs, never secrets or header values. */
  event('webhooks.replaced', {
    format: webhookEndpointFormat,
    disabled: z.array(id),
    endpoints: z.array(z.object({ id, external_id: z.string().nullable(), url: z.string(), has_header: z.boolean() })),
  }),
  event('credential.issued', credentialData),
  event('credential.revoked', credentialData),
] as const;

/** `type` and `data` of every audit event, discriminated by `type`. */
export const auditEventBody = z.discriminatedUnion('type', AUDIT_EVENT_SCHEMAS);
export type AuditEventBody = z.infer<typeof auditEventBody>;
export type AuditEventType = AuditEventBody['type'];
/** The `data` of one type of event. */
export type AuditEventData<T extends AuditEventType> = Extract<AuditEventBody, { type: T }>['data'];

/** Every audit event type, derived from the union so that the list (and the API's enum) cannot drift from it. */
export const AUDIT_EVENT_TYPES: readonly AuditEventType[] = AUDIT_EVENT_SCHEMAS.map(
  (schema) => schema.shape.type.value,
);

/** A stored event whose `type` and `data` were checked against their schema. */
export type RecordedAuditEvent = Omit<AuditEvent, 'type' | 'data'> & AuditEventBody;

/**
 * A stored event with its data checked and typed, or why it cannot be read (an unknown type, a
 * missing field). Fields a later version added are dropped from the typed `data`; the stored
 * event, and its hash, are untouched.
 */
export function readAuditEvent(stored: AuditEvent): Stored<RecordedAuditEvent> {
  const body = parseStored(auditEventBody, { type: stored.type, data: stored.data });
  return 'error' in body ? body : { value: { ...stored, ...body.value } };
}
