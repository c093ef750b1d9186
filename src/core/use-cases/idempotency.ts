/**
 * Idempotent commands: the outcome (success or refusal) is stored in the same transaction as
 * the change, so a replay returns exactly the original answer, even after a crash.
 */
import { createHash } from 'node:crypto';
import { CoreError, isCoreError, type ErrorCode, type ErrorDetails } from '../errors.js';
import { canonicalJson } from '../audit.js';
import type { Tx } from '../ports.js';

export type Outcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: { code: ErrorCode; message: string; details: ErrorDetails } };

export interface IdempotencyOptions {
  readonly key: string;
  /** Anything that identifies the request: the same key with another fingerprint is refused. */
  readonly fingerprint: unknown;
}

export function fingerprintOf(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

export function toOutcomeError(error: CoreError): Outcome<never> {
  return { ok: false, error: { code: error.code, message: error.message, details: error.details } };
}

export function unwrapOutcome<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  throw new CoreError(outcome.error.code, outcome.error.message, outcome.error.details);
}

/**
 * Runs `run` unless the key was seen; stores its outcome. Refusals (CoreErrors) are outcomes
 * too and are stored; any other error rolls the transaction back and stores nothing.
 */
export async function runIdempotent<T>(
  tx: Tx,
  tenantId: string,
  scope: string,
  options: IdempotencyOptions | undefined,
  now: number,
  run: () => Promise<T>,
): Promise<{ outcome: Outcome<T>; replayed: boolean }> {
  const capture = async (): Promise<Outcome<T>> => {
    try {
      return { ok: true, value: await run() };
    } catch (error) {
      if (isCoreError(error) && error.code !== 'conflict') return toOutcomeError(error);
      throw error;
    }
  };
  if (!options) return { outcome: await capture(), replayed: false };
  const fingerprint = fingerprintOf(options.fingerprint);
  const existing = await tx.idempotency.get(tenantId, scope, options.key);
  if (existing) {
    if (existing.fingerprint !== fingerprint) throw new CoreError('idempotency_key_reused');
    return { outcome: existing.outcome as Outcome<T>, replayed: true };
  }
  const outcome = await capture();
  await tx.idempotency.put(tenantId, scope, options.key, { fingerprint, outcome, createdAt: now });
  return { outcome, replayed: false };
}
