// Authentication of the Singpass surface over real HTTP: every bad token answers the same
// 400 UNAUTHORIZED (mockpass's answer), key rotation works, and a jti is accepted once, also
// across a restart on the same data dir.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { SignJWT } from 'jose';
import { startTestServer, type TestServer } from '../support/harness.js';
import {
  createSigningKey,
  RelyingParty,
  setUpRelyingParty,
  UNAUTHORIZED,
  type JwksServer,
} from './singpass-fixtures.js';

let server: TestServer;
let rp: RelyingParty;
let jwks: JwksServer;

before(async () => {
  // Dozens of bad tokens from one address on purpose; the throttle has its own test (test/http/auth-throttle.test.ts).
  server = await startTestServer({ authFailuresPerAddress: 1000 });
  ({ rp, jwks } = await setUpRelyingParty(server, 'rp-auth'));
});
after(async () => {
  await jwks.close();
  await server.close();
});

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

test('a missing Authorization header, garbage, alg none and HS256 are refused alike on every endpoint', async () => {
  const created = await rp.createRequest();
  const now = rp.nowSeconds();
  const claims = { client_id: rp.clientId, request_id: created.request_id, iat: now, exp: now + 60 };
  const none = `${b64({ alg: 'none', kid: rp.key.kid })}.${b64(claims)}.`;
  const hs256 = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', kid: rp.key.kid })
    .sign(new TextEncoder().encode('a-shared-secret-that-is-long-enough!'));
  for (const authorization of ['', 'garbage', none, hs256]) {
    const cancel = await rp.cancel(created.request_id, authorization || ' ');
    assert.equal(cancel.status, 400, authorization);
    assert.deepEqual(cancel.body, UNAUTHORIZED);
    const initiate = await rp.initiate({ authorization: authorization || ' ' });
    assert.deepEqual(initiate.body, UNAUTHORIZED);
    const result = await rp.signedDoc(created.request_id, created.exchange_code, {
      authorization: authorization || ' ',
    });
    assert.deepEqual(result.body, UNAUTHORIZED);
  }
  const noHeader = await fetch(`${server.baseUrl}/singpass/api/v3/sign-requests/cancel`, { method: 'POST' });
  assert.equal(noHeader.status, 400);
  assert.deepEqual(await noHeader.json(), UNAUTHORIZED);
  // None of this touched the request.
  assert.equal((await rp.cancel(created.request_id)).status, 200);
});

test('a token signed by another key under the published kid is refused', async () => {
  const created = await rp.createRequest();
  const impostor = await createSigningKey(rp.key.kid);
  const forged = await rp.token({ client_id: rp.clientId, request_id: created.request_id }, { key: impostor });
  assert.deepEqual((await rp.cancel(created.request_id, forged)).body, UNAUTHORIZED);
});

test('an expired token, and a token issued more than 2 minutes ago, are refused', async () => {
  const created = await rp.createRequest();
  const now = rp.nowSeconds();
  const expired = await rp.token(
    { client_id: rp.clientId, request_id: created.request_id },
    { iat: now - 100, exp: now - 40 },
  );
  assert.deepEqual((await rp.cancel(created.request_id, expired)).body, UNAUTHORIZED);
  const tooOld = await rp.token(
    { client_id: rp.clientId, request_id: created.request_id },
    { iat: now - 200, exp: now + 60 },
  );
  assert.deepEqual((await rp.cancel(created.request_id, tooOld)).body, UNAUTHORIZED);
  const tooLong = await rp.token(
    { client_id: rp.clientId, request_id: created.request_id },
    { iat: now, exp: now + 600 },
  );
  assert.deepEqual((await rp.cancel(created.request_id, tooLong)).body, UNAUTHORIZED);
  // A token with no exp (like the initiate sample) is refused: the docs require iat and exp.
  const noExp = await rp.token(rp.initiateClaims(), { exp: null });
  assert.deepEqual((await rp.initiate({ authorization: noExp })).body, UNAUTHORIZED);
  // A valid token minted now still works, and one made valid and then left 3 minutes does not.
  const fresh = await rp.token({ client_id: rp.clientId, request_id: created.request_id });
  server.clock.advance(3 * 60_000);
  assert.deepEqual((await rp.cancel(created.request_id, fresh)).body, UNAUTHORIZED);
  assert.equal((await rp.cancel(created.request_id)).status, 200);
});

