// No secret in a log line: a real `countersign serve` process at LOG_LEVEL=trace, driven through
// the native API and all five provider surfaces with real credentials (and wrong ones, and
// credentials in query strings), its webhooks delivered (and failing, and redirected); then its
// whole output is searched for every secret the run used, each full value and its distinctive part.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, test } from 'node:test';
import { startChildServer, type ChildServer } from '../support/child-server.js';
import { startReceiver, until, type Receiver } from '../webhooks/receiver.js';
import {
  driveAuco,
  driveKaizen,
  driveLumin,
  driveNative,
  driveSingpass,
  driveTaktikal,
  type Drive,
  type TenantCredentials,
} from './support/drive-every-surface.js';
import { randomSecret, SecretLedger } from './support/secret-ledger.js';

const BIN = fileURLToPath(new URL('../../bin/countersign.mjs', import.meta.url));
const run = promisify(execFile);

let dataDir: string | undefined;
let child: ChildServer | undefined;
let receiver: Receiver | undefined;
after(async () => {
  await child?.stop();
  await receiver?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** The receiver paths every surface's webhook goes to; the run waits for one delivery to each. */
const WEBHOOK_PATHS = ['/native', '/fail', '/redirect', '/lumin', '/singpass', '/taktikal', '/auco'];

test('a full run through every surface logs none of the secrets it used', async (t) => {
  dataDir = mkdtempSync(join(tmpdir(), 'countersign-logs-'));
  const secrets = new SecretLedger();
  const redirectCode = secrets.add("code in a receiver's redirect", randomSecret());
  receiver = await startReceiver((request, reply) => {
    if (request.path.startsWith('/fail'))
      reply.writeHead(500, { 'content-type': 'text/plain' }).end('receiver is down');
    else if (request.path.startsWith('/redirect'))
      reply.writeHead(302, { location: `https://idp.example/callback?code=${redirectCode}&state=1` }).end();
    else reply.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
  const created = await run(
    process.execPath,
    [BIN, 'tenant', 'create', '--name', 'Acme', '--json', '--data-dir', dataDir],
    { env: { ...process.env, COUNTERSIGN_DATA_DIR: '' } },
  );
  const tenant = JSON.parse(created.stdout) as TenantCredentials;
  child = await startChildServer(dataDir, { LOG_LEVEL: 'trace', COUNTERSIGN_ALLOW_PRIVATE_WEBHOOKS: '1' });

  const drive: Drive = { baseUrl: child.baseUrl, receiverUrl: new URL(receiver.url).origin, tenant, secrets };
  for (const surface of [driveNative, driveLumin, driveSingpass, driveTaktikal, driveKaizen, driveAuco])
    await surface(drive);
  const received = receiver.received;
  await until(
    () => WEBHOOK_PATHS.every((path) => received.some((request) => request.path.startsWith(path))),
    60_000,
    () => `webhooks received on ${[...new Set(received.map((request) => request.path.split('?')[0]))].join(', ')}`,
  );
  await child.stop();

  const output = child.output();
  const lines = output.split('\n').filter((line) => line.trim().length > 0);
  const found = secrets.foundIn(output);
  t.diagnostic(
    `lines logged: ${lines.length}; secrets checked: ${secrets.secretCount} (${secrets.entries.length} needles); secrets found: ${new Set(found.map((entry) => entry.label)).size}`,
  );
  // The run was logged (so finding nothing means something): every request, the signing links by their route.
  assert.ok(lines.length > 100, `only ${lines.length} lines logged`);
  assert.match(output, /\/v1\/signing\//);
  assert.match(output, /outbox deliver/, 'the failing webhook was logged');
  assert.deepEqual(
    [...new Set(found.map((entry) => entry.label))],
    [],
    `secrets in the log:\n${found.map((entry) => `${entry.label}: ${lines.find((line) => line.includes(entry.needle))}`).join('\n')}`,
  );
});
