import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { BackgroundCheckpointer } from '../../src/storage/sqlite/checkpointer.js';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import { storeContract } from './store-contract.js';

const openSqlite = async () =>
  new SqliteStore({ path: join(mkdtempSync(join(tmpdir(), 'countersign-store-')), 'db.sqlite') });

storeContract('sqlite', openSqlite);

test('sqlite: transactions that share a group commit stay independently atomic', async () => {
  const store = await openSqlite();
  try {
    const insert = (id: string, fail: boolean) =>
      store.transaction(async (tx) => {
        await tx.tenants.insert({ id, name: id, createdAt: 1 });
        if (fail) throw new Error(`${id} fails after writing`);
        return id;
      });
    // Submitted in the same tick, so they run in one BEGIN … COMMIT.
    const results = await Promise.allSettled([insert('ten_a', false), insert('ten_b', true), insert('ten_c', false)]);
    assert.deepEqual(
      results.map((result) => result.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    const names = await store.read(async (tx) =>
      Promise.all(['ten_a', 'ten_b', 'ten_c'].map((id) => tx.tenants.get(id))),
    );
    assert.deepEqual(
      names.map((tenant) => tenant?.id),
      ['ten_a', undefined, 'ten_c'],
    );
  } finally {
    await store.close();
  }
});

test('sqlite: a transaction is acknowledged only after its commit is on disk', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'countersign-store-'));
  const first = new SqliteStore({ path: join(dir, 'db.sqlite') });
  await first.transaction((tx) => tx.tenants.insert({ id: 'ten_durable', name: 'd', createdAt: 1 }));
  // A second connection (as another process would) sees it as soon as the promise resolved.
  const second = new SqliteStore({ path: join(dir, 'db.sqlite') });
  assert.equal((await second.read((tx) => tx.tenants.get('ten_durable')))?.name, 'd');
  await first.close();
  await second.close();
});

test('sqlite: committed pages reach the database file through the checkpoint thread, not the committing one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'countersign-store-'));
  const store = new SqliteStore({ path: join(dir, 'db.sqlite') });
  try {
    // A few small commits: far below SQLite's automatic checkpoint (1,000 WAL pages), so only the
    // background thread can have copied them into the database file.
    for (let index = 0; index < 5; index += 1) {
      await store.transaction((tx) => tx.tenants.insert({ id: `ten_ckpt_${index}`, name: 'c', createdAt: 1 }));
    }
    // The database file alone (copied without its WAL) holds the rows once the thread has run.
    const deadline = Date.now() + 10_000;
    let found = 0;
    while (found < 5 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      copyFileSync(join(dir, 'db.sqlite'), join(dir, 'copy.sqlite'));
      const copy = new Database(join(dir, 'copy.sqlite'), { readonly: true });
      try {
        found = copy.prepare("SELECT count(*) FROM tenants WHERE id LIKE 'ten_ckpt_%'").pluck().get() as number;
      } catch {
        found = 0; // not even the schema has been copied yet
      } finally {
        copy.close();
      }
    }
    assert.equal(found, 5, 'the checkpoint thread copied the committed pages into the database file');
  } finally {
    await store.close();
  }
});

test('sqlite: close ends the checkpoint thread even right after the first commit', async () => {
  // The thread may still be starting when close() runs: it must notice and exit, or close hangs.
  for (let round = 0; round < 5; round += 1) {
    const store = await openSqlite();
    await store.transaction((tx) => tx.tenants.insert({ id: 'ten_close', name: 'c', createdAt: 1 }));
    await store.close();
  }
});

test('sqlite: a checkpoint thread that cannot open the database fails quietly, and close still returns', async () => {
  // The main connection's own automatic checkpoint is the fallback; nothing may hang or throw here.
  const checkpointer = new BackgroundCheckpointer(
    join(mkdtempSync(join(tmpdir(), 'countersign-store-')), 'missing-dir', 'db.sqlite'),
  );
  checkpointer.committed();
  const deadline = Date.now() + 10_000;
  while (!checkpointer.hasFailed && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(checkpointer.hasFailed, true);
  checkpointer.committed(); // no longer wakes anything
  await checkpointer.close();
});
