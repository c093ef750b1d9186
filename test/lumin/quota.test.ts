// Lumin's documented quota (3,000 requests per 30 minutes per user on send and on get), applied
// per credential and per endpoint, configurable; here set to 3 so that the test stays small.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sendBody, sendRequest, startLuminWorld, type LuminWorld } from './lumin-helpers.js';

const QUOTA = 3;
let world: LuminWorld;

before(async () => {
  world = await startLuminWorld({ luminRequestsPerWindow: QUOTA, luminQuotaWindowSeconds: 1800 });
});
after(() => world.server.close());

test('get: the request past the quota is 429 TOO_MANY_REQUESTS with Retry-After; other credentials and endpoints are not affected', async () => {
  const tenant = await world.tenant('Busy');
  const id = await sendRequest(world, tenant);
  for (let index = 0; index < QUOTA; index += 1)
    assert.equal((await tenant.lumin('GET', `/signature_request/${id}`)).status, 200);
  const refused = await tenant.lumin('GET', `/signature_request/${id}`);
  assert.equal(refused.status, 429);
  assert.equal(refused.body.error_code, 'TOO_MANY_REQUESTS');
  assert.match(refused.body.error_message, /3 requests per 30 minutes/);
  const retryAfter = Number(refused.headers.get('retry-after'));
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 1800, `Retry-After ${retryAfter}`);

  // Send has its own count (one used above), cancel has no quota, and another tenant's key is untouched.
  assert.equal((await tenant.lumin('POST', '/signature_request/send', { json: await sendBody(world) })).status, 201);
  assert.equal((await tenant.lumin('PUT', `/signature_request/cancel/${id}`)).status, 200);
  const other = await world.tenant('Quiet');
  const otherId = await sendRequest(world, other);
  assert.equal((await other.lumin('GET', `/signature_request/${otherId}`)).status, 200);
});

test('send: the request past the quota is refused before anything is created', async () => {
  const tenant = await world.tenant('Sender');
  for (let index = 0; index < QUOTA; index += 1) await sendRequest(world, tenant, { title: `Request ${index}` });
  const refused = await tenant.lumin('POST', '/signature_request/send', {
    json: await sendBody(world, { title: 'One too many' }),
  });
  assert.equal(refused.status, 429);
  assert.equal(refused.body.error_code, 'TOO_MANY_REQUESTS');
  const listed = await tenant.native.request('GET', '/v1/signature-requests');
  assert.equal(listed.status, 200);
  assert.deepEqual(listed.body.data.map((request: { title: string }) => request.title).sort(), [
    'Request 0',
    'Request 1',
    'Request 2',
  ]);
});
