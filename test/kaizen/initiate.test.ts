import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call, startTestServer, type TestServer } from '../support/harness.js';
import { INITIATE, initiate, nativeView, pdfAsBase64, recall } from './kaizen-helpers.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => server.close());

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

test('the documented answer: a ULID SignRequestId and a per-tenant RequestNo, both usable as ids on /v1', async () => {
  const tenant = await server.createTenant();
  const appToken = tenant.surfaces.kaizen!.app_token!;
  const first = await initiate(server, appToken, [
    { name: 'Ann Signer', email: 'ann@example.com', Order: 1 },
    { name: 'Bob Signer', email: 'bob@example.com', Order: 2 },
  ]);
  assert.match(first.SignRequestId, ULID);
  assert.equal(first.RequestNo, 'KAiZEN-1');
  assert.equal((await initiate(server, appToken)).RequestNo, 'KAiZEN-2');
  const other = await server.createTenant('Other');
  assert.equal((await initiate(server, other.surfaces.kaizen!.app_token!)).RequestNo, 'KAiZEN-1');

  const bySignRequestId = await nativeView(server, tenant.apiKey, first.SignRequestId);
  const byRequestNo = await nativeView(server, tenant.apiKey, first.RequestNo);
  assert.equal(bySignRequestId.status, 200);
  assert.equal(byRequestNo.body.id, bySignRequestId.body.id);
  assert.equal(bySignRequestId.body.origin, 'kaizen');
  assert.deepEqual(bySignRequestId.body.aliases, {
    kaizen_sign_request_id: first.SignRequestId,
    kaizen_request_no: 'KAiZEN-1',
  });
  assert.equal(bySignRequestId.body.title, 'Service agreement');
  assert.equal(bySignRequestId.body.document.filename, 'agreement.pdf');
  assert.deepEqual(
    bySignRequestId.body.signers.map((signer: { order: number; status: string }) => [signer.order, signer.status]),
    [
      [1, 'notified'],
      [2, 'waiting'],
    ],
  );
  // Another tenant's native key does not see it.
  assert.equal((await nativeView(server, other.apiKey, first.SignRequestId)).status, 404);
});

test('concurrent initiations never share a RequestNo', async () => {
  const tenant = await server.createTenant();
  const appToken = tenant.surfaces.kaizen!.app_token!;
  const created = await Promise.all(Array.from({ length: 8 }, () => initiate(server, appToken)));
  assert.deepEqual(
    created.map((data) => data.RequestNo).sort(),
    Array.from({ length: 8 }, (_, index) => `KAiZEN-${index + 1}`).sort(),
  );
  assert.equal(new Set(created.map((data) => data.SignRequestId)).size, 8);
});

test('a request refused once its document is read takes no RequestNo: numbering and creation commit together', async () => {
  const tenant = await server.createTenant();
  const appToken = tenant.surfaces.kaizen!.app_token!;
  const base = { appToken, title: 'Refused', signers: [{ name: 'Ann Signer', email: 'ann@example.com' }] };
  const refused = [
    // Valid base64 whose bytes are not a PDF: refused when the document is read.
    { ...base, document: Buffer.from('hello, I am a text file').toString('base64') },
    // A PDF header on a body that is no PDF.
    { ...base, document: Buffer.from('%PDF-1.7\nthis is not a PDF body\n%%EOF').toString('base64') },
    // Two signers with one email: refused by the core's rules.
    {
      ...base,
      document: await pdfAsBase64(),
      signers: [
        { name: 'A', email: 'a@example.com' },
        { name: 'B', email: 'A@example.com' },
      ],
    },
  ];
  for (const body of refused) {
    const response = await call(server.baseUrl, 'POST', INITIATE, { body });
    assert.notDeepEqual(response.body.FailRules, [], JSON.stringify(response.body));
  }
  assert.equal((await initiate(server, appToken)).RequestNo, 'KAiZEN-1', 'the refusals consumed no number');
  const list = await call(server.baseUrl, 'GET', '/v1/signature-requests', {
    headers: { authorization: `Bearer ${tenant.apiKey}` },
  });
  assert.equal(list.body.data.length, 1);
});

test('keys are case-insensitive (PascalCase works), unknown members are ignored, the lowercase route and ?code= are accepted', async () => {
  const tenant = await server.createTenant();
  const response = await call(server.baseUrl, 'POST', '/kaizen/api/initiatesignrequest?code=whatever', {
    body: {
      AppToken: tenant.surfaces.kaizen!.app_token,
      Subject: 'Lease',
      DocumentBase64: await pdfAsBase64(),
      ExpiryDays: 7,
      Signers: [{ Name: 'Ann Signer', EMAIL: 'ann@example.com', Order: 1, SignatureType: 'Aadhaar' }],
      TemplateId: 'ignored',
    },
  });
  assert.equal(response.status, 200);
  assert.deepEqual(response.body.FailRules, []);
  const view = await nativeView(server, tenant.apiKey, response.body.Data.SignRequestId);
  assert.equal(view.body.title, 'Lease');
  assert.equal(Date.parse(view.body.expires_at) - Date.parse(view.body.created_at), 7 * 86_400_000);
});

