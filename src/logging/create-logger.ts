/**
 * The process logger (pino), for the server and `countersign worker` alike. Secrets never reach
 * the output: requests are serialized without their secret-bearing parts (route pattern instead of
 * a signing token, credential query values replaced, no headers), credential headers are redacted
 * wherever an object carrying them is logged, and every finished line is scrubbed of anything
 * shaped like a secret (src/logging/redact-secrets.ts). ADR 5.
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import type { Config } from '../config.js';
import { REDACTED, redactSecrets, redactUrl } from './redact-secrets.js';

/** What the request serializer reads of a Fastify request (no Fastify import needed). */
interface LoggableRequest {
  readonly method?: string;
  readonly url?: string;
  readonly host?: string;
  readonly ip?: string;
  readonly params?: unknown;
  readonly routeOptions?: { readonly url?: string };
  readonly socket?: { readonly remotePort?: number };
}

const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'x-api-key', 'cookie', 'set-cookie'];

/** Fastify's own request serializer, minus the secrets: the URL redacted and the matched route pattern beside it. */
export function serializeRequest(request: LoggableRequest): Record<string, unknown> {
  const pattern = request.routeOptions?.url;
  const params = (typeof request.params === 'object' && request.params !== null ? request.params : {}) as Record<
    string,
    unknown
  >;
  return {
    method: request.method,
    url: redactUrl(request.url ?? '', pattern ? { pattern, params } : undefined),
    ...(pattern ? { route: pattern } : {}),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

export function createLogger(config: Pick<Config, 'logLevel'>, destination?: DestinationStream): Logger {
  return pino(
    {
      level: config.logLevel,
      serializers: { req: serializeRequest, err: pino.stdSerializers.err },
      redact: {
        paths: CREDENTIAL_HEADERS.flatMap((name) => [
          `req.headers["${name}"]`,
          `headers["${name}"]`,
          `err.headers["${name}"]`,
        ]),
        censor: REDACTED,
      },
      // The last line of defence: whatever a log call quoted (an error message, a URL), scrubbed by shape.
      hooks: { streamWrite: redactSecrets },
    },
    destination,
  );
}
