// Migrations run on databases that already hold data: 009 rebuilds audit_events and the outbox.
// A database written at 008 must come out with every row, every seq and the chain intact.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { AuditWriter, verifyAuditChain } from '../../src/core/audit.js';
import { createIdGenerator } from '../../src/core/ids.js';
import { listMigrations, migrate } from '../../src/storage/sqlite/migrate.js';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';

test('009 keeps every audit event (seq, hash, chain) and outbox row written before it', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'countersign-migrate-')), 'db.sqlite');
  const ids = createIdGenerator();
  // The database as 008 left it, written through the repositories of today (the columns are the same).
  const old = new Database(path);
  old.pragma('journal_mode = WAL');
  old.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  for (const migration of listMigrations().filter((entry) => entry.version < 9)) {
    old.exec(migration.sql);
    old.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(migration.version, migration.name, 1);
  }
  old.close();
  const before = new SqliteStore({ path, migrate: false });
  await before.transaction(async (tx) => {
    await tx.tenants.insert({ id: 'ten_m', name: 'M', createdAt: 1 });
    const audit = new AuditWriter(tx, ids, { actor: { type: 'system', id: 'test' }, surface: 'test' }, 1);
    for (let index = 0; index < 5; index += 1) await audit.append({ tenantId: 'ten_m', requestId: null, type: 'test.event', data: { index } });
    for (let index = 0; index < 3; index += 1) {
      await tx.outbox.enqueue({ id: `obx_m_${index}`, tenantId: 'ten_m', topic: 'email', payload: { index }, availableAt: 1, createdAt: 1 });
    }
  });
  const eventsBefore = before.db.prepare('SELECT seq, id, hash FROM audit_events ORDER BY seq').all();
  await before.close();

  const after = new SqliteStore({ path });
  try {
    assert.deepEqual(after.db.prepare('SELECT max(version) AS v FROM schema_migrations').get(), { v: listMigrations().at(-1)!.version });
    assert.deepEqual(after.db.prepare('SELECT seq, id, hash FROM audit_events ORDER BY seq').all(), eventsBefore);
    assert.deepEqual(after.db.prepare('SELECT id, status, payload FROM outbox ORDER BY id').all(),
      [0, 1, 2].map((index) => ({ id: `obx_m_${index}`, status: 'pending', payload: JSON.stringify({ index }) })));
    // The chain goes on from where it was, with the next seq.
    await after.transaction(async (tx) => {
      await new AuditWriter(tx, ids, { actor: { type: 'system', id: 'test' }, surface: 'test' }, 2).append({ tenantId: 'ten_m', requestId: null, type: 'test.after' });
    });
    const verification = await after.read((tx) => verifyAuditChain(tx, 'ten_m'));
    assert.deepEqual(verification, { ok: true, checked: 6 });
    const last = after.db.prepare('SELECT max(seq) AS seq FROM audit_events').get() as { seq: number };
    assert.equal(last.seq, (eventsBefore.at(-1) as { seq: number }).seq + 1);
  } finally {
    await after.close();
  }
  // migrate() on an up-to-date database applies nothing.
  const again = new Database(path);
  assert.deepEqual(migrate(again), []);
  again.close();
});
