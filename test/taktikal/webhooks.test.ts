/** Webhook registration through the surface, and the Taktikal webhook format with its EventSignature. */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { WebhookEndpointRecord } from '../../src/core/ports.js';
import { listRequestEvents } from '../../src/core/use-cases/read-audit-trail.js';
import { getSignatureRequest } from '../../src/core/use-cases/read-signature-requests.js';
import { taktikalSurface } from '../../src/providers/taktikal/index.js';
import { startTestServer, type TestServer } from '../support/harness.js';
import { createProcess, createTaktikalTenant, signThroughLink, type TaktikalTenant } from './taktikal-client.js';
import { recordedEvent } from '../support/recorded-event.js';

let server: TestServer;
let tenant: TaktikalTenant;
before(async () => {
  server = await startTestServer();
  tenant = await createTaktikalTenant(server);
});
after(async () => server.close());

// A public address written as a literal, so that no DNS is needed.
const PUBLIC_URL = 'https://93.184.216.34/hooks/taktikal';

async function register(client = tenant.client, url = PUBLIC_URL) {
  return client.request('POST', '/webhook', { body: { Url: url, description: 'ERP' } });
}

async function endpointRecord(id: string): Promise<WebhookEndpointRecord> {
  const endpoint = await server.app.deps.store.read((tx) => tx.webhookEndpoints.get(tenant.tenantId, id));
  assert.ok(endpoint);
  return endpoint;
}

describe('webhook registration', () => {
  test('registers an endpoint, returns its signature key once and stores it sealed', async () => {
    const response = await register();
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.match(response.body.id, /^whe_/);
    assert.equal(response.body.url, PUBLIC_URL);
    assert.ok(response.body.webhookSignatureKey.length >= 40);
    const endpoint = await endpointRecord(response.body.id);
    assert.equal(endpoint.format, 'taktikal');
    assert.notEqual(endpoint.sealedSecret, response.body.webhookSignatureKey);
    assert.equal(
      server.app.surfaceContext.sealer.open(endpoint.sealedSecret!, endpoint.id),
      response.body.webhookSignatureKey,
    );
    const listed = await tenant.client.request('GET', '/webhook');
    const mine = listed.body.find((entry: { id: string }) => entry.id === response.body.id);
    assert.equal(mine.url, PUBLIC_URL);
    assert.equal(mine.webhookSignatureKey, undefined, 'the key is shown only once');
  });

  test('refuses non-http(s) URLs and private or loopback addresses', async () => {
    for (const url of [
      'ftp://93.184.216.34/x',
      'not a url',
      'http://127.0.0.1:8080/hook',
      'http://10.1.2.3/hook',
      'http://169.254.169.254/latest',
      'https://user:pw@93.184.216.34/x',
    ]) {
      const response = await register(tenant.client, url);
      assert.equal(response.status, 400, url);
      assert.equal(response.body.responseStatus.errors[0].fieldName, 'Url', url);
    }
  });

  test('loopback is allowed when the server config allows private webhook targets', async () => {
    const permissive = await startTestServer({ allowPrivateWebhookTargets: true });
    try {
      const own = await createTaktikalTenant(permissive);
      assert.equal((await register(own.client, 'http://127.0.0.1:8080/hook')).status, 200);
    } finally {
      await permissive.close();
    }
  });

  test("DELETE disables (by path or ?Id=); another tenant's id is not found", async () => {
    const first = (await register()).body;
    const second = (await register()).body;
    const other = await createTaktikalTenant(server, 'Other');
    assert.equal((await other.client.request('DELETE', `/webhook/${first.id}`)).status, 404);
    assert.equal((await tenant.client.request('DELETE', `/webhook/${first.id}`)).status, 204);
    assert.equal((await tenant.client.request('DELETE', `/webhook?Id=${second.id}`)).status, 204);
    assert.equal((await tenant.client.request('DELETE', `/webhook/${first.id}`)).status, 404);
    const ids = (await tenant.client.request('GET', '/webhook')).body.map((entry: { id: string }) => entry.id);
    assert.ok(!ids.includes(first.id) && !ids.includes(second.id));
  });
});

