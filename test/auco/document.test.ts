import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { expireDueRequests } from '../../src/core/use-cases/expire-due-requests.js';
import { startTestServer, type TestServer } from '../support/harness.js';
import { auco, aucoTenant, declineAs, nativeView, signAs, upload, uploadBody } from './auco-helpers.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => server.close());

test('upload answers {document: CODE}, a 10-character code that /v1 accepts as the id', async () => {
  const keys = await aucoTenant(server);
  const code = await upload(server, keys, [
    { name: 'Ann', email: 'ann@example.com', order: 1, role: 'SIGNER', phone: '+573001112233' },
    { name: 'Bob', email: 'bob@example.com', order: 2, role: 'APPROVER' },
  ]);
  assert.match(code, /^[0-9A-Z]{10}$/);
  const view = await nativeView(server, keys, code);
  assert.equal(view.status, 200);
  assert.equal(view.body.origin, 'auco');
  assert.deepEqual(view.body.aliases, { auco_code: code });
  assert.equal(view.body.title, 'Contrato de prueba del API');
  assert.equal(view.body.message, 'Por favor firma');
  assert.equal(view.body.owner_email, 'owner@example.com');
  assert.deepEqual(
    view.body.signers.map((signer: { email: string; status: string }) => [signer.email, signer.status]),
    [
      ['ann@example.com', 'notified'],
      ['bob@example.com', 'waiting'],
    ],
  );
  assert.notEqual(await upload(server, keys), code);
});

test('GET /document with the public key: the documented shape and status words', async () => {
  const keys = await aucoTenant(server);
  const code = await upload(server, keys, [
    { name: 'Ann', email: 'ann@example.com', order: 1 },
    { name: 'Bob', email: 'bob@example.com', order: 2 },
  ]);
  const response = await auco(server, 'GET', `/document?code=${code}`, keys.publicKey);
  assert.equal(response.status, 200);
  const requestId = (await nativeView(server, keys, code)).body.id;
  const { data, signProfile, ...top } = response.body;
  assert.deepEqual(top, {
    url: `${server.app.publicUrl}/v1/signature-requests/${requestId}/document`,
    name: 'Contrato de prueba del API',
    code,
    status: 'CREATED',
  });
  assert.deepEqual(Object.keys(data).sort(), [
    'camera',
    'code',
    'createdAt',
    'name',
    'otpCode',
    'signFinish',
    'signProfile',
    'updatedAt',
  ]);
  assert.equal(data.code, code);
  assert.equal(data.signFinish, false);
  assert.deepEqual(signProfile, data.signProfile);
  assert.deepEqual(
    signProfile.map((profile: { name: string; email: string; status: string }) => [
      profile.name,
      profile.email,
      profile.status,
    ]),
    [
      ['Ann', 'ann@example.com', 'NOTIFICATION'],
      ['Bob', 'bob@example.com', 'PENDING'],
    ],
  );
  assert.match(signProfile[0].id, /^sgr_/);

  await signAs(server, keys, code, 0);
  const partly = await auco(server, 'GET', `/document?code=${code.toLowerCase()}`, keys.privateKey);
  assert.equal(partly.body.status, 'CREATED');
  assert.deepEqual(
    partly.body.signProfile.map((profile: { status: string }) => profile.status),
    ['FINISH', 'NOTIFICATION'],
  );
  await signAs(server, keys, code, 1);
  const finished = await auco(server, 'GET', `/document?code=${code}`, keys.publicKey);
  assert.equal(finished.body.status, 'FINISH');
  assert.equal(finished.body.data.signFinish, true);

  const rejected = await upload(server, keys);
  await declineAs(server, keys, rejected, 0);
  const rejectedView = await auco(server, 'GET', `/document?code=${rejected}`, keys.publicKey);
  assert.equal(rejectedView.body.status, 'REJECTED');
  assert.equal(rejectedView.body.signProfile[0].status, 'REJECT');
  assert.equal(rejectedView.body.cancellation, undefined);

  const expiring = await upload(server, keys, undefined, {
    expiredDate: new Date(server.clock.now() + 4 * 86_400_000).toISOString(),
  });
  server.clock.advance(5 * 86_400_000);
  await expireDueRequests(server.app.deps); // what the worker runs periodically
  assert.equal((await auco(server, 'GET', `/document?code=${expiring}`, keys.publicKey)).body.status, 'EXPIRED');
});

test('GET /document errors: unknown code, no code, no key, a wrong key', async () => {
  const keys = await aucoTenant(server);
  const unknown = await auco(server, 'GET', '/document?code=NOSUCHCODE', keys.publicKey);
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.code, 'DOCUMENT_NOTFOUND');
  const noCode = await auco(server, 'GET', '/document', keys.publicKey);
  assert.equal(noCode.status, 400);
  assert.deepEqual(noCode.body.errors, [{ field: 'query.code', message: 'required' }]);
  assert.equal((await auco(server, 'GET', '/document?code=NOSUCHCODE', undefined)).status, 401);
  assert.equal((await auco(server, 'GET', '/document?code=NOSUCHCODE', `puk_${'0'.repeat(64)}`)).status, 401);
});

