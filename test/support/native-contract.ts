/**
 * Checks an answer of the native API (/v1) against the server's own /openapi.json with
 * openapi-backend: the status must be declared by the operation, the Content-Type must be one the
 * document gives for that status, the body must match its schema, and declared required headers
 * must be there. startTestServer checks every /v1 answer it serves (test/support/harness.ts).
 *
 * Two adaptations, both in the validator's own copy of the document:
 * - openapi-backend validates only `application/json` bodies, so a response documented as
 *   `application/problem+json` gets its schema under `application/json` too (the real Content-Type
 *   is checked here first);
 * - its default Ajv is draft-07 and ignores formats; the document is JSON Schema 2020-12 (what zod
 *   emits), so Ajv2020 with ajv-formats compiles it and `date-time` and `email` are really checked.
 */
import { OpenAPIBackend, type Document } from 'openapi-backend';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// ajv-formats is CommonJS with `exports.default`; under tsx's ESM interop it may arrive wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv2020,
) => Ajv2020;

export interface ObservedResponse {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly headers: Record<string, unknown>;
  /** The bytes sent (fastify's onSend payload); a stream cannot be checked and is reported. */
  readonly payload: unknown;
}

/** Answers to /v1 paths that match no operation: the not-found handler, or a URL refused as malformed. */
const OUTSIDE_OPERATIONS: Record<number, string> = { 404: 'route_not_found', 400: 'malformed_request' };
const JSON_MEDIA = /^application\/(?:[\w.-]+\+)?json$/;

function validatorCopy(document: Json): Json {
  const copy = structuredClone(document);
  for (const item of Object.values(copy.paths as Json)) {
    for (const operation of Object.values(item as Json) as Json[]) {
      for (const response of Object.values((operation.responses ?? {}) as Json) as Json[]) {
        const problem = response.content?.['application/problem+json'];
        if (problem && !response.content['application/json']) response.content['application/json'] = problem;
      }
    }
  }
  return copy;
}

function bodyText(payload: unknown): string | undefined {
  if (payload === null || payload === undefined) return '';
  if (typeof payload === 'string') return payload;
  if (Buffer.isBuffer(payload)) return payload.toString('utf8');
  return undefined;
}

export class NativeContract {
  private static readonly loaded = new Map<string, Promise<NativeContract>>();

  private constructor(
    private readonly api: OpenAPIBackend,
    private readonly problem: (body: unknown) => boolean,
  ) {}

  /** One compiled validator per distinct document (the servers entry aside), shared by every test server. */
  static load(document: Json): Promise<NativeContract> {
    const key = JSON.stringify({ ...document, servers: [] });
    let contract = NativeContract.loaded.get(key);
    if (!contract) {
      contract = NativeContract.create(document);
      NativeContract.loaded.set(key, contract);
    }
    return contract;
  }

  private static async create(document: Json): Promise<NativeContract> {
    const api = new OpenAPIBackend({
      definition: validatorCopy(document) as Document,
      quick: true,
      validate: true,
      customizeAjv: (_ajv, options) => addFormats(new Ajv2020({ ...options, strict: false, allErrors: true })) as never,
    });
    await api.init();
    const problem = addFormats(new Ajv2020({ strict: false })).compile(document.components.schemas.Problem as Json);
    return new NativeContract(api, (body) => problem(body));
  }

  /** What is wrong with this answer, if anything; answers outside /v1 are not the native API's. */
  violations(observed: ObservedResponse): string[] {
    const path = observed.url.split('?')[0]!;
    if (path !== '/v1' && !path.startsWith('/v1/')) return [];
    // OPTIONS is HTTP's own (Allow, CORS preflight; src/http/hygiene/cors-and-options.ts), answered
    // for every path and tested there; the document lists the API's operations.
    if (observed.method === 'OPTIONS') return [];
    const where = `${observed.method} ${observed.url} -> ${observed.status}`;
    const text = bodyText(observed.payload);
    if (text === undefined) return [`${where}: a streamed body, which this check cannot read`];
    const mediaType = String(observed.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase();
    // Fastify answers HEAD for every GET route: it is that operation's answer, without the body.
    const method = observed.method === 'HEAD' ? 'get' : observed.method.toLowerCase();
    const operation = this.api.router.matchOperation({ method, path, headers: {}, query: {} }) as Json | undefined;

    if (!operation) {
      const code = OUTSIDE_OPERATIONS[observed.status];
      let body: Json | undefined;
      try {
        body = JSON.parse(text) as Json;
      } catch {
        body = undefined;
      }
      if (!code || mediaType !== 'application/problem+json' || !this.problem(body) || body?.code !== code) {
        return [
          `${where}: no operation matches, so only a ${Object.entries(OUTSIDE_OPERATIONS)
            .map(([s, c]) => `${s} ${c}`)
            .join(' or ')} problem may answer; got ${mediaType} ${text.slice(0, 300)}`,
        ];
      }
      return [];
    }

    const declared = (operation.responses as Json)[String(observed.status)] as Json | undefined;
    if (!declared)
      return [
        `${where}: status ${observed.status} is not documented for ${operation.operationId} (body: ${text.slice(0, 300)})`,
      ];
    const problems: string[] = [];
    for (const [name, header] of Object.entries((declared.headers ?? {}) as Json)) {
      if (header.required && observed.headers[name.toLowerCase()] === undefined)
        problems.push(`${where}: the required header ${name} is missing`);
    }
    const content = (declared.content ?? {}) as Json;
    const documented = Object.keys(content).filter(
      (type) => !(type === 'application/json' && content['application/problem+json']),
    );
    if (documented.length === 0) {
      if (text.length > 0) problems.push(`${where}: documented without a body, but one was sent (${mediaType})`);
      return problems;
    }
    if (!documented.includes(mediaType))
      return [...problems, `${where}: Content-Type ${mediaType || '(none)'} is not one of ${documented.join(', ')}`];
    if (!JSON_MEDIA.test(mediaType)) return problems;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return [...problems, `${where}: the ${mediaType} body is not JSON: ${text.slice(0, 200)}`];
    }
    const result = this.api.validator.validateResponse(body, operation.operationId as string, observed.status);
    if (!result.valid)
      problems.push(
        `${where}: the body does not match ${operation.operationId}'s ${observed.status}: ${JSON.stringify(result.errors).slice(0, 1500)}\nbody: ${text.slice(0, 1500)}`,
      );
    return problems;
  }
}
