/** DELETE /management/signing (seed 002): 204, refusals, tenant isolation and the queued side effects. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call, startTestServer, type TestServer } from '../support/harness.js';
import { nativeClient } from '../support/native.js';
import {
  createProcess,
  createTaktikalTenant,
  outboxRows,
  signThroughLink,
  taktikalClient,
  type TaktikalTenant,
} from './taktikal-client.js';

let server: TestServer;
let tenant: TaktikalTenant;
before(async () => {
  server = await startTestServer();
  tenant = await createTaktikalTenant(server);
});
after(async () => server.close());

const two = [
  { name: 'Ann', email: 'ann@example.com', communicationDeliveryType: 'email' },
  { name: 'Bob', email: 'bob@example.com', communicationDeliveryType: 'email' },
];
const cancel = (processKey: string, user = 'boss@example.com', mount?: string) => {
  const client = mount ? taktikalClient(server.baseUrl, tenant.credentials, mount) : tenant.client;
  return client.request(
    'DELETE',
    `/management/signing?ProcessKey=${encodeURIComponent(processKey)}${user ? `&User=${encodeURIComponent(user)}` : ''}`,
  );
};
const nativeView = async (key: string) =>
  (await nativeClient(server.baseUrl, tenant.apiKey).request('GET', `/v1/signature-requests/${key}`)).body;

describe('cancel', () => {
  test('answers 204 with an empty body under /taktikal/api and under /taktikal (the seed omits /api)', async () => {
    for (const mount of ['/taktikal/api', '/taktikal']) {
      const process = await createProcess(tenant.client);
      const response = await cancel(process.key, 'boss@example.com', mount);
      assert.equal(response.status, 204, `${mount}: ${JSON.stringify(response.body)}`);
      assert.equal(response.body, null);
      const view = await nativeView(process.key);
      assert.equal(view.status, 'cancelled');
      assert.equal(view.cancellation.notify, 'all');
      assert.deepEqual(
        { type: view.cancellation.actor.type, id: view.cancellation.actor.id },
        { type: 'user', id: 'boss@example.com' },
      );
    }
  });

  test('query parameter names are case-insensitive, and a JSON Content-Type with no body is fine', async () => {
    const process = await createProcess(tenant.client);
    const response = await tenant.client.request(
      'DELETE',
      `/management/signing?processkey=${process.key}&user=boss@example.com`,
      { headers: { 'content-type': 'application/json' } },
    );
    assert.equal(response.status, 204, JSON.stringify(response.body));
  });

  test('without User, the credential is the actor', async () => {
    const process = await createProcess(tenant.client);
    assert.equal((await cancel(process.key, '')).status, 204);
    const view = await nativeView(process.key);
    assert.equal(view.cancellation.actor.type, 'api_key');
    assert.equal(view.cancellation.actor.display, tenant.credentials.company_key);
  });

  test('queues an email to every signee and purges the document when nobody had signed', async () => {
    const process = await createProcess(tenant.client, two);
    const view = await nativeView(process.key);
    const before = outboxRows(server, tenant.tenantId).length;
    assert.equal((await cancel(process.key)).status, 204);
    const rows = outboxRows(server, tenant.tenantId).slice(before);
    const emails = rows.filter((row) => row.topic === 'email' && row.payload.template === 'request_cancelled');
    assert.deepEqual(emails.map((row) => (row.payload.to as { address: string }).address).sort(), [
      'ann@example.com',
      'bob@example.com',
    ]);
    const purges = rows.filter((row) => row.topic === 'document.purge');
    assert.deepEqual(
      purges.map((row) => row.payload.document_id),
      [view.document.id],
    );
    assert.equal(rows.filter((row) => row.topic === 'document.owner_copy_then_purge').length, 0);
  });

  test('when someone had signed, the signed signee is emailed too and the owner gets a copy before the purge', async () => {
    const process = await createProcess(tenant.client, two);
    await signThroughLink(server, process.signees[0].url);
    const before = outboxRows(server, tenant.tenantId).length;
    assert.equal((await cancel(process.key)).status, 204);
    const rows = outboxRows(server, tenant.tenantId).slice(before);
    const emails = rows.filter((row) => row.topic === 'email' && row.payload.template === 'request_cancelled');
    assert.deepEqual(
      emails.map((row) => [(row.payload.to as { address: string }).address, row.payload.signer_had_signed]).sort(),
      [
        ['ann@example.com', true],
        ['bob@example.com', false],
      ],
    );
    const copies = rows.filter((row) => row.topic === 'document.owner_copy_then_purge');
    assert.equal(copies.length, 1);
    assert.equal(copies[0]!.payload.owner_email, 'owner@example.com');
    assert.equal(rows.filter((row) => row.topic === 'document.purge').length, 0);
  });
});

describe('cancel refusals', () => {
  test('400 when ProcessKey is missing or User is not an email', async () => {
    const missing = await tenant.client.request('DELETE', '/management/signing?User=boss@example.com');
    assert.equal(missing.status, 400);
    assert.equal(missing.body.responseStatus.errors[0].fieldName, 'ProcessKey');
    assert.equal(missing.body.responseStatus.errors[0].errorCode, 'NotEmpty');
    const process = await createProcess(tenant.client);
    const badUser = await cancel(process.key, 'not an email');
    assert.equal(badUser.status, 400);
    assert.equal(badUser.body.responseStatus.errors[0].fieldName, 'User');
    assert.equal((await nativeView(process.key)).status, 'pending', 'a refused call changes nothing');
  });

  test("404 for an unknown key and another tenant's process; a request made through /v1 is cancellable here", async () => {
    const unknown = await cancel('sp000000000000');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.responseStatus.errorCode, 'NotFound');
    const other = await createTaktikalTenant(server, 'Other');
    const theirs = await createProcess(other.client);
    const foreign = await cancel(theirs.key);
    assert.equal(foreign.status, 404);
    assert.deepEqual(foreign.body.responseStatus.errors, unknown.body.responseStatus.errors);
    assert.equal(foreign.body.responseStatus.message, unknown.body.responseStatus.message);
    const native = await nativeClient(server.baseUrl, tenant.apiKey).createRequest();
    assert.equal((await cancel(native.id)).status, 204, 'one tenant sees its requests through every surface');
    assert.equal(
      (await nativeClient(server.baseUrl, tenant.apiKey).request('GET', `/v1/signature-requests/${native.id}`)).body
        .status,
      'cancelled',
    );
    const theirView = await nativeClient(server.baseUrl, other.apiKey).request(
      'GET',
      `/v1/signature-requests/${theirs.key}`,
    );
    assert.equal(theirView.body.status, 'pending');
  });

  test('a completed process is refused with 400 AlreadySigned and stays completed', async () => {
    const process = await createProcess(tenant.client);
    await signThroughLink(server, process.signees[0].url);
    const response = await cancel(process.key);
    assert.equal(response.status, 400);
    assert.equal(response.body.responseStatus.errorCode, 'AlreadySigned');
    assert.equal(response.body.responseStatus.meta.Status, 'Completed');
    assert.equal((await nativeView(process.key)).status, 'completed');
  });

  test('a cancelled process cannot be cancelled (or reactivated) again: 400 AlreadyCanceled', async () => {
    const process = await createProcess(tenant.client);
    assert.equal((await cancel(process.key)).status, 204);
    const again = await cancel(process.key);
    assert.equal(again.status, 400);
    assert.equal(again.body.responseStatus.errorCode, 'AlreadyCanceled');
  });

  test('an active signing session blocks the cancel: 400 SigningInProgress', async () => {
    const process = await createProcess(tenant.client);
    const start = await call(server.baseUrl, 'POST', `${new URL(process.signees[0].url).pathname}/start`);
    assert.equal(start.status, 200);
    const response = await cancel(process.key);
    assert.equal(response.status, 400);
    assert.equal(response.body.responseStatus.errorCode, 'SigningInProgress');
    assert.equal((await nativeView(process.key)).status, 'pending');
  });
});