test('an invalid appToken gets "Invalid App Token" and creates nothing; an expired token is invalid too', async () => {
  const tenant = await server.createTenant();
  const response = await call(server.baseUrl, 'POST', INITIATE, {
    body: {
      appToken: 'ZZZZZZZ-ZZZZZZ-ZZZZZZ-ZZZZZZ-ZZZZZZ-ZZZZZZ-ZZZZZZ-ZZZZZZ-A',
      title: 'x',
      document: await pdfAsBase64(),
      signers: [{ name: 'A', email: 'a@example.com' }],
    },
  });
  assert.deepEqual(response.body, {
    FailRules: [{ Code: 'InvalidAppToken', Message: 'Invalid App Token' }],
    Data: null,
  });

  const issued = await call(server.baseUrl, 'POST', '/v1/kaizen/app-tokens', {
    body: { name: 'Salesforce org', validity_days: 1 },
    headers: { authorization: `Bearer ${tenant.apiKey}` },
  });
  assert.equal(issued.status, 201);
  const created = await initiate(server, issued.body.app_token);
  const list = await call(server.baseUrl, 'GET', '/v1/signature-requests', {
    headers: { authorization: `Bearer ${tenant.apiKey}` },
  });
  assert.equal(list.body.data.length, 1);
  server.clock.advance(86_400_000 + 1);
  const expired = await recall(server, { signRequestId: created.SignRequestId, appToken: issued.body.app_token });
  assert.deepEqual(expired.body.FailRules, [{ Code: 'InvalidAppToken', Message: 'Invalid App Token' }]);
});

test('bad input comes back as FailRules with Data null, never a 500', async () => {
  const tenant = await server.createTenant();
  const appToken = tenant.surfaces.kaizen!.app_token!;
  const pdf = await pdfAsBase64();
  const base = { appToken, title: 'Agreement', document: pdf, signers: [{ name: 'Ann', email: 'ann@example.com' }] };
  const send = (body: unknown) => call(server.baseUrl, 'POST', INITIATE, { body });
  const messagesOf = (response: Awaited<ReturnType<typeof send>>) =>
    response.body.FailRules.map((rule: { Message: string }) => rule.Message);

  const noSigners = await send({ ...base, signers: [] });
  assert.equal(noSigners.status, 200);
  assert.equal(noSigners.body.Data, null);
  assert.match(messagesOf(noSigners)[0], /^signers: /);

  const missing = await send({ appToken });
  assert.deepEqual(
    messagesOf(missing)
      .map((message: string) => message.split(':')[0])
      .sort(),
    ['document', 'signers', 'title'],
  );
  const both = await send({ ...base, documentBase64: pdf });
  assert.deepEqual(messagesOf(both), ['documentBase64: give document or documentBase64, not both']);

  const wrongTypes = await send({
    ...base,
    signers: [{ name: 5, email: 'not-an-email', Order: 'first' }],
    expiryDays: 'ten',
  });
  assert.deepEqual(
    messagesOf(wrongTypes)
      .map((message: string) => message.split(':')[0])
      .sort(),
    ['expiryDays', 'signers[0].Order', 'signers[0].email', 'signers[0].name'],
  );

  const badBase64 = await send({ ...base, document: 'this is %%% not base64' });
  assert.equal(badBase64.body.FailRules[0].Code, 'InvalidDocument');
  assert.match(badBase64.body.FailRules[0].Message, /base64/);

  const notPdf = await send({ ...base, document: Buffer.from('hello, I am a text file').toString('base64') });
  assert.equal(notPdf.body.FailRules[0].Code, 'InvalidDocument');
  assert.match(notPdf.body.FailRules[0].Message, /not a PDF/);

  const duplicateSigner = await send({
    ...base,
    signers: [
      { name: 'A', email: 'a@example.com' },
      { name: 'B', email: 'A@example.com' },
    ],
  });
  assert.equal(duplicateSigner.body.FailRules[0].Code, 'ValidationFailed');

  const huge = await call(server.baseUrl, 'POST', INITIATE, {
    rawBody: JSON.stringify({ ...base, document: 'A'.repeat(17 * 1024 * 1024) }),
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(huge.status, 413);
  assert.deepEqual(
    huge.body.FailRules.map((rule: { Code: string }) => rule.Code),
    ['PayloadTooLarge'],
  );

  const plainText = await call(server.baseUrl, 'POST', INITIATE, {
    rawBody: JSON.stringify(base),
    headers: { 'content-type': 'text/plain' },
  });
  assert.equal(plainText.body.FailRules[0].Code, 'MalformedRequest');

  // None of these created anything.
  const list = await call(server.baseUrl, 'GET', '/v1/signature-requests', {
    headers: { authorization: `Bearer ${tenant.apiKey}` },
  });
  assert.equal(list.body.data.length, 0);
});
