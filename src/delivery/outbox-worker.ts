/**
 * The outbox worker: leases due rows, hands each to the handler of its topic, and records the
 * outcome. Delivery is at least once: a crash between a handler's side effect and "done" repeats
 * the row after its lease expires, with the same row id, which handlers use as idempotency key.
 * Several workers (threads of one process or processes on one database) may run at once.
 */
import type { Clock } from '../core/ports.js';
import type { HandlerOutcome, OutboxHandler } from './outbox-handler.js';
import type { ClaimedRow, OutboxQueue } from './ports.js';
import { NATIVE_RETRY_POLICY, nextAttempt } from './retry-schedules.js';
import { createFailureSummary } from './summarise-failures.js';

export interface WorkerLogger {
  debug(details: object, message: string): void;
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

/** Housekeeping run from the worker loop (the expiry sweep). Errors are logged, never thrown. */
export interface PeriodicTask {
  readonly name: string;
  readonly everyMs: number;
  run(): Promise<unknown>;
}

export interface OutboxWorkerOptions {
  readonly queue: OutboxQueue;
  readonly handlers: readonly OutboxHandler[];
  readonly clock: Clock;
  readonly workerId: string;
  /** How long a claimed row stays with this worker; keep it above the slowest handler. */
  readonly leaseMs: number;
  /** Rows handled at the same time. */
  readonly batchSize: number;
  /** Idle wait between looks at the queue. */
  readonly pollMs: number;
  /** A row failing for longer than this, counted from its first attempt, is dead-lettered. */
  readonly maxAgeMs: number;
  readonly logger: WorkerLogger;
  readonly tasks?: readonly PeriodicTask[];
  /** A handler still running after this long counts as failed (default: 80% of the lease). */
  readonly handlerTimeoutMs?: number;
  /** [0, 1); tests pin the retry jitter with it. */
  readonly random?: () => number;
  /** How often a failure that keeps repeating is summarised in the log (default 5 minutes). */
  readonly failureSummaryMs?: number;
}

export interface OutboxWorker {
  start(): void;
  /** Stops claiming, waits for the rows in flight to be recorded. */
  stop(): Promise<void>;
  /** Runs the periodic tasks once and handles every row due now, follow-ups included; returns how many rows. */
  drainOnce(): Promise<number>;
  /** Ends an idle wait early (a transition just queued work). */
  wake(): void;
}

const MAX_DRAIN_ROUNDS = 1_000;

export function createOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const { queue, clock, workerId, logger } = options;
  const handlers = new Map(options.handlers.map((handler) => [handler.topic, handler]));
  const retryPolicy = { ...NATIVE_RETRY_POLICY, maxAgeMs: options.maxAgeMs };
  const timeoutMs = options.handlerTimeoutMs ?? Math.floor(options.leaseMs * 0.8);
  const lastTaskRun = new Map<string, number>();
  const inFlight = new Set<Promise<void>>();
  // Repeated failures are logged once, then summarised per interval: never one line per attempt.
  const failures = createFailureSummary(logger, clock, options.failureSummaryMs);
  let loop: Promise<void> | undefined;
  let stopping = false;
  let wakeUp: (() => void) | undefined;

  async function decide(row: ClaimedRow): Promise<HandlerOutcome> {
    const handler = handlers.get(row.topic);
    if (!handler) return { kind: 'dead', error: `No handler for outbox topic "${row.topic}".` };
    if (clock.now() - row.firstAttemptAt > options.maxAgeMs) {
      return { kind: 'dead', error: `Gave up: still failing ${options.maxAgeMs} ms after the first attempt.` };
    }
    try {
      const outcome = await withTimeout(handler.handle(row), timeoutMs);
      if (outcome.kind === 'retry' && outcome.at > row.firstAttemptAt + options.maxAgeMs) {
        return { kind: 'dead', error: `Gave up (max age): ${outcome.error}` };
      }
      return outcome;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const next = nextAttempt(
        retryPolicy,
        row.attempts + 1,
        row.firstAttemptAt,
        clock.now(),
        undefined,
        options.random,
      );
      return 'retryAt' in next
        ? { kind: 'retry', at: next.retryAt, error: message }
        : { kind: 'dead', error: `Gave up (${next.reason}): ${message}` };
    }
  }

