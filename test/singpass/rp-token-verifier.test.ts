// Tests for the Singpass Sign v3 RP token verifier, with real ES256 keys (jose) and a real JWKS
// server on 127.0.0.1. Only the clock and the jti store (the database, in production) are fakes.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  exportJWK,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
  type JWTPayload,
} from 'jose';
import {
  createRpTokenVerifier,
  RpTokenError,
  type ClientRegistration,
  type JtiStore,
  type RpTokenErrorReason,
  type RpTokenVerifierOptions,
} from '../../src/providers/singpass/rp-token-verifier.js';
import { createGuardedJwksFetcher, isNonPublicAddress } from '../../src/providers/singpass/jwks-cache.js';

const CLIENT_ID = 'rp-client-1';
const REQUEST_A = 'signv3-0199cc9c-8b7c-70df-b29b-39843a10c332';
const REQUEST_B = 'signv3-0199cc9c-9999-70df-b29b-000000000000';

// Verbatim cancel token from seed 001 (docs.sign.singpass.gov.sg, cancel-sign-request); its key is not published.
const SEED_001_TOKEN =
  'eyJhbGciOiJFUzI1NiIsImtpZCI6InBUaHpVbl9JNVJXZzcyQWEyUzI1LXhoRG0wRzBNWjNSN3FpWUdyYmVmT0EifQ.eyJjbGllbnRfaWQiOiJ0ZXN0LWNsaWVudC1pZCIsInJlcXVlc3RfaWQiOiJzaWdudjMtMDE5OWNjOWMtOGI3Yy03MGRmLWIyOWItMzk4NDNhMTBjMzMyIiwiaWF0IjoxNzYwMDc0NDkxLCJleHAiOjE3NjAwNzQ2MTF9.-mf63KNiCCKNuVgAwn7OL4Lv7vnZ9fvPT5Pm2lCWQn36k6SK5jkBm8Iwonr0Yg5cTb1Jf2T1DK5aG_1VzYkqig';
const SEED_001_KID = 'pThzUn_I5RWg72Aa2S25-xhDm0G0MZ3R7qiYGrbefOA';
const SEED_001_IAT = 1760074491;

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

async function createSigningKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'ES256' } };
}

/** A real HTTP server publishing a JWKS at /jwks, plus misbehaving routes; counts hits and TCP connections. */
async function startJwksServer(t: TestContext, initialKeys: JWK[]) {
  const state = { keys: initialKeys, hits: 0, connections: 0, status: 200 };
  const server = createServer((request, response: ServerResponse) => {
    state.hits += 1;
    if (request.url === '/redirect') return void response.writeHead(302, { location: '/jwks' }).end();
    if (request.url === '/big') return void response.end(JSON.stringify({ keys: [], pad: 'x'.repeat(70 * 1024) }));
    if (request.url === '/slow') return; // never answers
    response.writeHead(state.status, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: state.keys }));
  });
  server.on('connection', () => {
    state.connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const { port } = server.address() as AddressInfo;
  return { state, port, url: (path = '/jwks') => `http://127.0.0.1:${port}${path}` };
}

function createMemoryJtiStore() {
  const seen = new Map<string, number>();
  const store: JtiStore = {
    async claimOnce(clientId, jti, expiresAtMs) {
      const key = `${clientId}\u0000${jti}`;
      if (seen.has(key)) return false;
      seen.set(key, expiresAtMs);
      return true;
    },
  };
  return { store, seen };
}

/** A verifier with a settable clock and a client directory that records lookups. */
function createHarness(clients: ClientRegistration[], options: Partial<RpTokenVerifierOptions> = {}) {
  const clock = { nowMs: Date.UTC(2026, 0, 20, 12, 0, 0) };
  const jti = createMemoryJtiStore();
  const lookups: string[] = [];
  const verifier = createRpTokenVerifier({
    clock: () => clock.nowMs,
    jtiStore: jti.store,
    allowPrivateNetworks: true,
    ...options,
  });
  const resolveClient = async (clientId: string) => {
    lookups.push(clientId);
    return clients.find((client) => client.clientId === clientId);
  };
  const nowSeconds = () => Math.floor(clock.nowMs / 1000);
  const verify = (token: string, expectedRequestId?: string) =>
    verifier.verify(token, { resolveClient, ...(expectedRequestId === undefined ? {} : { expectedRequestId }) });
  return { clock, jti, lookups, verify, nowSeconds };
}

interface TokenSpec {
  key: SigningKey;
  iat: number;
  exp?: number;
  claims?: JWTPayload;
  kid?: string;
}
function signToken({ key, iat, exp = iat + 120, claims = {}, kid = key.kid }: TokenSpec): Promise<string> {
  return new SignJWT({ client_id: CLIENT_ID, request_id: REQUEST_A, ...claims })
    .setProtectedHeader({ alg: 'ES256', kid })
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(key.privateKey);
}

async function assertRefused(promise: Promise<unknown>, reason: RpTokenErrorReason, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof RpTokenError, `expected RpTokenError, got ${String(error)}`);
    assert.equal(error.reason, reason, error.message);
    if (message) assert.match(error.message, message);
    return true;
  });
}

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

