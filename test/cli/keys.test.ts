/**
 * The CLI's credential commands as a real process on a data dir a real server also uses:
 * tenant list, key create/list/revoke for native keys and provider kinds, and their one-line errors.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { assertOneLineError, cliJson, runCli } from '../support/cli.js';
import { call, startTestServer, type TestServer } from '../support/harness.js';
import { nativeClient } from '../support/native.js';

let dataDir: string;
let server: TestServer;
let tenant: { tenant_id: string; api_key: string; data_dir: string; auco: { private_key: string } };

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'countersign-cli-keys-'));
  tenant = await cliJson(['tenant', 'create', '--name', 'CLI Keys', '--json', '--data-dir', dataDir]);
  server = await startTestServer({ dataDir });
});
after(async () => server.close());

test('tenant create says which data dir it used; tenant list shows the tenants there', async () => {
  assert.equal(tenant.data_dir, dataDir);
  await cliJson(['tenant', 'create', '--name', 'Second', '--json', '--data-dir', dataDir]);
  const listed = await cliJson(['tenant', 'list', '--json', '--data-dir', dataDir]);
  assert.equal(listed.data_dir, dataDir);
  assert.deepEqual(
    listed.data.map((entry: { name: string }) => entry.name),
    ['CLI Keys', 'Second'],
  );
  assert.equal(listed.data[0].id, tenant.tenant_id);
  const text = await runCli(['tenant', 'list', '--data-dir', dataDir]);
  assert.match(text.stdout, new RegExp(`${tenant.tenant_id} .* CLI Keys`));
});

test('key create (with --expires-at), key list, key revoke: the revoked key gets 401 over HTTP at once', async () => {
  const expiresAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
  const created = await cliJson([
    'key',
    'create',
    '--tenant',
    tenant.tenant_id,
    '--scopes',
    'read',
    '--label',
    'reporting',
    '--expires-at',
    expiresAt,
    '--json',
    '--data-dir',
    dataDir,
  ]);
  assert.equal(created.expires_at, expiresAt);
  const key = nativeClient(server.baseUrl, created.api_key);
  assert.equal((await key.request('GET', '/v1/signature-requests')).status, 200);

  const listed = await cliJson(['key', 'list', '--tenant', tenant.tenant_id, '--json', '--data-dir', dataDir]);
  const entry = listed.data.find((item: { id: string }) => item.id === created.key_id);
  assert.deepEqual(
    [entry.kind, entry.label, entry.status, entry.expires_at],
    ['native_api_key', 'reporting', 'active', expiresAt],
  );
  assert.ok(!JSON.stringify(listed).includes(created.api_key.split('.')[1]), 'never a secret');
  assert.deepEqual(
    new Set(listed.data.map((item: { kind: string }) => item.kind)),
    new Set(['native_api_key', 'lumin_api_key', 'taktikal', 'kaizen_app_token', 'auco_private', 'auco_public']),
  );

  const revoked = await cliJson([
    'key',
    'revoke',
    created.key_id,
    '--tenant',
    tenant.tenant_id,
    '--json',
    '--data-dir',
    dataDir,
  ]);
  assert.deepEqual([revoked.status, revoked.already_revoked], ['revoked', false]);
  const refused = await key.request('GET', '/v1/signature-requests');
  assert.deepEqual([refused.status, refused.body.code], [401, 'unauthorized']);
  const again = await cliJson([
    'key',
    'revoke',
    created.key_id,
    '--tenant',
    tenant.tenant_id,
    '--json',
    '--data-dir',
    dataDir,
  ]);
  assert.equal(again.already_revoked, true);
  assert.deepEqual(
    (
      await cliJson([
        'key',
        'list',
        '--tenant',
        tenant.tenant_id,
        '--status',
        'revoked',
        '--json',
        '--data-dir',
        dataDir,
      ])
    ).data.map((item: { id: string }) => item.id),
    [created.key_id],
  );

  const events = (await nativeClient(server.baseUrl, tenant.api_key).request('GET', '/v1/audit/events?limit=1000')).body
    .data;
  const revocation = events.find(
    (event: { type: string; data: { credential_id: string } }) =>
      event.type === 'credential.revoked' && event.data.credential_id === created.key_id,
  );
  assert.deepEqual([revocation.surface, revocation.actor.id, revocation.request_id], ['cli', 'cli', null]);
});

test('a provider credential from the CLI: an Auco key rotated and the old one revoked', async () => {
  const issued = await cliJson([
    'key',
    'create',
    '--tenant',
    tenant.tenant_id,
    '--kind',
    'auco_private',
    '--json',
    '--data-dir',
    dataDir,
  ]);
  assert.match(issued.secret.private_key, /^prk_/);
  const works = async (key: string) =>
    (await call(server.baseUrl, 'GET', '/auco/v1.5/ext/company', { headers: { authorization: key } })).status;
  assert.deepEqual([await works(tenant.auco.private_key), await works(issued.secret.private_key)], [200, 200]);
  const old = (
    await cliJson([
      'key',
      'list',
      '--tenant',
      tenant.tenant_id,
      '--kind',
      'auco_private',
      '--json',
      '--data-dir',
      dataDir,
    ])
  ).data[0];
  await cliJson(['key', 'revoke', old.id, '--tenant', tenant.tenant_id, '--json', '--data-dir', dataDir]);
  assert.deepEqual([await works(tenant.auco.private_key), await works(issued.secret.private_key)], [401, 200]);
});

test('errors are one line on stderr with exit code 2, never a stack trace, and change nothing', async () => {
  const before = (await cliJson(['key', 'list', '--tenant', tenant.tenant_id, '--json', '--data-dir', dataDir])).data
    .length;
  assertOneLineError(
    await runCli(['key', 'list', '--tenant', 'ten_nope', '--data-dir', dataDir]),
    /no tenant ten_nope/,
  );
  assertOneLineError(
    await runCli(['key', 'create', '--tenant', 'ten_nope', '--data-dir', dataDir]),
    /tenant ten_nope/i,
  );
  assertOneLineError(
    await runCli(['key', 'revoke', 'key_nope', '--tenant', tenant.tenant_id, '--data-dir', dataDir]),
    /no credential key_nope/,
  );
  assertOneLineError(
    await runCli(['key', 'create', '--tenant', tenant.tenant_id, '--expires-at', 'next week', '--data-dir', dataDir]),
    /--expires-at/,
  );
  assertOneLineError(
    await runCli([
      'key',
      'create',
      '--tenant',
      tenant.tenant_id,
      '--expires-at',
      '2001-01-01T00:00:00Z',
      '--data-dir',
      dataDir,
    ]),
    /future/,
  );
  assertOneLineError(
    await runCli(['key', 'create', '--tenant', tenant.tenant_id, '--scopes', 'root', '--data-dir', dataDir]),
    /unknown scope root/,
  );
  assertOneLineError(
    await runCli(['audit', 'verify', '--tenant', 'ten_nope', '--data-dir', dataDir]),
    /no tenant ten_nope/,
  );
  assertOneLineError(
    await runCli(['tenant', 'list', '--data-dir', dataDir], { env: { PORT: 'eighty' } }),
    /invalid configuration: port/,
  );
  assert.equal(
    (await cliJson(['key', 'list', '--tenant', tenant.tenant_id, '--json', '--data-dir', dataDir])).data.length,
    before,
  );
});
