/**
 * What webhook delivery needs from storage beyond the core's Tx: the attempt log, an audit event
 * by id, and which outbox ids already exist. A repository reached through a transaction of the
 * store (`tx.webhookAttempts`, see DeliveryRepositories in ports.ts).
 */
import type { AuditEvent } from '../core/model.js';

export interface WebhookAttempt {
  readonly id: string;
  readonly tenantId: string;
  readonly endpointId: string;
  readonly eventId: string;
  /** The outbox row that carried the delivery; a replay starts a new one. */
  readonly deliveryId: string;
  /** 1 for the first attempt of the delivery. */
  readonly attempt: number;
  /** null when no HTTP answer came (timeout, refused connection, blocked address). */
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly durationMs: number;
  readonly responseSnippet: string | null;
  readonly createdAt: number;
}

export interface WebhookDeliveryStore {
  recordAttempt(attempt: WebhookAttempt): Promise<void>;
  /** Newest first; `beforeId` is the last id of the previous page. */
  listAttempts(
    tenantId: string,
    endpointId: string,
    page: { beforeId?: string; limit: number },
  ): Promise<WebhookAttempt[]>;
  /**
   * When the current series of attempts of the delivery began: its newest attempt number 1
   * (retry schedules count their maximum age from it; an operator replay of a dead row starts over).
   */
  seriesStartedAt(deliveryId: string): Promise<number | undefined>;
  findEvent(tenantId: string, eventId: string): Promise<AuditEvent | undefined>;
  /** Which of `ids` are already outbox rows (in any state). */
  existingOutboxIds(ids: readonly string[]): Promise<Set<string>>;
}
