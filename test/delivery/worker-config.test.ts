// The worker's settings as an operator gives them: environment variables read into the config,
// defaults, and bounds refused with a clear error instead of a worker that never claims a row.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ZodError } from 'zod';
import { loadConfig } from '../../src/config.js';

test('COUNTERSIGN_WORKER_CONCURRENCY sets how many outbox rows a worker handles at once (default 32)', () => {
  assert.equal(loadConfig({}).workerConcurrency, 32);
  assert.equal(loadConfig({ COUNTERSIGN_WORKER_CONCURRENCY: '4' }).workerConcurrency, 4);
  for (const bad of ['0', '-1', '257', '2.5', 'many']) {
    assert.throws(() => loadConfig({ COUNTERSIGN_WORKER_CONCURRENCY: bad }), ZodError, `"${bad}" is refused`);
  }
});

test('the lease and the retention keep their defaults and bounds', () => {
  const config = loadConfig({});
  assert.equal(config.workerLeaseSeconds, 300);
  assert.equal(config.outboxRetentionDays, 14);
  assert.throws(
    () => loadConfig({ COUNTERSIGN_OUTBOX_RETENTION_DAYS: '6' }),
    ZodError,
    'shorter than the retry series',
  );
  assert.throws(() => loadConfig({ COUNTERSIGN_WORKER_LEASE_SECONDS: '0' }), ZodError);
});