test("key rotation: a new kid published on the RP's JWKS is picked up, and the old key keeps working", async () => {
  const rotated = await createSigningKey(`rotated-${randomUUID().slice(0, 8)}`);
  const oldKey = rp.key;
  jwks.state.keys = [oldKey.publicJwk, rotated.publicJwk];
  server.clock.advance(11_000); // past the refetch rate limit for unknown kids
  const created = await rp.initiate({ authorization: await rp.token(rp.initiateClaims(), { key: rotated }) });
  assert.equal(created.status, 200);
  assert.equal((await rp.initiate()).status, 200);
  // A kid the JWKS does not publish is refused.
  const stranger = await createSigningKey('never-published');
  server.clock.advance(11_000);
  assert.deepEqual(
    (await rp.initiate({ authorization: await rp.token(rp.initiateClaims(), { key: stranger }) })).body,
    UNAUTHORIZED,
  );
});

test('a replayed jti is refused (initiate and signed-doc)', async () => {
  const token = await rp.token(rp.initiateClaims());
  const first = await rp.initiate({ authorization: token });
  assert.equal(first.status, 200);
  const replay = await rp.initiate({ authorization: token });
  assert.equal(replay.status, 400);
  assert.deepEqual(replay.body, UNAUTHORIZED);

  const resultToken = await rp.token({ exchange_code: first.body.exchange_code, jti: randomUUID() });
  assert.equal(
    (await rp.signedDoc(first.body.request_id, first.body.exchange_code, { authorization: resultToken })).body.error,
    'DOCUMENT_NOT_SIGNED',
  );
  assert.deepEqual(
    (await rp.signedDoc(first.body.request_id, first.body.exchange_code, { authorization: resultToken })).body,
    UNAUTHORIZED,
  );
  // signed-doc requires a jti (a UUID), unlike cancel.
  const withoutJti = await rp.token({ exchange_code: first.body.exchange_code });
  assert.equal(
    (await rp.signedDoc(first.body.request_id, first.body.exchange_code, { authorization: withoutJti })).body.error,
    'ARGUMENTS_NOT_VALID',
  );
});

test('signed-doc: a token for request A presented on request B is refused, and stays usable on A', async () => {
  const a = await rp.createRequest();
  const b = await rp.createRequest();
  const tokenForA = await rp.token({ exchange_code: a.exchange_code, jti: randomUUID() });
  const onB = await rp.signedDoc(b.request_id, a.exchange_code, { authorization: tokenForA });
  assert.equal(onB.status, 400);
  assert.deepEqual(onB.body, UNAUTHORIZED);
  const onA = await rp.signedDoc(a.request_id, a.exchange_code, { authorization: tokenForA });
  assert.equal(onA.body.error, 'DOCUMENT_NOT_SIGNED');
  // An unknown exchange code is refused the same way.
  assert.deepEqual((await rp.signedDoc(a.request_id, randomUUID())).body, UNAUTHORIZED);
});

test('cancel: a token of one client naming itself as another registered client is refused', async () => {
  const other = await setUpRelyingParty(server, 'rp-auth-other');
  try {
    const theirs = await other.rp.createRequest();
    // Signed with our key but claiming their client_id: their JWKS does not hold our kid.
    const pretending = await rp.token({ client_id: other.rp.clientId, request_id: theirs.request_id });
    assert.deepEqual((await rp.cancel(theirs.request_id, pretending)).body, UNAUTHORIZED);
    assert.equal((await other.rp.cancel(theirs.request_id)).status, 200);
  } finally {
    await other.jwks.close();
  }
});

test('a "Bearer " prefix is tolerated', async () => {
  const created = await rp.createRequest();
  const token = await rp.token({ client_id: rp.clientId, request_id: created.request_id });
  assert.equal((await rp.cancel(created.request_id, `Bearer ${token}`)).status, 200);
});

test('a used jti is still refused after a restart on the same data dir', async () => {
  const first = await startTestServer();
  const { rp: party, jwks: keys } = await setUpRelyingParty(first, 'rp-restart');
  let second: TestServer | undefined;
  try {
    const token = await party.token(party.initiateClaims());
    assert.equal((await party.initiate({ authorization: token })).status, 200);
    await first.app.close(); // stop without deleting the data dir
    second = await startTestServer({ dataDir: first.dataDir });
    const again = new RelyingParty(second, party.clientId, party.key);
    const replay = await again.initiate({ authorization: token });
    assert.equal(replay.status, 400);
    assert.deepEqual(replay.body, UNAUTHORIZED);
    assert.equal((await again.initiate()).status, 200, 'the registration survived the restart too');
  } finally {
    await keys.close();
    if (second) {
      await second.close();
      rmSync(first.dataDir, { recursive: true, force: true });
    } else await first.close();
  }
});
