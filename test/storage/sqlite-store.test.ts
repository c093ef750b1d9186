import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import { storeContract } from './store-contract.js';

const openSqlite = async () => new SqliteStore({ path: join(mkdtempSync(join(tmpdir(), 'countersign-store-')), 'db.sqlite') });

storeContract('sqlite', openSqlite);

test('sqlite: transactions that share a group commit stay independently atomic', async () => {
  const store = await openSqlite();
  try {
    const insert = (id: string, fail: boolean) => store.transaction(async (tx) => {
      await tx.tenants.insert({ id, name: id, createdAt: 1 });
      if (fail) throw new Error(`${id} fails after writing`);
      return id;
    });
    // Submitted in the same tick, so they run in one BEGIN … COMMIT.
    const results = await Promise.allSettled([insert('ten_a', false), insert('ten_b', true), insert('ten_c', false)]);
    assert.deepEqual(results.map((result) => result.status), ['fulfilled', 'rejected', 'fulfilled']);
    const names = await store.read(async (tx) => Promise.all(['ten_a', 'ten_b', 'ten_c'].map((id) => tx.tenants.get(id))));
    assert.deepEqual(names.map((tenant) => tenant?.id), ['ten_a', undefined, 'ten_c']);
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
