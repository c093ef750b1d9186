import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { call, startTestServer, type TestServer } from '../support/harness.js';
import { signingPath } from '../support/native.js';
import { initiate, nativeView, recall, signAs } from './kaizen-helpers.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => server.close());

const TWO_SIGNERS = [
  { name: 'Ann Signer', email: 'ann@example.com', Order: 1 },
  { name: 'Bob Signer', email: 'bob@example.com', Order: 2 },
];

function cancellationEmails(requestId: string): string[] {
  return (server.db.prepare("SELECT payload FROM outbox WHERE topic = 'email'").pluck().all() as string[])
    .map((payload) => JSON.parse(payload) as { template: string; request_id: string; to: { address: string } })
    .filter((email) => email.template === 'request_cancelled' && email.request_id === requestId)
    .map((email) => email.to.address);
}

test('the documented recall: {FailRules: [], Data: true}, and the request is cancelled with the reason and the person', async () => {
  const tenant = await server.createTenant();
  const appToken = tenant.surfaces.kaizen!.app_token!;
  const { SignRequestId } = await initiate(server, appToken);
  const response = await recall(server, {
    signRequestId: SignRequestId,
    appToken,
    recallReason: 'Request raised mistakenly',
    recalledBy: 'Mohit Bansal',
  });
  assert.equal(response.status, 200);
  assert.deepEqual(response.body, { FailRules: [], Data: true });
  const view = await nativeView(server, tenant.apiKey, SignRequestId);
  assert.equal(view.body.status, 'cancelled');
  assert.equal(view.body.cancellation.reason, 'Request raised mistakenly');
  assert.equal(view.body.cancellation.actor.display, 'Mohit Bansal');
  assert.equal(view.body.cancellation.notify, 'pending');
  const events = await call(server.baseUrl, 'GET', `/v1/signature-requests/${view.body.id}/events`, {
    headers: { authorization: `Bearer ${tenant.apiKey}` },
  });
  const cancelled = events.body.data.find((event: { type: string }) => event.type === 'request.cancelled');
  assert.equal(cancelled.surface, 'kaizen');
});

test('a second recall answers "This request is already cancelled"', async () => {
  const tenant = await server.createTenant();
  const appToken = tenant.surfaces.kaizen!.app_token!;
  const { SignRequestId } = await initiate(server, appToken);
  assert.equal((await recall(server, { signRequestId: SignRequestId, appToken })).body.Data, true);
  const again = await recall(server, { signRequestId: SignRequestId, appToken });
  assert.equal(again.status, 200);
  assert.deepEqual(again.body, {
    FailRules: [{ Code: 'AlreadyCancelled', Message: 'This request is already cancelled' }],
    Data: false,
  });
});

test('an invalid, missing or malformed appToken answers "Invalid App Token" and changes nothing', async () => {
  const tenant = await server.createTenant();
  const appToken = tenant.surfaces.kaizen!.app_token!;
  const { SignRequestId } = await initiate(server, appToken);
  // Same lookup (first three groups), different secret (last six-character group).
  const wrongSecret = appToken.replace(
    /-([0-9A-Z]{6})-A$/,
    (_whole, group: string) => `-${group === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA'}-A`,
  );
  assert.notEqual(wrongSecret, appToken);
  for (const token of [
    wrongSecret,
    undefined,
    'not-a-token',
    42,
    '01HQMDX-YCP019-Z2P3SX-QPSB53-8B4A3F-BC40B8-B10908-FB2FF4-A',
  ]) {
    const response = await recall(server, { signRequestId: SignRequestId, appToken: token });
    assert.equal(response.status, 200);
    assert.deepEqual(
      response.body,
      { FailRules: [{ Code: 'InvalidAppToken', Message: 'Invalid App Token' }], Data: false },
      String(token),
    );
  }
  assert.equal((await nativeView(server, tenant.apiKey, SignRequestId)).body.status, 'pending');
});