test('accepts a valid token and returns the client id and claims', async (t) => {
  const key = await createSigningKey('key-1');
  const server = await startJwksServer(t, [key.publicJwk]);
  const h = createHarness([{ clientId: CLIENT_ID, jwksUrl: server.url() }]);
  const result = await h.verify(await signToken({ key, iat: h.nowSeconds() }), REQUEST_A);
  assert.equal(result.clientId, CLIENT_ID);
  assert.equal(result.claims.request_id, REQUEST_A);
  assert.equal(result.claims.exp - result.claims.iat, 120);
  assert.equal(server.state.hits, 1);
});

test('concurrent first requests share one JWKS fetch and all succeed', async (t) => {
  const key = await createSigningKey('key-1');
  const server = await startJwksServer(t, [key.publicJwk]);
  const h = createHarness([{ clientId: CLIENT_ID, jwksUrl: server.url() }]);
  const tokens = await Promise.all(
    Array.from({ length: 5 }, (_, i) => signToken({ key, iat: h.nowSeconds(), claims: { jti: `c-${i}` } })),
  );
  const results = await Promise.all(tokens.map((token) => h.verify(token)));
  assert.deepEqual(
    results.map((result) => result.clientId),
    Array(5).fill(CLIENT_ID),
  );
  assert.equal(server.state.hits, 1);
});

test('caches the JWKS, picks up a rotated kid without waiting for expiry, and refetches after the TTL', async (t) => {
  const [oldKey, newKey] = [await createSigningKey('key-old'), await createSigningKey('key-new')];
  const server = await startJwksServer(t, [oldKey.publicJwk]);
  const h = createHarness([{ clientId: CLIENT_ID, jwksUrl: server.url() }]);

  await h.verify(await signToken({ key: oldKey, iat: h.nowSeconds() }));
  await h.verify(await signToken({ key: oldKey, iat: h.nowSeconds() }));
  assert.equal(server.state.hits, 1, 'second token must be verified from the cache');

  server.state.keys = [oldKey.publicJwk, newKey.publicJwk]; // the RP publishes a new key
  h.clock.nowMs += 11_000; // past the refetch rate limit, far from the 1 h TTL
  const result = await h.verify(await signToken({ key: newKey, iat: h.nowSeconds() }));
  assert.equal(result.clientId, CLIENT_ID);
  assert.equal(server.state.hits, 2, 'the unknown kid must trigger exactly one refetch');

  await h.verify(await signToken({ key: oldKey, iat: h.nowSeconds() }));
  assert.equal(server.state.hits, 2);
  h.clock.nowMs += 60 * 60 * 1000; // TTL passed
  await h.verify(await signToken({ key: oldKey, iat: h.nowSeconds() }));
  assert.equal(server.state.hits, 3, 'a stale cache must be refreshed');
});

test('refuses an unknown kid even after a refetch, and rate-limits refetches', async (t) => {
  const key = await createSigningKey('key-1');
  const server = await startJwksServer(t, [key.publicJwk]);
  const h = createHarness([{ clientId: CLIENT_ID, jwksUrl: server.url() }]);

  await h.verify(await signToken({ key, iat: h.nowSeconds() }));
  h.clock.nowMs += 11_000;
  await assertRefused(h.verify(await signToken({ key, kid: 'bogus-0', iat: h.nowSeconds() })), 'unknown_kid');
  assert.equal(server.state.hits, 2, 'one refetch for the unknown kid');

  const flood = await Promise.all(
    Array.from({ length: 25 }, (_, i) => signToken({ key, kid: `bogus-${i + 1}`, iat: h.nowSeconds() })),
  );
  await Promise.all(flood.map((token) => assertRefused(h.verify(token), 'unknown_kid')));
  assert.equal(server.state.hits, 2, 'a flood of bogus kids must not reach the JWKS server');

  h.clock.nowMs += 10_000;
  await assertRefused(h.verify(await signToken({ key, kid: 'bogus-late', iat: h.nowSeconds() })), 'unknown_kid');
  assert.equal(server.state.hits, 3, 'refetching is allowed again once the interval has passed');
});

