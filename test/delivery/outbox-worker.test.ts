// The outbox worker and its SQLite queue on a real database file: leases, outcomes, backoff,
// max age, unknown topics, follow-ups, replay and graceful stop. Handlers here are small test
// handlers that implement the contract; the clock is the only fake.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, describe, test } from 'node:test';
import type { OutboxMessage } from '../../src/core/ports.js';
import { replayAllDeadLetters, replayDeadLetter } from '../../src/delivery/outbox-admin.js';
import type { HandlerOutcome, OutboxHandler, OutboxRow } from '../../src/delivery/outbox-handler.js';
import { createOutboxWorker, type OutboxWorkerOptions } from '../../src/delivery/outbox-worker.js';
import { pruneDeliveredRowsTask } from '../../src/delivery/prune-outbox.js';
import { createOutboxQueue } from '../../src/delivery/outbox-queue.js';
import type { OutboxQueue } from '../../src/delivery/ports.js';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import { TestClock } from '../support/harness.js';

const SECOND = 1_000;
const DAY = 86_400 * SECOND;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const dir = mkdtempSync(join(tmpdir(), 'countersign-outbox-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let store: SqliteStore;
let queue: OutboxQueue;
let clock: TestClock;
let counter = 0;

beforeEach(async () => {
  await store?.close();
  store = new SqliteStore({ path: join(dir, `db-${(counter += 1)}.sqlite`) });
  queue = createOutboxQueue(store);
  clock = new TestClock(Date.UTC(2026, 0, 5, 9));
});
after(async () => store.close());

/**
 * A row of any topic and payload. The worker hands rows to handlers without reading them (each
 * handler reads its own topic's schema, src/core/events), so these tests use topics of their own.
 */
function anyRow(row: Omit<OutboxMessage, 'topic' | 'payload'> & { topic: string; payload: object }): OutboxMessage {
  return row as OutboxMessage;
}

async function enqueue(
  topic: string,
  payload: Record<string, unknown> = {},
  id = `obx_${topic}_${(counter += 1)}`,
): Promise<string> {
  await store.transaction((tx) =>
    tx.outbox.enqueue(
      anyRow({ id, tenantId: 'ten_1', topic, payload, availableAt: clock.now(), createdAt: clock.now() }),
    ),
  );
  return id;
}

function recorder(topic: string, outcome: (row: OutboxRow) => HandlerOutcome | Promise<HandlerOutcome>) {
  const seen: OutboxRow[] = [];
  const handler: OutboxHandler = {
    topic,
    async handle(row) {
      seen.push(row);
      return outcome(row);
    },
  };
  return { handler, seen };
}

function worker(handlers: OutboxHandler[], overrides: Partial<OutboxWorkerOptions> = {}) {
  return createOutboxWorker({
    queue,
    handlers,
    clock,
    workerId: 'worker-a',
    leaseMs: 60 * SECOND,
    batchSize: 4,
    pollMs: 20,
    maxAgeMs: 3 * DAY,
    logger: quiet,
    random: () => 0.5,
    ...overrides,
  });
}

describe('claiming', () => {
  test('a leased row goes to one worker; after the lease expires another worker takes it over', async () => {
    const id = await enqueue('email');
    const first = await queue.claim('worker-a', clock.now(), 30 * SECOND, 10);
    assert.deepEqual(
      first.map((row) => row.id),
      [id],
    );
    assert.deepEqual(await queue.claim('worker-b', clock.now(), 30 * SECOND, 10), [], 'still leased to worker-a');
    clock.advance(30 * SECOND);
    const second = await queue.claim('worker-b', clock.now(), 30 * SECOND, 10);
    assert.deepEqual(
      second.map((row) => row.id),
      [id],
      "a crashed worker's row is picked up after its lease",
    );
    // worker-a comes back late: its outcome no longer counts, worker-b's does.
    assert.equal(await queue.complete(id, 'worker-a', clock.now(), []), false);
    assert.equal(await queue.complete(id, 'worker-b', clock.now(), []), true);
    assert.equal((await queue.get(id))?.status, 'done');
  });

  test('rows not yet available are not claimed', async () => {
    await store.transaction((tx) =>
      tx.outbox.enqueue(
        anyRow({
          id: 'obx_later',
          tenantId: 'ten_1',
          topic: 'email',
          payload: {},
          availableAt: clock.now() + DAY,
          createdAt: clock.now(),
        }),
      ),
    );
    assert.equal(await queue.hasDue(clock.now()), false);
    assert.deepEqual(await queue.claim('worker-a', clock.now(), SECOND, 10), []);
    clock.advance(DAY);
    assert.equal((await queue.claim('worker-a', clock.now(), SECOND, 10)).length, 1);
  });
});

describe('outcomes', () => {
  test('done inserts the follow-up rows with it, and the follow-ups run in the same drain', async () => {
    const followUp = (id: string): OutboxMessage =>
      anyRow({
        id,
        tenantId: 'ten_1',
        topic: 'second',
        payload: { from: 'first' },
        availableAt: clock.now(),
        createdAt: clock.now(),
      });
    const first = recorder('first', () => ({
      kind: 'done',
      enqueue: [followUp('obx_follow_1'), followUp('obx_follow_1'), followUp('obx_follow_2')],
    }));
    const second = recorder('second', () => ({ kind: 'done' }));
    const id = await enqueue('first');
    assert.equal(await worker([first.handler, second.handler]).drainOnce(), 3);
    assert.equal((await queue.get(id))?.status, 'done');
    assert.deepEqual(
      second.seen.map((row) => row.id).sort(),
      ['obx_follow_1', 'obx_follow_2'],
      'a repeated follow-up id is inserted once',
    );
    assert.equal((await queue.get('obx_follow_1'))?.attempts, 1);
  });

  test('a throwing handler is retried with exponential backoff and jitter, not before it is due', async () => {
    const failing = recorder('email', () => {
      throw new Error('smtp down');
    });
    const id = await enqueue('email');
    const run = worker([failing.handler]);
    const start = clock.now();
    await run.drainOnce();
    let row = await queue.get(id);
    assert.equal(row?.status, 'pending');
    assert.equal(row?.attempts, 1);
    assert.equal(row?.lastError, 'smtp down');
    // Native policy: base 30 s, full jitter pinned at 0.5 -> 15 s.
    assert.equal(row?.availableAt, start + 15 * SECOND);
    clock.advance(14 * SECOND);
    await run.drainOnce();
    assert.equal(failing.seen.length, 1, 'not retried before its time');
    clock.advance(SECOND);
    await run.drainOnce();
    row = await queue.get(id);
    assert.equal(failing.seen.length, 2);
    assert.equal(row?.availableAt, clock.now() + 30 * SECOND, 'the ceiling doubles: 60 s * 0.5');
  });

  test('a row still failing after maxAge is dead-lettered, and a replay makes it deliverable again', async () => {
    let isDown = true;
    const flaky = recorder('email', () => {
      if (isDown) throw new Error('smtp down');
      return { kind: 'done' };
    });
    const id = await enqueue('email');
    const run = worker([flaky.handler], { maxAgeMs: 10 * 60 * SECOND });
    for (let step = 0; step < 20 && (await queue.get(id))?.status === 'pending'; step += 1) {
      await run.drainOnce();
      clock.advance(5 * 60 * SECOND);
    }
    const dead = await queue.get(id);
    assert.equal(dead?.status, 'dead');
    assert.match(dead?.lastError ?? '', /max_age|Gave up/);
    assert.ok(flaky.seen.length >= 2 && flaky.seen.length < 20);

    isDown = false;
    assert.deepEqual(
      await replayDeadLetter(queue, id, clock.now(), 'ten_other'),
      { kind: 'not_found' },
      'another tenant cannot replay it',
    );
    const replayed = await replayDeadLetter(queue, id, clock.now(), 'ten_1');
    assert.equal(replayed.kind, 'replayed');
    assert.equal((await queue.get(id))?.attempts, 0);
    await run.drainOnce();
    assert.equal((await queue.get(id))?.status, 'done');
    assert.deepEqual(await replayDeadLetter(queue, id, clock.now()), { kind: 'not_dead', status: 'done' });
  });

  test('handler outcomes: explicit retry keeps its time, dead is final, unknown topics are dead with a clear error', async () => {
    const later = clock.now() + 3_600 * SECOND;
    const retrying = recorder('webhook.delivery', () => ({ kind: 'retry', at: later, error: 'HTTP 503' }));
    const refusing = recorder('document.purge', () => ({ kind: 'dead', error: 'bad payload' }));
    const retryId = await enqueue('webhook.delivery');
    const deadId = await enqueue('document.purge');
    const unknownId = await enqueue('carrier.pigeon');
    await worker([retrying.handler, refusing.handler]).drainOnce();
    assert.deepEqual(await queue.get(retryId).then((row) => [row?.status, row?.availableAt, row?.lastError]), [
      'pending',
      later,
      'HTTP 503',
    ]);
    assert.deepEqual(await queue.get(deadId).then((row) => [row?.status, row?.lastError]), ['dead', 'bad payload']);
    const unknown = await queue.get(unknownId);
    assert.equal(unknown?.status, 'dead');
    assert.equal(unknown?.lastError, 'No handler for outbox topic "carrier.pigeon".');
    assert.equal(await replayAllDeadLetters(queue, clock.now()), 2);
    assert.deepEqual((await queue.list({ status: 'dead', limit: 10 })).length, 0);
  });

  test('a handler that never finishes is given up after its timeout and retried', async () => {
    const hanging = recorder('email', () => new Promise<HandlerOutcome>(() => {}));
    const id = await enqueue('email');
    await worker([hanging.handler], { handlerTimeoutMs: 50 }).drainOnce();
    const row = await queue.get(id);
    assert.equal(row?.status, 'pending');
    assert.match(row?.lastError ?? '', /did not finish within 50 ms/);
  });
});

describe('the loop', () => {
  test('start() delivers in the background; stop() waits for the rows in flight', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = recorder('email', async () => {
      await gate;
      return { kind: 'done' };
    });
    const id = await enqueue('email');
    const run = worker([slow.handler]);
    run.start();
    const deadline = Date.now() + 5_000;
    while (slow.seen.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(slow.seen.length, 1, 'the loop picked the row up');
    let isStopped = false;
    const stopping = run.stop().then(() => (isStopped = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(isStopped, false, 'stop waits for the handler in flight');
    release();
    await stopping;
    assert.equal((await queue.get(id))?.status, 'done', 'its outcome was recorded before stop returned');
  });

  test('at most batchSize rows are in a handler at once, and a freed slot is refilled', async () => {
    const gates: (() => void)[] = [];
    let running = 0;
    let most = 0;
    const held = recorder('email', async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => gates.push(resolve));
      running -= 1;
      return { kind: 'done' };
    });
    for (let index = 0; index < 7; index += 1) await enqueue('email');
    const run = worker([held.handler], { batchSize: 3 });
    run.start();
    const waitFor = async (condition: () => boolean, what: string) => {
      const deadline = Date.now() + 5_000;
      while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.ok(condition(), what);
    };
    await waitFor(() => held.seen.length === 3, 'three rows started');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(held.seen.length, 3, 'no fourth row while three are in flight');
    gates.shift()!();
    await waitFor(() => held.seen.length === 4, 'the freed slot took the next row');
    while (held.seen.length < 7 || gates.length > 0) {
      gates.shift()?.();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await run.stop();
    assert.equal(most, 3);
    assert.equal(new Set(held.seen.map((row) => row.id)).size, 7, 'every row was handled once');
  });

  test('periodic tasks run from the loop and from drainOnce', async () => {
    let runs = 0;
    const run = worker([], { tasks: [{ name: 'sweep', everyMs: 60 * SECOND, run: async () => (runs += 1) }] });
    await run.drainOnce();
    assert.equal(runs, 1);
  });
});

describe('housekeeping', () => {
  test('delivered rows are deleted once older than the retention; pending, dead and recent rows stay', async () => {
    const done = (topic: string) => recorder(topic, () => ({ kind: 'done' }));
    const dead = recorder('poison', () => ({ kind: 'dead', error: 'no' }));
    const oldDone = await enqueue('old');
    const oldDead = await enqueue('poison');
    await worker([done('old').handler, dead.handler]).drainOnce();
    clock.advance(10 * DAY);
    const recentDone = await enqueue('recent');
    await worker([done('recent').handler]).drainOnce();
    const pending = await enqueue('waiting');
    clock.advance(5 * DAY);

    const prune = pruneDeliveredRowsTask(queue, clock, 14);
    assert.equal(await prune.run(), 1, 'only the row delivered 15 days ago');
    assert.equal(await queue.get(oldDone), undefined);
    assert.equal((await queue.get(oldDead))?.status, 'dead', 'dead letters wait for an operator');
    assert.equal((await queue.get(recentDone))?.status, 'done', 'delivered 5 days ago');
    assert.equal((await queue.get(pending))?.status, 'pending');
  });

  test('a large backlog is pruned in chunks, each its own transaction', async () => {
    await store.transaction(async (tx) => {
      for (let index = 0; index < 2_500; index += 1) {
        await tx.outbox.enqueue(
          anyRow({
            id: `obx_bulk_${String(index).padStart(5, '0')}`,
            tenantId: 'ten_1',
            topic: 'bulk',
            payload: {},
            availableAt: clock.now(),
            createdAt: clock.now(),
          }),
        );
      }
    });
    const bulk = recorder('bulk', () => ({ kind: 'done' }));
    await worker([bulk.handler], { batchSize: 64 }).drainOnce();
    assert.equal(bulk.seen.length, 2_500);
    clock.advance(30 * DAY);
    assert.equal(await pruneDeliveredRowsTask(queue, clock, 14).run(), 2_500);
    assert.deepEqual(await queue.list({ status: 'done', limit: 10 }), []);
  });
});
