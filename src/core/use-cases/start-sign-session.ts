import { CoreError } from '../errors.js';
import type { SignSession } from '../model.js';
import type { CoreDeps } from '../ports.js';
import { SIGNABLE } from '../state-machine.js';
import { runSignerCommand } from './run-signer-command.js';
import { assertSignerMayAct } from './signer-context.js';

/**
 * "Proceed to Sign": opens the signer's sign session. While it is active the request cannot be
 * cancelled (Singpass ACTIVE_SESSION_ONGOING). Pressing again during a session returns it.
 */
export async function startSignSession(deps: CoreDeps, token: string): Promise<SignSession> {
  return runSignerCommand(deps, token, async (tx, { request, signer, audit }, now) => {
    assertSignerMayAct(request, signer);
    const existing = await tx.sessions.activeForSigner(signer.id, now);
    if (existing) return existing;
    // The guard takes the request row, so a concurrent cancel either sees this session or wins first.
    if (!(await tx.requests.touch(request.id, SIGNABLE, now))) throw new CoreError('conflict');
    const session: SignSession = {
      id: deps.ids.next('ses'), requestId: request.id, signerId: signer.id, startedAt: now, expiresAt: now + deps.settings.signSessionMs, endedAt: null,
    };
    await tx.sessions.open(session);
    await tx.requests.changeSignerStatus({ signerId: signer.id, from: ['notified', 'viewed', 'in_session'], to: 'in_session', now });
    await audit.append({
      tenantId: request.tenantId, requestId: request.id, type: 'signer.session_started', data: { signer_id: signer.id, session_id: session.id, expires_at: session.expiresAt },
    });
    return session;
  });
}
