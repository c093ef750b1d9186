/**
 * When to retry a failed webhook delivery, per wire format. Policies are plain data (so they can be
 * logged, shown and compared); nextAttempt is the one function that reads them.
 * Times are epoch milliseconds; attempt numbers start at 1 (the first delivery).
 */

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Exponential backoff with "full jitter": the delay is uniform in [0, min(cap, base * 2^(n-1))]. */
export interface ExponentialRetryPolicy {
  readonly kind: 'exponential';
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** No attempt starts later than firstAttemptAt + maxAgeMs. */
  readonly maxAgeMs: number;
  /** Total attempts, the first delivery included. */
  readonly maxAttempts: number;
  readonly stopOnStatuses: readonly number[];
  readonly successStatuses: SuccessStatuses;
  readonly timeoutMs: number;
}

/** delaysMs[i] is the wait after attempt i + 1 fails; when the list runs out the delivery is dead. */
export interface FixedRetryPolicy {
  readonly kind: 'fixed';
  readonly delaysMs: readonly number[];
  /** Receiver answers that end the delivery at once, without further attempts. */
  readonly stopOnStatuses: readonly number[];
  readonly successStatuses: SuccessStatuses;
  readonly timeoutMs: number;
}

export type RetryPolicy = ExponentialRetryPolicy | FixedRetryPolicy;

/** Lumin and Taktikal document "200", not "2xx", as the only success. */
export type SuccessStatuses = 'any-2xx' | 'only-200';

export type DeadLetterReason = 'max_attempts' | 'max_age' | 'stopped_by_receiver';

export type NextAttempt =
  { readonly retryAt: number } | { readonly deadLetter: true; readonly reason: DeadLetterReason };

/**
 * Native (Standard Webhooks) deliveries. Base 30 s doubling to a 6 h cap, for at most 3 days.
 * maxAttempts 20 is a backstop, chosen so the 3-day age limit normally ends things first: the
 * uncapped steps add up to ~4 h on average, then ~3 h average waits fill the remaining ~68 h.
 */
export const NATIVE_RETRY_POLICY: ExponentialRetryPolicy = {
  kind: 'exponential',
  baseDelayMs: 30 * SECOND,
  maxDelayMs: 6 * HOUR,
  maxAgeMs: 3 * DAY,
  maxAttempts: 20,
  stopOnStatuses: [],
  successStatuses: 'any-2xx',
  timeoutMs: 10 * SECOND,
};

/** Lumin's documented schedule (webhook overview, "Retry rules"): 6 retries, each after the previous attempt; 30 s timeout. */
export const LUMIN_RETRY_POLICY: FixedRetryPolicy = {
  kind: 'fixed',
  delaysMs: [
    5 * MINUTE,
    15 * MINUTE,
    45 * MINUTE,
    2 * HOUR + 15 * MINUTE,
    6 * HOUR + 45 * MINUTE,
    20 * HOUR + 15 * MINUTE,
  ],
  stopOnStatuses: [],
  successStatuses: 'only-200',
  timeoutMs: 30 * SECOND,
};

/**
 * Taktikal documents "two more" attempts after a non-200 and that 406 stops retries, but neither
 * the intervals nor a timeout. Our choice: 1 min then 10 min (short, since there are only two), 10 s timeout.
 */
export const TAKTIKAL_RETRY_POLICY: FixedRetryPolicy = {
  kind: 'fixed',
  delaysMs: [1 * MINUTE, 10 * MINUTE],
  stopOnStatuses: [406],
  successStatuses: 'only-200',
  timeoutMs: 10 * SECOND,
};

/**
 * Auco documents no retry behaviour at all. Our choice: six retries stretching over ~21 h
 * (1 m, 5 m, 30 m, 2 h, 6 h, 12 h), in the spirit of Lumin's and Svix's schedules; 2xx succeeds.
 */
export const AUCO_RETRY_POLICY: FixedRetryPolicy = {
  kind: 'fixed',
  delaysMs: [1 * MINUTE, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 6 * HOUR, 12 * HOUR],
  stopOnStatuses: [],
  successStatuses: 'any-2xx',
  timeoutMs: 10 * SECOND,
};

/**
 * Singpass Sign v3 documents its own success webhook: the RP must answer 2xx within 2 s; Sign tries
 * at most 3 times, 2 s apart.
 */
export const SINGPASS_RETRY_POLICY: FixedRetryPolicy = {
  kind: 'fixed',
  delaysMs: [2 * SECOND, 2 * SECOND],
  stopOnStatuses: [],
  successStatuses: 'any-2xx',
  timeoutMs: 2 * SECOND,
};

export const RETRY_POLICIES = {
  native: NATIVE_RETRY_POLICY,
  lumin: LUMIN_RETRY_POLICY,
  taktikal: TAKTIKAL_RETRY_POLICY,
  auco: AUCO_RETRY_POLICY,
  singpass: SINGPASS_RETRY_POLICY,
} as const satisfies Record<string, RetryPolicy>;

export type WebhookFormat = keyof typeof RETRY_POLICIES;

export function isSuccessStatus(policy: RetryPolicy, status: number): boolean {
  return policy.successStatuses === 'only-200' ? status === 200 : status >= 200 && status <= 299;
}

/**
 * Decides what follows failed attempt number `attemptNumber`. `now` is when that attempt ended
 * (Lumin counts its delays from the previous attempt); `lastStatus` is undefined for network
 * errors and timeouts. `random` returns [0, 1) and exists so tests can pin the jitter.
 */
export function nextAttempt(
  policy: RetryPolicy,
  attemptNumber: number,
  firstAttemptAt: number,
  now: number,
  lastStatus: number | undefined,
  random: () => number = Math.random,
): NextAttempt {
  if (!Number.isInteger(attemptNumber) || attemptNumber < 1) throw new RangeError('attemptNumber starts at 1');
  if (lastStatus !== undefined && policy.stopOnStatuses.includes(lastStatus)) {
    return { deadLetter: true, reason: 'stopped_by_receiver' };
  }
  switch (policy.kind) {
    case 'fixed': {
      const delay = policy.delaysMs[attemptNumber - 1];
      return delay === undefined ? { deadLetter: true, reason: 'max_attempts' } : { retryAt: now + delay };
    }
    case 'exponential': {
      if (attemptNumber >= policy.maxAttempts) return { deadLetter: true, reason: 'max_attempts' };
      // 2 ** n overflows to Infinity for large n, which Math.min clamps to the cap: no special case.
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attemptNumber - 1));
      const retryAt = now + Math.floor(random() * ceiling);
      return retryAt > firstAttemptAt + policy.maxAgeMs ? { deadLetter: true, reason: 'max_age' } : { retryAt };
    }
  }
}
