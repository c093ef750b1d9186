/**
 * Provider-format webhooks end to end: the surface renders, the worker delivers, and the receiver
 * checks each provider's authentication with its own independent code.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { call, type TestServer } from '../support/harness.js';
import { nativeClient, type NativeClient } from '../support/native.js';
import { answer, type ReceivedWebhook } from './receiver.js';
import { deliveryRows, outboxRowsOf, serverWithReceiver, untilOutcomes } from './support.js';

async function cancelNatively(client: NativeClient): Promise<string> {
  const request = await client.createRequest({ title: 'Supply contract' });
  const cancelled = await client.request('POST', `/v1/signature-requests/${request.id}/cancel`, {
    message: 'Terms changed',
    notify: 'none',
  });
  assert.equal(cancelled.status, 200);
  return request.id;
}

function taktikal(
  server: TestServer,
  credentials: Readonly<Record<string, string>>,
  method: string,
  path: string,
  body?: unknown,
) {
  const authorization = `Basic ${Buffer.from(`${credentials.company_key}:${credentials.api_key}`).toString('base64')}`;
  return call(server.baseUrl, method, `/taktikal/api${path}`, {
    ...(body === undefined ? {} : { body }),
    headers: { authorization },
  });
}

/** Taktikal writes TimeStamp as an 18-digit JSON number, beyond what JSON.parse keeps exactly: read the digits. */
function taktikalSignature(received: ReceivedWebhook) {
  const body = JSON.parse(received.body) as {
    EventData: { EventType: number; ProcessKey: string };
    EventSignature: { Guid: string; Signature: string; SignedData: string };
  };
  const timeStamp = /"TimeStamp":(\d{18,19})/.exec(received.body)?.[1];
  assert.ok(timeStamp);
  return { ...body, timeStamp };
}

test('Taktikal format: a cancellation arrives as EventType 5 with a verifiable EventSignature', async (t) => {
  const { server, receiver } = await serverWithReceiver(t);
  const tenant = await server.createTenant();
  const registered = await taktikal(server, tenant.surfaces.taktikal!, 'POST', '/webhook', { Url: receiver.url });
  assert.equal(registered.status, 200, JSON.stringify(registered.body));
  const key = registered.body.webhookSignatureKey as string;
  const requestId = await cancelNatively(nativeClient(server.baseUrl, tenant.apiKey));

  await receiver.waitFor(2); // Created (11), then Canceled (5)
  const events = receiver.received.map(taktikalSignature);
  assert.deepEqual(events.map((event) => event.EventData.EventType).sort(), [11, 5].sort());
  for (const event of events) {
    assert.equal(event.EventSignature.SignedData, `${event.timeStamp}${event.EventSignature.Guid}`);
    const expected = createHmac('sha256', key).update(event.EventSignature.SignedData, 'utf8').digest('base64');
    assert.equal(event.EventSignature.Signature, expected);
    assert.notEqual(
      createHmac('sha256', 'another key').update(event.EventSignature.SignedData).digest('base64'),
      event.EventSignature.Signature,
    );
  }
  const canceled = events.find((event) => event.EventData.EventType === 5)!;
  assert.equal(
    canceled.EventData.ProcessKey,
    requestId,
    'a request made outside Taktikal keeps its own id as ProcessKey',
  );
});

test('Taktikal format: a 406 from the receiver stops the retries at once', async (t) => {
  const { server, receiver } = await serverWithReceiver(t, answer(406, 'not acceptable'));
  const tenant = await server.createTenant();
  const registered = await taktikal(server, tenant.surfaces.taktikal!, 'POST', '/webhook', { Url: receiver.url });
  assert.equal(registered.status, 200);
  await nativeClient(server.baseUrl, tenant.apiKey).createRequest();
  const [delivery] = await deliveryRows(server);
  const row = await untilOutcomes(server, delivery!.id, 1);
  assert.equal(row.status, 'dead');
  assert.equal(row.attempts, 1);
  assert.match(row.last_error ?? '', /receiver answered 406 \(stopped_by_receiver\)/);
  server.clock.advance(86_400_000);
  await server.app.delivery.worker.drainOnce();
  assert.equal(receiver.received.length, 1, 'no retry after the 406');

  // The same answer from a native endpoint is an ordinary failure, retried.
  const client = nativeClient(server.baseUrl, tenant.apiKey);
  const native = await client.request('POST', '/v1/webhooks', {
    url: receiver.url,
    events: ['signature_request.created'],
  });
  await client.createRequest();
  await receiver.waitFor(2);
  const nativeRow = outboxRowsOf(server, 'webhook.delivery').find(
    (candidate) => JSON.parse(candidate.payload).endpoint_id === native.body.id,
  )!;
  assert.equal((await untilOutcomes(server, nativeRow.id, 1)).status, 'pending');
});

test("Lumin format: X-Signature is the hex HMAC of the body under the tenant's Lumin API key", async (t) => {
  const { server, receiver } = await serverWithReceiver(t);
  const tenant = await server.createTenant();
  const apiKey = tenant.surfaces.lumin!.api_key!;
  // Lumin sets its callback in a dashboard; Countersign's admin API stands in for it.
  const admin = nativeClient(server.baseUrl, tenant.apiKey);
  assert.equal(
    (await admin.request('PUT', '/v1/admin/lumin/callback', { url: 'ftp://example.com/hook' })).status,
    400,
    'http(s) only',
  );
  const set = await admin.request('PUT', '/v1/admin/lumin/callback', { url: receiver.url });
  assert.equal(set.status, 200, JSON.stringify(set.body));
  assert.equal((await admin.request('GET', '/v1/admin/lumin/callback')).body.url, set.body.url);
  const requestId = await cancelNatively(admin);

  await receiver.waitFor(2); // signature_request_created, signature_request_canceled
  for (const received of receiver.received) {
    assert.equal(
      received.headers['x-signature'],
      createHmac('sha256', apiKey).update(received.body, 'utf8').digest('hex'),
    );
    assert.equal(received.headers['user-agent'], 'Lumin Sign API');
  }
  const canceled = receiver.received
    .map((received) => JSON.parse(received.body))
    .find((body) => body.event.event_type === 'signature_request_canceled');
  assert.ok(canceled);
  assert.equal(canceled.signature_request.signature_request_id, requestId);
  assert.equal(canceled.signature_request.status, 'CANCELLED');
});

test("Auco format: the cancellation arrives as REJECTED with the company's custom header", async (t) => {
  const { server, receiver } = await serverWithReceiver(t);
  const tenant = await server.createTenant();
  const put = await call(server.baseUrl, 'PUT', '/auco/v1.5/ext/company', {
    headers: { authorization: tenant.surfaces.auco!.private_key! },
    body: {
      webhooks: [
        {
          id: 'default',
          description: 'Main',
          url: receiver.url,
          header: { key: 'X-Auco-Token', value: 'receiver-secret-123' },
        },
      ],
    },
  });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  await cancelNatively(nativeClient(server.baseUrl, tenant.apiKey));

  await receiver.waitFor(2); // CREATE, REJECTED
  assert.ok(receiver.received.every((received) => received.headers['x-auco-token'] === 'receiver-secret-123'));
  const rejected = receiver.received
    .map((received) => JSON.parse(received.body))
    .find((body) => body.status === 'REJECTED');
  assert.ok(rejected);
  assert.equal(rejected.message, 'Terms changed');
  assert.equal(rejected.name, 'Supply contract');
});
