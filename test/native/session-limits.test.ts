/**
 * How often one signer may restart "Proceed to Sign" (ADR 7, src/core/session-rules.ts), over real
 * HTTP: a cool-down after a session lapsed unfinished (429 session_limit with Retry-After; a plain
 * cancel gets through in the gap) and a cap on sessions per signer per request (429, no Retry-After).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { call, startTestServer, type TestServer } from '../support/harness.js';
import { nativeClient, signingPath, type NativeClient } from '../support/native.js';

let server: TestServer;
let client: NativeClient;
before(async () => {
  server = await startTestServer({ signSessionCooldownSeconds: 60, signSessionsPerSigner: 3 });
  client = nativeClient(server.baseUrl, (await server.createTenant()).apiKey);
});
after(async () => server.close());

const start = (path: string) => call(server.baseUrl, 'POST', `${path}/start`);
const sessionCount = (requestId: string) =>
  (
    server.db.prepare('SELECT count(*) AS n FROM sign_sessions WHERE request_id = ?').get(requestId) as {
      n: number;
    }
  ).n;
/** Moves the test clock to `ms` after the session's end. */
const pastEnd = (session: { expires_at: string }, ms: number) =>
  server.clock.advance(Date.parse(session.expires_at) + ms - server.clock.now());

test('after a session lapses unfinished the signer waits out the cool-down; a plain cancel gets through in the gap', async () => {
  const created = await client.createRequest();
  const path = signingPath(created.signers[0].signing_url);
  const first = (await start(path)).body.session;
  assert.deepEqual((await start(path)).body.session, first, 'pressing again during the session is not a restart');
  pastEnd(first, 1000);
  const refused = await start(path);
  assert.equal(refused.status, 429);
  assert.equal(refused.body.code, 'session_limit');
  assert.equal(refused.headers.get('retry-after'), '59');
  assert.equal(refused.body.retry_after_seconds, 59);
  assert.equal(sessionCount(created.id), 1, 'a refused start writes nothing');
  pastEnd(first, 60_000);
  assert.equal((await start(path)).status, 200, 'after the cool-down a new session starts');

  const other = await client.createRequest();
  const otherPath = signingPath(other.signers[0].signing_url);
  const session = (await start(otherPath)).body.session;
  pastEnd(session, 1);
  assert.equal((await start(otherPath)).status, 429);
  const cancelled = await client.request('POST', `/v1/signature-requests/${other.id}/cancel`, {});
  assert.equal(cancelled.status, 200, 'the sender (or any provider surface) cancels in the gap');
});

test('at most N sessions per signer per request; the next start is refused without Retry-After', async () => {
  const created = await client.createRequest();
  const path = signingPath(created.signers[0].signing_url);
  for (let round = 0; round < 3; round += 1) {
    const started = await start(path);
    assert.equal(started.status, 200, `session ${round + 1}`);
    pastEnd(started.body.session, 60_000);
  }
  const refused = await start(path);
  assert.equal(refused.status, 429);
  assert.equal(refused.body.code, 'session_limit');
  assert.equal(refused.headers.get('retry-after'), null, 'waiting does not help');
  assert.equal(sessionCount(created.id), 3);
  assert.equal((await client.request('POST', `/v1/signature-requests/${created.id}/cancel`, {})).status, 200);
});

test('the limits are configured by COUNTERSIGN_SIGN_SESSION_COOLDOWN_SECONDS and COUNTERSIGN_SIGN_SESSIONS_PER_SIGNER', () => {
  const defaults = loadConfig({});
  assert.deepEqual([defaults.signSessionCooldownSeconds, defaults.signSessionsPerSigner], [60, 10]);
  const set = loadConfig({ COUNTERSIGN_SIGN_SESSION_COOLDOWN_SECONDS: '0', COUNTERSIGN_SIGN_SESSIONS_PER_SIGNER: '2' });
  assert.deepEqual([set.signSessionCooldownSeconds, set.signSessionsPerSigner], [0, 2]);
  assert.throws(() => loadConfig({ COUNTERSIGN_SIGN_SESSIONS_PER_SIGNER: '0' }));
  assert.throws(() => loadConfig({ COUNTERSIGN_SIGN_SESSION_COOLDOWN_SECONDS: '-1' }));
});
