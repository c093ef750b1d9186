/**
 * How often one signer may start a "Proceed to Sign" session on a request (ADR 7). A session blocks
 * a plain cancel while it lasts, so a signer pressing again whenever one lapsed could hold a request
 * uncancellable for ever. Two limits, both configurable:
 * - a cool-down: after a session lapsed unfinished, the same signer waits before starting another,
 *   which leaves a plain cancel (and every provider surface's cancel, none of which can defer) a gap;
 * - a cap: at most N sessions per signer per request, so the total time in session is bounded.
 * A deferred cancel needs neither: it stops new sessions at once (cancel_pending).
 */
import { CoreError } from './errors.js';
import type { SignSession } from './model.js';
import type { CoreSettings } from './ports.js';

export const DEFAULT_SIGN_SESSION_COOLDOWN_SECONDS = 60;
export const DEFAULT_SIGN_SESSIONS_PER_SIGNER = 10;

/**
 * Throws session_limit when this signer may not start another session now: with
 * `retry_after_seconds` when waiting out the cool-down helps, without it once the cap is reached.
 */
export function assertMayStartSession(
  history: { readonly count: number; readonly latest: SignSession | undefined },
  settings: Pick<CoreSettings, 'signSessionCooldownMs' | 'maxSignSessionsPerSigner'>,
  now: number,
): void {
  if (history.count >= settings.maxSignSessionsPerSigner) {
    throw new CoreError(
      'session_limit',
      `This signer has already started ${history.count} sign sessions on this request, the most allowed.`,
    );
  }
  const latest = history.latest;
  if (!latest || latest.endedAt !== null) return;
  const waitUntil = latest.expiresAt + settings.signSessionCooldownMs;
  if (latest.expiresAt <= now && now < waitUntil) {
    const seconds = Math.ceil((waitUntil - now) / 1000);
    throw new CoreError(
      'session_limit',
      `The last sign session lapsed unfinished; a new one may start in ${seconds} s.`,
      { retry_after_seconds: seconds },
    );
  }
}
