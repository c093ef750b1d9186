// The throttle's settings over real HTTP: the per-credential limit stops a guess spread over
// several addresses; COUNTERSIGN_TRUST_PROXY decides the client address (the throttle's key and
// the audit trail's IP), and without it X-Forwarded-For is ignored.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { callFrom, closeClientAddresses } from '../support/client-address.js';
import { call, startTestServer } from '../support/harness.js';
import { nativeClient } from '../support/native.js';

const wrongSecretOf = (key: string) => `${key.slice(0, key.indexOf('.') + 1)}${'x'.repeat(32)}`;

test('failures on one key from several addresses reach the per-credential limit; other keys still work', async (t) => {
  const server = await startTestServer({ authFailuresPerAddress: 5, authFailuresPerCredential: 8 });
  t.after(async () => {
    await closeClientAddresses();
    await server.close();
  });
  const victim = await server.createTenant('Victim');
  const other = await server.createTenant('Other');
  const wrong = { authorization: `Bearer ${wrongSecretOf(victim.apiKey)}` };
  const statuses = async (from: string, count: number) => {
    const seen: number[] = [];
    for (let attempt = 0; attempt < count; attempt += 1)
      seen.push((await callFrom(from, server.baseUrl, 'GET', '/v1/signature-requests', { headers: wrong })).status);
    return seen;
  };
  // The first address is stopped by its own limit (5), the second adds 3 failures on the same key: 8.
  assert.deepEqual(await statuses('127.0.0.21', 6), [401, 401, 401, 401, 401, 429]);
  assert.deepEqual(await statuses('127.0.0.22', 3), [401, 401, 401]);
  // Now the key itself is blocked, from any address, even with its right secret…
  const right = await callFrom('127.0.0.23', server.baseUrl, 'GET', '/v1/signature-requests', {
    headers: { authorization: `Bearer ${victim.apiKey}` },
  });
  assert.equal(right.status, 429);
  assert.equal(right.body.code, 'rate_limited');
  assert.ok(Number(right.headers.get('retry-after')) >= 1);
  // …while another tenant's key from that address works.
  assert.equal(
    (
      await callFrom('127.0.0.23', server.baseUrl, 'GET', '/v1/signature-requests', {
        headers: { authorization: `Bearer ${other.apiKey}` },
      })
    ).status,
    200,
  );
});

test('without trustProxy, X-Forwarded-For is ignored: changing it does not escape the limit', async (t) => {
  const server = await startTestServer({ authFailuresPerAddress: 3 });
  t.after(() => server.close());
  const statuses: number[] = [];
  for (let attempt = 0; attempt < 4; attempt += 1) {
    const response = await call(server.baseUrl, 'GET', '/v1/signature-requests', {
      headers: { authorization: 'Bearer csk_nobody', 'x-forwarded-for': `203.0.113.${attempt + 1}` },
    });
    statuses.push(response.status);
  }
  assert.deepEqual(statuses, [401, 401, 401, 429]);
});

test('with trustProxy naming the proxy, the forwarded address is the client: throttled and audited as such', async (t) => {
  const server = await startTestServer({ trustProxy: ['127.0.0.1'], authFailuresPerAddress: 3 });
  t.after(() => server.close());
  const attempt = (forwardedFor: string) =>
    call(server.baseUrl, 'GET', '/v1/signature-requests', {
      headers: { authorization: 'Bearer csk_nobody', 'x-forwarded-for': forwardedFor },
    });
  const statuses: number[] = [];
  for (let index = 0; index < 4; index += 1) statuses.push((await attempt('203.0.113.7')).status);
  assert.deepEqual(statuses, [401, 401, 401, 429]);
  assert.equal((await attempt('203.0.113.8')).status, 401, 'another client behind the proxy is not blocked');

  const tenant = await server.createTenant();
  const native = nativeClient(server.baseUrl, tenant.apiKey);
  const created = await native.createRequest();
  const cancelled = await native.request(
    'POST',
    `/v1/signature-requests/${created.id}/cancel`,
    { reason: 'test' },
    { 'x-forwarded-for': '198.51.100.9' },
  );
  assert.equal(cancelled.status, 200);
  const events = await native.request('GET', `/v1/signature-requests/${created.id}/events`);
  const cancel = events.body.data.find((event: { type: string }) => event.type === 'request.cancelled');
  assert.equal(cancel.ip, '198.51.100.9');
});

test('COUNTERSIGN_TRUST_PROXY accepts false, true, a hop count or addresses/CIDRs, and refuses anything else', () => {
  assert.equal(loadConfig({}).trustProxy, false);
  assert.equal(loadConfig({ COUNTERSIGN_TRUST_PROXY: 'false' }).trustProxy, false);
  assert.equal(loadConfig({ COUNTERSIGN_TRUST_PROXY: 'true' }).trustProxy, true);
  assert.equal(loadConfig({ COUNTERSIGN_TRUST_PROXY: '2' }).trustProxy, 2);
  assert.deepEqual(loadConfig({ COUNTERSIGN_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1, ::1' }).trustProxy, [
    '10.0.0.0/8',
    '127.0.0.1',
    '::1',
  ]);
  assert.throws(() => loadConfig({ COUNTERSIGN_TRUST_PROXY: 'proxy.example.com' }), /IP address or CIDR/);
  assert.throws(() => loadConfig({ COUNTERSIGN_TRUST_PROXY: '10.0.0.0/33' }), /IP address or CIDR/);
  const defaults = loadConfig({});
  assert.deepEqual(
    [defaults.authFailuresPerAddress, defaults.authFailuresPerCredential, defaults.authFailureWindowSeconds],
    [20, 100, 900],
  );
  assert.deepEqual([defaults.luminRequestsPerWindow, defaults.luminQuotaWindowSeconds], [3000, 1800]);
  const set = loadConfig({
    COUNTERSIGN_AUTH_FAILURES_PER_ADDRESS: '50',
    COUNTERSIGN_AUTH_FAILURES_PER_CREDENTIAL: '500',
    COUNTERSIGN_AUTH_FAILURE_WINDOW_SECONDS: '60',
  });
  assert.deepEqual(
    [set.authFailuresPerAddress, set.authFailuresPerCredential, set.authFailureWindowSeconds],
    [50, 500, 60],
  );
});
