// The Singpass Sign v3 surface over real HTTP: initiate, get signing result (both spellings), and
// cancel with each documented outcome. Tokens are real ES256 JWTs checked against a JWKS served
// on 127.0.0.1; only the clock is controlled.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call, makePdf, startTestServer, type TestServer } from '../support/harness.js';
import { nativeClient } from '../support/native.js';
import {
  MOUNT,
  NO_RECORD,
  proceedToSign,
  setUpRelyingParty,
  sign,
  type JwksServer,
  type RelyingParty,
} from './singpass-fixtures.js';

let server: TestServer;
let rp: RelyingParty;
let apiKey: string;
let tenantId: string;
const jwksServers: JwksServer[] = [];

before(async () => {
  server = await startTestServer();
  const setUp = await setUpRelyingParty(server, 'rp-main');
  rp = setUp.rp;
  apiKey = setUp.apiKey!;
  tenantId = setUp.tenantId;
  jwksServers.push(setUp.jwks);
});
after(async () => {
  await Promise.all(jwksServers.map((jwks) => jwks.close()));
  await server.close();
});

const SIGNV3_UUIDV7 = /^signv3-[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('initiate: returns request_id, signing_url and exchange_code; the tenant sees the request under the Singpass id', async () => {
  const created = await rp.initiate({ claims: { doc_name: 'Tenancy agreement.pdf', x: 0.25, y: 0.75, page: 1 } });
  assert.equal(created.status, 200);
  assert.deepEqual(Object.keys(created.body).sort(), ['exchange_code', 'request_id', 'signing_url']);
  assert.match(created.body.request_id, SIGNV3_UUIDV7);
  assert.match(created.body.exchange_code, /^[0-9a-f-]{36}$/);
  assert.ok(created.body.signing_url.startsWith(`${server.baseUrl}/v1/signing/`));

  const view = await call(server.baseUrl, 'GET', new URL(created.body.signing_url).pathname);
  assert.equal(view.status, 200);
  assert.equal(view.body.signer.email, null);
  assert.equal(view.body.request.title, 'Tenancy agreement.pdf');

  const native = await nativeClient(server.baseUrl, apiKey).request(
    'GET',
    `/v1/signature-requests/${created.body.request_id}`,
  );
  assert.equal(native.status, 200);
  assert.equal(native.body.origin, 'singpass');
  assert.equal(native.body.title, 'Tenancy agreement.pdf');
  assert.equal(native.body.aliases.singpass_request_id, created.body.request_id);
  assert.equal(native.body.signers.length, 1);
  assert.equal(native.body.signers[0].email, null);
  assert.equal(Date.parse(native.body.expires_at) - Date.parse(native.body.created_at), 30 * 60_000);
});

test('initiate: the Singpass row and the core request commit together; no reader ever sees one without the other', async () => {
  // A Singpass row without its request is what a crash between two commits would leave behind.
  const orphans = server.db.prepare(`SELECT count(*) AS n FROM singpass_sign_requests s
    WHERE NOT EXISTS (SELECT 1 FROM request_aliases a WHERE a.tenant_id = s.tenant_id AND a.value = s.request_id)`);
  const initiations = Array.from({ length: 12 }, () => rp.createRequest());
  let done = false;
  let looks = 0;
  let seen = 0;
  const watched = Promise.allSettled(initiations).finally(() => (done = true));
  // Looks at the committed state between every turn of the event loop until all initiations answered.
  while (!done) {
    seen = Math.max(seen, (orphans.get() as { n: number }).n);
    looks += 1;
    await new Promise((resolve) => setImmediate(resolve));
  }
  for (const result of await watched) assert.equal(result.status, 'fulfilled');
  assert.ok(looks > 12, `the database was looked at ${looks} times`);
  assert.equal(seen, 0, 'a Singpass initiation was visible without its core request');
});

test('initiate: a storage failure while writing the core request leaves no Singpass row behind', async () => {
  const before = (server.db.prepare('SELECT count(*) AS n FROM singpass_sign_requests').get() as { n: number }).n;
  server.db.exec(`CREATE TRIGGER test_request_insert_fails BEFORE INSERT ON signature_requests
    WHEN NEW.tenant_id = '${tenantId}' BEGIN SELECT RAISE(ABORT, 'injected storage failure'); END`);
  try {
    const response = await rp.initiate();
    assert.equal(response.status, 500, JSON.stringify(response.body));
  } finally {
    server.db.exec('DROP TRIGGER test_request_insert_fails');
  }
  assert.equal(
    (server.db.prepare('SELECT count(*) AS n FROM singpass_sign_requests').get() as { n: number }).n,
    before,
  );
});

test('initiate: a body that is not a PDF, a page beyond the document, and bad claims are ARGUMENTS_NOT_VALID', async () => {
  const notPdf = await rp.initiate({ body: 'hello, not a pdf' });
  assert.equal(notPdf.status, 400);
  assert.equal(notPdf.body.error, 'ARGUMENTS_NOT_VALID');
  const empty = await rp.initiate({ body: new Uint8Array() });
  assert.equal(empty.status, 400);
  assert.equal(empty.body.error, 'ARGUMENTS_NOT_VALID');
  const page = await rp.initiate({ claims: { page: 3 } });
  assert.equal(page.status, 400);
  assert.equal(page.body.error, 'ARGUMENTS_NOT_VALID');
  assert.match(page.body.error_description, /page 3/);
  for (const claims of [{ x: 1.5 }, { doc_name: '' }, { page: 0 }, { jti: 'not-a-uuid' }, { jti: undefined }]) {
    const refused = await rp.initiate({ claims });
    assert.equal(refused.status, 400, JSON.stringify(claims));
    assert.equal(refused.body.error, 'ARGUMENTS_NOT_VALID', JSON.stringify(claims));
  }
  // The official sample's x = y = 1 is accepted although the text says x, y < 1.
  assert.equal((await rp.initiate({ claims: { x: 1, y: 1 } })).status, 200);
});

test('initiate: another Content-Type is refused with the Singpass envelope and does not use up the token', async () => {
  const pdf = await makePdf();
  const authorization = await rp.token(rp.initiateClaims());
  for (const contentType of ['application/pdf', 'text/plain', 'multipart/form-data; boundary=x', 'application/json']) {
    const refused = await rp.initiate({ body: pdf, contentType, authorization });
    assert.equal(refused.status, 400, contentType);
    assert.deepEqual(Object.keys(refused.body).sort(), ['error', 'error_description']);
    assert.equal(refused.body.error, 'ARGUMENTS_NOT_VALID');
    assert.match(refused.body.error_description, /application\/octet-stream/);
  }
  assert.equal((await rp.initiate({ body: pdf, authorization })).status, 200);
});

test('initiate: a body over 10 MiB is refused with 413 and the Singpass envelope', async () => {
  const tooLarge = new Uint8Array(10 * 1024 * 1024 + 1);
  const refused = await rp.initiate({ body: tooLarge });
  assert.equal(refused.status, 413);
  assert.equal(refused.body.error, 'ARGUMENTS_NOT_VALID');
  assert.match(refused.body.error_description, /10 MiB/);
});

test('signed-doc and signed_doc: not signed yet, then the signed document with signer info, then the URL expires', async () => {
  const created = await rp.createRequest();
  for (const spelling of ['signed-doc', 'signed_doc'] as const) {
    const pending = await rp.signedDoc(created.request_id, created.exchange_code, { spelling });
    assert.equal(pending.status, 400, spelling);
    assert.deepEqual(pending.body, {
      error: 'DOCUMENT_NOT_SIGNED',
      error_description: 'The document has not been signed yet',
    });
  }
  assert.equal((await proceedToSign(server, created.signing_url)).status, 200);
  assert.equal((await rp.signedDoc(created.request_id, created.exchange_code)).body.error, 'DOCUMENT_NOT_SIGNED');
  const signed = await sign(server, created.signing_url);
  assert.equal(signed.body.request_status, 'completed');

  for (const spelling of ['signed-doc', 'signed_doc'] as const) {
    const result = await rp.signedDoc(created.request_id, created.exchange_code, { spelling });
    assert.equal(result.status, 200, spelling);
    assert.equal(result.body.exp, rp.nowSeconds() + 120);
    assert.equal(result.body.signer_info.signer_name, 'Singpass user');
    assert.equal(result.body.signer_info.signer_partial_uinfin, null);
    assert.equal(result.body.signer_info.signed_at, server.clock.now());
    assert.ok(result.body.signed_doc_url.startsWith(`${server.baseUrl}${MOUNT}/signed-documents/`));
  }
  const { body } = await rp.signedDoc(created.request_id, created.exchange_code);
  const download = await fetch(body.signed_doc_url);
  assert.equal(download.status, 200);
  assert.equal(download.headers.get('content-type'), 'application/pdf');
  assert.equal(
    Buffer.from(await download.arrayBuffer())
      .subarray(0, 5)
      .toString(),
    '%PDF-',
  );

  server.clock.advance(121_000);
  const stale = await call(server.baseUrl, 'GET', new URL(body.signed_doc_url).pathname);
  assert.equal(stale.status, 400);
  assert.equal(stale.body.error, 'SIGNED_ACCESS_EXPIRED');
  const forged = await call(server.baseUrl, 'GET', `${new URL(body.signed_doc_url).pathname.slice(0, -4)}AAAA`);
  assert.equal(forged.body.error, 'SIGNED_ACCESS_EXPIRED');

  server.clock.advance(60 * 60_000); // past the 1 h retrieval window
  const late = await rp.signedDoc(created.request_id, created.exchange_code);
  assert.equal(late.status, 400);
  assert.equal(late.body.error, 'SIGNED_ACCESS_EXPIRED');
});

test('signed-doc: an unsigned request past its 30 minutes is REQUEST_EXPIRED, and it can still be cancelled', async () => {
  const created = await rp.createRequest();
  server.clock.advance(30 * 60_000 + 1000);
  const expired = await rp.signedDoc(created.request_id, created.exchange_code, { spelling: 'signed_doc' });
  assert.equal(expired.status, 400);
  assert.equal(expired.body.error, 'REQUEST_EXPIRED');

  const cancelled = await rp.cancel(created.request_id);
  assert.equal(cancelled.status, 200);
  assert.deepEqual(cancelled.body, {});
  const afterCancel = await rp.signedDoc(created.request_id, created.exchange_code);
  assert.deepEqual(afterCancel.body, {
    error: 'REQUEST_CANCELLED',
    error_description: 'The sign request has been cancelled',
  });
});

test('signed-doc: a request already moved to expired is REQUEST_EXPIRED too, and cancellable', async () => {
  const created = await rp.createRequest();
  server.clock.advance(31 * 60_000);
  // Opening the signing link expires the request on the spot (the core's rule).
  assert.equal((await proceedToSign(server, created.signing_url)).status, 409);
  const native = await nativeClient(server.baseUrl, apiKey).request(
    'GET',
    `/v1/signature-requests/${created.request_id}`,
  );
  assert.equal(native.body.status, 'expired');
  assert.equal((await rp.signedDoc(created.request_id, created.exchange_code)).body.error, 'REQUEST_EXPIRED');
  assert.equal((await rp.cancel(created.request_id)).status, 200);
});

test('cancel: 200 with {}, recorded through the core with the client as actor and surface singpass', async () => {
  const created = await rp.createRequest();
  assert.equal((await call(server.baseUrl, 'POST', `${new URL(created.signing_url).pathname}/viewed`)).status, 200); // viewed only
  const cancelled = await rp.cancel(created.request_id);
  assert.equal(cancelled.status, 200);
  assert.deepEqual(cancelled.body, {});
  assert.match(cancelled.headers.get('content-type') ?? '', /application\/json/);

  const client = nativeClient(server.baseUrl, apiKey);
  const native = await client.request('GET', `/v1/signature-requests/${created.request_id}`);
  assert.equal(native.body.status, 'cancelled');
  assert.equal(native.body.cancellation.actor.id, 'rp-main');
  assert.equal(native.body.cancellation.notify, 'none');
  const events = await client.request('GET', `/v1/signature-requests/${created.request_id}/events`);
  const event = (events.body.data ?? events.body).find(
    (candidate: { type: string }) => candidate.type === 'request.cancelled',
  );
  assert.equal(event.surface, 'singpass');
  assert.equal(event.actor.type, 'integration');
  // The signer's link now tells them the request was cancelled.
  assert.equal((await call(server.baseUrl, 'GET', new URL(created.signing_url).pathname)).status, 410);
});

test("cancel: the claim client_request (the docs' name) works like client_id", async () => {
  const created = await rp.createRequest();
  const token = await rp.token({ client_request: rp.clientId, request_id: created.request_id });
  assert.equal((await rp.cancel(created.request_id, token)).status, 200);
});

test('cancel: ACTIVE_SESSION_ONGOING after Proceed to Sign, allowed again once the session has lapsed', async () => {
  const created = await rp.createRequest();
  assert.equal((await proceedToSign(server, created.signing_url)).status, 200);
  const refused = await rp.cancel(created.request_id);
  assert.equal(refused.status, 400);
  assert.deepEqual(refused.body, {
    error: 'ACTIVE_SESSION_ONGOING',
    error_description: 'Request cannot be cancelled due to an active sign session',
  });
  server.clock.advance(30 * 60_000 + 1000); // the 30-minute sign session (and the request) lapse unsigned
  assert.equal((await rp.cancel(created.request_id)).status, 200);
});

test('cancel: a pending native deferred cancel keeps ACTIVE_SESSION_ONGOING while the session lasts; after it, this cancel goes through and supersedes it', async () => {
  const created = await rp.createRequest();
  assert.equal((await proceedToSign(server, created.signing_url)).status, 200);
  const native = nativeClient(server.baseUrl, apiKey);
  const deferred = await native.request('POST', `/v1/signature-requests/${created.request_id}/cancel`, {
    on_active_session: 'defer',
    reason: 'native',
  });
  assert.equal(deferred.status, 202);
  const refused = await rp.cancel(created.request_id);
  assert.equal(refused.status, 400);
  assert.equal(refused.body.error, 'ACTIVE_SESSION_ONGOING');
  server.clock.advance(30 * 60_000 + 1000); // the session lapses; the worker has not run yet
  assert.equal((await rp.cancel(created.request_id)).status, 200);
  await server.app.delivery.worker.drainOnce();
  const view = await native.request('GET', `/v1/signature-requests/${created.request_id}`);
  assert.equal(view.body.pending_cancellation, null);
  assert.equal(view.body.cancellation.actor.id, 'rp-main');
  const events = (await native.request('GET', `/v1/signature-requests/${created.request_id}/events`)).body.data as {
    type: string;
    data: Record<string, unknown>;
  }[];
  assert.equal(events.filter((event) => event.type === 'request.cancelled').length, 1);
  assert.equal(
    events.some((event) => event.type === 'request.cancel_refused' && event.data.deferred),
    false,
    'the deferred cancel does not fail afterwards',
  );
});

test('cancel: DOCUMENT_ALREADY_SIGNED once signed', async () => {
  const created = await rp.createRequest();
  await proceedToSign(server, created.signing_url);
  assert.equal((await sign(server, created.signing_url)).status, 200);
  const refused = await rp.cancel(created.request_id);
  assert.equal(refused.status, 400);
  assert.deepEqual(refused.body, {
    error: 'DOCUMENT_ALREADY_SIGNED',
    error_description: 'Document has already been signed',
  });
});

test('cancel: REQUEST_ALREADY_CANCELLED the second time', async () => {
  const created = await rp.createRequest();
  assert.equal((await rp.cancel(created.request_id)).status, 200);
  const refused = await rp.cancel(created.request_id);
  assert.equal(refused.status, 400);
  assert.deepEqual(refused.body, {
    error: 'REQUEST_ALREADY_CANCELLED',
    error_description: 'Document has already been cancelled',
  });
});

test('cancel: a request the signer declined answers REQUEST_DECLINED', async () => {
  const created = await rp.createRequest();
  const declined = await call(server.baseUrl, 'POST', `${new URL(created.signing_url).pathname}/decline`, {
    body: { reason: 'not me' },
  });
  assert.equal(declined.status, 200);
  const refused = await rp.cancel(created.request_id);
  assert.equal(refused.status, 400);
  assert.deepEqual(refused.body, {
    error: 'REQUEST_DECLINED',
    error_description: 'The sign request has been declined by the signer',
  });
  assert.equal((await rp.signedDoc(created.request_id, created.exchange_code)).body.error, 'REQUEST_DECLINED');
});

test('cancel: unknown ids, another client\'s and another tenant\'s requests all answer "No record found" and stay untouched', async () => {
  const sameTenantOther = await setUpRelyingParty(server, 'rp-same-tenant', tenantId);
  const otherTenant = await setUpRelyingParty(server, 'rp-other-tenant');
  jwksServers.push(sameTenantOther.jwks, otherTenant.jwks);
  const theirs = await sameTenantOther.rp.createRequest();
  const foreign = await otherTenant.rp.createRequest();

  const answers = [
    await rp.cancel('signv3-0199cc9c-8b7c-70df-b29b-39843a10c332'),
    await rp.cancel('not-even-an-id'),
    await rp.cancel(theirs.request_id),
    await rp.cancel(foreign.request_id),
  ];
  for (const answer of answers) {
    assert.equal(answer.status, 400);
    assert.deepEqual(answer.body, NO_RECORD);
  }
  // The other client's exchange code does not open the request for this client either.
  const peek = await rp.signedDoc(theirs.request_id, theirs.exchange_code);
  assert.equal(peek.status, 400);
  assert.equal(peek.body.error, 'UNAUTHORIZED');
  // Their owners can still cancel them.
  assert.equal((await sameTenantOther.rp.cancel(theirs.request_id)).status, 200);
  assert.equal((await otherTenant.rp.cancel(foreign.request_id)).status, 200);
  // The other tenant's request is invisible to this tenant's native key.
  const native = await nativeClient(server.baseUrl, apiKey).request(
    'GET',
    `/v1/signature-requests/${foreign.request_id}`,
  );
  assert.equal(native.status, 404);
});

test('unknown routes under the mount answer the Singpass envelope', async () => {
  const missing = await call(server.baseUrl, 'GET', `${MOUNT}/sign-requests`);
  assert.equal(missing.status, 404);
  assert.equal(missing.body.error, 'CLIENT_SIDE_ERROR');
  assert.equal(typeof missing.body.error_description, 'string');
});
