/**
 * The HTTP server: the native API under /v1, its OpenAPI document and docs page, and the provider
 * surfaces (each a plugin with its own error format). Errors never leak internals.
 */
import type { IncomingMessage } from 'node:http';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { CoreError, isCoreError } from '../core/errors.js';
import type { CoreDeps } from '../core/ports.js';
import type { DocumentCopies } from '../delivery/ports.js';
import { createNativeAuthenticator } from './auth.js';
import { installOptionsAnswers, registerCors } from './hygiene/cors-and-options.js';
import { DOCS_PAGE_CSP, registerSecurityHeaders } from './hygiene/security-headers.js';
import { createAuthThrottle } from './throttle/auth-throttle.js';
import { registerRateLimitStore } from './throttle/rate-limit-store.js';
import { createRequestQuota } from './throttle/request-quota.js';
import { installRetryAfterHeader } from './throttle/retry-after.js';
import { buildOpenApiDocument } from './openapi.js';
import { problemFor } from './problem.js';
import { registerRoutes, type AnyRoute } from './route.js';
import { apiKeyRoutes } from './v1/api-keys.js';
import { auditAndAdminRoutes } from './v1/audit-and-admin.js';
import { cancelRoutes } from './v1/cancel.js';
import { credentialRoutes } from './v1/credentials.js';
import { createPresenter } from './v1/present.js';
import { signatureRequestRoutes } from './v1/signature-requests.js';
import { signingRoutes } from './v1/signing.js';
import { withdrawPendingCancellationRoutes } from './v1/withdraw-pending-cancellation.js';
import type { Surface, SurfaceContext, SurfaceHttp } from '../providers/surface.js';

/** The configuration the HTTP edge reads: client address, throttling, quotas, CORS. */
export type HttpSettings = Pick<
  Config,
  | 'trustProxy'
  | 'authFailuresPerAddress'
  | 'authFailuresPerCredential'
  | 'authFailureWindowSeconds'
  | 'luminRequestsPerWindow'
  | 'luminQuotaWindowSeconds'
  | 'corsOrigins'
>;

