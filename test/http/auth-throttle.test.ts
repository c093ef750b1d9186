// Failed authentications are throttled on every surface and on signing links, over real HTTP with
// the default limits: each "attacker" sends wrong credentials from its own loopback address
// (127.0.0.11…) until the first 429, which comes in the surface's own error format with
// Retry-After; meanwhile the right key from another address (127.0.0.1) still works, and from
// the blocked address even the right key is refused unchecked.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { registerApp } from '../../src/providers/lumin/credentials.js';
import { callFrom, closeClientAddresses, type Answer } from '../support/client-address.js';
import { call, startTestServer, type TestServer } from '../support/harness.js';
import { nativeClient, signingPath } from '../support/native.js';
import {
  createSigningKey,
  RelyingParty,
  setUpRelyingParty,
  UNAUTHORIZED,
  type JwksServer,
} from '../singpass/singpass-fixtures.js';
import type { CreatedTenant } from '../../src/providers/create-tenant-with-credentials.js';

const DEFAULT_FAILURES_PER_ADDRESS = 20;
const DEFAULT_WINDOW_SECONDS = 900;

let server: TestServer;
let tenant: CreatedTenant;
let rp: RelyingParty;
let jwks: JwksServer;

before(async () => {
  server = await startTestServer();
  tenant = await server.createTenant();
  ({ rp, jwks } = await setUpRelyingParty(server, 'rp-throttle', tenant.tenantId));
});
after(async () => {
  await closeClientAddresses();
  await jwks.close();
  await server.close();
});

