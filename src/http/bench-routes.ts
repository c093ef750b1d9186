/**
 * Routes for `npm run bench` only (COUNTERSIGN_BENCH_ROUTES=1, never in production): the "bare"
 * baseline, one SQLite UPDATE behind the same HTTP server, no auth, no transaction wrapper.
 */
import type { FastifyInstance } from 'fastify';
import type { SqliteStore } from '../storage/sqlite/sqlite-store.js';

export function benchRoutes(store: SqliteStore) {
  return (app: FastifyInstance) => {
    const touch = store.db.prepare('UPDATE signature_requests SET updated_at = ? WHERE id = ?');
    app.post<{ Params: { id: string } }>('/bench/bare-update/:id', async (request) => ({
      changed: touch.run(Date.now(), request.params.id).changes,
    }));
  };
}
