/** Stored outcomes of idempotent commands (`tx.idempotency`). */
import type Database from 'better-sqlite3';
import type { IdempotencyRecord, IdempotencyRepository } from '../../core/ports.js';

export function createIdempotencyRepository(db: Database.Database): IdempotencyRepository {
  const q = {
    get: db.prepare(
      'SELECT fingerprint, outcome, created_at AS createdAt FROM idempotency_keys WHERE tenant_id = ? AND scope = ? AND key = ?',
    ),
    put: db.prepare(
      'INSERT INTO idempotency_keys (tenant_id, scope, key, fingerprint, outcome, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
  };
  return {
    async get(tenantId, scope, key) {
      const row = q.get.get(tenantId, scope, key) as
        { fingerprint: string; outcome: string; createdAt: number } | undefined;
      return (
        row &&
        ({
          fingerprint: row.fingerprint,
          outcome: JSON.parse(row.outcome) as unknown,
          createdAt: row.createdAt,
        } satisfies IdempotencyRecord)
      );
    },
    async put(tenantId, scope, key, record) {
      q.put.run(tenantId, scope, key, record.fingerprint, JSON.stringify(record.outcome), record.createdAt);
    },
  };
}