  async function handle(row: ClaimedRow): Promise<void> {
    const outcome = await decide(row);
    const now = clock.now();
    try {
      const recorded =
        outcome.kind === 'done'
          ? await queue.complete(row.id, workerId, now, outcome.enqueue ?? [])
          : outcome.kind === 'retry'
            ? await queue.retry(row.id, workerId, outcome.at, outcome.error)
            : await queue.deadLetter(row.id, workerId, now, outcome.error);
      if (!recorded)
        failures.failed(
          'lease-lost',
          'warn',
          { outboxId: row.id, topic: row.topic },
          'outbox lease lost before the outcome was recorded',
        );
      else logOutcome(row, outcome);
      failures.recovered('record-outcome', {}, 'recording outbox outcomes works again');
    } catch (error) {
      // The lease runs out and the row is tried again: at least once, never lost.
      failures.failed(
        'record-outcome',
        'error',
        { err: error, outboxId: row.id },
        'recording an outbox outcome failed',
      );
    }
  }

  /** Failures per target (a webhook endpoint, the mail relay, a topic): the first logged, the rest summarised. */
  function logOutcome(row: ClaimedRow, outcome: HandlerOutcome): void {
    const target = handlers.get(row.topic)?.failureTarget?.(row) ?? row.topic;
    if (outcome.kind === 'done') {
      failures.recovered(`delivery:${target}`, { target, topic: row.topic }, 'outbox deliveries recovered');
      failures.recovered(
        `dead:${target}`,
        { target, topic: row.topic },
        'outbox deliveries recovered after dead letters',
      );
      return;
    }
    const details = { target, outboxId: row.id, topic: row.topic, outcome: outcome.kind, error: outcome.error };
    if (outcome.kind === 'retry') failures.failed(`delivery:${target}`, 'warn', details, 'outbox delivery failed');
    else failures.failed(`dead:${target}`, 'warn', details, 'outbox row dead-lettered');
  }

  /** Claims as many rows as there are free slots and starts them; returns how many were claimed. */
  async function fill(): Promise<number> {
    const free = options.batchSize - inFlight.size;
    if (free <= 0 || !(await queue.hasDue(clock.now()))) return 0;
    const rows = await queue.claim(workerId, clock.now(), options.leaseMs, free);
    for (const row of rows) {
      const running: Promise<void> = handle(row).finally(() => inFlight.delete(running));
      inFlight.add(running);
    }
    return rows.length;
  }

  async function runTasks(force: boolean): Promise<void> {
    for (const task of options.tasks ?? []) {
      const now = clock.now();
      if (!force && now - (lastTaskRun.get(task.name) ?? -Infinity) < task.everyMs) continue;
      lastTaskRun.set(task.name, now);
      await task.run().then(
        () => failures.recovered(`task:${task.name}`, { task: task.name }, 'worker task works again'),
        (error: unknown) =>
          failures.failed(`task:${task.name}`, 'error', { err: error, task: task.name }, 'worker task failed'),
      );
    }
  }

  function idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(), ms);
      wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  async function run(): Promise<void> {
    while (!stopping) {
      try {
        await runTasks(false);
        failures.flush();
        const claimed = await fill();
        if (inFlight.size >= options.batchSize) await Promise.race(inFlight);
        else if (claimed === 0) {
          await Promise.race([...inFlight, idle(options.pollMs)]);
          wakeUp?.(); // clears the idle timer when a row finished first
        }
        failures.recovered('loop', {}, 'outbox worker loop works again');
      } catch (error) {
        failures.failed('loop', 'error', { err: error }, 'outbox worker loop failed; retrying');
        await idle(options.pollMs);
      }
    }
    await Promise.all(inFlight);
  }

  return {
    start() {
      if (loop) return;
      stopping = false;
      loop = run();
      logger.info({ workerId }, 'outbox worker started');
    },
    async stop() {
      stopping = true;
      wakeUp?.();
      await loop;
      await Promise.all(inFlight);
      failures.flush(true);
      loop = undefined;
    },
    async drainOnce() {
      await runTasks(true);
      let handled = 0;
      for (let round = 0; round < MAX_DRAIN_ROUNDS; round += 1) {
        const claimed = await fill();
        await Promise.all(inFlight);
        handled += claimed;
        if (claimed === 0 && !(await queue.hasDue(clock.now()))) break;
      }
      failures.flush();
      return handled;
    },
    wake() {
      wakeUp?.();
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`The handler did not finish within ${ms} ms.`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
