import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { WebhookEndpointRecord } from '../../src/core/ports.js';
import { listRequestEvents } from '../../src/core/use-cases/read-audit-trail.js';
import { aucoSurface } from '../../src/providers/auco/index.js';
import { startTestServer, type TestServer } from '../support/harness.js';
import { auco, aucoTenant, declineAs, nativeView, signAs, upload, type AucoKeys } from './auco-helpers.js';
import { recordedEvent } from '../support/recorded-event.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => server.close());

// Public addresses written as IP literals: accepted without a DNS lookup (nothing is sent in these tests).
const DEFAULT_HOOK = {
  id: 'default',
  description: 'Main',
  url: 'https://93.184.216.34/auco/hook',
  header: { key: 'X-Auco-Token', value: 'receiver-secret-123' },
};
const SECOND_HOOK = { id: 'crm', description: 'CRM', url: 'https://93.184.216.35/crm' };

function liveEndpoints(tenantId: string): WebhookEndpointRecord[] {
  const rows = server.db
    .prepare(
      "SELECT id, external_id, url, sealed_header, disabled_at FROM webhook_endpoints WHERE tenant_id = ? AND format = 'auco'",
    )
    .all(tenantId) as {
    id: string;
    external_id: string;
    url: string;
    sealed_header: string | null;
    disabled_at: number | null;
  }[];
  return rows
    .filter((row) => row.disabled_at === null)
    .map((row) => ({
      id: row.id,
      tenantId,
      format: 'auco',
      url: row.url,
      events: ['*'],
      sealedSecret: null,
      sealedHeader: row.sealed_header,
      description: null,
      externalId: row.external_id,
      createdAt: 0,
      disabledAt: null,
    }));
}

test('PUT /company stores the webhook list, the header sealed; GET /company shows it without the header value', async () => {
  const keys = await aucoTenant(server);
  const put = await auco(server, 'PUT', '/company', keys.privateKey, { webhooks: [DEFAULT_HOOK, SECOND_HOOK] });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  const expected = {
    webhooks: [
      { id: 'default', description: 'Main', url: DEFAULT_HOOK.url, header: { key: 'X-Auco-Token' } },
      { id: 'crm', description: 'CRM', url: SECOND_HOOK.url },
    ],
    webhook: DEFAULT_HOOK.url,
  };
  assert.deepEqual(put.body, expected);
  assert.deepEqual((await auco(server, 'GET', '/company', keys.publicKey)).body, expected);
  const dump = JSON.stringify(
    server.db.prepare('SELECT * FROM webhook_endpoints WHERE tenant_id = ?').all(keys.tenantId),
  );
  assert.doesNotMatch(dump, /receiver-secret-123/);
  const [stored] = liveEndpoints(keys.tenantId);
  assert.deepEqual(
    JSON.parse(server.app.surfaceContext.sealer.open(stored!.sealedHeader!, stored!.id)),
    DEFAULT_HOOK.header,
  );
});

test('PUT /company replaces the list wholesale, reusing the id "default"; another tenant sees nothing', async () => {
  const keys = await aucoTenant(server);
  const other = await aucoTenant(server, 'Other');
  assert.equal(
    (await auco(server, 'PUT', '/company', keys.privateKey, { webhooks: [DEFAULT_HOOK, SECOND_HOOK] })).status,
    200,
  );
  const replaced = await auco(server, 'PUT', '/company', keys.privateKey, {
    webhooks: [{ id: 'default', url: 'https://93.184.216.36/new' }],
  });
  assert.equal(replaced.status, 200);
  assert.deepEqual((await auco(server, 'GET', '/company', keys.privateKey)).body.webhooks, [
    { id: 'default', description: null, url: 'https://93.184.216.36/new' },
  ]);
  assert.equal(liveEndpoints(keys.tenantId).length, 1);
  assert.deepEqual((await auco(server, 'GET', '/company', other.publicKey)).body, { webhooks: [], webhook: null });
});

test('PUT /company refuses a bad list with a 400 and keeps the old one', async () => {
  const keys = await aucoTenant(server);
  assert.equal((await auco(server, 'PUT', '/company', keys.privateKey, { webhooks: [DEFAULT_HOOK] })).status, 200);
  const cases: [string, unknown, RegExp][] = [
    ['first id not default', { webhooks: [SECOND_HOOK, DEFAULT_HOOK] }, /default/],
    ['duplicate ids', { webhooks: [DEFAULT_HOOK, { ...SECOND_HOOK, id: 'default' }] }, /unique/],
    ['empty list', { webhooks: [] }, /webhooks/],
    ['no list', {}, /webhooks/],
    ['loopback', { webhooks: [{ id: 'default', url: 'http://127.0.0.1:8080/hook' }] }, /blocked_address/],
    ['cloud metadata', { webhooks: [{ id: 'default', url: 'http://169.254.169.254/latest' }] }, /blocked_address/],
    ['private network', { webhooks: [{ id: 'default', url: 'http://[::ffff:10.0.0.1]/' }] }, /blocked_address/],
    ['not http', { webhooks: [{ id: 'default', url: 'file:///etc/passwd' }] }, /unsupported_scheme/],
    ['not a URL', { webhooks: [{ id: 'default', url: 'hook' }] }, /invalid_url/],
    [
      'credentials in the URL',
      { webhooks: [{ id: 'default', url: 'https://user:pw@93.184.216.34/' }] },
      /credentials in the URL/,
    ],
    ['bad header name', { webhooks: [{ ...DEFAULT_HOOK, header: { key: 'X Token', value: 'v' } }] }, /header name/],
    [
      'reserved header',
      { webhooks: [{ ...DEFAULT_HOOK, header: { key: 'Content-Type', value: 'text/plain' } }] },
      /HTTP client/,
    ],
    [
      'header value with a line break',
      { webhooks: [{ ...DEFAULT_HOOK, header: { key: 'X-Token', value: 'a\r\nEvil: 1' } }] },
      /line breaks/,
    ],
    ['unknown field', { webhooks: [DEFAULT_HOOK], name: 'Acme' }, /name/],
  ];
  for (const [what, body, pattern] of cases) {
    const response = await auco(server, 'PUT', '/company', keys.privateKey, body);
    assert.equal(response.status, 400, what);
    assert.equal(response.body.code, 'INVALID_PARAMETERS', what);
    assert.match(JSON.stringify(response.body), pattern, what);
  }
  assert.equal((await auco(server, 'PUT', '/company', keys.publicKey, { webhooks: [DEFAULT_HOOK] })).status, 401);
  assert.deepEqual(
    liveEndpoints(keys.tenantId).map((endpoint) => endpoint.url),
    [DEFAULT_HOOK.url],
  );
});

