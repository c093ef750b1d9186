import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AUCO_RETRY_POLICY,
  LUMIN_RETRY_POLICY,
  NATIVE_RETRY_POLICY,
  RETRY_POLICIES,
  SINGPASS_RETRY_POLICY,
  TAKTIKAL_RETRY_POLICY,
  isSuccessStatus,
  nextAttempt,
  type ExponentialRetryPolicy,
  type NextAttempt,
  type RetryPolicy,
} from '../../src/delivery/retry-schedules.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2025, 0, 1);

function retryAt(result: NextAttempt): number {
  assert.ok('retryAt' in result, `expected a retry, got ${JSON.stringify(result)}`);
  return result.retryAt;
}

/** Plays failed attempts back to back (each ends one second after it starts) and lists the waits. */
function playSchedule(policy: RetryPolicy, status: number | undefined, random = () => 0.5) {
  const waits: number[] = [];
  let now = T0 + 1_000;
  for (let attempt = 1; attempt < 100; attempt += 1) {
    const next = nextAttempt(policy, attempt, T0, now, status, random);
    if ('deadLetter' in next) return { waits, attempts: attempt, reason: next.reason };
    waits.push(next.retryAt - now);
    now = next.retryAt + 1_000;
  }
  throw new Error('schedule never ended');
}

test('lumin: the six documented delays, counted from the previous attempt, then dead', () => {
  const played = playSchedule(LUMIN_RETRY_POLICY, 500);
  assert.deepEqual(
    played.waits.map((wait) => wait / MINUTE),
    [5, 15, 45, 135, 405, 1215],
  );
  assert.equal(played.attempts, 7);
  assert.equal(played.reason, 'max_attempts');
  // From `now`, not from the first attempt: a late third attempt still waits its full 45 minutes.
  assert.equal(retryAt(nextAttempt(LUMIN_RETRY_POLICY, 3, T0, T0 + 5 * HOUR, undefined)), T0 + 5 * HOUR + 45 * MINUTE);
  assert.equal(LUMIN_RETRY_POLICY.timeoutMs, 30_000);
});

test('lumin and taktikal count only 200 as success; native and auco accept any 2xx', () => {
  for (const policy of [LUMIN_RETRY_POLICY, TAKTIKAL_RETRY_POLICY]) {
    assert.equal(isSuccessStatus(policy, 200), true);
    assert.equal(isSuccessStatus(policy, 204), false);
  }
  for (const policy of [NATIVE_RETRY_POLICY, AUCO_RETRY_POLICY]) {
    assert.equal(isSuccessStatus(policy, 204), true);
    assert.equal(isSuccessStatus(policy, 299), true);
    assert.equal(isSuccessStatus(policy, 302), false);
    assert.equal(isSuccessStatus(policy, 199), false);
  }
});

test('taktikal: two more attempts after the first failure, whether HTTP error or network error', () => {
  for (const status of [500, 404, undefined]) {
    const played = playSchedule(TAKTIKAL_RETRY_POLICY, status);
    assert.equal(played.attempts, 3);
    assert.equal(played.waits.length, 2);
    assert.equal(played.reason, 'max_attempts');
  }
});

test('taktikal: a 406 stops at once, on any attempt; other policies keep retrying a 406', () => {
  assert.deepEqual(nextAttempt(TAKTIKAL_RETRY_POLICY, 1, T0, T0, 406), {
    deadLetter: true,
    reason: 'stopped_by_receiver',
  });
  assert.deepEqual(nextAttempt(TAKTIKAL_RETRY_POLICY, 2, T0, T0, 406), {
    deadLetter: true,
    reason: 'stopped_by_receiver',
  });
  retryAt(nextAttempt(LUMIN_RETRY_POLICY, 1, T0, T0, 406));
  retryAt(nextAttempt(NATIVE_RETRY_POLICY, 1, T0, T0, 406, () => 0.5));
});

test('auco: the chosen schedule (six retries over about 21 hours), then dead', () => {
  const played = playSchedule(AUCO_RETRY_POLICY, 502);
  assert.deepEqual(
    played.waits.map((wait) => wait / MINUTE),
    [1, 5, 30, 120, 360, 720],
  );
  assert.equal(played.reason, 'max_attempts');
});