test('refuses a token signed by another key under a published kid', async (t) => {
  const [key, impostor] = [await createSigningKey('key-1'), await createSigningKey('key-1')];
  const server = await startJwksServer(t, [key.publicJwk]);
  const h = createHarness([{ clientId: CLIENT_ID, jwksUrl: server.url() }]);
  await assertRefused(h.verify(await signToken({ key: impostor, iat: h.nowSeconds() })), 'bad_signature');
});

test('time rules: expired, lifetime over 2 minutes, iat too old, iat in the future, skew tolerated', async () => {
  const key = await createSigningKey('key-1');
  const h = createHarness([{ clientId: CLIENT_ID, jwks: { keys: [key.publicJwk] } }]);
  const now = h.nowSeconds();
  await assertRefused(h.verify(await signToken({ key, iat: now - 100, exp: now - 40 })), 'expired');
  await assertRefused(h.verify(await signToken({ key, iat: now, exp: now + 121 })), 'lifetime_too_long');
  await assertRefused(h.verify(await signToken({ key, iat: now - 151, exp: now - 31 })), 'too_old');
  await assertRefused(h.verify(await signToken({ key, iat: now + 31, exp: now + 60 })), 'not_yet_valid');
  // Within the 30 s skew on both sides, and exactly 2 minutes of lifetime: accepted.
  await h.verify(await signToken({ key, iat: now - 149, exp: now - 29 }));
  await h.verify(await signToken({ key, iat: now + 29, exp: now + 149 }));
});

test('refuses a replayed jti, and records it until the token can no longer be accepted', async () => {
  const key = await createSigningKey('key-1');
  const h = createHarness([{ clientId: CLIENT_ID, jwks: { keys: [key.publicJwk] } }]);
  const iat = h.nowSeconds();
  const token = await signToken({ key, iat, claims: { jti: 'jti-1' } });
  await h.verify(token);
  await assertRefused(h.verify(token), 'replayed_jti');
  await h.verify(await signToken({ key, iat, claims: { jti: 'jti-2' } }));
  assert.equal(h.jti.seen.get(`${CLIENT_ID}\u0000jti-1`), (iat + 120 + 30) * 1000);
});

test('refuses alg none, HS256 and other algorithms before any client or key lookup', async (t) => {
  const key = await createSigningKey('key-1');
  const server = await startJwksServer(t, [key.publicJwk]);
  const h = createHarness([{ clientId: CLIENT_ID, jwksUrl: server.url() }]);
  const payload = base64url({
    client_id: CLIENT_ID,
    request_id: REQUEST_A,
    iat: h.nowSeconds(),
    exp: h.nowSeconds() + 60,
  });

  await assertRefused(h.verify(`${base64url({ alg: 'none', kid: key.kid })}.${payload}.`), 'unsupported_alg');
  const hs256 = await new SignJWT({ client_id: CLIENT_ID, request_id: REQUEST_A })
    .setProtectedHeader({ alg: 'HS256', kid: key.kid })
    .setIssuedAt(h.nowSeconds())
    .setExpirationTime(h.nowSeconds() + 60)
    .sign(new TextEncoder().encode('a-shared-secret-that-is-long-enough!'));
  await assertRefused(h.verify(hs256), 'unsupported_alg');
  for (const alg of ['RS256', 'ES384', 'PS256', 'es256', 'EdDSA']) {
    await assertRefused(h.verify(`${base64url({ alg, kid: key.kid })}.${payload}.c2ln`), 'unsupported_alg');
  }
  assert.deepEqual(h.lookups, []);
  assert.equal(server.state.hits, 0);
});

test('refuses malformed tokens and tokens without kid', async () => {
  const key = await createSigningKey('key-1');
  const h = createHarness([{ clientId: CLIENT_ID, jwks: { keys: [key.publicJwk] } }]);
  await assertRefused(h.verify('not-a-jwt'), 'malformed');
  await assertRefused(h.verify('###.###.###'), 'malformed');
  await assertRefused(
    h.verify(`${base64url({ alg: 'ES256' })}.${base64url({ client_id: CLIENT_ID })}.c2ln`),
    'missing_kid',
  );
  await assertRefused(
    h.verify(await signToken({ key, iat: h.nowSeconds(), claims: { client_id: undefined } })),
    'malformed',
  );
});

