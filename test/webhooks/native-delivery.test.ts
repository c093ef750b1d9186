import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { freePort } from '../support/harness.js';
import { nativeClient } from '../support/native.js';
import { answer, startReceiver, type ReceivedWebhook } from './receiver.js';
import {
  attemptsOf,
  auditEventId,
  deliveryRows,
  driveNativeRetriesToDeadLetter,
  makeDue,
  outboxRow,
  outboxRowsOf,
  registerNative,
  serverWithReceiver,
  startWebhookServer,
  untilOutcomes,
} from './support.js';

const standardHeaders = (received: ReceivedWebhook) => ({
  'webhook-id': String(received.headers['webhook-id']),
  'webhook-timestamp': String(received.headers['webhook-timestamp']),
  'webhook-signature': String(received.headers['webhook-signature']),
});

test('a cancellation reaches the subscribed native endpoints, signed per Standard Webhooks', async (t) => {
  const server = await startWebhookServer();
  const receiver = await startReceiver();
  const bystander = await startReceiver();
  t.after(async () => {
    await server.close();
    await Promise.all([receiver.close(), bystander.close()]);
  });
  const client = nativeClient(server.baseUrl, (await server.createTenant()).apiKey);
  const cancelOnly = await registerNative(client, `${receiver.url}/cancel-only`, ['signature_request.cancelled']);
  const everything = await registerNative(client, `${receiver.url}/all`, ['*']);
  await registerNative(client, bystander.url, ['signature_request.signed']);
  const disabled = await registerNative(client, bystander.url, ['*']);
  await client.request('DELETE', `/v1/webhooks/${disabled.id}`);

  const request = await client.createRequest({ title: 'NDA' });
  const cancelled = await client.request('POST', `/v1/signature-requests/${request.id}/cancel`, {
    reason: 'wrong counterparty',
    message: 'Please ignore the earlier email',
    reason_code: 'wrong_party',
    notify: 'none',
  });
  assert.equal(cancelled.status, 200);
  const cancelEventId = await auditEventId(client, request.id, 'request.cancelled');

  await receiver.waitFor(3); // cancel-only: cancelled; all: created and cancelled
  await server.app.delivery.worker.drainOnce();
  assert.equal(bystander.received.length, 0, 'neither the signed-only nor the disabled endpoint gets anything');
  assert.equal(receiver.received.length, 3);

  const toCancelOnly = receiver.received.filter((received) => received.path === '/hook/cancel-only');
  assert.equal(toCancelOnly.length, 1);
  const delivered = toCancelOnly[0]!;
  // Independent verification: the standardwebhooks package, keyed with the secret shown at registration.
  const verified = new Webhook(cancelOnly.secret).verify(delivered.body, standardHeaders(delivered)) as Record<
    string,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    any
  >;
  assert.equal(delivered.headers['webhook-id'], cancelEventId);
  assert.equal(verified.id, cancelEventId);
  assert.equal(verified.type, 'signature_request.cancelled');
  assert.equal(typeof verified.timestamp, 'string');
  assert.equal(verified.data.signature_request.id, request.id);
  assert.equal(verified.data.signature_request.status, 'cancelled');
  assert.equal(verified.data.reason, 'wrong counterparty');
  assert.equal(verified.data.message, 'Please ignore the earlier email');
  assert.equal(verified.data.reason_code, 'wrong_party');
  assert.equal(verified.data.actor.type, 'api_key');
  assert.throws(
    () => new Webhook(everything.secret).verify(delivered.body, standardHeaders(delivered)),
    "another endpoint's secret does not verify",
  );
  assert.throws(() =>
    new Webhook(cancelOnly.secret).verify(
      delivered.body.replace('wrong counterparty', 'right counterparty'),
      standardHeaders(delivered),
    ),
  );

  const toAll = receiver.received
    .filter((received) => received.path === '/hook/all')
    .map((received) => JSON.parse(received.body) as { type: string });
  assert.deepEqual(toAll.map((body) => body.type).sort(), ['signature_request.cancelled', 'signature_request.created']);
  const attempts = await attemptsOf(client, cancelOnly.id);
  assert.equal(attempts.length, 1);
  assert.equal(attempts[0]!.status_code, 200);
  assert.equal(attempts[0]!.event_id, cancelEventId);
  assert.equal(attempts[0]!.error, null);
});