/** Sends until the first 429 (at most 100 tries); every earlier answer must be `isAuthFailure`. */
async function attemptsBefore429(
  send: () => Promise<Answer>,
  isAuthFailure: (answer: Answer) => boolean,
): Promise<{ attempts: number; refusal: Answer }> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const answer = await send();
    if (answer.status === 429) return { attempts: attempt, refusal: answer };
    assert.ok(isAuthFailure(answer), `attempt ${attempt + 1}: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  assert.fail('no 429 after 100 wrong credentials');
}

function assertRetryAfter(answer: Answer): void {
  const seconds = Number(answer.headers.get('retry-after'));
  assert.ok(
    Number.isInteger(seconds) && seconds >= 1 && seconds <= DEFAULT_WINDOW_SECONDS,
    `Retry-After: ${answer.headers.get('retry-after')}`,
  );
}

/** A key of the same shape whose secret part is wrong: the lookup is the victim's. */
const wrongSecret = (key: string, keep: number) =>
  key.slice(0, keep) +
  key.slice(keep).replace(/[0-9a-zA-Z]/g, (c) => (c === 'A' ? 'B' : c === '0' ? '1' : c === 'a' ? 'b' : 'A'));

describe("wrong credentials reach 429 after the default 20 failures, in each surface's format", () => {
  test('native API: problem+json rate_limited; the right key from another address still works', async () => {
    const native = nativeClient(server.baseUrl, tenant.apiKey);
    const created = await native.createRequest();
    const wrong = wrongSecret(tenant.apiKey, tenant.apiKey.indexOf('.') + 1);
    assert.notEqual(wrong, tenant.apiKey);
    const from = '127.0.0.11';
    const { attempts, refusal } = await attemptsBefore429(
      () =>
        callFrom(from, server.baseUrl, 'GET', `/v1/signature-requests/${created.id}`, {
          headers: { authorization: `Bearer ${wrong}` },
        }),
      (answer) => answer.status === 401 && answer.body.code === 'unauthorized',
    );
    assert.equal(attempts, DEFAULT_FAILURES_PER_ADDRESS);
    assert.equal(refusal.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    assert.equal(refusal.body.code, 'rate_limited');
    assertRetryAfter(refusal);
    // Blocked before the secret is looked at: the right key from the blocked address is refused too.
    const rightFromBlocked = await callFrom(from, server.baseUrl, 'GET', `/v1/signature-requests/${created.id}`, {
      headers: { authorization: `Bearer ${tenant.apiKey}` },
    });
    assert.equal(rightFromBlocked.status, 429);
    // Another client with the right key is not affected.
    assert.equal((await native.request('GET', `/v1/signature-requests/${created.id}`)).status, 200);
  });

  test('signing links: forged tokens reach 429; the real link from another address still works', async () => {
    const created = await nativeClient(server.baseUrl, tenant.apiKey).createRequest();
    const path = signingPath(created.signers[0].signing_url);
    const forged = `${path.slice(0, path.lastIndexOf('.') + 1)}${'A'.repeat(43)}`;
    const from = '127.0.0.12';
    const { attempts, refusal } = await attemptsBefore429(
      () => callFrom(from, server.baseUrl, 'GET', forged),
      (answer) => answer.status === 404 && answer.body.code === 'not_found',
    );
    assert.equal(attempts, DEFAULT_FAILURES_PER_ADDRESS);
    assert.equal(refusal.body.code, 'rate_limited');
    assertRetryAfter(refusal);
    assert.equal((await callFrom(from, server.baseUrl, 'GET', path)).status, 429);
    assert.equal((await call(server.baseUrl, 'GET', path)).status, 200);
  });

  test('Lumin: {error_code: TOO_MANY_REQUESTS}; the right key from another address still works', async () => {
    const apiKey = tenant.surfaces.lumin!.api_key!;
    const wrong = wrongSecret(apiKey, apiKey.indexOf('.') + 1);
    const from = '127.0.0.13';
    const { attempts, refusal } = await attemptsBefore429(
      () =>
        callFrom(from, server.baseUrl, 'GET', '/lumin/v1/signature_request/sr_unknown', {
          headers: { 'x-api-key': wrong },
        }),
      (answer) => answer.status === 401 && answer.body.error_code === 'UNAUTHORIZED',
    );
    assert.equal(attempts, DEFAULT_FAILURES_PER_ADDRESS);
    assert.equal(refusal.body.error_code, 'TOO_MANY_REQUESTS');
    assert.equal(typeof refusal.body.error_message, 'string');
    assertRetryAfter(refusal);
    assert.equal(
      (
        await callFrom(from, server.baseUrl, 'GET', '/lumin/v1/signature_request/sr_unknown', {
          headers: { 'x-api-key': apiKey },
        })
      ).status,
      429,
    );
    const right = await call(server.baseUrl, 'GET', '/lumin/v1/signature_request/sr_unknown', {
      headers: { 'x-api-key': apiKey },
    });
    assert.equal(right.status, 404);
    assert.equal(right.body.error_code, 'SIGNATURE_REQUEST_NOT_FOUND');
  });

  test('Lumin OAuth token endpoint: wrong client secrets reach 429 in the OAuth error form', async () => {
    const app = await registerApp(server.app.deps, tenant.tenantId, 'throttle test');
    assert.ok(app);
    const form = (secret: string) => `grant_type=client_credentials&client_id=${app.client_id}&client_secret=${secret}`;
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    const from = '127.0.0.14';
    const { attempts, refusal } = await attemptsBefore429(
      () => callFrom(from, server.baseUrl, 'POST', '/lumin/oauth2/token', { rawBody: form('not-the-secret'), headers }),
      (answer) => answer.status === 401 && answer.body.error === 'invalid_client',
    );
    assert.equal(attempts, DEFAULT_FAILURES_PER_ADDRESS);
    assert.equal(refusal.body.error, 'temporarily_unavailable');
    assertRetryAfter(refusal);
    assert.equal(
      (await call(server.baseUrl, 'POST', '/lumin/oauth2/token', { rawBody: form(app.client_secret), headers })).status,
      200,
    );
  });

  test('Singpass: tokens signed by the wrong key reach 429 {error: TOO_MANY_REQUESTS}', async () => {
    const created = await rp.createRequest();
    const impostor = await createSigningKey(rp.key.kid);
    const from = '127.0.0.15';
    const { attempts, refusal } = await attemptsBefore429(
      async () =>
        callFrom(from, server.baseUrl, 'POST', '/singpass/api/v3/sign-requests/cancel', {
          headers: {
            'content-type': 'application/json',
            authorization: await rp.token(
              { client_id: rp.clientId, request_id: created.request_id },
              { key: impostor },
            ),
          },
        }),
      (answer) => answer.status === 400 && answer.body.error === UNAUTHORIZED.error,
    );
    assert.equal(attempts, DEFAULT_FAILURES_PER_ADDRESS);
    assert.equal(refusal.body.error, 'TOO_MANY_REQUESTS');
    assert.equal(typeof refusal.body.error_description, 'string');
    assertRetryAfter(refusal);
    assert.equal((await rp.cancel(created.request_id)).status, 200);
  });

  test('Taktikal: a wrong apiKey for the companyKey reaches 429 in the ServiceStack envelope', async () => {
    const { company_key: companyKey, api_key: apiKey } = tenant.surfaces.taktikal as {
      company_key: string;
      api_key: string;
    };
    const basic = (secret: string) => `Basic ${Buffer.from(`${companyKey}:${secret}`).toString('base64')}`;
    const from = '127.0.0.16';
    const { attempts, refusal } = await attemptsBefore429(
      () =>
        callFrom(from, server.baseUrl, 'GET', '/taktikal/api/signing/activity', {
          headers: { authorization: basic(wrongSecret(apiKey, 4)) },
        }),
      (answer) => answer.status === 401 && answer.body.responseStatus.errorCode === 'Unauthorized',
    );
    assert.equal(attempts, DEFAULT_FAILURES_PER_ADDRESS);
    assert.equal(refusal.body.responseStatus.errorCode, 'TooManyRequests');
    assertRetryAfter(refusal);
    const now = server.clock.now();
    const range = `StartDate=${new Date(now - 3_600_000).toISOString()}&EndDate=${new Date(now + 3_600_000).toISOString()}`;
    assert.equal(
      (
        await call(server.baseUrl, 'GET', `/taktikal/api/signing/activity?${range}`, {
          headers: { authorization: basic(apiKey) },
        })
      ).status,
      200,
    );
  });

  test('KAiZEN: a wrong appToken reaches 429 with FailRules TooManyRequests', async () => {
    const appToken = tenant.surfaces.kaizen!.app_token!;
    const wrong = `${appToken.slice(0, 22)}${'ZZZZZZ-'.repeat(5)}A`;
    const body = (token: string) => ({
      signRequestId: '01HV6MEARQD3X8ZXXX5FR3YDB8',
      appToken: token,
      recallReason: 'test',
    });
    const from = '127.0.0.17';
    const { attempts, refusal } = await attemptsBefore429(
      () => callFrom(from, server.baseUrl, 'POST', '/kaizen/api/RecallSignRequest', { body: body(wrong) }),
      (answer) => answer.status === 200 && answer.body.FailRules[0]?.Code === 'InvalidAppToken',
    );
    assert.equal(attempts, DEFAULT_FAILURES_PER_ADDRESS);
    assert.deepEqual(
      refusal.body.FailRules.map((rule: { Code: string }) => rule.Code),
      ['TooManyRequests'],
    );
    assert.equal(refusal.body.Data, false);
    assertRetryAfter(refusal);
    const right = await call(server.baseUrl, 'POST', '/kaizen/api/RecallSignRequest', { body: body(appToken) });
    assert.equal(right.body.FailRules[0]?.Code, 'SignRequestNotFound');
  });

  test('Auco: a wrong private key reaches 429 {code: TOO_MANY_REQUESTS}', async () => {
    const privateKey = tenant.surfaces.auco!.private_key!;
    const wrong = `${privateKey.slice(0, 20)}${'0'.repeat(48)}`;
    assert.notEqual(wrong, privateKey);
    const from = '127.0.0.18';
    const { attempts, refusal } = await attemptsBefore429(
      () => callFrom(from, server.baseUrl, 'GET', '/auco/v1.5/ext/company', { headers: { authorization: wrong } }),
      (answer) => answer.status === 401 && answer.body.code === 'UNAUTHORIZED',
    );
    assert.equal(attempts, DEFAULT_FAILURES_PER_ADDRESS);
    assert.equal(refusal.body.code, 'TOO_MANY_REQUESTS');
    assertRetryAfter(refusal);
    assert.equal(
      (await call(server.baseUrl, 'GET', '/auco/v1.5/ext/company', { headers: { authorization: privateKey } })).status,
      200,
    );
  });
});
