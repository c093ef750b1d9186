/** Idempotency, tenant isolation, bad input, listing and the OpenAPI document. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { call, makePdf, startTestServer, type TestServer } from '../support/harness.js';
import { nativeClient, signingPath, type NativeClient } from '../support/native.js';

let server: TestServer;
let client: NativeClient;
let other: NativeClient;

before(async () => {
  server = await startTestServer();
  client = nativeClient(server.baseUrl, (await server.createTenant('Acme')).apiKey);
  other = nativeClient(server.baseUrl, (await server.createTenant('Other')).apiKey);
});
after(async () => server.close());

/** Row counts of every table a write touches: "changes nothing" means these stay equal. */
function footprint(): Record<string, number> {
  const db = server.db;
  const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  const statuses = db.prepare("SELECT count(*) AS n FROM signature_requests WHERE status = 'cancelled'").get() as {
    n: number;
  };
  return {
    requests: count('signature_requests'),
    events: count('audit_events'),
    outbox: count('outbox'),
    documents: count('documents'),
    idempotency: count('idempotency_keys'),
    cancelled: statuses.n,
  };
}

describe('idempotency', () => {
  test('a replayed cancel returns the original response and changes nothing more', async () => {
    const created = await client.createRequest();
    const headers = { 'idempotency-key': `cancel-${created.id}` };
    const first = await client.request('POST', `/v1/signature-requests/${created.id}/cancel`, { reason: 'r' }, headers);
    assert.equal(first.status, 200);
    const before = footprint();
    const replay = await client.request(
      'POST',
      `/v1/signature-requests/${created.id}/cancel`,
      { reason: 'r' },
      headers,
    );
    assert.equal(replay.status, 200);
    assert.deepEqual(replay.body, first.body);
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(footprint(), before);
    const misuse = await client.request(
      'POST',
      `/v1/signature-requests/${created.id}/cancel`,
      { reason: 'other' },
      headers,
    );
    assert.equal(misuse.status, 422);
    assert.equal(misuse.body.code, 'idempotency_key_reused');
  });

  test('a refusal is replayed too, even after the state that caused it is gone', async () => {
    const created = await client.createRequest();
    await call(server.baseUrl, 'POST', `${signingPath(created.signers[0].signing_url)}/start`);
    const headers = { 'idempotency-key': `k-${created.id}` };
    const first = await client.request('POST', `/v1/signature-requests/${created.id}/cancel`, {}, headers);
    assert.equal(first.body.code, 'active_session');
    server.clock.advance(31 * 60_000);
    const replay = await client.request('POST', `/v1/signature-requests/${created.id}/cancel`, {}, headers);
    assert.equal(replay.status, 409);
    assert.equal(replay.body.code, 'active_session');
    assert.equal(
      (await client.request('POST', `/v1/signature-requests/${created.id}/cancel`, {})).status,
      200,
      'a new call sees the new state',
    );
  });

  test('a replayed create returns the same request', async () => {
    const pdf = Buffer.from(await makePdf()).toString('base64');
    const body = {
      title: 'Once',
      signers: [{ name: 'A', email: 'a@example.com' }],
      document: { filename: 'a.pdf', content_base64: pdf },
    };
    const first = await client.request('POST', '/v1/signature-requests', body, { 'idempotency-key': 'create-once' });
    const second = await client.request('POST', '/v1/signature-requests', body, { 'idempotency-key': 'create-once' });
    assert.equal(first.status, 201);
    assert.equal(second.body.id, first.body.id);
  });
});

