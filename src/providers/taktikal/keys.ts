/**
 * Taktikal-shaped identifiers. ProcessKey ("sp" + 12 hex) and SequenceKey ("pg" + 18 hex) are random
 * and stored as aliases; signee keys ("si…") and sequence signee-group keys ("gs…") are derived, so
 * they are stable without being stored and never collide across signers of one process.
 */
import { createHash } from 'node:crypto';
import type { IdGenerator } from '../../core/ports.js';

export const PROCESS_KEY_ALIAS = 'taktikal_process_key';

/** Random hex through the injected id generator (the one source of randomness). */
function randomHex(ids: IdGenerator, bytes: number): string {
  return Buffer.from(ids.secret(bytes), 'base64url').toString('hex');
}

export function newProcessKey(ids: IdGenerator): string {
  return `sp${randomHex(ids, 6)}`;
}

export function newSequenceKey(ids: IdGenerator): string {
  return `pg${randomHex(ids, 9)}`;
}

export function newCompanyKey(ids: IdGenerator): string {
  return randomHex(ids, 6);
}

/** Shaped like the docs' example `api-3ff4091d1d9e4740bbb13d1b62fb`. */
export function newApiKey(ids: IdGenerator): string {
  return `api-${randomHex(ids, 14)}`;
}

function digest(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function signeeKeyOf(signerId: string): string {
  return `si${digest(`taktikal-signee:${signerId}`).slice(0, 12)}`;
}

/** A person across the processes of a sequence (same ssn, else email, else name). */
export function signeeGroupKeyOf(sequenceId: string, identity: string): string {
  return `gs${digest(`taktikal-group:${sequenceId}:${identity}`).slice(0, 10)}`;
}

/** The webhook `Id`: a Guid without dashes, the same on every retry of one event to one endpoint. */
export function webhookMessageId(endpointId: string, eventId: string): string {
  return digest(`taktikal-webhook:${endpointId}:${eventId}`).slice(0, 32);
}
