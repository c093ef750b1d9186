/**
 * Signer evidence over real HTTP: every signer event records the client's address and user agent;
 * opening a link records nothing (mail scanners prefetch links), POST …/viewed records "viewed";
 * the body-less signing POSTs accept `content-type: application/json` with an empty body.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call, startTestServer, type TestServer } from '../support/harness.js';
import { nativeClient, signingPath, type NativeClient } from '../support/native.js';

let server: TestServer;
let client: NativeClient;
before(async () => {
  server = await startTestServer();
  client = nativeClient(server.baseUrl, (await server.createTenant()).apiKey);
});
after(async () => server.close());

const UA = { 'user-agent': 'EvidenceBrowser/1.0 (test)' };
type AuditView = {
  type: string;
  ip: string | null;
  user_agent: string | null;
  surface: string;
  actor: { type: string };
};
const events = async (id: string): Promise<AuditView[]> =>
  (await client.request('GET', `/v1/signature-requests/${id}/events`)).body.data;
const signerEvents = async (id: string) =>
  (await events(id)).filter((event) => event.type.startsWith('signer.') && event.type !== 'signer.notified');

test('opening a signing link does not mark the signer viewed; POST …/viewed does, once, with address and user agent', async () => {
  const created = await client.createRequest();
  const path = signingPath(created.signers[0].signing_url);
  const opened = await call(server.baseUrl, 'GET', path, { headers: { 'user-agent': 'MailScanner/2.0' } });
  assert.equal(opened.status, 200);
  assert.equal(opened.body.signer.status, 'notified');
  assert.equal(opened.body.cancellation_pending, false);
  assert.equal((await client.request('GET', `/v1/signature-requests/${created.id}`)).body.signers[0].viewed_at, null);
  assert.deepEqual(await signerEvents(created.id), []);

  const viewed = await call(server.baseUrl, 'POST', `${path}/viewed`, { headers: UA });
  assert.equal(viewed.status, 200);
  assert.equal(viewed.body.signer.status, 'viewed');
  assert.equal((await call(server.baseUrl, 'POST', `${path}/viewed`, { headers: UA })).status, 200, 'idempotent');
  const recorded = await signerEvents(created.id);
  assert.deepEqual(
    recorded.map((event) => [event.type, event.ip, event.user_agent, event.surface, event.actor.type]),
    [['signer.viewed', '127.0.0.1', UA['user-agent'], 'signing', 'signer']],
  );
  assert.notEqual(
    (await client.request('GET', `/v1/signature-requests/${created.id}`)).body.signers[0].viewed_at,
    null,
  );
});

test('start, sign and decline record the client address and user agent', async () => {
  const signed = await client.createRequest();
  const signedPath = signingPath(signed.signers[0].signing_url);
  assert.equal((await call(server.baseUrl, 'POST', `${signedPath}/start`, { headers: UA })).status, 200);
  assert.equal(
    (
      await call(server.baseUrl, 'POST', `${signedPath}/sign`, {
        headers: UA,
        body: { signature: { type: 'typed', text: 'Ann' } },
      })
    ).status,
    200,
  );
  const declined = await client.createRequest();
  assert.equal(
    (
      await call(server.baseUrl, 'POST', `${signingPath(declined.signers[0].signing_url)}/decline`, {
        headers: UA,
        body: { reason: 'no' },
      })
    ).status,
    200,
  );
  const recorded = [...(await signerEvents(signed.id)), ...(await signerEvents(declined.id))];
  assert.deepEqual(
    recorded.map((event) => event.type),
    ['signer.session_started', 'signer.signed', 'signer.declined'],
  );
  for (const event of recorded)
    assert.deepEqual([event.ip, event.user_agent], ['127.0.0.1', UA['user-agent']], event.type);
});

test('the body-less POSTs accept content-type application/json with an empty body; routes with a body still refuse it', async () => {
  const created = await client.createRequest();
  const path = signingPath(created.signers[0].signing_url);
  const empty = { rawBody: '', headers: { 'content-type': 'application/json' } };
  const viewed = await call(server.baseUrl, 'POST', `${path}/viewed`, empty);
  assert.equal(viewed.status, 200, JSON.stringify(viewed.body));
  const started = await call(server.baseUrl, 'POST', `${path}/start`, empty);
  assert.equal(started.status, 200, JSON.stringify(started.body));
  assert.match(started.body.session.id, /^ses_/);
  const withdraw = await call(server.baseUrl, 'DELETE', `/v1/signature-requests/${created.id}/pending-cancellation`, {
    ...empty,
    headers: { ...empty.headers, authorization: `Bearer ${client.apiKey}` },
  });
  assert.equal(withdraw.body.code, 'not_found', 'read, not refused as an empty body: nothing is pending');
  const sign = await call(server.baseUrl, 'POST', `${path}/sign`, empty);
  assert.equal(sign.status, 400);
  assert.deepEqual([sign.body.code, sign.body.detail], ['malformed_request', 'The JSON body is empty.']);
});
