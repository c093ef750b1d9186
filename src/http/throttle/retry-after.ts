/**
 * Retry-After on 429 answers, whatever surface answers them. A refusal records how long the
 * client should wait; one onSend hook on the root puts it in the header, so each surface's error
 * handler keeps building only its own body. Other 429s (session_limit) can use `setRetryAfter` too.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';

const waits = new WeakMap<FastifyRequest, number>();

export function setRetryAfter(request: FastifyRequest, seconds: number): void {
  waits.set(request, Math.max(1, Math.ceil(seconds)));
}

export function installRetryAfterHeader(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply) => {
    const seconds = waits.get(request);
    if (seconds !== undefined && reply.statusCode === 429) void reply.header('retry-after', String(seconds));
  });
}
