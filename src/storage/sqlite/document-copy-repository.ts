/** Document copies (the VOID-stamped rendition) beside the original bytes (`tx.documentCopies`), and WAL housekeeping. */
import type Database from 'better-sqlite3';
import type { DocumentCopyRepository, StorageMaintenance } from '../../delivery/ports.js';

export function createDocumentCopyRepository(db: Database.Database): DocumentCopyRepository {
  const q = {
    put: db.prepare(`INSERT INTO document_copies (document_id, kind, content, created_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (document_id, kind) DO NOTHING`),
    get: db.prepare('SELECT content FROM document_copies WHERE document_id = ? AND kind = ?').pluck(),
    has: db.prepare('SELECT 1 FROM document_copies WHERE document_id = ? AND kind = ?').pluck(),
    deleteAll: db.prepare('DELETE FROM document_copies WHERE document_id = ?'),
  };
  return {
    async put(documentId, kind, bytes, now) {
      q.put.run(documentId, kind, Buffer.from(bytes), now);
    },
    async get(documentId, kind) {
      const content = q.get.get(documentId, kind) as Buffer | undefined;
      return content && new Uint8Array(content);
    },
    async has(documentId, kind) {
      return q.has.get(documentId, kind) !== undefined;
    },
    async deleteAll(documentId) {
      return q.deleteAll.run(documentId).changes;
    },
  };
}

/** Quick retries of a busy checkpoint: the checkpoint thread (checkpointer.ts) holds its lock for milliseconds. */
const CHECKPOINT_ATTEMPTS = 25;
const CHECKPOINT_RETRY_MS = 20;

/** `db` is the store's own connection; the store hands this out as its `maintenance`. */
export function createSqliteMaintenance(db: Database.Database): StorageMaintenance {
  const truncateLog = (): boolean => {
    // A checkpoint cannot run inside a transaction; when this connection is in one (another
    // caller between its BEGIN and COMMIT), report "not done" and let the caller try later.
    if (!db.open || db.inTransaction) return false;
    // TRUNCATE waits for other processes' readers and writers through the busy handler, which
    // would block this thread; with no wait it reports busy instead, and we try again later.
    const timeout = db.pragma('busy_timeout', { simple: true }) as number;
    db.pragma('busy_timeout = 0');
    try {
      const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as {
        busy: number;
        log: number;
        checkpointed: number;
      }[];
      return result !== undefined && result.busy === 0;
    } catch {
      return false;
    } finally {
      db.pragma(`busy_timeout = ${timeout}`);
    }
  };
  return {
    async checkpointLog() {
      for (let attempt = 1; ; attempt += 1) {
        if (truncateLog()) return true;
        if (attempt === CHECKPOINT_ATTEMPTS) return false;
        await new Promise((resolve) => setTimeout(resolve, CHECKPOINT_RETRY_MS));
      }
    },
  };
}
