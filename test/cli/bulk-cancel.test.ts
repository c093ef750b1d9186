/**
 * `countersign requests cancel --file` as a real process, run twice over the same file: the second
 * run resumes (what the first cancelled counts as done) and both print a summary line.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { assertOneLineError, cliJson, runCli } from '../support/cli.js';
import { call, startTestServer, type TestServer } from '../support/harness.js';
import { nativeClient, signingPath, type NativeClient } from '../support/native.js';

let dataDir: string;
let server: TestServer;
let tenantId: string;
let client: NativeClient;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'countersign-cli-bulk-'));
  const tenant = await cliJson(['tenant', 'create', '--name', 'Bulk', '--json', '--data-dir', dataDir]);
  tenantId = tenant.tenant_id;
  server = await startTestServer({ dataDir });
  client = nativeClient(server.baseUrl, tenant.api_key);
});
after(async () => server.close());

async function signed(): Promise<string> {
  const created = await client.createRequest();
  const path = signingPath(created.signers[0].signing_url);
  assert.equal((await call(server.baseUrl, 'POST', `${path}/start`)).status, 200);
  assert.equal(
    (await call(server.baseUrl, 'POST', `${path}/sign`, { body: { signature: { type: 'typed', text: 'Ann' } } }))
      .status,
    200,
  );
  return created.id;
}

test('a re-run counts what is already cancelled as done and prints a summary: cancelled, already cancelled, refused by reason, unknown', async () => {
  const pending = [
    (await client.createRequest()).id,
    (await client.createRequest()).id,
    (await client.createRequest()).id,
  ];
  const done = await signed();
  const file = join(dataDir, 'ids.txt');
  writeFileSync(file, `${pending.join('\n')}\n${done}\nsr_does_not_exist\n`);
  // Someone cancelled one of them before the bulk run.
  assert.equal((await client.request('POST', `/v1/signature-requests/${pending[0]}/cancel`, {})).status, 200);

  const first = await runCli(['requests', 'cancel', '--tenant', tenantId, '--file', file, '--data-dir', dataDir]);
  assert.equal(first.code, 1, 'a refusal (signed) and an unknown id make the first run fail');
  assert.match(first.stdout, /^cancelled: 2, already cancelled: 1, refused: 1 \(already_signed 1\), unknown: 1$/m);

  const second = await runCli(['requests', 'cancel', '--tenant', tenantId, '--file', file, '--data-dir', dataDir]);
  assert.match(second.stdout, /^cancelled: 0, already cancelled: 3, refused: 1 \(already_signed 1\), unknown: 1$/m);
  assert.doesNotMatch(second.stdout, /already_cancelled/, 'already cancelled is not listed as a refusal');

  // The file without the ids that cannot be cancelled: the re-run is a success.
  writeFileSync(file, `${pending.join('\n')}\n`);
  const third = await runCli([
    'requests',
    'cancel',
    '--tenant',
    tenantId,
    '--file',
    file,
    '--json',
    '--data-dir',
    dataDir,
  ]);
  assert.equal(third.code, 0, third.stderr);
  const summary = JSON.parse(third.stdout);
  assert.deepEqual(
    [summary.total, summary.cancelled, summary.already_cancelled, summary.refused, summary.unknown],
    [3, 0, 3, 0, 0],
  );
  for (const id of pending)
    assert.equal((await client.request('GET', `/v1/signature-requests/${id}`)).body.status, 'cancelled');
});

test('a missing --file, an unknown tenant and no ids at all are one-line errors that cancel nothing', async () => {
  const id = (await client.createRequest()).id;
  assertOneLineError(
    await runCli([
      'requests',
      'cancel',
      '--tenant',
      tenantId,
      '--file',
      join(dataDir, 'missing.txt'),
      '--data-dir',
      dataDir,
    ]),
    /cannot read --file .*missing\.txt: no such file/,
  );
  assertOneLineError(
    await runCli(['requests', 'cancel', '--tenant', tenantId, '--file', dataDir, '--data-dir', dataDir]),
    /cannot read --file/,
  );
  assertOneLineError(
    await runCli(['requests', 'cancel', id, '--tenant', 'ten_nope', '--data-dir', dataDir]),
    /no tenant ten_nope/,
  );
  assertOneLineError(
    await runCli(['requests', 'cancel', '--tenant', tenantId, '--data-dir', dataDir]),
    /name at least one request id/,
  );
  assert.equal((await client.request('GET', `/v1/signature-requests/${id}`)).body.status, 'pending');
});
