import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call, startTestServer, type TestServer } from '../support/harness.js';
import { nativeClient, signingPath, type NativeClient } from '../support/native.js';
import { seedRequests } from '../support/seed.js';

let server: TestServer;
let client: NativeClient;
let tenantId: string;

before(async () => {
  server = await startTestServer();
  const tenant = await server.createTenant();
  tenantId = tenant.tenantId;
  client = nativeClient(server.baseUrl, tenant.apiKey);
});
after(async () => server.close());

const statusCounts = (ids: readonly string[]) => {
  const rows = server.db
    .prepare(
      'SELECT status, count(*) AS n FROM signature_requests WHERE id IN (SELECT value FROM json_each(?)) GROUP BY status',
    )
    .all(JSON.stringify(ids)) as { status: string; n: number }[];
  return Object.fromEntries(rows.map((row) => [row.status, row.n]));
};
const tableCount = (table: string) =>
  (server.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

test('a dry run reports exactly what would happen and changes nothing', async () => {
  const ids = await seedRequests(server.app.deps, tenantId, 50);
  const signed = await client.createRequest();
  await call(server.baseUrl, 'POST', `${signingPath(signed.signers[0].signing_url)}/start`);
  await call(server.baseUrl, 'POST', `${signingPath(signed.signers[0].signing_url)}/sign`, {
    body: { signature: { type: 'typed', text: 'x' } },
  });
  const before = {
    events: tableCount('audit_events'),
    outbox: tableCount('outbox'),
    statuses: statusCounts([...ids, signed.id]),
  };
  const dry = await client.request('POST', '/v1/signature-requests/cancel', {
    ids: [...ids, signed.id, 'sr_unknown'],
    dry_run: true,
    notify: 'all',
  });
  assert.equal(dry.status, 200);
  assert.equal(dry.body.dry_run, true);
  assert.equal(dry.body.items.length, 52);
  assert.equal(dry.body.items.filter((item: { outcome: string }) => item.outcome === 'would_cancel').length, 50);
  assert.equal(dry.body.items[0].notified[0].email, 'signer0.0@example.com');
  assert.deepEqual(
    dry.body.items.slice(50).map((item: { code: string }) => item.code),
    ['already_signed', 'not_found'],
  );
  assert.deepEqual(
    { events: tableCount('audit_events'), outbox: tableCount('outbox'), statuses: statusCounts([...ids, signed.id]) },
    before,
  );
});

test('batch cancel of 10,000 ids answers with a per-item result for every id', async () => {
  const ids = await seedRequests(server.app.deps, tenantId, 10_000);
  const mixed = [...ids.slice(0, 9_998), 'sr_missing', ids[0]!];
  const response = await client.request('POST', '/v1/signature-requests/cancel', {
    ids: mixed,
    reason: 'deal fell through',
    message: 'Please disregard',
  });
  assert.equal(response.status, 200);
  assert.equal(response.body.total, 9_999, 'a duplicated id is reported once');
  assert.equal(response.body.cancelled, 9_998);
  assert.equal(response.body.refused, 1);
  const byId = new Map(response.body.items.map((item: { id: string }) => [item.id, item]));
  assert.equal((byId.get(ids[5]!) as { outcome: string }).outcome, 'cancelled');
  assert.equal((byId.get('sr_missing') as { code: string }).code, 'not_found');
  assert.deepEqual(statusCounts(ids), { cancelled: 9_998, pending: 2 });
  const again = await client.request('POST', '/v1/signature-requests/cancel', { ids: ids.slice(9_990) });
  assert.deepEqual(
    again.body.items.map((item: { outcome: string; code?: string }) => item.code ?? item.outcome),
    [...Array(8).fill('already_cancelled'), 'cancelled', 'cancelled'],
  );
});

test('more than 10,000 ids is refused before anything happens', async () => {
  const response = await client.request('POST', '/v1/signature-requests/cancel', {
    ids: Array.from({ length: 10_001 }, (_, index) => `sr_${index}`),
  });
  assert.equal(response.status, 400);
  assert.equal(response.body.code, 'validation_failed');
});

test('cancel by filter', async () => {
  const tenant = await server.createTenant('Filtered');
  const filtered = nativeClient(server.baseUrl, tenant.apiKey);
  const keep = await filtered.createRequest({ signers: [{ name: 'K', email: 'keep@example.com' }] });
  const drop = await filtered.createRequest({ signers: [{ name: 'D', email: 'drop@example.com' }] });
  const response = await filtered.request('POST', '/v1/signature-requests/cancel', {
    filter: { signer_email: 'drop@example.com', status: ['pending'] },
  });
  assert.deepEqual(
    response.body.items.map((item: { id: string }) => item.id),
    [drop.id],
  );
  assert.equal((await filtered.request('GET', `/v1/signature-requests/${keep.id}`)).body.status, 'pending');
  const both = await filtered.request('POST', '/v1/signature-requests/cancel', { ids: [keep.id], filter: {} });
  assert.equal(both.status, 400);
});

test('a batch judges every id in order, as single cancels would: aliases, sequences, sessions, repeats', async () => {
  const [plain, aliased, aliasedFirst] = await seedRequests(server.app.deps, tenantId, 3);
  await server.app.store.transaction(async (tx) => {
    await tx.requests.addAlias(tenantId, aliased!, 'test', 'ALIAS-BATCH-1');
    await tx.requests.addAlias(tenantId, aliasedFirst!, 'test', 'ALIAS-BATCH-2');
  });
  const sequence = await client.request('POST', '/v1/sequences', { title: 'Batch sequence' });
  const members = [
    await client.createRequest({ sequenceId: sequence.body.id }),
    await client.createRequest({ sequenceId: sequence.body.id }),
  ];
  const inSession = await client.createRequest();
  await call(server.baseUrl, 'POST', `${signingPath(inSession.signers[0].signing_url)}/start`);
  const eventsBefore = tableCount('audit_events');
  const outboxBefore = tableCount('outbox');

  const response = await client.request('POST', '/v1/signature-requests/cancel', {
    // Two requests appear twice (own id then alias, alias then own id), a sequence member is named
    // after its sibling already cancelled it, and one request has an open "Proceed to Sign" session.
    ids: [plain, aliased, members[0].id, 'ALIAS-BATCH-1', members[1].id, inSession.id, 'ALIAS-BATCH-2', aliasedFirst],
    notify: 'pending',
  });
  assert.equal(response.status, 200);
  const outcomes = response.body.items.map(
    (item: { id: string; outcome: string; code?: string; via_sequence_of?: string; also_cancelled?: string[] }) => [
      item.id,
      item.code ?? item.outcome,
      item.via_sequence_of ?? item.also_cancelled?.join(',') ?? '',
    ],
  );
  assert.deepEqual(outcomes, [
    [plain, 'cancelled', ''],
    [aliased, 'cancelled', ''],
    [members[0].id, 'cancelled', members[1].id],
    ['ALIAS-BATCH-1', 'already_cancelled', ''],
    [members[1].id, 'cancelled', members[0].id],
    [inSession.id, 'active_session', ''],
    ['ALIAS-BATCH-2', 'cancelled', ''],
    [aliasedFirst, 'already_cancelled', ''],
  ]);
  assert.deepEqual(statusCounts([plain!, aliased!, aliasedFirst!, members[0].id, members[1].id, inSession.id]), {
    cancelled: 5,
    pending: 1,
  });
  // Five cancellations and three refusals, each with its audit event; every cancellation queues the
  // pending signer's email and the retention job (and no webhook event: the tenant has no endpoint).
  assert.equal(tableCount('audit_events') - eventsBefore, 8);
  assert.equal(tableCount('outbox') - outboxBefore, 5 * 2);
  const trail = await client.request('GET', `/v1/signature-requests/${aliased}/events`);
  assert.deepEqual(
    trail.body.data.map((event: { type: string }) => event.type),
    ['request.created', 'request.cancelled', 'request.cancel_refused'],
  );
  const verify = await client.request('GET', '/v1/audit/verify');
  assert.equal(verify.body.ok, true, 'the events written together still form one valid chain');
});
