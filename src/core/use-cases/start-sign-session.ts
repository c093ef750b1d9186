import { CoreError } from '../errors.js';
import type { SignSession } from '../model.js';
import type { CoreDeps } from '../ports.js';
import { assertMayStartSession } from '../session-rules.js';
import { SIGNABLE } from '../state-machine.js';
import { runSignerCommand } from './run-signer-command.js';
import { assertSignerMayAct, type SignerClient } from './signer-context.js';

/**
 * "Proceed to Sign": opens the signer's sign session. While it is active the request cannot be
 * cancelled (Singpass ACTIVE_SESSION_ONGOING). Pressing again during a session returns it, unchanged
 * (same id, same expiry: it is not a new session and does not extend the old one). A new session is
 * refused while the sender's deferred cancel is pending (cancel_pending) and when the signer
 * restarts too often (session_limit, session-rules.ts).
 */
export async function startSignSession(deps: CoreDeps, token: string, client: SignerClient): Promise<SignSession> {
  return runSignerCommand(deps, token, client, async (tx, { request, signer, audit }, now) => {
    assertSignerMayAct(request, signer);
    const existing = await tx.sessions.activeForSigner(signer.id, now);
    if (existing) return existing;
    if (request.pendingCancellation)
      throw new CoreError('cancel_pending', undefined, { status: request.status, requestId: request.id });
    assertMayStartSession(await tx.sessions.historyOfSigner(signer.id), deps.settings, now);
    // The guard takes the request row, so a concurrent cancel either sees this session or wins first.
    if (!(await tx.requests.touch(request.id, SIGNABLE, now))) throw new CoreError('conflict');
    const session: SignSession = {
      id: deps.ids.next('ses'),
      requestId: request.id,
      signerId: signer.id,
      startedAt: now,
      expiresAt: now + deps.settings.signSessionMs,
      endedAt: null,
    };
    await tx.sessions.open(session);
    await tx.requests.changeSignerStatus({
      signerId: signer.id,
      from: ['notified', 'viewed', 'in_session'],
      to: 'in_session',
      now,
    });
    await audit.append({
      tenantId: request.tenantId,
      requestId: request.id,
      type: 'signer.session_started',
      data: { signer_id: signer.id, session_id: session.id, expires_at: session.expiresAt },
    });
    return session;
  });
}
