// The Singpass Sign v3 success webhook, end to end over real HTTP: a relying party (RP) registers
// its webhook URL, a request it initiated is signed through the signing link, the worker posts
// {"token"} to a real receiver, and the token verifies with jose against the JWKS this server
// publishes, the way the Singpass demo RP app checks it. Only the clock is controlled.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { call, startTestServer, type TestServer } from '../support/harness.js';
import { nativeClient, signingPath } from '../support/native.js';
import { answer, startReceiver, until, type Receiver } from '../webhooks/receiver.js';
import { outboxRow, outboxRowsOf, startWebhookServer, untilOutcomes, makeDue } from '../webhooks/support.js';
import {
  MOUNT,
  proceedToSign,
  setUpRelyingParty,
  sign,
  type JwksServer,
  type RelyingParty,
} from './singpass-fixtures.js';

const JWKS_PATH = '/singpass/.well-known/keys.json';

let server: TestServer;
let rp: RelyingParty;
let otherRp: RelyingParty;
let apiKey: string;
let tenantId: string;
let receiver: Receiver;
let otherReceiver: Receiver;
const jwksServers: JwksServer[] = [];

before(async () => {
  server = await startWebhookServer();
  const main = await setUpRelyingParty(server, 'rp-webhook');
  rp = main.rp;
  apiKey = main.apiKey!;
  tenantId = main.tenantId;
  // A second RP of the same tenant, with its own webhook URL.
  const second = await setUpRelyingParty(server, 'rp-webhook-2', tenantId);
  otherRp = second.rp;
  jwksServers.push(main.jwks, second.jwks);
  receiver = await startReceiver(answer(200));
  otherReceiver = await startReceiver(answer(200));
  assert.equal((await setWebhook('rp-webhook', receiver.url)).status, 200);
  assert.equal((await setWebhook('rp-webhook-2', otherReceiver.url)).status, 200);
});
after(async () => {
  await Promise.all([...jwksServers.map((jwks) => jwks.close()), receiver.close(), otherReceiver.close()]);
  await server.close();
});

function setWebhook(clientId: string, url: string, key = apiKey, on = server) {
  return nativeClient(on.baseUrl, key).request('PUT', `/v1/admin/singpass/clients/${clientId}/webhook`, { url });
}

async function signedRequest(party: RelyingParty): Promise<string> {
  const created = await party.createRequest();
  assert.equal((await proceedToSign(server, created.signing_url)).status, 200);
  assert.equal((await sign(server, created.signing_url)).status, 200);
  return created.request_id;
}

/** Waits until the worker has finished every webhook delivery row (none pending). */
async function deliveriesSettled(): Promise<void> {
  server.app.delivery.worker.wake();
  await until(
    () =>
      outboxRowsOf(server, 'event').every((row) => row.status !== 'pending') &&
      outboxRowsOf(server, 'webhook.delivery').every((row) => row.status !== 'pending'),
    30_000,
    () => 'webhook rows still pending',
  );
}

async function verified(token: string): Promise<{ payload: JWTPayload & Record<string, unknown> }> {
  const jwks = createRemoteJWKSet(new URL(`${server.baseUrl}${JWKS_PATH}`));
  const { payload } = await jwtVerify(token, jwks, {
    algorithms: ['ES256'],
    currentDate: new Date(server.clock.now()),
  });
  return { payload: payload as JWTPayload & Record<string, unknown> };
}

