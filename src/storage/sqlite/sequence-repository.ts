/** Sequences of requests that are cancelled as a whole (`tx.sequences`). */
import type Database from 'better-sqlite3';
import type { SequenceRecord, SequenceRepository } from '../../core/ports.js';

export function createSequenceRepository(db: Database.Database): SequenceRepository {
  const q = {
    insert: db.prepare('INSERT INTO sequences (id, tenant_id, title, created_at, alias) VALUES (?, ?, ?, ?, ?)'),
    get: db.prepare(
      'SELECT id, title, created_at AS createdAt, alias FROM sequences WHERE tenant_id = ? AND (id = ? OR alias = ?)',
    ),
  };
  return {
    async insert(sequence) {
      q.insert.run(sequence.id, sequence.tenantId, sequence.title, sequence.createdAt, sequence.alias ?? null);
    },
    async get(tenantId, anyId) {
      return q.get.get(tenantId, anyId, anyId) as SequenceRecord | undefined;
    },
  };
}
