/**
 * Native API keys over real HTTP: list (never the secret), create with an expiry, rotate, revoke
 * (at once, audited, idempotent), the 401 of a revoked or expired key, tenant isolation, and the
 * rule that a key cannot hand out more than it holds.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/harness.js';
import { nativeClient, type NativeClient } from '../support/native.js';

let server: TestServer;
let admin: NativeClient;
let other: NativeClient;

before(async () => {
  server = await startTestServer();
  admin = nativeClient(server.baseUrl, (await server.createTenant('Acme')).apiKey);
  other = nativeClient(server.baseUrl, (await server.createTenant('Other')).apiKey);
});
after(async () => server.close());

const inFuture = (ms: number) => new Date(server.clock.now() + ms).toISOString();

test('rotation: a new key works beside the old one until the old one is revoked, at once, with an audit event', async () => {
  const created = await admin.request('POST', '/v1/api-keys', { scopes: ['read', 'write'], label: 'ci' });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.match(created.body.key, /^csk_/);
  assert.deepEqual(
    [created.body.kind, created.body.label, created.body.status, created.body.expires_at],
    ['native_api_key', 'ci', 'active', null],
  );
  const old = nativeClient(server.baseUrl, created.body.key);
  const rotated = await admin.request('POST', '/v1/api-keys', { scopes: ['read', 'write'], label: 'ci (rotated)' });
  const fresh = nativeClient(server.baseUrl, rotated.body.key);
  assert.equal((await old.request('GET', '/v1/signature-requests')).status, 200);
  assert.equal((await fresh.request('GET', '/v1/signature-requests')).status, 200);

  const listed = await admin.request('GET', '/v1/api-keys');
  assert.equal(listed.status, 200);
  const entry = listed.body.data.find((key: { id: string }) => key.id === created.body.id);
  assert.equal(entry.status, 'active');
  assert.equal(
    entry.lookup_suffix,
    created.body.key.split('.')[0].slice(-4),
    'the end of the lookup part, to recognise the key',
  );
  assert.ok(!JSON.stringify(listed.body).includes(created.body.key.split('.')[1]), 'never the secret');
  assert.ok(!JSON.stringify(listed.body).includes('secret_hash'));

  const revoked = await admin.request('DELETE', `/v1/api-keys/${created.body.id}`);
  assert.equal(revoked.status, 200);
  assert.equal(revoked.body.status, 'revoked');
  const refused = await old.request('GET', '/v1/signature-requests');
  assert.equal(refused.status, 401, 'revocation takes effect at once');
  assert.equal(refused.body.code, 'unauthorized');
  assert.equal(refused.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  assert.equal((await fresh.request('GET', '/v1/signature-requests')).status, 200, 'the new key still works');

  // Revoking again answers the same and writes nothing more.
  const again = await admin.request('DELETE', `/v1/api-keys/${created.body.id}`);
  assert.deepEqual([again.status, again.body.revoked_at], [200, revoked.body.revoked_at]);
  const events = (await admin.request('GET', '/v1/audit/events?limit=1000')).body.data;
  const revocations = events.filter(
    (event: { type: string; data: { credential_id: string } }) =>
      event.type === 'credential.revoked' && event.data.credential_id === created.body.id,
  );
  assert.equal(revocations.length, 1);
  assert.equal(revocations[0].request_id, null);
  assert.equal(revocations[0].actor.type, 'api_key');
  assert.ok(
    events.some(
      (event: { type: string; data: { credential_id: string } }) =>
        event.type === 'credential.issued' && event.data.credential_id === rotated.body.id,
    ),
  );
  assert.ok(!JSON.stringify(events).includes(created.body.key), 'the audit trail never holds a key');
  assert.equal(
    (await admin.request('GET', '/v1/audit/verify')).body.ok,
    true,
    "the events are in the tenant's hash chain",
  );
  assert.deepEqual(
    (await admin.request('GET', '/v1/api-keys?status=revoked')).body.data.map((key: { id: string }) => key.id),
    [created.body.id],
  );
});

test('a key with expires_at works until then and gets 401 after; expires_at must be in the future', async () => {
  const created = await admin.request('POST', '/v1/api-keys', { scopes: ['read'], expires_at: inFuture(60 * 60_000) });
  assert.equal(created.status, 201);
  assert.equal(Date.parse(created.body.expires_at), server.clock.now() + 60 * 60_000);
  const key = nativeClient(server.baseUrl, created.body.key);
  assert.equal((await key.request('GET', '/v1/signature-requests')).status, 200);
  server.clock.advance(60 * 60_000);
  const expired = await key.request('GET', '/v1/signature-requests');
  assert.deepEqual([expired.status, expired.body.code], [401, 'unauthorized']);
  assert.ok(
    (await admin.request('GET', '/v1/api-keys?status=expired')).body.data.some(
      (entry: { id: string }) => entry.id === created.body.id,
    ),
  );

  const past = await admin.request('POST', '/v1/api-keys', { scopes: ['read'], expires_at: inFuture(-1000) });
  assert.deepEqual([past.status, past.body.code], [400, 'validation_failed']);
  const garbage = await admin.request('POST', '/v1/api-keys', { scopes: ['read'], expires_at: 'tomorrow' });
  assert.deepEqual([garbage.status, garbage.body.code], [400, 'validation_failed']);
});

test('a key cannot hand out more than it holds: only admin keys manage keys, and an expiring key mints no longer-lived one', async () => {
  const writer = nativeClient(
    server.baseUrl,
    (await admin.request('POST', '/v1/api-keys', { scopes: ['write'] })).body.key,
  );
  const escalate = await writer.request('POST', '/v1/api-keys', { scopes: ['admin'] });
  assert.deepEqual([escalate.status, escalate.body.code], [403, 'forbidden']);
  assert.equal((await writer.request('GET', '/v1/api-keys')).status, 403);

  const until = inFuture(24 * 60 * 60_000);
  const temporary = nativeClient(
    server.baseUrl,
    (await admin.request('POST', '/v1/api-keys', { scopes: ['admin'], expires_at: until })).body.key,
  );
  const forever = await temporary.request('POST', '/v1/api-keys', { scopes: ['read'] });
  assert.deepEqual([forever.status, forever.body.code], [403, 'forbidden']);
  const longer = await temporary.request('POST', '/v1/api-keys', {
    scopes: ['read'],
    expires_at: inFuture(48 * 60 * 60_000),
  });
  assert.equal(longer.status, 403);
  const within = await temporary.request('POST', '/v1/api-keys', { scopes: ['read'], expires_at: until });
  assert.equal(within.status, 201);
  const provider = await temporary.request('POST', '/v1/credentials', { kind: 'auco_private' });
  assert.equal(provider.status, 403, 'the same rule for provider credentials');
});

test("another tenant's key id answers exactly like an unknown one, and changes nothing", async () => {
  const theirs = (await other.request('POST', '/v1/api-keys', { scopes: ['read'] })).body;
  const foreign = await admin.request('DELETE', `/v1/api-keys/${theirs.id}`);
  const unknown = await admin.request('DELETE', '/v1/api-keys/key_01unknown');
  assert.deepEqual(
    [foreign.status, foreign.body.code, foreign.body.detail],
    [unknown.status, unknown.body.code, unknown.body.detail],
  );
  assert.equal(foreign.status, 404);
  assert.equal((await nativeClient(server.baseUrl, theirs.key).request('GET', '/v1/signature-requests')).status, 200);
  assert.ok(
    !(await admin.request('GET', '/v1/api-keys?limit=1000')).body.data.some(
      (key: { id: string }) => key.id === theirs.id,
    ),
  );
  // A provider credential's id is not an API key.
  const provider = (await admin.request('GET', '/v1/credentials?kind=auco_private')).body.data[0];
  assert.equal((await admin.request('DELETE', `/v1/api-keys/${provider.id}`)).status, 404);
});

test('the list pages with a cursor', async () => {
  const first = await admin.request('GET', '/v1/api-keys?limit=2');
  assert.equal(first.body.data.length, 2);
  assert.equal(typeof first.body.next_cursor, 'string');
  const second = await admin.request('GET', `/v1/api-keys?limit=2&cursor=${first.body.next_cursor}`);
  assert.ok(second.body.data.length > 0);
  assert.ok(second.body.data.every((key: { id: string }) => key.id > first.body.next_cursor));
  assert.equal((await admin.request('GET', '/v1/api-keys?limit=0')).status, 400);
});

test('/openapi.json documents the credential routes with every answer they give', async () => {
  const document = (await admin.request('GET', '/openapi.json')).body;
  // The answers every admin operation gives (401, 403, 429 derived from its scope; 413/415 from a body method).
  const read = ['200', '400', '401', '403', '429'];
  const create = ['201', '400', '401', '403', '413', '415', '429'];
  const revoke = ['200', '400', '401', '403', '404', '413', '415', '429'];
  for (const [path, method, statuses] of [
    ['/v1/api-keys', 'get', read],
    ['/v1/api-keys', 'post', create],
    ['/v1/api-keys/{id}', 'delete', revoke],
    ['/v1/credentials', 'get', read],
    ['/v1/credentials', 'post', create],
    ['/v1/credentials/{id}', 'delete', revoke],
    ['/v1/audit/events', 'get', read],
  ] as const) {
    assert.deepEqual(
      Object.keys(document.paths[path][method].responses).sort(),
      [...statuses].sort(),
      `${method} ${path}`,
    );
  }
  assert.deepEqual(
    document.paths['/v1/credentials'].post.requestBody.content['application/json'].schema.properties.kind.enum,
    ['lumin_api_key', 'taktikal', 'kaizen_app_token', 'auco_private', 'auco_public'],
  );
});
