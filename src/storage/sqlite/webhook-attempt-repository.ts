/** The webhook attempt log, and the reads webhook delivery needs beside it (`tx.webhookAttempts`). */
import type Database from 'better-sqlite3';
import type { WebhookAttempt, WebhookDeliveryStore } from '../../delivery/webhook-delivery-store.js';
import { preparedPerCount } from './multi-row.js';
import { toAuditEvent, type AuditRow } from './rows.js';

interface AttemptRow {
  id: string;
  tenant_id: string;
  endpoint_id: string;
  event_id: string;
  delivery_id: string;
  attempt: number;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
  response_snippet: string | null;
  created_at: number;
}

function toAttempt(row: AttemptRow): WebhookAttempt {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    endpointId: row.endpoint_id,
    eventId: row.event_id,
    deliveryId: row.delivery_id,
    attempt: row.attempt,
    statusCode: row.status_code,
    error: row.error,
    durationMs: row.duration_ms,
    responseSnippet: row.response_snippet,
    createdAt: row.created_at,
  };
}

/** SQLite has a bound-parameter limit; a fan-out to more endpoints than this is checked in chunks. */
const IDS_PER_QUERY = 500;

export function createWebhookAttemptRepository(db: Database.Database): WebhookDeliveryStore {
  const q = {
    insert: db.prepare(`INSERT INTO webhook_attempts
      (id, tenant_id, endpoint_id, event_id, delivery_id, attempt, status_code, error, duration_ms, response_snippet, created_at)
      VALUES (@id, @tenantId, @endpointId, @eventId, @deliveryId, @attempt, @statusCode, @error, @durationMs, @responseSnippet, @createdAt)`),
    list: db.prepare(`SELECT * FROM webhook_attempts WHERE tenant_id = ? AND endpoint_id = ? AND (? IS NULL OR id < ?)
      ORDER BY id DESC LIMIT ?`),
    // The newest attempt numbered 1 starts the current series (an operator replay of a dead row restarts the count).
    seriesStartedAt: db
      .prepare('SELECT created_at FROM webhook_attempts WHERE delivery_id = ? AND attempt = 1 ORDER BY id DESC LIMIT 1')
      .pluck(),
    event: db.prepare('SELECT * FROM audit_events WHERE tenant_id = ? AND id = ?'),
  };
  // Nearly every fan-out asks for one id per endpoint: the statement is prepared once per id count.
  const existingOf = preparedPerCount(
    db,
    (count) => `SELECT id FROM outbox WHERE id IN (${Array.from({ length: count }, () => '?').join(',')})`,
  );
  return {
    async recordAttempt(attempt) {
      q.insert.run(attempt);
    },
    async listAttempts(tenantId, endpointId, page) {
      const before = page.beforeId ?? null;
      return (q.list.all(tenantId, endpointId, before, before, page.limit) as AttemptRow[]).map(toAttempt);
    },
    async seriesStartedAt(deliveryId) {
      return (q.seriesStartedAt.get(deliveryId) as number | undefined) ?? undefined;
    },
    async findEvent(tenantId, eventId) {
      const row = q.event.get(tenantId, eventId) as AuditRow | undefined;
      return row && toAuditEvent(row);
    },
    async existingOutboxIds(ids) {
      const found = new Set<string>();
      for (let start = 0; start < ids.length; start += IDS_PER_QUERY) {
        const chunk = ids.slice(start, start + IDS_PER_QUERY);
        const rows = existingOf(chunk.length)
          .pluck()
          .all(...chunk) as string[];
        for (const id of rows) found.add(id);
      }
      return found;
    },
  };
}
