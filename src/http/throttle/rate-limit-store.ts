/**
 * Where the throttle's counters live: the one place to change when several server processes must
 * share them. Today each process counts in memory (@fastify/rate-limit's LRU store), so with N
 * processes an address gets up to N times the limit. @fastify/rate-limit takes a Redis client
 * (`redis`) or any store with `incr`, `read` and `child` (`store`); a database-backed store for the
 * PostgreSQL deployment plugs in here without touching the callers.
 */
import rateLimit, { type FastifyRateLimitOptions } from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';

type PluginOptions = Parameters<typeof rateLimit>[1] & FastifyRateLimitOptions;

/** Registers @fastify/rate-limit for manual checks only (`app.createRateLimit`); no route is limited on its own. */
export async function registerRateLimitStore(app: FastifyInstance): Promise<void> {
  const options: PluginOptions = {
    global: false,
    // A store error (a shared store unreachable) fails the request rather than letting guesses through.
    skipOnError: false,
  };
  await app.register(rateLimit, options);
}