test('a receiver answering 500 is retried on the native schedule, dead-lettered, and the replay re-delivers the same event id', async (t) => {
  const { server, receiver } = await serverWithReceiver(t, answer(500, 'database down'));
  const client = nativeClient(server.baseUrl, (await server.createTenant()).apiKey);
  const endpoint = await registerNative(client, receiver.url, ['signature_request.cancelled']);
  const request = await client.createRequest();
  await client.request('POST', `/v1/signature-requests/${request.id}/cancel`, { notify: 'none' });
  const eventId = await auditEventId(client, request.id, 'request.cancelled');
  const [delivery] = await deliveryRows(server);
  assert.ok(delivery);

  const attemptTimes = async () =>
    (await attemptsOf(client, endpoint.id)).map((attempt) => Date.parse(attempt.created_at));
  const dead = await driveNativeRetriesToDeadLetter(server, delivery.id, attemptTimes);
  assert.match(dead.last_error ?? '', /http_status: receiver answered 500 \((max_attempts|max_age)\)/);

  // Every attempt reached the receiver with the same id, and every one is in the log, newest first.
  const attempts = await attemptsOf(client, endpoint.id);
  assert.ok(attempts.length >= 2);
  assert.equal(receiver.received.length, attempts.length);
  assert.ok(receiver.received.every((received) => received.headers['webhook-id'] === eventId));
  assert.deepEqual(
    attempts.map((attempt) => attempt.attempt),
    Array.from({ length: attempts.length }, (_, index) => attempts.length - index),
  );
  for (const attempt of attempts) {
    assert.equal(attempt.delivery_id, delivery.id);
    assert.equal(attempt.status_code, 500);
    assert.match(attempt.error ?? '', /receiver answered 500/);
    assert.equal(attempt.response_snippet, 'database down');
    assert.ok(attempt.duration_ms >= 0);
  }
  const firstPage = await client.request('GET', `/v1/webhooks/${endpoint.id}/deliveries?limit=2`);
  const secondPage = await client.request(
    'GET',
    `/v1/webhooks/${endpoint.id}/deliveries?limit=2&cursor=${firstPage.body.next_cursor}`,
  );
  assert.deepEqual(
    [...firstPage.body.data, ...secondPage.body.data].map((attempt: { id: string }) => attempt.id),
    attempts.slice(0, 4).map((attempt) => attempt.id),
  );

  // Nothing more happens on its own, however much time passes.
  server.clock.advance(7 * 86_400_000);
  await server.app.delivery.worker.drainOnce();
  assert.equal(receiver.received.length, attempts.length);

  receiver.respondWith(answer(200));
  const replay = await client.request('POST', `/v1/webhooks/${endpoint.id}/events/${eventId}/replay`);
  assert.equal(replay.status, 202);
  assert.notEqual(replay.body.delivery_id, delivery.id);
  server.app.delivery.worker.wake();
  await receiver.waitFor(attempts.length + 1);
  const redelivered = receiver.received.at(-1)!;
  assert.equal(redelivered.headers['webhook-id'], eventId);
  assert.equal(JSON.parse(redelivered.body).id, eventId);
  // The test clock is days ahead now, beyond verify()'s 5-minute tolerance: check the signature itself.
  const signedAt = new Date(Number(redelivered.headers['webhook-timestamp']) * 1000);
  assert.equal(
    redelivered.headers['webhook-signature'],
    new Webhook(endpoint.secret).sign(eventId, signedAt, redelivered.body),
  );
  assert.equal((await untilOutcomes(server, replay.body.delivery_id, 1)).status, 'done');
  const [newest] = await attemptsOf(client, endpoint.id);
  assert.equal(newest!.delivery_id, replay.body.delivery_id);
  assert.equal(newest!.attempt, 1);
  assert.equal(newest!.status_code, 200);
});

test('connection refused on a closed port is retried and then dead-lettered', async (t) => {
  const server = await startWebhookServer();
  t.after(() => server.close());
  const client = nativeClient(server.baseUrl, (await server.createTenant()).apiKey);
  const endpoint = await registerNative(client, `http://127.0.0.1:${await freePort()}/hook`, [
    'signature_request.cancelled',
  ]);
  const request = await client.createRequest();
  await client.request('POST', `/v1/signature-requests/${request.id}/cancel`, { notify: 'none' });
  const [delivery] = await deliveryRows(server);
  const dead = await driveNativeRetriesToDeadLetter(server, delivery!.id, async () =>
    (await attemptsOf(client, endpoint.id)).map((attempt) => Date.parse(attempt.created_at)),
  );
  assert.match(dead.last_error ?? '', /^connection_failed: /);
  const attempts = await attemptsOf(client, endpoint.id);
  assert.ok(attempts.length >= 2);
  assert.ok(
    attempts.every(
      (attempt) => attempt.status_code === null && /^connection_failed: .*ECONNREFUSED/.test(attempt.error ?? ''),
    ),
  );
});

