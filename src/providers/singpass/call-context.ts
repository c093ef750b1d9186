import type { FastifyRequest } from 'fastify';
import type { CallContext } from '../../core/model.js';

/** The audit context of a call made by an RP: the actor is the Singpass client. */
export function singpassCallContext(request: FastifyRequest, clientId: string): CallContext {
  const userAgent = request.headers['user-agent'];
  return {
    actor: { type: 'integration', id: clientId, display: `Singpass client ${clientId}` },
    surface: 'singpass',
    ip: request.ip,
    ...(userAgent ? { userAgent: userAgent.slice(0, 512) } : {}),
    httpRequestId: request.id,
  };
}
