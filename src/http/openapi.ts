/** Builds the OpenAPI 3.1 document from the route definitions: the schemas that validate are the ones documented. */
import { z } from 'zod';
import { ERROR_CODES } from '../core/errors.js';
import { idPattern } from '../core/ids.js';
import { deriveResponses, type DocumentedResponse } from './derive-responses.js';
import { nativeStatusFor } from './problem.js';
import type { AnyRoute } from './route.js';

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** RFC 9457 problem details, the body of every native error (src/http/problem.ts). */
const PROBLEM: JsonSchema = {
  type: 'object',
  description: 'application/problem+json (RFC 9457) with a stable `code`.',
  required: ['type', 'title', 'status', 'code', 'detail', 'request_id'],
  properties: {
    type: { type: 'string', pattern: '^/docs#error-[a-z_]+$' },
    title: { type: 'string' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    code: { type: 'string', enum: Object.keys(ERROR_CODES) },
    detail: { type: 'string' },
    request_id: { type: 'string', pattern: idPattern('req').source },
    issues: {
      type: 'array',
      description: 'What was wrong with the input (validation_failed).',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: { path: { type: 'string' }, message: { type: 'string' } },
        additionalProperties: false,
      },
    },
    current_status: { type: 'string', description: 'The state of the resource when the refusal is about its state.' },
  },
};

/** The problem for one status: its status and the codes it carries, plus the route's extension members. */
function problemSchema(status: number, response: DocumentedResponse): JsonSchema {
  const extension = response.schema
    ? (jsonSchema(response.schema, 'output') as { properties?: JsonSchema; required?: string[] })
    : {};
  const base = new Set(PROBLEM.required as string[]);
  const required = (extension.required ?? []).filter((name) => !base.has(name));
  return {
    allOf: [
      { $ref: '#/components/schemas/Problem' },
      {
        type: 'object',
        properties: {
          ...extension.properties,
          status: { const: status },
          code: { type: 'string', enum: response.codes },
        },
        ...(required.length > 0 ? { required } : {}),
      },
    ],
  };
}

function responseContent(status: number, response: DocumentedResponse): JsonSchema {
  if (status >= 400) return { 'application/problem+json': { schema: problemSchema(status, response) } };
  if (response.schema) return { 'application/json': { schema: jsonSchema(response.schema, 'output') } };
  if (response.contentType) return { [response.contentType]: { schema: { type: 'string', format: 'binary' } } };
  return {};
}

function documentResponses(route: AnyRoute): JsonSchema {
  return Object.fromEntries(
    Object.entries(deriveResponses(route)).map(([key, response]) => {
      const content = responseContent(Number(key), response);
      const headers = Object.entries(response.headers ?? {}).map(([name, header]) => [
        name,
        {
          description: header.description,
          required: header.required ?? false,
          schema: header.schema,
        },
      ]);
      return [
        key,
        {
          description: response.description,
          ...(headers.length > 0 ? { headers: Object.fromEntries(headers) } : {}),
          ...(Object.keys(content).length > 0 ? { content } : {}),
        },
      ];
    }),
  );
}

function pathParameters(route: AnyRoute): unknown[] {
  const shape = route.params
    ? ((jsonSchema(route.params, 'input') as { properties?: Record<string, JsonSchema> }).properties ?? {})
    : {};
  return [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: shape[name!] ?? { type: 'string' },
  }));
}

function queryParameters(route: AnyRoute): unknown[] {
  if (!route.query) return [];
  const schema = jsonSchema(route.query, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: schema.required?.includes(name) ?? false,
    schema: property,
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
  }));
}

export function buildOpenApiDocument(routes: readonly AnyRoute[], serverUrl: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const headerParameters = Object.entries(route.headers ?? {}).map(([name, header]) => ({
      name,
      in: 'header',
      required: header.required ?? false,
      description: header.description,
      schema: { type: 'string' },
    }));
    const content: Record<string, unknown> = {};
    if (route.body) content['application/json'] = { schema: jsonSchema(route.body, 'input') };
    for (const [mediaType, schema] of Object.entries(route.alternativeBodies ?? {}))
      content[mediaType] = { schema: jsonSchema(schema, 'input') };
    const operation: Record<string, unknown> = {
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      tags: route.tags,
      parameters: [...pathParameters(route), ...queryParameters(route), ...headerParameters],
      ...(Object.keys(content).length > 0 ? { requestBody: { required: true, content } } : {}),
      responses: documentResponses(route),
      security: route.scope ? [{ apiKey: [route.scope] }] : [],
    };
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Countersign native API',
      version: '1.0.0',
      description: [
        'Signature requests and their cancellation. Errors are application/problem+json with a stable `code`:',
        '',
        ...Object.entries(ERROR_CODES).map(
          ([code, text]) =>
            `- <a id="error-${code}"></a>\`${code}\` (${nativeStatusFor(code as keyof typeof ERROR_CODES)}): ${text}`,
        ),
      ].join('\n'),
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description:
            'An API key (`csk_…`) from `countersign tenant create` or POST /v1/api-keys. Scopes: read, write, admin.',
        },
      },
      schemas: { Problem: PROBLEM },
    },
    paths,
  };
}
