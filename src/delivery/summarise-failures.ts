/**
 * Keeps repeated failures from flooding the log. The first failure of a kind (one webhook
 * endpoint, the SMTP relay, lost leases, the worker loop) is logged as it happens; the ones after
 * it are counted and summarised in at most one line per kind per interval (the count and the last
 * details), and a kind that works again gets one "recovered" line. A kind that flaps (fails,
 * works, fails) starts a new logged episode only once the interval has passed since its last line,
 * so it too writes a few lines per interval, not one per attempt. Every attempt's details stay in
 * the database (webhook_attempts, the outbox row's last_error): the log is for noticing, not for
 * forensics. One unreachable endpoint once wrote 81,733 lines in 7 minutes (ADR 5).
 */
import type { Clock } from '../core/ports.js';

/** How often a kind that keeps failing is summarised. */
export const FAILURE_SUMMARY_INTERVAL_MS = 5 * 60_000;
/** Kinds tracked at once; beyond it the oldest is forgotten (its next failure is logged as a first one). */
const MAX_KINDS = 10_000;

export type FailureLevel = 'warn' | 'error';

/** The levels a summary writes at; the worker's logger is one (declared here: no import of the worker's module). */
export type FailureLogger = Record<FailureLevel | 'info', (details: object, message: string) => void>;

export interface FailureSummary {
  /** One failure of `kind`: logged if it starts an episode, else counted into the next summary. */
  failed(kind: string, level: FailureLevel, details: Record<string, unknown>, message: string): void;
  /** `kind` worked: ends its episode, with a recovery line if the episode was logged. */
  recovered(kind: string, details: Record<string, unknown>, message: string): void;
  /** Writes the summaries that are due (every pending one when `all`, as on shutdown). */
  flush(all?: boolean): void;
}

interface KindState {
  level: FailureLevel;
  message: string;
  details: Record<string, unknown>;
  failing: boolean;
  /** Whether a line about the current episode was written (only then is its end worth a line). */
  announced: boolean;
  since: number;
  lastLineAt: number;
  /** Failures not yet in any line. */
  unlogged: number;
  /** Failures in the current episode. */
  total: number;
}

export function createFailureSummary(
  logger: FailureLogger,
  clock: Clock,
  intervalMs = FAILURE_SUMMARY_INTERVAL_MS,
): FailureSummary {
  const kinds = new Map<string, KindState>();

  function line(state: KindState, now: number, write: () => void): void {
    write();
    state.unlogged = 0;
    state.lastLineAt = now;
    if (state.failing) state.announced = true;
  }

  function summarise(state: KindState, now: number): void {
    if (state.unlogged === 0) return;
    line(state, now, () =>
      logger[state.level](
        {
          ...state.details,
          repeated: state.unlogged,
          periodMs: now - state.lastLineAt,
          ...(state.failing ? { failingForMs: now - state.since } : {}),
        },
        `${state.message} (repeated)`,
      ),
    );
  }

  return {
    failed(kind, level, details, message) {
      const now = clock.now();
      let state = kinds.get(kind);
      if (!state) {
        if (kinds.size >= MAX_KINDS) kinds.delete(kinds.keys().next().value!);
        state = {
          level,
          message,
          details,
          failing: false,
          announced: false,
          since: now,
          lastLineAt: -Infinity,
          unlogged: 0,
          total: 0,
        };
        kinds.set(kind, state);
      }
      Object.assign(state, { level, message, details });
      state.unlogged += 1;
      state.total += 1;
      if (!state.failing) Object.assign(state, { failing: true, announced: false, since: now, total: 1 });
      if (now - state.lastLineAt < intervalMs) return;
      if (state.announced) summarise(state, now);
      else if (state.unlogged === 1) line(state, now, () => logger[level](details, message));
      else summarise(state, now);
    },
    recovered(kind, details, message) {
      const state = kinds.get(kind);
      if (!state?.failing) return;
      const now = clock.now();
      state.failing = false;
      if (!state.announced) return; // its failures are summarised by flush, like any others
      line(state, now, () =>
        logger.info(
          {
            ...details,
            ...(state.unlogged > 0 ? { repeated: state.unlogged } : {}),
            failedAttempts: state.total,
            failingForMs: now - state.since,
          },
          message,
        ),
      );
    },
    flush(all = false) {
      const now = clock.now();
      for (const [kind, state] of kinds) {
        if (all || now - state.lastLineAt >= intervalMs) summarise(state, now);
        // A kind that works and has nothing pending is forgotten once the interval has passed.
        if (!state.failing && state.unlogged === 0 && now - state.lastLineAt >= intervalMs) kinds.delete(kind);
      }
    },
  };
}
