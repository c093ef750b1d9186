import type { FastifyRequest } from 'fastify';
import type { CallContext, CallSurface } from '../../core/model.js';
import type { AuthContext } from '../auth.js';

/** The audit context of an authenticated native call; `actorEmail` names a person acting through the key. */
export function callContext(
  request: FastifyRequest,
  auth: AuthContext,
  actorEmail?: string,
  surface: CallSurface = 'v1',
): CallContext {
  const userAgent = request.headers['user-agent'];
  return {
    actor: actorEmail ? { type: 'user', id: actorEmail, display: actorEmail, via: auth.credentialId } : auth.actor,
    surface,
    ip: request.ip,
    ...(userAgent ? { userAgent: userAgent.slice(0, 512) } : {}),
    httpRequestId: request.id,
  };
}
