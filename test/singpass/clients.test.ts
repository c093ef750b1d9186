// Registering Singpass relying parties: the admin API (native auth), the CLI, the private-address
// guard, and the durable jti store's pruning.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { registerSingpassClient } from '../../src/providers/singpass/client-registration.js';
import { createSingpassStore } from '../../src/providers/singpass/singpass-store.js';
import { startTestServer, type TestServer } from '../support/harness.js';
import { nativeClient } from '../support/native.js';
import { createSigningKey, RelyingParty, startJwksServer } from './singpass-fixtures.js';

const run = promisify(execFile);
let server: TestServer;

before(async () => {
  server = await startTestServer();
});
after(async () => server.close());

test('admin API: registers a client with a public https JWKS URL or an inline JWKS, and lists them', async () => {
  const tenant = await server.createTenant();
  const admin = nativeClient(server.baseUrl, tenant.apiKey);
  const byUrl = await admin.request('POST', '/v1/admin/singpass/clients', {
    client_id: 'rp-url',
    jwks_url: 'https://93.184.216.34/.well-known/jwks.json',
  });
  assert.equal(byUrl.status, 201);
  assert.equal(byUrl.body.jwks_url, 'https://93.184.216.34/.well-known/jwks.json');
  assert.equal(byUrl.body.allow_private_jwks_url, false);
  assert.equal(byUrl.body.tenant_id, tenant.tenantId);

  const key = await createSigningKey('inline-1');
  const inline = await admin.request('POST', '/v1/admin/singpass/clients', {
    client_id: 'rp-inline',
    jwks: { keys: [key.publicJwk] },
  });
  assert.equal(inline.status, 201);
  // An inline registration needs no JWKS server at all: the RP can initiate at once.
  const party = new RelyingParty(server, 'rp-inline', key);
  assert.equal((await party.initiate()).status, 200);

  const duplicate = await admin.request('POST', '/v1/admin/singpass/clients', {
    client_id: 'rp-url',
    jwks_url: 'https://93.184.216.34/other',
  });
  assert.equal(duplicate.status, 409);
  const listed = await admin.request('GET', '/v1/admin/singpass/clients');
  assert.deepEqual(listed.body.data.map((client: { client_id: string }) => client.client_id).sort(), [
    'rp-inline',
    'rp-url',
  ]);
  const otherTenant = await server.createTenant();
  assert.deepEqual(
    (await nativeClient(server.baseUrl, otherTenant.apiKey).request('GET', '/v1/admin/singpass/clients')).body.data,
    [],
  );
});

test('admin API: private, loopback and plain-http JWKS URLs, bad key sets and non-admin keys are refused', async () => {
  const tenant = await server.createTenant();
  const admin = nativeClient(server.baseUrl, tenant.apiKey);
  for (const jwksUrl of [
    'https://127.0.0.1/jwks',
    'https://localhost/jwks',
    'https://10.0.0.5/jwks',
    'https://[::1]/jwks',
    'https://169.254.169.254/latest',
    'http://93.184.216.34/jwks',
    'https://user:pw@93.184.216.34/jwks',
    'not a url',
  ]) {
    const refused = await admin.request('POST', '/v1/admin/singpass/clients', { client_id: 'rp-x', jwks_url: jwksUrl });
    assert.equal(refused.status, 400, jwksUrl);
    assert.equal(refused.body.code, 'validation_failed', jwksUrl);
  }
  const smuggled = await admin.request('POST', '/v1/admin/singpass/clients', {
    client_id: 'rp-x',
    jwks_url: 'https://127.0.0.1/jwks',
    allow_private_jwks_url: true,
  });
  assert.equal(smuggled.status, 400, 'the admin API has no way to allow a private host');

  const key = await createSigningKey('k');
  const { d: _public, ...publicJwk } = key.publicJwk;
  const privateJwk = { ...publicJwk, d: 'c2VjcmV0' };
  for (const jwks of [
    { keys: [privateJwk] },
    { keys: [{ kty: 'RSA', kid: 'r', n: 'x', e: 'AQAB' }] },
    { keys: [{ ...publicJwk, kid: undefined }] },
  ]) {
    const refused = await admin.request('POST', '/v1/admin/singpass/clients', { client_id: 'rp-x', jwks });
    assert.equal(refused.status, 400, JSON.stringify(jwks));
  }
  const both = await admin.request('POST', '/v1/admin/singpass/clients', {
    client_id: 'rp-x',
    jwks_url: 'https://93.184.216.34/j',
    jwks: { keys: [publicJwk] },
  });
  assert.equal(both.status, 400);

  const writeKey = await admin.request('POST', '/v1/api-keys', { scopes: ['write'] });
  const writer = nativeClient(server.baseUrl, writeKey.body.key);
  assert.equal(
    (await writer.request('POST', '/v1/admin/singpass/clients', { client_id: 'rp-y', jwks: { keys: [publicJwk] } }))
      .status,
    403,
  );
  assert.equal((await admin.request('GET', '/v1/admin/singpass/clients')).body.data.length, 0);
});

