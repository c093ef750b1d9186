/**
 * Writers and readers of events agree (issue 10, item 5). A full lifecycle over HTTP (create, view,
 * start, sign, complete, refuse, defer, withdraw, carry out a deferred cancel, purge with and
 * without the owner's copy, VOID copy, decline, move a deadline, expire, webhooks of two formats,
 * credentials), then every outbox row and audit event it left is read back with the schemas of
 * src/core/events: each must parse, and parse to exactly what was written (no field the schema
 * does not know, none it would fill in). Every topic and every audit type must occur, so a new
 * one cannot go unchecked.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readAuditEvent, auditEventBody, AUDIT_EVENT_TYPES } from '../../src/core/events/audit-events.js';
import { outboxBody, OUTBOX_TOPICS } from '../../src/core/events/outbox-topics.js';
import { webhookEventOf } from '../../src/core/events/webhook-events.js';
import { auco } from '../auco/auco-helpers.js';
import { drain, signThroughLink } from '../delivery/support/flows.js';
import { call, startTestServer } from '../support/harness.js';
import { nativeClient, signingPath, type NativeClient } from '../support/native.js';
import { startReceiver } from '../webhooks/receiver.js';
import { registerNative } from '../webhooks/support.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

interface StoredRow {
  readonly id: string;
  readonly topic: string;
  readonly payload: string;
}

async function start(baseUrl: string, signingUrl: string): Promise<void> {
  assert.equal((await call(baseUrl, 'POST', `${signingPath(signingUrl)}/start`)).status, 200);
}

async function cancel(client: NativeClient, id: string, body: Record<string, unknown>, status: number) {
  const answer = await client.request('POST', `/v1/signature-requests/${id}/cancel`, body);
  assert.equal(answer.status, status, JSON.stringify(answer.body));
  return answer.body;
}

test('every outbox row and audit event of a full lifecycle reads back with its schema, exactly as written', async (t) => {
  const server = await startTestServer({ allowPrivateWebhookTargets: true });
  const receiver = await startReceiver();
  t.after(async () => {
    await server.close();
    await receiver.close();
  });
  const tenant = await server.createTenant();
  const client = nativeClient(server.baseUrl, tenant.apiKey);
  const { baseUrl, clock } = server;

  // Webhooks of two formats (event and webhook.delivery rows; webhooks.replaced), a key issued and revoked.
  await registerNative(client, receiver.url);
  const hook = { id: 'default', url: `${receiver.url}/auco`, header: { key: 'X-Auco-Token', value: 'secret-1' } };
  assert.equal(
    (await auco(server, 'PUT', '/company', tenant.surfaces.auco!.private_key, { webhooks: [hook] })).status,
    200,
  );
  const key = await client.request('POST', '/v1/api-keys', { scopes: ['read'], label: 'reader' });
  assert.equal(key.status, 201, JSON.stringify(key.body));
  assert.equal((await client.request('DELETE', `/v1/api-keys/${key.body.id}`)).status, 200);

  // Two signers in turn: notified, viewed, session started, signed, the next one notified, completed; then a refused cancel.
  const completed = await client.createRequest({
    signers: [
      { name: 'Ann', email: 'ann@example.com', order: 1 },
      { name: 'Bob', email: 'bob@example.com', order: 2 },
    ],
    ownerEmail: 'owner@example.com',
  });
  await signThroughLink(baseUrl, completed.signers[0].signing_url);
  await signThroughLink(baseUrl, completed.signers[1].signing_url);
  await cancel(client, completed.id, {}, 409);

  // A deferred cancel withdrawn, and one carried out when the session ends (cancelled, mailed, VOID copy).
  const withdrawn = await client.createRequest();
  await start(baseUrl, withdrawn.signers[0].signing_url);
  await cancel(client, withdrawn.id, { on_active_session: 'defer' }, 202);
  assert.equal(
    (await client.request('DELETE', `/v1/signature-requests/${withdrawn.id}/pending-cancellation`)).status,
    200,
  );
  const deferred = await client.createRequest();
  await start(baseUrl, deferred.signers[0].signing_url);
  await cancel(
    client,
    deferred.id,
    { on_active_session: 'defer', notify: 'all', reason: 'late', message: 'Sorry' },
    202,
  );
  clock.advance(31 * MINUTE);
  await drain(server);
  assert.equal((await client.request('GET', `/v1/signature-requests/${deferred.id}`)).body.status, 'cancelled');

  // Purged at once after the owner's copy (a signer had signed), and purged a day later.
  const ownerCopy = await client.createRequest({
    signers: [
      { name: 'Cy', email: 'cy@example.com' },
      { name: 'Di', email: 'di@example.com' },
    ],
    ownerEmail: 'owner@example.com',
  });
  await signThroughLink(baseUrl, ownerCopy.signers[0].signing_url);
  await cancel(client, ownerCopy.id, { retention: 'purge', notify: 'pending' }, 200);
  const purgedLater = await client.createRequest();
  await cancel(client, purgedLater.id, { retention: { mode: 'purge_after', days: 1 } }, 200);

  // Declined; a deadline moved (through Lumin) and then passed.
  const declined = await client.createRequest();
  const decline = await call(baseUrl, 'POST', `${signingPath(declined.signers[0].signing_url)}/decline`, {
    body: { reason: 'Not our terms' },
  });
  assert.equal(decline.status, 200);
  const expiring = await client.createRequest({ expiresAt: new Date(clock.now() + DAY).toISOString() });
  const moved = await call(baseUrl, 'PATCH', `/lumin/v1/signature_request/${expiring.id}`, {
    body: { expires_at: clock.now() + DAY + 10 * MINUTE },
    headers: { 'x-api-key': tenant.surfaces.lumin!.api_key! },
  });
  assert.equal(moved.status, 200, JSON.stringify(moved.body));
  clock.advance(DAY + 20 * MINUTE);
  await call(baseUrl, 'POST', `${signingPath(expiring.signers[0].signing_url)}/viewed`);
  await drain(server);
  assert.ok(receiver.received.length > 0, 'webhooks were delivered');

  // Every outbox row the run left reads back as written.
  const rows = server.db
    .prepare('SELECT id, topic, payload FROM outbox WHERE tenant_id = ? ORDER BY id')
    .all(tenant.tenantId) as StoredRow[];
  const topics = new Set<string>();
  for (const row of rows) {
    const written = { topic: row.topic, payload: JSON.parse(row.payload) as unknown };
    const read = outboxBody.safeParse(written);
    assert.ok(read.success, `${row.topic} row ${row.id} ${row.payload}: ${read.error?.message}`);
    assert.deepEqual(read.data, written, `${row.topic} row ${row.id} reads back exactly as written`);
    topics.add(row.topic);
  }
  assert.deepEqual([...topics].sort(), [...OUTBOX_TOPICS].sort(), 'the run wrote every topic');

  // Every audit event, as the API shows it, reads back as written.
  const listed = await client.request('GET', '/v1/audit/events?limit=1000');
  assert.equal(listed.status, 200);
  const types = new Set<string>();
  for (const event of listed.body.data as { id: string; type: string; data: unknown }[]) {
    const written = { type: event.type, data: event.data };
    const read = auditEventBody.safeParse(written);
    assert.ok(read.success, `${event.type} ${event.id} ${JSON.stringify(event.data)}: ${read.error?.message}`);
    assert.deepEqual(read.data, written, `${event.type} ${event.id} reads back exactly as written`);
    types.add(event.type);
  }
  assert.deepEqual([...types].sort(), [...AUDIT_EVENT_TYPES].sort(), 'the run wrote every audit event type');
  assert.deepEqual((await client.request('GET', '/v1/audit/verify')).body.ok, true);

  // Each 'event' row is what its audit event says it is (a replay rebuilds it that way), and each
  // delivery carries its event row's payload.
  const stored = await server.app.deps.store.read((tx) => tx.audit.page(tenant.tenantId, 0, 1000));
  const byId = new Map(stored.map((event) => [event.id, event]));
  const eventRows = new Map<string, unknown>();
  for (const row of rows.filter((candidate) => candidate.topic === 'event')) {
    const payload = JSON.parse(row.payload) as { event_id: string };
    const recorded = readAuditEvent(byId.get(payload.event_id)!);
    assert.ok('value' in recorded, `audit event ${payload.event_id}`);
    assert.deepEqual(payload, webhookEventOf(recorded.value), `the event row of ${recorded.value.type}`);
    eventRows.set(payload.event_id, payload);
  }
  for (const row of rows.filter((candidate) => candidate.topic === 'webhook.delivery')) {
    const payload = JSON.parse(row.payload) as { event_id: string; event: unknown };
    assert.deepEqual(payload.event, eventRows.get(payload.event_id), `delivery ${row.id}`);
  }
});
