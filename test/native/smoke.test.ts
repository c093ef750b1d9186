import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call, startTestServer, type TestServer } from '../support/harness.js';
import { nativeClient, signingPath } from '../support/native.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => server.close());

test('a request can be created, viewed by its signer and cancelled', async () => {
  const tenant = await server.createTenant();
  const client = nativeClient(server.baseUrl, tenant.apiKey);
  const created = await client.createRequest();
  assert.equal(created.status, 'pending');
  const view = await call(server.baseUrl, 'GET', signingPath(created.signers[0].signing_url));
  assert.equal(view.status, 200);
  assert.equal(view.body.signer.status, 'notified', 'opening the link records nothing');
  const viewed = await call(server.baseUrl, 'POST', `${signingPath(created.signers[0].signing_url)}/viewed`);
  assert.equal(viewed.body.signer.status, 'viewed');
  const cancelled = await client.request('POST', `/v1/signature-requests/${created.id}/cancel`, {
    reason: 'wrong clause',
    message: 'Sorry',
  });
  assert.equal(cancelled.status, 200);
  assert.equal(cancelled.body.signature_request.status, 'cancelled');
  const gone = await call(server.baseUrl, 'GET', signingPath(created.signers[0].signing_url));
  assert.equal(gone.status, 410);
  assert.equal(gone.body.message, 'Sorry');
});
