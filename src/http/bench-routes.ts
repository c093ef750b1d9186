/**
 * Routes for `npm run bench` only (COUNTERSIGN_BENCH_ROUTES=1, never in production): the "bare"
 * baseline, one SQLite UPDATE behind the same HTTP server, no auth, no transaction wrapper.
 */
import type { FastifyInstance } from 'fastify';
import type { OpenedStore } from '../storage/open-store.js';

export function benchRoutes(store: OpenedStore) {
  return (app: FastifyInstance) => {
    app.post<{ Params: { id: string } }>('/bench/bare-update/:id', async (request) => ({
      changed: await store.benchBareUpdate(request.params.id, Date.now()),
    }));
  };
}
