/**
 * The harness checks every native answer against /openapi.json (test/support/native-contract.ts).
 * These tests show that the check bites: answers the document does not allow are caught, and a
 * server that sent one fails its test at close(). They also pin the answers every operation
 * documents because of its shape (src/http/derive-responses.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { z } from 'zod';
import { defineRoute, type AnyRoute } from '../../src/http/route.js';
import { call, startTestServer, type TestServer } from '../support/harness.js';
import { nativeClient, type NativeClient } from '../support/native.js';

/** Test-only native routes whose answers break their own documentation in one way each. */
const lyingRoutes: AnyRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/v1/test-only/undocumented-status',
    operationId: 'testUndocumentedStatus',
    tags: ['Test'],
    scope: 'read',
    summary: 'Documents 200, answers 418',
    responses: { 200: { description: 'OK', schema: z.object({ ok: z.boolean() }) } },
    handler: async () => ({ status: 418, body: { ok: true } }),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/test-only/wrong-body',
    operationId: 'testWrongBody',
    tags: ['Test'],
    scope: 'read',
    summary: 'Documents {ok: boolean}, answers {ok: "yes"}',
    responses: { 200: { description: 'OK', schema: z.object({ ok: z.boolean() }) } },
    handler: async () => ({ status: 200, body: { ok: 'yes' } }),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/test-only/wrong-type',
    operationId: 'testWrongType',
    tags: ['Test'],
    scope: 'read',
    summary: 'Documents JSON, answers text',
    responses: { 200: { description: 'OK', schema: z.object({ ok: z.boolean() }) } },
    handler: async ({ reply }) => {
      void reply.type('text/plain');
      return { status: 200, body: '{"ok":true}' };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/test-only/honest',
    operationId: 'testHonest',
    tags: ['Test'],
    scope: 'read',
    summary: 'Answers what it documents',
    responses: { 200: { description: 'OK', schema: z.object({ ok: z.boolean() }) } },
    handler: async () => ({ status: 200, body: { ok: true } }),
  }),
];

let server: TestServer;
let client: NativeClient;

before(async () => {
  server = await startTestServer({}, { nativeRoutes: lyingRoutes });
  client = nativeClient(server.baseUrl, (await server.createTenant()).apiKey);
});
after(async () => server.close());

describe('every native answer is checked against /openapi.json', () => {
  const lies = [
    ['an undocumented status', '/v1/test-only/undocumented-status', /418 is not documented for testUndocumentedStatus/],
    ['a body that breaks its schema', '/v1/test-only/wrong-body', /does not match testWrongBody's 200/],
    [
      'an undocumented Content-Type',
      '/v1/test-only/wrong-type',
      /Content-Type text\/plain is not one of application\/json/,
    ],
  ] as const;
  for (const [name, path, message] of lies) {
    test(name, async () => {
      await client.request('GET', path);
      const violations = server.takeContractViolations();
      assert.equal(violations.length, 1, violations.join('\n'));
      assert.match(violations[0]!, message);
    });
  }

  test('an answer that keeps to the document passes, and so do refusals derived from its shape', async () => {
    assert.equal((await client.request('GET', '/v1/test-only/honest')).status, 200);
    assert.equal((await call(server.baseUrl, 'GET', '/v1/test-only/honest')).status, 401);
    assert.equal((await client.request('GET', '/v1/no-such-endpoint')).status, 404);
    assert.deepEqual(server.takeContractViolations(), []);
  });

  test('a server that sent an answer the document does not allow fails its test when it closes', async () => {
    const other = await startTestServer({}, { nativeRoutes: lyingRoutes });
    const key = (await other.createTenant()).apiKey;
    await call(other.baseUrl, 'GET', '/v1/test-only/wrong-body', { headers: { authorization: `Bearer ${key}` } });
    await assert.rejects(other.close(), /1 native answer\(s\) do not match \/openapi.json:\n.*testWrongBody/);
  });
});

describe('the answers each operation documents because of its shape', () => {
  let document: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  before(async () => {
    document = (await call(server.baseUrl, 'GET', '/openapi.json')).body;
  });
  const statuses = (path: string, method: string) => Object.keys(document.paths[path][method].responses).map(Number);
  const codes = (path: string, method: string, status: number): string[] =>
    document.paths[path][method].responses[status].content['application/problem+json'].schema.allOf[1].properties.code
      .enum;

  test('every operation with an API key scope: 401, 403 and 429 with Retry-After', () => {
    for (const [path, item] of Object.entries<Record<string, { security: unknown[] }>>(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        if (operation.security.length === 0) continue;
        for (const status of [401, 403, 429])
          assert.ok(statuses(path, method).includes(status), `${method} ${path} lacks ${status}`);
        assert.equal(document.paths[path][method].responses[429].headers['Retry-After'].required, true);
        assert.deepEqual(codes(path, method, 429).sort(), ['rate_limited', 'session_limit']);
      }
    }
  });

  test('cancel: 400 validation_failed, 404, 409 with its refusal codes, 413, 415 and 422 idempotency_key_reused', () => {
    const cancel = '/v1/signature-requests/{id}/cancel';
    assert.deepEqual(statuses(cancel, 'post'), [200, 202, 400, 401, 403, 404, 409, 413, 415, 422, 429]);
    assert.ok(codes(cancel, 'post', 400).includes('validation_failed'));
    assert.ok(codes(cancel, 'post', 422).includes('idempotency_key_reused'));
    for (const code of ['already_signed', 'already_cancelled', 'declined', 'active_session', 'cancel_pending'])
      assert.ok(codes(cancel, 'post', 409).includes(code), code);
    assert.equal(document.paths[cancel].post.responses[200].headers['Idempotent-Replayed'].schema.enum[0], 'true');
  });

  test('closed sets are enums and ids, times and emails have patterns', () => {
    const request = document.paths['/v1/signature-requests/{id}'].get.responses[200].content['application/json'].schema;
    assert.deepEqual(request.properties.status.enum, [
      'pending',
      'partially_signed',
      'completed',
      'declined',
      'expired',
      'cancelled',
    ]);
    assert.match('sr_01jabcdefghjkmnpqrstvwxyz0', new RegExp(request.properties.id.pattern));
    assert.doesNotMatch('sr_nope', new RegExp(request.properties.id.pattern));
    assert.ok(request.properties.created_at.pattern);
    const batch =
      document.paths['/v1/signature-requests/cancel'].post.responses[200].content['application/json'].schema;
    assert.ok(batch.properties.items.items.properties.code.enum.includes('already_signed'));
    const events =
      document.paths['/v1/signature-requests/{id}/events'].get.responses[200].content['application/json'].schema;
    assert.ok(events.properties.data.items.properties.type.enum.includes('request.cancelled'));
    assert.ok(events.properties.data.items.properties.surface.enum.includes('taktikal'));
  });
});