test('registration: a host name that resolves to a private address is refused unless the operator allows it', async () => {
  const tenant = await server.createTenant();
  const context = server.app.surfaceContext;
  const repository = createSingpassStore(context);
  const resolvesPrivately = async () => ['10.1.2.3'];
  await assert.rejects(
    registerSingpassClient(
      context.deps,
      repository,
      { tenantId: tenant.tenantId, clientId: 'rp-dns', jwksUrl: 'https://rp.internal.example/jwks' },
      resolvesPrivately,
    ),
    /private, loopback or link-local/,
  );
  const resolvesPublicly = async () => ['93.184.216.34'];
  const ok = await registerSingpassClient(
    context.deps,
    repository,
    { tenantId: tenant.tenantId, clientId: 'rp-dns', jwksUrl: 'https://rp.example/jwks' },
    resolvesPublicly,
  );
  assert.equal(ok.allowPrivateJwksUrl, false);
  const allowed = await registerSingpassClient(
    context.deps,
    repository,
    { tenantId: tenant.tenantId, clientId: 'rp-dev', jwksUrl: 'http://127.0.0.1:9/jwks', allowPrivateJwksUrl: true },
    resolvesPrivately,
  );
  assert.equal(allowed.allowPrivateJwksUrl, true);
  await assert.rejects(
    registerSingpassClient(context.deps, repository, {
      tenantId: 'tn_missing',
      clientId: 'rp-nobody',
      jwksUrl: 'https://93.184.216.34/j',
    }),
    /Tenant not found/,
  );
});

test('CLI: `singpass-client add` registers an RP on the data dir of a running server, which then accepts its tokens', async () => {
  const tenant = await server.createTenant();
  const key = await createSigningKey('cli-key');
  const jwks = await startJwksServer([key.publicJwk]);
  const cli = join(process.cwd(), 'bin/countersign.mjs');
  const env = { ...process.env, COUNTERSIGN_DATA_DIR: server.dataDir };
  try {
    const refused = await run(
      process.execPath,
      [cli, 'singpass-client', 'add', '--tenant', tenant.tenantId, '--client-id', 'rp-cli', '--jwks-url', jwks.url],
      { env },
    ).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    assert.equal(refused?.code, 2, 'a loopback JWKS URL needs --allow-private-jwks-url');
    assert.match(refused!.stderr, /https|private/);

    const added = await run(
      process.execPath,
      [
        cli,
        'singpass-client',
        'add',
        '--tenant',
        tenant.tenantId,
        '--client-id',
        'rp-cli',
        '--jwks-url',
        jwks.url,
        '--allow-private-jwks-url',
        '--json',
      ],
      { env },
    );
    assert.deepEqual(JSON.parse(added.stdout), {
      client_id: 'rp-cli',
      tenant_id: tenant.tenantId,
      jwks_url: jwks.url,
      allow_private_jwks_url: true,
    });
    assert.equal((await new RelyingParty(server, 'rp-cli', key).initiate()).status, 200);

    const file = join(server.dataDir, 'rp-jwks.json');
    writeFileSync(file, JSON.stringify({ keys: [key.publicJwk] }));
    const fromFile = await run(
      process.execPath,
      [cli, 'singpass-client', 'add', '--tenant', tenant.tenantId, '--client-id', 'rp-cli-file', '--jwks-file', file],
      { env },
    );
    assert.match(fromFile.stdout, /rp-cli-file registered/);
    const listed = await run(
      process.execPath,
      [cli, 'singpass-client', 'list', '--tenant', tenant.tenantId, '--json'],
      { env },
    );
    assert.deepEqual(
      JSON.parse(listed.stdout)
        .map((client: { client_id: string }) => client.client_id)
        .sort(),
      ['rp-cli', 'rp-cli-file'],
    );
  } finally {
    await jwks.close();
  }
});

test('jti store: a jti is claimed once per client, and expired records are pruned', async () => {
  const context = server.app.surfaceContext;
  const repository = createSingpassStore(context);
  const now = server.clock.now();
  assert.equal(await repository.claimJti('rp-a', 'j-1', now + 1000, now), true);
  assert.equal(await repository.claimJti('rp-a', 'j-1', now + 1000, now), false);
  assert.equal(await repository.claimJti('rp-b', 'j-1', now + 1000, now), true, 'jtis are per client');
  const count = () => server.db.prepare("SELECT count(*) FROM singpass_used_jtis WHERE jti = 'j-1'").pluck().get();
  assert.equal(count(), 2);
  assert.equal(await repository.claimJti('rp-a', 'j-2', now + 5000, now + 2000), true);
  assert.equal(count(), 0, 'records past their expiry are deleted along the way');
});