describe('tenant isolation', () => {
  test("another tenant's request answers exactly like a missing one", async () => {
    const created = await client.createRequest();
    for (const [method, suffix, body] of [
      ['GET', '', undefined],
      ['POST', '/cancel', {}],
      ['GET', '/events', undefined],
      ['GET', '/document', undefined],
    ] as const) {
      const foreign = await other.request(method, `/v1/signature-requests/${created.id}${suffix}`, body);
      const missing = await other.request(method, `/v1/signature-requests/sr_doesnotexist${suffix}`, body);
      assert.equal(foreign.status, 404, `${method} ${suffix}`);
      assert.equal(foreign.body.code, missing.body.code);
      assert.equal(foreign.body.detail, missing.body.detail);
    }
    const batch = await other.request('POST', '/v1/signature-requests/cancel', { ids: [created.id] });
    assert.equal(batch.body.items[0].code, 'not_found');
    assert.equal((await client.request('GET', `/v1/signature-requests/${created.id}`)).body.status, 'pending');
    const listed = await other.request('GET', '/v1/signature-requests');
    assert.equal(
      listed.body.data.some((request: { id: string }) => request.id === created.id),
      false,
    );
  });
});

describe('bad input gets a clear 4xx and changes nothing', () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const cases: [string, () => Promise<{ status: number; body: any }>, number, string][] = [
    [
      'malformed JSON',
      () =>
        call(server.baseUrl, 'POST', '/v1/signature-requests', {
          rawBody: '{"title":',
          headers: { authorization: `Bearer ${client.apiKey}`, 'content-type': 'application/json' },
        }),
      400,
      'malformed_request',
    ],
    [
      'wrong types',
      () => client.request('POST', '/v1/signature-requests', { title: 42, signers: 'ann', document: {} }),
      400,
      'validation_failed',
    ],
    [
      'unknown fields',
      async () =>
        client.request('POST', '/v1/signature-requests', {
          title: 'x',
          signers: [{ name: 'A', email: 'a@example.com' }],
          document: { filename: 'a.pdf', content_base64: Buffer.from(await makePdf()).toString('base64') },
          surprise: true,
        }),
      400,
      'validation_failed',
    ],
    [
      'non-PDF upload',
      () =>
        client.request('POST', '/v1/signature-requests', {
          title: 'x',
          signers: [{ name: 'A', email: 'a@example.com' }],
          document: { filename: 'a.pdf', content_base64: Buffer.from('GIF89a not a pdf').toString('base64') },
        }),
      422,
      'invalid_document',
    ],
    [
      'bad base64',
      () =>
        client.request('POST', '/v1/signature-requests', {
          title: 'x',
          signers: [{ name: 'A', email: 'a@example.com' }],
          document: { filename: 'a.pdf', content_base64: '%%%not base64%%%' },
        }),
      400,
      'validation_failed',
    ],
    [
      'oversized body',
      () =>
        call(server.baseUrl, 'POST', '/v1/sequences', {
          rawBody: JSON.stringify({ title: 'x'.repeat(2 * 1024 * 1024) }),
          headers: { authorization: `Bearer ${client.apiKey}`, 'content-type': 'application/json' },
        }),
      413,
      'payload_too_large',
    ],
    [
      'unsupported content type',
      () =>
        call(server.baseUrl, 'POST', '/v1/sequences', {
          rawBody: 'title=x',
          headers: { authorization: `Bearer ${client.apiKey}`, 'content-type': 'text/plain' },
        }),
      415,
      'unsupported_media_type',
    ],
    [
      'unknown cancel field',
      async () =>
        client.request('POST', `/v1/signature-requests/${(await client.createRequest()).id}/cancel`, {
          notify: 'everyone',
        }),
      400,
      'validation_failed',
    ],
    ['no credentials', () => call(server.baseUrl, 'GET', '/v1/signature-requests'), 401, 'unauthorized'],
    [
      'forged key',
      () =>
        call(server.baseUrl, 'GET', '/v1/signature-requests', {
          headers: { authorization: `Bearer ${client.apiKey.slice(0, -3)}abc` },
        }),
      401,
      'unauthorized',
    ],
    ['unknown route', () => client.request('GET', '/v1/nothing-here'), 404, 'route_not_found'],
  ];
  for (const [name, send, status, code] of cases) {
    test(name, async () => {
      const response = await send();
      const before = footprint();
      const again = await send();
      assert.equal(response.status, status, JSON.stringify(response.body));
      assert.equal(response.body.code, code);
      assert.match(response.body.request_id, /^req_/);
      assert.equal(again.status, status);
      const after = footprint();
      // The 'unknown cancel field' case creates its target request on each run; nothing else may change.
      if (name !== 'unknown cancel field') assert.deepEqual(after, before);
    });
  }

  test('a read-only key cannot cancel', async () => {
    const created = await client.createRequest();
    const key = await client.request('POST', '/v1/api-keys', { scopes: ['read'], label: 'reporting' });
    const readOnly = nativeClient(server.baseUrl, key.body.key);
    assert.equal((await readOnly.request('GET', `/v1/signature-requests/${created.id}`)).status, 200);
    const refused = await readOnly.request('POST', `/v1/signature-requests/${created.id}/cancel`, {});
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, 'forbidden');
  });

  test('multipart create with a PDF part, and a non-PDF part refused', async () => {
    const form = new FormData();
    form.set('title', 'Multipart');
    form.set('signers', JSON.stringify([{ name: 'M', email: 'm@example.com' }]));
    form.set('document', new Blob([await makePdf(2)], { type: 'application/pdf' }), 'm.pdf');
    const created = await fetch(`${server.baseUrl}/v1/signature-requests`, {
      method: 'POST',
      headers: { authorization: `Bearer ${client.apiKey}` },
      body: form,
    });
    assert.equal(created.status, 201);
    assert.equal(((await created.json()) as { document: { page_count: number } }).document.page_count, 2);
    form.set('document', new Blob([Buffer.from('PK zip file')], { type: 'application/pdf' }), 'm.pdf');
    const before = footprint();
    const refused = await fetch(`${server.baseUrl}/v1/signature-requests`, {
      method: 'POST',
      headers: { authorization: `Bearer ${client.apiKey}` },
      body: form,
    });
    assert.equal(refused.status, 422);
    assert.deepEqual(footprint(), before);
  });
});