test("the appToken has the documented shape, only its secret part's hash is stored, and it matches case-insensitively", async () => {
  const tenant = await server.createTenant();
  const appToken = tenant.surfaces.kaizen!.app_token!;
  assert.match(appToken, /^[0-9A-Z]{7}-[0-9A-Z]{6}-[0-9A-Z]{6}(-[0-9A-Z]{6}){5}-A$/);
  const stored = server.db
    .prepare("SELECT lookup, secret_hash FROM credentials WHERE tenant_id = ? AND kind = 'kaizen_app_token'")
    .get(tenant.tenantId) as { lookup: string; secret_hash: string };
  assert.equal(stored.lookup, appToken.slice(0, 21));
  assert.equal(stored.secret_hash, createHash('sha256').update(appToken.slice(22, -2)).digest('hex'));
  const { SignRequestId } = await initiate(server, appToken);
  assert.equal(
    (await recall(server, { signRequestId: SignRequestId.toLowerCase(), appToken: appToken.toLowerCase() })).body.Data,
    true,
  );
});

test('an unknown id, and another tenant\'s id, answer "No sign request found"', async () => {
  const owner = await server.createTenant('Owner');
  const stranger = await server.createTenant('Stranger');
  const { SignRequestId, RequestNo } = await initiate(server, owner.surfaces.kaizen!.app_token!);
  const expected = { FailRules: [{ Code: 'SignRequestNotFound', Message: 'No sign request found' }], Data: false };
  const strangerToken = stranger.surfaces.kaizen!.app_token!;
  assert.deepEqual(
    (await recall(server, { signRequestId: '01HV6MEARQD3X8ZXXX5FR3YDB8', appToken: strangerToken })).body,
    expected,
  );
  assert.deepEqual((await recall(server, { signRequestId: SignRequestId, appToken: strangerToken })).body, expected);
  assert.deepEqual((await recall(server, { signRequestId: RequestNo, appToken: strangerToken })).body, expected);
  assert.equal((await nativeView(server, owner.apiKey, SignRequestId)).body.status, 'pending');
});

test('a fully signed request is refused with the documented message (and a clearer Code and Detail)', async () => {
  const tenant = await server.createTenant();
  const appToken = tenant.surfaces.kaizen!.app_token!;
  const { SignRequestId } = await initiate(server, appToken);
  await signAs(server, tenant.apiKey, SignRequestId, 0);
  assert.equal((await nativeView(server, tenant.apiKey, SignRequestId)).body.status, 'completed');
  const response = await recall(server, { signRequestId: SignRequestId, appToken });
  assert.equal(response.status, 200);
  assert.equal(response.body.Data, false);
  assert.equal(response.body.FailRules.length, 1);
  assert.equal(response.body.FailRules[0].Code, 'AlreadySigned');
  assert.equal(response.body.FailRules[0].Message, 'This request is already cancelled');
  assert.match(response.body.FailRules[0].Detail, /signed/);
  assert.equal((await nativeView(server, tenant.apiKey, SignRequestId)).body.status, 'completed');
});

test('a partially signed request can be recalled, by RequestNo too; only the signer still to sign is told', async () => {
  const tenant = await server.createTenant();
  const appToken = tenant.surfaces.kaizen!.app_token!;
  const { SignRequestId, RequestNo } = await initiate(server, appToken, TWO_SIGNERS);
  await signAs(server, tenant.apiKey, SignRequestId, 0);
  const before = await nativeView(server, tenant.apiKey, RequestNo);
  assert.equal(before.body.status, 'partially_signed');
  const response = await recall(server, {
    signRequestId: RequestNo,
    appToken,
    recallReason: 'Wrong clause',
    recalledBy: 'Mohit Bansal',
  });
  assert.deepEqual(response.body, { FailRules: [], Data: true });
  assert.equal((await nativeView(server, tenant.apiKey, SignRequestId)).body.status, 'cancelled');
  assert.deepEqual(cancellationEmails(before.body.id), ['bob@example.com']);
});

test('a declined request and one with an active signing session are refused with their own messages', async () => {
  const tenant = await server.createTenant();
  const appToken = tenant.surfaces.kaizen!.app_token!;
  const declined = await initiate(server, appToken);
  const declinedView = await nativeView(server, tenant.apiKey, declined.SignRequestId);
  const declinePath = signingPath(declinedView.body.signers[0].signing_url);
  assert.equal((await call(server.baseUrl, 'POST', `${declinePath}/decline`, { body: { reason: 'No' } })).status, 200);
  const refusedDeclined = await recall(server, { signRequestId: declined.SignRequestId, appToken });
  assert.equal(refusedDeclined.body.FailRules[0].Code, 'Declined');
  assert.equal(refusedDeclined.body.Data, false);

  const inSession = await initiate(server, appToken);
  const sessionView = await nativeView(server, tenant.apiKey, inSession.SignRequestId);
  assert.equal(
    (await call(server.baseUrl, 'POST', `${signingPath(sessionView.body.signers[0].signing_url)}/start`)).status,
    200,
  );
  const refusedSession = await recall(server, { signRequestId: inSession.SignRequestId, appToken });
  assert.equal(refusedSession.body.FailRules[0].Code, 'SigningInProgress');
  assert.equal((await nativeView(server, tenant.apiKey, inSession.SignRequestId)).body.status, 'pending');
  // The session ends (30 minutes by default); then the recall goes through.
  server.clock.advance(31 * 60_000);
  assert.equal((await recall(server, { signRequestId: inSession.SignRequestId, appToken })).body.Data, true);
});

