import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call } from '../support/harness.js';
import { assertLuminError } from '../support/lumin-openapi.js';
import {
  DAY,
  sendRequest,
  signAs,
  signingPaths,
  startLuminWorld,
  type LuminTenant,
  type LuminWorld,
} from './lumin-helpers.js';

let world: LuminWorld;
let tenant: LuminTenant;
let other: LuminTenant;
before(async () => {
  world = await startLuminWorld();
  tenant = await world.tenant('Acme');
  other = await world.tenant('Other Co');
});
after(async () => world.server.close());

const twoSigners = [
  { email_address: 'ann@example.com', name: 'Ann' },
  { email_address: 'bob@example.com', name: 'Bob' },
];

test('GET maps the lifecycle: waiting, partially signed, approved', async () => {
  const id = await sendRequest(world, tenant, { signers: twoSigners });
  const paths = await signingPaths(tenant, id);
  await signAs(world, paths.get('ann@example.com')!, 'Ann');
  const partial = (await tenant.lumin('GET', `/signature_request/${id}`)).body.signature_request;
  assert.equal(partial.status, 'WAITING_FOR_OTHERS');
  assert.deepEqual(
    partial.signers.map((s: { is_approved: boolean; status: string }) => [s.is_approved, s.status]),
    [
      [true, 'WAITING_FOR_OTHERS'],
      [false, 'NEED_TO_SIGN'],
    ],
  );
  assert.ok(partial.updated_at >= partial.created_at);

  await signAs(world, paths.get('bob@example.com')!, 'Bob');
  const done = (await tenant.lumin('GET', `/signature_request/${id}`)).body.signature_request;
  assert.equal(done.status, 'APPROVED');
  assert.deepEqual(
    done.signers.map((s: { is_approved: boolean; status: string }) => [s.is_approved, s.status]),
    [
      [true, 'APPROVED'],
      [true, 'APPROVED'],
    ],
  );
  assert.equal(done.reason, undefined);
});

test('GET maps a decline to REJECTED with the reason, and an expiry to FAILED with a reason', async () => {
  const declinedId = await sendRequest(world, tenant);
  const [path] = (await signingPaths(tenant, declinedId)).values();
  const declined = await call(world.server.baseUrl, 'POST', `${path}/decline`, { body: { reason: 'Wrong amount' } });
  assert.equal(declined.status, 200);
  const rejected = (await tenant.lumin('GET', `/signature_request/${declinedId}`)).body.signature_request;
  assert.equal(rejected.status, 'REJECTED');
  assert.equal(rejected.reason, 'Wrong amount');
  assert.equal(rejected.signers[0].status, 'REJECTED');

  const expiringId = await sendRequest(world, tenant, { expires_at: world.server.clock.now() + 60_000 });
  world.server.clock.advance(61_000);
  const [expiringPath] = (await signingPaths(tenant, expiringId)).values();
  await call(world.server.baseUrl, 'GET', expiringPath!); // a signer opening the link expires it on the spot
  const failed = (await tenant.lumin('GET', `/signature_request/${expiringId}`)).body.signature_request;
  assert.equal(failed.status, 'FAILED');
  assert.match(failed.reason, /expired/);
});

test("an unknown id and another tenant's id get exactly the same answer", async () => {
  const theirs = await sendRequest(world, other);
  const unknown = await tenant.lumin('GET', '/signature_request/sr_01jzzzzzzzzzzzzzzzzzzzzzzz');
  const foreign = await tenant.lumin('GET', `/signature_request/${theirs}`);
  assertLuminError(unknown, 404, 'SIGNATURE_REQUEST_NOT_FOUND');
  assert.equal(foreign.status, unknown.status);
  assert.deepEqual(foreign.body, unknown.body);
  for (const method of ['PATCH', 'PUT'] as const) {
    const path = method === 'PUT' ? '/signature_request/cancel/' : '/signature_request/';
    const json = method === 'PATCH' ? { expires_at: world.server.clock.now() + DAY } : undefined;
    const a = await tenant.lumin(method, `${path}sr_01jzzzzzzzzzzzzzzzzzzzzzzz`, { ...(json ? { json } : {}) });
    const b = await tenant.lumin(method, `${path}${theirs}`, { ...(json ? { json } : {}) });
    assertLuminError(b, 404, 'SIGNATURE_REQUEST_NOT_FOUND');
    assert.deepEqual(b.body, a.body);
  }
  assert.equal((await other.lumin('GET', `/signature_request/${theirs}`)).status, 200, 'the owner still sees it');
  assertLuminError(
    await tenant.lumin('GET', `/signature_request/${'x'.repeat(500)}`),
    404,
    'SIGNATURE_REQUEST_NOT_FOUND',
  );
});

