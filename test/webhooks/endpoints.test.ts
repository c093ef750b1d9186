import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/harness.js';
import { nativeClient } from '../support/native.js';

// A server that keeps the default SSRF rules: private, loopback and link-local targets are refused.
let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => server.close());

test('registering shows the whsec_ secret once; reads never show it', async () => {
  const client = nativeClient(server.baseUrl, (await server.createTenant()).apiKey);
  const created = await client.request('POST', '/v1/webhooks', {
    url: 'https://93.184.215.14/hooks',
    events: ['signature_request.cancelled'],
    description: 'CRM',
  });
  assert.equal(created.status, 201);
  assert.match(created.body.secret, /^whsec_[A-Za-z0-9+/]+={0,2}$/);
  assert.equal(created.body.format, 'native');
  assert.deepEqual(created.body.events, ['signature_request.cancelled']);
  assert.equal(created.body.enabled, true);

  const read = await client.request('GET', `/v1/webhooks/${created.body.id}`);
  assert.equal(read.status, 200);
  assert.equal(read.body.secret, undefined);
  assert.equal(JSON.stringify(read.body).includes(created.body.secret), false);
  const listed = await client.request('GET', '/v1/webhooks');
  assert.deepEqual(
    listed.body.data.map((endpoint: { id: string }) => endpoint.id),
    [created.body.id],
  );
  assert.equal(JSON.stringify(listed.body).includes('whsec_'), false);
});

test('private, loopback, link-local and non-http URLs are refused at registration', async () => {
  const client = nativeClient(server.baseUrl, (await server.createTenant()).apiKey);
  for (const url of [
    'http://127.0.0.1:9/hook',
    'http://localhost/hook',
    'http://10.1.2.3/hook',
    'http://192.168.1.10/hook',
    'http://169.254.169.254/latest/meta-data',
    'http://[::1]/hook',
    'http://[fe80::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'ftp://93.184.215.14/hook',
    'file:///etc/passwd',
    'not a url',
    'https://user:pass@93.184.215.14/hook',
  ]) {
    const refused = await client.request('POST', '/v1/webhooks', { url, events: ['*'] });
    assert.equal(refused.status, 400, url);
    assert.match(refused.headers.get('content-type') ?? '', /^application\/problem\+json/, url);
    assert.equal(refused.body.code, 'validation_failed', url);
    assert.equal(refused.body.issues[0].path, 'body.url', url);
  }
  assert.deepEqual((await client.request('GET', '/v1/webhooks')).body.data, []);
});

test('unknown event types and empty subscriptions are refused', async () => {
  const client = nativeClient(server.baseUrl, (await server.createTenant()).apiKey);
  for (const events of [[], ['signature_request.exploded'], 'signature_request.cancelled']) {
    const refused = await client.request('POST', '/v1/webhooks', { url: 'https://93.184.215.14/hook', events });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.code, 'validation_failed');
  }
});

test('DELETE disables the endpoint and keeps it readable; repeating it is harmless', async () => {
  const client = nativeClient(server.baseUrl, (await server.createTenant()).apiKey);
  const created = await client.request('POST', '/v1/webhooks', { url: 'https://93.184.215.14/hook', events: ['*'] });
  const disabled = await client.request('DELETE', `/v1/webhooks/${created.body.id}`);
  assert.equal(disabled.status, 200);
  assert.equal(disabled.body.enabled, false);
  assert.notEqual(disabled.body.disabled_at, null);
  const again = await client.request('DELETE', `/v1/webhooks/${created.body.id}`);
  assert.equal(again.status, 200);
  assert.equal(again.body.disabled_at, disabled.body.disabled_at);
  assert.equal((await client.request('GET', `/v1/webhooks/${created.body.id}`)).body.enabled, false);
});