describe('listing', () => {
  test('filters by status and signer email, and pages with a cursor', async () => {
    const lister = nativeClient(server.baseUrl, (await server.createTenant('Lister')).apiKey);
    const made = [];
    for (let index = 0; index < 5; index += 1)
      made.push(await lister.createRequest({ signers: [{ name: 'S', email: `s${index % 2}@example.com` }] }));
    await lister.request('POST', `/v1/signature-requests/${made[0].id}/cancel`, {});
    const firstPage = await lister.request('GET', '/v1/signature-requests?limit=2');
    assert.deepEqual(
      firstPage.body.data.map((r: { id: string }) => r.id),
      [made[4].id, made[3].id],
    );
    const secondPage = await lister.request(
      'GET',
      `/v1/signature-requests?limit=2&cursor=${firstPage.body.next_cursor}`,
    );
    assert.deepEqual(
      secondPage.body.data.map((r: { id: string }) => r.id),
      [made[2].id, made[1].id],
    );
    const cancelled = await lister.request('GET', '/v1/signature-requests?status=cancelled');
    assert.deepEqual(
      cancelled.body.data.map((r: { id: string }) => r.id),
      [made[0].id],
    );
    const byEmail = await lister.request('GET', '/v1/signature-requests?signer_email=s1@example.com');
    assert.deepEqual(
      byEmail.body.data.map((r: { id: string }) => r.id),
      [made[3].id, made[1].id],
    );
    assert.equal((await lister.request('GET', '/v1/signature-requests?status=bogus')).status, 400);
  });
});

test('the OpenAPI document is valid OpenAPI 3.1 and the docs page is served', async () => {
  const document = await call(server.baseUrl, 'GET', '/openapi.json');
  const validator = new Validator();
  const result = await validator.validate(document.body);
  assert.equal(result.valid, true, JSON.stringify(result.errors, null, 1)?.slice(0, 2000));
  assert.equal(validator.version, '3.1');
  assert.ok(document.body.paths['/v1/signature-requests/{id}/cancel'].post);
  const docs = await fetch(`${server.baseUrl}/docs/`);
  assert.equal(docs.status, 200);
  assert.match(await docs.text(), /swagger/i);
});
