/**
 * One definition per endpoint: method, path, auth scope, zod schemas and handler. The same
 * definitions validate requests and generate the OpenAPI document (src/http/openapi.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { CoreError, type ErrorCode } from '../core/errors.js';
import type { Scope } from '../core/model.js';
import type { AuthContext } from './auth.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route takes no body: an empty body labelled application/json is accepted, not refused (server.ts). */
    bodyless?: boolean;
  }
}

export interface ResponseHeader {
  readonly description: string;
  readonly required?: boolean;
  /** A JSON Schema for the header's value. */
  readonly schema: Record<string, unknown>;
}

export interface RouteResponse {
  readonly description: string;
  /** The body; for an error status, extension members beside the problem's own (problemView adds none). */
  readonly schema?: z.ZodType;
  readonly contentType?: string;
  /**
   * Error codes this status carries besides the ones src/http/problem.ts maps to it: only for a
   * route that answers a code with another status (details.http_status).
   */
  readonly codes?: readonly ErrorCode[];
  readonly headers?: Record<string, ResponseHeader>;
}

export interface HandlerContext<B, Q, P> {
  readonly body: B;
  readonly query: Q;
  readonly params: P;
  readonly auth: AuthContext | undefined;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
}

export interface HandlerResult {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

export interface RouteDefinition<B = unknown, Q = unknown, P = unknown> {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** OpenAPI-style path, e.g. /v1/signature-requests/{id}. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tags: readonly string[];
  /** The scope a native API key needs; undefined for endpoints that authenticate otherwise (signing links). */
  readonly scope?: Scope;
  /** Authenticates by a secret in the request itself (a signing link's token): failures are throttled (429). */
  readonly tokenAuthenticated?: boolean;
  readonly body?: z.ZodType<B>;
  /** Extra request media types documented besides application/json (e.g. multipart/form-data). */
  readonly alternativeBodies?: Record<string, z.ZodType>;
  readonly query?: z.ZodType<Q>;
  readonly params?: z.ZodType<P>;
  readonly headers?: Record<string, { description: string; required?: boolean }>;
  readonly bodyLimit?: number;
  readonly responses: Record<number, RouteResponse>;
  /** Parses the body itself (multipart); `body` then documents the JSON form only. */
  readonly customBody?: boolean;
  readonly handler: (context: HandlerContext<B, Q, P>) => Promise<HandlerResult | undefined>;
}

export function defineRoute<B, Q, P>(definition: RouteDefinition<B, Q, P>): RouteDefinition<B, Q, P> {
  return definition;
}

export type AnyRoute = RouteDefinition<any, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** zod issues as `{path, message}` for the problem body. */
export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  throw new CoreError(
    'validation_failed',
    `The ${where} is not valid: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
    { issues },
  );
}

export function registerRoutes(
  app: FastifyInstance,
  routes: readonly AnyRoute[],
  authenticate: (request: FastifyRequest, scope: Scope) => Promise<AuthContext>,
): void {
  for (const route of routes) {
    app.route({
      method: route.method,
      url: route.path.replace(/\{(\w+)\}/g, ':$1'),
      ...(route.bodyLimit ? { bodyLimit: route.bodyLimit } : {}),
      config: { bodyless: route.body === undefined },
      handler: async (request, reply) => {
        const auth = route.scope ? await authenticate(request, route.scope) : undefined;
        const params = route.params ? parseOrThrow(route.params, request.params, 'path') : request.params;
        const query = route.query ? parseOrThrow(route.query, request.query, 'query') : request.query;
        const body =
          route.body && !route.customBody ? parseOrThrow(route.body, request.body ?? null, 'body') : request.body;
        const result = await route.handler({ body, query, params, auth, request, reply });
        if (!result) return reply;
        if (result.headers) void reply.headers(result.headers);
        return reply.code(result.status).send(result.body);
      },
    });
  }
}
