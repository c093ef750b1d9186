/**
 * Deferred cancellation (ADR 7) with the outbox worker running on its own: its webhooks, the
 * figure of the issue (a signer restarting sessions in a loop cannot delay a deferred cancel past
 * the end of one session), and a SIGKILL of the server between the deferral and the session's end.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { prepareDataDir, spawnCountersign } from '../delivery/support/child-server.js';
import { call, startTestServer } from '../support/harness.js';
import { nativeClient, signingPath } from '../support/native.js';
import { until } from '../webhooks/receiver.js';
import { registerNative, serverWithReceiver } from '../webhooks/support.js';

test('webhooks: cancel_deferred, then cancel_failed (already_signed) naming the deferred cancel, and cancel_withdrawn', async (t) => {
  const { server, receiver } = await serverWithReceiver(t);
  const client = nativeClient(server.baseUrl, (await server.createTenant()).apiKey);
  const endpoint = await registerNative(client, receiver.url, [
    'signature_request.cancel_deferred',
    'signature_request.cancel_failed',
    'signature_request.cancel_withdrawn',
  ]);
  const created = await client.createRequest();
  const path = signingPath(created.signers[0].signing_url);
  assert.equal((await call(server.baseUrl, 'POST', `${path}/start`)).status, 200);
  const pending = (
    await client.request('POST', `/v1/signature-requests/${created.id}/cancel`, {
      on_active_session: 'defer',
      reason: 'late',
    })
  ).body.pending_cancellation;
  assert.equal(
    (await call(server.baseUrl, 'POST', `${path}/sign`, { body: { signature: { type: 'typed', text: 'Ann' } } }))
      .status,
    200,
  );
  const withdrawnOne = await client.createRequest();
  const otherPath = signingPath(withdrawnOne.signers[0].signing_url);
  assert.equal((await call(server.baseUrl, 'POST', `${otherPath}/start`)).status, 200);
  await client.request('POST', `/v1/signature-requests/${withdrawnOne.id}/cancel`, { on_active_session: 'defer' });
  assert.equal(
    (await client.request('DELETE', `/v1/signature-requests/${withdrawnOne.id}/pending-cancellation`)).status,
    200,
  );

  const received = await receiver.waitFor(4);
  const bodies = received.map(
    (delivery) =>
      new Webhook(endpoint.secret).verify(delivery.body, {
        'webhook-id': String(delivery.headers['webhook-id']),
        'webhook-timestamp': String(delivery.headers['webhook-timestamp']),
        'webhook-signature': String(delivery.headers['webhook-signature']),
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
      }) as { type: string; data: Record<string, any> },
  );
  const of = (type: string, id: string) =>
    bodies.find((body) => body.type === type && body.data.signature_request.id === id);
  assert.equal(of('signature_request.cancel_deferred', created.id)?.data.pending_cancellation_id, pending.id);
  assert.equal(of('signature_request.cancel_deferred', created.id)?.data.reason, 'late');
  const failed = of('signature_request.cancel_failed', created.id);
  assert.deepEqual(
    [failed?.data.code, failed?.data.pending_cancellation_id, failed?.data.signature_request.status],
    ['already_signed', pending.id, 'completed'],
  );
  assert.ok(of('signature_request.cancel_withdrawn', withdrawnOne.id));
});

test('figure: a signer restarting "Proceed to Sign" in a loop cannot delay a deferred cancel past the end of the first session', async (t) => {
  const server = await startTestServer({}, { worker: true });
  t.after(() => server.close());
  const client = nativeClient(server.baseUrl, (await server.createTenant()).apiKey);
  const created = await client.createRequest();
  const path = signingPath(created.signers[0].signing_url);
  const start = () => call(server.baseUrl, 'POST', `${path}/start`);
  const first = (await start()).body.session as { id: string; expires_at: string };
  const sessionEnd = Date.parse(first.expires_at);
  assert.equal(
    (
      await client.request('POST', `/v1/signature-requests/${created.id}/cancel`, {
        on_active_session: 'defer',
        reason: 'withdrawn',
      })
    ).status,
    202,
  );

  // Just before the session ends the signer presses again: the same session comes back, no longer.
  server.clock.advance(sessionEnd - 1000 - server.clock.now());
  const again = await start();
  assert.deepEqual(again.body.session, first);
  // Then, past its end, the signer presses in a loop, as fast as the server answers, until the
  // request is cancelled. The test clock stands still at 1 ms after the end: the worker (polling
  // every 500 ms of real time) sees the session over and carries the cancel out.
  server.clock.advance(sessionEnd + 1 - server.clock.now());
  const crossedAt = Date.now();
  const answers = new Map<string, number>();
  let cancelledAfterMs = -1;
  await until(
    async () => {
      const attempt = await start();
      const key = `${attempt.status} ${attempt.body.code}`;
      answers.set(key, (answers.get(key) ?? 0) + 1);
      if (attempt.status === 410) cancelledAfterMs = Date.now() - crossedAt;
      return attempt.status === 410;
    },
    60_000,
    () => `never cancelled; answers ${JSON.stringify([...answers])}`,
  );
  const refused = answers.get('409 cancel_pending') ?? 0;
  assert.deepEqual(
    [...answers.keys()].filter((key) => key !== '409 cancel_pending'),
    ['410 already_cancelled'],
    'every restart was refused',
  );

  const request = (await client.request('GET', `/v1/signature-requests/${created.id}`)).body;
  assert.equal(request.status, 'cancelled');
  const landedAfterEnd = Date.parse(request.cancellation.cancelled_at) - sessionEnd;
  assert.ok(
    landedAfterEnd > 0 && landedAfterEnd <= 1,
    `the cancel landed ${landedAfterEnd} ms (test clock) after the first session ended`,
  );
  const sessions = server.db
    .prepare('SELECT count(*) AS n FROM sign_sessions WHERE request_id = ?')
    .get(created.id) as { n: number };
  assert.equal(sessions.n, 1, 'no second session ever started');
  t.diagnostic(
    `restart attempts after the first session ended: ${refused} refused (409 cancel_pending), then 410 once cancelled; ` +
      `the cancel landed ${landedAfterEnd} ms (test clock) after the first session's end, ${cancelledAfterMs} ms of real time after the clock passed it`,
  );
});

test('a deferred cancel survives a SIGKILL of the server: after a restart it is carried out', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'countersign-deferred-'));
  const {
    apiKey,
    ids: [requestId],
  } = await prepareDataDir(dataDir, 1);
  // Sessions of 3 s of real time: the child has the real clock.
  const env = { COUNTERSIGN_DATA_DIR: dataDir, COUNTERSIGN_SIGN_SESSION_MINUTES: '0.05' };
  const first = await spawnCountersign(['serve'], env, { serve: true });
  t.after(async () => {
    await first.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const before = nativeClient(first.baseUrl, apiKey);
  const created = (await before.request('GET', `/v1/signature-requests/${requestId}`)).body;
  const started = await call(first.baseUrl, 'POST', `${signingPath(created.signers[0].signing_url)}/start`);
  assert.equal(started.status, 200);
  const deferred = await before.request('POST', `/v1/signature-requests/${requestId}/cancel`, {
    on_active_session: 'defer',
    reason: 'crash-proof',
    notify: 'none',
  });
  assert.equal(deferred.status, 202);
  await first.kill(); // SIGKILL: nothing in memory survives; the outbox row does

  const sessionEnd = Date.parse(started.body.session.expires_at);
  await until(() => Date.now() > sessionEnd, 30_000);
  const second = await spawnCountersign(['serve'], env, { serve: true });
  t.after(() => second.kill());
  const after = nativeClient(second.baseUrl, apiKey);
  await until(
    async () => (await after.request('GET', `/v1/signature-requests/${requestId}`)).body.status === 'cancelled',
    60_000,
    () => 'never cancelled',
  );
  const request = (await after.request('GET', `/v1/signature-requests/${requestId}`)).body;
  assert.equal(request.cancellation.reason, 'crash-proof');
  assert.ok(Date.parse(request.cancellation.cancelled_at) >= sessionEnd);
});
