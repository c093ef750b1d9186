import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { WebhookEndpointRecord } from '../../src/core/ports.js';
import { listRequestEvents } from '../../src/core/use-cases/read-audit-trail.js';
import { getSignatureRequest } from '../../src/core/use-cases/read-signature-requests.js';
import { verifyLuminSignature } from '../../src/delivery/webhook-signatures.js';
import { luminSurface } from '../../src/providers/lumin/index.js';
import { luminWebhookHeaders } from '../../src/providers/lumin/webhook.js';
import type { WebhookRenderInput } from '../../src/delivery/webhook-renderer.js';
import { sendRequest, startLuminWorld, type LuminTenant, type LuminWorld } from './lumin-helpers.js';
import { recordedEvent } from '../support/recorded-event.js';

const samples = JSON.parse(readFileSync(new URL('../fixtures/lumin.samples.json', import.meta.url), 'utf8'));

let world: LuminWorld;
let tenant: LuminTenant;
before(async () => {
  world = await startLuminWorld();
  tenant = await world.tenant();
});
after(async () => world.server.close());

test("the signing code path reproduces Lumin's documented X-Signature test vector", () => {
  const vector = samples.webhook_hmac_test_vector;
  const headers = luminWebhookHeaders(vector.raw_body, vector.key);
  assert.equal(headers['X-Signature'], vector.expected_hex);
  assert.equal(headers['User-Agent'], vector.user_agent);
  assert.equal(headers['Content-Type'], 'application/json');
});

async function render(requestId: string, eventType: string, data: Record<string, unknown> = {}) {
  const { deps, surfaceContext } = world.server.app;
  const request = await getSignatureRequest(deps, tenant.tenantId, requestId);
  const tenantRecord = await deps.store.read((tx) => tx.tenants.get(tenant.tenantId));
  const endpoint: WebhookEndpointRecord = {
    id: 'whe_test',
    tenantId: tenant.tenantId,
    format: 'lumin',
    url: 'https://receiver.example/lumin',
    events: ['*'],
    sealedSecret: null,
    sealedHeader: null,
    description: null,
    externalId: null,
    createdAt: deps.clock.now(),
    disabledAt: null,
  };
  const input: WebhookRenderInput = {
    eventId: 'evt_test',
    eventType,
    occurredAt: deps.clock.now(),
    event: recordedEvent((await listRequestEvents(deps, tenant.tenantId, requestId)).at(-1)!),
    request,
    tenant: tenantRecord!,
    endpoint,
    secret: null,
    header: null,
    data,
  };
  return luminSurface.webhookRenderer!(surfaceContext).render(input);
}

test("a cancel renders as signature_request_canceled, signed with the tenant's Primary API key", async () => {
  const id = await sendRequest(world, tenant);
  assert.equal((await tenant.lumin('PUT', `/signature_request/cancel/${id}`)).status, 200);
  const rendered = await render(id, 'signature_request.cancelled');
  assert.ok(rendered);
  assert.equal(rendered.headers['User-Agent'], 'Lumin Sign API');
  assert.equal(rendered.headers['Content-Type'], 'application/json');
  assert.match(rendered.headers['X-Signature']!, /^[0-9a-f]{64}$/);
  assert.ok(
    verifyLuminSignature(rendered.body, tenant.apiKey, rendered.headers['X-Signature']!),
    'verifiable with the key shown at tenant creation',
  );
  assert.ok(!verifyLuminSignature(rendered.body, 'another key', rendered.headers['X-Signature']!));

  const payload = JSON.parse(rendered.body);
  assert.deepEqual(Object.keys(payload), ['event', 'signature_request', 'details_url']);
  assert.equal(payload.event.event_type, 'signature_request_canceled');
  assert.equal(payload.event.event_time, world.server.clock.now());
  assert.deepEqual(payload.event.event_metadata, { workspace_id: tenant.tenantId });
  assert.equal(payload.signature_request.signature_request_id, id);
  assert.equal(payload.signature_request.status, 'CANCELLED');
  assert.deepEqual(payload.signature_request.signers, [
    { name: 'John Doe', email: 'john.doe@example.com', status: 'NEED_TO_SIGN', is_approved: false },
  ]);
  assert.equal(typeof payload.details_url, 'string');
});

test('a refused cancel renders as signature_request_cancel_failed with the refusal', async () => {
  const id = await sendRequest(world, tenant);
  assert.equal((await tenant.lumin('PUT', `/signature_request/cancel/${id}`)).status, 200);
  const refused = await tenant.lumin('PUT', `/signature_request/cancel/${id}`);
  const rendered = await render(id, 'signature_request.cancel_failed', { code: 'already_cancelled' });
  const payload = JSON.parse(rendered!.body);
  assert.equal(payload.event.event_type, 'signature_request_cancel_failed');
  assert.equal(payload.event.event_metadata.error_code, refused.body.error_code);
  assert.equal(payload.signature_request.reason, refused.body.error_message);
});

test("native event types map to Lumin's names; events Lumin lacks render nothing", async () => {
  const id = await sendRequest(world, tenant);
  const expected: Record<string, string | null> = {
    'signature_request.created': 'signature_request_created',
    'signature_request.viewed': 'signature_request_viewed',
    'signature_request.signed': 'signature_request_signed',
    'signature_request.completed': 'signature_request_approved',
    'signature_request.declined': 'signature_request_declined',
    'signature_request.expiry_updated': 'signature_request_due_date_updated',
    'signature_request.expired': null,
  };
  for (const [native, lumin] of Object.entries(expected)) {
    const rendered = await render(id, native);
    if (lumin === null) assert.equal(rendered, null, native);
    else assert.equal(JSON.parse(rendered!.body).event.event_type, lumin, native);
    if (lumin !== null) assert.ok(samples.webhook_event_types.includes(lumin), `${lumin} is a documented Lumin event`);
  }
});