test('refuses a token for request A presented for request B, without using up its jti', async () => {
  const key = await createSigningKey('key-1');
  const h = createHarness([{ clientId: CLIENT_ID, jwks: { keys: [key.publicJwk] } }]);
  const token = await signToken({ key, iat: h.nowSeconds(), claims: { jti: 'jti-a' } });
  await assertRefused(h.verify(token, REQUEST_B), 'request_mismatch');
  assert.equal((await h.verify(token, REQUEST_A)).claims.request_id, REQUEST_A);
});

test('refuses an unknown client without touching any JWKS', async (t) => {
  const key = await createSigningKey('key-1');
  const server = await startJwksServer(t, [key.publicJwk]);
  const h = createHarness([{ clientId: CLIENT_ID, jwksUrl: server.url() }]);
  await assertRefused(
    h.verify(await signToken({ key, iat: h.nowSeconds(), claims: { client_id: 'someone-else' } })),
    'unknown_client',
  );
  assert.deepEqual(h.lookups, ['someone-else']);
  assert.equal(server.state.hits, 0);
});

test('accepts the documented client_request alias, but not one that contradicts client_id', async () => {
  const key = await createSigningKey('key-1');
  const h = createHarness([{ clientId: CLIENT_ID, jwks: { keys: [key.publicJwk] } }]);
  const aliased = await signToken({
    key,
    iat: h.nowSeconds(),
    claims: { client_id: undefined, client_request: CLIENT_ID },
  });
  assert.equal((await h.verify(aliased)).clientId, CLIENT_ID);
  const contradicting = await signToken({ key, iat: h.nowSeconds(), claims: { client_request: 'other' } });
  await assertRefused(h.verify(contradicting), 'malformed');
});

test('verifies against an inline JWKS registration and only its keys', async () => {
  const [key, other] = [await createSigningKey('key-1'), await createSigningKey('key-2')];
  const fetched: string[] = [];
  const h = createHarness([{ clientId: CLIENT_ID, jwks: { keys: [key.publicJwk] } }], {
    fetchJwks: async (url) => {
      fetched.push(url);
      return { keys: [] };
    },
  });
  assert.equal((await h.verify(await signToken({ key, iat: h.nowSeconds() }))).clientId, CLIENT_ID);
  await assertRefused(h.verify(await signToken({ key: other, iat: h.nowSeconds() })), 'unknown_kid');
  assert.deepEqual(fetched, []);
});

test('refuses JWKS URLs on private addresses unless allowPrivateNetworks is set', async (t) => {
  const key = await createSigningKey('key-1');
  const server = await startJwksServer(t, [key.publicJwk]);
  for (const jwksUrl of [`https://127.0.0.1:${server.port}/jwks`, `https://localhost:${server.port}/jwks`]) {
    const h = createHarness([{ clientId: CLIENT_ID, jwksUrl }], { allowPrivateNetworks: false });
    await assertRefused(
      h.verify(await signToken({ key, iat: h.nowSeconds() })),
      'jwks_unavailable',
      /private, loopback/,
    );
  }
  const plainHttp = createHarness([{ clientId: CLIENT_ID, jwksUrl: server.url() }], { allowPrivateNetworks: false });
  await assertRefused(
    plainHttp.verify(await signToken({ key, iat: plainHttp.nowSeconds() })),
    'jwks_unavailable',
    /https/,
  );
  assert.equal(server.state.connections, 0, 'no connection may be opened to a private address');

  for (const address of [
    '127.0.0.1',
    '10.1.2.3',
    '172.20.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '::ffff:a9fe:a9fe',
    '64:ff9b::a00:1',
    'not-an-ip',
  ]) {
    assert.equal(isNonPublicAddress(address), true, address);
  }
  for (const address of ['8.8.8.8', '93.184.216.34', '::ffff:8.8.8.8', '2606:4700:4700::1111']) {
    assert.equal(isNonPublicAddress(address), false, address);
  }
});

