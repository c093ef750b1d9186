/**
 * Checks every Lumin-surface response against Lumin's official OpenAPI document
 * (test/fixtures/lumin-openapi.normalized-4XX.yaml, the repo spec with the three fixes listed in
 * its first line) with openapi-backend, loaded `quick: true` (its OAS 3.0 definition check
 * rejects 3.1's `$ref` siblings). YAML is read with the `yaml` package, already installed as a
 * dependency of @fastify/swagger.
 *
 * Patches applied to the in-memory copy, and why:
 * - synthetic operationIds `<method>_<path>` where one is missing (openapi-backend needs them; the
 *   normalized copy already carries them, so today this adds none);
 * - `SignatureRequest.created_at/updated_at/expires_at` and `SignatureRequestSummary.created_at`:
 *   `type: string` -> `type: integer`. The spec says string but every example, the webhooks and the
 *   `expires_at` input use integer epoch milliseconds, which is what Countersign sends
 *   (docs/compat/lumin.md). Nothing else is relaxed.
 *
 * A status the operation does not declare (e.g. any 5XX) fails the check: openapi-backend would
 * silently pass it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { OpenAPIBackend, type Document } from 'openapi-backend';
import { parse } from 'yaml';

const SPEC_PATH = new URL('../fixtures/lumin-openapi.normalized-4XX.yaml', import.meta.url);
export const LUMIN_PREFIX = '/lumin/v1';
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function patchedSpec(): Json {
  const spec = parse(readFileSync(SPEC_PATH, 'utf8')) as Json;
  for (const [path, item] of Object.entries(spec.paths as Json)) {
    for (const method of HTTP_METHODS) {
      const operation = (item as Json)[method] as Json | undefined;
      if (operation && !operation.operationId)
        operation.operationId = `${method}_${path.replace(/[^A-Za-z0-9]+/g, '_')}`;
    }
  }
  const schemas = spec.components.schemas as Json;
  for (const field of ['created_at', 'updated_at', 'expires_at'])
    schemas.SignatureRequest.properties[field].type = 'integer';
  schemas.SignatureRequestSummary.properties.created_at.type = 'integer';
  return spec;
}

export class LuminOpenApi {
  private constructor(
    private readonly api: OpenAPIBackend,
    readonly spec: Json,
  ) {}

  static async load(): Promise<LuminOpenApi> {
    const spec = patchedSpec();
    const api = new OpenAPIBackend({ definition: spec as Document, quick: true, validate: true });
    await api.init();
    return new LuminOpenApi(api, spec);
  }

  /** The operation a request under /lumin/v1 maps to, if the spec has one. */
  operationFor(method: string, url: string): Json | undefined {
    const path = url.split('?')[0]!.replace(LUMIN_PREFIX, '') || '/';
    return this.api.router.matchOperation({ method: method.toLowerCase(), path, headers: {}, query: {} }) as
      Json | undefined;
  }

  /**
   * Asserts that `body` is what the spec allows for this call and status. Calls outside the spec
   * (unknown routes) must at least be a 4XX with the spec's `Error` schema (checked through the
   * cancel operation, whose 4XX is `#/components/schemas/Error`).
   */
  assertResponse(method: string, url: string, status: number, body: unknown): void {
    const operation = this.operationFor(method, url);
    const operationId =
      (operation?.operationId as string | undefined) ?? 'put_signature_request_cancel_signature_request_id_';
    if (!operation)
      assert.ok(status >= 400 && status < 500, `${method} ${url} is outside the spec and answered ${status}`);
    const responses = (this.api.router.getOperation(operationId) as Json).responses as Json;
    const declared = responses[String(status)] ?? responses[`${Math.floor(status / 100)}XX`];
    assert.ok(declared, `${method} ${url}: status ${status} is not declared by ${operationId}`);
    const result = this.api.validator.validateResponse(body, operationId, status);
    assert.ok(
      result.valid,
      `${method} ${url} -> ${status} does not match the Lumin spec: ${JSON.stringify(result.errors)}\nbody: ${JSON.stringify(body)}`,
    );
  }
}

export interface LuminResponse {
  readonly status: number;
  readonly headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface LuminRequestOptions {
  readonly headers?: Record<string, string>;
  /** Sent as JSON. */
  readonly json?: unknown;
  readonly raw?: string | Uint8Array;
  readonly form?: FormData;
}

/** A fetch-based client for the Lumin surface that validates every answer against the spec. */
export function luminClient(baseUrl: string, spec: LuminOpenApi, auth: Record<string, string> = {}) {
  return async function lumin(method: string, path: string, options: LuminRequestOptions = {}): Promise<LuminResponse> {
    const url = `${LUMIN_PREFIX}${path}`;
    const headers: Record<string, string> = { ...auth, ...options.headers };
    let body: string | Uint8Array | FormData | undefined = options.raw ?? options.form;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(baseUrl + url, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      assert.fail(`${method} ${url} answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`);
    }
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/, `${method} ${url}: content-type`);
    spec.assertResponse(method, url, response.status, parsed);
    return { status: response.status, headers: response.headers, body: parsed };
  };
}
export type LuminFetch = ReturnType<typeof luminClient>;

/** Asserts a Lumin error answer: the status and the `{error_code, error_message}` envelope. */
export function assertLuminError(response: LuminResponse, status: number, errorCode?: string): void {
  assert.equal(response.status, status, `expected ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
  assert.equal(typeof response.body.error_code, 'string');
  assert.equal(typeof response.body.error_message, 'string');
  assert.ok(response.body.error_message.length > 0);
  if (errorCode !== undefined) assert.equal(response.body.error_code, errorCode, response.body.error_message);
}
