/**
 * A claimed row's payload, read with its topic's schema (src/core/events/outbox-topics.ts), or
 * the dead letter that says why it cannot be read: a retry would read it the same.
 */
import { readOutboxPayload, type OutboxPayload, type OutboxTopic } from '../../core/events/outbox-topics.js';
import type { HandlerOutcome } from '../outbox-handler.js';

export function readPayload<T extends OutboxTopic>(
  topic: T,
  payload: unknown,
): { readonly value: OutboxPayload<T> } | { readonly dead: HandlerOutcome } {
  const read = readOutboxPayload(topic, payload);
  if ('error' in read) return { dead: { kind: 'dead', error: `Unreadable ${topic} payload: ${read.error}` } };
  return read;
}
