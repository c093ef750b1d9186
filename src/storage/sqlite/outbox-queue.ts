/**
 * The outbox as a leased queue, on the core's `outbox` table. Reached through a store transaction
 * (`tx.outboxQueue`): a write transaction is BEGIN IMMEDIATE, one writer at a time across
 * processes on the same file, so the claim's UPDATE … RETURNING cannot hand a row to two workers.
 * Outcomes apply only while the worker still holds the row's lease.
 */
import type Database from 'better-sqlite3';
import type { OutboxMessage } from '../../core/ports.js';
import type {
  ClaimedRow,
  OutboxEntry,
  OutboxListQuery,
  OutboxQueueRepository,
  OutboxStatus,
} from '../../delivery/ports.js';

interface OutboxDbRow {
  id: string;
  tenant_id: string;
  topic: string;
  payload: string;
  status: OutboxStatus;
  attempts: number;
  available_at: number;
  created_at: number;
  completed_at: number | null;
  last_error: string | null;
  first_attempt_at: number | null;
}

const OUTBOX_STATUSES: readonly OutboxStatus[] = ['pending', 'done', 'dead'];
const DUE = `status = 'pending' AND available_at <= @now AND (lease_expires_at IS NULL OR lease_expires_at <= @now)`;
const HELD = `id = @id AND lease_owner = @worker AND status = 'pending'`;

function toEntry(row: OutboxDbRow): OutboxEntry {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    topic: row.topic,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    status: row.status,
    attempts: row.attempts,
    availableAt: row.available_at,
    createdAt: row.created_at,
    completedAt: row.completed_at,
    lastError: row.last_error,
  };
}

/** Error texts are kept short: they are for operators, and a receiver's body may be long. */
function clip(error: string): string {
  return error.length > 2000 ? `${error.slice(0, 2000)}…` : error;
}

export function createOutboxQueueRepository(db: Database.Database): OutboxQueueRepository {
  const q = {
    hasDue: db.prepare(`SELECT 1 FROM outbox WHERE ${DUE} LIMIT 1`).pluck(),
    claim: db.prepare(`UPDATE outbox
      SET lease_owner = @worker, lease_expires_at = @expires, first_attempt_at = COALESCE(first_attempt_at, @now)
      WHERE id IN (SELECT id FROM outbox WHERE ${DUE} ORDER BY available_at, id LIMIT @limit)
      RETURNING *`),
    complete:
      db.prepare(`UPDATE outbox SET status = 'done', attempts = attempts + 1, completed_at = @now, last_error = NULL,
      lease_owner = NULL, lease_expires_at = NULL WHERE ${HELD}`),
    retry: db.prepare(`UPDATE outbox SET attempts = attempts + 1, available_at = @at, last_error = @error,
      lease_owner = NULL, lease_expires_at = NULL WHERE ${HELD}`),
    dead: db.prepare(`UPDATE outbox SET status = 'dead', attempts = attempts + 1, completed_at = @now, last_error = @error,
      lease_owner = NULL, lease_expires_at = NULL WHERE ${HELD}`),
    // Follow-up ids may be deterministic (a webhook fan-out names (event, endpoint)): a repeat is a no-op.
    insert:
      db.prepare(`INSERT INTO outbox (id, tenant_id, topic, payload, available_at, created_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (id) DO NOTHING`),
    get: db.prepare('SELECT * FROM outbox WHERE id = ?'),
    // available_at <= completed_at, so the first bound only narrows the walk through outbox_due.
    pruneDone: db.prepare(`DELETE FROM outbox WHERE id IN (SELECT id FROM outbox
      WHERE status = 'done' AND available_at < @before AND completed_at < @before LIMIT @limit)`),
    replay: db.prepare(`UPDATE outbox SET status = 'pending', attempts = 0, available_at = @now, completed_at = NULL,
      first_attempt_at = NULL, lease_owner = NULL, lease_expires_at = NULL WHERE status = 'dead' AND (@id IS NULL OR id = @id)
      AND (@tenant IS NULL OR tenant_id = @tenant)`),
  };
  return {
    async hasDue(now) {
      return q.hasDue.get({ now }) !== undefined;
    },
    async claim(worker, now, leaseMs, limit) {
      return (q.claim.all({ worker, now, expires: now + leaseMs, limit }) as OutboxDbRow[])
        .map((row): ClaimedRow => ({ ...toEntry(row), firstAttemptAt: row.first_attempt_at ?? now }))
        .sort((a, b) => a.availableAt - b.availableAt || (a.id < b.id ? -1 : 1));
    },
    async complete(id, worker, now, followUps: readonly OutboxMessage[]) {
      if (q.complete.run({ id, worker, now }).changes !== 1) return false;
      for (const message of followUps) {
        q.insert.run(
          message.id,
          message.tenantId,
          message.topic,
          JSON.stringify(message.payload),
          message.availableAt,
          message.createdAt,
        );
      }
      return true;
    },
    async retry(id, worker, at, error) {
      return q.retry.run({ id, worker, at, error: clip(error) }).changes === 1;
    },
    async deadLetter(id, worker, now, error) {
      return q.dead.run({ id, worker, now, error: clip(error) }).changes === 1;
    },
    async get(id) {
      const row = q.get.get(id) as OutboxDbRow | undefined;
      return row && toEntry(row);
    },
    async list(query: OutboxListQuery) {
      // The status is inlined (a closed set, checked here) so that SQLite can pick the partial indexes
      // of finished rows (outbox_tenant_dead, outbox_tenant_done).
      if (!OUTBOX_STATUSES.includes(query.status)) throw new Error(`unknown outbox status ${String(query.status)}`);
      const conditions = [`status = '${query.status}'`];
      const params: Record<string, string | number> = { limit: query.limit };
      const filters = { tenant_id: query.tenantId, topic: query.topic };
      for (const [column, value] of Object.entries(filters)) {
        if (value === undefined) continue;
        conditions.push(`${column} = @${column}`);
        params[column] = value;
      }
      if (query.beforeId !== undefined) {
        conditions.push('id < @before');
        params.before = query.beforeId;
      }
      const sql = `SELECT * FROM outbox WHERE ${conditions.join(' AND ')} ORDER BY id DESC LIMIT @limit`;
      return (db.prepare(sql).all(params) as OutboxDbRow[]).map(toEntry);
    },
    async replay(id, now) {
      return q.replay.run({ id, now, tenant: null }).changes === 1;
    },
    async replayAllDead(now, tenantId) {
      return q.replay.run({ id: null, now, tenant: tenantId ?? null }).changes;
    },
    async pruneDone(before, limit) {
      return q.pruneDone.run({ before, limit }).changes;
    },
  };
}
