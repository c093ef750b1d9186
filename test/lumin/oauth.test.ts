import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { call } from '../support/harness.js';
import { assertLuminError } from '../support/lumin-openapi.js';
import { sendRequest, startLuminWorld, type LuminTenant, type LuminWorld } from './lumin-helpers.js';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../bin/countersign.mjs', import.meta.url));

let world: LuminWorld;
let tenant: LuminTenant;
before(async () => {
  world = await startLuminWorld();
  tenant = await world.tenant();
});
after(async () => world.server.close());

const cli = async (...args: string[]) => {
  const env = { ...process.env, COUNTERSIGN_DATA_DIR: '', COUNTERSIGN_SERVER_KEY: '' };
  return JSON.parse(
    (await run(process.execPath, [BIN, ...args, '--json', '--data-dir', world.server.dataDir], { env })).stdout,
  ) as Record<string, unknown>;
};

function tokenRequest(form: Record<string, string>, headers: Record<string, string> = {}) {
  return call(world.server.baseUrl, 'POST', '/lumin/oauth2/token', {
    rawBody: new URLSearchParams(form).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });
}

test('CLI: lumin-token create prints an OAuth-shaped token the server accepts', async () => {
  const id = await sendRequest(world, tenant);
  const token = await cli(
    'lumin-token',
    'create',
    '--tenant',
    tenant.tenantId,
    '--scopes',
    'sign:requests.read',
    '--ttl-seconds',
    '600',
  );
  assert.deepEqual(Object.keys(token).sort(), ['access_token', 'expires_in', 'scope', 'token_type']);
  assert.equal(token.token_type, 'Bearer');
  assert.equal(token.expires_in, 600);
  assert.equal(token.scope, 'sign:requests.read');
  const reader = world.client({ authorization: `Bearer ${token.access_token as string}` });
  assert.equal((await reader('GET', `/signature_request/${id}`)).status, 200);
  assertLuminError(await reader('PUT', `/signature_request/cancel/${id}`), 403, 'INSUFFICIENT_SCOPE');
  await assert.rejects(
    cli('lumin-token', 'create', '--tenant', tenant.tenantId, '--scopes', 'openid'),
    /unknown scope/,
  );
  await assert.rejects(cli('lumin-token', 'create', '--tenant', 'ten_nobody'), /no tenant/);
});

test('CLI app + client-credentials grant (client_secret_post and HTTP Basic) issue working tokens', async () => {
  const app = await cli('lumin-app', 'create', '--tenant', tenant.tenantId);
  assert.match(app.client_id as string, /^lma_/);
  const clientId = app.client_id as string;
  const clientSecret = app.client_secret as string;

  const posted = await tokenRequest({
    grant_type: 'client_credentials',
    client_id: clientId,
    client_secret: clientSecret,
  });
  assert.equal(posted.status, 200, JSON.stringify(posted.body));
  assert.equal(posted.headers.get('cache-control'), 'no-store');
  assert.equal(posted.body.token_type, 'Bearer');
  assert.equal(posted.body.expires_in, 3600);
  assert.equal(posted.body.scope, 'sign:requests sign:requests.read');

  const viaBasic = await tokenRequest(
    { grant_type: 'client_credentials', scope: 'sign:requests.read' },
    { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
  );
  assert.equal(viaBasic.status, 200, JSON.stringify(viaBasic.body));
  assert.equal(viaBasic.body.scope, 'sign:requests.read');

  const id = await sendRequest(world, tenant);
  const reader = world.client({ authorization: `Bearer ${viaBasic.body.access_token}` });
  assertLuminError(await reader('PUT', `/signature_request/cancel/${id}`), 403, 'INSUFFICIENT_SCOPE');
  const writer = world.client({ authorization: `Bearer ${posted.body.access_token}` });
  assert.equal((await writer('PUT', `/signature_request/cancel/${id}`)).status, 200);
});

test('token endpoint errors follow RFC 6749 §5.2', async () => {
  const registered = await tenant.native.request('POST', '/v1/admin/lumin/apps', { label: 'Zapier' });
  assert.equal(registered.status, 201);
  const { client_id: clientId, client_secret: clientSecret } = registered.body as {
    client_id: string;
    client_secret: string;
  };
  const good = { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret };
  const expectError = async (response: Awaited<ReturnType<typeof tokenRequest>>, status: number, error: string) => {
    assert.equal(response.status, status, JSON.stringify(response.body));
    assert.equal(response.body.error, error);
    assert.equal(typeof response.body.error_description, 'string');
  };
  await expectError(await tokenRequest({ ...good, client_secret: 'wrong' }), 401, 'invalid_client');
  await expectError(await tokenRequest({ ...good, client_id: 'lma_unknownclien' }), 401, 'invalid_client');
  await expectError(await tokenRequest({ grant_type: 'client_credentials' }), 401, 'invalid_client');
  const badBasic = await tokenRequest(
    { grant_type: 'client_credentials' },
    { authorization: `Basic ${Buffer.from(`${clientId}:nope`).toString('base64')}` },
  );
  await expectError(badBasic, 401, 'invalid_client');
  assert.match(badBasic.headers.get('www-authenticate') ?? '', /^Basic/);
  await expectError(await tokenRequest({ ...good, grant_type: 'authorization_code' }), 400, 'unsupported_grant_type');
  await expectError(await tokenRequest({ client_id: clientId, client_secret: clientSecret }), 400, 'invalid_request');
  await expectError(await tokenRequest({ ...good, scope: 'openid sign:requests' }), 400, 'invalid_scope');
  await expectError(await tokenRequest({ ...good, scope: '' }), 400, 'invalid_scope');
  const repeated = await call(world.server.baseUrl, 'POST', '/lumin/oauth2/token', {
    rawBody: `${new URLSearchParams(good).toString()}&grant_type=client_credentials`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  await expectError(repeated, 400, 'invalid_request');
  await expectError(
    await call(world.server.baseUrl, 'POST', '/lumin/oauth2/token', { body: good }),
    400,
    'invalid_request',
  );
  await expectError(
    await call(world.server.baseUrl, 'POST', '/lumin/oauth2/token', {
      rawBody: 'x'.repeat(20_000),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    }),
    400,
    'invalid_request',
  );

  const revoked = await tenant.native.request('POST', `/v1/admin/lumin/credentials/${registered.body.id}/revoke`);
  assert.equal(revoked.status, 200);
  await expectError(await tokenRequest(good), 401, 'invalid_client');
});
