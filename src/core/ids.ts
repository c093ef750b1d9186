/** Prefixed, time-sortable ids (`sr_01J…`) and random secrets. */
import { randomBytes } from 'node:crypto';
import { monotonicFactory } from 'ulid';
import type { IdGenerator } from './ports.js';

export function createIdGenerator(): IdGenerator {
  // Monotonic: ids made in the same millisecond still sort in creation order (cursor paging relies on it).
  const ulid = monotonicFactory();
  return {
    next: (prefix) => `${prefix}_${ulid().toLowerCase()}`,
    secret: (bytes) => randomBytes(bytes).toString('base64url'),
  };
}

export const systemClock = { now: () => Date.now() };