test('a request created through /v1 is visible through Lumin, and the reverse', async () => {
  const created = await tenant.native.createRequest({
    signers: [
      { name: 'Cy', email: 'cy@example.com', order: 1 },
      { name: 'Di', email: 'di@example.com', order: 2 },
    ],
  });
  const viaLumin = await tenant.lumin('GET', `/signature_request/${created.id}`);
  assert.equal(viaLumin.status, 200);
  assert.equal(viaLumin.body.signature_request.signature_request_id, created.id);
  assert.equal(viaLumin.body.signature_request.signing_type, 'ORDER');
  assert.equal(viaLumin.body.signature_request.expires_at, Date.parse(created.expires_at));

  const id = await sendRequest(world, tenant);
  const viaNative = await tenant.native.request('GET', `/v1/signature-requests/${id}`);
  assert.equal(viaNative.status, 200);
  assert.equal(viaNative.body.id, id);
});

test('PATCH moves the due date; the new date shows everywhere and is audited', async () => {
  const id = await sendRequest(world, tenant);
  const newDate = world.server.clock.now() + 90 * DAY;
  const patched = await tenant.lumin('PATCH', `/signature_request/${id}`, { json: { expires_at: newDate } });
  assert.equal(patched.status, 200);
  assert.equal(patched.body.signature_request.expires_at, newDate);
  assert.equal((await tenant.lumin('GET', `/signature_request/${id}`)).body.signature_request.expires_at, newDate);
  assert.equal(
    Date.parse((await tenant.native.request('GET', `/v1/signature-requests/${id}`)).body.expires_at),
    newDate,
  );
  const events = (await tenant.native.request('GET', `/v1/signature-requests/${id}/events`)).body.data as {
    type: string;
    surface: string;
  }[];
  assert.ok(events.some((event) => event.type === 'request.expiry_updated' && event.surface === 'lumin'));
});

test('PATCH refusals: bad input is 400, terminal states are 409 with the Lumin envelope', async () => {
  const id = await sendRequest(world, tenant);
  const patch = (json: unknown, target = id) => tenant.lumin('PATCH', `/signature_request/${target}`, { json });
  assertLuminError(await patch({ expires_at: world.server.clock.now() - 1 }), 400, 'VALIDATION_ERROR');
  assertLuminError(await patch({ expires_at: 'next week' }), 400, 'VALIDATION_ERROR');
  assertLuminError(await patch({}), 400, 'VALIDATION_ERROR');
  assertLuminError(await patch({ expires_at: world.server.clock.now() + DAY, title: 'new' }), 400, 'VALIDATION_ERROR');
  assertLuminError(
    await tenant.lumin('PATCH', `/signature_request/${id}`, {
      raw: '{"expires_at":',
      headers: { 'content-type': 'application/json' },
    }),
    400,
    'INVALID_REQUEST_BODY',
  );

  assert.equal((await tenant.lumin('PUT', `/signature_request/cancel/${id}`)).status, 200);
  assertLuminError(
    await patch({ expires_at: world.server.clock.now() + DAY }),
    409,
    'SIGNATURE_REQUEST_ALREADY_CANCELLED',
  );

  const signedId = await sendRequest(world, tenant);
  await signAs(world, [...(await signingPaths(tenant, signedId)).values()][0]!);
  assertLuminError(
    await patch({ expires_at: world.server.clock.now() + DAY }, signedId),
    409,
    'SIGNATURE_REQUEST_ALREADY_SIGNED',
  );

  const declinedId = await sendRequest(world, tenant);
  await call(world.server.baseUrl, 'POST', `${[...(await signingPaths(tenant, declinedId)).values()][0]}/decline`, {
    body: { reason: 'no' },
  });
  assertLuminError(
    await patch({ expires_at: world.server.clock.now() + DAY }, declinedId),
    409,
    'SIGNATURE_REQUEST_REJECTED',
  );

  const expiredId = await sendRequest(world, tenant, { expires_at: world.server.clock.now() + 60_000 });
  world.server.clock.advance(61_000);
  await call(world.server.baseUrl, 'GET', [...(await signingPaths(tenant, expiredId)).values()][0]!);
  assertLuminError(
    await patch({ expires_at: world.server.clock.now() + DAY }, expiredId),
    409,
    'SIGNATURE_REQUEST_EXPIRED',
  );
  assert.equal((await tenant.lumin('GET', `/signature_request/${expiredId}`)).body.signature_request.status, 'FAILED');
});
