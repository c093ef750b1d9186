/**
 * Throttles failed authentications, per client address and per credential lookup (the non-secret
 * part of a key, a JWT's client id, a Basic user name, a signing link's signer id).
 *
 * Only failures count, so a busy client with a valid key is never slowed. The check runs BEFORE
 * the secret is looked at: once an address or a lookup is over its limit, every request naming it
 * is answered 429 (rate_limited, Retry-After) whether its credentials are right or not, so a
 * blocked guesser learns nothing more. A refused request is not counted again.
 *
 * A lookup's limit is higher than an address's, so one address alone cannot lock a key out; a
 * key's owner on another address keeps working while the guesser's address is blocked.
 */
import { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CoreError } from '../../core/errors.js';
import { setRetryAfter } from './retry-after.js';

export interface AuthThrottleSettings {
  readonly failuresPerAddress: number;
  readonly failuresPerCredential: number;
  readonly windowSeconds: number;
}

export interface AuthThrottle {
  /**
   * Runs `attempt` (the credential check) unless the address or `lookup` is blocked; counts a
   * failure when it throws an error `isFailure` recognises (default: the core's `unauthorized`).
   * `lookup` is namespaced by the caller (e.g. `lumin_api_key:<lookup>`); undefined when the
   * request named no credential that could be looked up.
   */
  guard<T>(
    request: FastifyRequest,
    lookup: string | undefined,
    attempt: () => Promise<T>,
    isFailure?: (error: unknown) => boolean,
  ): Promise<T>;
}

export function isUnauthorized(error: unknown): boolean {
  return error instanceof CoreError && error.code === 'unauthorized';
}

/** The request's address as counted: IPv6 addresses by their /64 (one host usually owns the whole prefix). */
function addressKey(request: FastifyRequest): string {
  return `address:${normalizeIP(request.ip)}`;
}

/**
 * `createRateLimit` derives its key from the request alone; the key of each check is handed to it
 * through this map, set immediately before the (synchronous) call to the key generator.
 */
export function createAuthThrottle(app: FastifyInstance, settings: AuthThrottleSettings): AuthThrottle {
  const keys = new WeakMap<FastifyRequest, string>();
  const keyGenerator = (request: FastifyRequest) => keys.get(request) ?? addressKey(request);
  const timeWindow = settings.windowSeconds * 1000;
  const byAddress = app.createRateLimit({ max: settings.failuresPerAddress, timeWindow, keyGenerator });
  const byLookup = app.createRateLimit({ max: settings.failuresPerCredential, timeWindow, keyGenerator });

  const counters = (request: FastifyRequest, lookup: string | undefined) => [
    { limiter: byAddress, key: addressKey(request) },
    ...(lookup === undefined ? [] : [{ limiter: byLookup, key: `credential:${lookup.slice(0, 200)}` }]),
  ];

  async function assertAllowed(request: FastifyRequest, lookup: string | undefined): Promise<void> {
    let wait = 0;
    for (const { limiter, key } of counters(request, lookup)) {
      keys.set(request, key);
      const state = await limiter(request, { increment: false });
      // A read reports the failures so far without counting this request: blocked once they reach max.
      if (!state.isAllowed && state.remaining === 0) wait = Math.max(wait, state.ttlInSeconds, 1);
    }
    keys.delete(request);
    if (wait > 0) {
      setRetryAfter(request, wait);
      throw new CoreError('rate_limited', `Too many failed authentications; retry in ${wait} s.`);
    }
  }

  async function recordFailure(request: FastifyRequest, lookup: string | undefined): Promise<void> {
    for (const { limiter, key } of counters(request, lookup)) {
      keys.set(request, key);
      await limiter(request);
    }
    keys.delete(request);
  }

  return {
    async guard(request, lookup, attempt, isFailure = isUnauthorized) {
      await assertAllowed(request, lookup);
      try {
        return await attempt();
      } catch (error) {
        if (isFailure(error)) await recordFailure(request, lookup);
        throw error;
      }
    },
  };
}
