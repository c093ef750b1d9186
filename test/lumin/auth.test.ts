import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call } from '../support/harness.js';
import { assertLuminError } from '../support/lumin-openapi.js';
import { sendBody, sendRequest, startLuminWorld, type LuminTenant, type LuminWorld } from './lumin-helpers.js';

let world: LuminWorld;
let tenant: LuminTenant;
before(async () => {
  // These tests send dozens of bad credentials from one address on purpose; the throttle
  // (test/http/auth-throttle.test.ts) would otherwise answer 429 to the later ones.
  world = await startLuminWorld({ authFailuresPerAddress: 1000 });
  tenant = await world.tenant();
});
after(async () => world.server.close());

const basic = (user: string, password = '') => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

async function mintToken(
  scopes: string[],
  ttlSeconds?: number,
): Promise<{ id: string; access_token: string; expires_in: number; scope: string }> {
  const response = await tenant.native.request('POST', '/v1/admin/lumin/tokens', {
    scopes,
    ...(ttlSeconds ? { ttl_seconds: ttlSeconds } : {}),
  });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body;
}

test("the tenant's Lumin API key works in all three documented key forms", async () => {
  assert.match(tenant.apiKey, /^lmk_/);
  const id = await sendRequest(world, tenant);
  const forms: Record<string, string>[] = [
    { 'x-api-key': tenant.apiKey },
    { 'X-API-KEY': tenant.apiKey },
    { authorization: basic(tenant.apiKey) },
    { authorization: `API-key ${tenant.apiKey}` },
    { authorization: `api-key ${tenant.apiKey}` },
  ];
  for (const headers of forms) {
    const response = await world.client(headers)('GET', `/signature_request/${id}`);
    assert.equal(response.status, 200, `${Object.keys(headers)[0]}: ${JSON.stringify(response.body)}`);
  }
});

test('missing, malformed, unknown and wrong credentials are 401 with the Lumin envelope', async () => {
  const id = await sendRequest(world, tenant);
  const wrongSecret = tenant.apiKey.slice(0, -4) + (tenant.apiKey.endsWith('AAAA') ? 'BBBB' : 'AAAA');
  const refused: Record<string, string>[] = [
    {},
    { 'x-api-key': '' },
    { 'x-api-key': 'my_simple_api_key' },
    { 'x-api-key': wrongSecret },
    { authorization: basic(tenant.apiKey, 'a-password') },
    { authorization: basic('') },
    { authorization: 'Basic %%%' },
    { authorization: `API-key ${wrongSecret}` },
    { authorization: `Bearer ${tenant.apiKey}` },
    { authorization: `Digest ${tenant.apiKey}` },
    { authorization: `Bearer lmt_aaaaaaaaaaaa.${'b'.repeat(32)}` },
    { authorization: tenant.nativeKey },
    { authorization: `Bearer ${tenant.nativeKey}` },
  ];
  for (const headers of refused) {
    assertLuminError(await world.client(headers)('GET', `/signature_request/${id}`), 401, 'UNAUTHORIZED');
    assertLuminError(await world.client(headers)('PUT', `/signature_request/cancel/${id}`), 401, 'UNAUTHORIZED');
  }
  assertLuminError(
    await world.client()('POST', '/signature_request/send', { json: await sendBody(world) }),
    401,
    'UNAUTHORIZED',
  );
  assert.equal(
    (await tenant.lumin('GET', `/signature_request/${id}`)).body.signature_request.status,
    'WAITING_FOR_OTHERS',
    'nothing was cancelled',
  );
});

test('Bearer tokens carry scopes: sign:requests does everything, sign:requests.read only reads', async () => {
  const full = await mintToken(['sign:requests']);
  assert.match(full.access_token, /^lmt_/);
  const writer = world.client({ authorization: `Bearer ${full.access_token}` });
  const sent = await writer('POST', '/signature_request/send', { json: await sendBody(world) });
  assert.equal(sent.status, 201);
  const id = sent.body.signature_request.signature_request_id as string;

  const read = await mintToken(['sign:requests.read']);
  const reader = world.client({ authorization: `Bearer ${read.access_token}` });
  assert.equal((await reader('GET', `/signature_request/${id}`)).status, 200);
  assertLuminError(await reader('PUT', `/signature_request/cancel/${id}`), 403, 'INSUFFICIENT_SCOPE');
  assertLuminError(
    await reader('PATCH', `/signature_request/${id}`, { json: { expires_at: world.server.clock.now() + 86_400_000 } }),
    403,
    'INSUFFICIENT_SCOPE',
  );
  assertLuminError(
    await reader('POST', '/signature_request/send', { json: await sendBody(world) }),
    403,
    'INSUFFICIENT_SCOPE',
  );
  assert.equal(
    (await reader('GET', `/signature_request/${id}`)).body.signature_request.status,
    'WAITING_FOR_OTHERS',
    'the refused cancel changed nothing',
  );

  const cancelled = await writer('PUT', `/signature_request/cancel/${id}`);
  assert.equal(cancelled.status, 200);
  const native = (await tenant.native.request('GET', `/v1/signature-requests/${id}`)).body;
  assert.equal(native.cancellation.actor.type, 'integration');
  assert.equal(native.cancellation.actor.id, full.id);
});

test('expired and revoked tokens are 401; revoking is tenant-scoped', async () => {
  const id = await sendRequest(world, tenant);
  const shortLived = await mintToken(['sign:requests'], 60);
  const client = world.client({ authorization: `Bearer ${shortLived.access_token}` });
  assert.equal((await client('GET', `/signature_request/${id}`)).status, 200);
  world.server.clock.advance(61_000);
  assertLuminError(await client('GET', `/signature_request/${id}`), 401, 'UNAUTHORIZED');

  const revocable = await mintToken(['sign:requests']);
  const revocableClient = world.client({ authorization: `Bearer ${revocable.access_token}` });
  assert.equal((await revocableClient('GET', `/signature_request/${id}`)).status, 200);
  const otherTenant = await world.tenant('Other');
  assert.equal(
    (await otherTenant.native.request('POST', `/v1/admin/lumin/credentials/${revocable.id}/revoke`)).status,
    404,
    'another tenant cannot revoke it',
  );
  assert.equal((await revocableClient('GET', `/signature_request/${id}`)).status, 200);
  assert.equal((await tenant.native.request('POST', `/v1/admin/lumin/credentials/${revocable.id}/revoke`)).status, 200);
  assertLuminError(await revocableClient('GET', `/signature_request/${id}`), 401, 'UNAUTHORIZED');
  assertLuminError(await revocableClient('PUT', `/signature_request/cancel/${id}`), 401, 'UNAUTHORIZED');
});

test('admin token endpoint: admin scope only, scopes validated', async () => {
  const readKey = await tenant.native.request('POST', '/v1/api-keys', { scopes: ['read', 'write'] });
  assert.equal(readKey.status, 201);
  const notAdmin = await call(world.server.baseUrl, 'POST', '/v1/admin/lumin/tokens', {
    headers: { authorization: `Bearer ${readKey.body.key}` },
    body: { scopes: ['sign:requests'] },
  });
  assert.equal(notAdmin.status, 403);
  const badScope = await tenant.native.request('POST', '/v1/admin/lumin/tokens', { scopes: ['openid'] });
  assert.equal(badScope.status, 400);
  const lumin = await world.client({ 'x-api-key': tenant.apiKey })('POST', '/signature_request/send', {
    raw: '{}',
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(lumin.status, 400, 'a Lumin key authenticates, then the body is judged');
});
