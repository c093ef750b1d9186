/** The Taktikal surface's tables (migrations/sqlite/005_taktikal.sql), reached as `tx.taktikal`. */
import type Database from 'better-sqlite3';
import type { TaktikalProcessDetails, TaktikalRepository, TaktikalSequenceDetails } from '../provider-repositories.js';

export function createTaktikalRepository(db: Database.Database): TaktikalRepository {
  const q = {
    insertProcess: db.prepare(
      'INSERT INTO taktikal_processes (request_id, tenant_id, process_key, details) VALUES (?, ?, ?, ?)',
    ),
    processDetails: db.prepare('SELECT details FROM taktikal_processes WHERE tenant_id = ? AND request_id = ?').pluck(),
    insertSequence: db.prepare(
      'INSERT INTO taktikal_sequences (sequence_id, tenant_id, sequence_key, details) VALUES (?, ?, ?, ?)',
    ),
    sequenceDetails: db
      .prepare('SELECT details FROM taktikal_sequences WHERE tenant_id = ? AND sequence_id = ?')
      .pluck(),
  };
  return {
    async insertProcess(tenantId, requestId, processKey, details) {
      q.insertProcess.run(requestId, tenantId, processKey, JSON.stringify(details));
    },
    async processDetails(tenantId, requestIds) {
      const found = new Map<string, TaktikalProcessDetails>();
      for (const requestId of new Set(requestIds)) {
        const json = q.processDetails.get(tenantId, requestId) as string | undefined;
        if (json !== undefined) found.set(requestId, JSON.parse(json) as TaktikalProcessDetails);
      }
      return found;
    },
    async insertSequence(tenantId, sequenceId, sequenceKey, details) {
      q.insertSequence.run(sequenceId, tenantId, sequenceKey, JSON.stringify(details));
    },
    async sequenceDetails(tenantId, sequenceId) {
      const json = q.sequenceDetails.get(tenantId, sequenceId) as string | undefined;
      return json === undefined ? undefined : (JSON.parse(json) as TaktikalSequenceDetails);
    },
  };
}
