import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/harness.js';
import { auco, aucoTenant, cancellationEmails, declineAs, nativeView, signAs, upload } from './auco-helpers.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => server.close());

const MESSAGE = 'Cancelación por error en cláusula II...';

test('the documented single cancel: {success: 1, errors: {cant: 0}}; the document reads REJECTED with the message', async () => {
  const keys = await aucoTenant(server);
  const code = await upload(server, keys);
  const response = await auco(server, 'POST', '/document/cancel', keys.privateKey, {
    codes: [code],
    email: 'example@auco.ai',
    message: MESSAGE,
  });
  assert.equal(response.status, 200);
  assert.deepEqual(response.body, { success: 1, errors: { cant: 0 } });

  const view = await nativeView(server, keys, code);
  assert.equal(view.body.status, 'cancelled');
  assert.equal(view.body.cancellation.message, MESSAGE);
  assert.equal(view.body.cancellation.actor.display, 'example@auco.ai');
  assert.equal(view.body.cancellation.notify, 'contacted');
  const document = await auco(server, 'GET', `/document?code=${code}`, keys.publicKey);
  assert.equal(document.body.status, 'REJECTED');
  assert.equal(document.body.cancellation.message, MESSAGE);
  assert.equal(document.body.cancellation.email, 'example@auco.ai');
});

test('a multi-code cancel succeeds partially: one FINISH, one pending, one unknown code', async () => {
  const keys = await aucoTenant(server);
  const finished = await upload(server, keys);
  await signAs(server, keys, finished, 0);
  const pending = await upload(server, keys);
  const response = await auco(server, 'POST', '/document/cancel', keys.privateKey, {
    codes: [finished, pending, 'NOSUCHCODE'],
    email: 'example@auco.ai',
    message: MESSAGE,
  });
  assert.equal(response.status, 200);
  assert.deepEqual(response.body, { success: 1, errors: { cant: 2, documents: [finished, 'NOSUCHCODE'] } });
  assert.equal((await nativeView(server, keys, finished)).body.status, 'completed');
  assert.equal((await nativeView(server, keys, pending)).body.status, 'cancelled');
});

test('the documented multi answer {success: 2, errors: {cant: 1, documents: [...]}}; rejected and already cancelled documents fail', async () => {
  const keys = await aucoTenant(server);
  const [first, second, rejected, cancelled] = [
    await upload(server, keys),
    await upload(server, keys),
    await upload(server, keys),
    await upload(server, keys),
  ];
  await declineAs(server, keys, rejected, 0);
  assert.equal(
    (
      await auco(server, 'POST', '/document/cancel', keys.privateKey, {
        codes: [cancelled],
        email: 'a@example.com',
        message: 'x',
      })
    ).body.success,
    1,
  );
  const response = await auco(server, 'POST', '/document/cancel', keys.privateKey, {
    codes: [first, second.toLowerCase(), rejected],
    email: 'example@auco.ai',
    message: MESSAGE,
  });
  assert.deepEqual(response.body, { success: 2, errors: { cant: 1, documents: [rejected] } });
  const again = await auco(server, 'POST', '/document/cancel', keys.privateKey, {
    codes: [cancelled],
    email: 'example@auco.ai',
    message: MESSAGE,
  });
  assert.deepEqual(again.body, { success: 0, errors: { cant: 1, documents: [cancelled] } });
});

test("another tenant's code fails exactly like an unknown code and is left alone", async () => {
  const owner = await aucoTenant(server, 'Owner');
  const stranger = await aucoTenant(server, 'Stranger');
  const code = await upload(server, owner);
  const response = await auco(server, 'POST', '/document/cancel', stranger.privateKey, {
    codes: [code],
    email: 'x@example.com',
    message: MESSAGE,
  });
  assert.deepEqual(response.body, { success: 0, errors: { cant: 1, documents: [code] } });
  assert.equal((await nativeView(server, owner, code)).body.status, 'pending');
  const read = await auco(server, 'GET', `/document?code=${code}`, stranger.publicKey);
  const unknown = await auco(server, 'GET', '/document?code=ZZZZZZZZZZ', stranger.publicKey);
  assert.equal(read.status, 400);
  assert.deepEqual({ ...read.body, requestId: undefined }, { ...unknown.body, requestId: undefined });
});

test('the message goes to the signers already notified or who signed, not to those still waiting their turn', async () => {
  const keys = await aucoTenant(server);
  const code = await upload(server, keys, [
    { name: 'Uno', email: 'uno@example.com', order: 1 },
    { name: 'Dos', email: 'dos@example.com', order: 2 },
    { name: 'Tres', email: 'tres@example.com', order: 3 },
  ]);
  await signAs(server, keys, code, 0);
  const before = await auco(server, 'GET', `/document?code=${code}`, keys.publicKey);
  assert.deepEqual(
    before.body.signProfile.map((profile: { status: string }) => profile.status),
    ['FINISH', 'NOTIFICATION', 'PENDING'],
  );
  const response = await auco(server, 'POST', '/document/cancel', keys.privateKey, {
    codes: [code],
    email: 'example@auco.ai',
    message: MESSAGE,
  });
  assert.equal(response.body.success, 1);
  const requestId = (await nativeView(server, keys, code)).body.id;
  assert.deepEqual(cancellationEmails(server, requestId), ['dos@example.com', 'uno@example.com']);
});

