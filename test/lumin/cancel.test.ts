import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call } from '../support/harness.js';
import { assertLuminError } from '../support/lumin-openapi.js';
import {
  sendRequest,
  signAs,
  signingPaths,
  startLuminWorld,
  type LuminTenant,
  type LuminWorld,
} from './lumin-helpers.js';

let world: LuminWorld;
let tenant: LuminTenant;
before(async () => {
  world = await startLuminWorld();
  tenant = await world.tenant();
});
after(async () => world.server.close());

const cancel = (id: string, headers: Record<string, string> = {}) =>
  tenant.lumin('PUT', `/signature_request/cancel/${id}`, { headers });

test('cancel: 200 {signature_request_id, status: CANCELLED}, through the core with notify=pending and the key as actor', async () => {
  const id = await sendRequest(world, tenant, {
    signers: [
      { email_address: 'ann@example.com', name: 'Ann' },
      { email_address: 'bob@example.com', name: 'Bob' },
    ],
  });
  await signAs(world, (await signingPaths(tenant, id)).get('ann@example.com')!, 'Ann');

  const cancelled = await cancel(id);
  assert.equal(cancelled.status, 200);
  assert.deepEqual(cancelled.body, { signature_request_id: id, status: 'CANCELLED' });
  assert.equal((await tenant.lumin('GET', `/signature_request/${id}`)).body.signature_request.status, 'CANCELLED');

  const native = (await tenant.native.request('GET', `/v1/signature-requests/${id}`)).body;
  assert.equal(native.status, 'cancelled');
  assert.equal(native.cancellation.notify, 'pending');
  assert.equal(native.cancellation.actor.type, 'api_key');
  assert.match(native.cancellation.actor.display, /Lumin API key \(Primary\)/);
  const events = (await tenant.native.request('GET', `/v1/signature-requests/${id}/events`)).body.data as {
    type: string;
    surface: string;
    actor: { id: string };
  }[];
  const event = events.find((candidate) => candidate.type === 'request.cancelled');
  assert.equal(event?.surface, 'lumin');
  assert.equal(event?.actor.id, native.cancellation.actor.id);

  // notify=pending: the signer who still owed a signature is told, the one who signed is not.
  const notices = world.server.db
    .prepare(
      "SELECT payload FROM outbox WHERE topic = 'email' AND payload LIKE '%request_cancelled%' AND payload LIKE ?",
    )
    .pluck()
    .all(`%${id}%`) as string[];
  assert.deepEqual(
    notices.map((payload) => (JSON.parse(payload) as { to: { address: string } }).to.address),
    ['bob@example.com'],
  );
  assert.equal(
    (await call(world.server.baseUrl, 'GET', (await signingPaths(tenant, id)).get('bob@example.com')!)).status,
    410,
  );
});

test('cancel refusals answer 409 with distinct Lumin codes, and change nothing', async () => {
  const cancelledId = await sendRequest(world, tenant);
  assert.equal((await cancel(cancelledId)).status, 200);
  assertLuminError(await cancel(cancelledId), 409, 'SIGNATURE_REQUEST_ALREADY_CANCELLED');

  const signedId = await sendRequest(world, tenant);
  await signAs(world, [...(await signingPaths(tenant, signedId)).values()][0]!);
  assertLuminError(await cancel(signedId), 409, 'SIGNATURE_REQUEST_ALREADY_SIGNED');
  assert.equal((await tenant.lumin('GET', `/signature_request/${signedId}`)).body.signature_request.status, 'APPROVED');

  const declinedId = await sendRequest(world, tenant);
  const declinePath = [...(await signingPaths(tenant, declinedId)).values()][0]!;
  assert.equal(
    (await call(world.server.baseUrl, 'POST', `${declinePath}/decline`, { body: { reason: 'No thanks' } })).status,
    200,
  );
  assertLuminError(await cancel(declinedId), 409, 'SIGNATURE_REQUEST_REJECTED');
  assert.equal(
    (await tenant.lumin('GET', `/signature_request/${declinedId}`)).body.signature_request.status,
    'REJECTED',
  );

  const sessionId = await sendRequest(world, tenant);
  const sessionPath = [...(await signingPaths(tenant, sessionId)).values()][0]!;
  assert.equal((await call(world.server.baseUrl, 'POST', `${sessionPath}/start`)).status, 200);
  const refused = await cancel(sessionId);
  assertLuminError(refused, 409, 'SIGNING_IN_PROGRESS');
  assert.equal(
    (await tenant.lumin('GET', `/signature_request/${sessionId}`)).body.signature_request.status,
    'WAITING_FOR_OTHERS',
  );
  const events = (await tenant.native.request('GET', `/v1/signature-requests/${sessionId}/events`)).body.data as {
    type: string;
    data: { code: string };
  }[];
  assert.ok(
    events.some((event) => event.type === 'request.cancel_refused' && event.data.code === 'active_session'),
    'the refusal is audited',
  );
});

test('an expired request can still be cancelled', async () => {
  const id = await sendRequest(world, tenant, { expires_at: world.server.clock.now() + 60_000 });
  world.server.clock.advance(61_000);
  await call(world.server.baseUrl, 'GET', [...(await signingPaths(tenant, id)).values()][0]!); // expires it on the spot
  assert.equal((await tenant.lumin('GET', `/signature_request/${id}`)).body.signature_request.status, 'FAILED');
  const cancelled = await cancel(id);
  assert.equal(cancelled.status, 200);
  assert.equal(cancelled.body.status, 'CANCELLED');
});

test('cancel takes no body: an empty JSON body is fine, unknown ids are 404', async () => {
  const id = await sendRequest(world, tenant);
  const withEmptyJson = await tenant.lumin('PUT', `/signature_request/cancel/${id}`, {
    raw: '',
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(withEmptyJson.status, 200);
  assertLuminError(await cancel('sr_does_not_exist'), 404, 'SIGNATURE_REQUEST_NOT_FOUND');
  assertLuminError(await tenant.lumin('PUT', '/signature_request/cancel/'), 404);
});

test('a request created through the native API can be cancelled through Lumin, and the reverse is seen by Lumin', async () => {
  const created = await tenant.native.createRequest();
  assert.equal((await cancel(created.id)).status, 200);
  assert.equal((await tenant.native.request('GET', `/v1/signature-requests/${created.id}`)).body.status, 'cancelled');

  const id = await sendRequest(world, tenant);
  assert.equal((await tenant.native.request('POST', `/v1/signature-requests/${id}/cancel`, {})).status, 200);
  assertLuminError(await cancel(id), 409, 'SIGNATURE_REQUEST_ALREADY_CANCELLED');
});
