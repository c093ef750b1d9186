import type Database from 'better-sqlite3';
import type { KaizenRequestNumberRepository } from '../provider-repositories.js';

/**
 * One atomic upsert per number (`tx.kaizenRequestNumbers`), in the transaction that creates the
 * request: the write lock that transaction holds keeps concurrent callers apart, and a rollback
 * gives the number back.
 */
export function createKaizenRequestNumberRepository(db: Database.Database): KaizenRequestNumberRepository {
  const increment = db
    .prepare(
      `INSERT INTO kaizen_request_numbers (tenant_id, last_number) VALUES (?, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET last_number = last_number + 1
    RETURNING last_number`,
    )
    .pluck();
  return {
    next: async (tenantId) => increment.get(tenantId) as number,
  };
}
