/**
 * Mounting: every route is served under `/taktikal/api` (the swagger's basePath, in place of
 * `https://onboarding.taktikal.is/api`) and under `/taktikal` (the cancel seed's curl has no
 * `/api`). Each mount has its own JSON parser (an empty body with a JSON Content-Type is "no
 * body", as a DELETE from a generated client often sends), error handler and not-found handler,
 * all answering in the ServiceStack envelope.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CoreError } from '../../core/errors.js';
import type { CoreDeps } from '../../core/ports.js';
import type { AuthThrottle } from '../../http/throttle/auth-throttle.js';
import { authenticateTaktikal, type TaktikalAuth } from './auth.js';
import { envelopeFor, toTaktikalError } from './errors.js';

export const MOUNTS = ['/taktikal/api', '/taktikal'] as const;

/** Bodies without a document stay small; a document is at most 10 MiB (base64: ~13.4 MiB). */
export const SMALL_BODY_LIMIT = 64 * 1024;
export const PROCESS_BODY_LIMIT = 15 * 1024 * 1024;
export const SEQUENCE_BODY_LIMIT = 60 * 1024 * 1024;

export interface TaktikalHandlerContext {
  readonly auth: TaktikalAuth;
  readonly request: FastifyRequest;
}

export interface TaktikalResult {
  readonly status: number;
  readonly body?: unknown;
}

export interface TaktikalRoute {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** Fastify syntax (`:ProcessKey`), relative to the mount. */
  readonly path: string;
  readonly bodyLimit?: number;
  readonly handler: (context: TaktikalHandlerContext) => Promise<TaktikalResult>;
}

function sendError(request: FastifyRequest, reply: FastifyReply, error: unknown) {
  const { coreError, unexpected } = toTaktikalError(error);
  if (unexpected) request.log.error({ err: error }, 'unhandled error in the taktikal surface');
  const { status, body } = envelopeFor(coreError, request.id);
  if (status === 401) void reply.header('www-authenticate', 'Basic realm="Taktikal"');
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}

export async function mountTaktikal(
  app: FastifyInstance,
  deps: CoreDeps,
  throttle: AuthThrottle,
  routes: readonly TaktikalRoute[],
): Promise<void> {
  for (const prefix of MOUNTS) {
    await app.register(
      async (scope) => {
        scope.removeContentTypeParser('application/json');
        const parseJson = scope.getDefaultJsonParser('error', 'error');
        scope.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
          if (body === '') return done(null, undefined);
          void parseJson(request, body as string, done); // completes through `done`
        });
        scope.setErrorHandler(async (error, request, reply) => sendError(request, reply, error));
        scope.setNotFoundHandler(async (request, reply) =>
          sendError(
            request,
            reply,
            new CoreError('route_not_found', `No endpoint ${request.method} ${request.url.split('?')[0]}.`),
          ),
        );
        // Authenticated before the body is read: a stranger's 60 MiB upload is refused unread.
        const authenticated = new WeakMap<FastifyRequest, TaktikalAuth>();
        for (const route of routes) {
          scope.route({
            method: route.method,
            url: route.path,
            bodyLimit: route.bodyLimit ?? SMALL_BODY_LIMIT,
            onRequest: async (request) => {
              authenticated.set(request, await authenticateTaktikal(deps, throttle, request));
            },
            handler: async (request, reply) => {
              const auth = authenticated.get(request);
              if (!auth) throw new CoreError('unauthorized');
              const result = await route.handler({ auth, request });
              void reply.code(result.status);
              if (result.body === undefined) return reply.send();
              return reply.type('application/json; charset=utf-8').send(result.body);
            },
          });
        }
      },
      { prefix },
    );
  }
}
