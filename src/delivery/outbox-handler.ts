/**
 * The contract between the outbox worker and what it delivers. The worker leases due rows,
 * hands each to the handler of its topic, and records the outcome: done (with any follow-up rows,
 * inserted in the same transaction that marks this one done), retry at a time, or dead-lettered.
 * Handlers must be idempotent: a crash after delivery and before "done" delivers again, with the
 * same row id (use it as the idempotency key: Message-ID, webhook event id).
 */
import type { OutboxMessage } from '../core/ports.js';

export interface OutboxRow {
  readonly id: string;
  readonly tenantId: string;
  readonly topic: string;
  readonly payload: Readonly<Record<string, unknown>>;
  /** Attempts made before this one. */
  readonly attempts: number;
  readonly createdAt: number;
  readonly availableAt: number;
}

export type HandlerOutcome =
  | { readonly kind: 'done'; readonly enqueue?: readonly OutboxMessage[] }
  | { readonly kind: 'retry'; readonly at: number; readonly error: string }
  | { readonly kind: 'dead'; readonly error: string };

export interface OutboxHandler {
  /** The outbox topic this handler delivers ('email', 'event', 'webhook.delivery', 'document.purge', …). */
  readonly topic: string;
  handle(row: OutboxRow): Promise<HandlerOutcome>;
  /**
   * What a failure of this row is a failure of, for the log (e.g. one webhook endpoint): repeated
   * failures of one target are summarised instead of logged one by one. Default: the topic.
   */
  failureTarget?(row: OutboxRow): string;
}
