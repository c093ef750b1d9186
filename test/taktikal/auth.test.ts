/** Basic auth (companyKey:apiKey): issued per tenant, stored hashed, every failure the same 401. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { call, startTestServer, type TestServer } from '../support/harness.js';
import { basicAuth, createTaktikalTenant, processBody, type TaktikalTenant } from './taktikal-client.js';

let server: TestServer;
let tenant: TaktikalTenant;
before(async () => {
  server = await startTestServer();
  tenant = await createTaktikalTenant(server);
});
after(async () => server.close());

test('every tenant gets a company key and an api key; only the api key hash is stored', () => {
  assert.match(tenant.credentials.company_key, /^[0-9a-f]{12}$/);
  assert.match(tenant.credentials.api_key, /^api-[0-9a-f]{28}$/);
  const row = server.db
    .prepare("SELECT lookup, secret_hash, sealed_secret FROM credentials WHERE kind = 'taktikal' AND tenant_id = ?")
    .get(tenant.tenantId) as { lookup: string; secret_hash: string; sealed_secret: string | null };
  assert.equal(row.lookup, tenant.credentials.company_key);
  assert.equal(row.secret_hash, createHash('sha256').update(tenant.credentials.api_key).digest('hex'));
  assert.equal(row.sealed_secret, null);
});

test('the right credentials are accepted under both mounts', async () => {
  for (const mount of ['/taktikal/api', '/taktikal']) {
    const response = await call(server.baseUrl, 'GET', `${mount}/webhook`, {
      headers: { authorization: basicAuth(tenant.credentials.company_key, tenant.credentials.api_key) },
    });
    assert.equal(response.status, 200, mount);
  }
});

test('missing, malformed, unknown and wrong credentials all answer 401 in the envelope', async () => {
  const { company_key: companyKey, api_key: apiKey } = tenant.credentials;
  const other = await createTaktikalTenant(server, 'Other');
  const headers: Record<string, string | undefined> = {
    missing: undefined,
    notBasic: `Bearer ${apiKey}`,
    notBase64: 'Basic %%%not-base64%%%',
    noColon: `Basic ${Buffer.from(companyKey + apiKey).toString('base64')}`,
    // The last hex digit changed (replacing it with a fixed '0' left the key right once in 16 runs).
    wrongSecret: basicAuth(companyKey, `${apiKey.slice(0, -1)}${apiKey.endsWith('0') ? '1' : '0'}`),
    unknownCompany: basicAuth('000000000000', apiKey),
    swapped: basicAuth(apiKey, companyKey),
    otherTenantsSecret: basicAuth(companyKey, other.credentials.api_key),
    nativeKey: `Bearer ${tenant.apiKey}`,
  };
  const body = await processBody();
  for (const [name, authorization] of Object.entries(headers)) {
    const response = await call(server.baseUrl, 'POST', '/taktikal/api/management/signing', {
      body,
      headers: authorization ? { authorization } : {},
    });
    assert.equal(response.status, 401, name);
    assert.equal(response.body.responseStatus.errorCode, 'Unauthorized', name);
    assert.match(response.headers.get('www-authenticate') ?? '', /^Basic/, name);
  }
  const cancel = await call(server.baseUrl, 'DELETE', '/taktikal/management/signing?ProcessKey=sp000000000000');
  assert.equal(cancel.status, 401);
});

test('a revoked credential is refused', async () => {
  const revoked = await createTaktikalTenant(server, 'Revoked');
  const admin = { authorization: `Bearer ${revoked.apiKey}` };
  const listed = await call(server.baseUrl, 'GET', '/v1/credentials?kind=taktikal', { headers: admin });
  const [credential] = listed.body.data;
  assert.equal(
    (await call(server.baseUrl, 'DELETE', `/v1/credentials/${credential.id}`, { headers: admin })).status,
    200,
  );
  const response = await revoked.client.request('GET', '/webhook');
  assert.equal(response.status, 401);
});
