/** Every request transition and every refusal, driven through the real HTTP API. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call, startTestServer, type TestServer } from '../support/harness.js';
import { nativeClient, signingPath, type NativeClient } from '../support/native.js';

let server: TestServer;
let client: NativeClient;
const two = [
  { name: 'Ann', email: 'ann@example.com', order: 1 },
  { name: 'Bob', email: 'bob@example.com', order: 2 },
];

before(async () => {
  server = await startTestServer();
  client = nativeClient(server.baseUrl, (await server.createTenant()).apiKey);
});
after(async () => server.close());

const link = (request: { signers: { signing_url: string }[] }, index = 0) =>
  signingPath(request.signers[index]!.signing_url);
const post = (path: string, body?: unknown) => call(server.baseUrl, 'POST', path, body === undefined ? {} : { body });
async function signAs(path: string) {
  assert.equal((await post(`${path}/start`)).status, 200);
  const signed = await post(`${path}/sign`, { signature: { type: 'typed', text: 'Signed' } });
  assert.equal(signed.status, 200, JSON.stringify(signed.body));
  return signed.body;
}
const cancel = (id: string, body: Record<string, unknown> = {}) =>
  client.request('POST', `/v1/signature-requests/${id}/cancel`, body);

describe('request transitions', () => {
  test('pending -> partially_signed -> completed, with the next order notified in turn', async () => {
    const created = await client.createRequest({ signers: two });
    assert.deepEqual(
      created.signers.map((s: { status: string }) => s.status),
      ['notified', 'waiting'],
    );
    const waiting = await post(`${link(created, 1)}/start`);
    assert.equal(waiting.status, 409);
    assert.equal(waiting.body.code, 'not_your_turn');
    assert.equal((await signAs(link(created, 0))).request_status, 'partially_signed');
    const middle = await client.request('GET', `/v1/signature-requests/${created.id}`);
    assert.deepEqual(
      middle.body.signers.map((s: { status: string }) => s.status),
      ['signed', 'notified'],
    );
    assert.equal((await signAs(link(created, 1))).request_status, 'completed');
  });

  test('pending -> declined', async () => {
    const created = await client.createRequest();
    const declined = await post(`${link(created)}/decline`, { reason: 'Not my name' });
    assert.equal(declined.body.request_status, 'declined');
  });

  test('pending -> expired (on the spot and by the sweeper), and expired -> cancelled', async () => {
    const created = await client.createRequest({ expiresAt: new Date(server.clock.now() + 60_000).toISOString() });
    server.clock.advance(61_000);
    const start = await post(`${link(created)}/start`);
    assert.equal(start.status, 409);
    assert.equal(start.body.code, 'expired');
    assert.equal((await client.request('GET', `/v1/signature-requests/${created.id}`)).body.status, 'expired');
    const cancelled = await cancel(created.id, { reason: 'lapsed' });
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.signature_request.status, 'cancelled');
  });

  test('partially_signed -> cancelled, and cancelled is terminal for every signer action', async () => {
    const created = await client.createRequest({ signers: two });
    await signAs(link(created, 0));
    const cancelled = await cancel(created.id, {
      message: 'Clause 2 was wrong',
      reason_code: 'document_error',
      notify: 'all',
    });
    assert.equal(cancelled.status, 200);
    assert.deepEqual(cancelled.body.notified.map((n: { email: string }) => n.email).sort(), [
      'ann@example.com',
      'bob@example.com',
    ]);
    for (const action of ['start', 'sign', 'decline']) {
      const body =
        action === 'sign'
          ? { signature: { type: 'typed', text: 'x' } }
          : action === 'decline'
            ? { reason: 'x' }
            : undefined;
      const refused = await post(`${link(created, 1)}/${action}`, body);
      assert.equal(refused.status, 410, action);
      assert.equal(refused.body.message, 'Clause 2 was wrong');
    }
    assert.equal((await call(server.baseUrl, 'GET', link(created, 1))).status, 410);
  });
});

describe('cancel refusals', () => {
  test('completed -> 409 already_signed with the current request', async () => {
    const created = await client.createRequest();
    await signAs(link(created));
    const refused = await cancel(created.id);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.code, 'already_signed');
    assert.equal(refused.body.signature_request.status, 'completed');
    assert.equal(refused.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  });

  test('declined -> 409 declined', async () => {
    const created = await client.createRequest();
    await post(`${link(created)}/decline`, { reason: 'no' });
    const refused = await cancel(created.id);
    assert.equal(refused.body.code, 'declined');
  });

  test('a repeat without Idempotency-Key -> 409 already_cancelled with the current request', async () => {
    const created = await client.createRequest();
    assert.equal((await cancel(created.id)).status, 200);
    const repeat = await cancel(created.id);
    assert.equal(repeat.status, 409);
    assert.equal(repeat.body.code, 'already_cancelled');
    assert.equal(repeat.body.signature_request.id, created.id);
  });

  test('an active sign session blocks cancel until it expires (30 minutes)', async () => {
    const created = await client.createRequest();
    await post(`${link(created)}/start`);
    const refused = await cancel(created.id);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.code, 'active_session');
    server.clock.advance(29 * 60_000);
    assert.equal((await cancel(created.id)).body.code, 'active_session');
    server.clock.advance(2 * 60_000);
    assert.equal((await cancel(created.id)).status, 200);
  });

  test('refusals are recorded in the audit trail', async () => {
    const created = await client.createRequest();
    await signAs(link(created));
    await cancel(created.id);
    const events = await client.request('GET', `/v1/signature-requests/${created.id}/events`);
    const refusal = events.body.data.find((event: { type: string }) => event.type === 'request.cancel_refused');
    assert.equal(refusal?.data.code, 'already_signed');
  });
});

describe('signer refusals', () => {
  test('signing needs an open session; a finished signer cannot act again', async () => {
    const created = await client.createRequest({ signers: [two[0]!, { ...two[1]!, order: 1 }] });
    const early = await post(`${link(created)}/sign`, { signature: { type: 'typed', text: 'x' } });
    assert.equal(early.body.code, 'session_required');
    await signAs(link(created));
    const again = await post(`${link(created)}/start`);
    assert.equal(again.body.code, 'signer_finished');
  });

  test('a forged or unknown link is 404', async () => {
    const created = await client.createRequest();
    const forged = `${link(created).slice(0, -4)}AAAA`;
    assert.equal((await call(server.baseUrl, 'GET', forged)).status, 404);
  });
});

describe('sequences', () => {
  test('cancelling one request cancels the whole sequence, one audit event per request', async () => {
    const sequence = await client.request('POST', '/v1/sequences', { title: 'Onboarding' });
    const members = [
      await client.createRequest({ sequenceId: sequence.body.id }),
      await client.createRequest({ sequenceId: sequence.body.id }),
      await client.createRequest({ sequenceId: sequence.body.id }),
    ];
    await signAs(link(members[2]));
    const cancelled = await cancel(members[1].id);
    assert.equal(cancelled.status, 200);
    assert.deepEqual(cancelled.body.cancelled_request_ids, [members[1].id, members[0].id]);
    for (const member of members.slice(0, 2)) {
      const events = await client.request('GET', `/v1/signature-requests/${member.id}/events`);
      assert.equal(events.body.data.filter((event: { type: string }) => event.type === 'request.cancelled').length, 1);
    }
    assert.equal(
      (await client.request('GET', `/v1/signature-requests/${members[2].id}`)).body.status,
      'completed',
      'completed members stay completed',
    );
  });

  test('an active session on any member blocks the whole sequence, atomically', async () => {
    const sequence = await client.request('POST', '/v1/sequences', {});
    const a = await client.createRequest({ sequenceId: sequence.body.id });
    const b = await client.createRequest({ sequenceId: sequence.body.id });
    await post(`${link(b)}/start`);
    const refused = await cancel(a.id);
    assert.equal(refused.body.code, 'active_session');
    assert.equal((await client.request('GET', `/v1/signature-requests/${a.id}`)).body.status, 'pending');
  });
});
