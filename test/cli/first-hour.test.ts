/**
 * A new user's first hour, as real processes: the README's `npm start` then `npx countersign tenant
 * create` from another folder reach one database; `serve` on a port in use stops with one line
 * before writing anything; the Singpass RP helpers make a key and a token the surface accepts.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { assertOneLineError, cliJson, runCli } from '../support/cli.js';
import { startChildServer } from '../support/child-server.js';
import { call, freePort, makePdf, startTestServer } from '../support/harness.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A checkout of this repository in a temporary folder, as a new user has it after `npm ci`. */
function freshCheckout(): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'countersign-checkout-')));
  for (const entry of ['src', 'bin', 'migrations', 'package.json'])
    cpSync(join(ROOT, entry), join(root, entry), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  return root;
}

test("README: the server started at the checkout's root and `tenant create` run from a subfolder use one database", async (t) => {
  const checkout = freshCheckout();
  const port = await freePort();
  // `npm start` is `node bin/countersign.mjs serve`, run by npm from the package root, without --data-dir.
  const server = spawn(process.execPath, [join(checkout, 'bin/countersign.mjs'), 'serve'], {
    cwd: checkout,
    env: { ...process.env, PORT: String(port), COUNTERSIGN_DATA_DIR: '', LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  server.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  server.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  t.after(() => void server.kill('SIGKILL'));
  while (!output.includes('Get an API key')) {
    assert.equal(server.exitCode, null, `the server exited: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  // A new user's shell is often elsewhere in the checkout (here: docs/) when they follow the README.
  const elsewhere = join(checkout, 'docs');
  mkdirSync(elsewhere);
  const tenant = await cliJson(['tenant', 'create', '--name', 'Acme', '--json'], {
    cwd: elsewhere,
    bin: join(checkout, 'bin/countersign.mjs'),
  });
  const response = await call(`http://127.0.0.1:${port}`, 'GET', '/v1/signature-requests', {
    headers: { authorization: `Bearer ${tenant.api_key}` },
  });
  assert.equal(response.status, 200, 'the key works against the server it was made for');
  assert.equal(existsSync(join(elsewhere, 'data')), false, 'no second database');
  assert.equal(tenant.data_dir, join(checkout, 'data'), 'the CLI says which data dir it used');
  assert.match(output, new RegExp(`Data: ${join(checkout, 'data')}`), 'and so does the server');
});

test('serve on a port in use: one line, exit code 2, and nothing written or started', async (t) => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  t.after(() => blocker.close());
  const port = (blocker.address() as { port: number }).port;
  const dataDir = join(mkdtempSync(join(tmpdir(), 'countersign-port-')), 'data');
  const result = await runCli(['serve', '--port', String(port), '--data-dir', dataDir]);
  assertOneLineError(result, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
  assert.equal(result.stdout, '');
  assert.equal(existsSync(dataDir), false, 'no database, no server key: the port is checked first');
});

test('serve starts while a health check polls its port from the first moment (the port reservation turns it away)', async () => {
  const child = await startChildServer(mkdtempSync(join(tmpdir(), 'countersign-poll-')));
  try {
    assert.equal((await call(child.baseUrl, 'GET', '/healthz')).status, 200);
  } finally {
    await child.stop();
  }
});

test('Singpass RP helpers: keygen, add --jwks-file, and tokens the surface accepts to initiate and to cancel', async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'countersign-rp-'));
  const dataDir = join(work, 'data');
  const keyFile = join(work, 'rp-key.json');
  const jwksFile = join(work, 'rp-jwks.json');
  const tenant = await cliJson(['tenant', 'create', '--name', 'RP Co', '--json', '--data-dir', dataDir]);
  const keygen = await runCli([
    'singpass-client',
    'keygen',
    '--private-key-file',
    keyFile,
    '--jwks-file',
    jwksFile,
    '--kid',
    'local-1',
  ]);
  assert.equal(keygen.code, 0, keygen.stderr);
  assert.equal(JSON.parse(readFileSync(jwksFile, 'utf8')).keys[0].d, undefined, 'the JWKS holds only the public key');
  assertOneLineError(
    await runCli(['singpass-client', 'keygen', '--private-key-file', keyFile, '--jwks-file', jwksFile]),
    /exists/,
  );
  await cliJson([
    'singpass-client',
    'add',
    '--tenant',
    tenant.tenant_id,
    '--client-id',
    'rp-local',
    '--jwks-file',
    jwksFile,
    '--json',
    '--data-dir',
    dataDir,
  ]);
  const server = await startTestServer({ dataDir });
  t.after(() => server.close());

  const claims = JSON.stringify({ doc_name: 'contract.pdf', x: 0.5, y: 0.5, page: 1 });
  const initiateToken = (
    await runCli(['singpass-client', 'token', '--client-id', 'rp-local', '--key-file', keyFile, '--claims', claims])
  ).stdout.trim();
  const initiated = await call(server.baseUrl, 'POST', '/singpass/api/v3/sign-requests', {
    rawBody: await makePdf(),
    headers: { 'content-type': 'application/octet-stream', authorization: initiateToken },
  });
  assert.equal(initiated.status, 200, JSON.stringify(initiated.body));
  const cancelToken = (
    await runCli([
      'singpass-client',
      'token',
      '--client-id',
      'rp-local',
      '--key-file',
      keyFile,
      '--request-id',
      initiated.body.request_id,
    ])
  ).stdout.trim();
  const cancelled = await call(server.baseUrl, 'POST', '/singpass/api/v3/sign-requests/cancel', {
    headers: { 'content-type': 'application/json', authorization: cancelToken },
  });
  assert.deepEqual([cancelled.status, cancelled.body], [200, {}]);
  const again = await call(server.baseUrl, 'POST', '/singpass/api/v3/sign-requests/cancel', {
    headers: { 'content-type': 'application/json', authorization: cancelToken },
  });
  assert.equal(again.status, 400, 'a token is accepted once (its jti is fresh per run)');

  assertOneLineError(
    await runCli(['singpass-client', 'token', '--client-id', 'rp-local', '--key-file', jwksFile]),
    /not an EC P-256 private key/,
  );
  assertOneLineError(
    await runCli([
      'singpass-client',
      'token',
      '--client-id',
      'rp-local',
      '--key-file',
      keyFile,
      '--ttl-seconds',
      '600',
    ]),
    /--ttl-seconds/,
  );
});
