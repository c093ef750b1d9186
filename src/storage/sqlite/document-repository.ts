/** Document bytes (`tx.documents`); their metadata is loaded with the request. */
import type Database from 'better-sqlite3';
import type { DocumentRepository } from '../../core/ports.js';

export function createDocumentRepository(db: Database.Database): DocumentRepository {
  const q = {
    getBlob: db.prepare('SELECT content FROM document_blobs WHERE document_id = ?').pluck(),
    deleteBlob: db.prepare('DELETE FROM document_blobs WHERE document_id = ?'),
    markPurged: db.prepare('UPDATE documents SET purged_at = COALESCE(purged_at, ?) WHERE id = ?'),
  };
  return {
    async getBytes(documentId) {
      const content = q.getBlob.get(documentId) as Buffer | undefined;
      return content && new Uint8Array(content);
    },
    async purge(documentId, now) {
      const deleted = q.deleteBlob.run(documentId).changes === 1;
      q.markPurged.run(now, documentId);
      return deleted;
    },
  };
}
