// Who the cancellation mail says cancelled: the person the caller named (the native `actor`,
// KAiZEN recalledBy, Auco email, Taktikal User), otherwise the tenant the signer knows as the
// sender; never a credential's label ("default", "Lumin API key (Primary)", a Taktikal company
// key). Real server, real HTTP, the mails read back from the archive (GET /v1/mails).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call, makePdf, startTestServer, type TestServer } from '../support/harness.js';
import { nativeClient, type NativeClient } from '../support/native.js';
import { initiate, recall } from '../kaizen/kaizen-helpers.js';
import { createProcess, taktikalClient, type TaktikalCredentials } from '../taktikal/taktikal-client.js';
import { auco, upload, type AucoKeys } from '../auco/auco-helpers.js';

const TENANT = 'Acme Homes';
let server: TestServer;
let native: NativeClient;
let surfaces: Record<string, Record<string, string>>;
let tenantId: string;

before(async () => {
  server = await startTestServer();
  const tenant = await server.createTenant(TENANT);
  native = nativeClient(server.baseUrl, tenant.apiKey);
  surfaces = tenant.surfaces as Record<string, Record<string, string>>;
  tenantId = tenant.tenantId;
});
after(async () => server.close());

/** The text of the cancellation mail(s) sent for a request (any id a surface showed), after the worker ran. */
async function cancellationMailText(anyId: string): Promise<string> {
  await server.app.delivery.worker.drainOnce();
  const requestId = (await native.request('GET', `/v1/signature-requests/${encodeURIComponent(anyId)}`)).body
    .id as string;
  const mails = await native.request('GET', `/v1/mails?request_id=${encodeURIComponent(requestId)}`);
  assert.equal(mails.status, 200, JSON.stringify(mails.body));
  const cancelled = (mails.body.data as { template: string; text: string; html: string }[]).filter(
    (mail) => mail.template === 'request_cancelled',
  );
  assert.ok(cancelled.length > 0, `no cancellation mail for ${requestId}`);
  return cancelled.map((mail) => `${mail.text}\n${mail.html}`).join('\n');
}

function assertNames(text: string, name: string, forbidden: readonly string[] = []): void {
  assert.match(text, new RegExp(`cancelled by ${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} on `));
  for (const label of ['default', 'the sender', 'API key', ...forbidden])
    assert.ok(!text.includes(`by ${label}`) && !text.includes(`from ${label}:`), `mentions "${label}":\n${text}`);
}

test('native cancel with an actor: the mail names that person, in the sentence and above the message', async () => {
  const created = await native.createRequest();
  const cancelled = await native.request('POST', `/v1/signature-requests/${created.id}/cancel`, {
    actor: 'ann.owner@acme.test',
    message: 'A corrected version follows',
  });
  assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
  const text = await cancellationMailText(created.id);
  assertNames(text, 'ann.owner@acme.test');
  assert.match(text, /Message from ann\.owner@acme\.test:/);
});

test("native cancel without an actor: the mail names the tenant, never the key's label", async () => {
  const created = await native.createRequest();
  assert.equal(
    (await native.request('POST', `/v1/signature-requests/${created.id}/cancel`, { message: 'Sorry for the noise' }))
      .status,
    200,
  );
  const text = await cancellationMailText(created.id);
  assertNames(text, TENANT);
  assert.match(text, new RegExp(`Message from ${TENANT}:`));
  // The audit trail still records which key it was.
  const view = await native.request('GET', `/v1/signature-requests/${created.id}`);
  assert.equal(view.body.cancellation.actor.type, 'api_key');
});

test('KAiZEN: recalledBy is named; without it, the tenant', async () => {
  const appToken = surfaces.kaizen!.app_token!;
  const named = await initiate(server, appToken);
  assert.equal(
    (
      await recall(server, {
        signRequestId: named.SignRequestId,
        appToken,
        recallReason: 'Raised by mistake',
        recalledBy: 'Mohit Bansal',
      })
    ).body.Data,
    true,
  );
  assertNames(await cancellationMailText(named.SignRequestId), 'Mohit Bansal');
  const anonymous = await initiate(server, appToken);
  assert.equal((await recall(server, { signRequestId: anonymous.SignRequestId, appToken })).body.Data, true);
  assertNames(await cancellationMailText(anonymous.SignRequestId), TENANT, ['KAiZEN']);
});

test('Lumin: the request is cancelled by the tenant, not by "Lumin API key (Primary)"', async () => {
  const send = await call(server.baseUrl, 'POST', '/lumin/v1/signature_request/send', {
    headers: { 'x-api-key': surfaces.lumin!.api_key! },
    body: {
      title: 'Lumin NDA',
      file: Buffer.from(await makePdf()).toString('base64'),
      signers: [{ email_address: 'dee@example.com', name: 'Dee' }],
      expires_at: server.clock.now() + 86_400_000,
    },
  });
  assert.equal(send.status, 201, JSON.stringify(send.body));
  const id = send.body.signature_request.signature_request_id as string;
  assert.equal(
    (
      await call(server.baseUrl, 'PUT', `/lumin/v1/signature_request/cancel/${id}`, {
        headers: { 'x-api-key': surfaces.lumin!.api_key! },
      })
    ).status,
    200,
  );
  assertNames(await cancellationMailText(id), TENANT, ['Lumin', 'Primary']);
});

test('Taktikal: the User is named; without User, the tenant and not the company key', async () => {
  const credentials = surfaces.taktikal as unknown as TaktikalCredentials;
  const client = taktikalClient(server.baseUrl, credentials);
  for (const [user, expected] of [
    ['boss@example.com', 'boss@example.com'],
    ['', TENANT],
  ] as const) {
    const process = await createProcess(client);
    const cancelled = await client.request(
      'DELETE',
      `/management/signing?ProcessKey=${process.key}${user ? `&User=${encodeURIComponent(user)}` : ''}`,
    );
    assert.equal(cancelled.status, 204, JSON.stringify(cancelled.body));
    assertNames(await cancellationMailText(process.key), expected, [credentials.company_key]);
  }
});

test('Auco: the email given with the cancel is named', async () => {
  const keys: AucoKeys = {
    privateKey: surfaces.auco!.private_key!,
    publicKey: surfaces.auco!.public_key!,
    apiKey: native.apiKey,
    tenantId,
  };
  const code = await upload(server, keys);
  const cancelled = await auco(server, 'POST', '/document/cancel', keys.privateKey, {
    codes: [code],
    email: 'ops@acme.test',
    message: 'Error in clause II',
  });
  assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
  const text = await cancellationMailText(code);
  assertNames(text, 'ops@acme.test');
  assert.match(text, /Message from ops@acme\.test:/);
});