test('a server configured for private webhook targets accepts a loopback receiver', async () => {
  const permissive = await startTestServer({ allowPrivateWebhookTargets: true });
  try {
    const keys = await aucoTenant(permissive);
    const response = await auco(permissive, 'PUT', '/company', keys.privateKey, {
      webhooks: [{ id: 'default', url: 'http://127.0.0.1:9/hook' }],
    });
    assert.equal(response.status, 200);
  } finally {
    await permissive.close();
  }
});

async function render(keys: AucoKeys, code: string, eventType: string, data: Record<string, unknown> = {}) {
  const request = await server.app.deps.store.transaction(async (tx) =>
    tx.requests.get(keys.tenantId, (await tx.requests.resolveId(keys.tenantId, code))!),
  );
  const tenant = await server.app.deps.store.transaction((tx) => tx.tenants.get(keys.tenantId));
  const endpoint = liveEndpoints(keys.tenantId)[0]!;
  const header = endpoint.sealedHeader
    ? JSON.parse(server.app.surfaceContext.sealer.open(endpoint.sealedHeader, endpoint.id))
    : null;
  return aucoSurface.webhookRenderer!(server.app.surfaceContext).render({
    eventId: 'evt_test',
    eventType,
    occurredAt: server.clock.now(),
    event: recordedEvent((await listRequestEvents(server.app.deps, keys.tenantId, request!.id)).at(-1)!),
    request: request!,
    tenant: tenant!,
    endpoint,
    secret: null,
    header,
    data,
  });
}

test('the cancellation webhook: status REJECTED with the cancellation message and the static custom header', async () => {
  const keys = await aucoTenant(server);
  assert.equal((await auco(server, 'PUT', '/company', keys.privateKey, { webhooks: [DEFAULT_HOOK] })).status, 200);
  const code = await upload(server, keys);
  const message = 'Cancelación por error en cláusula II...';
  assert.equal(
    (
      await auco(server, 'POST', '/document/cancel', keys.privateKey, {
        codes: [code],
        email: 'example@auco.ai',
        message,
      })
    ).body.success,
    1,
  );
  const rendered = await render(keys, code, 'signature_request.cancelled');
  assert.ok(rendered);
  assert.deepEqual(rendered.headers, { 'X-Auco-Token': 'receiver-secret-123' });
  const requestId = (await nativeView(server, keys, code)).body.id;
  assert.deepEqual(JSON.parse(rendered.body), {
    code,
    name: 'Contrato de prueba del API',
    status: 'REJECTED',
    url: `${server.app.publicUrl}/v1/signature-requests/${requestId}/document`,
    message,
  });
});

test('the other document-workflow webhooks, and events Auco has no webhook for', async () => {
  const keys = await aucoTenant(server);
  assert.equal(
    (await auco(server, 'PUT', '/company', keys.privateKey, { webhooks: [{ id: 'default', url: DEFAULT_HOOK.url }] }))
      .status,
    200,
  );
  const code = await upload(server, keys, [
    { name: 'Ann', email: 'ann@example.com', order: 1 },
    { name: 'Bob', email: 'bob@example.com', order: 2 },
  ]);
  const created = await render(keys, code, 'signature_request.created');
  assert.equal(JSON.parse(created!.body).status, 'CREATE');
  assert.deepEqual(created!.headers, {});
  await signAs(server, keys, code, 0);
  const view = await nativeView(server, keys, code);
  const signed = JSON.parse(
    (await render(keys, code, 'signature_request.signed', { signer_id: view.body.signers[0].id }))!.body,
  );
  assert.equal(signed.status, 'NOTIFICATION');
  assert.deepEqual(signed.signer, { id: view.body.signers[0].id, name: 'Ann', email: 'ann@example.com' });
  await declineAs(server, keys, code, 1);
  const declined = JSON.parse(
    (await render(keys, code, 'signature_request.declined', { signer_id: view.body.signers[1].id }))!.body,
  );
  assert.equal(declined.status, 'REJECT');
  assert.equal(declined.message, 'No estoy de acuerdo');
  assert.equal(JSON.parse((await render(keys, code, 'signature_request.completed'))!.body).status, 'FINISH');
  assert.equal(JSON.parse((await render(keys, code, 'signature_request.expired'))!.body).status, 'EXPIRED');
  assert.equal(await render(keys, code, 'signature_request.viewed'), null);
  assert.equal(await render(keys, code, 'signature_request.cancel_failed'), null);
});
