/**
 * CORS (@fastify/cors), off unless origins are configured, and answers to OPTIONS.
 *
 * Without configured origins no answer carries Access-Control-Allow-Origin, so browsers keep other
 * sites' scripts away from the API. With them, a preflight from a listed origin gets 204 with the
 * allowed methods and headers; any other origin is treated as if CORS were off.
 *
 * A plain OPTIONS (not a preflight) to an existing path is answered 204 with `Allow`: the methods
 * routes exist for at that path. OPTIONS to a path with no route falls through to the not-found
 * handler of the scope it belongs to, so each surface answers it in its own error format.
 */
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';

const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
/** What the native API and the surfaces read from a browser: credentials, bodies, idempotency. */
const CORS_REQUEST_HEADERS = ['authorization', 'content-type', 'idempotency-key', 'x-api-key'];
const CORS_EXPOSED_HEADERS = ['x-request-id', 'retry-after', 'location'];

export async function registerCors(app: FastifyInstance, origins: readonly string[]): Promise<void> {
  if (origins.length === 0) return;
  const allowed = new Set(origins);
  await app.register(cors, {
    // A function, not the list: an origin that is not listed gets no CORS handling at all (not a
    // 204 preflight without Allow-Origin), and its plain OPTIONS is answered like anyone's.
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin) ? origin : false),
    methods: CORS_METHODS,
    allowedHeaders: CORS_REQUEST_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: 600,
    strictPreflight: false,
  });
}

/** A Fastify route path (`/v1/x/:id`, `/lumin/v1/signature_request/*`) as a regular expression. */
function patternOf(url: string): RegExp {
  const source = url
    .split(/(:\w+|\*)/)
    .map((part) => {
      if (part === '*') return '.*';
      if (part.startsWith(':')) return '[^/]+';
      return part.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${source}$`);
}

/** Call before any route is added: routes are collected as they are registered. */
export function installOptionsAnswers(app: FastifyInstance): void {
  const routes: { pattern: RegExp; methods: readonly string[] }[] = [];
  app.addHook('onRoute', (route) => {
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter(
      (method) => method !== 'OPTIONS',
    );
    if (methods.length > 0) routes.push({ pattern: patternOf(route.url ?? route.path), methods });
  });
  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'OPTIONS') return;
    const path = request.url.split('?')[0] ?? '/';
    const methods = new Set(routes.filter((route) => route.pattern.test(path)).flatMap((route) => route.methods));
    if (methods.size === 0) return;
    const allow = [...methods, 'OPTIONS'].sort().join(', ');
    return reply.code(204).header('allow', allow).header('content-length', '0').send();
  });
}