test('upload needs the private key', async () => {
  const keys = await aucoTenant(server);
  const body = await uploadBody();
  for (const key of [undefined, keys.publicKey, `prk_${'a'.repeat(64)}`]) {
    const response = await auco(server, 'POST', '/document/upload', key, body);
    assert.equal(response.status, 401);
    assert.equal(response.body.code, 'UNAUTHORIZED');
  }
  const native = await server.app.server.inject({
    method: 'GET',
    url: '/v1/signature-requests',
    headers: { authorization: `Bearer ${keys.apiKey}` },
  });
  assert.equal(native.json().data.length, 0);
});

test('upload refuses bad input with a 400 naming the fields, never a 500, and creates nothing', async () => {
  const keys = await aucoTenant(server);
  const send = async (body: unknown) => auco(server, 'POST', '/document/upload', keys.privateKey, body);
  const fieldsOf = (response: { body: { errors?: { field: string }[] } }) =>
    (response.body.errors ?? []).map((error) => error.field).sort();
  const valid = await uploadBody();

  const missing = await send({ file: valid.file, signProfile: valid.signProfile });
  assert.equal(missing.status, 400);
  assert.deepEqual(fieldsOf(missing), ['body.email', 'body.message', 'body.name', 'body.subject']);
  const extra = await send({ ...valid, documentType: 'contract' });
  assert.equal(extra.status, 400);
  assert.match(JSON.stringify(extra.body.errors), /documentType/);
  const wrongTypes = await send({
    ...valid,
    name: 5,
    signProfile: [{ name: 'A', email: 'not-an-email', role: 'WITNESS', order: 'first' }],
  });
  assert.deepEqual(fieldsOf(wrongTypes), [
    'body.name',
    'body.signProfile.0.email',
    'body.signProfile.0.order',
    'body.signProfile.0.role',
  ]);
  const noSigner = await send({ ...valid, signProfile: [] });
  assert.deepEqual(fieldsOf(noSigner), ['body.signProfile']);
  const duplicateSigner = await send({
    ...valid,
    signProfile: [
      { name: 'A', email: 'a@example.com' },
      { name: 'B', email: 'A@example.com' },
    ],
  });
  assert.equal(duplicateSigner.status, 400);
  assert.deepEqual(fieldsOf(duplicateSigner), ['body.signProfile']);

  const badBase64 = await send({ ...valid, file: 'not base64 at all!' });
  assert.equal(badBase64.status, 400);
  assert.equal(badBase64.body.code, 'INVALID_FILE');
  const notPdf = await send({ ...valid, file: Buffer.from('just some text').toString('base64') });
  assert.equal(notPdf.body.code, 'INVALID_FILE');
  assert.match(notPdf.body.message, /not a PDF/);

  const compress = await send({ ...valid, compress: true });
  assert.equal(compress.status, 400);
  assert.match(JSON.stringify(compress.body.errors), /compress/);
  const otp = await send({ ...valid, otpCode: true });
  assert.equal(otp.status, 400);

  const past = await send({ ...valid, expiredDate: '2001-01-01' });
  assert.deepEqual(fieldsOf(past), ['body.expiredDate']);
  const notADate = await send({ ...valid, expiredDate: 'next week' });
  assert.deepEqual(fieldsOf(notADate), ['body.expiredDate']);

  const huge = await auco(server, 'POST', '/document/upload', keys.privateKey, {
    ...valid,
    file: 'A'.repeat(17 * 1024 * 1024),
  });
  assert.equal(huge.status, 413);
  assert.equal(huge.body.code, 'PAYLOAD_TOO_LARGE');

  const native = await server.app.server.inject({
    method: 'GET',
    url: '/v1/signature-requests',
    headers: { authorization: `Bearer ${keys.apiKey}` },
  });
  assert.equal(native.json().data.length, 0);
});

test('a date-only expiredDate means the end of that day (UTC); documented options that only tune delivery are accepted', async () => {
  const keys = await aucoTenant(server);
  const day = new Date(server.clock.now() + 10 * 86_400_000).toISOString().slice(0, 10);
  const code = await upload(server, keys, undefined, {
    expiredDate: day,
    folder: 'Contracts',
    remember: 24,
    webhooks: ['default'],
    compress: false,
    otpCode: false,
    camera: false,
  });
  assert.equal((await nativeView(server, keys, code)).body.expires_at, `${day}T23:59:59.999Z`);
});