describe('rendering', () => {
  async function render(
    processKey: string,
    auditType: string,
    eventType: string,
    endpointId: string,
    key: string,
    data: Record<string, unknown> = {},
  ) {
    const { deps, surfaceContext } = server.app;
    const request = await getSignatureRequest(deps, tenant.tenantId, processKey);
    const events = await listRequestEvents(deps, tenant.tenantId, processKey);
    const event = events.filter((candidate) => candidate.type === auditType).at(-1);
    assert.ok(event, auditType);
    const tenantRecord = await deps.store.read((tx) => tx.tenants.get(tenant.tenantId));
    return taktikalSurface.webhookRenderer!(surfaceContext).render({
      eventId: event.id,
      eventType,
      occurredAt: event.createdAt,
      event: recordedEvent(event),
      request,
      tenant: tenantRecord!,
      endpoint: await endpointRecord(endpointId),
      secret: key,
      header: null,
      data: { ...event.data, event_id: event.id, type: eventType, request_id: request.id },
    });
  }

  test('a cancellation: EventType 5, no document, and an EventSignature that an independent HMAC verifies', async () => {
    const { id, webhookSignatureKey } = (await register()).body;
    const process = await createProcess(tenant.client, [
      { name: 'Ann', email: 'ann@example.com', ssn: '1234567890', communicationDeliveryType: 'email' },
    ]);
    assert.equal(
      (await tenant.client.request('DELETE', `/management/signing?ProcessKey=${process.key}&User=boss@example.com`))
        .status,
      204,
    );
    const rendered = await render(
      process.key,
      'request.cancelled',
      'signature_request.cancelled',
      id,
      webhookSignatureKey,
    );
    assert.ok(rendered);
    // TimeStamp is a bare 18-digit number on the wire (C# long), .NET ticks of the server clock.
    const ticks = /"TimeStamp":(\d{18}),/.exec(rendered.body)?.[1];
    assert.ok(ticks, rendered.body);
    assert.equal(BigInt(ticks), BigInt(server.clock.now()) * 10_000n + 621_355_968_000_000_000n);
    const payload = JSON.parse(rendered.body);
    assert.match(payload.Id, /^[0-9a-f]{32}$/);
    assert.equal(payload.EventData.EventType, 5);
    assert.equal(payload.EventData.ProcessKey, process.key);
    assert.equal(payload.EventData.CompanyKey, tenant.credentials.company_key);
    assert.equal(payload.EventData.FlowKey, '7e364abfaxx5');
    assert.deepEqual(payload.EventData.Meta, { myKey: 'myvalue' });
    assert.equal(payload.EventData.SignedDocument, undefined);
    assert.deepEqual(
      payload.EventData.Signees.map((signee: { Key: string; Ssn: string; Signed: boolean }) => [
        signee.Key,
        signee.Ssn,
        signee.Signed,
      ]),
      [[process.signees[0].key, '1234567890', false]],
    );
    const { Guid, SignedData, Signature } = payload.EventSignature;
    assert.equal(SignedData, `${ticks}${Guid}`);
    const expected = createHmac('sha256', Buffer.from(webhookSignatureKey, 'utf8'))
      .update(SignedData, 'utf8')
      .digest('base64');
    assert.equal(Signature, expected);
    const forged = createHmac('sha256', 'some other key').update(SignedData, 'utf8').digest('base64');
    assert.notEqual(Signature, forged);
    // Retries of one event to one endpoint carry the same Id.
    const again = await render(
      process.key,
      'request.cancelled',
      'signature_request.cancelled',
      id,
      webhookSignatureKey,
    );
    assert.equal(JSON.parse(again!.body).Id, payload.Id);
  });

  test('Created 11, SignedDocument 1, AllSigned 2 (with the document), Completed 10; no webhook for a view', async () => {
    const { id, webhookSignatureKey } = (await register()).body;
    const process = await createProcess(tenant.client, [
      { name: 'Ann', email: 'ann@example.com', communicationDeliveryType: 'email' },
      { name: 'Bob', email: 'bob@example.com', communicationDeliveryType: 'email' },
    ]);
    const eventTypeOf = async (auditType: string, eventType: string) => {
      const rendered = await render(process.key, auditType, eventType, id, webhookSignatureKey);
      return rendered && JSON.parse(rendered.body).EventData;
    };
    assert.equal((await eventTypeOf('request.created', 'signature_request.created')).EventType, 11);
    await signThroughLink(server, process.signees[0].url);
    assert.equal(await eventTypeOf('signer.viewed', 'signature_request.viewed'), null);
    const first = await render(process.key, 'signer.signed', 'signature_request.signed', id, webhookSignatureKey);
    assert.equal(JSON.parse(first!.body).EventData.EventType, 1);
    server.clock.advance(1000);
    await signThroughLink(server, process.signees[1].url);
    const last = await eventTypeOf('signer.signed', 'signature_request.signed');
    assert.equal(last.EventType, 2);
    assert.ok(Buffer.from(last.SignedDocument, 'base64').subarray(0, 5).toString() === '%PDF-');
    assert.equal((await eventTypeOf('request.completed', 'signature_request.completed')).EventType, 10);
  });
});
