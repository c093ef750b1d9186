import type Database from 'better-sqlite3';
import type { RequestNumberRepository } from '../../providers/kaizen/request-numbers.js';

/**
 * One atomic upsert per number. Callers run it inside `store.transaction` so that it never lands
 * in (and rolls back with) another caller's open transaction on the shared connection.
 */
export function createKaizenRequestNumberRepository(db: Database.Database): RequestNumberRepository {
  const increment = db
    .prepare(
      `INSERT INTO kaizen_request_numbers (tenant_id, last_number) VALUES (?, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET last_number = last_number + 1
    RETURNING last_number`,
    )
    .pluck();
  return {
    next: (tenantId) => increment.get(tenantId) as number,
  };
}