test('JWKS fetch: no redirects, 64 KiB cap, timeout, and failed fetches are rate-limited', async (t) => {
  const key = await createSigningKey('key-1');
  const server = await startJwksServer(t, [key.publicJwk]);
  const token = async (h: ReturnType<typeof createHarness>) => signToken({ key, iat: h.nowSeconds() });

  const redirect = createHarness([{ clientId: CLIENT_ID, jwksUrl: server.url('/redirect') }]);
  await assertRefused(redirect.verify(await token(redirect)), 'jwks_unavailable', /redirect/);
  const big = createHarness([{ clientId: CLIENT_ID, jwksUrl: server.url('/big') }]);
  await assertRefused(big.verify(await token(big)), 'jwks_unavailable', /larger than 65536/);
  const slow = createHarness([{ clientId: CLIENT_ID, jwksUrl: server.url('/slow') }], {
    fetchJwks: createGuardedJwksFetcher({ allowPrivateNetworks: true, timeoutMs: 200 }),
  });
  await assertRefused(slow.verify(await token(slow)), 'jwks_unavailable', /timed out/);

  server.state.status = 500;
  const down = createHarness([{ clientId: CLIENT_ID, jwksUrl: server.url() }]);
  const hitsBefore = server.state.hits;
  await assertRefused(down.verify(await token(down)), 'jwks_unavailable', /HTTP 500/);
  await assertRefused(down.verify(await token(down)), 'jwks_unavailable', /recently/);
  assert.equal(server.state.hits, hitsBefore + 1, 'a failing JWKS server is not retried on every request');
  server.state.status = 200;
  down.clock.nowMs += 10_000;
  assert.equal((await down.verify(await token(down))).clientId, CLIENT_ID);
});

test('refuses the seed 001 sample token: its key is unknown, and a key under its kid does not verify it', async (t) => {
  const ours = await createSigningKey('our-key');
  const server = await startJwksServer(t, [ours.publicJwk]);
  const h = createHarness([{ clientId: 'test-client-id', jwksUrl: server.url() }]);
  h.clock.nowMs = (SEED_001_IAT + 10) * 1000; // inside the sample's own validity window
  await assertRefused(h.verify(SEED_001_TOKEN, REQUEST_A), 'unknown_kid');

  server.state.keys = [{ ...ours.publicJwk, kid: SEED_001_KID }];
  h.clock.nowMs += 11_000;
  await assertRefused(h.verify(SEED_001_TOKEN, REQUEST_A), 'bad_signature');

  const today = createHarness([
    { clientId: 'test-client-id', jwks: { keys: [{ ...ours.publicJwk, kid: SEED_001_KID }] } as JSONWebKeySet },
  ]);
  await assertRefused(today.verify(SEED_001_TOKEN), 'bad_signature'); // signature is checked before expiry
});

test('a registration may allow its own private-network JWKS URL; others stay guarded', async (t) => {
  const key = await createSigningKey('key-1');
  const server = await startJwksServer(t, [key.publicJwk]);
  const h = createHarness(
    [
      { clientId: CLIENT_ID, jwksUrl: server.url(), allowPrivateNetworks: true },
      { clientId: 'guarded-client', jwksUrl: server.url() },
    ],
    { allowPrivateNetworks: false },
  );
  assert.equal((await h.verify(await signToken({ key, iat: h.nowSeconds() }))).clientId, CLIENT_ID);
  const guarded = await signToken({ key, iat: h.nowSeconds(), claims: { client_id: 'guarded-client' } });
  await assertRefused(h.verify(guarded), 'jwks_unavailable', /https/);
  assert.equal(server.state.hits, 1, "the allowed client's cached keys must not serve the guarded client");
});

test('identifyClient names the client of a token without client_id, and a contradicting client_id is refused', async () => {
  const key = await createSigningKey('key-1');
  const clock = { nowMs: Date.UTC(2026, 0, 20, 12, 0, 0) };
  const verifier = createRpTokenVerifier({ clock: () => clock.nowMs, jtiStore: createMemoryJtiStore().store });
  const resolveClient = async (clientId: string) =>
    clientId === CLIENT_ID ? { clientId, jwks: { keys: [key.publicJwk] } } : undefined;
  const identifyClient = async (claims: JWTPayload) => (claims.exchange_code === 'code-1' ? CLIENT_ID : undefined);
  const iat = Math.floor(clock.nowMs / 1000);
  const sign = (claims: JWTPayload) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: key.kid })
      .setIssuedAt(iat)
      .setExpirationTime(iat + 120)
      .sign(key.privateKey);

  const verified = await verifier.verify(await sign({ exchange_code: 'code-1', jti: 'j-1' }), {
    resolveClient,
    identifyClient,
  });
  assert.equal(verified.clientId, CLIENT_ID);
  await assertRefused(
    verifier.verify(await sign({ exchange_code: 'code-2' }), { resolveClient, identifyClient }),
    'unknown_client',
  );
  await assertRefused(
    verifier.verify(await sign({ exchange_code: 'code-1', client_id: 'other' }), { resolveClient, identifyClient }),
    'malformed',
  );
  // Without identifyClient the same token has no client at all.
  await assertRefused(verifier.verify(await sign({ exchange_code: 'code-1' }), { resolveClient }), 'malformed');
});