export interface ServerOptions {
  readonly publicUrl: string;
  readonly logger: Logger | false;
  readonly http: HttpSettings;
  /** Provider surfaces, each mounted under its own prefix with its own error format. */
  readonly surfaces?: readonly Surface[];
  readonly surfaceContext?: SurfaceContext;
  /** Extra plugins (bench routes, delivery admin) registered after the native API. */
  readonly plugins?: readonly ((app: FastifyInstance) => Promise<void> | void)[];
  /** Extra native routes (native auth, problem+json, listed in /openapi.json). */
  readonly nativeRoutes?: readonly AnyRoute[];
  /** Copies stored beside documents (the VOID copy), served by GET …/document?variant=void. */
  readonly documentCopies?: Pick<DocumentCopies, 'get'>;
  /**
   * Called with the root instance before anything is registered, so that its hooks see every
   * route, surfaces included (plugins are encapsulated and see only their own). The tests check
   * each native answer against /openapi.json this way.
   */
  readonly observe?: (app: FastifyInstance) => void;
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** Fastify's own 4xx errors (body parsing, limits) translated to our closed code list. */
export function wireErrorFor(error: FastifyError): CoreError | undefined {
  const status = error.statusCode ?? 500;
  if (status === 413) return new CoreError('payload_too_large');
  if (status === 415)
    return new CoreError('unsupported_media_type', 'Send application/json (or multipart/form-data where documented).');
  if (status >= 400 && status < 500)
    return new CoreError(
      'malformed_request',
      error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ? 'The JSON body is empty.' : 'The request body is not valid JSON.',
    );
  return undefined;
}

const BAD_URL = Symbol('countersign.badUrl');
type MarkedRequest = IncomingMessage & { [BAD_URL]?: true };

/**
 * A path that cannot be percent-decoded (`%zz`, a stray `%`, bytes that are not UTF-8) would stop
 * Fastify's router with its own 400 body, in no surface's format. Instead the path is taken
 * literally (its `%` escaped) so that routing finds the scope it belongs to, and the request is
 * marked: the onRequest hook then refuses it there with malformed_request.
 */
export function literalizeBadEscapes(request: IncomingMessage): string {
  const url = request.url ?? '/';
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  try {
    decodeURIComponent(path);
    return url;
  } catch {
    (request as MarkedRequest)[BAD_URL] = true;
    return path.replaceAll('%', '%25') + (queryAt === -1 ? '' : url.slice(queryAt));
  }
}

export async function buildServer(deps: CoreDeps, options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger || undefined,
    logger: options.logger ? undefined : false,
    bodyLimit: DEFAULT_BODY_LIMIT,
    genReqId: () => deps.ids.next('req'),
    rewriteUrl: literalizeBadEscapes,
    requestIdHeader: false,
    // Decides request.ip (the throttle's client address, the audit trail's IP): see README.
    trustProxy: options.http.trustProxy,
    ajv: { customOptions: { removeAdditional: false } },
  } as Parameters<typeof Fastify>[0]) as unknown as FastifyInstance;
  // Hooks and collectors on the root first: they then apply to every scope registered below.
  await registerRateLimitStore(app);
  installRetryAfterHeader(app);
  // After the hooks that finish an answer's headers (Retry-After), so an observer sees them.
  options.observe?.(app);
  await registerSecurityHeaders(app, options.publicUrl);
  await registerCors(app, options.http.corsOrigins);
  installOptionsAnswers(app);
  const throttle = createAuthThrottle(app, {
    failuresPerAddress: options.http.authFailuresPerAddress,
    failuresPerCredential: options.http.authFailuresPerCredential,
    windowSeconds: options.http.authFailureWindowSeconds,
  });
  const surfaceHttp: SurfaceHttp = {
    throttle,
    quotas: {
      lumin: createRequestQuota(app, 'lumin', {
        max: options.http.luminRequestsPerWindow,
        windowSeconds: options.http.luminQuotaWindowSeconds,
      }),
    },
  };

  await app.register(multipart, { limits: { fileSize: 10 * 1024 * 1024, files: 1 } });
  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
    // Thrown here, the refusal reaches the error handler of the scope the URL belongs to, so each
    // surface answers a malformed URL in its own error format (see literalizeBadEscapes).
    if ((request.raw as MarkedRequest)[BAD_URL])
      throw new CoreError('malformed_request', 'The URL is not valid: it has a malformed percent-escape.');
  });

  const present = createPresenter(options.publicUrl, deps.settings.linkKey);
  const routes: AnyRoute[] = [
    ...signatureRequestRoutes(deps, present, options.documentCopies),
    ...cancelRoutes(deps, present),
    ...withdrawPendingCancellationRoutes(deps, present),
    ...auditAndAdminRoutes(deps, present),
    ...apiKeyRoutes(deps),
    ...(options.surfaceContext ? credentialRoutes(options.surfaceContext, options.surfaces ?? []) : []),
    ...signingRoutes(deps, throttle),
    ...(options.nativeRoutes ?? []),
    ...(options.surfaceContext
      ? (options.surfaces ?? []).flatMap((surface) => surface.nativeRoutes?.(options.surfaceContext!) ?? [])
      : []),
  ];
  const document = buildOpenApiDocument(routes, options.publicUrl);

  await app.register(async (native) => {
    // JSON (and multipart where documented) only: text/plain bodies are refused with 415.
    native.removeContentTypeParser('text/plain');
    // Clients that always send `content-type: application/json` send it with an empty body to routes
    // that take none (POST …/start); Fastify's JSON parser would refuse that. Elsewhere it still does.
    const parseJson = native.getDefaultJsonParser('error', 'error');
    native.removeContentTypeParser('application/json');
    native.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      if (body === '' && request.routeOptions.config.bodyless) done(null, undefined);
      else void parseJson(request, body as string, done);
    });
    native.setErrorHandler(async (error: FastifyError, request, reply) => {
      const coreError = isCoreError(error) ? error : wireErrorFor(error);
      if (!coreError) {
        request.log.error({ err: error }, 'unhandled error');
        return reply
          .code(500)
          .type('application/problem+json')
          .send(problemFor(new CoreError('internal'), request.id));
      }
      const { http_status: override, ...details } = coreError.details as {
        http_status?: number;
        retry_after_seconds?: unknown;
      };
      const problem = problemFor(new CoreError(coreError.code, coreError.message, details), request.id, override);
      // A refusal that waiting cures says how long (session_limit's cool-down).
      if (typeof details.retry_after_seconds === 'number')
        void reply.header('retry-after', String(details.retry_after_seconds));
      return reply.code(problem.status).type('application/problem+json').send(problem);
    });
    native.setNotFoundHandler(async (request, reply) => {
      const problem = problemFor(
        new CoreError('route_not_found', `No endpoint ${request.method} ${request.url.split('?')[0]}.`),
        request.id,
      );
      return reply.code(404).type('application/problem+json').send(problem);
    });
    registerRoutes(native, routes, createNativeAuthenticator(deps, throttle));
  });

  app.get('/openapi.json', async () => document);
  await app.register(swagger, { mode: 'static', specification: { document: document as never } });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: DOCS_PAGE_CSP });
  app.get('/healthz', async () => ({ ok: true }));

  for (const surface of options.surfaces ?? []) {
    if (!options.surfaceContext) throw new Error('surfaces need a surfaceContext');
    const context = options.surfaceContext;
    await app.register(async (scope) => surface.register(scope, context, surfaceHttp));
  }
  for (const plugin of options.plugins ?? []) await app.register(async (scope) => plugin(scope));
  return app;
}