test('a pending native deferred cancel: the recall is still SigningInProgress while the session lasts', async () => {
  const tenant = await server.createTenant();
  const appToken = tenant.surfaces.kaizen!.app_token!;
  const inSession = await initiate(server, appToken);
  const view = await nativeView(server, tenant.apiKey, inSession.SignRequestId);
  assert.equal(
    (await call(server.baseUrl, 'POST', `${signingPath(view.body.signers[0].signing_url)}/start`)).status,
    200,
  );
  const deferred = await call(server.baseUrl, 'POST', `/v1/signature-requests/${view.body.id}/cancel`, {
    body: { on_active_session: 'defer' },
    headers: { authorization: `Bearer ${tenant.apiKey}` },
  });
  assert.equal(deferred.status, 202);
  const refused = await recall(server, { signRequestId: inSession.SignRequestId, appToken });
  assert.equal(refused.body.FailRules[0].Code, 'SigningInProgress');
  assert.equal(
    (await nativeView(server, tenant.apiKey, inSession.SignRequestId)).body.pending_cancellation.id,
    deferred.body.pending_cancellation.id,
  );
});

test('bad input comes back as FailRules, never a 500', async () => {
  const tenant = await server.createTenant();
  const appToken = tenant.surfaces.kaizen!.app_token!;
  const missing = await recall(server, { appToken, recallReason: 'x' });
  assert.equal(missing.status, 200);
  assert.deepEqual(
    missing.body.FailRules.map((rule: { Code: string }) => rule.Code),
    ['ValidationFailed'],
  );
  assert.match(missing.body.FailRules[0].Message, /^signRequestId: /);
  assert.equal(missing.body.Data, false);

  const wrongType = await recall(server, { appToken, signRequestId: 12345, recalledBy: ['a'] });
  assert.deepEqual(wrongType.body.FailRules.map((rule: { Message: string }) => rule.Message.split(':')[0]).sort(), [
    'recalledBy',
    'signRequestId',
  ]);

  const twice = await recall(server, { appToken, signRequestId: 'x', SignRequestId: 'y' });
  assert.equal(twice.body.FailRules[0].Code, 'ValidationFailed');

  const malformed = await call(server.baseUrl, 'POST', '/kaizen/api/RecallSignRequest', {
    rawBody: '{"appToken": ',
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(malformed.status, 400);
  assert.equal(malformed.body.FailRules[0].Code, 'MalformedRequest');
  assert.equal(malformed.body.Data, false);

  const notAnObject = await call(server.baseUrl, 'POST', '/kaizen/api/RecallSignRequest', { body: ['x'] });
  assert.equal(notAnObject.body.FailRules[0].Code, 'MalformedRequest');

  const huge = await call(server.baseUrl, 'POST', '/kaizen/api/RecallSignRequest', {
    body: { appToken, signRequestId: 'x', recallReason: 'x'.repeat(100_000) },
  });
  assert.equal(huge.status, 413);
  assert.equal(huge.body.FailRules[0].Code, 'PayloadTooLarge');

  const xml = await call(server.baseUrl, 'POST', '/kaizen/api/RecallSignRequest', {
    rawBody: '<recall/>',
    headers: { 'content-type': 'application/xml' },
  });
  assert.equal(xml.status, 415);
  assert.equal(xml.body.FailRules[0].Code, 'UnsupportedMediaType');

  const unknownRoute = await call(server.baseUrl, 'POST', '/kaizen/api/DeleteEverything', { body: {} });
  assert.equal(unknownRoute.status, 404);
  assert.equal(unknownRoute.body.FailRules[0].Code, 'FunctionNotFound');
});
