/** Pending (deferred) cancellations in SQLite; requests load theirs through PENDING_CANCELLATION_JSON. */
import type Database from 'better-sqlite3';
import type { CallContext, NotifyPolicy, PendingCancellation, Retention } from '../../core/model.js';
import type { PendingCancellationRepository } from '../../core/ports.js';

/**
 * The pending cancellation affecting request `r` (its own, or its sequence's) as one JSON value, a
 * column of the request's SELECT: loading a request costs one index lookup more, not a query.
 */
export const PENDING_CANCELLATION_JSON = `(SELECT json_object('id', p.id, 'request_id', p.request_id, 'requested_at', p.requested_at,
    'context', json(p.context), 'reason', p.reason, 'message', p.message, 'reason_code', p.reason_code, 'notify', p.notify,
    'retention', json(p.retention))
  FROM pending_cancellations p WHERE p.request_id = r.id OR p.sequence_id = r.sequence_id LIMIT 1)`;

interface PendingJson {
  id: string;
  request_id: string;
  requested_at: number;
  context: CallContext;
  reason: string | null;
  message: string | null;
  reason_code: string | null;
  notify: string;
  retention: Retention;
}

export function toPendingCancellation(json: string | null): PendingCancellation | null {
  if (json === null) return null;
  const row = JSON.parse(json) as PendingJson;
  return {
    id: row.id,
    requestId: row.request_id,
    requestedAt: row.requested_at,
    context: row.context,
    reason: row.reason,
    message: row.message,
    reasonCode: row.reason_code,
    notify: row.notify as NotifyPolicy,
    retention: row.retention,
  };
}

export function createPendingCancellationRepository(db: Database.Database): PendingCancellationRepository {
  // Prepared on first use: a database of an older schema (migration tests) has no such table yet.
  let prepared: { insert: Database.Statement; delete: Database.Statement } | undefined;
  const q = () =>
    (prepared ??= {
      insert: db.prepare(`INSERT INTO pending_cancellations
      (request_id, id, tenant_id, sequence_id, requested_at, context, reason, message, reason_code, notify, retention)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      delete: db.prepare('DELETE FROM pending_cancellations WHERE tenant_id = ? AND id = ?'),
    });
  return {
    async insert(pending) {
      q().insert.run(
        pending.requestId,
        pending.id,
        pending.tenantId,
        pending.sequenceId,
        pending.requestedAt,
        JSON.stringify(pending.context),
        pending.reason,
        pending.message,
        pending.reasonCode,
        pending.notify,
        JSON.stringify(pending.retention),
      );
    },
    async delete(tenantId, id) {
      return q().delete.run(tenantId, id).changes === 1;
    },
  };
}
