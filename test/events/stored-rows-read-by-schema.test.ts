/**
 * The delivery side reads what it claims with the shared schemas (src/core/events): a row or an
 * audit event that does not read as its kind is a dead letter naming the field, never a crash and
 * never a delivery built from guesses; rows in the shapes an earlier version queued still deliver.
 * Real server, real HTTP; rows are queued or damaged in the database the server uses, as a crash,
 * an upgrade or a hand edit would leave them.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OutboxMessage } from '../../src/core/ports.js';
import { drain } from '../delivery/support/flows.js';
import { startTestServer, type TestServer } from '../support/harness.js';
import { nativeClient } from '../support/native.js';
import { startReceiver } from '../webhooks/receiver.js';
import { registerNative } from '../webhooks/support.js';

/** Queues a row as it is, whatever its payload: what an earlier version or a damaged database holds. */
async function queueAsIs(server: TestServer, tenantId: string, id: string, topic: string, payload: object) {
  const now = server.clock.now();
  const row = { id, tenantId, topic, payload, availableAt: now, createdAt: now };
  await server.app.deps.store.transaction((tx) => tx.outbox.enqueue(row as OutboxMessage));
}

async function deadLetters(server: TestServer, apiKey: string): Promise<Map<string, string>> {
  const listed = await nativeClient(server.baseUrl, apiKey).request('GET', '/v1/admin/outbox?status=dead&limit=100');
  assert.equal(listed.status, 200, JSON.stringify(listed.body));
  return new Map((listed.body.data as { id: string; last_error: string }[]).map((row) => [row.id, row.last_error]));
}

test('an outbox row that does not read as its topic is a dead letter naming the field', async (t) => {
  const server = await startTestServer();
  t.after(() => server.close());
  const tenant = await server.createTenant();
  const unreadable: [id: string, topic: string, payload: object, error: RegExp][] = [
    [
      'obx_bad_event',
      'event',
      { event_id: 'evt_1', type: 'signature_request.signed', request_id: 'sr_1' },
      /^Unreadable event payload: signer_id: /,
    ],
    [
      'obx_bad_delivery',
      'webhook.delivery',
      {
        endpoint_id: 'whe_1',
        event_id: 'evt_1',
        type: 'signature_request.cancel_failed',
        request_id: 'sr_1',
        event: { event_id: 'evt_1', type: 'signature_request.cancel_failed', request_id: 'sr_1' },
      },
      /^Unreadable webhook\.delivery payload: event\.code: /,
    ],
    [
      'obx_bad_email',
      'email',
      { template: 'signature_requested', request_id: 'sr_1', signer_id: 'sgr_1', title: 'T', expires_at: 1 },
      /^Unreadable email payload: to: /,
    ],
    ['obx_bad_purge', 'document.purge', { request_id: 'sr_1' }, /^Unreadable document\.purge payload: document_id: /],
    [
      'obx_bad_resolve',
      'cancellation.resolve',
      { request_id: 'sr_1', pending_cancellation_id: 7 },
      /^Unreadable cancellation\.resolve payload: pending_cancellation_id: /,
    ],
  ];
  for (const [id, topic, payload] of unreadable) await queueAsIs(server, tenant.tenantId, id, topic, payload);
  await drain(server);
  const dead = await deadLetters(server, tenant.apiKey);
  for (const [id, topic, , error] of unreadable) assert.match(dead.get(id) ?? 'not dead', error, topic);
});

test('a webhook whose audit event does not read as its type is a dead letter, and nothing is sent', async (t) => {
  const server = await startTestServer({ allowPrivateWebhookTargets: true });
  const receiver = await startReceiver();
  t.after(async () => {
    await server.close();
    await receiver.close();
  });
  const tenant = await server.createTenant();
  const client = nativeClient(server.baseUrl, tenant.apiKey);
  await registerNative(client, receiver.url, ['signature_request.created']);
  const created = await client.createRequest();
  const db = server.db;
  db.prepare("UPDATE audit_events SET data = '{\"title\":7}' WHERE request_id = ? AND type = 'request.created'").run(
    created.id,
  );
  await drain(server);
  const [delivery] = db.prepare("SELECT id FROM outbox WHERE topic = 'webhook.delivery'").all() as { id: string }[];
  assert.ok(delivery, 'the fan-out queued the delivery');
  assert.match(
    (await deadLetters(server, tenant.apiKey)).get(delivery.id) ?? 'not dead',
    /^audit event evt_\w+ cannot be read: data\.title: /,
  );
  assert.equal(receiver.received.length, 0);
});

test('rows queued by an earlier version (a mail naming `actor`, a VOID copy with `actor`) still deliver', async (t) => {
  const server = await startTestServer();
  t.after(() => server.close());
  const tenant = await server.createTenant('Acme Homes');
  const client = nativeClient(server.baseUrl, tenant.apiKey);
  const created = await client.createRequest();
  const cancelled = await client.request('POST', `/v1/signature-requests/${created.id}/cancel`, { notify: 'all' });
  assert.equal(cancelled.status, 200);
  // The rows as they were queued before ADR 6: `actor` (a key's label) instead of `cancelled_by`.
  const db = server.db;
  const rows = db.prepare('SELECT id, topic, payload FROM outbox WHERE tenant_id = ?').all(tenant.tenantId) as {
    id: string;
    topic: string;
    payload: string;
  }[];
  for (const row of rows.filter(
    (candidate) => candidate.topic === 'email' || candidate.topic === 'document.void_copy',
  )) {
    const { cancelled_by: _named, ...rest } = JSON.parse(row.payload) as Record<string, unknown>;
    const earlier = { ...rest, actor: 'Ops key (Primary)' };
    db.prepare('UPDATE outbox SET payload = ? WHERE id = ?').run(JSON.stringify(earlier), row.id);
  }
  await drain(server);
  assert.deepEqual(await deadLetters(server, tenant.apiKey), new Map());
  const mails = await client.request('GET', `/v1/mails?request_id=${created.id}`);
  const mail = (mails.body.data as { template: string; text: string }[]).find(
    (candidate) => candidate.template === 'request_cancelled',
  );
  assert.ok(mail, 'the cancellation mail was sent');
  assert.ok(!mail.text.includes('Ops key'), mail.text);
  assert.match(mail.text, /cancelled by Acme Homes on /, 'it names the tenant');
  const stamped = await client.request('GET', `/v1/signature-requests/${created.id}/document?variant=void`);
  assert.equal(stamped.status, 200);
});