test('missing or invalid parameters answer 400 and cancel nothing', async () => {
  const keys = await aucoTenant(server);
  const code = await upload(server, keys);
  const valid = { codes: [code], email: 'example@auco.ai', message: MESSAGE };
  const cases: [string, unknown][] = [
    ['no codes', { email: valid.email, message: MESSAGE }],
    ['third-party spelling "documents"', { documents: [code], email: valid.email, message: MESSAGE }],
    ['codes not an array', { ...valid, codes: code }],
    ['empty codes', { ...valid, codes: [] }],
    ['a code not a string', { ...valid, codes: [42] }],
    ['no message', { codes: [code], email: valid.email }],
    ['empty message', { ...valid, message: '  ' }],
    ['no email', { codes: [code], message: MESSAGE }],
    ['email of the wrong type', { ...valid, email: ['example@auco.ai'] }],
    ['email not an email', { ...valid, email: 'someone' }],
    ['an extra field', { ...valid, reason: 'x' }],
    ['not an object', [code]],
  ];
  for (const [what, body] of cases) {
    const response = await auco(server, 'POST', '/document/cancel', keys.privateKey, body);
    assert.equal(response.status, 400, what);
    assert.equal(typeof response.body.message, 'string', what);
    assert.match(response.body.code, /^(INVALID_PARAMETERS|MALFORMED_REQUEST)$/, what);
    assert.match(response.body.requestId, /^req_/, what);
  }
  const missing = await auco(server, 'POST', '/document/cancel', keys.privateKey, {});
  assert.deepEqual(missing.body.errors.map((error: { field: string }) => error.field).sort(), [
    'body.codes',
    'body.email',
    'body.message',
  ]);
  assert.equal((await nativeView(server, keys, code)).body.status, 'pending');
});

test('a missing, wrong or public key answers 401 and cancels nothing', async () => {
  const keys = await aucoTenant(server);
  const other = await aucoTenant(server, 'Other');
  const code = await upload(server, keys);
  const body = { codes: [code], email: 'example@auco.ai', message: MESSAGE };
  const wrongSecret = keys.privateKey.slice(0, -4) + (keys.privateKey.endsWith('0000') ? '1111' : '0000');
  for (const [what, key] of [
    ['missing', undefined],
    ['empty', ''],
    ['garbage', 'prk_private_key_company'],
    ['wrong secret', wrongSecret],
    ['public key', keys.publicKey],
    ['Bearer public key', `Bearer ${keys.publicKey}`],
    ["another tenant's public key", other.publicKey],
  ] as const) {
    const response = await auco(server, 'POST', '/document/cancel', key, body);
    assert.equal(response.status, 401, what);
    assert.equal(response.body.code, 'UNAUTHORIZED', what);
  }
  assert.equal((await nativeView(server, keys, code)).body.status, 'pending');
  // A "Bearer " prefix that a client adds on its own is tolerated.
  assert.equal((await auco(server, 'POST', '/document/cancel', `Bearer ${keys.privateKey}`, body)).body.success, 1);
});

test('bad input never reaches a 500: malformed JSON, wrong content type, a huge body', async () => {
  const keys = await aucoTenant(server);
  const malformed = await server.app.server.inject({
    method: 'POST',
    url: '/auco/v1.5/ext/document/cancel',
    headers: { authorization: keys.privateKey, 'content-type': 'application/json' },
    payload: '{"codes": [',
  });
  assert.equal(malformed.statusCode, 400);
  assert.equal(malformed.json().code, 'MALFORMED_REQUEST');
  const xml = await server.app.server.inject({
    method: 'POST',
    url: '/auco/v1.5/ext/document/cancel',
    headers: { authorization: keys.privateKey, 'content-type': 'application/xml' },
    payload: '<codes/>',
  });
  assert.equal(xml.statusCode, 415);
  assert.equal(xml.json().code, 'UNSUPPORTED_MEDIA_TYPE');
  const huge = await auco(server, 'POST', '/document/cancel', keys.privateKey, {
    codes: ['A'],
    email: 'a@example.com',
    message: 'x'.repeat(2 * 1024 * 1024),
  });
  assert.equal(huge.status, 413);
  assert.equal(huge.body.code, 'PAYLOAD_TOO_LARGE');
  const unknownRoute = await auco(server, 'POST', '/document/delete', keys.privateKey, {});
  assert.equal(unknownRoute.status, 404);
  assert.equal(unknownRoute.body.code, 'NOT_FOUND');
});