test('the JWKS holds one public EC P-256 signing key, the same on every call', async () => {
  const first = await call(server.baseUrl, 'GET', JWKS_PATH);
  assert.equal(first.status, 200);
  assert.match(first.headers.get('cache-control') ?? '', /max-age=3600/);
  assert.equal(first.body.keys.length, 1);
  const [key] = first.body.keys;
  assert.deepEqual(Object.keys(key).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
  assert.equal(key.kty, 'EC');
  assert.equal(key.crv, 'P-256');
  assert.equal(key.use, 'sig');
  assert.deepEqual((await call(server.baseUrl, 'GET', JWKS_PATH)).body, first.body);
});

test('a signed request: the initiating RP receives {token}; it verifies against the JWKS and its signed_doc_url downloads the PDF', async () => {
  const before = receiver.received.length;
  const requestId = await signedRequest(rp);
  const [webhook] = (await receiver.waitFor(before + 1)).slice(before);
  assert.equal(webhook!.headers['content-type'], 'application/json');
  const body = JSON.parse(webhook!.body) as { token: string };
  assert.deepEqual(Object.keys(body), ['token']);

  const header = decodeProtectedHeader(body.token);
  assert.equal(header.alg, 'ES256');
  assert.equal(header.typ, 'JWT');
  const {
    keys: [published],
  } = (await call(server.baseUrl, 'GET', JWKS_PATH)).body;
  assert.equal(header.kid, published.kid);

  const { payload } = await verified(body.token);
  assert.equal(payload.request_type, 'signed_doc_url');
  assert.equal(payload.request_id, requestId);
  assert.equal(payload.exp! - payload.iat!, 120);
  const signerInfo = payload.signer_info as { signer_name: string; signer_partial_uinfin: null; signed_at: number };
  assert.equal(typeof signerInfo.signer_name, 'string');
  assert.equal(signerInfo.signer_partial_uinfin, null);
  assert.ok(Math.abs(signerInfo.signed_at - server.clock.now()) < 60_000);

  const url = new URL(payload.signed_doc_url as string);
  assert.equal(url.origin, server.baseUrl);
  assert.ok(url.pathname.startsWith(`${MOUNT}/signed-documents/`));
  const download = await fetch(url);
  assert.equal(download.status, 200);
  assert.equal(download.headers.get('content-type'), 'application/pdf');
  assert.equal(
    Buffer.from(await download.arrayBuffer())
      .subarray(0, 5)
      .toString(),
    '%PDF-',
  );

  // A forged token (signed by the RP's key, not ours) does not verify against the JWKS.
  const forged = await rp.token({ request_type: 'signed_doc_url', request_id: requestId, signed_doc_url: url.href });
  await assert.rejects(verified(forged));
});

test('only the RP that initiated the request hears of it; cancelled and natively created requests send nothing', async () => {
  await deliveriesSettled();
  const counts = () => [receiver.received.length, otherReceiver.received.length];
  const [mine, others] = counts();

  const otherRequest = await signedRequest(otherRp);
  const [webhook] = (await otherReceiver.waitFor(others! + 1)).slice(others);
  assert.equal(
    (await verified((JSON.parse(webhook!.body) as { token: string }).token)).payload.request_id,
    otherRequest,
  );

  const cancelled = await rp.createRequest();
  assert.equal((await rp.cancel(cancelled.request_id)).status, 200);
  const native = nativeClient(server.baseUrl, apiKey);
  const created = await native.createRequest({ signers: [{ name: 'Nat', email: 'nat@example.com' }] });
  const link = signingPath(created.signers[0].signing_url);
  assert.equal((await call(server.baseUrl, 'POST', `${link}/start`)).status, 200);
  assert.equal(
    (await call(server.baseUrl, 'POST', `${link}/sign`, { body: { signature: { type: 'typed', text: 'Nat' } } }))
      .status,
    200,
  );

  await deliveriesSettled();
  assert.deepEqual(counts(), [mine, others! + 1], "one webhook in all: the other RP's own request");
  // Events Singpass has no webhook for queue no delivery to a singpass endpoint at all.
  const singpassEndpoints = new Set(
    server.db.prepare("SELECT id FROM webhook_endpoints WHERE format = 'singpass'").pluck().all() as string[],
  );
  const types = outboxRowsOf(server, 'webhook.delivery')
    .map((row) => JSON.parse(row.payload) as { endpoint_id: string; type: string })
    .filter((payload) => singpassEndpoints.has(payload.endpoint_id))
    .map((payload) => payload.type);
  assert.ok(types.length >= 3);
  assert.deepEqual([...new Set(types)], ['signature_request.completed']);
});

test("a receiver that keeps failing gets Singpass's 3 attempts, 2 s apart, and the delivery is dead-lettered", async () => {
  await deliveriesSettled();
  const before = receiver.received.length;
  receiver.respondWith(answer(500, 'down'));
  try {
    await signedRequest(rp);
    await receiver.waitFor(before + 1);
    const endpoint = (
      await nativeClient(server.baseUrl, apiKey).request('GET', '/v1/admin/singpass/clients/rp-webhook/webhook')
    ).body;
    const failed = () =>
      outboxRowsOf(server, 'webhook.delivery').find(
        (candidate) =>
          (JSON.parse(candidate.payload) as { endpoint_id: string }).endpoint_id === endpoint.id &&
          candidate.status === 'pending' &&
          candidate.attempts > 0,
      );
    await until(
      () => failed() !== undefined,
      30_000,
      () => 'the failed delivery never waited for a retry',
    );
    const row = failed()!;
    let current = await untilOutcomes(server, row.id, 1);
    for (let attempt = 1; attempt < 3; attempt += 1) {
      assert.equal(current.status, 'pending');
      const lastAttemptAt = server.clock.now();
      assert.equal(current.available_at - lastAttemptAt, 2_000, `retry ${attempt} comes 2 s after the attempt`);
      makeDue(server, current);
      current = await untilOutcomes(server, row.id, attempt + 1);
    }
    assert.equal(current.status, 'dead');
    assert.equal(receiver.received.length, before + 3);
    assert.equal(outboxRow(server, row.id).attempts, 3);
  } finally {
    receiver.respondWith(answer(200));
  }
});

test("the webhook URL: set, read, replaced and removed per client; other tenants' and unknown clients are 404", async () => {
  const native = nativeClient(server.baseUrl, apiKey);
  const path = '/v1/admin/singpass/clients/rp-webhook/webhook';
  const shown = await native.request('GET', path);
  assert.equal(shown.status, 200);
  assert.equal(shown.body.url, receiver.url);
  assert.equal(shown.body.client_id, 'rp-webhook');

  const stranger = await server.createTenant('Stranger');
  for (const [key, clientId] of [
    [stranger.apiKey, 'rp-webhook'],
    [apiKey, 'rp-nobody'],
  ] as const) {
    const refused = await setWebhook(clientId, receiver.url, key);
    assert.equal(refused.status, 404, clientId);
    assert.equal(refused.body.code, 'not_found');
  }
  assert.equal((await native.request('PUT', path, { url: 'ftp://example.com/hook' })).status, 400);
  assert.equal((await native.request('PUT', path, { url: receiver.url, extra: true })).status, 400);
  assert.equal((await native.request('GET', path)).body.url, receiver.url, 'refusals changed nothing');

  // Replacing one client's URL leaves the other client's alone.
  const replaced = await native.request('PUT', path, { url: `${receiver.url}?v=2` });
  assert.equal(replaced.status, 200);
  assert.equal((await native.request('GET', path)).body.url, `${receiver.url}?v=2`);
  assert.equal(
    (await native.request('GET', '/v1/admin/singpass/clients/rp-webhook-2/webhook')).body.url,
    otherReceiver.url,
  );

  assert.equal((await native.request('DELETE', path)).status, 204);
  assert.equal((await native.request('GET', path)).status, 404);
  await deliveriesSettled();
  const before = receiver.received.length;
  await signedRequest(rp);
  await deliveriesSettled();
  assert.equal(receiver.received.length, before, 'no webhook once the URL is removed');
  assert.equal((await setWebhook('rp-webhook', receiver.url)).status, 200);
});

test('a private or loopback webhook URL is refused unless the operator allows private webhook targets', async () => {
  const strict = await startTestServer();
  try {
    const setUp = await setUpRelyingParty(strict, 'rp-strict');
    jwksServers.push(setUp.jwks);
    const refused = await setWebhook('rp-strict', 'http://127.0.0.1:9/hook', setUp.apiKey!, strict);
    assert.equal(refused.status, 400);
    assert.equal(refused.body.code, 'validation_failed');
    assert.equal(
      (await nativeClient(strict.baseUrl, setUp.apiKey!).request('GET', '/v1/admin/singpass/clients/rp-strict/webhook'))
        .status,
      404,
    );
  } finally {
    await strict.close();
  }
});

test("CLI: `singpass-client webhook` shows, sets (under the same private-target rule) and removes an RP's URL", async () => {
  const run = promisify(execFile);
  const cli = join(process.cwd(), 'bin/countersign.mjs');
  const args = ['singpass-client', 'webhook', '--tenant', tenantId, '--client-id', 'rp-webhook-2', '--json'];
  const strictEnv = { ...process.env, COUNTERSIGN_DATA_DIR: server.dataDir, COUNTERSIGN_ALLOW_PRIVATE_WEBHOOKS: '' };
  const allowingEnv = { ...strictEnv, COUNTERSIGN_ALLOW_PRIVATE_WEBHOOKS: '1' };
  const path = '/v1/admin/singpass/clients/rp-webhook-2/webhook';
  const native = nativeClient(server.baseUrl, apiKey);

  assert.deepEqual(JSON.parse((await run(process.execPath, [cli, ...args], { env: strictEnv })).stdout), {
    client_id: 'rp-webhook-2',
    url: otherReceiver.url,
  });
  const refused = await run(process.execPath, [cli, ...args, '--url', `${otherReceiver.url}?cli=1`], {
    env: strictEnv,
  }).then(
    () => undefined,
    (error: { code: number; stderr: string }) => error,
  );
  assert.equal(refused?.code, 2, 'a loopback URL needs COUNTERSIGN_ALLOW_PRIVATE_WEBHOOKS=1');
  assert.match(refused!.stderr, /not allowed/);
  assert.equal((await native.request('GET', path)).body.url, otherReceiver.url, 'the refusal changed nothing');

  const set = await run(process.execPath, [cli, ...args, '--url', `${otherReceiver.url}?cli=1`], { env: allowingEnv });
  assert.deepEqual(JSON.parse(set.stdout), { client_id: 'rp-webhook-2', url: `${otherReceiver.url}?cli=1` });
  assert.equal((await native.request('GET', path)).body.url, `${otherReceiver.url}?cli=1`);
  const removed = await run(process.execPath, [cli, ...args, '--remove'], { env: strictEnv });
  assert.deepEqual(JSON.parse(removed.stdout), { client_id: 'rp-webhook-2', url: null });
  assert.equal((await native.request('GET', path)).status, 404);

  const unknown = await run(
    process.execPath,
    [cli, 'singpass-client', 'webhook', '--tenant', tenantId, '--client-id', 'rp-nobody'],
    { env: strictEnv },
  ).then(
    () => undefined,
    (error: { code: number; stderr: string }) => error,
  );
  assert.equal(unknown?.code, 2);
  assert.match(unknown!.stderr, /not found/);
  assert.equal((await setWebhook('rp-webhook-2', otherReceiver.url)).status, 200);
});
