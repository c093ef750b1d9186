import type { CoreDeps, Tx } from '../ports.js';
import { runIdempotent, unwrapOutcome } from './idempotency.js';
import { loadSignerContext, type SignerClient, type SignerContext } from './signer-context.js';

/**
 * Runs a signer command in one transaction. A refusal (CoreError) still commits what was written
 * before it, which is only ever the on-the-spot expiry; every other write follows all checks.
 */
export async function runSignerCommand<T>(
  deps: CoreDeps,
  token: string,
  client: SignerClient,
  command: (tx: Tx, context: SignerContext, now: number) => Promise<T>,
): Promise<T> {
  const now = deps.clock.now();
  const { outcome } = await deps.store.transaction(async (tx) =>
    runIdempotent(tx, '', '', undefined, now, async () =>
      command(tx, await loadSignerContext(tx, deps, token, client, now), now),
    ),
  );
  return unwrapOutcome(outcome);
}
