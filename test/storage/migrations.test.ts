// Migrations run on databases that already hold data: 009 rebuilds audit_events and the outbox,
// 010 rebuilds webhook_endpoints (which webhook_attempts refers to). Every row must come through.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { AuditWriter, verifyAuditChain } from '../../src/core/audit.js';
import { createIdGenerator } from '../../src/core/ids.js';
import type { OutboxMessage } from '../../src/core/ports.js';
import { listMigrations, migrate } from '../../src/storage/sqlite/migrate.js';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';

/** A `webhooks.replaced` event's data; `index` tells the events apart. */
function replaced(index: number) {
  const endpoint = { id: `whe_${index}`, external_id: null, url: 'https://example.com/hook', has_header: false };
  return { format: 'auco' as const, disabled: [], endpoints: [endpoint] };
}

/** A database file with the migrations before `version` applied, as a server of that time left it. */
function databaseBefore(version: number): string {
  const path = join(mkdtempSync(join(tmpdir(), 'countersign-migrate-')), 'db.sqlite');
  const old = new Database(path);
  old.pragma('journal_mode = WAL');
  old.pragma('foreign_keys = ON');
  old.exec(
    'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  );
  for (const migration of listMigrations().filter((entry) => entry.version < version)) {
    old.exec(migration.sql);
    old
      .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
      .run(migration.version, migration.name, 1);
  }
  old.close();
  return path;
}

test('009 keeps every audit event (seq, hash, chain) and outbox row written before it', async () => {
  const ids = createIdGenerator();
  // The database as 008 left it, written through the repositories of today (the columns are the same).
  const path = databaseBefore(9);
  const before = new SqliteStore({ path, migrate: false });
  await before.transaction(async (tx) => {
    await tx.tenants.insert({ id: 'ten_m', name: 'M', createdAt: 1 });
    const audit = new AuditWriter(tx, ids, { actor: { type: 'system', id: 'test' }, surface: 'cli' }, 1);
    for (let index = 0; index < 5; index += 1)
      await audit.append({ tenantId: 'ten_m', requestId: null, type: 'webhooks.replaced', data: replaced(index) });
    for (let index = 0; index < 3; index += 1) {
      // Storage keeps a payload as it is given; this one need not be a real mail.
      const row = { id: `obx_m_${index}`, tenantId: 'ten_m', topic: 'email', payload: { index } as object };
      await tx.outbox.enqueue({ ...row, availableAt: 1, createdAt: 1 } as OutboxMessage);
    }
  });
  const eventsBefore = before.db.prepare('SELECT seq, id, hash FROM audit_events ORDER BY seq').all();
  await before.close();

  const after = new SqliteStore({ path });
  try {
    assert.deepEqual(after.db.prepare('SELECT max(version) AS v FROM schema_migrations').get(), {
      v: listMigrations().at(-1)!.version,
    });
    assert.deepEqual(after.db.prepare('SELECT seq, id, hash FROM audit_events ORDER BY seq').all(), eventsBefore);
    assert.deepEqual(
      after.db.prepare('SELECT id, status, payload FROM outbox ORDER BY id').all(),
      [0, 1, 2].map((index) => ({ id: `obx_m_${index}`, status: 'pending', payload: JSON.stringify({ index }) })),
    );
    // The chain goes on from where it was, with the next seq.
    await after.transaction(async (tx) => {
      await new AuditWriter(tx, ids, { actor: { type: 'system', id: 'test' }, surface: 'cli' }, 2).append({
        tenantId: 'ten_m',
        requestId: null,
        type: 'webhooks.replaced',
        data: replaced(5),
      });
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

test('010 keeps every webhook endpoint and the attempts that refer to them, accepts singpass, and keeps foreign keys on', async () => {
  const path = databaseBefore(10);
  const old = new Database(path);
  old.pragma('foreign_keys = ON');
  old.prepare('INSERT INTO tenants (id, name, created_at) VALUES (?, ?, ?)').run('ten_w', 'W', 1);
  const insertEndpoint =
    old.prepare(`INSERT INTO webhook_endpoints (id, tenant_id, format, url, events, sealed_secret, sealed_header,
    description, external_id, created_at, disabled_at) VALUES (?, 'ten_w', ?, ?, '["*"]', 'sealed', NULL, NULL, ?, 1, ?)`);
  insertEndpoint.run('whe_native', 'native', 'https://example.com/a', null, null);
  insertEndpoint.run('whe_auco_old', 'auco', 'https://example.com/b', 'default', 5);
  insertEndpoint.run('whe_auco', 'auco', 'https://example.com/c', 'default', null);
  old
    .prepare(
      `INSERT INTO webhook_attempts (id, tenant_id, endpoint_id, event_id, delivery_id, attempt, status_code, error, duration_ms,
    response_snippet, created_at) VALUES ('wha_1', 'ten_w', 'whe_auco_old', 'evt_1', 'obx_1', 1, 200, NULL, 5, NULL, 2)`,
    )
    .run();
  assert.throws(
    () => insertEndpoint.run('whe_sp', 'singpass', 'https://example.com/d', 'rp-1', null),
    /CHECK constraint/,
  );
  const endpointsBefore = old.prepare('SELECT * FROM webhook_endpoints ORDER BY id').all();
  old.close();

  const after = new SqliteStore({ path });
  try {
    assert.deepEqual(after.db.prepare('SELECT * FROM webhook_endpoints ORDER BY id').all(), endpointsBefore);
    assert.equal((after.db.prepare('SELECT count(*) AS n FROM webhook_attempts').get() as { n: number }).n, 1);
    assert.equal(after.db.pragma('foreign_keys', { simple: true }), 1, 'foreign keys are on again after the rebuild');
    assert.deepEqual(after.db.pragma('foreign_key_check'), []);
    after.db
      .prepare(
        `INSERT INTO webhook_endpoints (id, tenant_id, format, url, events, external_id, created_at)
      VALUES ('whe_sp', 'ten_w', 'singpass', 'https://example.com/d', '["*"]', 'rp-1', 3)`,
      )
      .run();
    // The attempts still refer to the (rebuilt) endpoints table, and the reference is enforced.
    assert.throws(
      () =>
        after.db
          .prepare(
            `INSERT INTO webhook_attempts (id, tenant_id, endpoint_id, event_id, delivery_id, attempt, duration_ms,
      created_at) VALUES ('wha_2', 'ten_w', 'whe_missing', 'evt_2', 'obx_2', 1, 5, 3)`,
          )
          .run(),
      /FOREIGN KEY constraint failed/,
    );
    // One live endpoint per (format, external id): the partial unique index came back.
    assert.throws(
      () =>
        after.db
          .prepare(
            `INSERT INTO webhook_endpoints (id, tenant_id, format, url, events, external_id, created_at)
      VALUES ('whe_auco_2', 'ten_w', 'auco', 'https://example.com/e', '["*"]', 'default', 3)`,
          )
          .run(),
      /UNIQUE constraint failed/,
    );
  } finally {
    await after.close();
  }
});