test("another tenant's endpoint answers exactly like an unknown one", async () => {
  const owner = nativeClient(server.baseUrl, (await server.createTenant('Owner')).apiKey);
  const stranger = nativeClient(server.baseUrl, (await server.createTenant('Stranger')).apiKey);
  const created = await owner.request('POST', '/v1/webhooks', { url: 'https://93.184.215.14/hook', events: ['*'] });
  const request = await owner.createRequest();
  const events = await owner.request('GET', `/v1/signature-requests/${request.id}/events`);
  const eventId = events.body.data[0].id as string;
  for (const [method, path] of [
    ['GET', `/v1/webhooks/${created.body.id}`],
    ['DELETE', `/v1/webhooks/${created.body.id}`],
    ['GET', `/v1/webhooks/${created.body.id}/deliveries`],
    ['POST', `/v1/webhooks/${created.body.id}/events/${eventId}/replay`],
  ] as const) {
    const foreign = await stranger.request(method, path);
    const unknown = await stranger.request(method, path.replace(created.body.id, 'whe_01unknown'));
    assert.equal(foreign.status, 404, `${method} ${path}`);
    assert.equal(foreign.body.code, 'not_found');
    assert.equal(foreign.body.detail, unknown.body.detail);
  }
  // The stranger's own endpoint cannot replay the owner's event either.
  const own = await stranger.request('POST', '/v1/webhooks', { url: 'https://93.184.215.14/hook', events: ['*'] });
  const replay = await stranger.request('POST', `/v1/webhooks/${own.body.id}/events/${eventId}/replay`);
  assert.equal(replay.status, 404);
  assert.equal((await stranger.request('GET', '/v1/webhooks')).body.data.length, 1);
  assert.equal((await owner.request('GET', `/v1/webhooks/${created.body.id}`)).body.enabled, true);
});

test('management needs the admin scope; reading needs read', async () => {
  const tenant = await server.createTenant();
  const admin = nativeClient(server.baseUrl, tenant.apiKey);
  const readKey = await admin.request('POST', '/v1/api-keys', { scopes: ['read'] });
  const reader = nativeClient(server.baseUrl, readKey.body.key);
  const refused = await reader.request('POST', '/v1/webhooks', { url: 'https://93.184.215.14/hook', events: ['*'] });
  assert.equal(refused.status, 403);
  assert.equal((await reader.request('GET', '/v1/webhooks')).status, 200);
  const anonymous = await nativeClient(server.baseUrl, 'csk_nope.nope').request('GET', '/v1/webhooks');
  assert.equal(anonymous.status, 401);
});

test('replay takes webhook events only, and only for an enabled endpoint', async () => {
  const client = nativeClient(server.baseUrl, (await server.createTenant()).apiKey);
  const endpoint = await client.request('POST', '/v1/webhooks', { url: 'https://93.184.215.14/hook', events: ['*'] });
  const request = await client.createRequest();
  const events = (await client.request('GET', `/v1/signature-requests/${request.id}/events`)).body.data as {
    id: string;
    type: string;
  }[];
  const created = events.find((event) => event.type === 'request.created')!;
  const notified = events.find((event) => event.type === 'signer.notified')!;

  const queued = await client.request('POST', `/v1/webhooks/${endpoint.body.id}/events/${created.id}/replay`);
  assert.equal(queued.status, 202);
  assert.deepEqual(
    { ...queued.body, delivery_id: undefined },
    { delivery_id: undefined, endpoint_id: endpoint.body.id, event_id: created.id, type: 'signature_request.created' },
  );
  const row = server.db.prepare('SELECT topic, payload FROM outbox WHERE id = ?').get(queued.body.delivery_id) as {
    topic: string;
    payload: string;
  };
  assert.equal(row.topic, 'webhook.delivery');
  assert.equal(JSON.parse(row.payload).event_id, created.id);

  const notAWebhook = await client.request('POST', `/v1/webhooks/${endpoint.body.id}/events/${notified.id}/replay`);
  assert.equal(notAWebhook.status, 404);
  await client.request('DELETE', `/v1/webhooks/${endpoint.body.id}`);
  const disabled = await client.request('POST', `/v1/webhooks/${endpoint.body.id}/events/${created.id}/replay`);
  assert.equal(disabled.status, 400);
  assert.equal(disabled.body.code, 'validation_failed');
});

test('an endpoint with no attempts lists none', async () => {
  const client = nativeClient(server.baseUrl, (await server.createTenant()).apiKey);
  const endpoint = await client.request('POST', '/v1/webhooks', { url: 'https://93.184.215.14/hook', events: ['*'] });
  const deliveries = await client.request('GET', `/v1/webhooks/${endpoint.body.id}/deliveries`);
  assert.deepEqual(deliveries.body, { data: [], next_cursor: null });
});
