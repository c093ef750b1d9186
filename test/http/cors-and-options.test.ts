// CORS is off unless origins are configured; OPTIONS is answered (204 with Allow, or a preflight
// for a listed origin) instead of a 404, and OPTIONS to a path with no route is a 404 in the
// format of the surface the path belongs to.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { call, startTestServer, type TestServer } from '../support/harness.js';

const APP_ORIGIN = 'https://app.example.com';

describe('by default (no COUNTERSIGN_CORS_ORIGINS)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('no answer carries Access-Control-Allow-Origin, whatever the Origin', async () => {
    const tenant = await server.createTenant();
    const get = await call(server.baseUrl, 'GET', '/v1/signature-requests', {
      headers: { origin: APP_ORIGIN, authorization: `Bearer ${tenant.apiKey}` },
    });
    assert.equal(get.status, 200);
    assert.equal(get.headers.get('access-control-allow-origin'), null);
    const preflight = await call(server.baseUrl, 'OPTIONS', '/v1/signature-requests', {
      headers: {
        origin: APP_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    assert.equal(preflight.headers.get('access-control-allow-origin'), null);
    assert.equal(preflight.headers.get('access-control-allow-methods'), null);
  });

  test('a plain OPTIONS is 204 with the methods that path has, on the native API and on the surfaces', async () => {
    const cases: [string, string][] = [
      ['/v1/signature-requests', 'GET, HEAD, OPTIONS, POST'],
      ['/v1/signature-requests/sr_123/cancel', 'OPTIONS, POST'],
      ['/lumin/v1/signature_request/sr_123', 'GET, HEAD, OPTIONS, PATCH'],
      ['/singpass/api/v3/sign-requests/cancel', 'OPTIONS, POST'],
      ['/taktikal/api/management/signing', 'DELETE, OPTIONS, POST'],
      ['/kaizen/api/RecallSignRequest', 'OPTIONS, POST'],
      ['/auco/v1.5/ext/company', 'GET, HEAD, OPTIONS, PUT'],
    ];
    for (const [path, allow] of cases) {
      const response = await call(server.baseUrl, 'OPTIONS', path);
      assert.equal(response.status, 204, path);
      assert.equal(response.headers.get('allow'), allow, path);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', path);
    }
  });

  test("OPTIONS to a path with no route is a 404 in that surface's own format", async () => {
    const native = await call(server.baseUrl, 'OPTIONS', '/v1/nothing-here');
    assert.equal(native.status, 404);
    assert.equal(native.body.code, 'route_not_found');
    const lumin = await call(server.baseUrl, 'OPTIONS', '/lumin/v1/nothing-here');
    assert.equal(lumin.status, 404);
    assert.equal(lumin.body.error_code, 'NOT_FOUND');
    const taktikal = await call(server.baseUrl, 'OPTIONS', '/taktikal/api/nothing-here');
    assert.equal(taktikal.status, 404);
    assert.equal(taktikal.body.responseStatus.errorCode, 'NotFound');
    const auco = await call(server.baseUrl, 'OPTIONS', '/auco/v1.5/ext/nothing-here');
    assert.equal(auco.body.code, 'NOT_FOUND');
  });
});

describe('with COUNTERSIGN_CORS_ORIGINS', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      corsOrigins: loadConfig({ COUNTERSIGN_CORS_ORIGINS: `${APP_ORIGIN}, http://localhost:5173` }).corsOrigins,
    });
  });
  after(() => server.close());

  test('a preflight from a listed origin is 204 with the allowed methods and headers', async () => {
    const preflight = await call(server.baseUrl, 'OPTIONS', '/v1/signature-requests/sr_123/cancel', {
      headers: {
        origin: APP_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, idempotency-key',
      },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), APP_ORIGIN);
    assert.match(preflight.headers.get('access-control-allow-methods')!, /POST/);
    assert.equal(
      preflight.headers.get('access-control-allow-headers'),
      'authorization, content-type, idempotency-key, x-api-key',
    );
    assert.match(preflight.headers.get('vary')!, /Origin/i);
  });

  test('the actual request from a listed origin is allowed and exposes the request id; other origins get nothing', async () => {
    const tenant = await server.createTenant();
    const allowed = await call(server.baseUrl, 'GET', '/v1/signature-requests', {
      headers: { origin: 'http://localhost:5173', authorization: `Bearer ${tenant.apiKey}` },
    });
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'http://localhost:5173');
    assert.match(allowed.headers.get('access-control-expose-headers')!, /x-request-id/);
    const stranger = await call(server.baseUrl, 'GET', '/v1/signature-requests', {
      headers: { origin: 'https://evil.example', authorization: `Bearer ${tenant.apiKey}` },
    });
    assert.equal(stranger.headers.get('access-control-allow-origin'), null);
    const strangerPreflight = await call(server.baseUrl, 'OPTIONS', '/v1/signature-requests', {
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(strangerPreflight.headers.get('access-control-allow-origin'), null);
    assert.equal(strangerPreflight.headers.get('access-control-allow-methods'), null);
  });

  test('origins must be bare origins', () => {
    assert.throws(() => loadConfig({ COUNTERSIGN_CORS_ORIGINS: 'https://app.example.com/path' }), /must be an origin/);
    assert.throws(() => loadConfig({ COUNTERSIGN_CORS_ORIGINS: '*' }));
  });
});
