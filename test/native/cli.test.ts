import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/harness.js';
import { nativeClient } from '../support/native.js';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../bin/countersign.mjs', import.meta.url));
const cli = (...args: string[]) =>
  run(process.execPath, [BIN, ...args], { env: { ...process.env, COUNTERSIGN_DATA_DIR: '' } });

let dataDir: string;
let server: TestServer | undefined;

before(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'countersign-cli-'));
});
after(async () => {
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('migrate, tenant create, key create, requests cancel from a file, audit verify', async () => {
  const migrated = JSON.parse((await cli('migrate', '--data-dir', dataDir, '--json')).stdout);
  assert.ok(migrated.applied.includes('001_core.sql'));
  assert.deepEqual(
    JSON.parse((await cli('migrate', '--data-dir', dataDir, '--json')).stdout).applied,
    [],
    'migrating twice is a no-op',
  );

  const tenant = JSON.parse(
    (await cli('tenant', 'create', '--name', 'CLI Co', '--json', '--data-dir', dataDir)).stdout,
  );
  assert.match(tenant.tenant_id, /^ten_/);
  assert.match(tenant.api_key, /^csk_/);
  const key = JSON.parse(
    (await cli('key', 'create', '--tenant', tenant.tenant_id, '--scopes', 'read', '--json', '--data-dir', dataDir))
      .stdout,
  );
  assert.deepEqual(key.scopes, ['read']);

  // Serve the same data dir in-process to create requests through the API, then cancel them with the CLI.
  server = await startTestServer({ dataDir });
  const client = nativeClient(server.baseUrl, tenant.api_key);
  assert.equal(
    (await nativeClient(server.baseUrl, key.api_key).request('GET', '/v1/signature-requests')).status,
    200,
    'the CLI-made key works',
  );
  const ids = [(await client.createRequest()).id, (await client.createRequest()).id, (await client.createRequest()).id];
  const file = join(dataDir, 'ids.txt');
  writeFileSync(file, `${ids[0]}\n${ids[1]}\n\n${ids[1]}\n`);

  const dry = JSON.parse(
    (
      await cli(
        'requests',
        'cancel',
        '--tenant',
        tenant.tenant_id,
        '--file',
        file,
        '--dry-run',
        '--json',
        '--data-dir',
        dataDir,
      )
    ).stdout,
  );
  assert.equal(dry.total, 2);
  assert.equal((await client.request('GET', `/v1/signature-requests/${ids[0]}`)).body.status, 'pending');

  const done = JSON.parse(
    (
      await cli(
        'requests',
        'cancel',
        ids[2]!,
        '--tenant',
        tenant.tenant_id,
        '--file',
        file,
        '--reason',
        'bulk',
        '--actor',
        'ops@example.com',
        '--json',
        '--data-dir',
        dataDir,
      )
    ).stdout,
  );
  assert.equal(done.cancelled, 3);
  for (const id of ids)
    assert.equal((await client.request('GET', `/v1/signature-requests/${id}`)).body.status, 'cancelled');
  const events = (await client.request('GET', `/v1/signature-requests/${ids[0]}/events`)).body.data;
  assert.deepEqual([events.at(-1).actor.id, events.at(-1).surface], ['ops@example.com', 'cli']);

  // Already cancelled counts as done (a re-run resumes); an unknown id is not, and makes the exit status non-zero.
  const again = JSON.parse(
    (await cli('requests', 'cancel', ids[0]!, '--tenant', tenant.tenant_id, '--json', '--data-dir', dataDir)).stdout,
  );
  assert.deepEqual([again.cancelled, again.already_cancelled, again.refused, again.unknown], [0, 1, 0, 0]);
  const unknown = await cli(
    'requests',
    'cancel',
    'sr_nope',
    '--tenant',
    tenant.tenant_id,
    '--json',
    '--data-dir',
    dataDir,
  ).catch((error: { code: number; stdout: string }) => error);
  assert.equal((unknown as { code: number }).code, 1, 'an unknown id makes the exit status non-zero');
  assert.equal(JSON.parse((unknown as { stdout: string }).stdout).unknown, 1);

  const verified = JSON.parse(
    (await cli('audit', 'verify', '--tenant', tenant.tenant_id, '--json', '--data-dir', dataDir)).stdout,
  );
  assert.equal(verified.ok, true);
});
