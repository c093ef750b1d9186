/** Builds the OpenAPI 3.1 document from the route definitions: the schemas that validate are the ones documented. */
import { z } from 'zod';
import { ERROR_CODES } from '../core/errors.js';
import { nativeStatusFor } from './problem.js';
import type { AnyRoute } from './route.js';

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function pathParameters(route: AnyRoute): unknown[] {
  return [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
}

function queryParameters(route: AnyRoute): unknown[] {
  if (!route.query) return [];
  const schema = jsonSchema(route.query, 'input') as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name, in: 'query', required: schema.required?.includes(name) ?? false, schema: property,
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
  }));
}

export function buildOpenApiDocument(routes: readonly AnyRoute[], serverUrl: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const headerParameters = Object.entries(route.headers ?? {}).map(([name, header]) => ({
      name, in: 'header', required: header.required ?? false, description: header.description, schema: { type: 'string' },
    }));
    const content: Record<string, unknown> = {};
    if (route.body) content['application/json'] = { schema: jsonSchema(route.body, 'input') };
    for (const [mediaType, schema] of Object.entries(route.alternativeBodies ?? {})) content[mediaType] = { schema: jsonSchema(schema, 'input') };
    const operation: Record<string, unknown> = {
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      tags: route.tags,
      parameters: [...pathParameters(route), ...queryParameters(route), ...headerParameters],
      ...(Object.keys(content).length > 0 ? { requestBody: { required: true, content } } : {}),
      responses: Object.fromEntries(Object.entries(route.responses).map(([status, response]) => [status, {
        description: response.description,
        ...(response.schema
          ? { content: { [Number(status) >= 400 ? 'application/problem+json' : 'application/json']: { schema: jsonSchema(response.schema, 'output') } } }
          : response.contentType ? { content: { [response.contentType]: { schema: { type: 'string', format: 'binary' } } } } : {}),
      }])),
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
        ...Object.entries(ERROR_CODES).map(([code, text]) => `- <a id="error-${code}"></a>\`${code}\` (${nativeStatusFor(code as keyof typeof ERROR_CODES)}): ${text}`),
      ].join('\n'),
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'An API key (`csk_…`) from `countersign tenant create` or POST /v1/api-keys. Scopes: read, write, admin.' },
      },
    },
    paths,
  };
}