test('singpass: the documented three attempts, 2 s apart, a 2 s timeout, any 2xx', () => {
  const played = playSchedule(SINGPASS_RETRY_POLICY, 500);
  assert.deepEqual(played.waits, [2_000, 2_000]);
  assert.equal(played.attempts, 3);
  assert.equal(played.reason, 'max_attempts');
  assert.equal(SINGPASS_RETRY_POLICY.timeoutMs, 2_000);
  assert.equal(isSuccessStatus(SINGPASS_RETRY_POLICY, 202), true);
});

test('native: the jitter ceiling doubles from 30 s and is capped at 6 h', () => {
  const almostOne = () => 1 - Number.EPSILON;
  const ceilings = [1, 2, 3, 4, 10, 11, 12, 19].map(
    (attempt) => retryAt(nextAttempt(NATIVE_RETRY_POLICY, attempt, T0, T0, 500, almostOne)) - T0,
  );
  const expected = [30_000, 60_000, 120_000, 240_000, 30_000 * 512, 6 * HOUR, 6 * HOUR, 6 * HOUR];
  ceilings.forEach((delay, index) => {
    assert.ok(Math.abs(delay - (expected[index] ?? NaN)) <= 1, `delay ${delay} vs ceiling ${expected[index]}`);
  });
});

test('native: full jitter spans the whole range, from immediately to the ceiling', () => {
  assert.equal(retryAt(nextAttempt(NATIVE_RETRY_POLICY, 4, T0, T0, 500, () => 0)), T0);
  assert.equal(retryAt(nextAttempt(NATIVE_RETRY_POLICY, 4, T0, T0, 500, () => 0.25)), T0 + 60_000);
  const delays = Array.from(
    { length: 2_000 },
    () => retryAt(nextAttempt(NATIVE_RETRY_POLICY, 3, T0, T0, undefined)) - T0,
  );
  assert.ok(delays.every((delay) => delay >= 0 && delay < 120_000));
  assert.ok(Math.min(...delays) < 12_000 && Math.max(...delays) > 108_000, 'the default random source is used');
});

test('native: gives up once a retry would start more than 3 days after the first attempt', () => {
  const halfway = () => 0.5; // the 6 h cap gives 3 h waits
  retryAt(nextAttempt(NATIVE_RETRY_POLICY, 12, T0, T0 + 3 * DAY - 3 * HOUR, 500, halfway));
  assert.deepEqual(nextAttempt(NATIVE_RETRY_POLICY, 12, T0, T0 + 3 * DAY - 3 * HOUR + 1, 500, halfway), {
    deadLetter: true,
    reason: 'max_age',
  });
});

test('native: gives up after maxAttempts, and huge attempt numbers stay finite', () => {
  assert.deepEqual(nextAttempt(NATIVE_RETRY_POLICY, NATIVE_RETRY_POLICY.maxAttempts, T0, T0, 500), {
    deadLetter: true,
    reason: 'max_attempts',
  });
  retryAt(nextAttempt(NATIVE_RETRY_POLICY, NATIVE_RETRY_POLICY.maxAttempts - 1, T0, T0, 500, () => 0.5));
  const unbounded: ExponentialRetryPolicy = { ...NATIVE_RETRY_POLICY, maxAttempts: 10_000, maxAgeMs: Infinity };
  assert.equal(retryAt(nextAttempt(unbounded, 5_000, T0, T0, 500, () => 0.5)), T0 + 3 * HOUR);
});

test('attempt numbers start at 1, and every format has a policy', () => {
  assert.throws(() => nextAttempt(LUMIN_RETRY_POLICY, 0, T0, T0, 500), RangeError);
  assert.throws(() => nextAttempt(LUMIN_RETRY_POLICY, 1.5, T0, T0, 500), RangeError);
  assert.deepEqual(Object.keys(RETRY_POLICIES).sort(), ['auco', 'lumin', 'native', 'singpass', 'taktikal']);
});
