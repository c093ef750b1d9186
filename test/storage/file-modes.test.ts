// A fresh data dir is private: the directory 0700, the SQLite database and its -wal/-shm files and
// server.key 0600, even under the common umask 022 that would otherwise leave them world-readable.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startTestServer } from '../support/harness.js';
import { nativeClient } from '../support/native.js';

const modeOf = (path: string) => statSync(path).mode & 0o777;

test('a fresh data dir is 0700 and the database, its WAL and SHM, and server.key are 0600', async (t) => {
  const previousUmask = process.umask(0o022);
  const parent = mkdtempSync(join(tmpdir(), 'countersign-modes-'));
  t.after(() => {
    process.umask(previousUmask);
    rmSync(parent, { recursive: true, force: true });
  });
  const dataDir = join(parent, 'data');
  const server = await startTestServer({ dataDir });
  const tenant = await server.createTenant();
  // A write so that the WAL and the shared-memory file certainly exist.
  await nativeClient(server.baseUrl, tenant.apiKey).createRequest();
  const files = ['countersign.sqlite', 'countersign.sqlite-wal', 'countersign.sqlite-shm', 'server.key'].map((name) =>
    join(dataDir, name),
  );
  try {
    assert.equal(modeOf(dataDir).toString(8), '700');
    for (const file of files) {
      assert.ok(existsSync(file), file);
      assert.equal(modeOf(file).toString(8), '600', file);
    }
  } finally {
    await server.close();
  }
});

test('database files an earlier version left world-readable are made 0600 on open', async (t) => {
  const previousUmask = process.umask(0o022);
  const dataDir = mkdtempSync(join(tmpdir(), 'countersign-modes-'));
  t.after(() => {
    process.umask(previousUmask);
    rmSync(dataDir, { recursive: true, force: true });
  });
  const database = join(dataDir, 'countersign.sqlite');
  writeFileSync(database, '');
  chmodSync(database, 0o644);
  const server = await startTestServer({ dataDir });
  try {
    assert.equal(modeOf(database).toString(8), '600');
  } finally {
    await server.close();
  }
});
