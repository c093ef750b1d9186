/**
 * Request quotas a provider documents, applied per credential (every request counts, not only
 * failures): Lumin allows 3,000 requests per 30 minutes per user on send and on get. Over the
 * quota the request is refused with rate_limited (429 in the surface's format, Retry-After).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CoreError } from '../../core/errors.js';
import { setRetryAfter } from './retry-after.js';

export interface QuotaSettings {
  /** Requests per window; 0 turns the quota off. */
  readonly max: number;
  readonly windowSeconds: number;
}

export interface RequestQuota {
  /** Counts one request against `key` (e.g. `send:<credential id>`); throws rate_limited past the quota. */
  consume(request: FastifyRequest, key: string): Promise<void>;
}

function spoken(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} minutes` : `${seconds} seconds`;
}

export function createRequestQuota(app: FastifyInstance, name: string, settings: QuotaSettings): RequestQuota {
  if (settings.max === 0) return { consume: async () => {} };
  const keys = new WeakMap<FastifyRequest, string>();
  const limiter = app.createRateLimit({
    max: settings.max,
    timeWindow: settings.windowSeconds * 1000,
    // createRateLimit derives its key from the request alone: it is handed over through this map.
    keyGenerator: (request) => keys.get(request) ?? `${name}:${request.id}`,
  });
  return {
    async consume(request, key) {
      keys.set(request, `${name}:${key}`);
      const state = await limiter(request);
      keys.delete(request);
      if (state.isAllowed || !state.isExceeded) return;
      setRetryAfter(request, state.ttlInSeconds);
      throw new CoreError(
        'rate_limited',
        `Request quota exceeded: ${settings.max} requests per ${spoken(settings.windowSeconds)} on this endpoint; retry in ${state.ttlInSeconds} s.`,
      );
    },
  };
}
