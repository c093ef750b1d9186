/** Prefixed, time-sortable ids (`sr_01J…`) and random secrets. */
import { randomBytes, randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';
import type { IdGenerator } from './ports.js';

/**
 * A cryptographic PRNG for ulid that draws from a pooled buffer: ulid asks for one number per
 * character, and one randomFillSync per character dominated the cost of making an id.
 */
function pooledRandom(): () => number {
  const pool = new Uint32Array(1024);
  let next = pool.length;
  return () => {
    if (next === pool.length) {
      randomFillSync(pool);
      next = 0;
    }
    return pool[next++]! / 0x1_0000_0000;
  };
}

export function createIdGenerator(): IdGenerator {
  // Monotonic: ids made in the same millisecond still sort in creation order (cursor paging relies on it).
  const ulid = monotonicFactory(pooledRandom());
  return {
    next: (prefix) => `${prefix}_${ulid().toLowerCase()}`,
    secret: (bytes) => randomBytes(bytes).toString('base64url'),
  };
}

export const systemClock = { now: () => Date.now() };

/** What an id made by createIdGenerator looks like: the prefix, `_`, a lowercase ULID (Crockford base32). */
export function idPattern(prefix: string): RegExp {
  return new RegExp(`^${prefix}_[0-9a-hjkmnp-tv-z]{26}$`);
}
