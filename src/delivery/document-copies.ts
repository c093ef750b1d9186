/** Document copies as the retention handlers and the download route use them: each call one transaction (or read) on `tx.documentCopies`. */
import type { Store } from '../core/ports.js';
import type { DeliveryTx, DocumentCopies } from './ports.js';

export function createDocumentCopies(store: Store<DeliveryTx>): DocumentCopies {
  return {
    put: (documentId, kind, bytes, now) =>
      store.transaction((tx) => tx.documentCopies.put(documentId, kind, bytes, now)),
    get: (documentId, kind) => store.read((tx) => tx.documentCopies.get(documentId, kind)),
    has: (documentId, kind) => store.read((tx) => tx.documentCopies.has(documentId, kind)),
    deleteAll: (documentId) => store.transaction((tx) => tx.documentCopies.deleteAll(documentId)),
  };
}