test('a receiver that does not answer in time counts as a failed attempt; the retry then succeeds', async (t) => {
  const server = await startWebhookServer();
  const receiver = await startReceiver(() => {}); // never answers
  t.after(async () => {
    await server.close();
    await receiver.close();
  });
  const client = nativeClient(server.baseUrl, (await server.createTenant()).apiKey);
  const endpoint = await registerNative(client, receiver.url, ['signature_request.cancelled']);
  const request = await client.createRequest();
  await client.request('POST', `/v1/signature-requests/${request.id}/cancel`, { notify: 'none' });
  const [delivery] = await deliveryRows(server);

  const afterTimeout = await untilOutcomes(server, delivery!.id, 1); // the native timeout is 10 s
  assert.equal(afterTimeout.status, 'pending');
  const [timedOut] = await attemptsOf(client, endpoint.id);
  assert.equal(timedOut!.status_code, null);
  assert.match(timedOut!.error ?? '', /^timeout: /);
  assert.ok(timedOut!.duration_ms >= 9_000);

  receiver.respondWith(answer(204));
  makeDue(server, afterTimeout);
  assert.equal((await untilOutcomes(server, delivery!.id, 2)).status, 'done');
  assert.equal(receiver.received.length, 2);
  assert.equal(receiver.received[0]!.headers['webhook-id'], receiver.received[1]!.headers['webhook-id']);
  const [succeeded] = await attemptsOf(client, endpoint.id);
  assert.deepEqual([succeeded!.attempt, succeeded!.status_code], [2, 204]);
});

test('redirects are not followed: a 3xx is a failed attempt', async (t) => {
  const server = await startWebhookServer();
  const elsewhere = await startReceiver();
  const receiver = await startReceiver(
    (_request, reply) => void reply.writeHead(307, { location: elsewhere.url }).end(),
  );
  t.after(async () => {
    await server.close();
    await Promise.all([receiver.close(), elsewhere.close()]);
  });
  const client = nativeClient(server.baseUrl, (await server.createTenant()).apiKey);
  const endpoint = await registerNative(client, receiver.url, ['signature_request.cancelled']);
  const request = await client.createRequest();
  await client.request('POST', `/v1/signature-requests/${request.id}/cancel`, { notify: 'none' });
  const [delivery] = await deliveryRows(server);
  const row = await untilOutcomes(server, delivery!.id, 1);
  assert.equal(row.status, 'pending', 'a redirect is retried like any failure');
  assert.match(row.last_error ?? '', /^redirect: /);
  assert.equal(receiver.received.length, 1);
  assert.equal(elsewhere.received.length, 0);
  const [attempt] = await attemptsOf(client, endpoint.id);
  assert.equal(attempt!.status_code, 307);
  assert.match(attempt!.error ?? '', /redirect not followed/);
  assert.equal(outboxRow(server, delivery!.id).attempts, 1);
});

test('the fan-out names its rows after (event, endpoint): running it again adds nothing', async (t) => {
  const { server, receiver } = await serverWithReceiver(t);
  const client = nativeClient(server.baseUrl, (await server.createTenant()).apiKey);
  await registerNative(client, receiver.url, ['signature_request.cancelled']);
  await registerNative(client, `${receiver.url}/second`, ['signature_request.cancelled']);
  const request = await client.createRequest();
  await client.request('POST', `/v1/signature-requests/${request.id}/cancel`, { notify: 'none' });
  await receiver.waitFor(2);
  await server.app.delivery.worker.drainOnce();
  const before = outboxRowsOf(server, 'webhook.delivery');
  assert.equal(before.length, 2);

  // Replay the fan-out row itself (as a lease expiry after a crash would): same ids, nothing new.
  const fanOut = outboxRowsOf(server, 'event').find(
    (row) => JSON.parse(row.payload).type === 'signature_request.cancelled',
  )!;
  server.db.prepare("UPDATE outbox SET status = 'pending', attempts = 0 WHERE id = ?").run(fanOut.id);
  server.app.delivery.worker.wake();
  await untilOutcomes(server, fanOut.id, 1);
  await server.app.delivery.worker.drainOnce();
  assert.deepEqual(
    outboxRowsOf(server, 'webhook.delivery').map((row) => row.id),
    before.map((row) => row.id),
  );
  assert.equal(receiver.received.length, 2);
});

test('a refused cancel is a signature_request.cancel_failed webhook carrying the refusal code', async (t) => {
  const { server, receiver } = await serverWithReceiver(t);
  const client = nativeClient(server.baseUrl, (await server.createTenant()).apiKey);
  const endpoint = await registerNative(client, receiver.url, ['signature_request.cancel_failed']);
  const request = await client.createRequest();
  assert.equal(
    (await client.request('POST', `/v1/signature-requests/${request.id}/cancel`, { notify: 'none' })).status,
    200,
  );
  assert.equal(
    (await client.request('POST', `/v1/signature-requests/${request.id}/cancel`, { notify: 'none' })).status,
    409,
  );
  const [delivered] = await receiver.waitFor(1);
  const body = new Webhook(endpoint.secret).verify(delivered!.body, standardHeaders(delivered!)) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  assert.equal(body.type, 'signature_request.cancel_failed');
  assert.equal(body.id, await auditEventId(client, request.id, 'request.cancel_refused'));
  assert.equal(body.data.code, 'already_cancelled');
  assert.equal(body.data.status, 'cancelled');
  assert.equal(body.data.signature_request.status, 'cancelled');
});

test('a tenant without a live endpoint leaves no event rows; an endpoint hears the events committed after its registration', async (t) => {
  const { server, receiver } = await serverWithReceiver(t);
  const tenant = await server.createTenant();
  const client = nativeClient(server.baseUrl, tenant.apiKey);
  const eventRows = () =>
    server.db
      .prepare("SELECT payload FROM outbox WHERE topic = 'event' AND tenant_id = ?")
      .pluck()
      .all(tenant.tenantId)
      .map((payload) => JSON.parse(payload as string) as { type: string; request_id: string });

  const before = await client.createRequest({ title: 'Before any endpoint' });
  assert.equal(
    (await client.request('POST', `/v1/signature-requests/${before.id}/cancel`, { notify: 'none' })).status,
    200,
  );
  const batch = [await client.createRequest(), await client.createRequest()];
  assert.equal(
    (
      await client.request('POST', '/v1/signature-requests/cancel', {
        ids: batch.map((request) => request.id),
        notify: 'none',
      })
    ).status,
    200,
  );
  assert.equal(
    (await client.request('POST', `/v1/signature-requests/${before.id}/cancel`, { notify: 'none' })).status,
    409,
    'a refusal',
  );
  assert.deepEqual(eventRows(), [], 'created, cancelled (single and batch) and cancel_failed: nobody to tell, no row');
  // The side effects that are not webhooks are still queued.
  assert.ok(outboxRowsOf(server, 'document.void_copy').length >= 3);

  const endpoint = await registerNative(client, receiver.url, ['*']);
  const after = await client.createRequest({ title: 'After' });
  assert.equal(
    (await client.request('POST', `/v1/signature-requests/${after.id}/cancel`, { notify: 'none' })).status,
    200,
  );
  assert.deepEqual(
    eventRows().map((event) => [event.type, event.request_id]),
    [
      ['signature_request.created', after.id],
      ['signature_request.cancelled', after.id],
    ],
  );
  await receiver.waitFor(2);
  await server.app.delivery.worker.drainOnce();
  assert.deepEqual(
    receiver.received
      .map((received) => {
        const body = JSON.parse(received.body) as { type: string; data: { signature_request: { id: string } } };
        return [body.type, body.data.signature_request.id];
      })
      .sort(),
    [
      ['signature_request.cancelled', after.id],
      ['signature_request.created', after.id],
    ],
  );

  // Disabled again: quiet again.
  assert.equal((await client.request('DELETE', `/v1/webhooks/${endpoint.id}`)).status, 200);
  const last = await client.createRequest();
  assert.equal(
    (await client.request('POST', `/v1/signature-requests/${last.id}/cancel`, { notify: 'none' })).status,
    200,
  );
  assert.equal(eventRows().filter((event) => event.request_id === last.id).length, 0);
});
